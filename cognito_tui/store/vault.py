"""The TOTP seed and the remembered device of one user of one profile, in the secret store.

Kept under the name "PROFILE@USER" (so `secrets list` shows them, names only) with the kinds the
store already knows: totp_seed, device_key, device_group_key, device_password. A profile's own
seed or device (saved before there was a user to key them by) is read when the user is the
profile's own. Which TOTP time steps were used is no secret: it lives in a small JSON file.
"""

from __future__ import annotations

import json
from pathlib import Path

from cognito_tui.core.redact import Secret
from cognito_tui.core.request import DeviceSecrets
from cognito_tui.store.paths import atomic_write_text
from cognito_tui.store.secrets import SecretKind, SecretStore

DEVICE_PARTS = (SecretKind.DEVICE_KEY, SecretKind.DEVICE_GROUP_KEY, SecretKind.DEVICE_PASSWORD)
USED_STEPS_FILE = "totp-used-steps.json"


def scope_name(profile: str, user: str) -> str:
    """The store's name for one user of one profile."""
    return f"{profile}@{user}"


def user_scopes(store: SecretStore, profile: str, profiles: list[str]) -> list[str]:
    """The stored "PROFILE@USER" names of `profile`'s users: none of another profile (names may hold '@')."""
    prefix = f"{profile}@"
    others = [p for p in profiles if p != profile and p.startswith(prefix)]
    names = sorted({name for name, _kind in store.list() if name.startswith(prefix)})
    return [n for n in names if not any(n == o or n.startswith(f"{o}@") for o in others)]


class Vault:
    """Seeds and devices per (profile, user); `fallback` is the profile whose own secrets also count."""

    def __init__(self, store: SecretStore, used_steps: UsedSteps | None = None) -> None:
        self.store = store
        self.used = used_steps or UsedSteps(None)

    # --- TOTP seeds ---------------------------------------------------------------------------------

    def seed(self, profile: str, user: str, fallback: bool = False) -> Secret | None:
        found = self.store.get(scope_name(profile, user), SecretKind.TOTP_SEED)
        if found is None and fallback:
            found = self.store.get(profile, SecretKind.TOTP_SEED)
        return found

    def set_seed(self, profile: str, user: str, seed: str) -> None:
        self.store.set(scope_name(profile, user), SecretKind.TOTP_SEED, seed.replace(" ", "").upper())

    def forget_seed(self, profile: str, user: str) -> bool:
        return self.store.delete(scope_name(profile, user), SecretKind.TOTP_SEED)

    # --- devices ------------------------------------------------------------------------------------

    def device(self, profile: str, user: str, fallback: bool = False) -> DeviceSecrets | None:
        device = self._device_of(scope_name(profile, user))
        if device is None and fallback:
            device = self._device_of(profile)
        return device

    def _device_of(self, name: str) -> DeviceSecrets | None:
        parts = [self.store.get(name, kind) for kind in DEVICE_PARTS]
        if not all(parts):
            return None
        key, group, password = (str.__str__(p) for p in parts if p is not None)
        return DeviceSecrets(key, group, Secret(password))

    def set_device(self, profile: str, user: str, device: DeviceSecrets) -> None:
        name = scope_name(profile, user)
        values = (device.device_key, device.group_key, device.password.value)
        for kind, value in zip(DEVICE_PARTS, values, strict=True):
            self.store.set(name, kind, value)

    def forget_device(self, profile: str, user: str, fallback: bool = False) -> bool:
        """Drop the remembered device of this user (and the profile's own, with `fallback`)."""
        names = [scope_name(profile, user)] + ([profile] if fallback else [])
        return any([self.store.delete(name, kind) for name in names for kind in DEVICE_PARTS])


class UsedSteps:
    """The last TOTP time step sent per (profile, user): kept in a file so that the next process knows it."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[str, int] = {}

    def _read(self) -> dict[str, int]:
        if self.path is None:
            return dict(self._memory)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): int(v) for k, v in data.items() if isinstance(v, int)} if isinstance(data, dict) else {}

    def last(self, profile: str, user: str) -> int | None:
        return self._read().get(scope_name(profile, user))

    def mark(self, profile: str, user: str, step: int) -> None:
        data = self._read()
        key = scope_name(profile, user)
        data[key] = max(step, data.get(key, step))
        if self.path is None:
            self._memory = data
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
        except OSError:
            self._memory = data  # a read-only config dir: remembered for this process only


def used_steps_at(config_dir: Path) -> UsedSteps:
    return UsedSteps(config_dir / USED_STEPS_FILE)
