"""Helpers for Pilot tests: start the app, pick a profile, answer challenges as a user would."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import re
import weakref
from collections.abc import Awaitable, Callable
from pathlib import Path

from cognito_tui.core import totp
from cognito_tui.core.walk import Challenge
from cognito_tui.store.secrets import MemoryStore
from cognito_tui.tui.app import AppConfig, CognitoApp, make_app
from cognito_tui.tui.services import SandboxLifecycle, Services

SIZE = (140, 45)
_SEEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def services_for(tmp_path: Path, sandbox: bool = True, **kw) -> Services:
    """The app's services for a test: files under tmp_path, secrets in memory, a sandbox on a free port."""
    return Services(
        config_path=str(tmp_path / "config" / "profiles.yaml"),
        history_dir=tmp_path / "history",
        sandbox=SandboxLifecycle(port=kw.pop("port", 0)) if sandbox else None,
        secret_store=kw.pop("secret_store", None) or MemoryStore(),
        **kw,
    )


def posted(app: CognitoApp, kind: type | tuple[type, ...] = object, since: int = 0) -> list:
    """The messages the app handled (seen through run_test's message_hook), each once, oldest first."""
    seen = _SEEN.get(app, [])
    return [e for e in seen[since:] if isinstance(e, kind)]


def watch(app: CognitoApp) -> Callable[[object], None]:
    """A message_hook for app.run_test that keeps each message once, for `posted`."""
    seen: list = []
    ids: set[int] = set()
    _SEEN[app] = seen

    def hook(message: object) -> None:
        if id(message) not in ids:
            ids.add(id(message))
            seen.append(message)

    return hook


async def wait_for(pilot, condition: Callable[[], object], timeout: float = 15.0, what: str = "") -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


def screen_text(app: CognitoApp) -> str:
    """What the screen shows now, as plain text (tags stripped from the SVG export)."""
    svg = app.export_screenshot()
    text = re.sub(r"<[^>]+>", "", svg)
    return html.unescape(text).replace("\xa0", " ")


async def screen_has(pilot, needle: str, timeout: float = 10.0) -> str:
    holder = {}

    def found() -> bool:
        holder["text"] = screen_text(pilot.app)
        return needle in holder["text"]

    await wait_for(pilot, found, timeout, what=f"{needle!r} on screen")
    return holder["text"]


async def ready(pilot) -> CognitoApp:
    app = pilot.app
    await wait_for(
        pilot, lambda: app.sandbox is not None and app.book is not None and app.entries, what="the sandbox and profiles"
    )
    await pilot.pause(0.1)
    return app


def run_app(
    services: Services, body: Callable[..., Awaitable[None]], config: AppConfig | None = None, size=SIZE
) -> CognitoApp:
    async def main() -> CognitoApp:
        app = make_app(services, config)
        try:
            async with app.run_test(size=size, message_hook=watch(app)) as pilot:
                await ready(pilot)
                await body(pilot, app)
        finally:
            services.shutdown()
        return app

    return asyncio.run(main())


def with_settings(config: AppConfig | None, **settings) -> AppConfig:
    return dataclasses.replace(config or AppConfig(), settings=settings)


def latest_code(app: CognitoApp):
    return app.main.latest_code()


async def start_profile(pilot, scenario: str, start: bool = True) -> None:
    """Pick the demo profile in the side list (keys), then ctrl+r."""
    app = pilot.app
    names = [e.name for e in app.entries]
    index = next(i for i, n in enumerate(names) if n.startswith(f"demo: {scenario} "))
    listing = app.query_one("#profiles")
    listing.focus()
    listing.index = index
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.current_entry is not None and app.current_entry.name == names[index])
    if start:
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: app.step is not None, what="the first step")


async def _choose(pilot, field: str, value: str) -> None:
    select = pilot.app.query_one(f"#field-{field}")
    select.value = value
    await pilot.pause(0.1)


async def answer_until_done(pilot, limit: int = 8) -> list[str]:
    """Answer each challenge the way a user would; returns the challenge names seen."""
    app = pilot.app
    seen: list[str] = []
    await wait_for(pilot, lambda: app.step is not None)
    while isinstance(app.step, Challenge) and len(seen) < limit:
        step = app.step
        seen.append(step.name)
        if step.fields:  # typing goes to the focused field: wait until the new fields have focus
            await wait_for(
                pilot,
                lambda: app.focused is not None and (app.focused.id or "").startswith("field-"),
                what=f"focus in {step.name}'s fields",
            )
        await pilot.pause(0.1)
        if step.name == "SOFTWARE_TOKEN_MFA":
            await pilot.press("ctrl+t")
        elif step.name in ("SMS_MFA", "EMAIL_OTP", "SMS_OTP"):
            await wait_for(pilot, lambda: latest_code(app) is not None, what="the outbox code")
            await pilot.press("ctrl+o")
        elif step.name == "NEW_PASSWORD_REQUIRED":
            await pilot.press(*"Brand-New-Pass1!")
            for f in step.fields[1:]:
                app.query_one(f"#field-{f.name.replace('.', '_').replace(':', '_')}").value = "Carol Example"
        elif step.name == "SELECT_MFA_TYPE":
            await _choose(pilot, "ANSWER", "SMS_MFA")
        elif step.name == "SELECT_CHALLENGE":
            await _choose(pilot, "ANSWER", "EMAIL_OTP")
        elif step.name == "CUSTOM_CHALLENGE":
            if "6 x 7" in " ".join(step.parameters.values()):
                await pilot.press("4", "2")
            else:
                await wait_for(pilot, lambda: latest_code(app) is not None, what="the outbox code")
                await pilot.press("ctrl+o")
        elif step.name == "MFA_SETUP" and not step.phase:
            await _choose(pilot, "MFA_TYPE", "SOFTWARE_TOKEN_MFA")
        elif step.name == "MFA_SETUP":
            await pilot.press(*totp.now_code(step.extra["secret_code"].value))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda step=step: app.step is not step, what=f"the answer to {step.name}")
    return seen
