"""Past runs (redacted transcripts), newest first; one opens read-only."""

from __future__ import annotations

import json
import time
from pathlib import Path

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static


class HistoryPane(Vertical):
    DEFAULT_CSS = """
    HistoryPane DataTable { height: auto; max-height: 12; }
    HistoryPane VerticalScroll { height: 1fr; border-top: hkey $panel; padding: 0 1; }
    """

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.paths: list[Path] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="runs", cursor_type="row")
        with VerticalScroll():
            yield Static("[dim]Runs are saved here, redacted, when a walk ends.[/]", id="run-detail")

    def on_mount(self) -> None:
        self.query_one("#runs", DataTable).add_columns("when (UTC)", "run", "outcome")

    def reload(self, folder: Path) -> None:
        """List the runs in `folder` (small JSON files: read on the UI thread, as before)."""
        from cognito_tui.store.history import list_runs

        table = self.query_one("#runs", DataTable)
        table.clear()
        runs = list_runs(folder) if folder.exists() else []
        self.paths = [r.path for r in runs]
        for i, run in enumerate(runs):
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(run.started_at))
            table.add_row(when, run.title, run.outcome, key=str(i))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        from cognito_tui.store.history import load_run

        if event.row_key is None or event.row_key.value is None:
            return
        data = load_run(self.paths[int(event.row_key.value)])
        lines = [f"[b]{escape(data.get('title', ''))}[/b] → {escape(data.get('outcome', ''))}"]
        for i, call in enumerate(data.get("calls", []), 1):
            lines.append(
                f"\n[b]{i}. {escape(call['operation'])}[/b] → {escape(call['outcome'])} ({call['duration_ms']} ms)"
            )
            lines.append(escape(json.dumps({"request": call["request"], "response": call["response"]}, indent=1)))
        self.query_one("#run-detail", Static).update("\n".join(lines))


def save_walk(folder: Path, walk, outcome: str) -> str | None:
    """Keep the walk's transcript (redacted) as a run; None when saved, else what went wrong."""
    from cognito_tui.store.history import save_run

    req = walk.request
    title = f"{req.auth_flow} {req.username or ''} @ {req.user_pool_id}"
    meta = {"flow": req.auth_flow, "pool": req.user_pool_id, "client": req.client_id, "username": req.username}
    claims = getattr(walk.current, "claims", None)
    if claims:  # the Tokens tab compares runs' claims (issue 14); the device key masked
        from cognito_tui.core.claims import history_claims

        meta["claims"] = history_claims(claims)
    try:
        save_run(folder, title, outcome, walk.transcript.to_list(), meta)
    except OSError as exc:
        return str(exc)
    return None
