"""Fetch a pool's JWKS and check a token's signature against it (PyJWT); the claim rules are core's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from cognito_tui.core.tokens import Verification, claim_problems, decode_jwt

MAX_JWKS_BYTES = 1 << 20


class JwksError(Exception):
    """The keys could not be had: the message says from where and why."""


def fetch_json_object(url: str, what: str, error: type[Exception], timeout: float = 5.0) -> dict[str, Any]:
    """The JSON object at `url` (at most 1 MiB); `error` (never another exception) with `what` it was, else."""
    if not url.startswith(("http://", "https://")):
        raise error(f"not an http(s) URL: {url}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(MAX_JWKS_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise error(f"{what} unreachable at {url} ({exc})") from exc
    if len(body) > MAX_JWKS_BYTES:
        raise error(f"the {what} at {url} is over {MAX_JWKS_BYTES} bytes")
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise error(f"the {what} at {url} is not JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise error(f"the {what} at {url} is not a JSON object")
    return document


def fetch_jwks(url: str, timeout: float = 5.0) -> dict[str, Any]:
    """The JWKS document at url; JwksError (never another exception) when it cannot be read as one."""
    document = fetch_json_object(url, "JWKS", JwksError, timeout)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise JwksError(f"the document at {url} has no 'keys' list: not a JWKS")
    return document


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
    keys = [k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("kid") == kid]
    if not keys:
        return Verification(False, f"no key with kid {kid!r} in the JWKS", kid)
    try:
        key = jwt.PyJWK.from_dict(keys[0]).key
        jwt.decode(token, key, algorithms=["RS256"], options={"verify_exp": False, "verify_aud": False})
    except (jwt.InvalidTokenError, jwt.PyJWKError) as exc:
        return Verification(False, f"signature does not verify: {exc}", kid)
    problems = claim_problems(claims, issuer=issuer, client_id=client_id, now=now)
    if problems:
        return Verification(False, "signature valid, but " + "; ".join(problems), kid)
    return Verification(True, f"signature valid (RS256, kid {kid}); iss, exp, token_use and audience check out", kid)
