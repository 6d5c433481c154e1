"""A finished walk as something to hand on: an AWS CLI script, a boto3 script, a Markdown report.

Pure: it reads a walk's masked call records (`CallRecord.to_dict()`, the shape history keeps) and
writes text. Secrets are never in the input and never in the output: scripts read the password,
the client secret and one-time codes from the environment (or ask for them) at run time.

    source = source_from_walk(walk, region="us-east-1", endpoint_url=None)
    text = render("cli", source)          # or "boto3", "markdown"
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from cognito_tui.core.challenges import spec_for
from cognito_tui.core.flows import region_of

KINDS = ("cli", "boto3", "markdown")
PASSWORD_ENV = "COGNITO_PASSWORD"
CLIENT_SECRET_ENV = "COGNITO_CLIENT_SECRET"
NEW_PASSWORD_ENV = "COGNITO_NEW_PASSWORD"
REFRESH_TOKEN_ENV = "COGNITO_REFRESH_TOKEN"
SRP_CHALLENGES = frozenset({"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"})
SRP_KEYS = frozenset({"SRP_A", "SRP_B", "SALT", "SECRET_BLOCK", "PASSWORD_CLAIM_SECRET_BLOCK"})
CHOICE_CHALLENGES = frozenset({"SELECT_MFA_TYPE", "SELECT_CHALLENGE", "MFA_SETUP"})
WALK_OPERATIONS = frozenset(
    {
        "InitiateAuth",
        "AdminInitiateAuth",
        "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
    }
)


@dataclass(frozen=True)
class ExportSource:
    """What an export needs to know about a walk: where it ran, who, and its masked calls."""

    user_pool_id: str
    client_id: str
    auth_flow: str
    username: str
    calls: list[dict[str, Any]]
    region: str | None = None
    endpoint_url: str | None = None
    has_client_secret: bool = False
    api: str | None = None
    outcome: str = ""
    explanation: str = ""  # the failure's explanation, when the walk ended refused
    config: dict[str, Any] = field(default_factory=dict)  # pool/client settings that mattered

    @property
    def effective_region(self) -> str:
        return self.region or region_of(self.user_pool_id) or "us-east-1"

    def login_command(self) -> str:
        """The `cognito-tui login` line that runs this walk, SRP included."""
        parts = ["cognito-tui", "login", "--user-pool-id", self.user_pool_id, "--client-id", self.client_id]
        parts += ["--auth-flow", self.auth_flow, "--username", self.username]
        if self.api == "admin":
            parts.append("--admin")
        if self.region and self.region != region_of(self.user_pool_id):
            parts += ["--region", self.region]
        if self.endpoint_url:
            parts += ["--endpoint-url", self.endpoint_url]
        return " ".join(shlex.quote(p) for p in parts)


def source_from_walk(
    walk: Any, *, region: str | None = None, endpoint_url: str | None = None, config: dict[str, Any] | None = None
) -> ExportSource:
    """An ExportSource from a live `Walk` (its request, masked transcript and last step)."""
    req = walk.request
    current = walk.current
    explanation = getattr(current, "explanation", None)
    return ExportSource(
        user_pool_id=req.user_pool_id,
        client_id=req.client_id,
        auth_flow=req.auth_flow,
        username=req.username,
        calls=walk.transcript.to_list(),
        region=region,
        endpoint_url=endpoint_url,
        has_client_secret=bool(req.client_secret),
        api=req.effective_api.value,
        outcome=walk_outcome(current),
        explanation=explanation.text() if explanation is not None else "",
        config=dict(config or {}),
    )


def source_from_run(run: dict[str, Any]) -> ExportSource:
    """An ExportSource from a history run (`store.history.load_run`)."""
    meta = run.get("meta") or {}
    return ExportSource(
        user_pool_id=str(meta.get("pool", "")),
        client_id=str(meta.get("client", "")),
        auth_flow=str(meta.get("flow", "")),
        username=str(meta.get("username", "")),
        calls=list(run.get("calls") or []),
        region=meta.get("region"),
        endpoint_url=meta.get("endpoint_url"),
        has_client_secret=bool(meta.get("has_client_secret")),
        api=meta.get("api"),
        outcome=str(run.get("outcome", "")),
        explanation=str(meta.get("explanation", "")),
    )


def walk_outcome(step: Any) -> str:
    if step is None:
        return "not started"
    if hasattr(step, "result"):
        return "tokens"
    if hasattr(step, "code"):
        return str(step.code)
    return f"waiting at {step.name}"


# --- the plan: each call as values a script can rebuild ------------------------------------------


@dataclass(frozen=True)
class Value:
    """One parameter value in a script: a literal, or something the script finds at run time."""

    kind: str  # "lit" | "env" (required variable) | "ask" (variable or prompt) | "hash" | "session"
    text: str = ""  # lit: the value; env/ask: the variable; hash: the username
    label: str = ""  # what it is, for the prompt or the error when it is missing
    secret: bool = False


@dataclass
class PlanStep:
    number: int
    operation: str
    challenge: str | None  # the ChallengeName answered (RespondToAuthChallenge)
    outcome: str  # what Cognito answered in the recorded walk: a challenge, "tokens", "ok", or an error code
    params: dict[str, Any] = field(default_factory=dict)  # str -> Value | dict[str, Value] | literal JSON
    srp: bool = False  # the AWS CLI / a plain boto3 call cannot compute this step
    asks: list[Value] = field(default_factory=list)  # values read just before the call


@dataclass
class Plan:
    source: ExportSource
    steps: list[PlanStep]
    env: dict[str, str]  # required variables -> what they hold
    skipped: list[str]  # calls that are not part of the sign-in (token actions)

    @property
    def has_srp(self) -> bool:
        return any(s.srp for s in self.steps)


def plan(source: ExportSource) -> Plan:
    """The walk's calls, with every secret replaced by where a script reads it."""
    steps: list[PlanStep] = []
    env: dict[str, str] = {}
    skipped: list[str] = []
    used: dict[str, int] = {}
    for call in source.calls:
        op = str(call.get("operation", ""))
        if op not in WALK_OPERATIONS:
            skipped.append(op)
            continue
        request = dict(call.get("request") or {})
        step = PlanStep(len(steps) + 1, op, request.get("ChallengeName"), str(call.get("outcome", "")))
        for key, value in request.items():
            if key == "Session":
                step.params[key] = Value("session")
            elif key in ("AuthParameters", "ChallengeResponses"):
                step.params[key] = _map_values(step, value, call.get("hash_username"), env, used)
            elif key == "UserCode":
                step.params[key] = _ask(step, "USER_CODE", "the authenticator app's code", used)
            else:
                step.params[key] = value if isinstance(value, (dict, list)) else Value("lit", str(value))
        if step.challenge in SRP_CHALLENGES:
            step.srp = True
        steps.append(step)
    if source.has_client_secret and any(_uses_hash(s) for s in steps):
        env[CLIENT_SECRET_ENV] = "the app client's secret (for SECRET_HASH)"
    return Plan(source, steps, env, skipped)


