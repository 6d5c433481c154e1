"""`cognito-tui login`: the sign-in walk in a plain terminal, for scripts and CI.

Progress goes to stderr, one line per call; `--json` prints exactly one JSON object on stdout.
Exit codes: 0 signed in, 1 Cognito refused, 2 usage or bad input, 3 an answer was needed and no
input was available.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import json
import sys
from typing import Any

from cognito_tui.cli import Exit

SKELETON = {
    "UserPoolId": "",
    "ClientId": "",
    "AuthFlow": "USER_SRP_AUTH",
    "AuthParameters": {"USERNAME": ""},
    "ClientMetadata": {"KeyName": ""},
    "AnalyticsMetadata": {"AnalyticsEndpointId": ""},
    "ContextData": {
        "IpAddress": "",
        "ServerName": "",
        "ServerPath": "",
        "HttpHeaders": [{"headerName": "", "headerValue": ""}],
        "EncodedData": "",
    },
}


class UsageError(Exception):
    """Bad flags or input: exit 2 with this message."""


class NoInput(Exception):
    """An answer was needed and stdin had none: exit 3."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", help="a saved profile (its fields are the defaults; flags override)")
    p.add_argument("--user-pool-id")
    p.add_argument("--client-id")
    p.add_argument(
        "--auth-flow",
        help="USER_SRP_AUTH (default), USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, ADMIN_NO_SRP_AUTH, CUSTOM_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, USER_AUTH",
    )
    p.add_argument("--username")
    p.add_argument("--region", help="default: the user pool id's prefix")
    p.add_argument("--endpoint-url", help="e.g. the sandbox's http://127.0.0.1:PORT")
    p.add_argument("--aws-profile", help="AWS credentials profile (admin and discovery calls)")
    api = p.add_mutually_exclusive_group()
    api.add_argument(
        "--public", dest="api", action="store_const", const="public", help="InitiateAuth / RespondToAuthChallenge"
    )
    api.add_argument(
        "--admin",
        dest="api",
        action="store_const",
        const="admin",
        help="AdminInitiateAuth / AdminRespondToAuthChallenge",
    )
    p.add_argument("--preferred-challenge", help="USER_AUTH: PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP or WEB_AUTHN")
    p.add_argument("--custom-srp", action="store_true", help="CUSTOM_AUTH: start with an SRP password check")
    p.add_argument("--client-metadata", action="append", default=[], metavar="KEY=VALUE", help="repeatable")
    p.add_argument("--analytics-endpoint-id")
    p.add_argument(
        "--context-data",
        metavar="DATA",
        help="admin API ContextData: JSON in the AWS CLI shape, or ip=IP,server=NAME,path=PATH[,header=Name:Value...]",
    )
    p.add_argument("--cli-input-json", metavar="FILE", help="read the request from a file in the AWS CLI's JSON shape")
    p.add_argument("--generate-cli-skeleton", action="store_true", help="print a --cli-input-json skeleton and exit")
    p.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="pre-fill a challenge answer, e.g. SOFTWARE_TOKEN_MFA_CODE=123456 (repeatable)",
    )
    p.add_argument(
        "--client-secret-stdin", action="store_true", help="read the client secret from the first line of stdin"
    )
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="read timeout per call in seconds, retries included (default 30; connect timeout 5)",
    )


def run(args: argparse.Namespace) -> int:
    if args.generate_cli_skeleton:
        print(json.dumps(SKELETON, indent=4))
        return Exit.OK
    from cognito_tui.core.validate import InvalidInput

    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if callable(reconfigure):
        reconfigure(errors="strict")  # answers that are not UTF-8 are refused, not mangled
    try:
        return _run(args)
    except InvalidInput as exc:  # a flag, file or stdin value checked at the edge (core/validate.py)
        print(f"cognito-tui login: {exc.text()}", file=sys.stderr)
        return Exit.USAGE
    except UnicodeDecodeError as exc:
        print(f"cognito-tui login: stdin is not UTF-8 text ({exc.reason} at byte {exc.start})", file=sys.stderr)
        return Exit.USAGE
    except UsageError as exc:
        print(f"cognito-tui login: {exc}", file=sys.stderr)
        return Exit.USAGE
    except NoInput as exc:
        print(f"cognito-tui login: {exc}", file=sys.stderr)
        return Exit.NEEDS_INPUT


