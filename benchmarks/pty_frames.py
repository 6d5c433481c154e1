"""Spawn -> first full frame, measured from outside in a pseudo-terminal, as a user's terminal sees it.

A program runs in a pty of 120x40; the clock stops at the read that carries the cursor move to the
last row (Textual draws a full frame top to bottom, so that row is its end), or, for "demo profiles
visible", at the read after which a given text is on screen. The child is then killed.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import termios
import time

ROWS, COLS = 40, 120
_ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[()][0-9A-B]|\x1b[=>]")

BARE_APP = """
from textual.app import App
from textual.widgets import Input

class Bare(App):
    def compose(self):
        yield Input()

Bare().run()
"""

# The baseline for "demo profiles visible": a bare app showing the demo names read from the seed.
BARE_LIST_APP = """
import sys
from textual.app import App
from textual.widgets import Input, Static

class BareList(App):
    def compose(self):
        yield Input()
        for name in sys.argv[1:]:
            yield Static(name)

BareList().run()
"""


def spawn_until(argv: list[str], env: dict[str, str], text: bytes | None = None, timeout: float = 20.0) -> float:
    """Seconds from fork to the first full frame (text=None) or to `text` on screen; killed after."""
    start = time.perf_counter()
    pid, fd = os.forkpty()
    if pid == 0:  # the child: exec at once
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    last_row = f"\x1b[{ROWS};1H".encode()
    raw = b""
    try:
        deadline = start + timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(
                    f"{argv[-1]}: nothing like a full frame within {timeout:.0f} s; output: {raw[-300:]!r}"
                )
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                raise RuntimeError(f"{argv[-1]} exited before its first frame; output: {raw[-600:]!r}")
            raw += chunk
            if text is None and last_row in raw:
                return time.perf_counter() - start
            if text is not None and text in _ESCAPES.sub(b"", raw[-(len(chunk) + 4096) :]):
                return time.perf_counter() - start
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