def _uses_hash(step: PlanStep) -> bool:
    return any(isinstance(v, dict) and any(x.kind == "hash" for x in v.values()) for v in step.params.values())


def _map_values(step: PlanStep, data: Any, hash_user: Any, env: dict[str, str], used: dict[str, int]) -> dict:
    out: dict[str, Value] = {}
    for key, raw in dict(data or {}).items():
        text = str(raw)
        if key in SRP_KEYS or key in ("PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"):
            step.srp = True
            out[key] = Value("lit", text)
        elif key == "SECRET_HASH":
            out[key] = Value("hash", str(hash_user or ""))
        elif key == "PASSWORD":
            env[PASSWORD_ENV] = "the user's password"
            out[key] = Value("env", PASSWORD_ENV, "the user's password", secret=True)
        elif key == "NEW_PASSWORD":
            env[NEW_PASSWORD_ENV] = "the new password to set"
            out[key] = Value("env", NEW_PASSWORD_ENV, "the new password", secret=True)
        elif key == "REFRESH_TOKEN":
            env[REFRESH_TOKEN_ENV] = "the refresh token"
            out[key] = Value("env", REFRESH_TOKEN_ENV, "the refresh token", secret=True)
        elif key.endswith("_CODE") or key == "CREDENTIAL" or (key == "ANSWER" and step.challenge == "CUSTOM_CHALLENGE"):
            out[key] = _ask(step, key, _label(step.challenge, key), used)
        else:
            out[key] = Value("lit", text)
    return out


def _ask(step: PlanStep, key: str, label: str, used: dict[str, int]) -> Value:
    used[key] = used.get(key, 0) + 1
    name = f"COGNITO_{key}" + (f"_{used[key]}" if used[key] > 1 else "")
    value = Value("ask", name, label)
    step.asks.append(value)
    return value


def _label(challenge: str | None, key: str) -> str:
    if challenge:
        for f in spec_for(challenge).fields:
            if f.response_key == key:
                return f"{f.label} ({challenge})"
    return key


CLIENT_SETTINGS = ("ExplicitAuthFlows", "PreventUserExistenceErrors", "AuthSessionValidity", "EnableTokenRevocation")
POOL_SETTINGS = ("MfaConfiguration", "UsernameAttributes", "AliasAttributes", "AutoVerifiedAttributes")


def described_config(transport: Any, pool_id: str, client_id: str) -> dict[str, Any]:
    """The pool and client settings that decide a sign-in, when the transport's credentials allow reading them."""
    from cognito_tui.core.errors import CognitoError, TransportError

    out: dict[str, Any] = {}
    if transport is None or not transport.has_credentials():
        return out
    try:
        client = transport.call("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": client_id})
        described = client.get("UserPoolClient", {})
        out.update({k: described[k] for k in CLIENT_SETTINGS if k in described})  # never ClientSecret
        pool = transport.call("DescribeUserPool", {"UserPoolId": pool_id}).get("UserPool", {})
        out.update({k: pool[k] for k in POOL_SETTINGS if pool.get(k)})
    except (CognitoError, TransportError):
        pass  # no permission or no network: the report says what the walk itself showed
    return out


