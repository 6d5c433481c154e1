"""The sandbox's outbox in the side panel: the codes it "sent", newest first."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static


class OutboxPanel(Vertical):
    DEFAULT_CSS = """
    OutboxPanel { height: auto; }
    OutboxPanel #outbox { height: auto; min-height: 3; max-height: 8; padding: 0 1; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.messages: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Static("Outbox", id="outbox-title")
        yield Static("[dim]codes the sandbox “sends” appear here[/]", id="outbox")

    def add(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        lines = [
            f"[b]{escape(msg['code'])}[/] → {escape(msg['username'])} ({escape(msg['medium'].lower())})"
            for msg in self.messages[-6:]
        ]
        self.query_one("#outbox", Static).update("\n".join(reversed(lines)))

    def latest_for(self, names: set[str]) -> dict[str, Any] | None:
        """The newest code sent to one of these usernames (typed or real)."""
        for message in reversed(self.messages):
            if message.get("username") in names or message.get("real_username") in names:
                return message
        return None
