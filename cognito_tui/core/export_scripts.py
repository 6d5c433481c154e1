"""The export plan as a bash script for the AWS CLI and as a boto3 script (see core/export.py)."""

from __future__ import annotations

import json
import shlex
from typing import Any

from cognito_tui.core.export import CLIENT_SECRET_ENV, Plan, PlanStep, Value

_BASH_HELPERS = r"""
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; s=${s//$'\n'/\\n}; s=${s//$'\t'/\\t}; printf '"%s"' "$s"; }
json_map() {  # json_map KEY VALUE ...: a JSON object of strings, escaped here, not by hand
  local out="{" sep=""
  while [ $# -gt 1 ]; do out+="$sep$(json_str "$1"):$(json_str "$2")"; sep=","; shift 2; done
  printf '%s}' "$out"
}
ask() {  # ask VAR LABEL: $VAR if it is set, else a line read from the terminal
  local name=$1 label=$2 value
  if [ -n "${!name:-}" ]; then printf '%s' "${!name}"; return; fi
  if ! { : </dev/tty; } 2>/dev/null; then
    echo "set $name ($label): there is no terminal to ask on" >&2; return 2
  fi
  printf '%s: ' "$label" >/dev/tty
  IFS= read -r value </dev/tty
  printf '%s' "$value"
}
expect_challenge() {  # expect_challenge WANTED GOT
  if [ "$1" != "$2" ]; then echo "expected the challenge $1, Cognito answered $2" >&2; exit 1; fi
}
"""

_BASH_SECRET_HASH = r"""
secret_hash() {  # Base64(HMAC-SHA256(key = client secret, message = username + client id))
  if command -v python3 >/dev/null; then  # the secret stays in the environment, out of argv
    python3 -c 'import base64,hashlib,hmac,os,sys; print(base64.b64encode(hmac.new(os.environ["COGNITO_CLIENT_SECRET"].encode(), (sys.argv[1] + sys.argv[2]).encode(), hashlib.sha256).digest()).decode())' "$1" "$CLIENT_ID"
  else
    printf '%s%s' "$1" "$CLIENT_ID" | openssl dgst -sha256 -hmac "$COGNITO_CLIENT_SECRET" -binary | openssl base64 -A
  fi
}
"""


def _header(plan: Plan, comment: str) -> list[str]:
    src = plan.source
    lines = [
        f"{comment} Exported by cognito-tui: the {src.auth_flow} sign-in of {src.username!r} on {src.user_pool_id}",
        f"{comment} ({len(plan.steps)} call(s); the recorded walk ended with: {src.outcome or 'unknown'}).",
        f"{comment} No secret is written here: they are read from the environment when it runs.",
    ]
    for name, what in plan.env.items():
        lines.append(f"{comment}   {name}: {what}")
    asks = [v for s in plan.steps for v in s.asks]
    if asks:
        lines.append(f"{comment} One-time codes: from these variables when set, else asked on the terminal:")
        lines += [f"{comment}   {v.text}: {v.label}" for v in asks]
    if any(s.operation.startswith("Admin") for s in plan.steps):
        lines.append(
            f"{comment} Admin* calls are signed: AWS credentials (a profile or AWS_ACCESS_KEY_ID...) are needed."
        )
    if plan.skipped:
        lines.append(f"{comment} Not exported (not part of the sign-in): {', '.join(plan.skipped)}")
    return lines


def _commented(block: list[str], step: PlanStep) -> list[str]:
    """A step after the script stopped: kept as a record, every physical line commented out."""
    if step.srp:
        return [f"{block[0]} (SRP too)"]
    return [f"# {line}" if line else "#" for line in "\n".join(block).splitlines()]


def _srp_note(step: PlanStep, plan: Plan, comment: str) -> list[str]:
    return [
        f"{comment} Step {step.number} ({step.operation}{' ' + step.challenge if step.challenge else ''}) uses SRP:",
        f"{comment} SRP_A and the password claim are big-number maths over the password that",
        f"{comment} this script cannot do. cognito-tui runs the whole walk, SRP included:",
        f"{comment}   {plan.source.login_command()}",
        f"{comment} (or sign in with USER_PASSWORD_AUTH where the app client allows it).",
    ]


# --- bash + AWS CLI ------------------------------------------------------------------------------


