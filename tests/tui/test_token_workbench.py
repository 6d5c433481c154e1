"""The Tokens tab as a workbench, through the real app on its sandbox: refresh on a rotating client
without pre-flight (the rotated token kept in the form and the profile's store), each claim explained
and shown whole, two runs compared, exports including curl, and discovery (ctrl+l) paging."""

from __future__ import annotations

import base64
import json
import socket

import boto3
import yaml
from tui_helpers import (
    answer_until_done,
    posted,
    run_app,
    screen_has,
    screen_text,
    services_for,
    start_profile,
    wait_for,
)

from cognito_tui.core.walk import SignedIn
from cognito_tui.store.secrets import MemoryStore, SecretKind
from cognito_tui.tui import messages as m
from cognito_tui.tui.screens.dialogs import TextView
from cognito_tui.tui.widgets.token_views import RunPicker

DEMO = "us-east-1_DemoPool01"
ROTATION = "demorotation00000000000004"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def boto_for(app):
    return boto3.session.Session().client(
        "cognito-idp", endpoint_url=app.sandbox.endpoint_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )  # fmt: skip


async def signed_in(pilot, scenario: str = "password") -> SignedIn:
    await start_profile(pilot, scenario)
    await answer_until_done(pilot)
    assert isinstance(pilot.app.step, SignedIn), pilot.app.step
    await screen_has(pilot, "signature valid")
    return pilot.app.step


async def after(pilot, keys: tuple[str, ...], kinds: tuple[type, ...], what: str):
    app = pilot.app
    since = len(posted(app))
    await pilot.press(*keys)
    await wait_for(pilot, lambda: posted(app, kinds, since), what=what)
    return posted(app, kinds, since)[0]


def test_refresh_on_a_rotating_client_without_preflight_keeps_the_rotated_token(tmp_path):
    port = free_port()
    store = MemoryStore()
    store.set("rot", SecretKind.PASSWORD, "Alice-Sandbox-1")
    store.set("rot", SecretKind.REFRESH_TOKEN, "an-older-refresh-token-kept-by-the-profile")
    config = tmp_path / "config" / "profiles.yaml"
    config.parent.mkdir(parents=True)
    profile = {"name": "rot", "endpoint_url": f"http://127.0.0.1:{port}", "user_pool_id": DEMO, "client_id": ROTATION,
               "auth_flow": "USER_PASSWORD_AUTH", "username": "alice"}  # fmt: skip
    config.write_text(yaml.safe_dump({"profiles": [profile]}))

    async def body(pilot, app):
        app.main.query_one("ProfilesPane").select_named("rot")
        await wait_for(pilot, lambda: app.current_entry is not None and app.current_entry.name == "rot")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="the sign-in")
        first = app.step.result["RefreshToken"]
        await screen_has(pilot, "signature valid")

        event = await after(pilot, ("ctrl+f",), (m.TokensChanged, m.ActionFailed), "the refresh")
        assert isinstance(event, m.TokensChanged) and isinstance(event.step, SignedIn), event
        assert [r.operation for r in app.walk.transcript.records][-2:] == [
            "DescribeUserPoolClient",
            "GetTokensFromRefreshToken",
        ]
        rotated = event.step.result["RefreshToken"]
        assert rotated != first
        assert app.query_one("#refresh_token").value == rotated  # the form's field, for REFRESH_TOKEN_AUTH
        assert store.get("rot", SecretKind.REFRESH_TOKEN) == rotated  # the profile kept one: it is replaced
        text = await screen_has(pilot, "rotating client")
        assert "DescribeUserPoolClient: the client rotates refresh tokens" in text
        assert rotated not in text and first not in text

        # the next refresh sends the rotated token, with no DescribeUserPoolClient again
        event = await after(pilot, ("ctrl+f",), (m.TokensChanged, m.ActionFailed), "a second refresh")
        assert isinstance(event.step, SignedIn) and event.step.result["RefreshToken"] != rotated
        assert [r.operation for r in app.walk.transcript.records][-2:] == ["GetTokensFromRefreshToken"] * 2

    run_app(services_for(tmp_path, port=port, secret_store=store), body)


