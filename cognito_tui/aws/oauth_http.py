"""The network edge of the OAuth walks: urllib3 sends core's `HttpRequest`s, and a one-shot
listener on 127.0.0.1 catches the browser's redirect.

Nothing here knows OAuth: the transport sends what it is given and follows no redirect; the
listener answers one request on its callback path with a page telling the user to go back to
the terminal, then closes.
"""

from __future__ import annotations

import html
import http.server
import threading
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import urllib3

from cognito_tui.core.errors import TransportError
from cognito_tui.core.oauth.http import HttpRequest, HttpResponse


class Urllib3Transport:
    """core.oauth's HttpTransport over a urllib3 pool: TLS verified, no redirects, bounded waits."""

    def __init__(self, connect_timeout: float = 5.0, read_timeout: float = 30.0) -> None:
        self._pool = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=connect_timeout, read=read_timeout), retries=False
        )

    def send(self, request: HttpRequest) -> HttpResponse:
        try:
            answer = self._pool.request(
                request.method, request.url, body=request.body(), headers=request.wire_headers(), redirect=False
            )
        except urllib3.exceptions.MaxRetryError as exc:
            raise _unreachable(request, exc.reason or exc) from exc
        except (urllib3.exceptions.HTTPError, OSError, ValueError) as exc:
            raise _unreachable(request, exc) from exc
        return HttpResponse(answer.status, dict(answer.headers.items()), answer.data)

    def close(self) -> None:
        self._pool.clear()


def _unreachable(request: HttpRequest, reason: Any) -> TransportError:
    host = urlsplit(request.url).netloc or request.url
    if isinstance(reason, urllib3.exceptions.TimeoutError):
        return TransportError(f"{host} did not answer in time", "Check the network, or raise --timeout.")
    return TransportError(
        f"cannot reach {host}: {reason}",
        "Check the domain (or discovery URL) and the network; is the sandbox running?",
    )


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cognito-tui: {title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;line-height:1.5}}</style></head>
<body><h1>{title}</h1><p>{text}</p><p><strong>You can close this tab and return to the terminal.</strong></p></body></html>
"""


class RedirectListener:
    """Listens on 127.0.0.1 for the one redirect of an authorization-code sign-in.

    `RedirectListener("http://127.0.0.1:8765/callback")` binds that port (0 or none: a free one;
    then `redirect_uri` says which). `wait(timeout)` returns the full callback URL the browser
    asked for, or raises TransportError when the time runs out; the socket is closed either way.
    """

    def __init__(self, redirect_uri: str = "http://127.0.0.1:0/callback") -> None:
        parts = urlsplit(redirect_uri)
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
            raise TransportError(
                f"{redirect_uri} is not a loopback http URL",
                "The listener takes http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path>.",
                title="Cannot listen for the redirect",
            )
        self.path = parts.path or "/"
        self._host = parts.hostname
        self._got: str | None = None
        self._done = threading.Event()
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener._handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                return

        try:
            self._server = http.server.HTTPServer(("127.0.0.1", parts.port or 0), Handler)
        except OSError as exc:
            raise TransportError(
                f"cannot listen on 127.0.0.1:{parts.port}: {exc.strerror or exc}",
                "Another program holds the port: pick another registered callback with --redirect-uri.",
                title="Cannot listen for the redirect",
            ) from exc
        self._server.timeout = 0.1  # handle_request() returns this often, so close() is prompt
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._serve, name="oauth-redirect", daemon=True)
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://{self._host}:{self.port}{self.path}"

    def _serve(self) -> None:
        while not self._done.is_set():
            try:
                self._server.handle_request()
            except (OSError, ValueError):  # closed under us
                return

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        if parts.path != self.path or self._done.is_set():
            handler.send_error(404, "Not the sign-in callback")
            return
        query = dict(parse_qsl(parts.query))
        if "error" in query:
            title = "Sign-in refused"
            text = f"Cognito answered <code>{html.escape(query['error'])}</code>"
            if query.get("error_description"):
                text += f": {html.escape(query['error_description'])}"
            text += ". The terminal explains what to check."
        else:
            title, text = "Signed in", "cognito-tui received the redirect and is exchanging the code."
        body = PAGE.format(title=title, text=text).encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("Cache-Control", "no-store")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(body)
        self._got = f"{self.redirect_uri}{'?' + parts.query if parts.query else ''}"
        self._done.set()

    def wait(self, timeout: float) -> str:
        """The callback URL, once the browser comes back; TransportError after `timeout` seconds."""
        try:
            if not self._done.wait(timeout) or self._got is None:
                raise TransportError(
                    f"no redirect reached {self.redirect_uri} within {timeout:g} s",
                    "Finish signing in in the browser, or start again (a code is valid 5 minutes).",
                    title="No redirect",
                )
            return self._got
        finally:
            self.close()

    def close(self) -> None:
        self._done.set()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout=5)
        self._server.server_close()
