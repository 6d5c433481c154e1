"""Pilot tests for the TUI's M2M flows (client_credentials at /oauth2/token, GetClientToken), token
exchange (GetDerivedToken) and the user sessions in the Tokens tab (ListUserSessions, RevokeUserSession)."""

from __future__ import annotations

import pytest
from oauth_tui_helpers import (
    PageOpener,
    boto_for,
    free_port,
    oauth_view,
    pick_flow,
    press_in_view,
    register_callback,
    screen_has,
    wait_for,
    wait_state,
)
from tui_helpers import run_app, screen_text, services_for, start_profile

M2M = "oauthm2m00000000000000012"
M2M_SECRET = "oauthm2msecretpublicbydesign00000000000012"
EXCHANGE = "oauthexchange000000000013"
WEB = "oauthweb00000000000000010"


async def finished(pilot, app, what: str):
    await wait_for(pilot, lambda: oauth_view(app) is not None and oauth_view(app).session is not None)
    view = oauth_view(app)
    await wait_for(pilot, lambda: view.session.result.get("AccessToken") or any(not s.ok for s in view.session.steps),
                   20, what=what)  # fmt: skip
    return view.session


def test_client_credentials_gives_an_m2m_token_explained(tmp_path):
    async def body(pilot, app):
        await pick_flow(pilot, "CLIENT_CREDENTIALS")
        assert app.query_one("#client_id").value == M2M and app.query_one("#oauth_scopes").value == "demo-api/read"
        app.query_one("#client_secret").value = ""  # the secret comes from DescribeUserPoolClient, masked
        await pilot.press("ctrl+r")
        session = await finished(pilot, app, "the M2M token")
        assert [(s.name, s.status) for s in session.steps] == [
            ("preflight", "ok"), ("discovery", "ok"), ("client_credentials", "ok")]  # fmt: skip
        assert "client secret: taken from DescribeUserPoolClient (masked)" in session.steps[0].result["findings"]
        access = session.claims["access"]
        assert access["sub"] == M2M and access["scope"] == "demo-api/read" and "IdToken" not in session.result
        app.main.show_tab("tokens")
        text = await screen_has(pilot, "sub is the client id")
        assert "no sessions to list" in text
        calls = app.main.pane("calls").content
        record = next(r for r in calls.records if r.operation.endswith("/oauth2/token"))
        calls.query_one("CallDetail").show(record)
        command = calls.query_one("CallDetail").cli()
        assert f"-u '{M2M}:<client_secret>'" in command and "grant_type=client_credentials" in command
        app.main.show_tab("calls")
        await screen_has(pilot, "$ curl")
        assert M2M_SECRET not in screen_text(app) and session.result["AccessToken"] not in screen_text(app)

    run_app(services_for(tmp_path), body)


def test_get_client_token_and_its_refusal(tmp_path):
    async def body(pilot, app):
        await pick_flow(pilot, "GET_CLIENT_TOKEN")
        await pilot.press("ctrl+r")
        session = await finished(pilot, app, "GetClientToken")
        assert [s.name for s in session.steps] == ["preflight", "GetClientToken"] and session.steps[-1].ok
        assert session.claims["access"]["client_id"] == M2M
        calls = app.main.pane("calls").content
        record = next(r for r in calls.records if r.operation == "GetClientToken")
        calls.query_one("CallDetail").show(record)
        command = calls.query_one("CallDetail").cli()
        assert command.startswith("aws cognito-idp get-client-token") and "<Secret>" in command
        assert M2M_SECRET not in command
        # a wrong secret: refused, explained (the pre-flight cannot know it is wrong)
        await pick_flow(pilot, "GET_CLIENT_TOKEN", client_secret="x" * 30)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: oauth_view(app).session is not session)
        failed = await finished(pilot, app, "the refusal")
        step = failed.steps[-1]
        assert step.failure.error == "NotAuthorizedException" and "ALLOW_CLIENT_TOKEN_AUTH" in step.failure.cause
        await screen_has(pilot, "NotAuthorizedException")

    run_app(services_for(tmp_path), body)


