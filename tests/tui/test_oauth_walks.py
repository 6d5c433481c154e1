"""Pilot tests for managed login in the TUI: the real app, its sandbox on loopback, the browser replaced
by an HTTP client that follows the sandbox's login page and then the redirect to the app's listener."""

from __future__ import annotations

import socket

from oauth_tui_helpers import (
    PageOpener,
    boto_for,
    free_port,
    oauth_view,
    pick_flow,
    press_in_view,
    register_callback,
    screen_has,
    view_text,
    wait_for,
    wait_state,
)
from tui_helpers import run_app, screen_text, services_for

WEB = "oauthweb00000000000000010"
IMPLICIT_ONLY = "brokenimplicit00000000022"


def steps_of(app) -> list[tuple[str, str]]:
    view = oauth_view(app)
    return [(s.name, s.status) for s in view.session.steps] if view and view.session else []


def test_managed_login_walks_to_tokens_and_userinfo(tmp_path):
    opener = PageOpener("alice", "Alice-Sandbox-1")
    services = services_for(tmp_path, browser=opener)

    async def body(pilot, app):
        await pick_flow(pilot, "MANAGED_LOGIN")
        assert app.query_one("#client_id").value == WEB  # the sandbox's demo web client, filled in
        assert not app.query_one("#username").parent.display  # the browser asks for the user, not the form
        redirect = register_callback(boto_for(app), WEB, free_port())
        app.query_one("#oauth_redirect_uri").value = redirect
        await pilot.press("ctrl+r")
        await wait_for(pilot, wait_state(app, "waiting"), what="the wait for the redirect")
        text = await screen_has(pilot, "Waiting for the redirect to")
        assert "escape cancels" in text and "b opens it in the browser" in text
        view = oauth_view(app)
        assert view.url.startswith(f"{app.sandbox.endpoint_url}/domain/cognito-tui-demo/oauth2/authorize?")
        await press_in_view(pilot, "q")  # the QR code of the URL
        await wait_for(pilot, lambda: view.query_one("#oauth-qr").display)
        assert "█" in screen_text(app)
        await press_in_view(pilot, "b")  # one key: the "browser" signs in and comes back to the listener
        await wait_for(pilot, lambda: view.session.result.get("AccessToken") and view.session.userinfo, 30,
                       what="tokens and userInfo")  # fmt: skip
        await wait_for(pilot, lambda: [n for n, _ in steps_of(app)][-1] == "userinfo")
        assert steps_of(app) == [("preflight", "ok"), ("discovery", "ok"), ("authorize", "waiting"), ("redirect", "ok"),
                                 ("token", "ok"), ("userinfo", "ok")]  # fmt: skip
        assert "return to the terminal" in opener.page and opener.opened == [view.url]
        await screen_has(pilot, "The browser came back")
        assert '"username": "alice"' in view_text(app)
        # the Tokens tab: claims, the differences in words, the sessions
        app.main.show_tab("tokens")
        tokens = app.main.pane("tokens").content
        await wait_for(pilot, lambda: tokens.claims.get("access", {}).get("scope") == "openid email demo-api/read")
        panel = tokens.query_one("OAuthTokensPanel")
        await wait_for(pilot, lambda: panel.sessions, what="the sessions listed")
        text = await screen_has(pilot, "How these tokens differ")
        assert "version 2" in text and "nonce in the ID token" in text and "userInfo" in text
        assert sum(s["IsCurrentSession"] for s in panel.sessions) == 1
        # the Calls tab: each HTTP step a row, with its curl command, secrets masked
        calls = app.main.pane("calls").content
        operations = [r.operation for r in calls.records]
        assert "GET /us-east-1_DemoPool01/.well-known/openid-configuration" in operations
        assert "POST /domain/cognito-tui-demo/oauth2/token" in operations
        assert "GET /domain/cognito-tui-demo/oauth2/userInfo" in operations
        token_record = next(r for r in calls.records if r.operation.endswith("/oauth2/token"))
        detail = calls.query_one("CallDetail")
        detail.show(token_record)
        command = detail.cli()
        assert command.startswith("curl ") and "code_verifier=<code_verifier>" in command
        verifier = view.session.walk.pending.verifier.value
        app.main.show_tab("calls")
        shown = await screen_has(pilot, "$ curl")
        assert "curl" in shown and verifier not in shown and view.session.result["RefreshToken"] not in shown

    run_app(services, body)


