"""`cognito-tui preflight`: the TUI's F5 analysis headless, as text or JSON, for scripts and CI.

Reads the pool, the client, the MFA settings and the user (IAM credentials needed on AWS), and
with --oauth / --client-credentials the managed-login checks too; says what would stand in the way.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cognito_tui.status import Exit

EPILOG = """exit codes:
  0  nothing stands in the way
  1  something stands in the way (a flow not allowed, a missing secret, a user who cannot sign in,
     a request managed login would refuse...)
  2  usage error, or nothing could be read (no credentials, no network, an unknown pool)"""

# Pre-flight warnings (core/preflight.py) that mean the sign-in cannot succeed as asked; the others
# say which challenge to expect.
BLOCKING = (
    "is not allowed for this client",
    "has a secret you have not given",
    "REFRESH_TOKEN_AUTH is refused",
    "needs the Essentials or Plus tier",
    "needs a Define Auth Challenge trigger",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "no InitiateAuth sign-in",
    "not signable",
    "The user is disabled",
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = EPILOG
    p.add_argument("--profile", help="a saved profile (its fields are the defaults; flags override)")
    p.add_argument("--user-pool-id")
    p.add_argument("--client-id")
    p.add_argument("--auth-flow", help="the flow about to be used (default: the profile's, else USER_SRP_AUTH)")
    p.add_argument("--username", help="the user about to sign in (AdminGetUser reads their status and MFA)")
    p.add_argument("--region", help="default: the user pool id's prefix")
    p.add_argument("--endpoint-url", help="e.g. the sandbox's http://127.0.0.1:PORT")
    p.add_argument("--aws-profile", help="AWS credentials profile for the Describe calls")
    p.add_argument("--with-client-secret", action="store_true", help="the sign-in will send the client secret")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--oauth", action="store_true", help="also check a managed-login (code + PKCE) sign-in")
    mode.add_argument("--client-credentials", action="store_true", help="also check an M2M token request")
    p.add_argument("--scope", action="append", default=[], help="OAuth scope (repeatable, or space-separated)")
    p.add_argument("--redirect-uri", help="--oauth: the callback URL about to be used")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--timeout", type=float, default=30.0, help="read timeout per call in seconds (default 30)")


def run(args: argparse.Namespace) -> int:
    from cognito_tui.core.problem import Problem

    try:
        report = _report(args)
    except Problem as exc:
        print(f"cognito-tui preflight: {exc.message}\ncognito-tui preflight --help lists every flag.", file=sys.stderr)
        return Exit.USAGE
    code = Exit.USAGE if report["unreadable"] else (Exit.REFUSED if report["blocking"] else Exit.OK)
    report["exit"] = int(code)
    if args.json:
        print(json.dumps(report))
    else:
        print(render(report))
    return code


def _fields(args: argparse.Namespace) -> tuple[Any, bool]:
    """The request fields (profile, then flags) and whether a client secret will be sent."""
    from cognito_tui.core.request import RequestFields

    fields, secret = RequestFields(), bool(args.with_client_secret)
    if args.profile:
        from cognito_tui.commands.login_inputs import profile_fields

        fields, stored = profile_fields(args)
        secret = secret or bool(stored.get("client_secret"))
    flags = {k: getattr(args, k) for k in ("user_pool_id", "client_id", "auth_flow", "username", "region",
                                           "endpoint_url", "aws_profile")}  # fmt: skip
    return fields.merged(flags), secret or bool(fields.client_secret)


def _report(args: argparse.Namespace) -> dict[str, Any]:
    from cognito_tui.commands.login import UsageError
    from cognito_tui.core.flows import FLOWS

    fields, secret_given = _fields(args)
    if not fields.user_pool_id or not fields.client_id:
        raise UsageError("give --user-pool-id and --client-id (or --profile)")
    oauth_only = (args.oauth or args.client_credentials) and not args.auth_flow  # no API sign-in to judge
    flow = fields.auth_flow or "USER_SRP_AUTH"
    if flow not in FLOWS:
        raise UsageError(f"unknown --auth-flow {flow!r}; one of {', '.join(FLOWS)}")
    found, problems = _read(fields, args.timeout)
    from cognito_tui.core.preflight import PreflightInputs, analyse

    analysis = analyse(
        PreflightInputs(
            "" if oauth_only else flow,
            fields.api or None,
            fields.username,
            secret_given,
            found.get("pool"),
            found.get("client"),
            found.get("mfa"),
            found.get("user"),
        )  # fmt: skip
    )
    warnings = [{"text": w, "blocking": any(m in w for m in BLOCKING)} for w in analysis.warnings]
    if any(p.startswith("user: UserNotFoundException") for p in problems):
        warnings.append({"text": f"User {fields.username!r} does not exist in this pool.", "blocking": True})
    oauth: list[dict[str, Any]] = []
    if args.oauth or args.client_credentials:
        from cognito_tui.core.oauth import OAuthPlan, oauth_preflight

        scopes = tuple(s for value in args.scope for s in value.split())
        plan = OAuthPlan("code" if args.oauth else "client_credentials", args.redirect_uri, scopes, secret_given)
        findings = oauth_preflight(plan, found.get("client"), found.get("pool"), found.get("servers")).findings
        oauth = [{"request": f.request, "text": f.text, "error": f.error} for f in findings]
    blocking = any(w["blocking"] for w in warnings) or any(f["error"] for f in oauth)
    return {
        "flow": ("code" if args.oauth else "client_credentials") if oauth_only else flow,
        "facts": [{"label": label, "value": value} for label, value in analysis.facts],
        "flows": {name: {"allowed": ok, "why": why} for name, (ok, why) in analysis.flow_status.items()},
        "warnings": warnings,
        "oauth": oauth,
        "problems": problems,
        "blocking": blocking,
        "unreadable": not any(k in found for k in ("pool", "client")),
    }


def _read(fields: Any, timeout: float) -> tuple[dict[str, Any], list[str]]:
    """DescribeUserPool, DescribeUserPoolClient, GetUserPoolMfaConfig, AdminGetUser, ListResourceServers."""
    from cognito_tui.aws.targets import open_gateway
    from cognito_tui.commands.login import UsageError
    from cognito_tui.core.caller import Caller
    from cognito_tui.core.discovery import Discovery
    from cognito_tui.core.errors import CognitoError, TransportError
    from cognito_tui.core.request import build_sign_in

    sign_in = build_sign_in(fields, {}, read_timeout=timeout)
    if sign_in.target.region is None:
        raise UsageError(f"--user-pool-id {fields.user_pool_id!r}: a user pool id looks like <region>_<id>")
    try:
        gateway = open_gateway(sign_in.target, fields.user_pool_id)
    except TransportError as exc:
        raise UsageError(f"{exc.message}. {exc.hint}".strip()) from exc
    disc = Discovery(Caller(gateway))
    pool, client_id = fields.user_pool_id, fields.client_id
    reads = (
        ("pool", lambda: disc.describe_pool(pool)),
        ("client", lambda: disc.describe_client(pool, client_id)),
        ("mfa", lambda: disc.mfa_config(pool)),
        ("user", lambda: disc.admin_get_user(pool, fields.username) if fields.username else None),
        ("servers", lambda: disc._call("ListResourceServers", {"UserPoolId": pool, "MaxResults": 50})),
    )
    found: dict[str, Any] = {}
    problems: list[str] = []
    for key, read in reads:
        try:
            value = read()
        except (CognitoError, TransportError) as exc:
            problems.append(f"{key}: {exc}")
            if isinstance(exc, TransportError):
                break  # no answer at all: the next reads would wait as long
            continue
        if value is not None:
            found[key] = value.get("ResourceServers", []) if key == "servers" else value
    return found, problems


def render(report: dict[str, Any]) -> str:
    """The report as the TUI's pre-flight panel says it, in plain text."""
    lines = [f"Pre-flight for {report['flow']}"]
    lines += [f"  · could not read {p}" for p in report["problems"]]
    lines += [f"  {fact['label']}: {fact['value']}" for fact in report["facts"]]
    for warning in report["warnings"]:
        lines.append(f"  {'✗' if warning['blocking'] else '⚠'} {warning['text']}")
    for finding in report["oauth"]:
        failing = f"would fail with {finding['error']}: " if finding["error"] else ""
        lines.append(f"  {'✗' if finding['error'] else '✓'} {finding['request']}: {failing}{finding['text']}")
    if report["unreadable"]:
        lines.append("✗ nothing could be read: check the credentials (AWS profile), the endpoint and the pool id")
    elif report["blocking"]:
        lines.append("✗ something stands in the way (see ✗ above)")
    else:
        lines.append("✓ nothing stands in the way")
    return "\n".join(lines)
