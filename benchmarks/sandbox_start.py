"""Time to a ready sandbox, beside a bare moto server, each in a fresh interpreter, same run.

"Ready" = serving on 127.0.0.1 with the demo seed loaded (the sandbox) or serving with nothing in
it (bare moto, the baseline). Both pay for importing moto, which dominates; the ratio shows what
our auth layer and seeding add on top. Prints medians and the ratio.

    python benchmarks/sandbox_start.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

SANDBOX = """
import time; t = time.perf_counter()
from cognito_tui.sandbox import Sandbox
sb = Sandbox().start()
print(time.perf_counter() - t); sb.stop()
"""
BARE_MOTO = """
import time; t = time.perf_counter()
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False); server.start()
import urllib.request; host, port = server.get_host_and_port()
print(time.perf_counter() - t); server.stop()
"""


def measure(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"sandbox (demo seed)": [], "bare moto server (baseline)": []}
    for _ in range(args.rounds):
        times["sandbox (demo seed)"].append(measure(SANDBOX))
        times["bare moto server (baseline)"].append(measure(BARE_MOTO))
    medians = {k: statistics.median(v) * 1000 for k, v in times.items()}
    for name, value in medians.items():
        print(f"{name:<30} median {value:7.1f} ms to ready over {args.rounds} cold starts")
    print(f"ratio sandbox / baseline: {medians['sandbox (demo seed)'] / medians['bare moto server (baseline)']:.2f}")


if __name__ == "__main__":
    main()
