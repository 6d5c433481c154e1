"""Remembered devices in words: why MFA was or was not skipped, when a device key must be dropped,
and ListDevices rows as a person reads them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cognito_tui.core.redact import fingerprint
from cognito_tui.core.steps import Challenge, Failed, SignedIn

MFA_CHALLENGES = frozenset({"SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP"})
DEVICE_CHALLENGES = frozenset({"DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"})


def tag(device_key: str) -> str:
    """A device key as shown: its Region and a fingerprint, never the key (half of its secret)."""
    region = device_key.split("_", 1)[0] if "_" in device_key else ""
    return f"{region + '_' if region else ''}…#{fingerprint(device_key)}"


def mfa_note(steps: Iterable[Any], device_key: str | None) -> str:
    """Why this walk asked for MFA or skipped it, in one sentence."""
    steps = list(steps)
    names = [s.name for s in steps if isinstance(s, Challenge)]
    signed_in = bool(steps) and isinstance(steps[-1], SignedIn)
    asked = [n for n in names if n in MFA_CHALLENGES]
    proved = "DEVICE_PASSWORD_VERIFIER" in names
    if device_key is None:
        if asked:
            return (
                f"MFA asked ({asked[0]}): no remembered device was sent for this profile and user; "
                "remember this one after signing in (ctrl+k, or login --remember-device) to skip it next time."
            )
        return "No MFA was asked, and no remembered device was sent."
    who = tag(device_key)
    if proved and not asked and signed_in:
        return (
            f"MFA skipped: the remembered device {who} proved itself with device SRP "
            "(DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)."
        )
    if proved and asked:
        return (
            f"MFA not skipped: device {who} proved itself with device SRP but is not remembered "
            f"(UpdateDeviceStatus remembered marks it), so Cognito still asked for {asked[0]}."
        )
    if asked:
        return f"MFA not skipped: device {who} was sent, but Cognito asked for {asked[0]} without device SRP."
    if signed_in:
        return f"Signed in with device {who}; Cognito asked for no device proof and no MFA."
    return f"Device {who} was sent."


def device_unknown(step: Any, device_key: str | None) -> bool:
    """Cognito does not know the device key sent ("Device does not exist."): drop it and sign in without."""
    if device_key is None or not isinstance(step, Failed):
        return False
    return step.code == "ResourceNotFoundException" and "device" in step.message.lower()


DROPPED = "device {tag}: Cognito does not know it (ResourceNotFoundException: {message}); dropped from the keyring, signing in again without it"


@dataclass(frozen=True)
class DeviceRow:
    """One ListDevices entry as shown: the key itself stays out of sight (tag)."""

    key: str
    name: str
    remembered: str
    last_seen: str
    created: str


def device_rows(devices: list[dict[str, Any]]) -> list[DeviceRow]:
    from cognito_tui.core.tokens import human_time

    rows = []
    for d in devices:
        attrs = {a.get("Name"): a.get("Value") for a in d.get("DeviceAttributes", []) if isinstance(a, dict)}
        last = d.get("DeviceLastAuthenticatedDate")
        created = d.get("DeviceCreateDate")
        rows.append(
            DeviceRow(
                key=str(d.get("DeviceKey", "")),
                name=str(attrs.get("device_name") or "unnamed device"),
                remembered=str(attrs.get("dev:device_remembered_status") or "unknown"),
                last_seen=human_time(_epoch(last)) if last is not None else "never proved",
                created=human_time(_epoch(created)) if created is not None else "",
            )
        )
    return rows


def _epoch(value: Any) -> float:
    """boto3 gives datetimes, the wire gives epoch seconds."""
    stamp = getattr(value, "timestamp", None)
    return float(stamp()) if callable(stamp) else float(value)
