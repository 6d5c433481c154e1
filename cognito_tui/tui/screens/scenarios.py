"""The scenarios live view: a scenario file's walks, a row each, steps filling in as they happen.

The walks run in a worker, one after another, through the same core Runner `cognito-tui scenarios
run` uses. In sandbox mode they run against a fresh sandbox of the same seed (as `--against
sandbox` does), so the app's own sandbox and its demo users stay as they were; otherwise against
what the file and its profiles name.
"""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from cognito_tui.tui.threads import off_thread

MARKS = {"queued": "[dim]queued[/]", "running": "[b $warning]running…[/]", "pass": "[b $success]✓ pass[/]"}


def shipped_file() -> str:
    """The demo seed's scenario file (every sandbox scenario), as shipped with the package."""
    return str(resources.files("cognito_tui.sandbox") / "demo_scenarios.yaml")


def open_scenarios(screen: Any, path: str | None = None) -> None:
    """The live view for `path`; without one, a prompt (the shipped demo file offered in sandbox mode)."""
    if path:
        screen.app.push_screen(ScenariosScreen(path, screen.services))
        return
    from cognito_tui.tui.screens.dialogs import TextPrompt

    default = shipped_file() if screen.services.sandbox is not None else str(Path.cwd() / "scenarios.yaml")

    def chosen(answer: str | None) -> None:
        if answer:
            screen.app.push_screen(ScenariosScreen(answer, screen.services))

    screen.app.push_screen(TextPrompt("Scenario file to run (Enter runs it, escape cancels):", default), chosen)


class ScenariosScreen(Screen):
    """A row per walk: its steps as they come, then pass or FAIL; the first difference below."""

    DEFAULT_CSS = """
    ScenariosScreen #sc-title { height: auto; padding: 0 1; text-style: bold; background: $panel; }
    ScenariosScreen #sc-table { height: 1fr; }
    ScenariosScreen #sc-detail { height: auto; max-height: 50%; padding: 0 1; border-top: hkey $panel; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="back to the walk (a run in progress stops after its walk)"),
        Binding("r", "rerun", "Run again", tooltip="run every walk of the file again"),
    ]

    def __init__(self, path: str, services: Any) -> None:
        super().__init__()
        self.path = path
        self.services = services
        self.walks: list[Any] = []
        self.results: dict[int, Any] = {}
        self.steps: dict[int, list[str]] = {}
        self.against = ""
        self.busy = False
        self._stop = False

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical():
            yield Static(f"Scenarios: {escape(self.path)} · reading…", id="sc-title")
            yield DataTable(id="sc-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="sc-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sc-table", DataTable)
        table.add_column("walk", key="walk", width=34)
        table.add_column("result", key="result", width=14)  # before the steps: always in view, however narrow
        table.add_column("steps so far", key="steps")
        self.run_file()

    def on_unmount(self) -> None:
        self._stop = True

    def action_back(self) -> None:
        self._stop = True
        self.app.pop_screen()

    def action_rerun(self) -> None:
        if self.busy:
            self.notify("The walks are still running: wait for the last one.", severity="warning")
            return
        self.run_file()

    # --- running (a worker; the walks themselves in a thread) --------------------------------------

    @work(exclusive=True, group="scenarios", exit_on_error=False, description="running the scenarios")
    async def run_file(self) -> None:
        from cognito_tui.core.problem import Problem

        self.busy, self._stop = True, False
        self.results.clear()
        self.steps.clear()
        try:
            loaded = await off_thread(_load, self.path)
        except Problem as exc:
            self.busy = False
            self._title(f"[b $error]cannot run {escape(self.path)}[/]")
            self.query_one("#sc-detail", Static).update(escape(exc.text()))
            return
        self.walks = list(loaded.walks)
        table = self.query_one("#sc-table", DataTable)
        table.clear()
        for i, walk in enumerate(self.walks):
            table.add_row(escape(walk.name), MARKS["queued"], "", key=str(i))
        try:
            await off_thread(self._run_all, loaded)
        except OSError as exc:  # the fresh sandbox could not start (no free port, a broken install)
            self._title(f"[b $error]the walks did not run: the sandbox did not start: {escape(str(exc))}[/]")
            self.query_one("#sc-detail", Static).update("Run `cognito-tui sandbox` to see why, then r to try again.")
            return
        finally:
            self.busy = False
        self._summary()

    def _run_all(self, loaded: Any) -> None:
        """In a thread: the sandbox (fresh, in sandbox mode), then each walk, reporting to the UI thread."""
        sandbox = None
        if self.services.sandbox is not None:
            from cognito_tui.sandbox import Sandbox
            from cognito_tui.sandbox.clock import Clock

            # A frozen clock, as `scenarios run --against sandbox`: TOTP windows move only when the runner moves them.
            sandbox = Sandbox(port=0, clock=Clock(frozen_at=time.time())).start()
            self.against = "a fresh sandbox (the app's own sandbox and its demo users are left as they are)"
        else:
            self.against = loaded.endpoint_url or "what the file and its profiles name"
        try:
            runner = _runner(loaded, sandbox, self.services)
            for i, walk in enumerate(self.walks):
                if self._stop:
                    return
                self._call(self._walk_started, i)
                result = runner.run(walk, on_step=lambda step, i=i: self._call(self._stepped, i, step))
                self._call(self._finished, i, result)
        finally:
            if sandbox is not None:
                sandbox.stop()

    def _call(self, fn: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(fn, *args)
        except RuntimeError:  # the app has closed meanwhile: nothing left to show it on
            self._stop = True

    # --- showing (on the UI thread) -------------------------------------------------------------------

    def _title(self, text: str) -> None:
        self.query_one("#sc-title", Static).update(text)

    def _progress(self) -> str:
        done = len(self.results)
        failed = sum(not r.passed for r in self.results.values())
        return f"{done}/{len(self.walks)} run · {done - failed} passed · {failed} failed"

    def _walk_started(self, i: int) -> None:
        self._cell(i, "result", MARKS["running"])
        self._title(f"Scenarios: {escape(self.path)} · against {escape(self.against)}\n{self._progress()}")
        self.query_one("#sc-table", DataTable).move_cursor(row=i)

    def _stepped(self, i: int, step: Any) -> None:
        self.steps.setdefault(i, []).append(_step_label(step))
        self._cell(i, "steps", escape(" > ".join(self.steps[i])))

    def _finished(self, i: int, result: Any) -> None:
        self.results[i] = result
        outcome = result.observed.outcome
        self._cell(i, "result", MARKS["pass"] if result.passed else "[b $error]✗ FAIL[/]")
        if not result.passed:  # the outcome the walk ended with, after its steps
            self._cell(i, "steps", escape(" > ".join(self.steps.get(i, [])) or outcome))
        if not result.passed and not any(not r.passed for k, r in self.results.items() if k != i):
            self._detail(i)  # the first failure's difference, at once
        self._title(f"Scenarios: {escape(self.path)} · against {escape(self.against)}\n{self._progress()}")

    def _summary(self) -> None:
        failed = [i for i, r in sorted(self.results.items()) if not r.passed]
        color = "$error" if failed else "$success"
        self._title(
            f"Scenarios: {escape(self.path)} · against {escape(self.against)}\n"
            f"[b {color}]{self._progress()}[/] · r runs again · escape goes back"
        )
        if failed:
            self._detail(failed[0])
            self.query_one("#sc-table", DataTable).move_cursor(row=failed[0])  # the first failure in view
        elif self.results:
            self.query_one("#sc-detail", Static).update("[b $success]Every walk met its expectation.[/]")

    def _cell(self, i: int, column: str, value: str) -> None:
        table = self.query_one("#sc-table", DataTable)
        table.update_cell(str(i), column, value, update_width=column == "steps")

    def _detail(self, i: int) -> None:
        result = self.results.get(i)
        walk = self.walks[i]
        where = f" (line {walk.line})" if walk.line else ""
        if result is None:
            text = f"[b]{escape(walk.name)}[/]{where}: not run yet"
        elif result.passed:
            text = f"[b]{escape(walk.name)}[/]{where}: [b $success]pass[/] · {escape(result.observed.outcome)}"
        else:
            observed = result.observed
            ending = f"{observed.outcome}: {observed.message}" if observed.message else observed.outcome
            text = (
                f"[b $error]FAIL[/] [b]{escape(walk.name)}[/]{where}\n"
                f"first difference: [b]{escape(result.difference or '')}[/]\n"
                f"challenges met: {escape(' > '.join(observed.challenges) or '-')} · ended: {escape(ending)}"
            )
        self.query_one("#sc-detail", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None and event.row_key.value is not None and not self.busy:
            self._detail(int(event.row_key.value))

    @property
    def difference(self) -> str | None:
        """The first failed walk's difference (for tests and scripts)."""
        failed = [r for _, r in sorted(self.results.items()) if not r.passed]
        return failed[0].difference if failed else None


