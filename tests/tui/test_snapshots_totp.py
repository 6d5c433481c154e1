"""SVG snapshot of the TOTP workbench (F12) for dave's demo profile: the code masked, its countdown fixed.

The sandbox's clock is frozen 17 s into a window, so the bar and the seconds left never change;
update with `--snapshot-update` after looking at the SVG.
"""

from __future__ import annotations

from test_snapshots import settle
from tui_helpers import SIZE, ready, services_for, start_profile, wait_for

from cognito_tui.sandbox.clock import Clock
from cognito_tui.tui.app import make_app
from cognito_tui.tui.services import SandboxLifecycle

WINDOW_AT = 1_800_000_000.0 + 13  # 13 s into a 30-s window: 17 s left


def test_totp_workbench(snap_compare, tmp_path):
    services = services_for(tmp_path, clock=lambda: 1000.0)
    services.sandbox = SandboxLifecycle(port=0, clock=Clock(frozen_at=WINDOW_AT))

    async def before(pilot):
        await ready(pilot)
        await start_profile(pilot, "totp", start=False)
        await pilot.press("f12", "t")  # the profile list, then the workbench key
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "TotpScreen")
        await settle(pilot)

    try:
        assert snap_compare(make_app(services), terminal_size=SIZE, run_before=before)
    finally:
        services.shutdown()