def test_claims_are_explained_and_shown_whole_at_80_columns(tmp_path):
    async def body(pilot, app):
        step = await signed_in(pilot)
        app.main.set_class(True, "short")  # as MainScreen.on_resize sets it below 30 rows
        app.main.set_class(True, "narrow")
        await pilot.pause(0.2)
        detail = app.query_one("#claim-detail")
        assert "Signed in as alice" in str(detail.render()) and "Keys: http://127.0.0.1:" in str(detail.render())

        table = app.query_one("#id-claims")
        table.focus()
        rows = list(step.claims["id"])
        await pilot.press(*["down"] * rows.index("iss"))
        await wait_for(pilot, lambda: "id token · iss" in str(detail.render()), what="the iss claim's detail")
        iss = step.claims["id"]["iss"]
        content = detail.content_size
        value_lines = 1 + -(-len(iss) // content.width)  # the title, then the value wrapped at the pane's width
        assert iss in str(detail.render()) and len(iss) > content.width  # the whole value, wider than the pane
        assert value_lines <= content.height  # every line of the value is on screen, even on a short screen
        await pilot.press("enter")  # and in a view of its own, with its meaning
        await wait_for(pilot, lambda: isinstance(app.screen, TextView), what="the claim's own view")
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert iss in shown and f"{iss}/.well-known/jwks.json" in shown
        await pilot.press("escape")

        app.query_one("#access-claims").focus()
        await pilot.press("down", "down", "down", "down")  # sub, iss, client_id, token_use -> scope
        await wait_for(pilot, lambda: "access token · scope" in str(detail.render()), what="the scope's detail")
        assert "GetUser" in str(detail.render())

    run_app(services_for(tmp_path), body, size=(80, 24))


def test_two_runs_compared_with_the_differences_marked(tmp_path):
    async def body(pilot, app):
        await signed_in(pilot)
        boto = boto_for(app)
        boto.create_group(UserPoolId=DEMO, GroupName="beta-testers")
        boto.admin_add_user_to_group(UserPoolId=DEMO, Username="alice", GroupName="beta-testers")
        before = app.step
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn) and app.step is not before, what="sign-in 2")
        await screen_has(pilot, "signature valid")

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, RunPicker), what="the run picker")
        picker = app.screen
        labels = [c.label for c in picker.choices]
        assert labels[0].startswith("this session: sign-in of alice")
        assert any(label.startswith("history: USER_PASSWORD_AUTH alice") for label in labels)  # the first run, kept
        assert sum(label.startswith("history:") for label in labels) == 1  # not the run shown now
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.query_one("#claims-diff").display, what="the diff")
        await screen_has(pilot, "Claims compared with this session")
        heading = str(app.query_one("#diff-heading").render())
        assert "2 claim(s) differ" in heading  # cognito:groups in the ID and the access token
        diff = app.query_one("#diff-table")
        cells = [[str(c) for c in diff.get_row_at(i)] for i in range(diff.row_count)]
        assert ["+", "id", "cognito:groups", "", "beta-testers"] in cells
        assert ["+", "access", "cognito:groups", "", "beta-testers"] in cells
        assert any(row[0] == "~" and row[2] == "jti" for row in cells)

        await pilot.press("d")
        await wait_for(pilot, lambda: app.query_one("#claims-pair").display, what="back to the claims")

        # the history's copy of the first run compares the same way (its claims were kept with it)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, RunPicker), what="the run picker again")
        history = next(i for i, c in enumerate(app.screen.choices) if c.label.startswith("history:"))
        app.screen.dismiss(app.screen.choices[history])
        await screen_has(pilot, "Claims compared with history: USER_PASSWORD_AUTH alice")
        assert "2 claim(s) differ" in str(app.query_one("#diff-heading").render())

    run_app(services_for(tmp_path), body)


def test_exports_cycle_env_header_curl_json_and_curl_takes_a_typed_url(tmp_path):
    async def body(pilot, app):
        step = await signed_in(pilot)
        access, refresh = step.result["AccessToken"], step.result["RefreshToken"]
        await pilot.press("x")
        await pilot.pause(0.2)
        assert app.clipboard.startswith("export COGNITO_ID_TOKEN=") and refresh not in app.clipboard
        await pilot.press("x")
        await pilot.pause(0.1)
        assert app.clipboard == f"Authorization: Bearer {access}"
        await pilot.press("x")
        await pilot.pause(0.1)
        assert app.clipboard.startswith("curl -sS -X POST") and app.clipboard.endswith(app.sandbox.endpoint_url + "/")
        assert "AWSCognitoIdentityProviderService.GetUser" in app.clipboard and access in app.clipboard
        await pilot.press("x")
        await pilot.pause(0.1)
        assert '"AccessToken"' in app.clipboard and refresh not in app.clipboard
        text = screen_text(app)
        assert access not in text and "json export copied to the clipboard" in text

        await pilot.press("u")  # the prompt comes prefilled with the pool's userInfo endpoint
        await wait_for(pilot, lambda: app.screen.query("#answer"), what="the URL prompt")
        userinfo = f"{app.sandbox.endpoint_url}/domain/cognito-tui-demo/oauth2/userInfo"
        assert app.screen.query_one("#answer").value == userinfo
        await pilot.press("enter")
        await screen_has(pilot, "curl exports GET")
        await pilot.press("x", "x", "x")  # json -> env -> header -> curl
        await pilot.pause(0.2)
        assert app.clipboard == f"curl -sS -H 'Authorization: Bearer {access}' {userinfo}"

        await pilot.press("ctrl+y", "x")  # revealed: the refresh token joins the JSON, shown on screen
        await pilot.pause(0.2)
        assert json.loads(app.clipboard)["RefreshToken"] == refresh

    run_app(services_for(tmp_path), body)


