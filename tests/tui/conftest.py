"""Driving the real app with Pilot against its own embedded sandbox, in an isolated config dir."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tui_helpers, under --import-mode=importlib

from tui_helpers import services_for

from cognito_tui.tui.services import Services


@pytest.fixture
def services(tmp_path) -> Services:
    """The app's services: the sandbox on a free port, profiles and history under tmp_path, secrets in memory."""
    return services_for(tmp_path)