def _step_label(step: Any) -> str:
    from cognito_tui.core.scenario import challenge_label
    from cognito_tui.core.walk import Challenge, Failed, SignedIn

    if isinstance(step, Challenge):
        return challenge_label(step)
    if isinstance(step, SignedIn):
        return "tokens"
    if isinstance(step, Failed):
        return step.code
    return type(step).__name__


def _load(path: str) -> Any:
    from cognito_tui.core.problem import Problem
    from cognito_tui.store.scenarios import load_scenarios

    try:
        return load_scenarios(path)
    except OSError as exc:
        raise Problem(f"cannot read {path}: {exc.strerror or exc}", next_step="Check the path.") from exc


def _runner(loaded: Any, sandbox: Any, services: Any) -> Any:
    """The core Runner with the app's seams: its gateways and its profiles and secret store."""
    from cognito_tui.core.request import Target
    from cognito_tui.core.scenario_run import Runner, RunOptions, Unusable

    def make_transport(region: str | None, endpoint_url: str | None, pool: str | None) -> Any:
        return services.gateway(Target(region=region, endpoint_url=endpoint_url))

    def load_profile(name: str) -> tuple[dict[str, Any], dict[str, str]]:
        from cognito_tui.store.request_fields import stored_secrets

        book = services.book
        profile = next((p for p in (book.profiles if book is not None else []) if p.name == name), None)
        if profile is None:
            raise Unusable(f"no profile {name!r} in profiles.yaml")
        store = services.secret_store
        stored = {k: str(v.value) for k, v in stored_secrets(store, name).items()} if store is not None else {}
        return {k: v for k, v in vars(profile).items() if v not in (None, "", {})}, stored

    return Runner(loaded, sandbox, make_transport, load_profile, RunOptions())
