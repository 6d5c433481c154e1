"""Exit codes of every command, in a module of their own so headless commands never import cli.py."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """What a command's exit status means (README: Commands)."""

    OK = 0
    REFUSED = 1
    USAGE = 2
    NEEDS_INPUT = 3
