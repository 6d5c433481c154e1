"""Shared pieces of the benchmarks: an isolated environment, A/B rounds, medians with min-max."""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Figure:
    """One row of the table: our samples beside the baseline's, and the goal as a check on them."""

    name: str
    unit: str = "ms"
    ours: list[float] = field(default_factory=list)
    base: list[float] = field(default_factory=list)
    base_name: str = ""
    goal: str = ""
    met: bool | None = None
    note: str = ""  # replaces the numbers when the figure could not be measured
    extra: str = ""  # e.g. "p95 .. max .." for latency figures


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def span(values: list[float], unit: str) -> str:
    """'418 ms (402-431)' : the median and the range of the rounds."""
    if not values:
        return "-"
    fmt = "{:.0f}" if unit in ("ms", "MB") and med(values) >= 10 else "{:.1f}"
    m, lo, hi = (fmt.format(v) for v in (med(values), min(values), max(values)))
    return f"{m} {unit}" if len(values) == 1 else f"{m} {unit} ({lo}-{hi})"


def ab_rounds(rounds: int, pair: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    """Alternate A and B each round (A B, B A, ...) so a busy machine slows both alike."""
    out: dict[str, list[float]] = {name: [] for name in pair}
    names = list(pair)
    for i in range(rounds):
        for name in names if i % 2 == 0 else list(reversed(names)):
            out[name].append(pair[name]())
    return out


def arm_accel() -> str:
    """Arm gmpy2 for the SRP maths as the front ends do, where the code has it (not before issue 11)."""
    from cognito_tui.core import srp

    if not hasattr(srp, "use_modpow"):
        return "pow"
    from cognito_tui import accel

    accel.enable()
    return "armed"


def isolated_env(home: str) -> dict[str, str]:
    """Never the user's profiles, history, keyring or AWS files; a fixed terminal size.

    Byte-code is cached (in the throwaway home) as an installed package has it: with
    PYTHONDONTWRITEBYTECODE an editable tree recompiles its modules on every start, its baselines not.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "COGNITO_TUI_", "PYTHONDONTWRITEBYTECODE"))}
    env.update(
        {
            "COGNITO_TUI_CONFIG": os.path.join(home, "config", "profiles.yaml"),
            "XDG_STATE_HOME": os.path.join(home, "state"),
            "XDG_DATA_HOME": os.path.join(home, "data"),
            "XDG_CONFIG_HOME": os.path.join(home, "xdg-config"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
            "AWS_CONFIG_FILE": os.path.join(home, "aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(home, "aws-credentials"),
            "PYTHONPYCACHEPREFIX": os.path.join(home, "pycache"),
            "TERM": "xterm-256color",
            "COLUMNS": "120",
            "LINES": "40",
        }
    )
    return env


def temp_home() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="cognito-tui-bench-")


def tool(name: str) -> str:
    """A console script of this interpreter's environment (cognito-tui, aws), else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed: pip install -e '.[bench]'")
    return found
