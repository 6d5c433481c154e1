"""Authorization code + PKCE in a real headless browser: Debian's chromium driven by Playwright
through the sandbox's managed-login pages, the redirect caught by cognito-tui's own listener.

Nothing downloads a browser: chromium comes from the system (`.ci/run` apt-installs it)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from oauth_helpers import WEB, free_port, register_callback

from cognito_tui.aws.oauth_http import RedirectListener
from cognito_tui.core import totp
from cognito_tui.core.oauth import OAuthClient, OAuthWalk

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

playwright_api = pytest.importorskip("playwright.sync_api")
if not shutil.which(CHROMIUM) and not os.environ.get("CI"):
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(30_000)  # a bound, not a measurement: a stuck page fails instead of hanging
    yield page
    context.close()


class Flow:
    """One sign-in: the walk's authorize URL, and cognito-tui's listener waiting on a free registered port."""

    def __init__(self, http: Any, endpoints: Any, boto: Any, scopes: list[str]) -> None:
        uri = register_callback(boto, WEB, port=free_port())
        listener = RedirectListener(uri)
        self.walk = OAuthWalk(http, OAuthClient(WEB), endpoints)
        self.url = self.walk.authorize(uri, scopes).result["url"]
        self.got: dict[str, str] = {}
        self.thread = threading.Thread(target=lambda: self.got.update(url=listener.wait(60)), daemon=True)
        self.thread.start()

    def finish(self, page: Any) -> None:
        """The browser lands on the listener's page; the walk takes the URL the listener caught."""
        page.wait_for_url(lambda url: url.startswith(self.walk.pending.redirect_uri))
        assert "Signed in" in page.content() and "return to the terminal" in page.content()
        self.thread.join(30)
        assert self.walk.redirected(self.got["url"]).ok


def test_a_password_user_in_chromium(page, http, endpoints, boto):
    flow = Flow(http, endpoints, boto, ["openid", "email", "profile"])
    walk = flow.walk
    page.goto(flow.url)
    assert page.title() == "Sign in"
    page.fill("#username", "alice")
    page.fill("#password", "Alice-Sandbox-1")
    page.click("#signin")
    flow.finish(page)
    assert walk.userinfo["email"] == "alice@example.com" and walk.userinfo["name"] == "Alice Example"
    assert walk.steps[-2].result["claims"]["id"]["nonce"] == walk.pending.nonce


def test_an_sms_mfa_user_in_chromium_with_the_code_from_the_outbox(page, http, endpoints, boto, oauth_sandbox):
    flow = Flow(http, endpoints, boto, ["openid", "phone"])
    walk = flow.walk
    page.goto(flow.url)
    page.fill("#username", "erin")
    page.fill("#password", "Erin-Sandbox-1")
    page.click("#signin")
    page.wait_for_selector("#code")
    assert "sent a code to +*******0105" in page.content()
    page.fill("#code", "111111")
    page.click("#submit")
    page.wait_for_selector("#error")
    page.fill("#code", oauth_sandbox.outbox.latest("erin")["code"])
    page.click("#submit")
    flow.finish(page)
    assert walk.userinfo["phone_number_verified"] == "true"


def test_a_totp_user_in_chromium(page, http, endpoints, boto, oauth_sandbox):
    flow = Flow(http, endpoints, boto, ["openid"])
    walk = flow.walk
    page.goto(flow.url)
    page.fill("#username", "dave")
    page.fill("#password", "Dave-Sandbox-1")
    page.click("#signin")
    page.wait_for_selector("#code")
    page.fill("#code", totp.now_code("DAVETOTPDEMOSEEDDAVETOTPDEMOSEED", oauth_sandbox.clock.now()))
    page.click("#submit")
    flow.finish(page)
    assert walk.granted_scopes() == ("openid",)


def test_an_unregistered_redirect_uri_shows_the_error_page_in_chromium(page, http, endpoints):
    walk = OAuthWalk(http, OAuthClient(WEB), endpoints)
    page.goto(walk.authorize("http://127.0.0.1:1/not-registered", ["openid"]).result["url"])
    assert "/error?error=redirect_mismatch" in page.url
    assert "An error was encountered with the requested page." in page.content()
