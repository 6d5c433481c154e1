"""`cognito-tui login`: the sign-in walk in a plain terminal, for scripts and CI.

Progress goes to stderr, one line per call; `--json` prints exactly one JSON object on stdout.
Exit codes (status.Exit, listed in `login --help`): 0 signed in, 1 Cognito refused, 2 usage or bad
input, 3 an answer was needed and no input was available, 4 no usable answer from Cognito.
"""

from __future__ import annotations

import argparse
import gc
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from cognito_tui.commands import login_devices, login_extras, login_tokens
from cognito_tui.commands.login_inputs import NoInput, UsageError, cli_input_fields, profile_fields
from cognito_tui.status import EXIT_CODES_HELP, NOT_SENT, Exit

if TYPE_CHECKING:
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.request import RequestFields

# Flags that override a profile's field of the same name (argparse dest == RequestFields field).
FLAG_FIELDS = (
    "user_pool_id",
    "client_id",
    "auth_flow",
    "username",
    "region",
    "endpoint_url",
    "aws_profile",
    "api",
    "analytics_endpoint_id",
    "preferred_challenge",
)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = EXIT_CODES_HELP
    p.formatter_class = argparse.RawDescriptionHelpFormatter  # the epilog's lines kept as written
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
    p.add_argument(
        "--generate-cli-skeleton",
        nargs="?",
        const="input",
        choices=["input", "output"],
        help="print the AWS CLI's --cli-input-json skeleton (input, the default) or its sample output, and exit",
    )
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
    login_extras.add_arguments(p)  # --export KIND FILE, --no-history (issue 15)
    login_devices.add_arguments(p)  # --totp-from-keyring, --remember-device, --no-device (issue 14)
    login_tokens.add_arguments(p)  # --refresh, --export-tokens (issue 14)
    from cognito_tui.commands import login_oauth

    login_oauth.add_arguments(p)  # --oauth, --client-credentials and their flags


def run(args: argparse.Namespace) -> int:
    if args.oauth or args.client_credentials:
        from cognito_tui.commands import login_oauth

        return login_oauth.run(args)
    from cognito_tui import accel

    accel.enable()  # gmpy2 for the SRP maths when installed
    gc.set_threshold(100_000, 50, 1000)  # a short process: ~25% less CPU importing boto3 and building its client
    from cognito_tui.core.validate import InvalidInput

    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if callable(reconfigure):
        reconfigure(errors="strict")  # answers that are not UTF-8 are refused, not mangled
    try:
        if args.generate_cli_skeleton:
            from cognito_tui.store.cli_json import CliJsonError, generate_cli_skeleton

            try:
                sys.stdout.write(
                    generate_cli_skeleton(args.generate_cli_skeleton, public=args.api == "public", given=vars(args))
                )
            except CliJsonError as exc:
                raise UsageError(str(exc)) from exc
            return Exit.OK
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
    finally:
        # The process ends next: leave botocore's object graph out of the final collection (~45 ms).
        sys.stdout.flush()
        gc.freeze()


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


def _given(args: argparse.Namespace) -> tuple[RequestFields, dict[str, Secret]]:
    """The request fields and stored secrets from --profile, then --cli-input-json, then the flags."""
    from cognito_tui.core.request import RequestFields

    given, stored = RequestFields(), dict[str, "Secret"]()
    if args.profile:
        given, stored = profile_fields(args)
    if args.cli_input_json:
        given = given.merged(vars(cli_input_fields(args.cli_input_json, stored)))
    flags = {name: getattr(args, name) for name in FLAG_FIELDS}
    flags["custom_with_srp"] = args.custom_srp
    # As in the AWS CLI, a map given on the command line replaces the file's (or profile's) map.
    flags["client_metadata"] = _pairs(args.client_metadata, "--client-metadata")
    if args.context_data:
        flags["context_data"] = _context(args.context_data)
    return given.merged(flags), stored


