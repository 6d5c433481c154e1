"""The core imports neither Textual nor boto3; --help and --version load neither (fresh interpreters)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "cognito_tui.core.srp",
    "cognito_tui.core.totp",
    "cognito_tui.core.flows",
    "cognito_tui.core.challenges",
    "cognito_tui.core.errors",
    "cognito_tui.core.walk",
    "cognito_tui.core.transcript",
    "cognito_tui.core.tokens",
    "cognito_tui.core.preflight",
    "cognito_tui.core.discovery",
    "cognito_tui.core.actions",
    "cognito_tui.core.redact",
]
HEAVY = ("textual", "boto3", "botocore", "moto", "flask")


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_is_headless(module):
    loaded = _loaded_after(f"import {module}")
    assert not loaded & set(HEAVY), f"{module} pulled in {loaded & set(HEAVY)}"


@pytest.mark.parametrize(
    "argv", [["--help"], ["--version"], ["login", "--help"], ["sandbox", "--help"], ["secrets", "--help"]]
)
def test_help_and_version_stay_light(argv):
    code = f"import sys\nfrom cognito_tui.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY), f"{argv} pulled in {loaded & set(HEAVY)}"
