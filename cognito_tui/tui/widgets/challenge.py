"""The current step: a challenge rendered from its ChallengeSpec, or the outcome of the walk."""

from __future__ import annotations

import json
import re

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Input, Label, Select, Static, TextArea

from cognito_tui.core.challenges import FieldKind, FieldSpec
from cognito_tui.core.tokens import duration

TOTP_COUNTDOWN = re.compile(r"next code in \d+ s")  # the helper line the app writes; ticks with the clock
HIDDEN_PARAMS = {"SRP_B", "SALT", "SECRET_BLOCK"}


class ChallengeView(VerticalScroll):
    """Renders whatever step the walk is at. Fields come from the engine's spec, never hand-written."""

    DEFAULT_CSS = """
    ChallengeView { padding: 0 1; }
    ChallengeView #step-title { text-style: bold; padding-top: 1; }
    ChallengeView #step-countdown { color: $text-muted; }
    ChallengeView #step-explain { padding: 1 0; }
    ChallengeView #step-fields { height: auto; }
    ChallengeView .field { height: auto; }
    ChallengeView .field > Label { width: 26; padding: 1 1 0 0; text-align: right; }
    ChallengeView .field > Input, ChallengeView .field > Select { width: 1fr; }
    ChallengeView .field > TextArea { width: 1fr; height: 5; }
    ChallengeView #step-helpers { color: $accent; padding: 1 0 0 0; height: auto; }
    ChallengeView #step-qr { height: auto; }
    ChallengeView #step-problems { color: $error; height: auto; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.step = None
        self.revealed = False
        self.helpers = ""

    def compose(self) -> ComposeResult:
        yield Static("No sign-in yet. Fill the Connect form (or pick a profile) and press ctrl+r.", id="step-title")
        yield Static("", id="step-countdown")
        yield Static("", id="step-explain")
        yield Static("", id="step-params")
        yield Vertical(id="step-fields")
        yield Static("", id="step-problems")
        yield Static("", id="step-helpers")
        yield Static("", id="step-qr")

    # --- showing steps ------------------------------------------------------------------------

    def show_step(self, step, session_number: int = 0) -> None:
        from cognito_tui.core.walk import Challenge, Failed, SignedIn

        self.step = step
        self.query_one("#step-problems", Static).update("")
        self.query_one("#step-qr", Static).update("")
        self.query_one("#step-helpers", Static).update("")
        fields = self.query_one("#step-fields", Vertical)
        fields.remove_children()
        if isinstance(step, Challenge):
            phase = " · verify the app" if step.phase else ""
            rnd = f" · round {step.round}" if step.round > 1 else ""
            self.query_one("#step-title", Static).update(
                f"[b]{escape(step.name)}[/b]{phase}{rnd} — {escape(step.spec.title)}"
            )
            self.query_one("#step-explain", Static).update(escape(step.spec.explanation))
            self.query_one("#step-params", Static).update(self._params_text(step, session_number))
            widgets = [self._field_row(f, step) for f in step.fields]
            if widgets:
                fields.mount_all(widgets)
            else:
                fields.mount(Static("[dim]Nothing to type: ctrl+s sends the answer the app computes.[/]"))
            self.render_secret_extras()
            self.call_after_refresh(self._refresh_conditionals)
            self.call_after_refresh(self.focus_first_field)
        elif isinstance(step, SignedIn):
            self.query_one("#step-title", Static).update(
                "[b $success]Signed in[/] — the tokens are in the Tokens tab (alt+3)"
            )
            self.query_one("#step-explain", Static).update("")
            self.query_one("#step-params", Static).update("")
            self.query_one("#step-countdown", Static).update("")
        elif isinstance(step, Failed):
            expl = step.explanation
            self.query_one("#step-title", Static).update(f"[b $error]{escape(step.code)}[/]: {escape(step.message)}")
            checks = "\n".join(f"• {escape(c)}" for c in expl.checks)
            what = "ctrl+e retries the same challenge" if step.retry else "ctrl+r restarts with the same inputs"
            self.query_one("#step-explain", Static).update(
                f"[b]{escape(expl.title)}[/b]\n{escape(expl.meaning)}\n{checks}\n\n[dim]{what}[/]"
            )
            self.query_one("#step-params", Static).update("")
            self.query_one("#step-countdown", Static).update("")

    def _params_text(self, step, session_number: int) -> str:
        shown = {k: v for k, v in step.parameters.items() if k not in HIDDEN_PARAMS}
        lines = []
        if shown:
            lines.append("[b]ChallengeParameters[/b]")
            for key, value in shown.items():
                lines.append(f"  {escape(key)} = {escape(_short(value))}")
        hidden = [k for k in step.parameters if k in HIDDEN_PARAMS]
        if hidden:
            lines.append(f"  [dim]{', '.join(hidden)}: SRP values, in the Calls tab[/]")
        if step.available_challenges:
            lines.append(f"[b]AvailableChallenges[/b]: {escape(', '.join(step.available_challenges))}")
        session = (
            f"Session no. {session_number} of this walk (single use)"
            if step.session
            else "no Session (the SECRET_BLOCK carries the state)"
        )
        lines.append(f"[dim]answer as USERNAME {escape(step.username)} · {session}[/]")
        return "\n".join(lines)

    def _field_row(self, f: FieldSpec, step) -> Horizontal:
        widget_id = f"field-{_safe(f.name)}"
        options = f.options(step.parameters, step.available_challenges)
        if f.kind is FieldKind.CHOICE:
            # The first option is preselected: one key (ctrl+s) takes the usual choice, arrows change it.
            widget = Select(
                [(o, o) for o in options],
                prompt=f"choose ({len(options)})",
                id=widget_id,
                value=options[0] if options else Select.NULL,
            )
        elif f.kind is FieldKind.JSON:
            widget = TextArea(id=widget_id)
        else:
            placeholder = f.help or ("the sign-in password is used if left empty" if f.prefill else "")
            widget = Input(
                placeholder=placeholder,
                password=f.secret,
                restrict=r"\d*" if f.kind is FieldKind.CODE else None,
                id=widget_id,
            )
        row = Horizontal(Label(f.label + ("" if f.required else " ·")), widget, classes="field")
        row.field_spec = f  # type: ignore[attr-defined]
        row.field_widget = widget  # type: ignore[attr-defined]
        return row

    def focus_first_field(self, tries: int = 10) -> None:
        """Focus the first input once the freshly mounted fields are there (mounting is async)."""
        for widget in self.query("#step-fields Input, #step-fields Select, #step-fields TextArea"):
            if widget.display:
                widget.focus()
                return
        if tries > 0 and self.query("#step-fields .field") is not None and self.step is not None:
            self.set_timer(0.05, lambda: self.focus_first_field(tries - 1))

    def on_select_changed(self, event: Select.Changed) -> None:
        self._refresh_conditionals()

    def _refresh_conditionals(self) -> None:
        values = self.values()
        for row in self.query("#step-fields .field"):
            spec: FieldSpec = row.field_spec  # type: ignore[attr-defined]
            row.display = spec.when is None or spec.when.holds(values)

    def values(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for row in self.query("#step-fields .field"):
            spec: FieldSpec = row.field_spec  # type: ignore[attr-defined]
            widget = row.field_widget  # type: ignore[attr-defined]
            if isinstance(widget, Select):
                value = "" if widget.value is Select.NULL else str(widget.value)
            elif isinstance(widget, TextArea):
                value = widget.text.strip()
            else:
                value = widget.value.strip()
            if value:
                out[spec.name] = value
        return out

    def set_value(self, name: str, value: str) -> bool:
        for row in self.query("#step-fields .field"):
            if row.field_spec.name == name:  # type: ignore[attr-defined]
                widget = row.field_widget  # type: ignore[attr-defined]
                if isinstance(widget, Input):
                    widget.value = value
                    return True
        return False

    def code_field(self) -> str | None:
        """The name of the one-time-code field of this step, if it has one."""
        for row in self.query("#step-fields .field"):
            if row.field_spec.kind is FieldKind.CODE:  # type: ignore[attr-defined]
                return row.field_spec.name  # type: ignore[attr-defined]
        return None

    def show_problems(self, problems: list[str]) -> None:
        self.query_one("#step-problems", Static).update("\n".join(f"✗ {escape(p)}" for p in problems))

    def show_helpers(self, text: str) -> None:
        self.helpers = text
        self.query_one("#step-helpers", Static).update(text)

    def render_secret_extras(self) -> None:
        """MFA setup: the otpauth QR and the secret, masked until revealed."""
        step = self.step
        extra = getattr(step, "extra", {}) or {}
        if not extra.get("secret_code"):
            return
        qr = self.query_one("#step-qr", Static)
        if not self.revealed:
            qr.update("[b]Authenticator setup[/b]: the QR code and secret are hidden — ctrl+y reveals them.")
            return
        from cognito_tui.tui.widgets.qr import qr_lines

        uri = extra["otpauth_uri"].value
        lines = qr_lines(uri)
        qr.update("\n".join(lines) + f"\n\nsecret: {extra['secret_code'].value}\n{escape(uri)}")

    def tick(self, now: float) -> None:
        from cognito_tui.core.walk import Challenge

        step = self.step
        if not isinstance(step, Challenge) or step.expires_at is None:
            return
        try:
            label = self.query_one("#step-countdown", Static)
        except NoMatches:  # the app is closing and took the children first; the timer fired late
            return
        if TOTP_COUNTDOWN.search(self.helpers):
            from cognito_tui.core.totp import seconds_left

            self.show_helpers(TOTP_COUNTDOWN.sub(f"next code in {seconds_left()} s", self.helpers))
        age = now - step.received_at
        left = step.expires_at - now
        color = "$error" if left < 30 else ("$warning" if left < 60 else "$text-muted")
        text = (
            f"session age {duration(age)} · expires in {duration(max(left, 0))}"
            if left > 0
            else "session expired: ctrl+r restarts"
        )
        label.update(f"[{color}]{text}[/]")


def _short(value: str, limit: int = 160) -> str:
    try:
        parsed = json.loads(value)
        if isinstance(parsed, (dict, list)):
            value = json.dumps(parsed)
    except ValueError:
        pass
    return value if len(value) <= limit else value[:limit] + "…"


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