def _run(args: argparse.Namespace) -> int:
    from cognito_tui.aws.targets import open_gateway
    from cognito_tui.core.errors import TransportError
    from cognito_tui.core.flows import FLOWS, REFRESH_FLOWS
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.request import build_sign_in

    problem = login_extras.check_arguments(args) or login_tokens.check_arguments(args)
    if problem:
        raise UsageError(str(problem))
    given, stored = _given(args)
    answers = _pairs(args.answer, "--answer")
    if given.auth_flow not in FLOWS:
        raise UsageError(f"unknown --auth-flow {given.auth_flow!r}; one of {', '.join(FLOWS)}")
    if not given.user_pool_id or not given.client_id:
        raise UsageError("give --user-pool-id and --client-id (or --profile / --cli-input-json)")
    if args.client_secret_stdin:
        from cognito_tui.core.validate import read_secret_line

        line = read_secret_line(sys.stdin, "--client-secret-stdin").strip()
        if not line:
            raise NoInput("--client-secret-stdin: stdin had no line for the client secret")
        given.client_secret = Secret(line)
    sign_in = build_sign_in(given, stored, read_timeout=args.timeout)
    if sign_in.target.region is None:
        raise UsageError(
            f"--user-pool-id {given.user_pool_id!r}: a user pool id looks like <region>_<id>, e.g. us-east-1_AbCdEf123"
        )
    from cognito_tui.core import validate

    target = sign_in.target
    validate.check_target(given.user_pool_id, given.client_id, target.region or "", target.endpoint_url, args.timeout)
    try:
        gateway = open_gateway(target, given.user_pool_id, on_retry=_retry_line)
    except TransportError as exc:
        raise UsageError(f"{exc.message}. {exc.hint}".strip()) from exc
    request = sign_in.request

    prompter = Prompter()
    if args.refresh:  # rotation found out, not configured (issue 14)
        return login_tokens.run_refresh(gateway, request, prompter, answers, args)
    if request.auth_flow in REFRESH_FLOWS:
        if request.refresh_token is None:
            request.refresh_token = Secret(
                answers.pop("REFRESH_TOKEN", None) or prompter.ask("Refresh token", secret=True)
            )
    elif not request.username:
        request.username = prompter.ask("Username")
    if request.password is None and "PASSWORD" in answers:
        request.password = Secret(answers.pop("PASSWORD"))
    if request.password is None and request.needs_password():
        request.password = Secret(prompter.ask("Password", secret=True))
    problems = request.problems()
    if problems:
        raise UsageError("; ".join(problems))
    request = login_devices.prepare(args, request)  # the device remembered for this profile and user
    return _walk(gateway, request, prompter, answers, args.json, args)


ATTEMPTS = 3  # in a terminal: tries per sign-in after a refusal the engine says can be recovered


def _walk(gateway, request, prompter: Prompter, answers: dict[str, str], as_json: bool, args=None) -> int:
    from cognito_tui.core.walk import Failed, Recovery, SignedIn, Walk

    walk = Walk(gateway, request)
    walk.transcript.listeners.append(_progress)
    records = walk.transcript.records
    typed: dict[str, str] = {}  # every value given, by field name, kept for a restart
    setup: dict[str, str] | None = {} if as_json else None  # with --json the MFA-setup seed goes here, not stderr
    step = walk.start()
    with_secret = _described_secret(gateway, request, step)
    if with_secret is not None:  # Cognito asked for SECRET_HASH: start again with the client's secret
        request = with_secret
        walk = Walk(gateway, request, transcript=walk.transcript)
        step = walk.start()
    for attempt in range(ATTEMPTS):
        step = _answer_all(walk, step, prompter, answers, typed, setup)
        if not (isinstance(step, Failed) and prompter.interactive and step.answered is not None):
            break
        if attempt == ATTEMPTS - 1:
            break
        print(f"refused: {step.code}: {step.message}\n{step.explanation.text()}", file=sys.stderr)
        if step.recovery is Recovery.RETRY:
            print("the same Session can be answered again: asking again", file=sys.stderr)
            step = walk.retry()
            continue
        refused = (
            {f.name for f in step.answered.spec.fields} if step.answered else set()
        )  # the answer itself; attributes typed are kept
        answers = {k: v for k, v in typed.items() if k not in refused and not _is_code(step, k)}
        print("this Session is spent: starting the sign-in again (answers so far kept)", file=sys.stderr)
        walk = Walk(gateway, request, transcript=walk.transcript)
        step = walk.start()

    def again(request):  # the sign-in once more, e.g. without a device Cognito does not know
        rerun = Walk(gateway, request, transcript=walk.transcript)
        return rerun, _answer_all(rerun, rerun.start(), prompter, answers, typed, setup)

    walk, step = login_devices.finish(walk, step, again)  # unknown device dropped; --remember-device
    login_extras.after_walk(walk, gateway, args)  # history and --export (issue 15)
    steps = [
        {"operation": r.operation, "challenge": r.challenge, "duration_ms": round(r.duration_ms, 1)} for r in records
    ]
    extra = {"mfa_setup": setup} if setup else {}
    if isinstance(step, SignedIn):
        if args is not None and login_tokens.export(step, request, gateway, args):
            return Exit.OK
        if as_json:
            print(json.dumps({"steps": steps, "authentication_result": step.result, "claims": step.claims, **extra}))
        else:
            _print_signed_in(step)
        return Exit.OK
    assert isinstance(step, Failed)
    expl = step.explanation
    if as_json:
        print(
            json.dumps(
                {
                    "steps": steps,
                    "error": {"code": step.code, "message": step.message, "explanation": expl.text()},
                    **extra,
                }
            )
        )
    print(f"refused: {step.code}: {step.message}\n{expl.text()}", file=sys.stderr)
    from cognito_tui.core.errors import TransportError

    if isinstance(step.error, TransportError):
        return Exit.USAGE if step.error.code in NOT_SENT else Exit.UNREACHABLE
    return Exit.REFUSED


