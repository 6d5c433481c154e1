"""Export the walk from the TUI: a small dialog (format, path), written the way `login --export` writes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from cognito_tui.tui.screens.dialogs import DIALOG_CSS
from cognito_tui.tui.threads import off_thread

FORMATS = (
    ("cli", "AWS CLI script (bash)", ".sh"),
    ("boto3", "boto3 script (Python)", ".py"),
    ("markdown", "Markdown report (redacted)", ".md"),
)
SUFFIX = {kind: suffix for kind, _, suffix in FORMATS}


def default_path(kind: str, username: str, folder: Path | None = None) -> Path:
    """Under the current directory: cognito-walk-<user>.<sh|py|md>."""
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in username).strip("-") or "walk"
    return (folder or Path.cwd()) / f"cognito-walk-{stem}{SUFFIX[kind]}"


def open_export(screen: Any) -> None:
    """The dialog for the walk the Walk tab holds; a notice instead when there is none yet."""
    pane = screen.pane("walk").content
    walk = pane.walk if pane is not None else None
    if walk is None or not walk.transcript.records:
        screen.notify("No walk to export yet: ctrl+r starts one.", severity="warning")
        return
    if pane.running:
        screen.notify("A call is in progress: export when it has answered.", severity="warning")
        return
    screen.app.push_screen(ExportScreen(walk))


class ExportScreen(ModalScreen[Path | None]):
    """Format and path; says where it wrote, or why it could not (the dialog stays open to fix the path)."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ExportScreen")
        + """
    ExportScreen > Vertical { overflow-y: auto; }
    ExportScreen .row { height: auto; }
    ExportScreen .row > Static { width: 10; padding-top: 1; }
    ExportScreen .row > Select, ExportScreen .row > Input { width: 1fr; }
    ExportScreen #export-status { height: auto; padding-top: 1; }
    """
    )
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, walk: Any, folder: Path | None = None) -> None:
        super().__init__()
        self.walk = walk
        self.folder = folder
        self.kind = "cli"
        self._replace: Path | None = None  # a path confirmed for overwriting (a second Write)
        self.written: Path | None = None

    def compose(self) -> ComposeResult:
        from cognito_tui.core.export import walk_outcome

        req = self.walk.request
        with Vertical():
            yield Static(
                f"[b]Export the walk[/b]: {escape(req.auth_flow)} for {escape(req.username or '?')} · "
                f"{len(self.walk.transcript.records)} call(s) · ended with {escape(walk_outcome(self.walk.current))}\n"
                "[dim]No secret is written: the scripts read secrets and codes from the environment. Enter writes, escape cancels.[/]"
                + self._srp_note()
            )
            with Horizontal(classes="row"):
                yield Static("Format")
                yield Select([(label, kind) for kind, label, _ in FORMATS], value="cli", allow_blank=False, id="format")
            with Horizontal(classes="row"):
                yield Static("File")
                yield Input(str(default_path("cli", req.username, self.folder)), id="export-path")
            yield Static("", id="export-status")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Write", id="write", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    def _srp_note(self) -> str:
        from cognito_tui.core.export import SRP_CHALLENGES

        if not any(r.request.get("ChallengeName") in SRP_CHALLENGES for r in self.walk.transcript.records):
            return ""
        return "\n[dim]SRP cannot be scripted: the scripts stop there, with the `cognito-tui login` line.[/]"

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new format: the default file name follows it unless a path of one's own was typed."""
        if event.value is Select.BLANK:
            return
        old, self.kind = self.kind, str(event.value)
        path = self.query_one("#export-path", Input)
        username = self.walk.request.username
        if path.value.strip() in ("", str(default_path(old, username, self.folder))):
            path.value = str(default_path(self.kind, username, self.folder))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self.write()
        else:
            self.dismiss(None)

    def _status(self, text: str, error: bool = False) -> None:
        color = "$error" if error else "$success"
        self.query_one("#export-status", Static).update(f"[{color}]{escape(text)}[/]")

    def target(self) -> Path | None:
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._status("Give a file to write.", error=True)
            return None
        path = Path(raw).expanduser()
        return path if path.is_absolute() else (self.folder or Path.cwd()) / path

    def write(self) -> None:
        target = self.target()
        if target is None:
            return
        if target.is_dir():
            self._status(f"{target} is a folder: add a file name.", error=True)
            return
        if target.exists() and self._replace != target:
            self._replace = target
            self._status(f"{target} exists: Write again to replace it, or change the name.", error=True)
            return
        self._write(self.kind, target)

    @work(exclusive=True, group="export", exit_on_error=False, description="writing the export")
    async def _write(self, kind: str, target: Path) -> None:
        from cognito_tui.core.export import write_walk

        self._status(f"writing {target}…")
        transport = self.walk.caller.transport
        try:
            await off_thread(write_walk, self.walk, kind, target, transport)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self._status(
                f"Not written: cannot write {target}: {reason}. Check that the folder exists and is writable, "
                "or give another path.",
                error=True,
            )
            return
        self.written = target
        label = dict((k, v) for k, v, _ in FORMATS)[kind]
        self.app.notify(f"{label} written to {target}", title="Export", timeout=8)
        self.dismiss(target)
