"""The timeline of calls and, for the selected one, its request, response and AWS CLI command."""

from __future__ import annotations

import json

from rich.console import Group
from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from cognito_tui.core.tokens import duration
from cognito_tui.core.transcript import CallRecord, aws_cli_command


class Timeline(DataTable):
    DEFAULT_CSS = "Timeline { height: auto; max-height: 12; }"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.zebra_stripes = True
        self.add_columns("#", "call", "returned", "ms", "session age", "SECRET_HASH user")

    def add_record(self, index: int, record: CallRecord, attempts: int = 1) -> None:
        outcome = record.outcome + (f" ({attempts} attempts)" if attempts > 1 else "")
        style = "red" if not record.ok else ("green" if record.outcome == "tokens" else "")
        self.add_row(
            str(index + 1),
            record.operation,
            f"[{style}]{escape(outcome)}[/]" if style else escape(outcome),
            f"{record.duration_ms:.0f}",
            "—" if record.session_age is None else duration(record.session_age),
            record.hash_username or "—",
            key=str(index),
        )
        self.move_cursor(row=self.row_count - 1)


class CallDetail(VerticalScroll):
    DEFAULT_CSS = """
    CallDetail { padding: 0 1; }
    CallDetail Static { height: auto; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.record: CallRecord | None = None
        self.revealed = False
        self.aws_region: str | None = None
        self.endpoint_url: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("[dim]Select a call in the timeline.[/]", id="call-detail")

    def show(self, record: CallRecord | None) -> None:
        self.record = record
        if record is None:
            return
        from rich.syntax import Syntax  # pygments: loaded when a call is first shown, not at start

        request = json.dumps(record.masked_request(self.revealed), indent=2, default=str, ensure_ascii=False)
        response = json.dumps(record.masked_response(self.revealed), indent=2, default=str, ensure_ascii=False)
        state = "revealed" if self.revealed else "secrets masked — ctrl+y reveals"
        header = Text.from_markup(
            f"[b]{escape(record.operation)}[/b] · {record.duration_ms:.0f} ms · {escape(record.outcome)} · [dim]{state}[/]\n\n"
            f"[b]$ {escape(self.cli())}[/b]\n[dim]c copies the command[/]\n"
        )
        body = Group(
            header,
            Text("Request", style="bold"),
            Syntax(request, "json", word_wrap=True, background_color="default"),
            Text("\nResponse", style="bold"),
            Syntax(response, "json", word_wrap=True, background_color="default"),
        )
        self.query_one("#call-detail", Static).update(body)

    def cli(self, reveal: bool | None = None) -> str:
        if self.record is None:
            return ""
        reveal = self.revealed if reveal is None else reveal
        command = getattr(self.record, "command", None)
        if callable(command):  # an OAuth HTTP exchange (curl) or API call: it has its own
            return str(command(reveal))
        return aws_cli_command(
            self.record.operation, self.record.request, self.aws_region, self.endpoint_url, reveal=reveal
        )


PENDING = "pending"  # the row key of the call in flight


class CallsPane(Vertical):
    DEFAULT_CSS = "CallsPane CallDetail { height: 1fr; border-top: hkey $panel; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.records: list[CallRecord] = []
        self.pending: tuple[str, float] | None = None
        self.attempt = 1  # of the call in flight (retries counted as they start)

    def compose(self) -> ComposeResult:
        yield Timeline(id="timeline")
        yield CallDetail(id="call-detail-pane")

    def add(self, record: CallRecord) -> None:
        attempts = self.attempt if self.pending is not None else 1
        self._drop_pending()
        self.records.append(record)
        self.query_one(Timeline).add_record(len(self.records) - 1, record, attempts)
        self.query_one(CallDetail).show(record)

    def started(self, operation: str, at: float, now: float) -> None:
        """The call in flight, as a row of its own until its record comes."""
        self._drop_pending()
        self.pending = (operation, at)
        self.attempt = 1
        table = self.query_one(Timeline)
        table.add_row(
            str(len(self.records) + 1), operation, "[yellow]waiting…[/]", "0", "—", "escape cancels", key=PENDING
        )
        self.tick(now)

    def tick(self, now: float) -> None:
        if self.pending is None:
            return
        table = self.query_one(Timeline)
        elapsed_ms = max(now - self.pending[1], 0) * 1000
        table.update_cell(PENDING, table.ordered_columns[3].key, f"{elapsed_ms:.0f}", update_width=True)

    def retried(self, attempt: int, attempts: int, reason: str) -> None:
        """The pending row says which attempt runs and why the last one failed."""
        if self.pending is None:
            return
        self.attempt = attempt
        table = self.query_one(Timeline)
        text = f"[yellow]attempt {attempt} of {attempts} after {escape(reason)}…[/]"
        table.update_cell(PENDING, table.ordered_columns[2].key, text, update_width=True)

    def stopped(self) -> None:
        """The call in flight was cancelled or ended without a record."""
        self._drop_pending()

    def _drop_pending(self) -> None:
        if self.pending is not None:
            self.pending = None
            self.query_one(Timeline).remove_row(PENDING)

    def set_revealed(self, revealed: bool) -> None:
        detail = self.query_one(CallDetail)
        detail.revealed = revealed
        detail.show(detail.record)

    def copy_cli(self) -> None:
        detail = self.query_one(CallDetail)
        if detail.record is None:
            self.notify("No call selected.", severity="warning")
            return
        self.app.copy_to_clipboard(detail.cli())
        self.notify(
            "AWS CLI command copied"
            + ("" if detail.revealed else " (secrets as <PLACEHOLDERS>; ctrl+y first to include them)")
        )

    def clear(self) -> None:
        self.pending = None
        self.records.clear()
        self.query_one(Timeline).clear()
        detail = self.query_one(CallDetail)
        detail.record = None
        detail.query_one("#call-detail", Static).update("[dim]Select a call in the timeline.[/]")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value not in (None, PENDING):
            index = int(event.row_key.value)
            if index < len(self.records):  # a highlight of a row cleared since (a walk restarted at once)
                self.query_one(CallDetail).show(self.records[index])