def _retry_line(operation: str, attempt: int, attempts: int, reason: str) -> None:
    print(f"  {operation}: {reason}; attempt {attempt} of {attempts}", file=sys.stderr, flush=True)


def _described_secret(gateway, request, step):
    """The request with the secret from DescribeUserPoolClient, only once Cognito has asked for SECRET_HASH."""
    from dataclasses import replace

    from cognito_tui.aws.gateway import client_secret_needed, fetch_client_secret

    if request.client_secret is not None or not client_secret_needed(getattr(step, "error", None)):
        return None
    if not gateway.can_sign():
        return None
    print("client secret: Cognito asks for SECRET_HASH; reading it with DescribeUserPoolClient", file=sys.stderr)
    secret, why = fetch_client_secret(gateway, request.user_pool_id, request.client_id)
    print("client secret: taken from DescribeUserPoolClient" if secret else f"client secret: {why}", file=sys.stderr)
    return replace(request, client_secret=secret) if secret is not None else None


def _is_code(step, name: str) -> bool:
    """One-time codes are never reused on a restart: each Session gets its own."""
    from cognito_tui.core.challenges import FieldKind

    return any(f.name == name and f.kind is FieldKind.CODE for f in step.answered.fields)


def _answer_all(walk, step, prompter: Prompter, answers: dict[str, str], typed: dict[str, str], setup=None):
    """Answer challenges until tokens or a refusal; the engine checks every answer first."""
    from cognito_tui.core.walk import Challenge

    while isinstance(step, Challenge):
        values = _collect(walk, step, prompter, answers, setup)
        typed.update(values)
        problems = walk.check(values)
        if problems:
            raise UsageError(f"{step.name}: {'; '.join(problems)}")
        step = walk.answer(values)
    return step


def _collect(walk, step, prompter: Prompter, answers: dict[str, str], setup=None) -> dict[str, str]:
    """Values for the challenge's fields: --answer first, then the terminal or stdin.

    An MFA-setup seed is shown on stderr for a person to type into an authenticator; with --json
    (`setup` given) it goes into the JSON object's "mfa_setup" instead, never stderr.
    """
    from cognito_tui.core.challenges import FieldKind

    login_devices.fill(walk, step, answers)  # --totp-from-keyring: the code from the stored seed
    print(f"challenge {step.name}{' (' + step.phase + ')' if step.phase else ''}: {step.spec.title}", file=sys.stderr)
    shown = step.spec.shown_parameters(step.parameters)
    if shown:
        print(f"  parameters: {json.dumps(shown)}", file=sys.stderr)
    if step.available_challenges:
        print(f"  available: {', '.join(step.available_challenges)}", file=sys.stderr)
    if step.extra.get("secret_code") and setup is not None:
        setup.update(secret_code=step.extra["secret_code"].value, otpauth_uri=step.extra["otpauth_uri"].value)
        print(
            '  authenticator secret: not shown here with --json; it is in the JSON under "mfa_setup"', file=sys.stderr
        )
    elif step.extra.get("secret_code"):
        print(f"  authenticator secret: {step.extra['secret_code'].value}", file=sys.stderr)
        print(f"  {step.extra['otpauth_uri'].value}", file=sys.stderr)
    values: dict[str, str] = {}
    for f in step.fields:
        if f.when is not None and not f.when.holds(values):
            continue
        key = f.name if f.name in answers else (f.response_key if f.response_key in answers else None)
        if key is not None:
            values[f.name] = answers.pop(key)
            continue
        if walk.prefills(f):
            continue  # the walk fills it from the sign-in password
        options = f.options(step.parameters, step.available_challenges)
        label = f.label + (f" [{'/'.join(options)}]" if options else "")
        if len(options) == 1 and f.kind is FieldKind.CHOICE:
            values[f.name] = options[0]
            continue
        value = prompter.ask(label, secret=f.secret)
        if value or f.required:
            values[f.name] = value
    return values


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
