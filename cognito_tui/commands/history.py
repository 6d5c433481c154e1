"""`cognito-tui history list | show ID | export ID KIND FILE | rerun ID`: past runs (TUI and `login`), and re-running one.

A run is named by its number in `list` (1 = the newest) or its id (`run-20260101-120000-123`).
`rerun` calls `cognito-tui login` with the run's pool, client, flow and user; secrets were never
kept, so the password comes from the profile's keyring, stdin or the terminal, as for `login`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    lister = sub.add_parser("list", help="the newest runs first")
    lister.add_argument("--json", action="store_true", help="one JSON object on stdout")
    lister.add_argument("--limit", type=int, default=20, help="how many (default 20)")
    show = sub.add_parser("show", help="one run as a redacted Markdown transcript")
    show.add_argument("id", metavar="ID", help="a number from `history list` or a run id")
    export = sub.add_parser("export", help="one run as an AWS CLI script, a boto3 script or Markdown")
    export.add_argument("id", metavar="ID", help="a number from `history list` or a run id")
    export.add_argument("kind", choices=["cli", "boto3", "markdown"])
    export.add_argument("file", metavar="FILE")
    rerun = sub.add_parser("rerun", help="run a past walk again, headless (as `cognito-tui login`)")
    rerun.add_argument("id", metavar="ID", help="a number from `history list` or a run id")
    rerun.add_argument("--endpoint-url", help="another endpoint (the run's sandbox may be gone)")
    rerun.add_argument("--answer", action="append", default=[], metavar="NAME=VALUE", help="as for login")
    rerun.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    rerun.add_argument("--export", nargs=2, metavar=("{cli,boto3,markdown}", "FILE"), help="as for login")


def run(args: argparse.Namespace) -> int:
    from cognito_tui.store.history import list_runs, load_run
    from cognito_tui.store.paths import history_dir

    folder = history_dir(getattr(args, "config", None))
    runs = list_runs(folder)
    if args.history_command == "list":
        return _list(runs[: max(args.limit, 0)], args.json, folder)
    found = _find(runs, args.id)
    if found is None:
        print(
            f"cognito-tui history: no run {args.id!r} in {folder} ({len(runs)} kept). "
            "`cognito-tui history list` shows the numbers and ids.",
            file=sys.stderr,
        )
        return 2
    try:
        data = load_run(found.path)
    except (OSError, ValueError) as exc:
        print(f"cognito-tui history: cannot read {found.path}: {exc}", file=sys.stderr)
        return 2
    if args.history_command == "show":
        from cognito_tui.core.export import markdown, source_from_run

        print(markdown(source_from_run(data)))
        return 0
    if args.history_command == "export":
        from cognito_tui.core.export import render, source_from_run

        try:
            Path(args.file).write_text(render(args.kind, source_from_run(data)), encoding="utf-8")
        except OSError as exc:
            print(f"cognito-tui history: cannot write {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"export: {args.kind} written to {args.file}", file=sys.stderr)
        return 0
    return _rerun(data, args)


def _list(runs: list[Any], as_json: bool, folder: Path) -> int:
    if as_json:
        rows = [
            {"number": i, "id": r.path.stem, "started_at": r.started_at, "title": r.title, "outcome": r.outcome}
            for i, r in enumerate(runs, 1)
        ]
        print(json.dumps({"folder": str(folder), "runs": rows}))
        return 0
    if not runs:
        print(f"no runs kept yet in {folder}")
        return 0
    for i, r in enumerate(runs, 1):
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.started_at))
        print(f"{i:>3}  {r.path.stem:<26} {when}  {r.outcome:<28} {r.title}")
    return 0


def _find(runs: list[Any], key: str):
    if key.isdigit() and 1 <= int(key) <= len(runs):
        return runs[int(key) - 1]
    return next((r for r in runs if r.path.stem == key or r.path.name == key), None)


def rerun_argv(data: dict[str, Any], endpoint_url: str | None = None) -> list[str]:
    """The `login` arguments that repeat a kept run (no secret: none was kept)."""
    meta = data.get("meta") or {}
    missing = [k for k in ("pool", "client", "flow") if not meta.get(k)]
    if missing:
        raise ValueError(f"the run does not say its {', '.join(missing)}")
    argv = ["--user-pool-id", meta["pool"], "--client-id", meta["client"], "--auth-flow", meta["flow"]]
    if meta.get("username"):
        argv += ["--username", meta["username"]]
    if meta.get("region"):
        argv += ["--region", meta["region"]]
    endpoint = endpoint_url or meta.get("endpoint_url")
    if endpoint:
        argv += ["--endpoint-url", endpoint]
    if meta.get("api") in ("public", "admin"):
        argv.append(f"--{meta['api']}")
    if meta.get("preferred_challenge"):
        argv += ["--preferred-challenge", meta["preferred_challenge"]]
    if meta.get("custom_with_srp"):
        argv.append("--custom-srp")
    for key, value in (meta.get("client_metadata") or {}).items():
        argv += ["--client-metadata", f"{key}={value}"]
    return argv


def _rerun(data: dict[str, Any], args: argparse.Namespace) -> int:
    from cognito_tui.commands import login

    try:
        argv = rerun_argv(data, args.endpoint_url)
    except ValueError as exc:
        print(f"cognito-tui history: cannot re-run it: {exc}", file=sys.stderr)
        return 2
    for answer in args.answer:
        argv += ["--answer", answer]
    if args.json:
        argv.append("--json")
    if args.export:
        argv += ["--export", *args.export]
    print(f"re-running: cognito-tui login {' '.join(argv)}", file=sys.stderr)
    parser = argparse.ArgumentParser(prog="cognito-tui login")  # login's own flags, no import of cli.py
    login.add_arguments(parser)
    parsed = parser.parse_args(argv)
    parsed.config = getattr(args, "config", None)
    return login.run(parsed)
