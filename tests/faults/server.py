"""FaultServer: answers every request on 127.0.0.1 in one chosen bad way, and counts the requests.

Modes: hang (accept, read, never answer), close (read the request, then close without a word), binary (a 200 with a
non-UTF-8 body), html500 (a proxy's HTML error page), truncated (JSON cut short), missing (a JSON
object without the keys the operation returns), drip (a 200 whose body arrives a byte at a time);
and json, which answers every request with the `body` given (for nonsense the gateway must catch).
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field

MODES = ("hang", "close", "binary", "html500", "truncated", "missing", "drip", "json")
JSON = "application/x-amz-json-1.1"


def _response(status: str, content_type: str, body: bytes, length: int | None = None) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body) if length is None else length}\r\nConnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


CANNED = {
    "binary": _response("200 OK", JSON, bytes(range(128, 256)) * 4),
    "html500": _response("500 Internal Server Error", "text/html", b"<html><body><h1>500 oops</h1></body></html>"),
    "truncated": _response("200 OK", JSON, b'{"ChallengeName": "PASSWORD_VERIFIER", "Chall'),
    "missing": _response("200 OK", JSON, b'{"Unexpected": true}'),
}


@dataclass
class FaultServer:
    """Start with `with FaultServer("hang") as fs:`; `fs.url` is the endpoint, `fs.requests` the count."""

    mode: str
    drip_interval: float = 0.2  # seconds between the drip mode's bytes (well under any read timeout)
    body: bytes = b"{}"  # what the json mode answers
    requests: int = 0
    url: str = ""
    _sock: socket.socket | None = field(default=None, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _threads: list[threading.Thread] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown fault mode {self.mode!r}; one of {', '.join(MODES)}")

    def __enter__(self) -> FaultServer:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        sock.settimeout(0.1)
        self._sock = sock
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        accept = threading.Thread(target=self._accept, name=f"fault-{self.mode}", daemon=True)
        accept.start()
        self._threads.append(accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=5)
        if self._sock is not None:
            self._sock.close()

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _read_request(self, conn: socket.socket) -> None:
        """Read headers and the Content-Length body, so the client is waiting for an answer."""
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            body += chunk

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            with self._lock:
                self.requests += 1
            try:
                self._read_request(conn)
                if self.mode == "close":
                    conn.shutdown(socket.SHUT_RDWR)  # the request was read; no answer will come
                elif self.mode == "hang":
                    self._stop.wait()
                elif self.mode == "drip":
                    conn.sendall(_response("200 OK", JSON, b"", length=100_000))
                    while not self._stop.wait(self.drip_interval):
                        conn.sendall(b" ")
                elif self.mode == "json":
                    conn.sendall(_response("200 OK", JSON, self.body))
                else:
                    conn.sendall(CANNED[self.mode])
            except OSError:
                pass  # the client gave up: that is the point
