"""The Walk tab during an OAuth walk: its steps as they come (rendered from core/oauth's OAuthStep data),
the authorize URL (b opens the browser, u copies, q shows a QR), and the wait for the redirect with a
countdown (escape cancels and closes the listener).

The walk's worker runs on the Walk pane in its "walk" group, so the screen's escape (which cancels that
group) stops it wherever the focus is; every blocking call is awaited with `off_thread`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from cognito_tui.core.tokens import duration
from cognito_tui.tui import messages as m
from cognito_tui.tui.oauth_flows import OAUTH_FLOWS
from cognito_tui.tui.threads import off_thread

if TYPE_CHECKING:
    from cognito_tui.tui.oauth_session import OAuthInputs, OAuthSession

ICONS = {"ok": "[$success]✓[/]", "failed": "[$error]✗[/]", "waiting": "[$warning]⏳[/]"}


class OAuthWalkView(VerticalScroll):
    """Shows one OAuth walk; its keys act on the authorize URL."""

    can_focus = True
    DEFAULT_CSS = """
    OAuthWalkView { padding: 0 1; }
    OAuthWalkView > Static { height: auto; }
    OAuthWalkView #oauth-title { text-style: bold; padding-top: 1; }
    OAuthWalkView #oauth-progress { color: $text-muted; padding-bottom: 1; }
    OAuthWalkView #oauth-wait { border: round $warning; padding: 0 1; display: none; }
    OAuthWalkView #oauth-wait.received { border: round $success; }
    OAuthWalkView #oauth-wait.stopped { border: round $error; }
    OAuthWalkView #oauth-qr { width: auto; display: none; }
    """
    BINDINGS = [
        Binding("b", "open_browser", "Open in browser", tooltip="open the authorize URL in the web browser"),
        Binding("u", "copy_url", "Copy URL", tooltip="copy the authorize URL to the clipboard"),
        Binding("q", "toggle_qr", "QR code", tooltip="show the authorize URL as a QR code"),
        Binding("s", "send_anyway", "Send anyway", tooltip="send the request the pre-flight says would fail"),
    ]

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.session: OAuthSession | None = None
        self.url: str | None = None
        self.deadline: float | None = None
        self.wait_state = ""  # "waiting", "received", "cancelled", "timeout"
        self.show_qr = False
        self.shown: Callable[[str], str] = lambda text: text  # what the screen shows of a text (snapshots)

    def compose(self) -> Any:
        yield Static("", id="oauth-title")
        yield Static("", id="oauth-progress")
        yield Static("", id="oauth-wait")
        yield Static("", id="oauth-qr")
        yield Static("", id="oauth-steps")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)  # the countdown

    def begin(self, session: OAuthSession) -> None:
        self.session, self.url, self.deadline, self.wait_state, self.show_qr = session, None, None, "", False
        spec = session.inputs.spec
        self.query_one("#oauth-title", Static).update(f"[b]{escape(spec.title)}[/b] · {escape(spec.summary)}")
        self.render_steps()

    # --- rendering ------------------------------------------------------------------------------------

    def render_steps(self) -> None:
        self.refresh_bindings()
        session = self.session
        if session is None:
            return
        done = {s.name: s.status for s in session.steps}
        parts = []
        for name, title in OAUTH_FLOWS[session.inputs.flow].steps:
            status = "ok" if name == "authorize" and self.wait_state == "received" else done.get(name)
            icon = ICONS.get(status, "") if status else "[dim]·[/]"
            parts.append(f"{icon} {escape(title)}")
        self.query_one("#oauth-progress", Static).update(" → ".join(parts))
        blocks = [self._step_text(step) for step in session.steps]
        if session.blocked and session.steps and session.steps[-1].name == "preflight":
            blocks.append("[$warning]The pre-flight says this would fail: fix the form and ctrl+r, "
                          "or s sends it anyway to see Cognito's own answer.[/]")  # fmt: skip
        self.query_one("#oauth-steps", Static).update(self.shown("\n\n".join(blocks)))
        self.render_wait()

    def _step_text(self, step: Any) -> str:
        status = "ok" if step.name == "authorize" and self.wait_state == "received" else step.status
        lines = [f"{ICONS.get(status, '·')} [b]{escape(step.title)}[/b] — {escape(step.explanation)}"]
        request, response = step.request, step.response
        if request is not None:
            status = f" → {response.status}" if response is not None else ""
            lines.append(f"   [dim]{escape(request.method)} {escape(request.masked()['url'])}{status}[/]")
        elif step.record is not None and getattr(step.record, "operation", None):
            lines.append(f"   [dim]{escape(step.record.operation)} → {escape(step.record.outcome)}[/]")
        for finding in step.result.get("findings", []):
            lines.append(f"   · {escape(finding)}")
        if step.failure is not None:
            f = step.failure
            code = (
                f"{f.error}" + (f" ({f.status})" if f.status else "") + (f": {f.description}" if f.description else "")
            )
            lines.append(f"   [$error]{escape(code)}[/]")
            if f.cause and f.cause != step.explanation:
                lines.append(f"   {escape(f.cause)}")
            lines += [f"   → check: {escape(c)}" for c in f.checks]
        if step.name == "userinfo" and step.ok:
            lines.append(f"   {escape(json.dumps(step.result, ensure_ascii=False))}")
        if step.ok and step.name in (
            "token",
            "client_credentials",
            "refresh",
            "token_exchange",
            "GetClientToken",
            "GetDerivedToken",
        ):
            lines.append(
                "   [dim]tokens: the Tokens tab (3) decodes them and says how they differ from InitiateAuth's[/]"
            )
        return "\n".join(lines)

    def render_wait(self) -> None:
        box = self.query_one("#oauth-wait", Static)
        qr = self.query_one("#oauth-qr", Static)
        box.display = bool(self.url)
        if not self.url or self.session is None:
            qr.display = False
            return
        redirect = self.session.redirect_uri
        box.set_class(self.wait_state == "received", "received")
        box.set_class(self.wait_state in ("cancelled", "timeout"), "stopped")
        if self.wait_state == "waiting":
            left = max((self.deadline or 0) - self.session.services.clock(), 0)
            head = (f"[$warning]⏳ Waiting for the redirect to {escape(redirect)} · {duration(left)} left · "
                    "escape cancels (the listener closes)[/]")  # fmt: skip
        elif self.wait_state == "received":
            box.update(self.shown(f"[$success]✓ The browser came back to {escape(redirect)}: the listener is closed, "
                                  "the code is exchanged below.[/]"))  # fmt: skip
            qr.display = False
            return
        elif self.wait_state == "cancelled":
            head = f"[$error]✗ Cancelled: the listener on {escape(redirect)} is closed. ctrl+r starts again.[/]"
        else:
            head = f"[$error]✗ No redirect reached {escape(redirect)} in time: the listener is closed. ctrl+r again.[/]"
        keys = "[b]b[/b] opens it in the browser · [b]u[/b] copies it · [b]q[/b] " + (
            "hides" if self.show_qr else "shows"
        )
        text = f"{head}\n\nAuthorize URL ({keys} the QR code):\n{escape(self.url)}"
        if self.wait_state == "waiting":
            text += ("\n\n[dim]Sign in on the page that opens. An error page there instead of a redirect "
                     "(redirect_mismatch) means the redirect URI is not registered on the client.[/]")  # fmt: skip
        box.update(self.shown(text))
        qr.display = self.show_qr
        if self.show_qr:
            from cognito_tui.tui.widgets.qr import qr_lines

            qr.update("\n".join(qr_lines(self.url)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The URL keys while there is a URL to act on; send anyway only when the pre-flight held it back."""
        if action in ("open_browser", "copy_url", "toggle_qr"):
            return bool(self.url) and self.wait_state != "received"
        if action == "send_anyway":
            return bool(self.session and self.session.blocked)
        return True

    def tick(self) -> None:
        if self.wait_state == "waiting":
            self.render_wait()

    # --- keys -------------------------------------------------------------------------------------------

    def _need_url(self) -> str | None:
        if not self.url:
            self.notify(
                "No authorize URL yet: pick Managed login in the Connect form, then ctrl+r.", severity="warning"
            )
        return self.url

    def action_open_browser(self) -> None:
        url = self._need_url()
        if url:
            self.run_worker(
                self._open(url), group="oauth-browser", exit_on_error=False, description="opening the browser"
            )

    async def _open(self, url: str) -> None:
        import webbrowser

        opener = getattr(self.session.services if self.session else None, "browser", None) or webbrowser.open
        opened = await off_thread(opener, url, name="cognito-tui-browser")
        if opened is False:
            self.notify("No browser could be opened here: u copies the URL, q shows it as a QR.", severity="warning")
        else:
            self.notify("Authorize URL opened in the browser: sign in there.", timeout=3)

    def action_copy_url(self) -> None:
        url = self._need_url()
        if url:
            self.app.copy_to_clipboard(url)
            self.notify("Authorize URL copied (OSC 52: the terminal must allow the clipboard).", timeout=3)

    def action_toggle_qr(self) -> None:
        if self._need_url():
            self.show_qr = not self.show_qr
            self.render_wait()

    def action_send_anyway(self) -> None:
        session = self.session
        if session is None or not session.blocked:
            self.notify("Nothing is held back: ctrl+r starts the walk.", severity="warning")
            return
        start_oauth_walk(self.screen, force=True, inputs=session.inputs)