def test_token_exchange_trades_the_signed_in_users_token(tmp_path):
    opener = PageOpener("alice", "Alice-Sandbox-1")

    async def body(pilot, app):
        await pick_flow(pilot, "TOKEN_EXCHANGE")
        await pilot.press("ctrl+r")  # no tokens yet: said, nothing sent
        await screen_has(pilot, "sign in first")
        await pick_flow(pilot, "MANAGED_LOGIN")
        app.query_one("#oauth_redirect_uri").value = register_callback(boto_for(app), WEB, free_port())
        await pilot.press("ctrl+r")
        await wait_for(pilot, wait_state(app, "waiting"))
        await press_in_view(pilot, "b")
        first = await finished(pilot, app, "the managed-login tokens")
        subject = first.result["AccessToken"]
        await pick_flow(pilot, "TOKEN_EXCHANGE", oauth_scopes="demo-api/read")
        assert app.query_one("#client_id").value == EXCHANGE
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: oauth_view(app).session is not first)
        session = await finished(pilot, app, "GetDerivedToken")
        assert session.steps[-1].name == "GetDerivedToken" and session.steps[-1].ok
        assert session.inputs.subject_token == subject
        access = session.claims["access"]
        assert access["client_id"] == EXCHANGE and access["username"] == "alice" and access["scope"] == "demo-api/read"
        app.main.show_tab("tokens")
        await screen_has(pilot, "impersonation")
        # the same exchange through /oauth2/token (RFC 8693's grant), on the token now in the Tokens tab
        await pick_flow(pilot, "TOKEN_EXCHANGE_GRANT", oauth_scopes="demo-api/read")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: oauth_view(app).session is not session)
        grant = await finished(pilot, app, "the token-exchange grant")
        assert [(s.name, s.status) for s in grant.steps] == [
            ("preflight", "ok"), ("discovery", "ok"), ("token_exchange", "ok")]  # fmt: skip
        assert grant.inputs.subject_token == session.result["AccessToken"]
        assert grant.claims["access"]["client_id"] == EXCHANGE and grant.claims["access"]["username"] == "alice"
        calls = app.main.pane("calls").content
        record = next(r for r in calls.records if r.operation.endswith("/oauth2/token"))
        calls.query_one("CallDetail").show(record)
        assert "subject_token=<subject_token>" in calls.query_one("CallDetail").cli()

    run_app(services_for(tmp_path, browser=opener), body)


@pytest.mark.parametrize("via", ["managed login"])
def test_sessions_are_listed_and_one_is_revoked(tmp_path, via):
    opener = PageOpener("alice", "Alice-Sandbox-1")

    async def body(pilot, app):
        boto = boto_for(app)
        other = boto.initiate_auth(ClientId="demopublic0000000000000001", AuthFlow="USER_PASSWORD_AUTH",
                                   AuthParameters={"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"})  # fmt: skip
        other_token = other["AuthenticationResult"]["AccessToken"]
        await pick_flow(pilot, "MANAGED_LOGIN")
        app.query_one("#oauth_redirect_uri").value = register_callback(boto, WEB, free_port())
        await pilot.press("ctrl+r")
        await wait_for(pilot, wait_state(app, "waiting"))
        await press_in_view(pilot, "b")
        await finished(pilot, app, "the tokens")
        app.main.show_tab("tokens")
        tokens = app.main.pane("tokens").content
        await wait_for(pilot, lambda: tokens.query("OAuthTokensPanel"))
        panel = tokens.query_one("OAuthTokensPanel")
        await wait_for(pilot, lambda: len(panel.sessions) >= 2, what="both sessions")
        table = panel.query_one("SessionsTable")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "id-claims")  # the tab's own focus
        await pilot.press("tab", "tab")  # the sessions table, by keys: ID claims -> access claims -> sessions
        assert app.focused is table
        current = next(i for i, s in enumerate(panel.sessions) if s["IsCurrentSession"])
        table.move_cursor(row=current)
        await pilot.press("d")  # the current session cannot be revoked this way: said
        await wait_for(pilot, lambda: "current session" in str(panel.query_one("#sessions-note").content))
        target = next(i for i, s in enumerate(panel.sessions) if not s["IsCurrentSession"] and s["SessionType"] == "TOKEN"
                      and s["ClientId"] == "demopublic0000000000000001")  # fmt: skip
        gone = panel.sessions[target]["SessionId"]
        table.move_cursor(row=target)
        await pilot.press("d")
        await wait_for(
            pilot, lambda: gone not in [s["SessionId"] for s in panel.sessions], what="the revoked session gone"
        )
        assert "revoked" in str(panel.query_one("#sessions-note").content)
        with pytest.raises(Exception, match="NotAuthorized"):
            boto.get_user(AccessToken=other_token)  # its tokens no longer work
        await pilot.press("l")  # listed again on demand
        await wait_for(pilot, lambda: gone not in [s["SessionId"] for s in panel.sessions])

    run_app(services_for(tmp_path, browser=opener), body)


def test_an_initiate_auth_walk_after_an_oauth_one_shows_the_challenge_view_again(tmp_path):
    async def body(pilot, app):
        await pick_flow(pilot, "GET_CLIENT_TOKEN")
        await pilot.press("ctrl+r")
        await finished(pilot, app, "GetClientToken")
        await start_profile(pilot, "password")
        await wait_for(pilot, lambda: app.main.pane("tokens").content.signed_in is not None, what="InitiateAuth tokens")
        assert not oauth_view(app).display and app.query_one("#challenge").display
        assert not app.main.pane("tokens").content.query("OAuthTokensPanel")
        assert not app.query_one("#oauth_scopes").parent.display  # the demo profile brought its own flow back

    run_app(services_for(tmp_path), body)
