"""Make the issue-15 screenshots: presenter mode, the export dialog, the scenarios live view (100x30).

    python scripts/screenshots_present.py [--out screenshots]

Same rules as scripts/screenshots.py (whose Shooter it uses): the app on its own sandbox, nothing of
the user's read or written, and an SVG that would show a demo secret is refused, not saved.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _shots_module():
    spec = importlib.util.spec_from_file_location("screenshots", HERE / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def scenes(shot) -> None:
    from cognito_tui.core.walk import Challenge, SignedIn
    from cognito_tui.tui.screens.export import ExportScreen
    from cognito_tui.tui.screens.scenarios import ScenariosScreen

    app, pilot = shot.app, shot.pilot

    # Presenter mode at the TOTP challenge: the narration, the diagram, the field to answer
    await shot.demo("totp", start=False)
    await pilot.press("f12", "ctrl+r")
    await shot.until(lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA", "TOTP")
    await shot.shoot("presenter")
    await pilot.press("ctrl+t", "ctrl+s")
    await shot.until(lambda: isinstance(app.step, SignedIn), "the tokens")
    await pilot.press("f8")
    await shot.shoot("presenter-signed-in")
    await pilot.press("f12")

    # Export: the dialog over the finished walk
    await pilot.press("w")
    await shot.until(lambda: isinstance(app.screen, ExportScreen), "the export dialog")
    app.screen.query_one("#export-path").value = "./cognito-walk-dave.sh"
    await shot.shoot("export")
    await pilot.press("escape")

    # Scenarios: the shipped file, run live against a fresh sandbox
    await pilot.press("ctrl+g")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await shot.until(lambda: isinstance(app.screen, ScenariosScreen), "the scenarios view")
    view = app.screen
    await shot.until(lambda: view.walks and len(view.results) == len(view.walks) and not view.busy, "every walk", 90)
    view.query_one("#sc-title").update(
        view.query_one("#sc-title").render().plain.replace(view.path, "demo_scenarios.yaml")
    )
    await shot.shoot("scenarios")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE.parent / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shots = _shots_module()

    with tempfile.TemporaryDirectory() as home:
        from cognito_tui.store.secrets import MemoryStore
        from cognito_tui.tui.app import make_app
        from cognito_tui.tui.services import SandboxLifecycle, Services

        services = Services(
            config_path=os.path.join(home, "config", "profiles.yaml"),
            history_dir=Path(home) / "history",
            sandbox=SandboxLifecycle(port=shots.PORT),
            secret_store=MemoryStore(),
        )

        async def run() -> list[Path]:
            app = make_app(services)
            seen: list = []
            try:
                async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
                    shot = shots.Shooter(pilot, out)
                    shot.seen = seen
                    await shot.until(
                        lambda: app.sandbox is not None and app.book is not None and app.entries,
                        "the sandbox and profiles",
                    )
                    shot.secrets = shots.demo_secrets(app.sandbox)
                    await scenes(shot)
            finally:
                services.shutdown()
            return shot.saved

        saved = asyncio.run(run())
    print(f"{len(saved)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