# --- the walk's driver ----------------------------------------------------------------------------------


def start_oauth_walk(screen: Any, force: bool = False, inputs: OAuthInputs | None = None) -> None:
    """ctrl+r with an OAuth flow picked: check the form, then run the walk in the Walk tab."""
    from cognito_tui.tui.widgets.oauth_fields import read_inputs

    inputs = inputs or read_inputs(screen)
    problems = inputs.problems()
    if problems:
        screen.notify("\n".join(problems), title="Cannot start yet", severity="error")
        screen.show_tab("connect")
        return
    screen.show_tab("walk")
    screen.send("calls", lambda calls: calls.clear())
    screen.send("walk", lambda pane: pane.run_worker(_drive(screen, pane, inputs, force), group="walk",
                                                     exclusive=True, exit_on_error=False,
                                                     description="managed login / OAuth"))  # fmt: skip


def oauth_preflight(screen: Any) -> None:
    """F5 with an OAuth flow picked: the OAuth pre-flight in the Connect tab's panel, nothing sent but reads."""
    from cognito_tui.tui.widgets.connect import ConnectPane, PreflightPanel
    from cognito_tui.tui.widgets.oauth_fields import read_inputs

    inputs = read_inputs(screen)
    problems = inputs.problems()
    panel = screen.query_one(PreflightPanel)
    if problems:
        panel.update("[b]Pre-flight[/b]\n" + "\n".join(f"[$error]✗ {escape(p)}[/]" for p in problems))
        return
    panel.update("[b]Pre-flight[/b]\n[dim]reading the client, the pool and its resource servers…[/]")

    async def run() -> None:
        from cognito_tui.tui.oauth_session import OAuthSession

        session = OAuthSession(screen.services, inputs, on_record=lambda r: screen.post_message(m.CallRecorded(r)))
        step = await off_thread(session.prepare)
        lines = [f"[b]Pre-flight[/b] · {escape(inputs.spec.title)}"]
        for finding in step.result.get("findings", []) or [step.explanation]:
            mark = "[$error]✗" if any(f" {e}:" in finding for e in step.result.get("would_fail", [])) else "[dim]·"
            lines.append(f"{mark} {escape(finding)}[/]")
        verdict = "[$warning]⚠ ctrl+r stops at the pre-flight; s there sends anyway[/]" if session.blocked else (
            "[$success]✓ nothing stands in the way[/]")  # fmt: skip
        panel.update("\n".join([*lines, "", verdict]))

    screen.query_one(ConnectPane).run_worker(run(), group="preflight", exclusive=True, exit_on_error=False,
                                             description="OAuth pre-flight")  # fmt: skip


