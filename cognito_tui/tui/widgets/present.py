"""Presenter mode's panel: the step as a caption, a sentence of narration, and the sequence diagram.

Big and plain for a room: bold, high contrast, no Session blobs and no JSON. It reads only what
core/narration.py reads (operations, outcomes, challenge parameters), so nothing secret can reach
it, whatever else is revealed.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from cognito_tui.tui.widgets.sequence import SequenceDiagram, arrows_of

SIGN_IN_OPERATIONS = frozenset(
    {
        "InitiateAuth",
        "AdminInitiateAuth",
        "RespondToAuthChallenge",
        "AdminRespondToAuthChallenge",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
    }
)


class PresenterPanel(Vertical):
    """Fed by the main screen (records, steps, the call in flight); drawn from them alone."""

    SCOPED_CSS = False  # the rules below also clear the main screen's noise while it presents
    DEFAULT_CSS = """
    #presenter { display: none; }
    MainScreen.presenting #presenter { display: block; }
    MainScreen.presenting.-present-away #sidebar { display: none; }
    MainScreen.presenting ChallengeView #step-params, MainScreen.presenting ChallengeView #step-explain {
        display: none;
    }
    MainScreen.presenting ChallengeView #step-title { text-style: bold; color: $text; }
    PresenterPanel { height: auto; max-height: 70%; background: $background; }
    PresenterPanel #present-caption {
        height: 1; padding: 0 1; text-style: bold; background: $accent; color: $background;
    }
    PresenterPanel #present-narration {
        height: auto; padding: 0 1; margin: 0 0 1 0; text-style: bold; color: $text;
        border: heavy $accent; background: $boost;
    }
    PresenterPanel SequenceDiagram { height: auto; margin-bottom: 1; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.records: list[Any] = []
        self.step: Any = None
        self.walk: Any = None
        self.pending: str | None = None
        self.narration = ""
        self.caption = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="present-caption")
        yield Static("", id="present-narration")
        yield SequenceDiagram(id="present-diagram")

    def on_mount(self) -> None:
        self.redraw()
        self.watch(self.screen.query_one("#tabs"), "active", self._tab_changed)

    def _tab_changed(self, active: str) -> None:
        """The profile list stays for choosing on the Connect tab; elsewhere the room sees the walk alone."""
        self.screen.set_class(active != "connect", "-present-away")

    # --- fed by the main screen -------------------------------------------------------------------

    def load(self, records: list[Any], step: Any, walk: Any) -> None:
        self.records, self.step, self.walk, self.pending = list(records), step, walk, None
        self.redraw()

    def clear(self) -> None:
        self.load([], None, None)

    def add(self, record: Any) -> None:
        self.records.append(record)
        self.pending = None
        self.redraw()

    def started(self, operation: str) -> None:
        self.pending = operation
        self.redraw()

    def stopped(self) -> None:
        self.pending = None
        self.redraw()

    def show_step(self, step: Any, walk: Any) -> None:
        self.step, self.walk, self.pending = step, walk, None
        self.redraw()

    # --- drawing ------------------------------------------------------------------------------------

    def on_resize(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        if not self.is_mounted:
            return
        self.caption, self.narration = self._caption(), self._narration()
        self.query_one("#present-caption", Static).update(escape(self.caption))
        self.query_one("#present-narration", Static).update(escape(self.narration))
        rows = max(self.app.size.height - 18, 4)  # what the room sees: leave the walk's fields their lines
        self.query_one(SequenceDiagram).show(arrows_of(self.records, self.pending), max_rows=rows)

    def _caption(self) -> str:
        from cognito_tui.core.walk import Challenge, Failed, SignedIn

        step, calls = self.step, len(self.records)
        where = f"{calls} call{'s' if calls != 1 else ''} so far"
        if self.pending:
            return f"PRESENTER · waiting for Cognito: {self.pending} · {where}"
        if isinstance(step, Challenge):
            verify = " (verify the app)" if step.phase else ""
            return f"PRESENTER · Cognito asks: {step.spec.title}{verify} · {where}"
        if isinstance(step, SignedIn):
            return f"PRESENTER · Signed in · {where}"
        if isinstance(step, Failed):
            return f"PRESENTER · Refused: {step.code} · {where}"
        return "PRESENTER · no sign-in yet · p leaves presenter mode"

    def _narration(self) -> str:
        from cognito_tui.core.narration import context_of, narrate_calls, narrate_step

        if self.pending:
            return f"The app sent {self.pending} and waits for Cognito's answer."
        last = self.records[-1] if self.records else None
        if last is not None and (last.operation not in SIGN_IN_OPERATIONS or self.step is None):
            return narrate_calls(self.records)[-1]  # a token action after the walk, or a pre-flight read
        if self.step is not None:
            return narrate_step(self.step, context_of(self.walk))
        return "Pick a profile on the Connect tab and press ctrl+r: each call to Cognito appears below as an arrow."


# --- the toggle, called by the main screen ----------------------------------------------------------


def toggle(screen: Any) -> bool:
    """Presenter mode on or off for the main screen; on, every secret is masked first. Returns the new state."""
    panel = panel_of(screen)
    if panel is None:
        panel = PresenterPanel(id="presenter")
        screen.query_one("#main").mount(panel, before="#tabs")
    screen.presenting = not screen.presenting
    screen.set_class(screen.presenting, "presenting")
    banner = screen.query_one("#banner", Static)  # its display is set inline (by the store's load): CSS cannot hide it
    banner.display = not screen.presenting and bool(str(banner.render()).strip())
    if screen.presenting:
        mask_everything(screen)
        calls = screen.pane("calls").content
        walk = screen.pane("walk").content
        panel.load(calls.records if calls is not None else [], screen.step, walk.walk if walk is not None else None)
    return bool(screen.presenting)


def panel_of(screen: Any) -> PresenterPanel | None:
    found = screen.query("#presenter")
    return found.first(PresenterPanel) if found else None


def mask_everything(screen: Any) -> None:
    """Whatever ctrl+y revealed is masked again: the form's fields, the panes, the MFA-setup secret."""
    from textual.widgets import Input

    screen.revealed = False
    for name in ("password", "client_secret", "refresh_token"):
        for widget in screen.query(f"#{name}").results(Input):
            widget.password = True
    for name in ("walk", "tokens", "calls"):
        pane = screen.pane(name)
        if pane.content is not None:
            pane.deliver(lambda content: content.set_revealed(False))


def refuse_reveal(screen: Any) -> None:
    mask_everything(screen)
    screen.notify(
        "Presenter mode keeps every secret masked: p (or the palette) leaves it, then ctrl+y reveals.", timeout=4
    )


def feed(screen: Any, method: str, *args: Any) -> None:
    """Pass a walk event on to the panel, when presenter mode is on."""
    if getattr(screen, "presenting", False):
        panel = panel_of(screen)
        if panel is not None:
            getattr(panel, method)(*args)
