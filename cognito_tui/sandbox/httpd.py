"""The sandbox's HTTP server: threaded, on 127.0.0.1, with kept-alive connections as AWS endpoints keep.

werkzeug's development server closes every connection and waits 10 ms after each answer; SDK
clients (botocore, the JS SDK) reuse connections, so a sign-in through it pays two connection
set-ups and two threads. This one serves a WSGI app (ours) over HTTP/1.1 keep-alive instead,
one thread per connection, and closes every open connection when the sandbox stops.
"""

from __future__ import annotations

import socket
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

IDLE_TIMEOUT = 30.0  # seconds a connection may sit without a request (or a client take to send one)
_LIMIT = 1 << 20  # bytes of body read at most; wsgi.py refuses bigger bodies with a JSON error
_DRAIN = 64 << 20  # bytes of a refused body read and dropped before answering; past that, a reset


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "cognito-tui-sandbox"
    sys_version = ""
    disable_nagle_algorithm = True  # header and body leave together, not one delayed ACK apart
    timeout = IDLE_TIMEOUT
    server: Server

    def _serve(self) -> None:
        length_text = self.headers.get("Content-Length") or "0"
        length = int(length_text) if length_text.isdigit() else -1
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        if length < 0 or length > _LIMIT or chunked:
            self.close_connection = True  # the body is not kept: this connection cannot carry another request
            self._discard(length)  # read past it (bounded) so that the client sees the answer, not a reset
            length = 0
        body = self.rfile.read(length) if length else b""
        environ = self._environ(body, length_text if not chunked else "0")
        if chunked:
            environ["CONTENT_LENGTH"] = str(_LIMIT + 1)  # refused by wsgi.py as too large, then the close
        status_line: list[str] = []
        headers: list[tuple[str, str]] = []

        def start_response(status: str, response_headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status_line[:] = [status]
            headers[:] = response_headers
            return lambda _data: None

        chunks = self.server.app(environ, start_response)
        data = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
        code, _, reason = status_line[0].partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
            elif name.lower() == "connection" and value.lower() == "close":
                self.close_connection = True
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _discard(self, length: int) -> None:
        left = min(length, _DRAIN)
        while left > 0:
            chunk = self.rfile.read(min(left, 1 << 16))
            if not chunk:
                return
            left -= len(chunk)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _serve

    def _environ(self, body: bytes, length: str) -> dict[str, Any]:
        import io

        path, _, query = self.path.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": self.server.server_address[0],
            "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": length,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = "HTTP_" + name.upper().replace("-", "_")
            if key not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def log_message(self, format: str, *args: Any) -> None:
        """No request log on stderr."""


class Server(ThreadingHTTPServer):
    """A threaded HTTP/1.1 server for one WSGI app; `stop()` also ends kept-alive connections."""

    daemon_threads = True
    allow_reuse_address = True  # a fixed port binds again at once after a stop; two listeners still cannot share it

    def __init__(self, host: str, port: int, app: Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]):
        self.app = app
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        super().__init__((host, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="sandbox-http", daemon=True)  # fmt: skip
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        with self._open_lock:
            still_open = list(self._open)
        for connection in still_open:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def host_and_port(self) -> tuple[str, int]:
        host, port = self.server_address[:2]
        return str(host), int(port)
