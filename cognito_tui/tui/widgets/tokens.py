"""Tokens: ID and access claims as tables, verification, the refresh token masked."""

from __future__ import annotations

import time

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from cognito_tui.core.redact import MASK
from cognito_tui.core.tokens import TIME_CLAIMS, human_time


class ClaimsTable(DataTable):
    DEFAULT_CSS = "ClaimsTable { height: 1fr; }"

    def on_mount(self) -> None:
        self.add_columns("claim", "value")
        self.cursor_type = "row"

    def show(self, claims: dict) -> None:
        self.clear()
        now = time.time()
        for key, value in claims.items():
            text = (
                human_time(value, now)
                if key in TIME_CLAIMS
                else (", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
            self.add_row(key, text)


class TokensPane(Vertical):
    DEFAULT_CSS = """
    TokensPane #tokens-status { height: auto; padding: 0 1; }
    TokensPane Horizontal { height: 1fr; }
    TokensPane Vertical.claims { width: 1fr; }
    TokensPane .claims > Static { text-style: bold; padding: 0 1; }
    TokensPane #tokens-output { height: auto; max-height: 12; padding: 0 1; color: $accent; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.result: dict | None = None
        self.claims: dict = {}
        self.verification: str = ""
        self.revealed = False

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)  # the access token's expiry countdown

    def _tick(self) -> None:
        if self.result and self.is_on_screen:
            self.refresh_status()

    def compose(self) -> ComposeResult:
        yield Static("No tokens yet.", id="tokens-status")
        yield Static("", id="tokens-output")
        with Horizontal():
            with Vertical(classes="claims"):
                yield Static("ID token")
                yield ClaimsTable(id="id-claims")
            with Vertical(classes="claims"):
                yield Static("Access token")
                yield ClaimsTable(id="access-claims")

    def show(self, result: dict, claims: dict) -> None:
        self.result = result
        self.claims = claims
        self.verification = "checking the signature against the pool's JWKS…"
        self.query_one("#id-claims", ClaimsTable).show(claims.get("id", {}))
        self.query_one("#access-claims", ClaimsTable).show(claims.get("access", {}))
        self.refresh_status()

    def set_verification(self, text: str) -> None:
        self.verification = text
        self.refresh_status()

    def note(self, text: str) -> None:
        self.query_one("#tokens-output", Static).update(text)

    def refresh_status(self) -> None:
        if not self.result:
            return
        access = self.claims.get("access", {})
        exp = access.get("exp")
        left = f"access token expires {human_time(exp)}" if exp else ""
        refresh = self.result.get("RefreshToken")
        refresh_text = "none" if not refresh else (escape(refresh[:40]) + "…" if self.revealed else MASK)
        device = self.result.get("NewDeviceMetadata")
        device_text = (
            f"\nNew device {escape(device['DeviceKey'])}: ctrl+k remembers it (ConfirmDevice)" if device else ""
        )
        self.query_one("#tokens-status", Static).update(
            f"[b]{escape(str(access.get('username', '')))}[/b] · {left} · scope {escape(str(access.get('scope', '')))}\n"
            f"{escape(self.verification)}\nrefresh token: {refresh_text}{device_text}\n"
            "[dim]ctrl+f refresh · g GetUser · v revoke · o global sign-out · x export · ctrl+y reveal[/]"
        )
