"""One command, one table: every figure of issue 11 beside its baseline, measured in the same run.

    python benchmarks/run.py [--quick] [--only NAME[,NAME]] [--label before|after|...] [--no-write]

Rounds alternate A and B (A B, B A, ...); each cell is the median with the min-max of the rounds.
Everything runs on loopback, in a throwaway home (never your profiles, keyring or AWS files), and
is bounded in time (the full run takes a few minutes on 2 cores). The table and the machine's
description go to benchmarks/RESULTS.md under the label's heading (other labels are kept).
Baselines need the bench extra: pip install -e '.[bench]' (the AWS CLI v1, pycognito, pyotp).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import HERE, Figure, ab_rounds, isolated_env, med, span, temp_home, tool

NAMES = ("first-frame", "first-frame-sandbox", "demo-profiles", "login-admin", "login-srp", "srp-maths",
         "key-frame", "rss", "throughput")  # fmt: skip


def ratio_cell(f: Figure, faster: bool = False) -> str:
    """ours/base of the medians, and the range of the per-round ratios; 'faster' prints base/ours as Nx faster."""
    if not f.ours or not f.base:
        return "-"
    pairs = [(b / o if faster else o / b) for o, b in zip(f.ours, f.base, strict=False)]
    m = med(f.base) / med(f.ours) if faster else med(f.ours) / med(f.base)
    rng = f" ({min(pairs):.2f}-{max(pairs):.2f})" if len(pairs) > 1 else ""
    return f"{m:.2f}x{' faster' if faster else ''}{rng}"


def first_frames(rounds: int, which: set[str], env: dict[str, str], figures: list[Figure]) -> None:
    from pty_frames import BARE_APP, BARE_LIST_APP, spawn_until

    ours = tool("cognito-tui")
    bare = [sys.executable, "-c", BARE_APP]
    demo_name, demo_user = _first_demo_profile()
    marker = f"({demo_user})".encode()
    bare_list = [sys.executable, "-c", BARE_LIST_APP, demo_name]
    cases = {
        "first-frame": ("first frame, `cognito-tui` (pty, spawn -> first full frame)", [ours], bare, None),
        "first-frame-sandbox": ("first frame, `cognito-tui --sandbox`", [ours, "--sandbox"], bare, None),
        "demo-profiles": ("demo profiles visible (`--sandbox`, a demo name on screen)", [ours, "--sandbox"], bare_list, marker),
    }  # fmt: skip
    for key, (title, argv, base_argv, text) in cases.items():
        if key not in which:
            continue
        spawn_until(argv, env, text), spawn_until(base_argv, env, text)  # warm .pyc files and the page cache
        got = ab_rounds(
            rounds,
            {"ours": lambda a=argv, t=text: spawn_until(a, env, t) * 1000, "base": lambda a=base_argv, t=text: spawn_until(a, env, t) * 1000},
        )  # fmt: skip
        base_name = "bare Textual app, one Input" + (" and the demo names" if text else "")
        goal = "<= 1.5x" if text else "<= 1.15x"
        limit = 1.5 if text else 1.15
        figures.append(Figure(title, ours=got["ours"], base=got["base"], base_name=base_name, goal=goal,
                              met=med(got["ours"]) / med(got["base"]) <= limit))  # fmt: skip


def _first_demo_profile() -> tuple[str, str]:
    """The first demo user of the packaged seed, as the app names its profile (and the bare app shows it)."""
    import yaml

    import cognito_tui.sandbox

    seed = yaml.safe_load((Path(cognito_tui.sandbox.__file__).parent / "demo_seed.yaml").read_text())
    user = next(u for p in seed["pools"] for u in p["users"] if u.get("scenario"))
    return f"demo: {user['scenario']} ({user['username']})", user["username"]


def logins(rounds: int, which: set[str], env: dict[str, str], home: str, figures: list[Figure]) -> None:
    from login_bench import LoginBench, srp_maths

    if "srp-maths" in which:
        got = srp_maths(max(rounds * 3, 9))
        figures.append(Figure("SRP client maths, in process (A + claim)", ours=got["ours"], base=got["base"],
                              base_name="pycognito AWSSRP", goal="<= 0.2x",
                              met=med(got["ours"]) / med(got["base"]) <= 0.2))  # fmt: skip
    if not {"login-admin", "login-srp"} & which:
        return
    bench = LoginBench(env, home, users=rounds * 4 + 8)
    try:
        if "login-admin" in which:
            bench.ours_admin(), bench.aws_cli_admin()  # warm
            got = ab_rounds(rounds, {"ours": lambda: bench.timed("ours-admin", bench.ours_admin),
                                     "base": lambda: bench.timed("cli", bench.aws_cli_admin)})  # fmt: skip
            figures.append(Figure("`login --admin` ADMIN_USER_PASSWORD_AUTH + TOTP", ours=got["ours"], base=got["base"],
                                  base_name="AWS CLI v1, its two processes", goal=">= 3x faster",
                                  met=med(got["base"]) / med(got["ours"]) >= 3,
                                  extra=_cpu_note(bench.cpu["ours-admin"], bench.cpu["cli"], faster=True)))  # fmt: skip
        if "login-srp" in which:
            bench.ours_srp(), bench.pycognito_srp()  # warm
            got = ab_rounds(rounds, {"ours": lambda: bench.timed("ours-srp", bench.ours_srp),
                                     "base": lambda: bench.timed("pycognito", bench.pycognito_srp)})  # fmt: skip
            figures.append(Figure("`login` USER_SRP_AUTH + TOTP", ours=got["ours"], base=got["base"],
                                  base_name="pycognito + pyotp, one process", goal="<= 0.7x",
                                  met=med(got["ours"]) / med(got["base"]) <= 0.7,
                                  extra=_cpu_note(bench.cpu["ours-srp"], bench.cpu["pycognito"], faster=False)))  # fmt: skip
    finally:
        bench.close()


def _cpu_note(ours: list[float], base: list[float], faster: bool) -> str:
    """The same rounds in CPU time (user+sys of the processes), which a busy machine distorts less than wall time."""
    m_o, m_b = med(ours), med(base)
    ratio = f"{m_b / m_o:.2f}x faster" if faster else f"{m_o / m_b:.2f}x"
    return f"CPU time (user+sys), median: cognito-tui {m_o:.0f} ms, baseline {m_b:.0f} ms, {ratio}"


def tui_walks(walks: int, which: set[str], env: dict[str, str], figures: list[Figure]) -> None:
    done = subprocess.run([sys.executable, str(HERE / "tui_walks.py"), "--walks", str(walks)],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"tui_walks.py failed: {done.stderr[-1500:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    lat = sorted(result["latencies_ms"])
    if "key-frame" in which:
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))] if lat else float("nan")
        worst = lat[-1] if lat else float("nan")
        extra = f"median {med(lat):.0f}, p95 {p95:.0f}, max {worst:.0f} ms ({len(lat)} keys, {result['missed']} unanswered in 2 s)"
        figures.append(Figure("key -> frame during sign-ins on the sandbox (Pilot)", ours=lat, goal="p95 <= 50, max <= 100",
                              met=bool(lat) and p95 <= 50 and worst <= 100 and not result["missed"], extra=extra))  # fmt: skip
    if "rss" in which:
        figures.append(Figure(f"TUI peak RSS after {result['signed_in']} walks", unit="MB", ours=[result["peak_rss_mb"]],
                              goal="<= 120 MB", met=result["peak_rss_mb"] <= 120))  # fmt: skip


def throughput(quick: bool, figures: list[Figure]) -> None:
    seconds = "3" if quick else "6"
    theirs = HERE / "sandbox_throughput.py"
    source = "benchmarks/srp_load.py"
    result = None
    if theirs.exists():  # the sandbox engineer's benchmark, when it is there
        done = subprocess.run(
            [sys.executable, str(theirs), "--clients", "16"], capture_output=True, text=True, timeout=300
        )
        result = _per_second(done.stdout)
        source = "benchmarks/sandbox_throughput.py"
    if result is None:
        done = subprocess.run([sys.executable, str(HERE / "srp_load.py"), "--clients", "16", "--seconds", seconds],
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"srp_load.py failed: {done.stderr[-1500:]}")
        data = json.loads(done.stdout.strip().splitlines()[-1])
        result = data["signins_per_s"]
        source = (f"benchmarks/srp_load.py: {data['ok']} sign-ins in {data['seconds']:.0f} s, {data['errors']} errors, "
                  f"{data['server_errors']} 5xx, server RSS {data['server_rss_mb_before']:.0f} -> {data['server_rss_mb_after']:.0f} MB")  # fmt: skip
    figures.append(Figure("sandbox SRP sign-ins/s, 16 clients", unit="/s", ours=[result], goal=">= 150",
                          met=result >= 150, extra=source))  # fmt: skip


def _per_second(text: str) -> float | None:
    """The rate from the sandbox engineer's output: a JSON line with a '..per_s' key, or 'N sign-ins/s'."""
    import re

    for line in reversed(text.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            found = re.search(r"([0-9.]+)\s*sign-ins/s", line)
            if found:
                return float(found.group(1))
            continue
        if isinstance(data, dict):
            for key, value in data.items():
                if key.endswith("per_s") and isinstance(value, int | float):
                    return float(value)
    return None


def table(figures: list[Figure]) -> str:
    rows = ["| figure | cognito-tui | baseline | ratio | goal | met? |", "|---|---|---|---|---|---|"]
    for f in figures:
        ours = f.extra if f.unit == "ms" and f.extra and not f.base else span(f.ours, f.unit)
        base = f"{f.base_name} {span(f.base, f.unit)}" if f.base else "-"
        faster = "faster" in f.goal
        met = "-" if f.met is None else ("yes" if f.met else "no")
        rows.append(f"| {f.name} | {ours} | {base} | {ratio_cell(f, faster)} | {f.goal} | {met} |")
    notes = [f"- {f.name}: {f.extra}" for f in figures if f.extra and not (f.unit == "ms" and not f.base)]
    return "\n".join(rows + ([""] + notes if notes else []))


def machine() -> str:
    import os
    import platform
    from importlib import metadata

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")  # fmt: skip
    versions = []
    for name in ("cognito-tui", "textual", "boto3", "botocore", "moto", "gmpy2", "pycognito", "pyotp", "awscli"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} absent")
    import cognito_tui

    where = Path(cognito_tui.__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "describe", "--always", "--dirty"], capture_output=True,
                                text=True, timeout=10).stdout.strip() or "not a git tree"  # fmt: skip
    except OSError:
        commit = "unknown"
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; Python {platform.python_version()}; "
            f"code {commit}; " + ", ".join(versions))  # fmt: skip


