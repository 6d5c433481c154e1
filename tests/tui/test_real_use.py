"""Issue 9: what a new user hit in the first half hour, each through the real app on its sandbox."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading

from tui_helpers import answer_until_done, posted, run_app, screen_has, services_for, start_profile, wait_for

from cognito_tui.core import totp
from cognito_tui.core.walk import Challenge, Failed, SignedIn
from cognito_tui.tui import messages as m
from cognito_tui.tui.app import make_app
from cognito_tui.tui.services import SandboxLifecycle


class Silent:
    """A TCP port that accepts and never answers."""

    def __init__(self) -> None:
        import socket

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.conns: list = []
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self.stop.set()
        for conn in self.conns:
            conn.close()
        self.sock.close()


class Clock:
    """The services' clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


QUIT_DURING_A_HUNG_CALL = """
import asyncio, sys
from cognito_tui.store.secrets import MemoryStore
from cognito_tui.tui.app import make_app
from cognito_tui.tui.services import Services

async def main():
    app = make_app(Services(config_path=sys.argv[1], history_dir=None, secret_store=MemoryStore()))
    async with app.run_test() as pilot:
        for _ in range(200):
            if app.book is not None:
                break
            await pilot.pause(0.05)
        form = app.main.query_one("ConnectForm")
        for name, value in (("endpoint_url", sys.argv[2]), ("user_pool_id", "us-east-1_AbCdEf123"),
                            ("client_id", "abc"), ("username", "u"), ("password", "p")):
            app.query_one("#" + name).value = value
        app.query_one("#auth_flow").value = "USER_PASSWORD_AUTH"
        await pilot.press("ctrl+r")
        for _ in range(400):
            if "waiting for Cognito" in str(app.query("#pending").first().render()) if app.query("#pending") else False:
                break
            await pilot.pause(0.05)
        print("PENDING", flush=True)
        await pilot.press(sys.argv[3])
    print("APP-CLOSED", flush=True)

asyncio.run(main())
"""


def test_quitting_during_a_hung_call_ends_the_process(tmp_path):
    """9.1: ctrl+q and ctrl+c end the app and the process at once (the call's read timeout is 30 s x 3)."""
    silent = Silent()
    try:
        for key in ("ctrl+q", "ctrl+c"):
            done = subprocess.run(
                [sys.executable, "-c", textwrap.dedent(QUIT_DURING_A_HUNG_CALL)]
                + [str(tmp_path / "profiles.yaml"), f"http://127.0.0.1:{silent.port}", key],
                capture_output=True,
                text=True,
                timeout=60,  # a bound for a hang (the old exit waited ~115 s), not a measure of speed
            )
            assert "PENDING" in done.stdout and "APP-CLOSED" in done.stdout, done.stderr[-2000:]
            assert done.returncode == 0, done.stderr[-2000:]
            assert silent.conns, "the call reached the silent port"
    finally:
        silent.close()


def _hang(app, silent: Silent) -> None:
    app.query_one("#endpoint_url").value = f"http://127.0.0.1:{silent.port}"


def test_the_pending_call_is_shown_at_once_and_ticks_and_only_one_walk_runs(tmp_path):
    """9.2 and 9.7: the call in flight on the Walk tab and in Calls, its time ticking; ctrl+r twice, one walk."""
    silent, clock = Silent(), Clock()
    services = services_for(tmp_path, clock=clock)

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        _hang(app, silent)
        await pilot.press("ctrl+r")
        text = await screen_has(pilot, "waiting for Cognito")
        assert "escape cancels" in text and "InitiateAuth" in text and "0s" in text
        await pilot.press("ctrl+r")  # a second press while the call hangs: no second walk
        await pilot.pause(0.3)
        assert len(posted(app, m.CallStarted)) == 1
        assert any("A call is in progress" in n.message for n in app._notifications)
        clock.now += 7
        await screen_has(pilot, "· 7s ·")
        await pilot.press("f10")
        text = await screen_has(pilot, "7000")  # the row's elapsed time follows the clock (it may take a tick)
        assert "escape cancels" in text and "waiting…" in text, text[text.find("Connect") :]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.query_one("#calls-pane").pending is None, what="the pending row to go")
        assert app.query_one("#timeline").row_count == 0

    try:
        run_app(services, body)
    finally:
        silent.close()


def test_a_refused_new_password_restarts_with_the_answers_kept(services):
    """9.4: the engine says the Session is spent; ctrl+e restarts, the name typed is kept, the sign-in ends."""

    async def body(pilot, app):
        await start_profile(pilot, "new_password")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        await wait_for(pilot, lambda: (app.focused.id or "").startswith("field-"), what="focus in the fields")
        await pilot.press(*"abc")
        app.query_one("#field-userAttributes_name").value = "Carol Example"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, Failed), what="the refusal")
        text = await screen_has(pilot, "InvalidPasswordException")
        assert "Session is spent" in text and "retries the same challenge" not in text
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge), what="the restarted sign-in")
        assert app.query_one("#field-userAttributes_name").value == "Carol Example"
        assert app.query_one("#field-NEW_PASSWORD").value == ""
        app.query_one("#field-NEW_PASSWORD").value = "Brand-New-Pass1!"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="tokens after the restart")
        assert [r.operation for r in app.walk.transcript.records] == ["InitiateAuth", "RespondToAuthChallenge"]

    run_app(services, body)


