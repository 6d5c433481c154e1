"""Secrets in wrappers whose repr hides them, and masking of request/response maps by field name."""

from __future__ import annotations

import hashlib
from typing import Any

# A remembered device's identity is half its secret (device SRP hashes DeviceGroupKey + DeviceKey
# with the device password): masked, with a fingerprint so two calls can be seen to use the same one.
DEVICE_KEYS = frozenset({"DEVICE_KEY", "DeviceKey", "DeviceGroupKey", "device_key", "device_group_key"})
# Keys whose values are secrets: masked completely unless the caller asks for them.
SECRET_KEYS = DEVICE_KEYS | frozenset(
    {
        "PASSWORD",
        "NEW_PASSWORD",
        "Password",
        "PreviousPassword",
        "ProposedPassword",
        "ClientSecret",
        "SecretCode",
        "REFRESH_TOKEN",
        "RefreshToken",
        "DEVICE_PASSWORD",
        "DeviceSecretVerifierConfig",
        "PasswordVerifier",
        "Salt",  # DeviceSecretVerifierConfig's (the SRP SALT a challenge sends is public)
        "SECRET_HASH",
        "SecretHash",
        "PASSWORD_CLAIM_SIGNATURE",
        "password",
        "client_secret",
        "totp_secret",
        "refresh_token",
        "device_password",
    }
)
# Bearer material that is long and short-lived: shown shortened, never whole, unless revealed.
SHORTEN_KEYS = frozenset({"Session", "AccessToken", "IdToken", "Token", "ACCESS_TOKEN", "CREDENTIAL"})

MASK = "********"


class Secret(str):
    """A str whose repr and str() in f-string debug form do not show the value.

    `value` is the way to read it on purpose; str(secret) still yields the value (it *is* a str)
    so it can be sent on the wire, but repr() -- used by logs, tracebacks and dataclass reprs --
    hides it.
    """

    def __repr__(self) -> str:
        return "Secret('********')" if self else "Secret('')"

    @property
    def value(self) -> str:
        return str.__str__(self)


def fingerprint(value: str) -> str:
    """A short stable tag for a secret-ish value, to tell two Sessions apart without showing them."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]


def shorten(value: str) -> str:
    if len(value) <= 16:
        return MASK
    return f"{value[:6]}…[{len(value)} chars #{fingerprint(value)}]"


def mask(data: Any, reveal: bool = False) -> Any:
    """A deep copy of `data` with secret fields masked (or left whole when reveal=True)."""
    if reveal:
        return _copy(data)
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str) and key in DEVICE_KEYS:
                out[key] = f"{MASK} #{fingerprint(value)}" if value else value
            elif isinstance(value, str) and key in SECRET_KEYS:
                out[key] = MASK if value else value
            elif isinstance(value, str) and key in SHORTEN_KEYS:
                out[key] = shorten(value)
            elif key in SECRET_KEYS and isinstance(value, dict):
                out[key] = {k: MASK for k in value}
            else:
                out[key] = mask(value)
        return out
    if isinstance(data, list):
        return [mask(v) for v in data]
    return data


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    if isinstance(data, Secret):
        return data.value
    return data
