"""`cognito-tui login --refresh` and `--export-tokens`: the Tokens tab's refresh and copy, headless.

Kept apart from commands/login.py, which calls three hooks: `add_arguments(parser)`,
`check_arguments(args)` and, after a sign-in, `export(step, request, gateway, args)`; `--refresh`
runs `run_refresh(...)` instead of a walk.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cognito_tui.status import Exit

EXPORT_CHOICES = ("env", "header", "curl", "json")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--refresh",
        action="store_true",
        help="new tokens from a refresh token (the profile's, --answer REFRESH_TOKEN=..., or stdin); "
        "GetTokensFromRefreshToken is used when the client rotates refresh tokens (found out, not configured)",
    )
    p.add_argument(
        "--export-tokens",
        choices=EXPORT_CHOICES,
        metavar="{env,header,curl,json}",
        help="print the tokens on stdout as shell export lines, an Authorization header, a curl command or JSON",
    )
    p.add_argument(
        "--with-refresh-token",
        action="store_true",
        help="--export-tokens env/json: include the refresh token (a secret; left out unless asked)",
    )
    p.add_argument(
        "--curl-url",
        metavar="URL",
        help="--export-tokens curl: the URL to GET with the access token (default: Cognito's GetUser)",
    )


def check_arguments(args: argparse.Namespace) -> str | None:
    """A problem with these flags in words, before any call is made."""
    fmt = getattr(args, "export_tokens", None)
    if fmt and getattr(args, "json", False):
        return "--export-tokens and --json both write stdout: give one of them"
    if getattr(args, "with_refresh_token", False) and fmt not in ("env", "json"):
        return "--with-refresh-token goes with --export-tokens env or json"
    url = getattr(args, "curl_url", None)
    if url and fmt != "curl":
        return "--curl-url goes with --export-tokens curl"
    if url and not url.startswith(("http://", "https://")):
        return f"--curl-url {url!r}: an http(s) URL, e.g. https://api.example.com/me"
    return None


def export(step: Any, request: Any, gateway: Any, args: argparse.Namespace) -> bool:
    """Print the tokens as --export-tokens asks (True), or nothing when it was not given (False)."""
    from cognito_tui.core.claims_export import cognito_endpoint, export_tokens

    fmt = getattr(args, "export_tokens", None)
    if not fmt:
        return False
    endpoint = getattr(getattr(gateway, "config", None), "endpoint_url", None)
    region = getattr(gateway, "region", None) or request.user_pool_id.split("_", 1)[0]
    text = export_tokens(
        step.result,
        fmt,
        with_refresh=args.with_refresh_token,
        url=args.curl_url,
        get_user_endpoint=cognito_endpoint(region, endpoint),
    )
    print(text)
    if fmt in ("env", "json") and step.result.get("RefreshToken") and not args.with_refresh_token:
        print("refresh token left out (--with-refresh-token adds it)", file=sys.stderr)
    return True


def run_refresh(gateway: Any, request: Any, prompter: Any, answers: dict[str, str], args: argparse.Namespace) -> int:
    """--refresh: one refresh, rotation found out by core.refresh; the rotated token kept where it came from."""
    from cognito_tui.commands.login import _progress
    from cognito_tui.core.actions import TokenActions
    from cognito_tui.core.caller import Caller
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.refresh import refresh
    from cognito_tui.core.walk import Failed, SignedIn

    token = answers.pop("REFRESH_TOKEN", None) or (request.refresh_token.value if request.refresh_token else None)
    from_store = bool(request.refresh_token) and token == request.refresh_token.value
    if not token:
        token = prompter.ask("Refresh token", secret=True)
    caller = Caller(gateway)
    caller.transcript.listeners.append(_progress)
    request.refresh_token = Secret(token)
    actions = TokenActions(caller, request)
    describe = None
    if gateway.can_sign():

        def describe() -> dict[str, Any]:
            answer = caller.checked(
                "DescribeUserPoolClient", {"UserPoolId": request.user_pool_id, "ClientId": request.client_id}
            )
            client = answer.get("UserPoolClient") or {}
            if client.get("ClientSecret") and request.client_secret is None:  # as a sign-in takes it (login.py)
                request.client_secret = Secret(client["ClientSecret"])
                print("client secret: taken from DescribeUserPoolClient", file=sys.stderr)
            return client

    outcome = refresh(actions, {"RefreshToken": token}, describe=describe)
    if outcome.how:
        print(f"refresh: {outcome.how}", file=sys.stderr)
    steps = [
        {"operation": r.operation, "challenge": r.challenge, "duration_ms": round(r.duration_ms, 1)}
        for r in caller.transcript.records
    ]
    step = outcome.step
    if isinstance(step, SignedIn):
        if outcome.refresh_token and outcome.refresh_token != token:
            print("refresh token: rotated; the old one no longer works", file=sys.stderr)
            _keep_rotated(args, outcome.refresh_token, from_store)
        if export(step, request, gateway, args):
            return Exit.OK
        if args.json:
            print(json.dumps({"steps": steps, "authentication_result": step.result, "claims": step.claims,
                              "refresh": {"rotation": outcome.rotation, "how": outcome.how}}))  # fmt: skip
        else:
            from cognito_tui.commands.login import _print_signed_in

            _print_signed_in(step)
        return Exit.OK
    if not isinstance(step, Failed):  # a refresh answers with tokens or a refusal; anything else is said
        print(f"refresh: Cognito answered with {type(step).__name__} {getattr(step, 'name', '')}", file=sys.stderr)
        return Exit.REFUSED
    expl = step.explanation
    if args.json:
        error = {"code": step.code, "message": step.message, "explanation": expl.text()}
        print(json.dumps({"steps": steps, "error": error, "refresh": {"rotation": outcome.rotation}}))
    print(f"refused: {step.code}: {step.message}\n{expl.text()}", file=sys.stderr)
    from cognito_tui.core.errors import TransportError

    return Exit.USAGE if isinstance(step.error, TransportError) else Exit.REFUSED


def _keep_rotated(args: argparse.Namespace, token: str, from_store: bool) -> None:
    """The rotated refresh token replaces the profile's stored one (only where the profile kept one)."""
    if not (getattr(args, "profile", None) and from_store):
        if not (args.json or getattr(args, "export_tokens", None)):
            print("the new refresh token is in --json output (or --export-tokens json --with-refresh-token)",
                  file=sys.stderr)  # fmt: skip
        return
    from cognito_tui.store.paths import profiles_path
    from cognito_tui.store.secrets import SecretKind, SecretStoreError, open_secret_store

    try:
        store = open_secret_store(index_dir=profiles_path(getattr(args, "config", None)).parent).store
        store.set(args.profile, SecretKind.REFRESH_TOKEN, token)
    except SecretStoreError as exc:
        print(f"warning: the rotated refresh token was not kept: {exc.text()}", file=sys.stderr)
        return
    print(f"refresh token: the rotated one replaces the old in the keyring (profile {args.profile})", file=sys.stderr)
