"""SVG snapshots of each screen at a fixed size, from the real app on its sandbox.

Deterministic: the sandbox serves on a free port and its address is shown as a fixed placeholder,
a frozen clock drives countdowns and timings, secrets are kept in memory. Update with `pytest tests/tui/test_snapshots.py --snapshot-update`
after looking at the new SVGs.
"""

from __future__ import annotations

from tui_helpers import SIZE, ready, services_for, start_profile, wait_for

from cognito_tui.core.walk import Challenge, Failed
from cognito_tui.tui.app import make_app

ENDPOINT = "http://127.0.0.1:PORT"  # what the snapshots show for the sandbox's (free, changing) address


def frozen() -> float:
    return 1000.0


async def settle(pilot) -> None:
    """Toasts time out and cursors blink on a wall clock: settle both so every run shows the same screen.

    The sandbox's address is replaced on screen by a placeholder once the calls are made.
    """
    await pilot.pause(0.3)
    app = pilot.app
    real = app.sandbox.endpoint_url
    app.sub_title = app.sub_title.replace(real, ENDPOINT)
    for widget in app.query("#endpoint_url"):
        widget.value = widget.value.replace(real, ENDPOINT)
    pilot.app.clear_notifications()
    for widget in pilot.app.query("Input"):
        widget.cursor_blink = False  # a blinking cursor is on or off depending on the moment
    await pilot.pause(0.1)


def compare(snap_compare, tmp_path, before) -> bool:
    services = services_for(tmp_path, clock=frozen)
    try:
        return snap_compare(make_app(services), terminal_size=SIZE, run_before=before)
    finally:
        services.shutdown()


def test_connect_screen(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await start_profile(pilot, "totp", start=False)
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before)


def test_walk_screen_at_a_challenge(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await start_profile(pilot, "new_password")
        await wait_for(pilot, lambda: isinstance(pilot.app.step, Challenge))
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before)


def test_walk_screen_after_a_refusal(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await start_profile(pilot, "password", start=False)
        pilot.app.query_one("#password").value = "Not-The-Password-1"
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(pilot.app.step, Failed))
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before)


def test_help_screen(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        pilot.app.clear_notifications()  # a toast under the dialog is drawn dimmed: clear it before opening
        await pilot.pause(0.3)
        await pilot.press("f1")
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before)


def test_mfa_setup_hides_the_secret_until_revealed(snap_compare, tmp_path):
    async def before(pilot):
        await ready(pilot)
        await start_profile(pilot, "mfa_setup")
        await wait_for(pilot, lambda: isinstance(pilot.app.step, Challenge))
        pilot.app.query_one("#field-MFA_TYPE").value = "SOFTWARE_TOKEN_MFA"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: getattr(pilot.app.step, "phase", "") == "verify")
        await settle(pilot)

    assert compare(snap_compare, tmp_path, before)
