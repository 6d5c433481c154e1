"""The TOTP workbench as a screen of its own (t outside a text field, or the command palette): escape goes back."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header

from cognito_tui.tui.widgets.totp import TotpWorkbench, WorkbenchContext


class TotpScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="totp-back"),
        Binding("ctrl+t", "fill", "Code from seed", id="totp-fill"),
        Binding("ctrl+s", "verify", "Verify", id="totp-verify"),
        Binding("ctrl+y", "reveal", "Reveal", id="totp-reveal"),
    ]

    def __init__(self, context: WorkbenchContext) -> None:
        super().__init__()
        self.context = context

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll():
            yield TotpWorkbench(self.context, id="totp-workbench")
        yield Footer()

    @property
    def bench(self) -> TotpWorkbench:
        return self.query_one(TotpWorkbench)

    def action_fill(self) -> None:
        self.bench.fill_code()

    def action_verify(self) -> None:
        self.bench.verify()

    def action_reveal(self) -> None:
        self.bench.set_revealed(not self.bench.revealed)


def open_workbench(screen: Any) -> None:
    """From the main screen: the workbench for the form's profile and user, with the last sign-in's token."""
    hooks = screen.vault_hooks
    scope, vault = hooks.scope(), hooks.vault
    if scope is None or vault is None:
        screen.notify(
            "Pick a profile (or fill the pool id) and a username first: the seed is kept per profile and user.",
            severity="warning",
        )
        return
    tokens = screen.pane("tokens").content
    walk = getattr(tokens, "walk", None)
    signed_in = getattr(tokens, "signed_in", None)
    token = signed_in.result.get("AccessToken") if signed_in is not None else None
    who = (signed_in.claims.get("access", {}) or {}).get("username") if signed_in is not None else None
    context = WorkbenchContext(
        profile=scope[0],
        user=scope[1],
        vault=vault,
        now=hooks.clock(),
        caller=walk.caller if walk is not None else None,
        access_token=token,
        signed_in_as=who,
        profile_seed=screen.profile_seed(),
    )
    screen.app.push_screen(TotpScreen(context))