def write_results(label: str, text: str) -> Path:
    """Replace this label's section of RESULTS.md, keeping the others."""
    path = HERE / "RESULTS.md"
    head = (
        "# Benchmark results\n\nMade by `python benchmarks/run.py --label LABEL`; each section is one run. Compare the\n"
        "columns of one run (measured side by side, alternating), not one run's milliseconds with another's: a\n"
        "busy machine slows every column of a run alike, but not every run alike.\n"
    )
    sections: dict[str, str] = {}
    if path.exists():
        parts = path.read_text().split("\n## ")
        for part in parts[1:]:
            name, _, body = part.partition("\n")
            sections[name.strip()] = body.strip("\n")
    sections[label] = text
    body = "".join(f"\n## {name}\n\n{content}\n" for name, content in sections.items())
    path.write_text(head + body)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, 4 walks, a 3 s load (about a minute)")
    parser.add_argument("--only", help=f"comma-separated, any of: {', '.join(NAMES)}")
    parser.add_argument("--rounds", type=int, help="A/B rounds per figure (default 7, --quick 3)")
    parser.add_argument("--label", default="latest", help="the heading of this run in RESULTS.md")
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args()
    which = set(NAMES)
    if args.only:
        which = {n for n in NAMES if any(part.strip() and part.strip() in n for part in args.only.split(","))}
        if not which:
            parser.error(f"--only {args.only!r} matches none of {', '.join(NAMES)}")
    rounds = args.rounds or (3 if args.quick else 7)
    figures: list[Figure] = []
    started = time.perf_counter()
    with temp_home() as home:
        env = isolated_env(home)
        steps: list[tuple[set[str], Callable[[], None]]] = [
            ({"first-frame", "first-frame-sandbox", "demo-profiles"}, lambda: first_frames(rounds, which, env, figures)),
            ({"srp-maths", "login-admin", "login-srp"}, lambda: logins(rounds, which, env, home, figures)),
            ({"key-frame", "rss"}, lambda: tui_walks(4 if args.quick else 10, which, env, figures)),
            ({"throughput"}, lambda: throughput(args.quick, figures)),
        ]  # fmt: skip
        for names, step in steps:
            if names & which:
                at = time.perf_counter()
                try:
                    step()
                except Exception as exc:  # one broken figure must not hide the others
                    figures.append(Figure(", ".join(sorted(names & which)), note=str(exc)[:300], met=False))
                print(
                    f"[{', '.join(sorted(names & which))}: {time.perf_counter() - at:.0f} s]",
                    file=sys.stderr,
                    flush=True,
                )
    for f in figures:
        if f.note:
            f.extra, f.unit, f.ours = f"could not measure: {f.note}", "", []
    text = table(figures)
    description = machine()
    took = time.perf_counter() - started
    print(text)
    print(f"\n{description}\n{rounds} A/B rounds, {took:.0f} s")
    if not args.no_write:
        stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        path = write_results(
            args.label, f"{stamp}, {rounds} A/B rounds, {took:.0f} s. Machine: {description}\n\n{text}"
        )
        print(f"written to {path}", file=sys.stderr)
    return 0 if all(f.met for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