def test_refresh_token_auth_from_the_form_after_a_sign_in(services):
    """9.5: a masked refresh-token field, filled by the last sign-in, so REFRESH_TOKEN_AUTH starts from the form."""

    async def body(pilot, app):
        await start_profile(pilot, "password")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn))
        token = app.step.result["RefreshToken"]
        field = app.query_one("#refresh_token")
        assert field.value == token and field.password
        app.query_one("#auth_flow").value = "REFRESH_TOKEN_AUTH"
        before = app.step
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn) and app.step is not before, what="refresh")
        record = app.walk.transcript.records[-1]
        assert record.request["AuthFlow"] == "REFRESH_TOKEN_AUTH" and token not in await screen_has(pilot, "Tokens")

    run_app(services, body)


def test_tab_keys_work_without_alt_or_ctrl_digits(services):
    """9.6: F7..F11 and the digits (no text field focused) switch tabs; the palette's Walk works from Calls."""

    async def body(pilot, app):
        tabs = app.query_one("#tabs")
        app.query_one("#profiles").focus()
        await pilot.press("4")
        await wait_for(pilot, lambda: tabs.active == "calls", what="the Calls tab from 4")
        await pilot.press("f11")
        await wait_for(pilot, lambda: tabs.active == "history", what="the History tab from F11")
        await pilot.press("f8")
        await wait_for(pilot, lambda: tabs.active == "walk", what="the Walk tab from F8")
        await pilot.pause(0.3)
        assert tabs.active == "walk"  # focus moved in: the tab does not switch back
        await pilot.press("f10")
        await wait_for(pilot, lambda: tabs.active == "calls")
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"Walk")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: tabs.active == "walk", what="Walk from the palette")
        await pilot.pause(0.3)
        assert tabs.active == "walk"

    run_app(services, body)


class SlowStart(SandboxLifecycle):
    """A sandbox whose server starts only when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()

    def start(self):
        self.go.wait(30)
        return super().start()


def test_demo_profiles_and_keys_before_the_sandbox_is_ready(tmp_path):
    """9.8 and 9.12: demos listed from the seed at once, keys pressed before the server is up count."""
    life = SlowStart()
    services = services_for(tmp_path)
    services.sandbox = life

    async def main() -> None:
        app = make_app(services)
        try:
            async with app.run_test() as pilot:
                await wait_for(pilot, lambda: app.entries and app.book is not None, what="the demo profiles")
                assert app.sandbox is None and "starting" in app.sub_title
                assert "No profiles yet" not in await screen_has(pilot, "password (alice)")
                app.query_one("#profiles").focus()
                await pilot.press("down", "down", "enter")
                await wait_for(pilot, lambda: app.current_entry is not None)
                index = app.query_one("#profiles").index
                assert index >= 1 and app.current_entry is app.entries[index]
                life.go.set()
                await wait_for(pilot, lambda: app.sandbox is not None, what="the sandbox")
                await wait_for(pilot, lambda: app.query_one("#endpoint_url").value == app.sandbox.endpoint_url)
                await pilot.press("ctrl+r")
                await wait_for(pilot, lambda: app.step is not None, what="the first step")
                assert not isinstance(app.step, Failed), app.step.explanation
        finally:
            life.go.set()
            services.shutdown()

    asyncio.run(main())


def test_aws_mode_has_no_outbox_and_says_how_to_start(tmp_path):
    """9.12: no Outbox panel without the sandbox; the empty list says what to do."""
    services = services_for(tmp_path, sandbox=False)

    async def main() -> None:
        app = make_app(services)
        async with app.run_test() as pilot:
            await wait_for(pilot, lambda: app.book is not None)
            text = await screen_has(pilot, "No profiles yet")
            assert "Outbox" not in text and not app.query("#outbox-panel")

    asyncio.run(main())


def test_mfa_setup_shows_the_secret_in_groups_and_ctrl_t_fills_codes(services):
    """9.3: the secret as text beside the QR once revealed, and the new seed kept for ctrl+t."""

    async def body(pilot, app):
        await start_profile(pilot, "mfa_setup")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        app.query_one("#field-MFA_TYPE").value = "SOFTWARE_TOKEN_MFA"
        await pilot.pause(0.1)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: getattr(app.step, "phase", "") == "verify", what="the verify step")
        secret = app.step.extra["secret_code"].value
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        text = await screen_has(pilot, "Authenticator setup")
        assert secret[:4] not in text and "••••" in text
        await pilot.press("ctrl+y")
        text = await screen_has(pilot, grouped[:14])
        assert "otpauth://totp/" in text and "▀" in text
        await pilot.press("ctrl+t")
        await pilot.pause(0.1)
        assert app.query_one("#field-USER_CODE").value == totp.now_code(secret)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="tokens after the setup")

    run_app(services, body)


def test_small_screens_keep_the_form_usable(services):
    """9.14: at 80x24 the inputs are wide enough to read and the TOTP hint is on screen."""

    async def body(pilot, app):
        await start_profile(pilot, "totp", start=False)
        assert app.query_one("#user_pool_id").size.width >= 24
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Challenge))
        await screen_has(pilot, "ctrl+t fills the TOTP code")
        seen = await answer_until_done(pilot)
        assert seen == ["SOFTWARE_TOKEN_MFA"] and isinstance(app.step, SignedIn)

    run_app(services, body, size=(80, 24))