class Prompter:
    """Answers from a terminal (hidden where secret), or one line per prompt from piped stdin."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdin
        self.interactive = self.stream.isatty()

    def ask(self, label: str, secret: bool = False) -> str:
        if self.interactive:
            if secret:
                return getpass.getpass(f"{label}: ", stream=sys.stderr)
            print(f"{label}: ", end="", file=sys.stderr, flush=True)
            line = self.stream.readline()
        else:
            line = self.stream.readline()
        if not line and not self.interactive:
            raise NoInput(f"an answer was needed ({label}) and no input was available on stdin")
        return line.rstrip("\r\n")


def _pairs(items: list[str], what: str) -> dict[str, str]:
    from cognito_tui.core.inputs import InputError, parse_pairs

    try:
        return parse_pairs(items, what)
    except InputError as exc:
        raise UsageError(str(exc)) from exc


def _context(text: str) -> dict[str, Any]:
    from cognito_tui.core.inputs import InputError, parse_context_data

    try:
        return parse_context_data(text)
    except InputError as exc:
        raise UsageError(f"--{exc}") from exc


def _run(args: argparse.Namespace) -> int:
    from cognito_tui.core.flows import FLOWS, Api, region_of
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.walk import AuthRequest, DeviceSecrets

    fields: dict[str, Any] = {}
    stored: dict[str, Secret] = {}
    if args.profile:
        fields, stored = _profile_fields(args)
    if args.cli_input_json:
        fields.update(_cli_input_fields(args.cli_input_json, stored))
    for name in (
        "user_pool_id",
        "client_id",
        "auth_flow",
        "username",
        "region",
        "endpoint_url",
        "aws_profile",
        "api",
        "analytics_endpoint_id",
    ):
        value = getattr(args, name)
        if value:
            fields[name] = value
    metadata = dict(fields.get("client_metadata") or {})
    metadata.update(_pairs(args.client_metadata, "--client-metadata"))
    context = _context(args.context_data) if args.context_data else fields.get("context_data")
    answers = _pairs(args.answer, "--answer")

    flow = fields.get("auth_flow") or "USER_SRP_AUTH"
    if flow not in FLOWS:
        raise UsageError(f"unknown --auth-flow {flow!r}; one of {', '.join(FLOWS)}")
    pool = fields.get("user_pool_id") or ""
    client_id = fields.get("client_id") or ""
    if not pool or not client_id:
        raise UsageError("give --user-pool-id and --client-id (or --profile / --cli-input-json)")
    region = fields.get("region") or region_of(pool)
    if not region:
        raise UsageError(f"--user-pool-id {pool!r}: a user pool id looks like <region>_<id>, e.g. us-east-1_AbCdEf123")
    api = Api(fields["api"]) if fields.get("api") else None
    from cognito_tui.core import validate

    validate.check_target(pool, client_id, region, fields.get("endpoint_url"), args.timeout)

    prompter = Prompter()
    client_secret = stored.get("client_secret")
    if args.client_secret_stdin:
        line = validate.read_secret_line(sys.stdin, "--client-secret-stdin")
        if not line:
            raise NoInput("--client-secret-stdin: stdin had no line for the client secret")
        client_secret = Secret(line)

    from cognito_tui.aws.gateway import Gateway, GatewayConfig
    from cognito_tui.core.errors import TransportError

    try:
        gateway = Gateway(
            GatewayConfig(
                region=region,
                endpoint_url=fields.get("endpoint_url"),
                aws_profile=fields.get("aws_profile"),
                read_timeout=args.timeout,
            ),
            user_pool_id=pool,
            on_retry=_retry_line,
        )
    except TransportError as exc:
        raise UsageError(f"{exc.message}. {exc.hint}".strip()) from exc
    spec = FLOWS[flow]
    username = fields.get("username") or ""
    refresh = stored.get("refresh_token")
    if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        if refresh is None:
            refresh = Secret(answers.pop("REFRESH_TOKEN", None) or prompter.ask("Refresh token", secret=True))
    elif not username:
        username = prompter.ask("Username")
    password = stored.get("password")
    needs_password = spec.needs_password or args.custom_srp or args.preferred_challenge in ("PASSWORD", "PASSWORD_SRP")
    if password is None and "PASSWORD" in answers:
        password = Secret(answers.pop("PASSWORD"))
    if password is None and needs_password:
        password = Secret(prompter.ask("Password", secret=True))
    device = None
    if all(k in stored for k in ("device_key", "device_group_key", "device_password")):
        device = DeviceSecrets(str(stored["device_key"]), str(stored["device_group_key"]), stored["device_password"])

    request = AuthRequest(
        user_pool_id=pool,
        client_id=client_id,
        auth_flow=flow,
        username=username,
        password=password,
        client_secret=client_secret,
        api=api,
        preferred_challenge=args.preferred_challenge,
        custom_with_srp=args.custom_srp,
        refresh_token=refresh,
        device=device,
        client_metadata=metadata,
        analytics_endpoint_id=fields.get("analytics_endpoint_id"),
        context_data=context if (api or spec.default_api) is Api.ADMIN else None,
    )
    problems = request.problems()
    if problems:
        raise UsageError("; ".join(problems))
    return _walk(gateway, request, prompter, answers, args.json)


def _walk(gateway, request, prompter: Prompter, answers: dict[str, str], as_json: bool) -> int:
    from cognito_tui.core.walk import AnswerError, Challenge, Failed, SignedIn, Walk

    walk = Walk(gateway, request)
    walk.transcript.listeners.append(_progress)
    step = walk.start()
    secret = _secret_if_asked(gateway, request, step)  # the DescribeUserPoolClient step, only when needed
    if secret is not None:
        walk = Walk(gateway, dataclasses.replace(request, client_secret=secret))
        walk.transcript.listeners.append(_progress)
        step = walk.start()
    while isinstance(step, Challenge):
        values = _collect(step, prompter, answers)
        try:
            step = walk.answer(values)
        except AnswerError as exc:
            raise UsageError(f"{step.name}: {exc}") from exc
    steps = [
        {"operation": r.operation, "challenge": r.challenge, "duration_ms": round(r.duration_ms, 1)}
        for r in walk.transcript.records
    ]
    if isinstance(step, SignedIn):
        if as_json:
            print(json.dumps({"steps": steps, "authentication_result": step.result, "claims": step.claims}))
        else:
            _print_signed_in(step)
        return Exit.OK
    assert isinstance(step, Failed)
    expl = step.explanation
    if as_json:
        print(
            json.dumps(
                {"steps": steps, "error": {"code": step.code, "message": step.message, "explanation": expl.text()}}
            )
        )
    print(f"refused: {step.code}: {step.message}\n{expl.text()}", file=sys.stderr)
    from cognito_tui.core.errors import TransportError

    return Exit.USAGE if isinstance(step.error, TransportError) else Exit.REFUSED


def _collect(step, prompter: Prompter, answers: dict[str, str]) -> dict[str, str]:
    """Values for the challenge's fields: --answer first, then the terminal or stdin."""
    print(f"challenge {step.name}{' (' + step.phase + ')' if step.phase else ''}: {step.spec.title}", file=sys.stderr)
    shown = {k: v for k, v in step.parameters.items() if k not in ("SRP_B", "SALT", "SECRET_BLOCK", "userAttributes")}
    if shown:
        print(f"  parameters: {json.dumps(shown)}", file=sys.stderr)
    if step.available_challenges:
        print(f"  available: {', '.join(step.available_challenges)}", file=sys.stderr)
    if step.extra.get("secret_code"):
        print(f"  authenticator secret: {step.extra['secret_code'].value}", file=sys.stderr)
        print(f"  {step.extra['otpauth_uri'].value}", file=sys.stderr)
    values: dict[str, str] = {}
    for f in step.spec.fields_for(step.parameters):
        if f.when is not None and not f.when.holds(values):
            continue
        key = f.name if f.name in answers else (f.response_key if f.response_key in answers else None)
        if key is not None:
            values[f.name] = answers.pop(key)
            continue
        if f.prefill == "password" and step.name != "NEW_PASSWORD_REQUIRED":
            continue  # the walk fills it from the sign-in password
        options = f.options(step.parameters, step.available_challenges)
        label = f.label + (f" [{'/'.join(options)}]" if options else "")
        if len(options) == 1 and f.kind == "choice":
            values[f.name] = options[0]
            continue
        value = prompter.ask(label, secret=f.secret)
        if value or f.required:
            values[f.name] = value
    return values