def bash_script(plan: Plan) -> str:
    src = plan.source
    lines = ["#!/usr/bin/env bash", *_header(plan, "#"), "set -euo pipefail", ""]
    lines.append(f"REGION={shlex.quote(src.effective_region)}")
    lines.append(f"CLIENT_ID={shlex.quote(src.client_id)}")
    aws = 'AWS=(aws cognito-idp --region "$REGION"'
    if src.endpoint_url:
        lines.append(f"ENDPOINT_URL={shlex.quote(src.endpoint_url)}")
        aws += ' --endpoint-url "$ENDPOINT_URL"'
    lines.append(aws + ")")
    for name, what in plan.env.items():
        message = shlex.quote(f"set {name} to {what}")
        lines.append(f'[ -n "${{{name}:-}}" ] || {{ echo {message} >&2; exit 2; }}')
    lines.append(_BASH_HELPERS.strip("\n"))
    if CLIENT_SECRET_ENV in plan.env:
        lines.append(_BASH_SECRET_HASH.strip("\n"))
    lines += _step_blocks(plan, _bash_step)
    return "\n".join(lines) + "\n"


def _step_blocks(plan, render) -> list[str]:
    """Each step's lines; after a step the CLI cannot replay (SRP), the rest kept as commented record."""
    lines: list[str] = []
    stopped = False
    for step in plan.steps:
        block = render(step, plan, last=step is plan.steps[-1])
        if stopped:
            block = _commented(block, step)
        lines += ["", *block]
        if step.srp and not stopped:
            stopped = True
            lines += ["# The steps after it need the Session that step returns; they are kept as a record."]
    return lines


def _bash_value(value: Value, step: PlanStep) -> str:
    if value.kind == "lit":
        return shlex.quote(value.text)
    if value.kind == "env":
        return f'"${value.text}"'
    if value.kind == "ask":
        return f'"${_local(value)}"'
    if value.kind == "hash":
        return f'"$HASH_{step.number}"'
    return '"$SESSION"'


def _local(value: Value) -> str:
    return value.text.removeprefix("COGNITO_")


def _bash_step(step: PlanStep, plan: Plan, last: bool) -> list[str]:
    title = f"# Step {step.number}: {step.operation}"
    if step.challenge:
        title += f" answering {step.challenge}"
    lines = [f"{title} -> {step.outcome}"]
    if step.srp:
        lines += _srp_note(step, plan, "#")
        lines += [f'echo "step {step.number} needs SRP; run: {plan.source.login_command()}" >&2', "exit 3"]
        return lines
    for value in step.asks:
        lines.append(f"{_local(value)}=$(ask {value.text} {shlex.quote(value.label)})")
    for param in step.params.values():
        if isinstance(param, dict) and any(isinstance(v, Value) and v.kind == "hash" for v in param.values()):
            user = next(v.text for v in param.values() if isinstance(v, Value) and v.kind == "hash")
            lines.append(f"HASH_{step.number}=$(secret_hash {shlex.quote(user)})")
            break
    args = [f'"${{AWS[@]}}" {_kebab(step.operation)}']
    for key, param in step.params.items():
        args.append(f"--{_kebab(key)}={_bash_param(param, step)}")  # '=': a Session may start with '-'
    outcome = step.outcome
    if step.operation == "AssociateSoftwareToken":
        args.append("--query '[SecretCode,Session]' --output text")
        lines.append("OUT=$(" + " \\\n    ".join(args) + ")")
        lines.append('read -r SECRET_CODE SESSION <<<"$OUT"')
        lines.append('echo "Add this secret to an authenticator app: $SECRET_CODE" >&2')
    elif step.operation == "VerifySoftwareToken":
        args.append("--query Session --output text")
        lines.append("SESSION=$(" + " \\\n    ".join(args) + ")")
    elif outcome == "tokens" or (last and not outcome.isupper()):
        if outcome != "tokens":
            lines.append(f"# In the recorded walk Cognito refused this call: {outcome}")
        args.append("--query AuthenticationResult --output json")
        lines.append(" \\\n    ".join(args))
    else:
        args.append("--query '[ChallengeName,Session]' --output text")
        lines.append("OUT=$(" + " \\\n    ".join(args) + ")  # a refusal stops here (set -e)")
        lines.append('read -r CHALLENGE SESSION <<<"$OUT"')
        if outcome.isupper():
            lines.append(f'expect_challenge {outcome} "$CHALLENGE"')
        else:
            lines.append(f"# In the recorded walk Cognito refused this call: {outcome}")
    return lines


