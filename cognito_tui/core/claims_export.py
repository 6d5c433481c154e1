"""Tokens as text to paste elsewhere: an Authorization header, a curl command, shell export lines, JSON.

The refresh token is a secret: it goes into env and JSON output only when the caller asks for it.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

EXPORT_FORMATS = ("env", "header", "curl", "json")
ENV_NAMES = {
    "IdToken": "COGNITO_ID_TOKEN",
    "AccessToken": "COGNITO_ACCESS_TOKEN",
    "RefreshToken": "COGNITO_REFRESH_TOKEN",
}
GET_USER_TARGET = "AWSCognitoIdentityProviderService.GetUser"


def cognito_endpoint(region: str, endpoint_url: str | None = None) -> str:
    """Where Cognito's user-pool API answers: the walk's own endpoint, else AWS's for the Region."""
    return (endpoint_url.rstrip("/") + "/") if endpoint_url else f"https://cognito-idp.{region}.amazonaws.com/"


def curl_command(access_token: str, url: str | None = None, *, get_user_endpoint: str | None = None) -> str:
    """A curl line: GET `url` with the bearer token, or (no url) Cognito's GetUser at `get_user_endpoint`."""
    bearer = f"Authorization: Bearer {access_token}"
    if url:
        return " ".join(["curl", "-sS", "-H", shlex.quote(bearer), shlex.quote(url)])
    if not get_user_endpoint:
        raise ValueError("give a URL for curl, or the Cognito endpoint for GetUser")
    body = json.dumps({"AccessToken": access_token})
    return " ".join(
        [
            "curl", "-sS", "-X", "POST",
            "-H", shlex.quote("Content-Type: application/x-amz-json-1.1"),
            "-H", shlex.quote(f"X-Amz-Target: {GET_USER_TARGET}"),
            "--data", shlex.quote(body),
            shlex.quote(get_user_endpoint),
        ]
    )  # fmt: skip


def export_tokens(
    result: dict[str, Any],
    fmt: str,
    *,
    with_refresh: bool = False,
    url: str | None = None,
    get_user_endpoint: str | None = None,
) -> str:
    """`result` (an AuthenticationResult) in one of EXPORT_FORMATS ('shell' is accepted for env)."""
    if fmt in ("env", "shell"):
        keys = [k for k in ENV_NAMES if result.get(k) and (k != "RefreshToken" or with_refresh)]
        return "\n".join(f"export {ENV_NAMES[k]}={shlex.quote(str(result[k]))}" for k in keys)
    if fmt == "header":
        return f"Authorization: Bearer {result.get('AccessToken', '')}"
    if fmt == "curl":
        if not result.get("AccessToken"):
            raise ValueError("there is no access token to send")
        return curl_command(str(result["AccessToken"]), url, get_user_endpoint=get_user_endpoint)
    if fmt == "json":
        wanted = ("IdToken", "AccessToken", "ExpiresIn", "TokenType", *(("RefreshToken",) if with_refresh else ()))
        return json.dumps({k: result[k] for k in wanted if k in result}, indent=2)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")


def userinfo_url(discovery: dict[str, Any]) -> str | None:
    """The userInfo endpoint named by a pool's OpenID discovery document (None: it names none)."""
    value = discovery.get("userinfo_endpoint")
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else None
