"""PKCE (RFC 7636 S256), state and nonce: fresh random values, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

VERIFIER_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_verifier() -> str:
    """A fresh code_verifier: 64 random bytes, 86 URL-safe characters (RFC 7636 allows 43-128)."""
    return _b64url(secrets.token_bytes(64))


def code_challenge(verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(verifier))) without padding: the S256 method, the only one Cognito takes."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def verifier_problem(verifier: str) -> str | None:
    """Why a verifier breaks RFC 7636 section 4.1, or None."""
    if not 43 <= len(verifier) <= 128:
        return f"a code_verifier is 43 to 128 characters, not {len(verifier)}"
    if not set(verifier) <= VERIFIER_ALPHABET:
        return "a code_verifier uses only A-Z a-z 0-9 - . _ ~"
    return None


def new_state() -> str:
    """256 random bits, URL-safe: Cognito may decode `state` twice, so no % + = characters."""
    return _b64url(secrets.token_bytes(32))


def new_nonce() -> str:
    return _b64url(secrets.token_bytes(32))


def same(a: str | None, b: str | None) -> bool:
    """Exact, constant-time comparison of two optional strings."""
    if a is None or b is None:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