def _bash_param(param: Any, step: PlanStep) -> str:
    if isinstance(param, Value):
        return _bash_value(param, step)
    if isinstance(param, dict) and all(isinstance(v, Value) for v in param.values()):
        pairs = " ".join(f"{shlex.quote(k)} {_bash_value(v, step)}" for k, v in param.items())
        return f'"$(json_map {pairs})"'
    return shlex.quote(json.dumps(param, separators=(",", ":")))


def _kebab(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


# --- boto3 ---------------------------------------------------------------------------------------

_PY_HELPERS = '''
def env(name: str, what: str) -> str:
    value = os.environ.get(name)
    if not value:
        sys.exit(f"set {name} to {what}")
    return value


def ask(name: str, label: str) -> str:
    """The variable when set, else a line typed on the terminal."""
    value = os.environ.get(name)
    if value:
        return value
    if not sys.stdin.isatty():
        sys.exit(f"set {name} ({label}): there is no terminal to ask on")
    return input(f"{label}: ")


def secret_hash(username: str) -> str:
    """Base64(HMAC-SHA256(key = client secret, message = username + client id))."""
    key = env("COGNITO_CLIENT_SECRET", "the app client's secret").encode()
    return base64.b64encode(hmac.new(key, (username + CLIENT_ID).encode(), hashlib.sha256).digest()).decode()


def expect_challenge(response: dict, wanted: str) -> str:
    got = response.get("ChallengeName")
    if got != wanted:
        sys.exit(f"expected the challenge {wanted}, Cognito answered {got or 'tokens'}")
    return response.get("Session")
'''


def boto3_script(plan: Plan) -> str:
    src = plan.source
    lines = ["#!/usr/bin/env python3", *_header(plan, "#")]
    lines += [
        "import base64",
        "import hashlib",
        "import hmac",
        "import json",
        "import os",
        "import sys",
        "",
        "import boto3",
    ]
    lines += ["", f"REGION = {src.effective_region!r}", f"CLIENT_ID = {src.client_id!r}"]
    lines.append(f"ENDPOINT_URL = {src.endpoint_url!r}")
    lines += [_PY_HELPERS.rstrip("\n"), "", ""]
    lines.append('client = boto3.client("cognito-idp", region_name=REGION, endpoint_url=ENDPOINT_URL)')
    lines.append("session = None")
    lines += _step_blocks(plan, _py_step)
    return "\n".join(lines) + "\n"


def _py_value(value: Value) -> str:
    if value.kind == "lit":
        return repr(value.text)
    if value.kind == "env":
        return f"env({value.text!r}, {value.label!r})"
    if value.kind == "ask":
        return f"ask({value.text!r}, {value.label!r})"
    if value.kind == "hash":
        return f"secret_hash({value.text!r})"
    return "session"


def _py_param(param: Any) -> str:
    if isinstance(param, Value):
        return _py_value(param)
    if isinstance(param, dict) and all(isinstance(v, Value) for v in param.values()):
        return "{" + ", ".join(f"{k!r}: {_py_value(v)}" for k, v in param.items()) + "}"
    return repr(param)


def _py_step(step: PlanStep, plan: Plan, last: bool) -> list[str]:
    title = f"# Step {step.number}: {step.operation}"
    if step.challenge:
        title += f" answering {step.challenge}"
    lines = [f"{title} -> {step.outcome}"]
    if step.srp:
        lines += _srp_note(step, plan, "#")
        lines.append(f"sys.exit({f'step {step.number} needs SRP; run: {plan.source.login_command()}'!r})")
        return lines
    method = _kebab(step.operation).replace("-", "_")
    args = ", ".join(f"{k}={_py_param(v)}" for k, v in step.params.items())
    lines.append(f"response = client.{method}({args})")
    outcome = step.outcome
    if step.operation == "AssociateSoftwareToken":
        lines.append('print("Add this secret to an authenticator app:", response["SecretCode"], file=sys.stderr)')
        lines.append('session = response["Session"]')
    elif step.operation == "VerifySoftwareToken":
        lines.append('session = response["Session"]')
    elif outcome == "tokens" or (last and not outcome.isupper()):
        if outcome != "tokens":
            lines.append(f"# In the recorded walk Cognito refused this call: {outcome}")
        lines.append('print(json.dumps(response["AuthenticationResult"], indent=2))')
    elif outcome.isupper():
        lines.append(f"session = expect_challenge(response, {outcome!r})")
    else:
        lines.append(f"# In the recorded walk Cognito refused this call: {outcome}")
    return lines
