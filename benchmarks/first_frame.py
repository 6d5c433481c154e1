"""Time to the first frame: `cognito-tui` beside a bare Textual app with one Input, same run.

Both run as subprocesses and exit right after their first refresh (cognito-tui through
COGNITO_TUI_EXIT_AFTER_FIRST_FRAME=1, the bare app through the same `call_after_refresh(exit)`),
so the wall time from spawn to exit is interpreter start + imports + compose + first paint +
shutdown for both; the ratio is what cognito-tui adds. The rounds alternate the two so a busy
machine slows both alike.

It also checks that boto3 and moto are not imported when cognito-tui exits after its first frame
(exit is after the frame, so absent at exit means absent at the frame): the first frame must not
wait for them (~150 ms for boto3).

    python benchmarks/first_frame.py [--rounds 7]

Run it by hand on a quiet machine; it is not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE_APP = """
from textual.app import App
from textual.widgets import Input

class Bare(App):
    def compose(self):
        yield Input()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run()
"""

# The real entry point (what the `cognito-tui` script runs), then a look at sys.modules once the
# app has exited after its first frame. The report is the last thing on stderr, after the
# terminal output Textual writes there when stdout is not a terminal.
COGNITO_TUI = """
import json, sys
from cognito_tui.cli import main
code = main([])
heavy = sorted(m for m in ("boto3", "botocore", "moto") if m in sys.modules)
print("FIRST-FRAME " + json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def run_once(code: str, env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"exit {proc.returncode}:\n{proc.stderr[-2000:]}")
    return elapsed, proc.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ)
        env.update(
            {
                "COGNITO_TUI_EXIT_AFTER_FIRST_FRAME": "1",
                "COGNITO_TUI_CONFIG": os.path.join(home, "config", "profiles.yaml"),  # never the user's profiles
                "XDG_STATE_HOME": os.path.join(home, "state"),
                "XDG_DATA_HOME": os.path.join(home, "data"),
                "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # no keyring daemon in the timing
                "TERM": env.get("TERM", "xterm-256color"),
                "COLUMNS": "120",
                "LINES": "40",
            }
        )
        # one warm-up of each: .pyc files and the page cache, not measured
        run_once(BARE_APP, env)
        run_once(COGNITO_TUI, env)

        bare: list[float] = []
        ours: list[float] = []
        heavy_seen: set[str] = set()
        for i in range(args.rounds):
            order = [("bare", BARE_APP), ("cognito-tui", COGNITO_TUI)]
            if i % 2:
                order.reverse()
            for name, code in order:
                elapsed, stderr = run_once(code, env)
                if name == "bare":
                    bare.append(elapsed)
                else:
                    ours.append(elapsed)
                    marker = stderr.rfind("FIRST-FRAME ")
                    if marker < 0:
                        raise SystemExit(f"cognito-tui printed no FIRST-FRAME report:\n{stderr[-2000:]}")
                    report = stderr[marker:].splitlines()[0].removeprefix("FIRST-FRAME ")
                    heavy_seen.update(json.loads(report)["heavy"])
            print(f"round {i + 1}: bare {bare[-1] * 1000:6.0f} ms   cognito-tui {ours[-1] * 1000:6.0f} ms", flush=True)

    b, o = statistics.median(bare), statistics.median(ours)
    print()
    print(f"median, spawn to exit after the first frame ({args.rounds} rounds):")
    print(f"  bare Textual app, one Input  {b * 1000:6.0f} ms")
    print(f"  cognito-tui                  {o * 1000:6.0f} ms")
    print(f"  ratio                        {o / b:6.2f}x  (+{(o - b) * 1000:.0f} ms)")
    if heavy_seen:
        print(f"FAIL: imported by the first frame: {', '.join(sorted(heavy_seen))}")
        return 1
    print("ok: boto3, botocore and moto are not imported at the first frame")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
