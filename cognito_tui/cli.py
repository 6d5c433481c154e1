"""Entry point: parse argv first, then import only what the chosen command needs.

`--help` and `--version` must not pay for Textual (~210 ms) or boto3 (~150 ms): each subcommand
module keeps its heavy imports inside `run()`.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from cognito_tui import __version__
from cognito_tui.status import Exit

__all__ = ["Exit", "build_parser", "main"]  # Exit lives in status.py; kept importable from here

# name -> module under cognito_tui.commands with add_arguments(parser) and run(args) -> int
SUBCOMMANDS = {
    "login": "Sign in from a plain terminal (for scripts and CI), on the same engine as the TUI.",
    "sandbox": "Serve the embedded local Cognito on 127.0.0.1 until interrupted.",
    "secrets": "List or delete the secrets cognito-tui keeps in the OS keyring.",
    "scenarios": "Run the walks of a scenario file headless and check each one's challenges and outcome.",
    "history": "List past sign-in runs, or re-run one headless.",
    "preflight": "Read the pool, client and user and say what would stand in the way of a sign-in (F5, headless).",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cognito-tui",
        description="Walk Amazon Cognito user-pool sign-ins step by step: every challenge, every call.",
    )
    parser.add_argument("--version", action="version", version=f"cognito-tui {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help="profiles file (default: the user config dir; env COGNITO_TUI_CONFIG)"
    )
    parser.add_argument(
        "--sandbox", action="store_true", help="open the app on an embedded local Cognito (no AWS account needed)"
    )
    parser.add_argument("--profile", metavar="NAME", help="open the app with this saved profile selected")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        module = importlib.import_module(f"cognito_tui.commands.{name}")
        p = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from cognito_tui.commands import tui

            return tui.run(args)
        module = importlib.import_module(f"cognito_tui.commands.{args.command}")
        return module.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
