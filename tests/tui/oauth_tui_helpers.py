"""Helpers for the TUI's OAuth tests: the sandbox's OAuth demo clients, a "browser" that follows the
login page over HTTP (tests/oauth/oauth_helpers.py), and ways to pick a flow and wait for a walk."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).parents[1] / "oauth"))  # oauth_helpers, under --import-mode=importlib

import tui_helpers
from oauth_helpers import PageBrowser, free_port, register_callback
from tui_helpers import wait_for as _wait_for

PATIENCE = 60.0  # seconds a condition may take on a loaded machine (each wait ends as soon as it holds)


async def wait_for(pilot: Any, condition: Any, timeout: float = PATIENCE, what: str = "") -> None:
    await _wait_for(pilot, condition, max(timeout, PATIENCE), what)


async def screen_has(pilot: Any, needle: str, timeout: float = PATIENCE) -> str:
    return await tui_helpers.screen_has(pilot, needle, max(timeout, PATIENCE))


__all__ = [
    "PageOpener",
    "boto_for",
    "free_port",
    "oauth_view",
    "pick_flow",
    "press_in_view",
    "register_callback",
    "screen_has",
    "view_text",
    "wait_for",
    "wait_state",
]


class PageOpener:
    """Stands in for the web browser: signs in on the sandbox's login page, then follows the redirect
    to the app's listener, as a browser would. Called in a thread by the app (b key)."""

    def __init__(self, username: str = "alice", password: str = "Alice-Sandbox-1", *codes: str) -> None:
        self.username, self.password, self.codes = username, password, codes
        self.opened: list[str] = []
        self.callback: str | None = None
        self.page: str = ""
        self.status = 0
        self.done = threading.Event()

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        try:
            browser = PageBrowser()
            self.callback = browser.open(url)
            if self.callback is None and "<form" in browser.page:  # an error page has no form
                self.callback = browser.submit({"username": self.username, "password": self.password})
                for code in self.codes:
                    self.callback = self.callback or browser.submit({"code": code})
            self.page, self.status = browser.page, browser.status
            if self.callback:
                answer = requests.get(self.callback, timeout=30)
                self.page, self.status = answer.text, answer.status_code
        finally:
            self.done.set()
        return True


def boto_for(app: Any) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "cognito-idp", endpoint_url=app.sandbox.endpoint_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing", config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip


async def pick_flow(pilot: Any, flow: str, **fields: str) -> None:
    """Choose the flow in the Connect form (the sandbox's demo client is filled in), then set fields."""
    app = pilot.app
    app.main.show_tab("connect")
    await pilot.pause(0.1)
    app.query_one("#auth_flow").value = flow
    await wait_for(pilot, lambda: app.query_one("#oauth_scopes").display, what="the OAuth rows")
    await pilot.pause(0.1)
    for name, value in fields.items():
        app.query_one(f"#{name}").value = value
    await pilot.pause(0.05)


async def press_in_view(pilot: Any, *keys: str) -> None:
    """Press keys meant for the OAuth view once it has the focus (the view takes it when it shows a step)."""
    app = pilot.app
    await wait_for(
        pilot, lambda: oauth_view(app) is not None and app.focused is oauth_view(app), what="the view's focus"
    )
    await pilot.press(*keys)


def oauth_view(app: Any) -> Any:
    views = list(app.query("OAuthWalkView"))
    return views[0] if views else None


def view_text(app: Any) -> str:
    """The OAuth view's text as written (markup stripped, lines unwrapped), whatever the terminal's width."""
    from textual.content import Content

    view = oauth_view(app)
    parts = []
    for widget in view.query("Static") if view is not None else []:
        content = widget.content
        parts.append(Content.from_markup(content).plain if isinstance(content, str) else str(content))
    return "\n".join(parts)


def wait_state(app: Any, state: str) -> Any:
    def check() -> bool:
        view = oauth_view(app)
        return view is not None and view.wait_state == state

    return check
