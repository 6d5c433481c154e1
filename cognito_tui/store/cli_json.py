"""Profiles from and to the JSON of `aws cognito-idp [admin-]initiate-auth --cli-input-json`.

Secrets found in the JSON (PASSWORD, REFRESH_TOKEN, DEVICE_KEY) are handed back separately, never
put in the profile; SECRET_HASH and SRP_A are worked out again at each sign-in, so they are dropped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cognito_tui.core.flows import FLOWS, REFRESH_FLOWS, Api, region_of
from cognito_tui.core.problem import Problem
from cognito_tui.core.srp import secret_hash
from cognito_tui.store.profiles import ContextData, Profile, profile_problems
from cognito_tui.store.secrets import SecretKind

ADMIN_KEYS = (
    "UserPoolId",
    "ClientId",
    "AuthFlow",
    "AuthParameters",
    "ClientMetadata",
    "AnalyticsMetadata",
    "ContextData",
    "Session",
)
PUBLIC_KEYS = (
    "AuthFlow",
    "AuthParameters",
    "ClientMetadata",
    "ClientId",
    "AnalyticsMetadata",
    "UserContextData",
    "Session",
)
SESSION_LENGTH = (20, 2048)  # the service model's bounds, which the AWS CLI checks before sending
ALL_KEYS = tuple(dict.fromkeys(ADMIN_KEYS + PUBLIC_KEYS))
SECRET_PARAMETERS = {
    "PASSWORD": SecretKind.PASSWORD,
    "REFRESH_TOKEN": SecretKind.REFRESH_TOKEN,
    "DEVICE_KEY": SecretKind.DEVICE_KEY,
}
DERIVED_PARAMETERS = ("SECRET_HASH", "SRP_A")  # recomputed at every sign-in
NOTED_PARAMETERS = ("PREFERRED_CHALLENGE", "CHALLENGE_NAME")  # kept in notes with their values
# Where each profile field comes from, to word validation errors in the JSON's terms.
JSON_NAMES = {
    "name": "the profile name",
    "user_pool_id": "UserPoolId",
    "client_id": "ClientId",
    "auth_flow": "AuthFlow",
    "username": "AuthParameters.USERNAME",
    "client_metadata": "ClientMetadata",
    "analytics_endpoint_id": "AnalyticsMetadata.AnalyticsEndpointId",
    "context_data": "ContextData",
    "region": "the Region of UserPoolId",
}


class CliJsonError(Problem, ValueError):
    """A --cli-input-json file or object that cannot be read or used; the message says where and why."""

    title = "Cannot use this --cli-input-json"
    next_step = "Compare it with `cognito-tui login --generate-cli-skeleton` (the AWS CLI's own shape)."


def load_cli_input_json(path: str | Path) -> dict[str, Any]:
    """The JSON object in a file (a leading file:// as on the AWS CLI is accepted)."""
    text_path = str(path)
    if text_path.startswith("file://"):
        text_path = text_path[len("file://") :]
    file = Path(text_path).expanduser()
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliJsonError(f"{file}: no such file") from None
    except UnicodeDecodeError:
        raise CliJsonError(f"{file}: not UTF-8 text, so not a --cli-input-json file") from None
    except OSError as e:
        raise CliJsonError(f"{file}: cannot read: {e.strerror or e}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise CliJsonError(f"{file}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    if not isinstance(data, dict):
        raise CliJsonError(f'{file}: must hold one JSON object ({{"ClientId": ...}}), not {type(data).__name__}')
    return data


def profile_from_cli_input_json(data: dict[str, Any], name: str) -> tuple[Profile, dict[SecretKind, str]]:
    """A profile and its secrets from the input of admin-initiate-auth or initiate-auth."""
    if not isinstance(data, dict):
        raise CliJsonError(f"--cli-input-json must be a JSON object, not {type(data).__name__}")
    errors: list[str] = []
    data = {k: v for k, v in data.items() if not _empty(v)}
    unknown = [k for k in data if k not in ALL_KEYS]
    if unknown:
        errors.append(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(ALL_KEYS)}")
    if "ContextData" in data and "UserContextData" in data:
        errors.append("ContextData (admin API) and UserContextData (public API) cannot both be given")
    flow = _text(data, "AuthFlow", errors)
    admin = "UserPoolId" in data or "ContextData" in data or (flow or "").startswith("ADMIN_")
    params = _string_map(data, "AuthParameters", errors)
    secrets = {kind: params.pop(key) for key, kind in SECRET_PARAMETERS.items() if key in params}
    username = params.pop("USERNAME", None)
    for key in DERIVED_PARAMETERS:
        params.pop(key, None)
    analytics = _string_map(data, "AnalyticsMetadata", errors)
    _session(data, errors)
    pool = _text(data, "UserPoolId", errors)
    profile = Profile(
        name=name,
        region=region_of(pool or ""),
        user_pool_id=pool,
        client_id=_text(data, "ClientId", errors),
        auth_flow=flow,
        api=Api.ADMIN.value if admin else Api.PUBLIC.value,
        username=username,
        client_metadata=_string_map(data, "ClientMetadata", errors),
        analytics_endpoint_id=analytics.pop("AnalyticsEndpointId", None),
        context_data=_context_from_json(data, errors),
        notes=_notes(params, analytics),
    )
    errors += [f"{JSON_NAMES.get(f.split('.')[0], f)}: {m}" if f else m for f, m in profile_problems(profile)]
    if errors:
        raise CliJsonError("cannot import this --cli-input-json: " + "; ".join(errors))
    return profile, secrets


def session_from_cli_input_json(data: dict[str, Any]) -> str | None:
    """The Session of an InitiateAuth that continues a sign-up (USER_AUTH after ConfirmSignUp), if any.

    It is sent as given, never kept in a profile; a value the AWS CLI would refuse is refused with
    the CLI's reason.
    """
    errors: list[str] = []
    session = _session(data, errors)
    if errors:
        raise CliJsonError("cannot use this --cli-input-json: " + "; ".join(errors))
    return session


def profile_to_cli_input_json(profile: Profile, secrets: dict[Any, str] | None = None) -> dict[str, Any]:
    """The --cli-input-json of admin-initiate-auth (api admin) or initiate-auth (otherwise).

    Given the secrets, PASSWORD, REFRESH_TOKEN and DEVICE_KEY go where the flow takes them, and a
    client secret becomes SECRET_HASH (from `username`: refresh calls need the user's real
    username instead, which only a sign-in reveals).
    """
    values = {SecretKind(k): str.__str__(v) for k, v in (secrets or {}).items() if v}
    spec = FLOWS.get(profile.auth_flow or "")
    api = profile.api or (spec.default_api.value if spec else Api.PUBLIC.value)
    out: dict[str, Any] = {}
    if api == Api.ADMIN.value and profile.user_pool_id:
        out["UserPoolId"] = profile.user_pool_id
    if profile.client_id:
        out["ClientId"] = profile.client_id
    if profile.auth_flow:
        out["AuthFlow"] = profile.auth_flow
    params: dict[str, str] = {}
    if profile.username:
        params["USERNAME"] = profile.username
    password_flow = spec is None or (spec.needs_password and not spec.uses_srp) or spec.name == "USER_AUTH"
    if SecretKind.PASSWORD in values and password_flow:
        params["PASSWORD"] = values[SecretKind.PASSWORD]
    if SecretKind.REFRESH_TOKEN in values and (spec is None or spec.name in REFRESH_FLOWS):
        params["REFRESH_TOKEN"] = values[SecretKind.REFRESH_TOKEN]
    if SecretKind.DEVICE_KEY in values:
        params["DEVICE_KEY"] = values[SecretKind.DEVICE_KEY]
    if SecretKind.CLIENT_SECRET in values and profile.client_id and profile.username:
        params["SECRET_HASH"] = secret_hash(profile.username, profile.client_id, values[SecretKind.CLIENT_SECRET])
    if params:
        out["AuthParameters"] = params
    if profile.client_metadata:
        out["ClientMetadata"] = dict(profile.client_metadata)
    if profile.analytics_endpoint_id:
        out["AnalyticsMetadata"] = {"AnalyticsEndpointId": profile.analytics_endpoint_id}
    if profile.context_data is not None:
        key, context = context_to_aws(profile.context_data, admin=api == Api.ADMIN.value)
        if context:
            out[key] = context
    return out


def _context_from_json(data: dict[str, Any], errors: list[str]) -> ContextData | None:
    key = "ContextData" if "ContextData" in data else "UserContextData"
    raw = data.get(key)
    if raw is None:
        return None
    if not isinstance(raw, dict):
        errors.append(f"{key} must be an object")
        return None
    allowed: tuple[str, ...] = ("IpAddress", "ServerName", "ServerPath", "HttpHeaders", "EncodedData")
    if key == "UserContextData":
        allowed = ("IpAddress", "EncodedData")
    unknown = [k for k in raw if k not in allowed]
    if unknown:
        errors.append(f"{key}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    headers = []
    raw_headers = raw.get("HttpHeaders") or []
    if not isinstance(raw_headers, list):
        errors.append(f'{key}.HttpHeaders must be a list of {{"headerName": ..., "headerValue": ...}}')
        raw_headers = []
    for i, header in enumerate(raw_headers):
        if not isinstance(header, dict) or not isinstance(header.get("headerName"), str):
            errors.append(f'{key}.HttpHeaders[{i}] must be {{"headerName": text, "headerValue": text}}')
        elif header["headerName"]:
            headers.append((header["headerName"], str(header.get("headerValue") or "")))
    fields = {
        "IpAddress": "ip_address",
        "ServerName": "server_name",
        "ServerPath": "server_path",
        "EncodedData": "encoded_data",
    }
    values = {attr: _text(raw, k, errors, f"{key}.{k}") for k, attr in fields.items()}
    if not headers and not any(values.values()):
        return None
    return ContextData(http_headers=headers, **values)


def context_to_aws(context: ContextData, admin: bool) -> tuple[str, dict[str, Any]]:
    if admin:
        out: dict[str, Any] = {
            "IpAddress": context.ip_address,
            "ServerName": context.server_name,
            "ServerPath": context.server_path,
            "HttpHeaders": [{"headerName": k, "headerValue": v} for k, v in context.http_headers],
            "EncodedData": context.encoded_data,
        }
        return "ContextData", {k: v for k, v in out.items() if v}
    out = {"IpAddress": context.ip_address, "EncodedData": context.encoded_data}
    return "UserContextData", {k: v for k, v in out.items() if v}


def _notes(params: dict[str, str], analytics: dict[str, str]) -> str | None:
    """AuthParameters a profile has no field for: kept in notes (values only for the harmless ones)."""
    lines = [f"AuthParameters {k}={params[k]}" for k in NOTED_PARAMETERS if k in params]
    others = [k for k in params if k not in NOTED_PARAMETERS] + [f"AnalyticsMetadata.{k}" for k in analytics]
    if others:
        lines.append(f"not imported from --cli-input-json: {', '.join(others)}")
    return "\n".join(lines) or None


def _session(data: dict[str, Any], errors: list[str]) -> str | None:
    value = _text(data, "Session", errors)
    if value is not None and not SESSION_LENGTH[0] <= len(value) <= SESSION_LENGTH[1]:
        low, high = SESSION_LENGTH
        bound = f"valid min length: {low}" if len(value) < low else f"valid max length: {high}"
        errors.append(f"Invalid length for parameter Session, value: {len(value)}, {bound} (the AWS CLI's check)")
        return None
    return value


def _text(data: dict[str, Any], key: str, errors: list[str], label: str | None = None) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors.append(f"{label or key} must be a string, not {type(value).__name__}")
        return None
    return value


def _string_map(data: dict[str, Any], key: str, errors: list[str]) -> dict[str, str]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(f"{key} must be an object of strings")
        return {}
    out = {}
    for k, v in value.items():
        if _empty(v):
            continue  # `aws ... --generate-cli-skeleton` fills maps with {"KeyName": ""}
        if not isinstance(v, str):
            errors.append(f"{key}.{k} must be a string, not {type(v).__name__}")
        else:
            out[k] = v
    return out


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == {} or value == []


# `aws cognito-idp admin-initiate-auth / initiate-auth --generate-cli-skeleton [input|output]`, key for
# key (the CLI builds them from the service model; it picks an AuthFlow at random, this is the first).
_MAP = {"KeyName": ""}
ADMIN_SKELETON: dict[str, Any] = {
    "UserPoolId": "",
    "ClientId": "",
    "AuthFlow": "USER_SRP_AUTH",
    "AuthParameters": _MAP,
    "ClientMetadata": _MAP,
    "AnalyticsMetadata": {"AnalyticsEndpointId": ""},
    "ContextData": {
        "IpAddress": "",
        "ServerName": "",
        "ServerPath": "",
        "HttpHeaders": [{"headerName": "", "headerValue": ""}],
        "EncodedData": "",
    },
    "Session": "",
}
PUBLIC_SKELETON: dict[str, Any] = {
    "AuthFlow": "USER_SRP_AUTH",
    "AuthParameters": _MAP,
    "ClientMetadata": _MAP,
    "ClientId": "",
    "AnalyticsMetadata": {"AnalyticsEndpointId": ""},
    "UserContextData": {"IpAddress": "", "EncodedData": ""},
    "Session": "",
}
# The same output shape for both operations: the CLI fills strings with their member names.
OUTPUT_SKELETON: dict[str, Any] = {
    "ChallengeName": "ChallengeName",
    "Session": "Session",
    "ChallengeParameters": _MAP,
    "AuthenticationResult": {
        "AccessToken": "AccessToken",
        "ExpiresIn": 0,
        "TokenType": "TokenType",
        "RefreshToken": "RefreshToken",
        "IdToken": "IdToken",
        "NewDeviceMetadata": {"DeviceKey": "DeviceKey", "DeviceGroupKey": "DeviceGroupKey"},
    },
    "AvailableChallenges": ["ChallengeNameType"],
}
SKELETON_KINDS = ("input", "output")


def generate_cli_skeleton(kind: str = "input", *, public: bool = False, given: dict[str, Any] | None = None) -> str:
    """The text `aws cognito-idp [admin-]initiate-auth --generate-cli-skeleton KIND` prints.

    For "output" the CLI first checks that the required arguments are there; `given` holds the
    values known (flag names as keys, e.g. user_pool_id, client_id, or cli_input_json: a path).
    """
    if kind not in SKELETON_KINDS:
        raise CliJsonError(f"--generate-cli-skeleton: invalid choice {kind!r} (choose from 'input', 'output')")
    if kind == "input":
        return json.dumps(PUBLIC_SKELETON if public else ADMIN_SKELETON, indent=4) + "\n"
    values = dict(given or {})
    if values.get("cli_input_json"):
        data = load_cli_input_json(values["cli_input_json"])
        profile_from_cli_input_json(data, "cli-input-json")  # the CLI validates the input, too
        values["user_pool_id"] = values.get("user_pool_id") or data.get("UserPoolId")
        values["client_id"] = values.get("client_id") or data.get("ClientId")
    required = (
        [("client_id", "--client-id")] if public else [("user_pool_id", "--user-pool-id"), ("client_id", "--client-id")]
    )
    missing = [flag for name, flag in required if not values.get(name)]
    if missing:
        raise CliJsonError(
            f"--generate-cli-skeleton output checks the request first: the following arguments are required: "
            f"{', '.join(missing)}"
        )
    return json.dumps(OUTPUT_SKELETON, indent=4, ensure_ascii=False) + "\n"