def test_discovery_lists_pools_and_clients_across_pages(tmp_path):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        boto = boto_for(app)
        for i in range(70):
            boto.create_user_pool(PoolName=f"many-{i:02d}")
        for i in range(62):
            boto.create_user_pool_client(UserPoolId=DEMO, ClientName=f"extra-{i:02d}")
        pools = sum(len(page["UserPools"]) for page in boto.get_paginator("list_user_pools").paginate(MaxResults=60))
        clients = sum(len(p["UserPoolClients"]) for p in boto.get_paginator("list_user_pool_clients").paginate(
            UserPoolId=DEMO, MaxResults=60))  # fmt: skip
        assert pools > 70 and clients > 62
        await pilot.press("ctrl+l")
        await screen_has(pilot, f"{pools} pools:")
        await screen_has(pilot, f"{clients} clients:")
        suggester = app.query_one("#user_pool_id").suggester
        assert suggester is not None and len(suggester._suggestions) == pools

    run_app(services_for(tmp_path), body)


def test_a_tampered_token_is_marked_invalid_on_screen(tmp_path):
    from cognito_tui.core.tokens import decode_claims

    async def body(pilot, app):
        step = await signed_in(pilot)
        header, payload, signature = step.result["IdToken"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["cognito:username"] = "mallory"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        result = {**step.result, "IdToken": f"{header}.{forged}.{signature}"}
        pane = app.main.query_one("TokensPane")
        pane.show_signed_in(SignedIn(result, decode_claims(result)), app.walk, app.sandbox.endpoint_url)
        text = await screen_has(pilot, "signature does not verify")
        assert "ID: ✗" in text and "access: ✓" in text and "keys: http://127.0.0.1:" in text

    run_app(services_for(tmp_path), body)


BEFORE = {
    "id": {"sub": "5f1c-alice", "cognito:username": "alice", "email": "alice@example.com", "token_use": "id",
           "jti": "1111", "custom:plan": "silver"},
    "access": {"sub": "5f1c-alice", "token_use": "access", "scope": "aws.cognito.signin.user.admin", "jti": "2222",
               "username": "alice"},
}  # fmt: skip
AFTER = {
    "id": {"sub": "5f1c-alice", "cognito:username": "alice", "email": "alice@example.com", "token_use": "id",
           "jti": "3333", "custom:plan": "gold", "cognito:groups": ["beta-testers"], "tenant": "acme"},
    "access": {"sub": "5f1c-alice", "token_use": "access", "scope": "aws.cognito.signin.user.admin", "jti": "4444",
               "username": "alice", "cognito:groups": ["beta-testers"]},
}  # fmt: skip


def test_snapshot_of_two_runs_compared(snap_compare, tmp_path):
    """The diff view with fixed claims (a pre-token-generation trigger's change), at the suite's fixed size."""
    from tui_helpers import SIZE, ready

    from cognito_tui.tui.app import make_app
    from cognito_tui.tui.widgets.token_views import ClaimSet

    async def before(pilot):
        await ready(pilot)
        app = pilot.app
        await pilot.press("f9")  # the Tokens tab
        await wait_for(pilot, lambda: app.main.pane("tokens").content is not None, what="the Tokens tab")
        pane = app.main.pane("tokens").content
        pane.show({"AccessToken": "a", "IdToken": "i"}, AFTER, "sign-in of alice at 10:05:00")
        pane.show_diff(ClaimSet("this session: sign-in of alice at 10:00:00", BEFORE))
        await pilot.pause(0.3)
        app.sub_title = "sandbox on http://127.0.0.1:PORT"
        app.clear_notifications()
        await pilot.pause(0.1)

    services = services_for(tmp_path, clock=lambda: 1000.0)
    try:
        assert snap_compare(make_app(services), terminal_size=SIZE, run_before=before)
    finally:
        services.shutdown()
