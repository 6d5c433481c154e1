"""SVG snapshots of managed login in the TUI: the wait for the redirect, and the walk once it is done.

Deterministic: PKCE verifier, state and nonce are fixed for the test, a frozen clock drives the
countdown, and the free ports (the sandbox's, the callback's) are shown as fixed placeholders.
Update with `pytest tests/tui/test_oauth_snapshots.py --snapshot-update` after looking at the SVGs.
"""

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
    wait_for,
    wait_state,
)
from test_snapshots import ENDPOINT, frozen, settle
from tui_helpers import SIZE, ready, services_for

from cognito_tui.tui.app import make_app

WEB = "oauthweb00000000000000010"


@pytest.fixture(autouse=True)
def fixed_pkce(monkeypatch):
    from cognito_tui.core.oauth import pkce

    monkeypatch.setattr(pkce, "new_verifier", lambda: "v" * 64)
    monkeypatch.setattr(pkce, "new_state", lambda: "fixed-state-for-the-snapshot")
    monkeypatch.setattr(pkce, "new_nonce", lambda: "fixed-nonce-for-the-snapshot")


async def to_the_wait(pilot) -> int:
    await ready(pilot)
    app = pilot.app
    await pick_flow(pilot, "MANAGED_LOGIN")
    port = free_port()
    app.query_one("#oauth_redirect_uri").value = register_callback(boto_for(app), WEB, port)
    await pilot.press("ctrl+r")
    await wait_for(pilot, wait_state(app, "waiting"), what="the wait for the redirect")
    real = app.sandbox.endpoint_url
    oauth_view(app).shown = lambda text: text.replace(real, ENDPOINT).replace(str(port), "8765")
    oauth_view(app).render_steps()
    return port


def compare(snap_compare, tmp_path, before, **kw) -> bool:
    services = services_for(tmp_path, clock=frozen, **kw)
    try:
        return snap_compare(make_app(services), terminal_size=SIZE, run_before=before)
    finally:
        services.shutdown()


def test_managed_login_waiting_for_the_redirect(snap_compare, tmp_path):
    async def before(pilot):
        await to_the_wait(pilot)
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before)


def test_managed_login_result(snap_compare, tmp_path):
    async def before(pilot):
        await to_the_wait(pilot)
        app = pilot.app
        await press_in_view(pilot, "b")
        view = oauth_view(app)
        await wait_for(pilot, lambda: view.session.steps[-1].name == "userinfo", 30, what="userInfo")
        view.render_steps()
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before, browser=PageOpener("alice", "Alice-Sandbox-1"))
