"""The new core modules stay headless, and the new commands' --help loads no boto3, moto or Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = {"textual", "boto3", "botocore", "moto", "flask", "yaml"}
MODULES = ["cognito_tui.core.export", "cognito_tui.core.export_scripts", "cognito_tui.core.scenario",
           "cognito_tui.core.scenario_report"]  # fmt: skip


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('MODULES', ' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.rsplit("MODULES", 1)[1].split())


@pytest.mark.parametrize("module", MODULES)
def test_core_module_is_headless(module):
    assert not _loaded_after(f"import {module}") & HEAVY


@pytest.mark.parametrize("argv", [["scenarios", "--help"], ["scenarios", "run", "--help"], ["history", "--help"]])
def test_help_stays_light(argv):
    code = f"from cognito_tui.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    assert not _loaded_after(code) & (HEAVY - {"yaml"})
