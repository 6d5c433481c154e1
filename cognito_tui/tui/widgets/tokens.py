"""Tokens: ID and access claims as tables, verification, the refresh token masked."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from cognito_tui.core.redact import MASK
from cognito_tui.core.tokens import TIME_CLAIMS, human_time
from cognito_tui.tui import messages as m
from cognito_tui.tui.threads import off_thread

if TYPE_CHECKING:
    from cognito_tui.core.walk import SignedIn, Walk
    from cognito_tui.tui.services import Services

EXPORT_NEXT = {"shell": "header", "header": "json", "json": "shell"}


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
    hint = (
        "[dim]ctrl+f refresh · g GetUser · v revoke · o global sign-out · x export · ctrl+y reveal[/]"  # OAuth: its own
    )
    DEFAULT_CSS = """
    TokensPane #tokens-status { height: auto; padding: 0 1; }
    TokensPane Horizontal { height: 1fr; }
    TokensPane Vertical.claims { width: 1fr; }
    TokensPane .claims > Static { text-style: bold; padding: 0 1; }
    TokensPane #tokens-output { height: auto; max-height: 12; padding: 0 1; color: $accent; }
    """

    def __init__(self, services: Services, **kw) -> None:
        super().__init__(**kw)
        self.services = services
        self.signed_in: SignedIn | None = None
        self.walk: Walk | None = None
        self.endpoint_url: str | None = None
        self.rotation = False  # the client rotates refresh tokens (from the pre-flight)
        self._export_format = "json"  # x cycles shell -> header -> json
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
            f"{escape(self.verification)}\nrefresh token: {refresh_text}{device_text}\n{self.hint}"
        )

    # --- the tokens of a sign-in, and what can be done with them -------------------------------------

    def show_signed_in(self, step: SignedIn, walk: Walk | None, endpoint_url: str | None) -> None:
        self.signed_in, self.walk, self.endpoint_url = step, walk, endpoint_url
        self.show(step.result, step.claims)
        self.verify(step)

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        self.refresh_status()

    @work(exclusive=True, group="verify", exit_on_error=False, description="verifying tokens")
    async def verify(self, step: SignedIn) -> None:
        self.set_verification(await off_thread(self._verify, step))

    def _verify(self, step: SignedIn) -> str:
        """The signatures checked against the pool's JWKS (blocking: one HTTP GET)."""
        from cognito_tui.aws.jwks import JwksError, fetch_jwks, verify
        from cognito_tui.core.tokens import issuer_note, jwks_url

        claims = step.claims.get("id") or step.claims.get("access") or {}
        issuer = claims.get("iss", "")
        request = self.walk.request if self.walk else None
        url = jwks_url(issuer, self.endpoint_url)  # the walk's own endpoint when it had one, never AWS behind it
        try:
            jwks = fetch_jwks(url)
        except JwksError as exc:  # offline, blocked, not a JWKS: say so rather than pretend
            return f"signature not checked: {exc}"
        note = issuer_note(request.user_pool_id, claims) if request else None
        parts = []
        for key, use in (("IdToken", "id"), ("AccessToken", "access")):
            if key in step.result:
                result = verify(
                    step.result[key], jwks, issuer=issuer or None, client_id=request.client_id if request else None
                )
                parts.append(f"{use}: {'✓' if result.ok else '✗'} {result.detail}")
        if note:
            parts.append(f"⚠ {note}")
        return "\n".join(parts)

    def _action(self, label: str, fn: Callable[[Any, dict], Any]) -> None:
        if self.walk is None or self.signed_in is None:
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self.note(f"[dim]{escape(label)}…[/]")
        self._run_action(label, fn, self.signed_in)

    @work(exclusive=True, group="tokens", exit_on_error=False, description="token action")
    async def _run_action(self, label: str, fn: Callable[[Any, dict], Any], step: SignedIn) -> None:
        from cognito_tui.core.actions import TokenActions
        from cognito_tui.core.errors import CognitoError, TransportError, explain

        assert self.walk is not None
        actions = TokenActions(self.walk.caller, self.walk.request)
        try:
            outcome = await off_thread(fn, actions, step.result)
        except (CognitoError, TransportError) as exc:
            self.post_message(m.ActionFailed(label, explain(exc).text()))
            return
        except ValueError as exc:
            self.post_message(m.ActionFailed(label, str(exc)))
            return
        changed = outcome if hasattr(outcome, "result") or hasattr(outcome, "explanation") else None
        self.post_message(m.TokensChanged(changed, f"{label}: {outcome if isinstance(outcome, str) else 'done'}"))

    def on_tokens_changed(self, event: m.TokensChanged) -> None:
        from cognito_tui.core.walk import Failed, SignedIn

        if isinstance(event.step, SignedIn):
            self.signed_in = event.step
            self.show(event.step.result, event.step.claims)
            self.verify(event.step)
            self.notify("New tokens.", title="Refreshed")
        elif isinstance(event.step, Failed):
            self.notify(event.step.explanation.text(), title=event.step.code, severity="error", timeout=10)
            self.note(escape(event.step.explanation.text()))
            return
        self.note(escape(event.note))

    def on_action_failed(self, event: m.ActionFailed) -> None:
        self.notify(event.detail, title=f"{event.title} failed", severity="error", timeout=10)
        self.note(escape(f"{event.title} failed:\n{event.detail}"))
        event.stop()

    def refresh_tokens(self) -> None:
        rotation = self.rotation
        self._action("Refresh", lambda a, result: a.refresh(result, rotation=rotation))

    def get_user(self) -> None:
        self._action(
            "GetUser",
            lambda a, result: json.dumps(a.get_user(result["AccessToken"]).get("UserAttributes", []), indent=1),
        )

    def revoke(self) -> None:
        self._action("RevokeToken", lambda a, result: (a.revoke(result["RefreshToken"]), "refresh token revoked")[1])

    def global_sign_out(self) -> None:
        self._action(
            "GlobalSignOut", lambda a, result: (a.global_sign_out(result["AccessToken"]), "signed out everywhere")[1]
        )

    def remember_device(self) -> None:
        def remember(actions, result):
            device = actions.confirm_device(result["AccessToken"], result["NewDeviceMetadata"], "cognito-tui")
            self.post_message(m.DeviceRemembered(device))
            return f"device {device.device_key} remembered; the next sign-in proves it instead of MFA"

        if self.signed_in is None or not self.signed_in.new_device:
            self.notify(
                "No NewDeviceMetadata in these tokens (device tracking off, or a device key was sent).",
                severity="warning",
            )
            return
        self._action("ConfirmDevice", remember)

    def export(self) -> None:
        from cognito_tui.core.tokens import export_text

        if self.signed_in is None:
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self._export_format = EXPORT_NEXT.get(self._export_format, "shell")
        text = export_text(self.signed_in.result, self._export_format)
        self.app.copy_to_clipboard(text)
        shown = (
            text if self.revealed else f"({self._export_format} export copied to the clipboard; ctrl+y shows it here)"
        )
        self.note(escape(shown))
        self.notify(f"Tokens copied as {self._export_format} (x again for the next format).")