def _retry_line(operation: str, attempt: int, attempts: int, reason: str) -> None:
    print(f"  {operation}: {reason}; attempt {attempt} of {attempts}", file=sys.stderr, flush=True)


def _secret_if_asked(gateway, request, step):
    """The client secret from DescribeUserPoolClient, when Cognito refused for want of one and IAM allows."""
    from cognito_tui.aws.gateway import client_secret_needed, fetch_client_secret

    if request.client_secret is not None or not client_secret_needed(step.error if hasattr(step, "error") else None):
        return None
    if not gateway.can_sign():
        return None
    print("client secret: Cognito asks for SECRET_HASH; reading it with DescribeUserPoolClient", file=sys.stderr)
    secret, why = fetch_client_secret(gateway, request.user_pool_id, request.client_id)
    print("client secret: taken from DescribeUserPoolClient" if secret else f"client secret: {why}", file=sys.stderr)
    return secret


def _progress(record) -> None:
    outcome = record.outcome
    print(f"→ {record.operation:<28} {outcome:<26} {record.duration_ms:7.1f} ms", file=sys.stderr)


def _print_signed_in(step) -> None:
    from cognito_tui.core.tokens import human_time

    idc, acc = step.claims.get("id", {}), step.claims.get("access", {})
    who = acc.get("username") or idc.get("cognito:username")
    print(f"signed in as {who}")
    if "exp" in acc:
        print(f"access token expires {human_time(acc['exp'])}")
    for key in ("IdToken", "AccessToken"):
        if key in step.result:
            print(f"{key}: {step.result[key]}")
    if step.result.get("RefreshToken"):
        print("RefreshToken: (issued; use --json to print it)")


