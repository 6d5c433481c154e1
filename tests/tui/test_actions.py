"""What a user does around a walk, through the real app on its sandbox: the token actions, profiles
management, the keymap and the palette, the history, cancelling a call that hangs.

Assertions are on what the screen shows, on the messages the workers posted and on the files the
app wrote, never only on pixels.
"""

from __future__ import annotations

import json
import socket
import threading

import yaml
from tui_helpers import (
    answer_until_done,
    posted,
    run_app,
    screen_has,
    screen_text,
    start_profile,
    wait_for,
    with_settings,
)

from cognito_tui.core.walk import Failed, SignedIn
from cognito_tui.tui import messages as m


async def _signed_in(pilot, scenario: str = "password") -> SignedIn:
    await start_profile(pilot, scenario)
    await answer_until_done(pilot)
    step = pilot.app.step
    assert isinstance(step, SignedIn), step
    await screen_has(pilot, "signature valid")
    return step


async def _after(pilot, keys: tuple[str, ...], kinds: tuple[type, ...], what: str):
    """Press keys, then wait for the first message of one of `kinds` posted after them."""
    app = pilot.app
    since = len(posted(app))
    await pilot.press(*keys)
    await wait_for(pilot, lambda: posted(app, kinds, since), what=what)
    return posted(app, kinds, since)[0]


def test_token_actions_getuser_export_refresh_revoke_sign_out(services):
    async def body(pilot, app):
        step = await _signed_in(pilot)
        access, refresh = step.result["AccessToken"], step.result["RefreshToken"]
        status = app.query_one("#tokens-status")
        first = str(status.render())
        assert "access token expires" in first and "(in 59m" in first
        await wait_for(pilot, lambda: str(status.render()) != first, what="the expiry countdown to tick")

        event = await _after(pilot, ("g",), (m.TokensChanged, m.ActionFailed), "GetUser")
        assert isinstance(event, m.TokensChanged) and event.note.startswith("GetUser")
        assert "alice@example.com" in await screen_has(pilot, "GetUser")

        await pilot.press("x")  # shell export lines, copied; the tokens stay off the screen
        await pilot.pause(0.2)
        assert app.clipboard.startswith("export COGNITO_ID_TOKEN=") and access in app.clipboard
        text = screen_text(app)
        assert "export copied to the clipboard" in text and access not in text and refresh not in text
        await pilot.press("x")
        await pilot.pause(0.1)
        assert app.clipboard == f"Authorization: Bearer {access}"

        event = await _after(pilot, ("ctrl+f",), (m.TokensChanged, m.ActionFailed), "the refresh")
        assert isinstance(event, m.TokensChanged) and isinstance(event.step, SignedIn)
        assert app.step is event.step and event.step.result["AccessToken"] != access
        assert [r.operation for r in app.walk.transcript.records][-1] == "InitiateAuth"  # REFRESH_TOKEN_AUTH
        await screen_has(pilot, "signature valid")

        event = await _after(pilot, ("v",), (m.TokensChanged, m.ActionFailed), "RevokeToken")
        assert isinstance(event, m.TokensChanged) and "revoked" in event.note
        event = await _after(pilot, ("ctrl+f",), (m.TokensChanged, m.ActionFailed), "a refresh with the revoked token")
        refused = event.step if isinstance(event, m.TokensChanged) else None
        assert isinstance(refused, Failed) or isinstance(event, m.ActionFailed), event
        assert "revoked" in await screen_has(pilot, "revoked")

        # revoking the refresh token also revokes the access tokens it issued
        event = await _after(pilot, ("g",), (m.TokensChanged, m.ActionFailed), "GetUser after the revoke")
        assert isinstance(event, m.ActionFailed) and event.title == "GetUser"
        assert "GetUser failed" in await screen_has(pilot, "GetUser failed")

        # a fresh sign-in with the same inputs, then a global sign-out ends its tokens too
        before = app.step
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.step, SignedIn) and app.step is not before, what="a second sign-in"
        )
        event = await _after(pilot, ("o",), (m.TokensChanged, m.ActionFailed), "GlobalSignOut")
        assert isinstance(event, m.TokensChanged) and "signed out everywhere" in event.note
        event = await _after(pilot, ("ctrl+f",), (m.TokensChanged, m.ActionFailed), "a refresh after the sign-out")
        assert isinstance(event, m.ActionFailed) or isinstance(event.step, Failed), event

    run_app(services, body)


