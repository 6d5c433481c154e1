"""Decode Cognito's ID and access tokens and judge their claims (cognito-protocol.md section 6).

The signature check needs a crypto library and the JWKS a network fetch: both live in `aws/jwks.py`.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

TIME_CLAIMS = ("exp", "iat", "auth_time", "nbf")


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def decode_jwt(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) without checking the signature; ValueError if it is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a JWT (expected three dot-separated parts)")
    try:
        return json.loads(_b64url(parts[0])), json.loads(_b64url(parts[1]))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"not a JWT: {exc}") from exc


def decode_claims(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"id": claims, "access": claims} from an AuthenticationResult (missing or broken -> {})."""
    out: dict[str, dict[str, Any]] = {}
    for key, name in (("IdToken", "id"), ("AccessToken", "access")):
        token = result.get(key)
        if token:
            try:
                out[name] = decode_jwt(token)[1]
            except ValueError:
                out[name] = {}
    return out


def real_username(claims: dict[str, dict[str, Any]]) -> str | None:
    """The token owner's real username: what SECRET_HASH needs on a refresh."""
    return claims.get("access", {}).get("username") or claims.get("id", {}).get("cognito:username")


def human_time(value: Any, now: float | None = None) -> str:
    """'2026-11-28 15:04:05 UTC (in 59m 58s)' for an epoch-seconds claim."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return str(value)
    when = datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    delta = seconds - (time.time() if now is None else now)
    return f"{when} ({'in ' + duration(delta) if delta >= 0 else duration(-delta) + ' ago'})"


def duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    if h:
        return f"{h}h {m:02d}m"
    if m:
        return f"{m}m {s:02d}s"
    return f"{s}s"


def jwks_url_for(issuer: str) -> str:
    """The JWKS URL derived from the token's iss (works for both issuer styles)."""
    return issuer.rstrip("/") + "/.well-known/jwks.json"


@dataclass
class Verification:
    ok: bool
    detail: str
    kid: str | None = None


def pool_of(issuer: str) -> str:
    """The user-pool id at the end of an issuer URL ('' when there is none)."""
    return issuer.rstrip("/").rsplit("/", 1)[-1] if "/" in issuer else ""


def jwks_url(issuer: str, endpoint_url: str | None = None) -> str:
    """Where to fetch the keys: from the walk's own endpoint when it used one (the sandbox, a proxy, an
    emulator), never from AWS behind its back; else from the issuer, as Cognito publishes them."""
    if endpoint_url:
        return f"{endpoint_url.rstrip('/')}/{pool_of(issuer)}/.well-known/jwks.json"
    return jwks_url_for(issuer)


def issuer_note(expected_pool_id: str, claims: dict[str, Any]) -> str | None:
    """A warning when the token's issuer names another pool than the one the user typed."""
    issuer = str(claims.get("iss", ""))
    got = pool_of(issuer)
    if expected_pool_id and got and got != expected_pool_id:
        return (
            f"the token was issued by pool {got!r} ({issuer}), not the pool you typed ({expected_pool_id!r}): "
            "the app client belongs to that pool; fix the pool id in the profile"
        )
    return None


def claim_problems(
    claims: dict[str, Any], *, issuer: str | None = None, client_id: str | None = None, now: float | None = None
) -> list[str]:
    """What is wrong with a token's claims once its signature holds: iss, exp, token_use, audience."""
    problems = []
    if issuer and claims.get("iss") != issuer:
        problems.append(f"iss is {claims.get('iss')!r}, expected {issuer!r}")
    exp = claims.get("exp")
    try:
        expired = exp is not None and float(exp) < (time.time() if now is None else now)
    except (TypeError, ValueError):
        problems.append(f"exp is {exp!r}, not a time")
        expired = False
    if expired:
        problems.append("expired")
    use = claims.get("token_use")
    if use not in ("id", "access"):
        problems.append(f"token_use is {use!r}")
    if client_id:
        got = claims.get("aud") if use == "id" else claims.get("client_id")
        if got != client_id:
            problems.append(f"{'aud' if use == 'id' else 'client_id'} is {got!r}, expected {client_id!r}")
    return problems


EXPORT_FORMATS = ("shell", "header", "json")


def export_text(result: dict[str, Any], fmt: str) -> str:
    """Tokens as shell export lines, an Authorization header, or JSON (the caller decides to reveal)."""
    if fmt == "shell":
        names = {
            "IdToken": "COGNITO_ID_TOKEN",
            "AccessToken": "COGNITO_ACCESS_TOKEN",
            "RefreshToken": "COGNITO_REFRESH_TOKEN",
        }
        return "\n".join(f"export {var}='{result[key]}'" for key, var in names.items() if result.get(key))
    if fmt == "header":
        return f"Authorization: Bearer {result.get('AccessToken', '')}"
    if fmt == "json":
        keys = ("IdToken", "AccessToken", "RefreshToken", "ExpiresIn", "TokenType")
        return json.dumps({k: result[k] for k in keys if k in result}, indent=2)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