def _profile_fields(args):
    from cognito_tui.store.paths import profiles_path
    from cognito_tui.store.profiles import load_profiles
    from cognito_tui.store.secrets import SecretKind, SecretStoreError, open_secret_store

    path = profiles_path(args.config)
    loaded = load_profiles(path)
    for issue in loaded.issues:
        print(f"warning: {issue}", file=sys.stderr)
    profile = next((p for p in loaded.profiles if p.name == args.profile), None)
    if profile is None:
        names = ", ".join(p.name for p in loaded.profiles) or "none"
        raise UsageError(f"no profile {args.profile!r} in {path} (profiles: {names})")
    choice = open_secret_store()
    if choice.warning:
        print(f"warning: {choice.warning}", file=sys.stderr)
    stored = {}
    try:
        for kind in SecretKind:
            value = choice.store.get(profile.name, kind)
            if value:
                stored[kind.value] = value
    except SecretStoreError as exc:  # failing or hung after the start-up probe: carry on without stored secrets
        print(f"warning: {exc.text()}", file=sys.stderr)
    fields = _fields_of(profile)
    return fields, stored


def _cli_input_fields(path: str, stored: dict) -> dict[str, Any]:
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.validate import read_json_file
    from cognito_tui.store.cli_json import load_cli_input_json, profile_from_cli_input_json

    read_json_file(path)  # bounded in size and depth before the import reads it
    try:
        data = load_cli_input_json(path)
        profile, secrets = profile_from_cli_input_json(data, name="cli-input-json")
    except (OSError, ValueError) as exc:
        raise UsageError(str(exc)) from exc
    for kind, value in secrets.items():
        stored[str(getattr(kind, "value", kind))] = Secret(value)
    return _fields_of(profile)


def _fields_of(profile) -> dict[str, Any]:
    """A profile's non-empty fields, with context data in the AdminInitiateAuth ContextData shape."""
    from cognito_tui.store.cli_json import context_to_aws

    fields = {k: v for k, v in vars(profile).items() if v not in (None, "", {}) and k not in ("name", "context_data")}
    if profile.context_data is not None:
        fields["context_data"] = context_to_aws(profile.context_data, admin=True)[1]
    return fields
