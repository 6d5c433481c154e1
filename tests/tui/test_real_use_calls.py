"""Issue 9.2: each retry of the call in flight shown as it happens, on the Walk tab and the Calls row."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from dataclasses import dataclass

from tui_helpers import run_app, screen_has, services_for, start_profile, wait_for

from cognito_tui.core.walk import Failed
from tests.faults.server import FaultServer


@dataclass
class ClosesThenHangs(FaultServer):
    """Drops the first `drops` requests unanswered (a retryable failure), then holds the next one open."""

    drops: int = 2

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            with self._lock:
                self.requests += 1
                number = self.requests
            try:
                self._read_request(conn)
                if number <= self.drops:
                    conn.shutdown(socket.SHUT_RDWR)
                else:
                    self._stop.wait()
            except OSError:
                pass


def test_each_retry_is_shown_while_the_call_is_pending(tmp_path):
    server = ClosesThenHangs("hang").__enter__()

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        app.query_one("#endpoint_url").value = server.url
        await pilot.press("ctrl+r")
        text = await screen_has(pilot, "attempt 3 of 3 after connection closed")
        assert "waiting for Cognito" in text and "gives up at 30s" in text and "escape cancels" in text
        await pilot.press("f10")
        text = await screen_has(pilot, "attempt 3 of 3 after connection closed…")
        assert server.requests == 3
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.query_one("#calls-pane").pending is None, what="the pending row to go")

    try:
        run_app(services_for(tmp_path), body)
    finally:
        server.__exit__(None, None, None)


def test_the_retries_stay_said_after_the_call_fails(tmp_path):
    server = FaultServer("close").__enter__()

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        app.query_one("#endpoint_url").value = server.url
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, Failed), what="the failure after 3 attempts")
        text = await screen_has(pilot, "InitiateAuth was retried: attempt 2 of 3 after connection closed; attempt 3")
        await pilot.press("f10")
        text = await screen_has(pilot, "(3 attempts)")
        assert server.requests == 3, text

    try:
        run_app(services_for(tmp_path), body)
    finally:
        server.__exit__(None, None, None)


FIRST_FRAME_THEN_QUIT = """
import gc, sys
from cognito_tui.cli import main
code = main(["--sandbox"])
print("FROZEN", gc.get_freeze_count(), code, file=sys.stderr)
"""


def test_the_app_leaves_its_heap_out_of_the_final_collection(tmp_path):
    """9.1: after the screen is gone, the interpreter's last collection of boto3's and moto's objects kept the
    process alive 2-5 s; the app freezes the heap before it returns (measured in tmux: 0.4 s from ctrl+q to exit)."""
    env = {
        **os.environ,
        "COGNITO_TUI_EXIT_AFTER_FIRST_FRAME": "1",
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME_THEN_QUIT],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )
    line = next(x for x in done.stderr.splitlines()[::-1] if "FROZEN" in x)
    frozen, code = line.split("FROZEN", 1)[1].split()
    assert int(frozen) > 0 and code == "0", done.stderr[-1500:]
