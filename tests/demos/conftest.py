"""Helpers for the demo/QA features: run `cognito-tui` as a subprocess with an isolated config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = str(Path(sys.executable).parent)  # the venv's bin: `aws` (awscli v1, a test dependency) lives here


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "PATH": f"{BIN}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    if "SYSTEMROOT" in os.environ:  # pragma: no cover - Windows
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    env.update(extra)
    return env


@pytest.fixture
def cli(tmp_path):
    """`cli(*args, stdin="", env={})`: `python -m cognito_tui ARGS` with its config in tmp_path."""

    def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "cognito_tui", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=base_env(tmp_path, **(env or {})),
            timeout=120,
        )

    return run


@pytest.fixture
def env_for(tmp_path):
    """`env_for(**extra)`: the isolated environment, plus variables (for running exported scripts)."""
    return lambda **extra: base_env(tmp_path, **extra)
