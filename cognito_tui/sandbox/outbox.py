"""Where the sandbox "delivers" SMS and email codes: a list the TUI and `cognito-tui sandbox` show."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from typing import Any

Message = dict[str, Any]  # {pool_id, username, medium, destination, code, purpose, time}


def new_code(digits: int = 6) -> str:
    """A random numeric one-time code."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def mask_phone(number: str) -> str:
    """'+15555550105' -> '+*******0105', as Cognito shows CODE_DELIVERY_DESTINATION for SMS."""
    return "+" + "*" * max(len(number) - 5, 0) + number[-4:]


def mask_email(address: str) -> str:
    """'frank@example.com' -> 'f***@e***', as Cognito masks email destinations."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


class Outbox:
    """A thread-safe list of delivered codes, with callbacks for live display.

    Callbacks run on the sandbox's request thread while it holds the sandbox lock: they must
    not block or call the sandbox. A Textual app should `post_message` (thread-safe, does not
    wait). A callback that raises is dropped, so one broken subscriber cannot break sign-ins.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []
        self._subscribers: list[Callable[[Message], None]] = []

    def deliver(self, message: Message) -> None:
        with self._lock:
            self._messages.append(dict(message))
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(dict(message))
            except Exception:  # a subscriber's bug must not fail the sign-in that sent the code
                self.unsubscribe(callback)

    def send(self, *, pool_id: str, username: str, real_username: str, medium: str, destination: str, code: str,
             purpose: str, time: float) -> None:  # fmt: skip
        """Deliver one code: `username` is the sign-in name people know, `real_username` Cognito's."""
        self.deliver({"pool_id": pool_id, "username": username, "real_username": real_username, "medium": medium,
                      "destination": destination, "code": code, "purpose": purpose, "time": time})  # fmt: skip

    def messages(self) -> list[Message]:
        with self._lock:
            return [dict(m) for m in self._messages]

    def latest(self, username: str, pool_id: str | None = None) -> Message | None:
        """The newest message for this user (sign-in name, real username or destination)."""
        with self._lock:
            for message in reversed(self._messages):
                names = (message["username"], message.get("real_username"), message["destination"])
                if username in names and (pool_id is None or message["pool_id"] == pool_id):
                    return dict(message)
        return None

    def subscribe(self, callback: Callable[[Message], None]) -> Callable[[], None]:
        """Call `callback(message)` for every new message; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)
        return lambda: self.unsubscribe(callback)

    def unsubscribe(self, callback: Callable[[Message], None]) -> None:
        with self._lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
