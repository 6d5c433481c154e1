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
    "totp": "The TOTP seed of a profile's user, in the keyring: current code, guided setup, store, forget.",
    "preflight": "Read the pool, client and user and say what would stand in the way of a sign-in (F5, headless).",
}


def build_parser(only: set[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only`, the options of just those subcommands (the others are listed, not loaded)."""
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
    parser.add_argument(
        "--present",
        action="store_true",
        help="open the app in presenter mode (narration, a call diagram, secrets masked)",
    )
    parser.add_argument("--scenarios", metavar="FILE", help="open the app on this scenario file's live view")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        if only is None or name in only:
            importlib.import_module(f"cognito_tui.commands.{name}").add_arguments(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(only=set(argv) & set(SUBCOMMANDS))  # the app's start loads no subcommand module
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
