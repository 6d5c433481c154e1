"""SVG snapshots of each screen at a fixed size, from the real app on its sandbox.

Deterministic: a fixed sandbox port, a frozen clock for countdowns and timings, no keyring
(memory store and its banner). Update with `pytest tests/tui/test_snapshots.py --snapshot-update`
after looking at the new SVGs.
"""

from __future__ import annotations

from tui_helpers import SIZE, ready, start_profile, wait_for

from cognito_tui.core.walk import Challenge, Failed
from cognito_tui.tui.app import AppConfig, make_app

PORT = 45990


def frozen() -> float:
    return 1000.0


async def settle(pilot) -> None:
    """Toasts time out and cursors blink on a wall clock: settle both so every run shows the same screen."""
    await pilot.pause(0.3)
    pilot.app.clear_notifications()
    for widget in pilot.app.query("Input"):
        widget.cursor_blink = False  # a blinking cursor is on or off depending on the moment
    await pilot.pause(0.1)


def snapshot_app(tmp_path):
    return make_app(
        AppConfig(
            config_path=str(tmp_path / "profiles.yaml"),
            sandbox=True,
            history_dir=tmp_path / "history",
            sandbox_port=PORT,
            clock=frozen,
        )
    )


def compare(snap_compare, tmp_path, before) -> bool:
    app = snapshot_app(tmp_path)
    try:
        return snap_compare(app, terminal_size=SIZE, run_before=before)
    finally:
        if app.sandbox is not None:
            app.sandbox.stop()


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