def hide_oauth_walk(screen: Any) -> None:
    """An InitiateAuth walk starts: the challenge view comes back, the OAuth parts of the Tokens tab go."""
    pane = screen.pane("walk").content
    if pane is not None:
        for view in pane.query(OAuthWalkView):
            view.display = False
        for challenge in pane.query("#challenge"):
            challenge.display = True
    tokens = screen.pane("tokens").content
    if tokens is not None:
        from cognito_tui.tui.widgets.oauth_tokens import leave_oauth_tokens

        leave_oauth_tokens(tokens)


async def _view_in(pane: Any) -> OAuthWalkView:
    views = list(pane.query(OAuthWalkView))
    if views:
        view = views[0]
    else:
        view = OAuthWalkView(id="oauth-walk")
        await pane.mount(view)
    view.display = True
    for challenge in pane.query("#challenge"):
        challenge.display = False
    return view


async def _drive(screen: Any, pane: Any, inputs: OAuthInputs, force: bool) -> None:
    from cognito_tui.core.errors import TransportError
    from cognito_tui.tui.oauth_session import OAuthSession

    view = await _view_in(pane)
    session = OAuthSession(screen.services, inputs, on_record=lambda r: screen.post_message(m.CallRecorded(r)))
    view.begin(session)
    try:
        step = await off_thread(session.prepare)
        view.render_steps()
        _focus(screen, view)
        if session.blocked and not force:
            return
        kind = session.kind
        if kind in ("code", "client_credentials", "token_exchange_grant"):
            step = await off_thread(session.find_endpoints)
            view.render_steps()
            if not step.ok:
                return
        if kind == "code":
            step = await off_thread(session.authorize)
            if not step.ok:
                view.render_steps()
                return
            view.url, view.wait_state = step.result["url"], "waiting"
            view.deadline = session.services.clock() + inputs.wait_seconds
            view.render_steps()
            _focus(screen, view)
            try:
                callback = await off_thread(session.wait, name="cognito-tui-redirect")
            except TransportError as exc:
                view.wait_state = "timeout"
                session.timed_out(exc.message)
                view.render_steps()
                return
            view.wait_state = "received"
            view.render_steps()
            step = await off_thread(session.redirected, callback)
        elif kind == "client_credentials":
            step = await off_thread(session.client_credentials)
        elif kind == "token_exchange_grant":
            step = await off_thread(session.token_exchange_grant)
        elif kind == "get_client_token":
            step = await off_thread(session.get_client_token)
        else:
            step = await off_thread(session.token_exchange)
        view.render_steps()
        _finished(screen, session, step)
    except asyncio.CancelledError:
        session.stop_waiting()
        if view.wait_state == "waiting":
            view.wait_state = "cancelled"
        view.render_steps()
        raise
    finally:
        session.stop_waiting()


