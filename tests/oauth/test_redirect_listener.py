"""The one-shot redirect listener: a free port, one callback answered with a page, then closed."""

from __future__ import annotations

import threading

import pytest
import requests

from cognito_tui.aws.oauth_http import RedirectListener
from cognito_tui.core.errors import TransportError


def test_one_callback_then_closed():
    listener = RedirectListener("http://127.0.0.1:0/callback")
    assert listener.port > 0 and listener.redirect_uri == f"http://127.0.0.1:{listener.port}/callback"
    got: dict[str, str] = {}
    waiter = threading.Thread(target=lambda: got.update(url=listener.wait(30)))
    waiter.start()
    assert requests.get(f"http://127.0.0.1:{listener.port}/favicon.ico").status_code == 404  # not counted
    page = requests.get(f"{listener.redirect_uri}?code=abc&state=xyz")
    assert page.status_code == 200 and "return to the terminal" in page.text
    waiter.join(30)
    assert got["url"] == f"{listener.redirect_uri}?code=abc&state=xyz"
    with pytest.raises(requests.ConnectionError):
        requests.get(listener.redirect_uri, timeout=5)


def test_an_error_redirect_is_shown_in_the_browser():
    listener = RedirectListener("http://127.0.0.1:0/cb")
    got: dict[str, str] = {}
    waiter = threading.Thread(target=lambda: got.update(url=listener.wait(30)))
    waiter.start()
    page = requests.get(f"{listener.redirect_uri}?error=invalid_scope&state=s")
    waiter.join(30)
    assert "Sign-in refused" in page.text and "invalid_scope" in page.text and "error=invalid_scope" in got["url"]


def test_no_redirect_is_a_clear_error_and_the_port_is_freed():
    listener = RedirectListener("http://127.0.0.1:0/callback")
    with pytest.raises(TransportError, match="no redirect reached"):
        listener.wait(0.05)
    again = RedirectListener(f"http://127.0.0.1:{listener.port}/callback")  # the port is free again
    again.close()


def test_a_taken_port_or_a_non_loopback_uri_is_refused():
    holder = RedirectListener("http://127.0.0.1:0/callback")
    try:
        with pytest.raises(TransportError, match="cannot listen"):
            RedirectListener(holder.redirect_uri)
    finally:
        holder.close()
    with pytest.raises(TransportError, match="not a loopback"):
        RedirectListener("https://app.example.com/callback")