def test_token_actions_need_tokens_first(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        since = len(posted(app))
        app.query_one("#profiles").focus()
        await pilot.press("ctrl+f")
        await pilot.pause(0.2)
        assert not posted(app, m.TokensChanged, since) and not posted(app, m.ActionFailed, since)
        assert any("Sign in first" in n.message for n in app._notifications)

    run_app(services, body)


def test_profiles_saved_renamed_duplicated_deleted_and_yaml_shown(services, tmp_path):
    path = tmp_path / "config" / "profiles.yaml"

    async def body(pilot, app):
        await start_profile(pilot, "sms_mfa", start=False)
        password = app.current_entry.secrets["password"].value
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.screen.query("#name"), what="the save dialog")
        app.screen.query_one("#name").value = "erin"
        app.screen.query_one("#secrets").value = True  # keep the password (memory store here)
        await pilot.click("#save")
        await wait_for(
            pilot,
            lambda: path.exists() and app.current_entry and app.current_entry.name == "erin",
            what="the saved profile",
        )
        saved = yaml.safe_load(path.read_text())
        assert [p["name"] for p in saved["profiles"]] == ["erin"]
        assert saved["profiles"][0]["username"] == "erin" and password not in path.read_text()
        assert app.secrets.get("erin", "password") == password

        await pilot.press("f3")  # the YAML as it will be written
        text = await screen_has(pilot, "name: erin")
        assert "profiles.yaml" in text and "username: erin" in text and password not in text
        await pilot.press("escape")

        app.query_one("#profiles").focus()
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.screen.query("#answer"), what="the rename prompt")
        app.screen.query_one("#answer").value = "erin-sms"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "erin-sms" in path.read_text(), what="the rename")
        assert app.secrets.get("erin-sms", "password") == password and app.secrets.get("erin", "password") is None

        app.query_one("#profiles").focus()
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: app.screen.query("#answer"), what="the duplicate prompt")
        await pilot.press("enter")  # the suggested name
        await wait_for(pilot, lambda: "erin-sms-copy" in path.read_text(), what="the duplicate")
        assert [e.name for e in app.entries if not e.demo] == ["erin-sms", "erin-sms-copy"]

        await pilot.press("f4")  # stored secrets: names only
        text = await screen_has(pilot, "Stored secrets")
        assert "erin-sms" in text and password not in text
        await pilot.press("escape")

        app.query_one("#profiles").focus()
        await pilot.press("delete")
        await wait_for(pilot, lambda: app.screen.query("#yes"), what="the confirmation")
        await pilot.press("escape")  # cancelled: nothing removed
        await pilot.pause(0.1)
        assert "erin-sms-copy" in path.read_text()
        await pilot.press("delete")
        await wait_for(pilot, lambda: app.screen.query("#yes"), what="the confirmation")
        await pilot.click("#yes")
        await wait_for(pilot, lambda: "erin-sms-copy" not in path.read_text(), what="the delete")
        assert [p["name"] for p in yaml.safe_load(path.read_text())["profiles"]] == ["erin-sms"]

    run_app(services, body)


def test_keymap_from_settings_and_actions_from_the_palette(services):
    config = with_settings(None, keymap={"start-walk": "ctrl+g"}, theme="nord")

    async def body(pilot, app):
        assert app.theme == "nord"
        await start_profile(pilot, "password", start=False)
        await pilot.press("ctrl+r")  # no longer bound
        await pilot.pause(0.3)
        assert app.step is None
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="tokens via the remapped key")

        await pilot.press("f1")  # the help shows the keys as remapped
        assert "ctrl+g" in await screen_has(pilot, "start-walk")
        await pilot.press("escape")

        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"Export tokens")
        await screen_has(pilot, "Export tokens")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.clipboard.startswith("export "), what="the export from the palette")

    run_app(services, body, config)


def test_history_keeps_redacted_runs_and_reopens_them(services, tmp_path):
    async def body(pilot, app):
        step = await _signed_in(pilot)
        password = app.current_entry.secrets["password"].value
        files = sorted((tmp_path / "history").glob("run-*.json"))
        assert len(files) == 1
        raw = files[0].read_text()
        assert password not in raw and step.result["RefreshToken"] not in raw and step.result["AccessToken"] not in raw
        assert json.loads(raw)["outcome"] == "tokens"

        await pilot.press("f11")
        await wait_for(
            pilot, lambda: app.query("#runs") and app.query_one("#runs").row_count == 1, what="the run listed"
        )
        text = await screen_has(pilot, "InitiateAuth →")
        assert "USER_PASSWORD_AUTH alice" in text and password not in text and "********" in text

    run_app(services, body)


class _Silent:
    """A TCP port that accepts and never answers, until released."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.release = threading.Event()
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.release.is_set():
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                continue

    def close(self) -> None:
        self.release.set()
        for conn in self.conns:
            conn.close()
        self.sock.close()


def test_a_hanging_call_shows_the_spinner_and_can_be_cancelled(services):
    silent = _Silent()

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        app.query_one("#endpoint_url").value = f"http://127.0.0.1:{silent.port}"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.query_one("#busy").display, what="the spinner")
        await wait_for(pilot, lambda: silent.conns, what="the call to reach the silent port")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not app.query_one("#busy").display, what="the spinner to go")
        assert not app.workers and any(n.message.startswith("Cancelled") for n in app._notifications)
        silent.close()  # the call fails now; its answer must be dropped
        await pilot.pause(1.0)
        assert app.step is None and not posted(app, m.StepReached)

    try:
        run_app(services, body)
    finally:
        silent.close()


def test_totp_helper_counts_down_to_the_next_code(services):
    async def body(pilot, app):
        await start_profile(pilot, "totp")
        await wait_for(pilot, lambda: getattr(app.step, "name", "") == "SOFTWARE_TOKEN_MFA", what="the TOTP challenge")
        helpers = app.query_one("#step-helpers")
        first = str(helpers.render())
        assert "ctrl+t fills the TOTP code" in first and "next code in" in first
        await wait_for(pilot, lambda: str(helpers.render()) != first, timeout=3, what="the countdown to tick")
        assert "next code in" in str(helpers.render())

    run_app(services, body)
