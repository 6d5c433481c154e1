"""Keyring backends that misbehave after start-up, for the timeout and honesty tests (also loaded by
subprocesses through PYTHON_KEYRING_BACKEND=tests.store.hostile_backends.Hanging)."""

from __future__ import annotations

import threading

from keyring.backend import KeyringBackend

FOREVER = threading.Event()  # never set


class Hanging(KeyringBackend):
    """A backend that never answers (a Secret Service stuck behind an unlock prompt)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        FOREVER.wait()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        FOREVER.wait()

    def delete_password(self, service: str, username: str) -> None:
        FOREVER.wait()


class FailsAfterProbe(KeyringBackend):
    """Answers the start-up probe, then fails every call (the D-Bus session went away)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        if username.endswith(":probe"):
            return None
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")


class Dict(KeyringBackend):
    """A working in-memory backend, to see what a failed index write leaves behind."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.values.pop((service, username), None) is None:
            raise PasswordDeleteError("absent")
