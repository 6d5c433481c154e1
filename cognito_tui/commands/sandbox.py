"""`cognito-tui sandbox`: serve the embedded local Cognito on 127.0.0.1 until interrupted.

Prints the pools, clients and demo users (a table, or with --json one JSON object on the first
line), then one line per code the sandbox "sends". moto is imported only in run().
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from datetime import datetime
from typing import Any, TextIO

DEFAULT_PORT = 4590  # the same as cognito_tui.sandbox.DEFAULT_PORT, without importing the package


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 = any free port)"
    )
    parser.add_argument(
        "--seed", metavar="FILE", help="seed YAML with pools, clients and users (default: the packaged demo seed)"
    )
    parser.add_argument(
        "--json", action="store_true", help="machine-readable output: one JSON object, then one JSON line per code sent"
    )


def run(args: argparse.Namespace) -> int:
    from cognito_tui.sandbox import Sandbox, SeedError  # imports moto lazily, in start()

    out: TextIO = sys.stdout
    try:
        sandbox = Sandbox(seed_path=args.seed, port=args.port)
        sandbox.start()
    except SeedError as exc:
        print(f"cognito-tui sandbox: bad seed: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"cognito-tui sandbox: {exc}", file=sys.stderr)
        return 2
    lock = threading.Lock()

    def show(message: dict[str, Any]) -> None:
        with lock:
            out.write(_outbox_line(message, args.json) + "\n")
            out.flush()

    unsubscribe = sandbox.outbox.subscribe(show)
    with lock:
        out.write((json.dumps(sandbox.describe()) if args.json else _table(sandbox.describe())) + "\n")
        out.flush()
    stopped = threading.Event()
    previous = (
        signal.signal(signal.SIGTERM, lambda *_: stopped.set())
        if threading.current_thread() is threading.main_thread()
        else None
    )
    try:
        while not stopped.wait(0.2):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        unsubscribe()
        sandbox.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    # Stopped and flushed: nothing is left to save (the sandbox lives in memory). The interpreter's own
    # teardown is skipped: in a Python with many C extensions it aborted after a clean stop (SIGABRT,
    # "FATAL: exception not rethrown", in 28 of 40 stops under load, no Python frame on the stack).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _outbox_line(message: dict[str, Any], as_json: bool) -> str:
    if as_json:
        keys = ("username", "medium", "destination", "code")
        return json.dumps({k: message[k] for k in keys})
    when = datetime.fromtimestamp(message["time"]).strftime("%H:%M:%S")
    return f"[{when}] {message['medium']} to {message['destination']} for {message['username']}: {message['code']}  ({message['purpose']})"


def _table(info: dict[str, Any]) -> str:
    lines = [
        f"cognito-tui sandbox: a local Cognito on {info['endpoint_url']} (region {info['region']})",
        "Point any AWS SDK here with dummy credentials. These demo credentials are public by design.",
        "",
    ]
    for pool in info["pools"]:
        lines.append(f"Pool {pool['id']}  ({pool['name']})")
        for client in pool["clients"]:
            secret = f"  secret {client['secret']}" if client.get("secret") else ""
            lines.append(f"  client {client['name']:<20} {client['id']}{secret}")
        rows = [("USER", "PASSWORD", "SCENARIO", "FLOW", "CLIENT")]
        rows += [
            (u["username"], u["password"], u.get("scenario", ""), u.get("flow", ""), u.get("client", ""))
            for u in pool["users"]
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        for user in pool["users"]:
            notes = []
            if user.get("alias"):
                notes.append(f"alias {user['alias']}")
            if user.get("totp_secret"):
                notes.append(f"TOTP seed {user['totp_secret']}")
            if user.get("description"):
                notes.append(user["description"])
            if notes:
                lines.append(f"    {user['username']}: " + "; ".join(notes))
        lines.append("")
    lines.append("Outbox (SMS and email codes appear here as they are sent). Ctrl-C to stop.")
    return "\n".join(lines)
