"""Remembered devices: NewDeviceMetadata, ConfirmDevice's verifier, status, listing, forgetting.

A device key is handed out (pending) with the tokens of a sign-in that carried none, in pools
with a DeviceConfiguration. ConfirmDevice stores its SRP verifier; from then on a sign-in with
DEVICE_KEY proves the device (DEVICE_SRP_AUTH) and, if it is remembered, skips MFA.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from cognito_tui.core import srp
from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Directory, Pool, User

NOT_FOUND = "Device does not exist."


@dataclass
class Device:
    key: str
    group_key: str
    pool_id: str
    username: str
    created_at: float
    modified_at: float
    confirmed: bool = False
    remembered: bool = False
    name: str | None = None
    salt: int = 0
    verifier: int = 0
    last_authenticated_at: float | None = None


class Devices:
    def __init__(self, directory: Directory, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock
        self._devices: dict[str, Device] = {}

    def new_metadata(self, pool: Pool, user: User) -> dict[str, str]:
        """NewDeviceMetadata for tokens issued without a DEVICE_KEY: a pending device."""
        now = self.clock.now()
        key = f"{pool.id.split('_', 1)[0]}_{uuid.uuid4()}"
        group = self.directory.device_group_key(pool, user)
        self._devices[key] = Device(key, group, pool.id, user.username, now, now)
        return {"DeviceKey": key, "DeviceGroupKey": group}

    def get(self, pool: Pool, user: User, key: str | None, *, confirmed: bool = True) -> Device:
        device = self._devices.get(key or "")
        if (
            device is None
            or device.pool_id != pool.id
            or device.username != user.username
            or (confirmed and not device.confirmed)
        ):
            raise errors.resource_not_found(NOT_FOUND)
        return device

    def confirm(self, pool: Pool, user: User, body: dict[str, Any]) -> dict[str, Any]:
        device = self.get(pool, user, body.get("DeviceKey"), confirmed=False)
        config = body.get("DeviceSecretVerifierConfig") or {}
        try:
            device.salt, device.verifier = srp.verifier_from_config(config)
        except (KeyError, ValueError, TypeError):
            raise errors.invalid_parameter(
                "DeviceSecretVerifierConfig needs PasswordVerifier and Salt (Base64)."
            ) from None
        if device.verifier == 0:
            raise errors.invalid_parameter("The device PasswordVerifier is empty.")
        settings = self.directory.device_configuration(pool) or {}
        on_prompt = bool(settings.get("DeviceOnlyRememberedOnUserPrompt"))
        device.confirmed = True
        device.remembered = not on_prompt
        device.name = body.get("DeviceName") or device.name
        device.modified_at = self.clock.now()
        return {"UserConfirmationNecessary": on_prompt}

    def update_status(self, pool: Pool, user: User, key: str | None, status: str | None) -> None:
        if status not in ("remembered", "not_remembered"):
            raise errors.enum_error(str(status), "deviceRememberedStatus", ["remembered", "not_remembered"])
        device = self.get(pool, user, key)
        device.remembered = status == "remembered"
        device.modified_at = self.clock.now()

    def forget(self, pool: Pool, user: User, key: str | None) -> None:
        device = self.get(pool, user, key)
        del self._devices[device.key]

    def authenticated(self, device: Device) -> None:
        device.last_authenticated_at = self.clock.now()

    def listing(self, pool: Pool, user: User, body: dict[str, Any]) -> dict[str, Any]:
        devices = [
            d for d in self._devices.values() if d.pool_id == pool.id and d.username == user.username and d.confirmed
        ]
        start = int(body.get("PaginationToken") or 0)
        limit = int(body.get("Limit") or 60)
        page = devices[start : start + limit]
        result: dict[str, Any] = {"Devices": [self.to_json(d) for d in page]}
        if start + limit < len(devices):
            result["PaginationToken"] = str(start + limit)
        return result

    @staticmethod
    def to_json(device: Device) -> dict[str, Any]:
        attributes = [
            {"Name": "device_status", "Value": "valid"},
            {"Name": "device_name", "Value": device.name or "unnamed device"},
            {"Name": "dev:device_remembered_status", "Value": "remembered" if device.remembered else "not_remembered"},
            {"Name": "last_ip_used", "Value": "127.0.0.1"},
        ]
        result = {
            "DeviceKey": device.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": device.created_at,
            "DeviceLastModifiedDate": device.modified_at,
        }
        if device.last_authenticated_at is not None:
            result["DeviceLastAuthenticatedDate"] = device.last_authenticated_at
        return result
