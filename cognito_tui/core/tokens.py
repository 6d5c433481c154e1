"""Decode and verify Cognito's ID and access tokens (cognito-protocol.md section 6)."""

from __future__ import annotations

import base64
import json
import time
import urllib.request
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


def fetch_jwks(url: str, timeout: float = 5.0) -> dict[str, Any]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


def verify(
    token: str,
    jwks: dict[str, Any],
    *,
    issuer: str | None = None,
    client_id: str | None = None,
    now: float | None = None,
) -> Verification:
    """Signature by kid, then iss, exp, token_use and aud (ID) or client_id (access)."""
    import jwt  # PyJWT: imported here, only when a token is verified

    try:
        header, claims = decode_jwt(token)
    except ValueError as exc:
        return Verification(False, str(exc))
    kid = header.get("kid")
    keys = [k for k in jwks.get("keys", []) if k.get("kid") == kid]
    if not keys:
        return Verification(False, f"no key with kid {kid!r} in the JWKS", kid)
    try:
        key = jwt.PyJWK.from_dict(keys[0]).key
        jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False, "verify_aud": False})
    except jwt.InvalidTokenError as exc:
        return Verification(False, f"signature does not verify: {exc}", kid)
    problems = []
    if issuer and claims.get("iss") != issuer:
        problems.append(f"iss is {claims.get('iss')!r}, expected {issuer!r}")
    exp = claims.get("exp")
    if exp is not None and float(exp) < (time.time() if now is None else now):
        problems.append("expired")
    use = claims.get("token_use")
    if use not in ("id", "access"):
        problems.append(f"token_use is {use!r}")
    if client_id:
        got = claims.get("aud") if use == "id" else claims.get("client_id")
        if got != client_id:
            problems.append(f"{'aud' if use == 'id' else 'client_id'} is {got!r}, expected {client_id!r}")
    if problems:
        return Verification(False, "signature valid, but " + "; ".join(problems), kid)
    return Verification(True, f"signature valid (RS256, kid {kid}); iss, exp, token_use and audience check out", kid)


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
