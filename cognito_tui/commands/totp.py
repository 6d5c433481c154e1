"""`cognito-tui totp code|setup|store|forget`: the TOTP seed of one user of one profile, in the keyring.

`setup` is the guided setup outside a sign-in: AssociateSoftwareToken with an access token (read
from stdin), the seed kept in the keyring, VerifySoftwareToken with a code computed from it, and
SetUserMFAPreference. Seeds and codes are never written to a file; the authenticator URI goes to
stderr for a person (or into the --json object, never both).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from cognito_tui.status import Exit

PREFER = ("SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SMS_MFA")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="totp_action", metavar="ACTION")
    helps = {
        "code": "print the current code from the stored seed, with the seconds left in its window",
        "setup": "set up TOTP outside a sign-in with an access token read from stdin (Associate, Verify, preference)",
        "store": "keep a seed read from stdin (an authenticator's secret) for this profile and user",
        "forget": "forget the stored seed of this profile and user",
    }
    for name, text in helps.items():
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("--profile", help="the profile (default: the user pool id names the scope)")
        p.add_argument("--user", help="the username (default: the profile's)")
        p.add_argument("--user-pool-id", help="without --profile: the scope of the seed")
        p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
        if name == "setup":
            p.add_argument("--endpoint-url", help="e.g. the sandbox's http://127.0.0.1:PORT (default: the profile's)")
            p.add_argument("--region", help="default: the profile's, else the user pool id's prefix")
            p.add_argument(
                "--prefer",
                choices=PREFER,
                default="SOFTWARE_TOKEN_MFA",
                help="the factor SetUserMFAPreference makes preferred (default SOFTWARE_TOKEN_MFA)",
            )
            p.add_argument("--friendly-name", default="cognito-tui", help="FriendlyDeviceName for VerifySoftwareToken")
            p.add_argument("--timeout", type=float, default=30.0, help="read timeout per call in seconds")


class TotpUsage(Exception):
    """Bad flags or input: exit 2 with this message."""


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "totp_action", None)
    if action is None:
        print("cognito-tui totp: give an action: code, setup, store or forget (--help lists them)", file=sys.stderr)
        return Exit.USAGE
    from cognito_tui.core.validate import InvalidInput
    from cognito_tui.store.secrets import SecretStoreError

    try:
        scope = _scope(args)
        vault = _vault(args)
        return {"code": _code, "setup": _setup, "store": _store, "forget": _forget}[action](args, vault, *scope)
    except TotpUsage as exc:
        print(f"cognito-tui totp {action}: {exc}", file=sys.stderr)
        return Exit.USAGE
    except (SecretStoreError, InvalidInput) as exc:
        print(f"cognito-tui totp {action}: {exc.text()}", file=sys.stderr)
        return Exit.USAGE


def _scope(args: argparse.Namespace) -> tuple[str, str, Any]:
    """(profile scope, user, the profile's request fields or None)."""
    fields = None
    if args.profile:
        from cognito_tui.store.paths import profiles_path
        from cognito_tui.store.profiles import load_profiles
        from cognito_tui.store.request_fields import fields_of_profile

        path = profiles_path(getattr(args, "config", None))
        profile = next((p for p in load_profiles(path).profiles if p.name == args.profile), None)
        if profile is None:
            raise TotpUsage(f"no profile {args.profile!r} in {path}")
        fields = fields_of_profile(profile)
    user = args.user or (fields.username if fields else "")
    if not user:
        raise TotpUsage("give --user (the profile has no username)")
    scope = args.profile or args.user_pool_id
    if not scope:
        raise TotpUsage("give --profile, or --user-pool-id to name the scope of the seed")
    return scope, user, fields


def _vault(args: argparse.Namespace) -> Any:
    from cognito_tui.store.paths import config_dir
    from cognito_tui.store.secrets import open_secret_store
    from cognito_tui.store.vault import Vault, used_steps_at

    folder = config_dir(getattr(args, "config", None))
    choice = open_secret_store(index_dir=folder)
    choice.announce()
    return Vault(choice.store, used_steps_at(folder))


def _emit(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data) if args.json else text)


