"""Make screenshots/*.svg: each screen of the real app, driven with Pilot on its embedded sandbox.

    python scripts/screenshots.py [--out screenshots] [--size 140x42]

Nothing of the user's is read or written: the app is handed its own services (the config and
history in a temporary folder, secrets in a memory store, so the screens look as they do with a
working OS keyring, without the "no keyring" banner). Before an SVG is written it is checked for every demo secret (passwords,
client secrets, TOTP seeds): a screenshot that shows one is refused, not saved.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

PORT = 45991  # fixed, so the endpoint shown in the SVGs does not change between runs


class Shooter:
    def __init__(self, pilot, out: Path) -> None:
        self.pilot = pilot
        self.app = pilot.app
        self.out = out
        self.secrets: set[str] = set()
        self.saved: list[Path] = []
        self.seen: list = []  # every message the app handled (run_test's message_hook)

    async def until(self, condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:
        for _ in range(int(timeout / 0.05)):
            if condition():
                return
            await self.pilot.pause(0.05)
        raise SystemExit(f"screenshots: timed out waiting for {what}")

    async def demo(self, scenario: str, start: bool = True) -> None:
        """Pick a demo profile in the side list as a user would (focus, move, enter), then ctrl+r."""
        names = [entry.name for entry in self.app.entries]
        index = next(i for i, name in enumerate(names) if name.startswith(f"demo: {scenario} "))
        listing = self.app.query_one("#profiles")
        listing.focus()
        listing.index = index
        await self.pilot.press("enter")
        await self.until(
            lambda: self.app.current_entry is not None and self.app.current_entry.name == names[index],
            f"profile {scenario}",
        )
        if start:
            before = self.app.step
            await self.pilot.press("ctrl+r")
            await self.until(lambda: self.app.step not in (None, before), f"the first step of {scenario}")

    async def shoot(self, name: str) -> None:
        await self.pilot.pause(0.4)
        self.app.clear_notifications()
        await self.pilot.pause(0.2)
        svg = self.app.export_screenshot(title=f"cognito-tui — {name}")
        text = html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
        leaked = [s for s in self.secrets if s in text or s in svg]
        if leaked:
            raise SystemExit(f"screenshots: {name}.svg would show a demo secret; not written")
        path = self.out / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        self.saved.append(path)
        print(f"wrote {path}", flush=True)


async def scenes(shot: Shooter) -> None:
    from cognito_tui.core import totp
    from cognito_tui.core.walk import Challenge, Failed, SignedIn

    app, pilot = shot.app, shot.pilot

    # Connect: a demo profile in the form, the pre-flight read from the pool, client and user
    await shot.demo("totp", start=False)
    posted = len(shot.seen)
    await pilot.press("f5")
    await shot.until(lambda: any(type(e).__name__ == "PreflightReady" for e in shot.seen[posted:]), "the pre-flight")
    await shot.shoot("connect")

    # Walk: a challenge rendered from its spec, with the TOTP helper
    await pilot.press("ctrl+r")
    await shot.until(lambda: isinstance(app.step, Challenge), "the TOTP challenge")
    await pilot.press("ctrl+t")
    await shot.shoot("walk-challenge")
    await pilot.press("ctrl+s")
    await shot.until(lambda: isinstance(app.step, SignedIn), "the tokens")

    # Tokens: claims, the signature checked against the sandbox's JWKS
    await shot.until(lambda: "signature" in str(app.query_one("#tokens-status").render()), "the JWKS check")
    await shot.shoot("tokens")

    # Calls: the timeline, the masked request and response, the AWS CLI command
    await pilot.press("f10")
    await shot.shoot("calls")

    # MFA setup: the QR code stays hidden until revealed, so the screenshot shows the masked state
    await shot.demo("mfa_setup")
    await shot.until(lambda: isinstance(app.step, Challenge), "MFA_SETUP")
    app.query_one("#field-MFA_TYPE").value = "SOFTWARE_TOKEN_MFA"
    await pilot.press("ctrl+s")
    await shot.until(lambda: isinstance(app.step, Challenge) and bool(app.step.phase), "the authenticator step")
    await shot.shoot("walk-mfa-setup")
    await pilot.press(
        *totp.now_code(app.step.extra["secret_code"].value), "ctrl+s"
    )  # finish it: one more run in History

    # A refusal: the engine's explanation, with retry / restart
    await shot.demo("password", start=False)
    app.query_one("#password").value = "Not-The-Password-1"
    await pilot.press("ctrl+r")
    await shot.until(lambda: isinstance(app.step, Failed), "the refusal")
    await shot.shoot("walk-failed")

    # History: the runs above, redacted, reopened read-only
    await pilot.press("f11")
    await pilot.pause(0.3)
    await pilot.press("down")
    await shot.shoot("history")

    # Profiles: save the form, then the YAML as it will be written
    await shot.demo("sms_mfa", start=False)
    await pilot.press("ctrl+n")
    await pilot.pause(0.3)
    app.screen.query_one("#name").value = "erin-sms"
    await pilot.press("enter")
    await shot.until(
        lambda: app.current_entry is not None and app.current_entry.name == "erin-sms", "the saved profile"
    )
    await pilot.press("f3")
    await shot.shoot("profiles-yaml")
    await pilot.press("escape")

    # The command palette and the help
    await pilot.press("ctrl+p")
    await pilot.pause(0.3)
    await pilot.press(*"token")
    await shot.shoot("palette")
    await pilot.press("escape")
    await pilot.press("f1")
    await shot.shoot("help")


def demo_secrets(sandbox) -> set[str]:
    found: set[str] = set()
    for pool in sandbox.describe()["pools"]:
        found.update(c["secret"] for c in pool["clients"] if c.get("secret"))
        for user in pool["users"]:
            found.update(v for v in (user.get("password"), user.get("totp_secret")) if v)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "screenshots"))
    parser.add_argument("--size", default="140x42", help="COLSxROWS")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as home:
        from cognito_tui.store.secrets import MemoryStore
        from cognito_tui.tui.app import make_app
        from cognito_tui.tui.services import SandboxLifecycle, Services

        services = Services(
            config_path=os.path.join(home, "config", "profiles.yaml"),
            history_dir=Path(home) / "history",
            sandbox=SandboxLifecycle(port=PORT),
            secret_store=MemoryStore(),
        )

        async def run() -> list[Path]:
            app = make_app(services)
            seen: list = []
            try:
                async with app.run_test(size=(cols, rows), message_hook=seen.append) as pilot:
                    shot = Shooter(pilot, out)
                    shot.seen = seen
                    await shot.until(
                        lambda: app.sandbox is not None and app.book is not None and app.entries,
                        "the sandbox and profiles",
                    )
                    shot.secrets = demo_secrets(app.sandbox)
                    await scenes(shot)
            finally:
                services.shutdown()
            return shot.saved

        saved = asyncio.run(run())
    print(f"{len(saved)} screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