def test_an_unregistered_redirect_uri_is_explained_before_and_after_sending(tmp_path):
    opener = PageOpener()
    services = services_for(tmp_path, browser=opener)

    async def body(pilot, app):
        port = free_port()
        await pick_flow(pilot, "MANAGED_LOGIN", oauth_redirect_uri=f"http://127.0.0.1:{port}/callback")
        await pilot.press("f5")  # the OAuth pre-flight in the Connect tab, nothing sent but reads
        panel = app.query_one("#preflight")
        await wait_for(pilot, lambda: "redirect_mismatch" in str(panel.content), what="the F5 pre-flight")
        assert "the match is exact" in str(panel.content) and "nothing stands in the way" not in str(panel.content)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: steps_of(app) == [("preflight", "failed")], what="the pre-flight")
        await screen_has(pilot, "redirect_mismatch")
        text = view_text(app)
        assert "is not in CallbackURLs" in text and "s sends it anyway" in text
        await press_in_view(pilot, "s")  # send anyway: Cognito's own answer is an error page, not a redirect
        await wait_for(pilot, wait_state(app, "waiting"), what="the wait")
        await press_in_view(pilot, "b")
        await wait_for(pilot, opener.done.is_set, 30, what="the browser")
        assert opener.callback is None and opener.status == 400 and "redirect_mismatch" in opener.page
        await pilot.press("escape")
        await wait_for(pilot, wait_state(app, "cancelled"), what="the cancel")
        await screen_has(pilot, "Cancelled: the listener on")
        with socket.socket() as s:  # the listener is closed: its port is free again
            s.bind(("127.0.0.1", port))

    run_app(services, body)


def test_an_error_on_the_redirect_is_explained(tmp_path):
    opener = PageOpener()
    services = services_for(tmp_path, browser=opener)

    async def body(pilot, app):
        await pick_flow(pilot, "MANAGED_LOGIN", client_id=IMPLICIT_ONLY, client_secret="", oauth_scopes="openid")
        app.query_one("#oauth_redirect_uri").value = register_callback(boto_for(app), IMPLICIT_ONLY, free_port())
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: steps_of(app) == [("preflight", "failed")], what="the pre-flight")
        await screen_has(pilot, "unauthorized_client")
        await press_in_view(pilot, "s")
        await wait_for(pilot, wait_state(app, "waiting"))
        await press_in_view(pilot, "b")
        await wait_for(pilot, lambda: ("redirect", "failed") in steps_of(app), 30, what="the refused redirect")
        step = oauth_view(app).session.steps[-1]
        assert step.failure.error == "unauthorized_client" and step.failure.checks
        await screen_has(pilot, "→ check:")
        assert "AllowedOAuthFlows" in view_text(app)

    run_app(services, body)


def test_escape_cancels_the_wait_and_closes_the_listener(tmp_path):
    services = services_for(tmp_path, browser=lambda url: True)

    async def body(pilot, app):
        await pick_flow(pilot, "MANAGED_LOGIN")
        port = free_port()
        app.query_one("#oauth_redirect_uri").value = register_callback(boto_for(app), WEB, port)
        await pilot.press("ctrl+r")
        await wait_for(pilot, wait_state(app, "waiting"))
        app.main.show_tab("connect")  # escape works wherever the focus is
        await pilot.pause(0.1)
        await pilot.press("escape")
        await wait_for(pilot, wait_state(app, "cancelled"), what="the cancel")
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
        assert not oauth_view(app).session.result
        await pilot.press("ctrl+r")  # and it starts again
        await wait_for(pilot, wait_state(app, "waiting"))
        await pilot.press("escape")
        await wait_for(pilot, wait_state(app, "cancelled"))

    run_app(services, body)


def test_a_taken_port_and_a_redirect_that_never_comes_are_explained(tmp_path, monkeypatch):
    from cognito_tui.tui import oauth_session

    monkeypatch.setattr(oauth_session, "DEFAULT_WAIT", 1.0)  # nobody signs in: the wait must end by itself
    services = services_for(tmp_path, browser=lambda url: True)

    async def body(pilot, app):
        await pick_flow(pilot, "MANAGED_LOGIN")
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        try:
            port = holder.getsockname()[1]
            app.query_one("#oauth_redirect_uri").value = register_callback(boto_for(app), WEB, port)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: ("authorize", "failed") in steps_of(app), what="the refused listener")
            assert "Redirect URI field" in view_text(app) and f"127.0.0.1:{port}" in view_text(app)
        finally:
            holder.close()
        app.query_one("#oauth_redirect_uri").value = register_callback(boto_for(app), WEB, free_port())
        await pilot.press("ctrl+r")
        await wait_for(pilot, wait_state(app, "timeout"), 30, what="the wait to end")
        assert steps_of(app)[-1] == ("redirect", "failed")
        assert "No redirect reached" in view_text(app)

    run_app(services, body)
