"""The current step: a challenge rendered from its ChallengeSpec, or the outcome of the walk."""

from __future__ import annotations

import json
import re

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.widgets import Input, Label, Select, Static, TextArea

from cognito_tui.core.challenges import FieldKind, FieldSpec, Prefill
from cognito_tui.core.tokens import duration

TOTP_COUNTDOWN = re.compile(r"next code in \d+ s")  # the helper line the app writes; ticks with the clock


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
    ChallengeView #step-setup { height: auto; }
    ChallengeView #step-qr { height: auto; width: auto; padding-right: 2; }
    ChallengeView #step-secret { height: auto; width: 1fr; }
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
        with Horizontal(id="step-setup"):
            yield Static("", id="step-qr")
            yield Static("", id="step-secret")

    # --- showing steps ------------------------------------------------------------------------

    def show_step(self, step, session_number: int = 0, kept: dict[str, str] | None = None) -> None:
        """Render `step`; `kept` pre-fills fields with answers typed in the walk before a restart."""
        from cognito_tui.core.walk import Challenge, Failed, Recovery, SignedIn

        self.step = step
        self.query_one("#step-problems", Static).update("")
        self.query_one("#step-qr", Static).update("")
        self.query_one("#step-secret", Static).update("")
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
            widgets = [self._field_row(f, step, (kept or {}).get(f.name, "")) for f in step.fields]
            if widgets:
                fields.mount_all(widgets)
            else:
                fields.mount(Static("[dim]Nothing to type: ctrl+s sends the answer the app computes.[/]"))
            self.render_secret_extras()
            self.call_after_refresh(self._refresh_conditionals)
            self.call_after_refresh(self.focus_first_field)
        elif isinstance(step, SignedIn):
            self.query_one("#step-title", Static).update(
                "[b $success]Signed in[/] — the tokens are in the Tokens tab (F9 or 3)"
            )
            self.query_one("#step-explain", Static).update("")
            self.query_one("#step-params", Static).update("")
            self.query_one("#step-countdown", Static).update("")
        elif isinstance(step, Failed):
            expl = step.explanation
            self.query_one("#step-title", Static).update(f"[b $error]{escape(step.code)}[/]: {escape(step.message)}")
            checks = "\n".join(f"• {escape(c)}" for c in expl.checks)
            what = (
                "ctrl+e retries the same challenge (its Session is still valid)"
                if step.recovery is Recovery.RETRY
                else "this Session is spent: ctrl+r restarts with the same inputs (ctrl+e too; answers typed so far are kept)"
                if step.answered is not None
                else "ctrl+r restarts with the same inputs"
            )
            self.query_one("#step-explain", Static).update(
                f"[b]{escape(expl.title)}[/b]\n{escape(expl.meaning)}\n{checks}\n\n[dim]{what}[/]"
            )
            self.query_one("#step-params", Static).update("")
            self.query_one("#step-countdown", Static).update("")

    def _params_text(self, step, session_number: int) -> str:
        shown = step.spec.shown_parameters(step.parameters)
        lines = []
        if shown:
            lines.append("[b]ChallengeParameters[/b]")
            for key, value in shown.items():
                lines.append(f"  {escape(key)} = {escape(_short(value))}")
        hidden = [k for k in step.parameters if k not in shown]
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

    def _field_row(self, f: FieldSpec, step, value: str = "") -> Horizontal:
        widget_id = f"field-{_safe(f.name)}"
        options = f.options(step.parameters, step.available_challenges)
        widget: Select[str] | TextArea | Input
        if f.kind is FieldKind.CHOICE:
            # The first option is preselected: one key (ctrl+s) takes the usual choice, arrows change it.
            widget = Select(
                [(o, o) for o in options],
                prompt=f"choose ({len(options)})",
                id=widget_id,
                value=value if value in options else (options[0] if options else Select.NULL),
            )
        elif f.kind is FieldKind.JSON:
            widget = TextArea(value, id=widget_id)
        else:
            placeholder = f.help or (
                "the sign-in password is used if left empty" if f.prefill is Prefill.PASSWORD else ""
            )
            widget = Input(
                value,
                placeholder=placeholder,
                password=f.secret,
                restrict=r"\d*" if f.kind is FieldKind.CODE else None,
                id=widget_id,
            )
        row = Horizontal(Label(f.label + ("" if f.required else " ·")), widget, classes="field")
        row.field_spec = f  # type: ignore[attr-defined]
        row.field_widget = widget  # type: ignore[attr-defined]
        return row

    def focus_first_field(self, tries: int = 10, fallback: bool = False) -> None:
        """Focus the first input once the freshly mounted fields are there (mounting is async)."""
        for widget in self.query("#step-fields Input, #step-fields Select, #step-fields TextArea"):
            if widget.display:
                widget.focus()
                return
        if fallback:
            self.focus()  # no field: the view itself, so the Walk tab stays the active one
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
        """MFA setup: the otpauth QR beside the secret in groups of four, both masked until revealed."""
        step = self.step
        extra = getattr(step, "extra", {}) or {}
        if not extra.get("secret_code"):
            return
        qr, text = self.query_one("#step-qr", Static), self.query_one("#step-secret", Static)
        secret = extra["secret_code"].value
        if not self.revealed:
            qr.update("")
            masked = " ".join("••••" for _ in range(0, len(secret), 4))
            text.update(
                "[b]Authenticator setup[/b]\n"
                f"secret: {masked}\n\n"
                "ctrl+y reveals the QR code and the secret; ctrl+t then types the current code from it."
            )
            return
        from cognito_tui.tui.widgets.qr import qr_lines

        uri = extra["otpauth_uri"].value
        qr.update("\n".join(qr_lines(uri, border=1)))
        text.update(
            "[b]Authenticator setup[/b]\n"
            f"secret (type it, or scan the QR code):\n[b]{escape(group_by_four(secret))}[/b]\n\n"
            f"otpauth URI (select to copy):\n{escape(uri)}\n\n"
            "ctrl+t types the current code from this secret."
        )

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


def group_by_four(secret: str) -> str:
    """JBSWY3DPEHPK3PXP -> JBSW Y3DP EHPK 3PXP: easier to type into an authenticator app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