def _code(args: argparse.Namespace, vault: Any, profile: str, user: str, fields: Any) -> int:
    from cognito_tui.core import totp
    from cognito_tui.core.totp_guard import reuse_warning

    seed = vault.seed(profile, user, fallback=True)
    if seed is None:
        print(
            f"cognito-tui totp code: no TOTP seed kept for {profile}@{user}; `totp setup` or `totp store` keeps one",
            file=sys.stderr,
        )
        return Exit.REFUSED
    now = time.time()
    code, left = totp.now_code(seed.value, now), totp.seconds_left(now)
    warning = reuse_warning(seed.value, code, now, vault.used.last(profile, user))
    data: dict[str, Any] = {"code": code, "seconds_left": left}
    if warning:
        data.update(warning=warning, next_code=totp.code_at(seed.value, totp.counter(now) + 1))
        print(f"warning: {warning} Next window's code: {data['next_code']}", file=sys.stderr)
    _emit(args, data, f"{code}  ({left} s left)")
    return Exit.OK


def _store(args: argparse.Namespace, vault: Any, profile: str, user: str, fields: Any) -> int:
    from cognito_tui.core import totp
    from cognito_tui.core.validate import read_secret_line

    seed = read_secret_line(sys.stdin, "the TOTP seed").strip().replace(" ", "").upper()
    try:
        totp.code_at(seed, 0)
    except ValueError:
        raise TotpUsage("stdin is not a Base32 TOTP seed (letters A-Z and digits 2-7)") from None
    vault.set_seed(profile, user, seed)
    _emit(args, {"stored": f"{profile}@{user}"}, f"TOTP seed kept for {profile}@{user} in {vault.store.name}")
    return Exit.OK


def _forget(args: argparse.Namespace, vault: Any, profile: str, user: str, fields: Any) -> int:
    existed = vault.forget_seed(profile, user)
    _emit(
        args,
        {"forgotten": existed},
        f"TOTP seed of {profile}@{user} forgotten" if existed else f"no TOTP seed was kept for {profile}@{user}",
    )
    return Exit.OK


def _setup(args: argparse.Namespace, vault: Any, profile: str, user: str, fields: Any) -> int:
    from cognito_tui.aws.targets import open_gateway
    from cognito_tui.core.caller import Caller
    from cognito_tui.core.errors import CognitoError, TransportError, explain
    from cognito_tui.core.request import RequestFields, build_sign_in
    from cognito_tui.core.totp_guard import group_by_four, pick_code
    from cognito_tui.core.totp_setup import FACTOR_LABELS, TotpSetup
    from cognito_tui.core.validate import read_secret_line

    given = (fields or RequestFields()).merged(
        {"endpoint_url": args.endpoint_url, "region": args.region, "user_pool_id": args.user_pool_id}
    )
    target = build_sign_in(given, read_timeout=args.timeout).target
    if not target.region:
        raise TotpUsage("give --region or --user-pool-id (or a profile that has them)")
    token = read_secret_line(sys.stdin, "the access token").strip()
    if not token:
        raise TotpUsage("stdin had no access token (pipe login --json's authentication_result.AccessToken)")
    try:
        setup = TotpSetup(Caller(open_gateway(target, given.user_pool_id or None)), token)
        secret, uri = setup.associate(user)
        vault.set_seed(profile, user, secret.value)
        if not args.json:
            print(f"authenticator secret: {group_by_four(secret.value)}\n  {uri.value}", file=sys.stderr)
        pick = pick_code(secret.value, time.time(), vault.used.last(profile, user))
        setup.verify(pick.code, args.friendly_name)
        vault.used.mark(profile, user, pick.step)
        setup.prefer("SOFTWARE_TOKEN_MFA", enabled=True, preferred=args.prefer == "SOFTWARE_TOKEN_MFA")
        if args.prefer != "SOFTWARE_TOKEN_MFA":
            setup.prefer(args.prefer)
        settings = setup.mfa_settings()
    except (CognitoError, TransportError) as exc:
        print(f"cognito-tui totp setup: refused: {exc.code}: {exc.message}\n{explain(exc).text()}", file=sys.stderr)
        return Exit.REFUSED
    data = {
        "stored": f"{profile}@{user}",
        "verified": True,
        "preferred": args.prefer,
        "mfa": settings,
        "mfa_setup": {"secret_code": secret.value, "otpauth_uri": uri.value},
    }
    _emit(
        args,
        data,
        f"TOTP set up for {user}: verified, seed kept for {profile}@{user} in {vault.store.name}; "
        f"preferred MFA: {FACTOR_LABELS[args.prefer]}",
    )
    return Exit.OK
