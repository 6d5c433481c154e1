"""core/oauth imports nothing third-party and no cognito_tui package but core; sandbox/oauth stays cheap
to import (moto and werkzeug only when a sandbox starts). Checked in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = ["__init__", "api", "endpoints", "explain", "http", "pkce", "preflight", "records", "walk"]


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.parametrize("module", MODULES)
def test_core_oauth_is_stdlib_and_core_only(module):
    name = "cognito_tui.core.oauth" + ("" if module == "__init__" else f".{module}")
    # What the interpreter loads before any import of ours (site's .pth hooks, such as setuptools'
    # distutils shim or a certifi patch an environment installs) is not the module's doing.
    at_startup = set(_loaded_after("pass"))
    loaded = [m for m in _loaded_after(f"import {name}") if m not in at_startup]
    third_party = {m.split(".")[0] for m in loaded} - set(sys.stdlib_module_names) - {"cognito_tui", "__main__"}
    assert not {m for m in third_party if not m.startswith("_")}, third_party
    outside_core = [m for m in loaded if m.startswith("cognito_tui.") and not m.startswith("cognito_tui.core")]
    assert not outside_core, outside_core


def test_the_sandbox_oauth_package_imports_no_moto():
    loaded = {m.split(".")[0] for m in _loaded_after("import cognito_tui.sandbox.oauth")}
    assert not loaded & {"moto", "werkzeug", "flask", "boto3"}
