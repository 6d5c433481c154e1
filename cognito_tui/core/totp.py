"""RFC 6238 TOTP (SHA-1, 6 digits, 30 s) and the otpauth:// URI for authenticator apps."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as _secrets
import struct
import time
from urllib.parse import quote

PERIOD = 30
DIGITS = 6


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def code_at(secret: str, counter: int) -> str:
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def counter(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // PERIOD)


def now_code(secret: str, now: float | None = None) -> str:
    """The code an authenticator app shows right now."""
    return code_at(secret, counter(now))


def seconds_left(now: float | None = None) -> int:
    """Seconds until the current code rolls over."""
    now = time.time() if now is None else now
    return PERIOD - int(now) % PERIOD


def matching_counter(secret: str, code: str, now: float | None = None, skew: int = 1) -> int | None:
    """The time step (within +-skew steps) whose code equals `code`, or None."""
    base = counter(now)
    for step in range(base - skew, base + skew + 1):
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def new_secret(nbytes: int = 20) -> str:
    """A Base32 secret of 160 bits, unpadded (Cognito's SecretCode alphabet)."""
    return base64.b32encode(_secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


def otpauth_uri(secret: str, account: str, issuer: str = "cognito-tui") -> str:
    """otpauth://totp/{Issuer}:{account}?secret=...&issuer=... (Amplify's format, URL-encoded)."""
    label = f"{quote(issuer, safe='')}:{quote(account, safe='@')}"
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer, safe='')}"