def _focus(screen: Any, view: OAuthWalkView) -> None:
    """The view's keys (b, u, q, s) need the focus: taken only while the Walk tab is the one shown."""
    if screen.query_one("#tabs").active == "walk":
        view.focus()
        view.call_after_refresh(_refocus, screen, view)  # after the tab switch's own focus move, if it came later


def _refocus(screen: Any, view: OAuthWalkView) -> None:
    """The hidden challenge view may have taken the focus back (the Walk tab's own focus rule): return it."""
    focused = screen.focused
    if screen.query_one("#tabs").active != "walk" or not view.display or focused is view:
        return
    if focused is None or (view.parent in focused.ancestors and view not in focused.ancestors):
        view.focus()


def _finished(screen: Any, session: OAuthSession, step: Any) -> None:
    if session.result.get("AccessToken"):
        from cognito_tui.tui.widgets.oauth_tokens import show_oauth_tokens

        screen.send("tokens", lambda tokens: show_oauth_tokens(tokens, session))
        who = session.claims.get("access", {}).get("username") or session.claims.get("access", {}).get("client_id")
        screen.notify(f"Tokens for {who}: the Tokens tab (3) decodes them.", title="Signed in", timeout=4)
    elif step.failure is not None:
        screen.notify(step.failure.cause, title=step.failure.error, severity="error")
