"""Driving the real app with Pilot against its own embedded sandbox, in an isolated config dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cognito_tui.tui.app import AppConfig

sys.path.insert(0, str(Path(__file__).parent))  # tui_helpers, under --import-mode=importlib


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """No real keyring, no user config: secrets go to memory, files to tmp_path."""
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.setenv("COGNITO_TUI_CONFIG", str(tmp_path / "config" / "profiles.yaml"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture
def config(tmp_path) -> AppConfig:
    return AppConfig(
        config_path=str(tmp_path / "config" / "profiles.yaml"), sandbox=True, history_dir=tmp_path / "history"
    )
