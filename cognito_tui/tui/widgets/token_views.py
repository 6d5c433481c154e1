"""The Tokens tab's views: a claim's whole value and meaning, two runs' claims side by side, a run picker."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from cognito_tui.core.claims import ClaimChange, differences, explain_claims, value_text


@dataclass(frozen=True)
class ClaimSet:
    """One run's claims to compare against: where they come from, in words, and the claims."""

    label: str
    claims: dict[str, dict[str, Any]]


class ClaimDetail(Static):
    """The highlighted claim, whole (wrapped, never cut), with what it means; else the tokens' summary."""

    DEFAULT_CSS = "ClaimDetail { height: auto; max-height: 9; padding: 0 1; border-top: hkey $panel; }"

    def show_claim(self, token: str, claim: str, value: Any, claims: dict[str, Any]) -> None:
        note = next((n for n in explain_claims(claims) if n.claim == claim), None)
        text = Text()
        text.append(f"{token} token · {claim}", style="bold")
        if note is not None and note.kind == "trigger":
            text.append("  (added by a trigger?)", style="italic")
        text.append("\n" + value_text(value) + "\n")  # the value before its meaning: the first to be seen
        if note is not None and note.text:
            text.append(note.text + " (enter: in a view of its own)", style="dim")
        self.update(text)


class DiffTable(DataTable):
    """Two runs' claims, token by token: ≠ changed, + added, - removed, ~ changes on every issue."""

    DEFAULT_CSS = "DiffTable { height: 1fr; }"

    def on_mount(self) -> None:
        self.cursor_type = "row"

    def show(self, rows: list[ClaimChange], before: str, after: str) -> None:
        self.clear(columns=True)
        self.add_columns("", "token", "claim", before, after)
        for row in rows:
            style = "dim" if row.change == "same" or row.volatile else "bold"
            cells = [row.mark, row.token, row.claim, value_text(row.before), value_text(row.after)]
            self.add_row(*(Text(c, style=style) for c in cells))


def diff_heading(rows: list[ClaimChange], before: str) -> str:
    """One line over the diff: how many claims differ, the expected ones apart."""
    real = differences(rows)
    volatile = len(differences(rows, include_volatile=True)) - len(real)
    said = f"{len(real)} claim(s) differ" if real else "no claim differs"
    return (
        f"[b]Claims compared with {escape(before)}[/b]: {said} (+ added, - removed, ≠ changed); "
        f"{volatile} change on every issue (~, dim). d closes"
    )


class RunPicker(ModalScreen[ClaimSet | None]):
    """Pick the run to compare with: an earlier sign-in of this session or a run from the history."""

    DEFAULT_CSS = """
    RunPicker { align: center middle; }
    RunPicker > Vertical { width: 90%; max-width: 110; height: auto; max-height: 80%;
                           border: thick $accent; background: $surface; padding: 0 1; }
    RunPicker OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, choices: list[ClaimSet]) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Compare the claims with…[/b] (enter picks, escape cancels)")
            if self.choices:
                yield OptionList(*(Option(escape(c.label), id=str(i)) for i, c in enumerate(self.choices)))
            else:
                yield Static("No earlier sign-in this session, and no run with claims in the history yet.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[int(event.option.id or 0)])
