"""Small modal screens: help, confirm, a text prompt, a read-only text view, the stored secrets."""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, DataTable, Input, Static

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 80%; max-width: 100; height: auto; max-height: 90%; border: thick $accent; background: $surface; padding: 1 2; }}
{name} Horizontal {{ height: auto; align-horizontal: right; padding-top: 1; }}
{name} Button {{ margin-left: 1; }}
"""


class Confirm(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="Confirm")
    BINDINGS = [Binding("escape", "dismiss(False)", "Cancel")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(escape(self.question))
            with Horizontal():
                yield Button("Cancel", id="no")
                yield Button("Delete", id="yes", variant="error")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class TextPrompt(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="TextPrompt")
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question, self.value = question, value

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(escape(self.question))
            yield Input(self.value, id="answer")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class SaveProfileScreen(ModalScreen[tuple[str, bool] | None]):
    """Name the profile; a name `check` refuses is said here and the dialog stays open."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SaveProfileScreen") + "SaveProfileScreen #name-problem { color: $error; }"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, name: str, check: Callable[[str], str | None] | None = None, keyring: str | None = None):
        super().__init__()
        self.suggested = name
        self.check = check or (lambda name: None if name else "Give the profile a name; escape cancels.")
        self.keyring = keyring  # the OS keyring's name; None: secrets can only be kept in memory

    def compose(self) -> ComposeResult:
        where = "in the OS keyring" if self.keyring else "in memory for this session (no OS keyring: F1 says why)"
        with Vertical():
            yield Static(
                f"Save the form as a profile. The YAML never holds secrets; tick the box to keep the password and "
                f"client secret {where}."
            )
            yield Input(self.suggested, placeholder="profile name", id="name")
            yield Static("", id="name-problem")
            label = "Store the password and client secret in the keyring" if self.keyring else "Keep them in memory"
            yield Checkbox(label, id="secrets")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def _done(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        problem = self.check(name)
        if problem:
            self.query_one("#name-problem", Static).update(escape(problem))
            self.query_one("#name", Input).focus()
            return
        self.dismiss((name, self.query_one("#secrets", Checkbox).value))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#name-problem", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._done()
        else:
            self.dismiss(None)


class TextView(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="TextView")
    BINDINGS = [Binding("escape", "dismiss(None)", "Close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"[b]{escape(self.title_text)}[/b]  [dim](escape closes)[/]")
            with VerticalScroll():
                yield Static(escape(self.text))


class SecretsScreen(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="SecretsScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Close"), Binding("delete", "delete", "Delete")]

    def __init__(self, store) -> None:
        super().__init__()
        self.store = store

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"[b]Stored secrets[/b] in {escape(getattr(self.store, 'name', 'memory'))} — names only; delete removes the selected one"
            )
            yield DataTable(id="secrets", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("profile", "kind")
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for profile, kind in self.store.list():
            table.add_row(profile, str(kind), key=f"{profile}\x00{kind}")

    def action_delete(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or ""
        profile, kind = key.split("\x00")
        self.store.delete(profile, kind)
        self._fill()
        self.app.notify(f"Deleted the {kind} of {profile!r}")


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="HelpScreen")
    BINDINGS = [Binding("escape", "dismiss(None)", "Close"), Binding("f1", "dismiss(None)", "Close")]

    def __init__(self, app) -> None:
        super().__init__()
        self.target = app

    def compose(self) -> ComposeResult:
        from cognito_tui.tui.palette import all_bindings

        lines = ["[b]cognito-tui[/b] — walk Cognito sign-ins step by step.", ""]
        lines.append("1. Pick a profile on the left (with --sandbox: one per demo scenario), or fill the Connect form.")
        lines.append("2. F5 runs the pre-flight checks; ctrl+r starts the sign-in.")
        lines.append("3. Answer each challenge (ctrl+s); ctrl+t / ctrl+o fill TOTP and outbox codes.")
        lines.append(
            "4. Tokens: refresh, GetUser, revoke, sign out, export. Calls: every request and its AWS CLI command."
        )
        lines.append("")
        for binding, _ in all_bindings(self.target):
            if binding.description:
                key = _key_for(self.target, binding)
                lines.append(
                    f"  [b]{escape(key.ljust(10))}[/b]  {escape(binding.description.ljust(20))} [dim]{binding.id}[/]"
                )
        lines.append("")
        lines.append(
            "Keys can be remapped in settings.yaml beside profiles.yaml:  keymap: {start-walk: ctrl+g}  and a theme: theme: nord"
        )
        warning = self.target.services.keyring_warning
        if warning:
            lines += ["", f"[b]Keyring[/b]: {escape(warning)}"]
        with Vertical():
            with VerticalScroll():
                yield Static("\n".join(lines))


def _key_for(app, binding) -> str:
    keymap = getattr(app, "_keymap", None) or {}
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    return keys.split(",")[0]  # the first of several keys is the one to remember
