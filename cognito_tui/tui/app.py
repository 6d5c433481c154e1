"""The composition root: the app is given its services, shows the main screen, reports failures.

Everything else lives in the panes (tui/widgets) and the main screen (tui/screens/main.py); the
work that blocks runs in their workers, off the UI thread, so the first frame waits for nothing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from cognito_tui.tui.palette import ActionsProvider
from cognito_tui.tui.screens.main import MainScreen
from cognito_tui.tui.services import Services, make_services
from cognito_tui.tui.widgets.profiles import ProfilesPane


@dataclass
class AppConfig:
    """How the command line asks for the app (the services are made from it)."""

    config_path: str | None = None
    sandbox: bool = False
    profile: str | None = None
    history_dir: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    sandbox_port: int = 0
    exit_after_first_frame: bool = False
    present: bool = False  # start in presenter mode (--present)
    scenarios: str | None = None  # open this scenario file in the live view (--scenarios FILE)


class CognitoApp(App):
    TITLE = "cognito-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = [
        Binding("f1", "help", "Help", id="help", tooltip="the keys, the steps, the keyring"),
        Binding("ctrl+q", "quit", "Quit", id="quit", tooltip="quit now, whatever call is in flight"),
        Binding("ctrl+c", "quit", "Quit", id="quit-ctrl-c", show=False, priority=True),
    ]

    def __init__(self, services: Services, config: AppConfig | None = None) -> None:
        super().__init__()
        self.services = services
        self.config = config or AppConfig()
        self.first_frame_at: float | None = None

    def get_default_screen(self) -> MainScreen:
        return MainScreen(self.services, self.config.profile)

    @property
    def main(self) -> MainScreen:
        """The main screen, also while a dialog is open on top of it."""
        return self.screen_stack[0]  # type: ignore[return-value]

    def on_mount(self) -> None:
        settings = self.config.settings
        if settings.get("theme"):
            try:
                self.theme = settings["theme"]
            except Exception:  # an unknown theme name: keep the default, say so
                self.notify(f"unknown theme {settings['theme']!r} in settings.yaml", severity="warning")
        if settings.get("keymap"):
            self.set_keymap(settings["keymap"])
        if self.config.exit_after_first_frame:
            self.call_after_refresh(self._first_frame_exit)

    def _first_frame_exit(self) -> None:
        """For benchmarks: note when the first frame was up, then leave."""
        self.first_frame_at = time.time()
        self.exit()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """The one failure handler: an exception no pane expected becomes a visible error."""
        if event.state is not WorkerState.ERROR:
            return
        from cognito_tui.core.problem import Problem

        error = event.worker.error
        what = event.worker.description or event.worker.name
        if isinstance(error, Problem):
            text, title = "\n".join(p for p in (error.message, error.next_step) if p), error.title
        else:
            text = f"{type(error).__name__}: {error}\nThis is a bug in cognito-tui; the app goes on."
            title = f"{what} failed"
        self.notify(text, title=title, severity="error", timeout=20)

    def action_help(self) -> None:
        from cognito_tui.tui.screens.dialogs import HelpScreen

        self.push_screen(HelpScreen(self))

    # Read-only views of what the main screen shows, for tests and scripts/screenshots.py.
    @property
    def step(self) -> Any:
        return self.main.step

    @property
    def walk(self) -> Any:
        pane = self.main.pane("walk").content
        return pane.walk if pane is not None else None

    @property
    def entries(self) -> list[Any]:
        return self.main.query_one(ProfilesPane).entries

    @property
    def current_entry(self) -> Any:
        return self.main.query_one(ProfilesPane).current

    @property
    def sandbox(self) -> Any:
        return self.services.sandbox.running if self.services.sandbox is not None else None

    @property
    def book(self) -> Any:
        return self.services.book

    @property
    def secrets(self) -> Any:
        return self.services.secret_store


def make_app(services: Services | AppConfig | None = None, config: AppConfig | None = None) -> CognitoApp:
    """The one factory: the CLI, the tests and the scripts build the app the same way.

    Given an AppConfig alone, the real services are made from it.
    """
    if isinstance(services, AppConfig) or services is None:
        config = services or config or AppConfig()
        services = make_services(
            config.config_path,
            sandbox=config.sandbox,
            sandbox_port=config.sandbox_port,
            history_dir=config.history_dir,
        )
    return CognitoApp(services, config)