def write_walk(
    walk: Any,
    kind: str,
    target: Any,
    transport: Any = None,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
) -> None:
    """Write a live walk's export to `target` (a Path): `login --export` and the TUI both come here.

    Where the calls went (Region, endpoint) is the transport's; the Markdown report also reads the
    pool and client settings through it. Raises OSError when the file cannot be written.
    """
    region = region or getattr(transport, "region", None)
    endpoint = endpoint_url or getattr(getattr(transport, "config", None), "endpoint_url", None)
    config = (
        described_config(transport, walk.request.user_pool_id, walk.request.client_id) if kind == "markdown" else {}
    )
    text = render(kind, source_from_walk(walk, region=region, endpoint_url=endpoint, config=config))
    target.write_text(text, encoding="utf-8")
    if kind in ("cli", "boto3"):
        target.chmod(0o755)


def render(kind: str, source: ExportSource) -> str:
    """The export of one kind ("cli", "boto3" or "markdown") as text."""
    from cognito_tui.core import export_scripts

    if kind == "cli":
        return export_scripts.bash_script(plan(source))
    if kind == "boto3":
        return export_scripts.boto3_script(plan(source))
    if kind == "markdown":
        return markdown(source)
    raise ValueError(f"unknown export kind {kind!r}; one of {', '.join(KINDS)}")


# --- the Markdown report -------------------------------------------------------------------------

_CODE_KEYS_MASK = "******"


def redact_for_report(data: Any) -> Any:
    """Beyond the history masking: one-time codes hidden too, SRP numbers shortened."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if isinstance(value, str) and (key.endswith("_CODE") or key in ("UserCode", "USER_CODE", "CREDENTIAL")):
                out[key] = _CODE_KEYS_MASK
            elif isinstance(value, str) and key in SRP_KEYS and len(value) > 16:
                out[key] = f"{value[:8]}…[{len(value)} chars]"
            else:
                out[key] = redact_for_report(value)
        return out
    if isinstance(data, list):
        return [redact_for_report(v) for v in data]
    return data


def markdown(source: ExportSource) -> str:
    """A redacted transcript for a bug report: configuration, each step with its explanation."""
    lines = [
        f"# Cognito sign-in: {source.auth_flow} for `{source.username}`",
        "",
        f"Outcome: **{source.outcome or 'unknown'}** after {len(source.calls)} call(s). "
        "Secrets are masked; one-time codes are hidden.",
        "",
        "## Configuration",
        "",
        "| Setting | Value |",
        "|---|---|",
        f"| User pool | `{source.user_pool_id}` |",
        f"| Region | `{source.effective_region}` |",
        f"| App client | `{source.client_id}` |",
        f"| Client secret | {'yes (SECRET_HASH sent)' if source.has_client_secret else 'no'} |",
        f"| Auth flow | `{source.auth_flow}` |",
        f"| API | {source.api or 'the flow default'} |",
    ]
    if source.endpoint_url:
        lines.append(f"| Endpoint | `{source.endpoint_url}` |")
    for key, value in source.config.items():
        lines.append(f"| {key} | `{_inline(value)}` |")
    lines += ["", "## Steps", ""]
    for number, call in enumerate(source.calls, 1):
        lines += _markdown_step(number, call)
    if source.explanation:
        lines += ["## Why it stopped", "", *(f"> {line}" if line else ">" for line in source.explanation.splitlines())]
        lines.append("")
    lines += ["## Reproduce", "", "```sh", source.login_command(), "```", ""]
    return "\n".join(lines)


def _markdown_step(number: int, call: dict[str, Any]) -> list[str]:
    request = call.get("request") or {}
    answered = request.get("ChallengeName")
    head = f"### {number}. {call.get('operation')}"
    if answered:
        head += f" ({answered})"
    head += f" → {call.get('outcome')}"
    if call.get("duration_ms") is not None:
        head += f" · {call['duration_ms']} ms"
    lines = [head, ""]
    if call.get("hash_username"):
        lines += [f"SECRET_HASH computed with the username `{call['hash_username']}`.", ""]
    if call.get("session_age") is not None:
        lines += [f"Session sent {call['session_age']} s after it was received.", ""]
    outcome = str(call.get("outcome", ""))
    if outcome.isupper():  # a challenge name: say what Cognito is asking for
        spec = spec_for(outcome)
        lines += [f"**{spec.title}.** {spec.explanation}", ""]
    lines += ["Request:", "", "```json", json.dumps(redact_for_report(request), indent=2), "```", ""]
    response = call.get("response")
    if response is not None:
        lines += ["Response:", "", "```json", json.dumps(redact_for_report(response), indent=2), "```", ""]
    return lines


def _inline(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
