"""The Walk tab: the current step, the call in progress, and the worker that drives the walk."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static

from cognito_tui.core.tokens import duration
from cognito_tui.tui import messages as m
from cognito_tui.tui.threads import off_thread
from cognito_tui.tui.widgets.challenge import ChallengeView

if TYPE_CHECKING:
    from cognito_tui.core.request import SignIn
    from cognito_tui.core.walk import Step, Walk
    from cognito_tui.tui.services import Services


class WalkPane(Vertical):
    """Starts, answers, retries and cancels the walk; shows each step and the pending call."""

    DEFAULT_CSS = """
    WalkPane #busy { height: 1; }
    WalkPane #pending { height: auto; padding: 0 1; color: $warning; display: none; }
    WalkPane #retries { height: auto; padding: 0 1; color: $text-muted; display: none; }
    """

    def __init__(self, services: Services, **kw) -> None:
        super().__init__(**kw)
        self.services = services
        self.walk: Walk | None = None
        self.step: Step | None = None
        self.step_mode = False
        self.revealed = False
        self.pending: tuple[str, float] | None = None  # (operation, started) of the call in flight
        self.retries: list[str] = []  # this call's retries as they happened ("attempt 2 of 3 after …")
        self.limit: float | None = None  # the call's deadline in seconds (the target's read timeout)
        self._generation = 0  # bumped by cancel/start: late messages of an abandoned walk are dropped
        self._kept: dict[str, str] = {}
        self._in_flight = False

    def compose(self) -> ComposeResult:
        yield Static("", id="pending")
        yield Static("", id="retries")
        yield LoadingIndicator(id="busy")
        yield ChallengeView(id="challenge")

    def on_mount(self) -> None:
        self.query_one("#busy").display = False
        self.set_interval(1.0, self.tick)

    @property
    def running(self) -> bool:
        """A call of the walk is in flight (one walk at a time: a second ctrl+r waits its turn)."""
        return self._in_flight

    # --- driving the walk ---------------------------------------------------------------------------

    def start(self, sign_in: SignIn, session_validity: float, keep_answers: bool = False) -> None:
        """A new walk with these inputs; with `keep_answers`, the last walk's answers pre-fill its fields."""
        if self.running:
            self.notify("A call is in progress: wait for it, or escape cancels it.", severity="warning")
            return
        self._kept = self._answers_to_keep() if keep_answers else {}
        self.limit = sign_in.target.read_timeout
        self._generation += 1
        generation = self._generation
        services = self.services

        def begin() -> Step:
            from cognito_tui.core.errors import TransportError, explain
            from cognito_tui.core.walk import Failed, Walk

            try:
                gateway = services.gateway(sign_in.target)
            except TransportError as exc:
                return Failed(exc, explain(exc))
            walk = Walk(
                gateway,
                sign_in.request,
                auto_answer=not self.step_mode,
                session_validity=session_validity,
                clock=services.clock,
            )
            self._listen(walk, generation)
            self.walk = walk
            return walk.start()

        self._run(begin, generation)

    def _listen(self, walk: Walk, generation: int) -> None:
        def started(operation: str, at: float) -> None:
            if generation == self._generation:
                self.post_message(m.CallStarted(operation, at))

        def recorded(record: Any) -> None:
            if generation == self._generation:
                self.post_message(m.CallRecorded(record))

        walk.caller.started.append(started)
        walk.transcript.listeners.append(recorded)

    def _answers_to_keep(self) -> dict[str, str]:
        """The last walk's typed answers, minus one-time codes and the answer that was refused."""
        from cognito_tui.core.challenges import FieldKind
        from cognito_tui.core.walk import Failed

        if self.walk is None:
            return {}
        refused = self.step.answered if isinstance(self.step, Failed) else None
        drop = {f.name for f in refused.spec.fields} if refused is not None else set()
        kept: dict[str, str] = {}
        for step in self.walk.steps:
            for f in getattr(step, "fields", ()):
                value = self.walk.answers.get(getattr(step, "name", ""), {}).get(f.name)
                if value and f.kind is not FieldKind.CODE and f.name not in drop:
                    kept[f.name] = value
        return kept

    @work(exclusive=True, group="walk", exit_on_error=False, description="calling Cognito")
    async def _run(self, action: Callable[[], Step], generation: int) -> None:
        self._busy(True)
        self._in_flight = True

        def retried(operation: str, attempt: int, attempts: int, reason: str) -> None:
            if generation == self._generation:
                self.post_message(m.CallRetried(operation, attempt, attempts, reason))

        def run() -> Step:
            with self.services.retries_to(retried):  # the shared gateway's retries of this thread's calls
                return action()

        try:
            step = await off_thread(run)
        finally:
            self._in_flight = False
            self._busy(False)
        if generation == self._generation:
            self.post_message(m.StepReached(step, self.walk))

    def _busy(self, busy: bool) -> None:
        self.query_one("#busy").display = busy
        if not busy:
            self._show_retries(True)
            self.pending = None
            self.query_one("#pending", Static).update("")
            self.query_one("#pending").display = False

    def answer(self) -> None:
        from cognito_tui.core.walk import Challenge

        walk = self.walk
        if walk is None or not isinstance(self.step, Challenge):
            self.notify("Nothing to answer: ctrl+r starts a sign-in.", severity="warning")
            return
        if self.running:
            self.notify("A call is in progress: wait for it, or escape cancels it.", severity="warning")
            return
        view = self.query_one(ChallengeView)
        values = view.values()
        problems = walk.check(values)
        if problems:
            view.show_problems(problems)
            return
        self._run(lambda: walk.answer(values), self._generation)

    def can_retry(self) -> bool:
        from cognito_tui.core.walk import Failed, Recovery

        return self.walk is not None and isinstance(self.step, Failed) and self.step.recovery is Recovery.RETRY

    def retry(self) -> None:
        if self.walk is not None and self.can_retry():
            self.post_message(m.StepReached(self.walk.retry(), self.walk))

    def cancel(self) -> None:
        if self.workers.cancel_group(self, "walk"):
            self._generation += 1
            self._in_flight = False
            self._busy(False)
            self.post_message(m.CallAbandoned())
            self.notify("Cancelled: the call's answer, when it comes, is ignored.", severity="warning")

    def toggle_step_mode(self) -> None:
        self.step_mode = not self.step_mode
        self.notify(
            "Step mode on: SRP challenges stop for ctrl+s"
            if self.step_mode
            else "Step mode off: SRP challenges are answered at once"
        )

    # --- showing --------------------------------------------------------------------------------------

    def on_call_started(self, event: m.CallStarted) -> None:
        self.pending = (event.operation, event.started_at)
        self.retries = []
        self._show_retries(False)
        self.tick()

    def on_call_retried(self, event: m.CallRetried) -> None:
        """Each retry said as it starts, on the pending line; kept under the step once the call ends."""
        self.retries.append(f"attempt {event.attempt} of {event.attempts} after {event.reason}")
        self.tick()

    def _show_retries(self, shown: bool) -> None:
        widget = self.query_one("#retries", Static)
        operation = self.pending[0] if self.pending else "the call"
        widget.update(escape(f"{operation} was retried: " + "; ".join(self.retries)) if shown else "")
        widget.display = shown and bool(self.retries)

    def on_step_reached(self, event: m.StepReached) -> None:
        """Render the step here, then let it bubble to the screen (tokens, history, toasts)."""
        self.step = event.step
        view = self.query_one(ChallengeView)
        view.revealed = self.revealed
        walk = event.walk or self.walk
        sessions = sum(1 for s in walk.steps if getattr(s, "session", None)) if walk else 0
        view.show_step(event.step, sessions, self._kept)
        view.tick(self.services.clock())

    def tick(self) -> None:
        if self.pending is not None:
            operation, started = self.pending
            elapsed = max(self.services.clock() - started, 0)
            pending = self.query_one("#pending", Static)
            limit = f" · gives up at {duration(self.limit)}" if self.limit else ""
            attempt = f" · {escape(self.retries[-1])}" if self.retries else ""
            pending.update(
                f"⏳ [b]{escape(operation)}[/b] waiting for Cognito · {duration(elapsed)}{limit}{attempt} · escape cancels"
            )
            pending.display = True
        self.query_one(ChallengeView).tick(self.services.clock())

    def show_helpers(self, text: str) -> None:
        self.query_one(ChallengeView).show_helpers(text)

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        view = self.query_one(ChallengeView)
        view.revealed = revealed
        view.render_secret_extras()
