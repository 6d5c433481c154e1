"""The app on its sandbox, driven by Pilot: key -> frame latency during sign-ins, and peak RSS after them.

Run as its own process by run.py (prints one JSON line), so the RSS is the app's alone:

    python benchmarks/tui_walks.py --walks 10

Sign-ins alternate the demo password and SRP profiles (ctrl+r each). From the moment ctrl+r is
sent until a moment after the tokens arrive, a probe key switches between the Connect and Walk
tabs (alt+1 / alt+2); its latency is from posting the key, as a terminal's bytes would arrive, to
the first frame the compositor renders with that tab active. Frames are counted where Textual
hands each rendered update to the driver.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

from benchlib import arm_accel

DEBUG = bool(os.environ.get("BENCH_DEBUG"))


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def drive(walks: int, probe_every: float, after: float) -> dict:
    from textual import events
    from textual.widgets import TabbedContent

    from cognito_tui.core.walk import SignedIn
    from cognito_tui.tui.app import AppConfig, make_app

    arm_accel()  # gmpy2 where the code has it, as the front ends use it
    app = make_app(AppConfig(sandbox=True))
    frames: list[tuple[float, str]] = []  # (time, active tab) at each rendered frame
    real_display = app._display

    def display(screen, renderable):
        if renderable is not None:
            try:
                active = app.query_one("#tabs", TabbedContent).active
            except Exception:
                active = ""
            frames.append((time.perf_counter(), active))
        return real_display(screen, renderable)

    app._display = display  # type: ignore[method-assign]
    latencies: list[float] = []
    missed = 0
    signed_in = 0
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):  # up to 20 s for the sandbox and the demo profiles
            if app.sandbox is not None and app.entries:
                break
            await pilot.pause(0.05)
        names = [e.name for e in app.entries]
        profiles = [
            next(i for i, n in enumerate(names) if n.startswith(f"demo: {s} ")) for s in ("password", "srp_alias")
        ]
        listing = app.query_one("#profiles")
        target = "walk"

        async def probe() -> None:
            nonlocal target, missed
            target = "connect" if target == "walk" else "walk"
            seen = len(frames)
            start = time.perf_counter()
            app.post_message(events.Key("alt+1" if target == "connect" else "alt+2", None))  # as a terminal sends it
            while time.perf_counter() - start < 2.0:
                hit = next((t for t, tab in frames[seen:] if tab == target and t >= start), None)
                if hit is not None:
                    latencies.append((hit - start) * 1000)
                    if DEBUG:
                        print(
                            f"{target:8} {(hit - start) * 1000:7.1f} ms  step={type(app.step).__name__}",
                            file=sys.stderr,
                        )
                    return
                await asyncio.sleep(0.005)
            missed += 1

        for i in range(walks):
            listing.focus()
            listing.index = profiles[i % 2]
            await pilot.press("enter")
            for _ in range(100):
                if app.current_entry is not None and app.current_entry.name == names[profiles[i % 2]]:
                    break
                await pilot.pause(0.02)
            before = app.step
            app.post_message(events.Key("ctrl+r", None))
            deadline = time.perf_counter() + 15
            done_at = None
            while time.perf_counter() < deadline:
                await probe()
                if done_at is None and app.step is not before and isinstance(app.step, SignedIn):
                    done_at = time.perf_counter()
                    signed_in += 1
                if done_at is not None and time.perf_counter() - done_at > after:
                    break
                await asyncio.sleep(probe_every)
        rss = peak_rss_mb()
        await pilot.pause(0.5)  # a probe key still queued must reach the app before it closes
    if app.sandbox is not None:
        app.sandbox.stop()
    return {"latencies_ms": latencies, "missed": missed, "walks": walks, "signed_in": signed_in, "peak_rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walks", type=int, default=10)
    parser.add_argument("--probe-every", type=float, default=0.03, help="seconds between probe keys")
    parser.add_argument("--after", type=float, default=0.6, help="seconds of probes after each sign-in")
    args = parser.parse_args()
    result = asyncio.run(drive(args.walks, args.probe_every, args.after))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
