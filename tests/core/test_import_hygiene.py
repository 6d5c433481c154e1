"""The core imports neither Textual nor boto3; --help and --version load neither (fresh interpreters)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest


def _core_modules() -> list[str]:
    """Every module of the core package (found, not listed, so a new one is covered at once)."""
    import cognito_tui.core as core

    found = [m.name for m in pkgutil.walk_packages(core.__path__, "cognito_tui.core.")]
    return sorted(found) + ["cognito_tui.status"]


CORE_MODULES = _core_modules()
# Headless commands: importing them (not running them) must not pull in Textual.
HEADLESS_COMMANDS = ["cognito_tui.commands.login", "cognito_tui.commands.sandbox", "cognito_tui.commands.secrets"]
HEAVY = ("textual", "boto3", "botocore", "moto", "flask")
# What the core may not load at all: every third-party package the project depends on.
THIRD_PARTY = (*HEAVY, "rich", "yaml", "keyring", "platformdirs", "jwt", "cryptography", "segno", "urllib3", "gmpy2",
               "joserfc", "werkzeug")  # fmt: skip


def _loaded_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return set(out.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_is_headless(module):
    loaded = _loaded_after(f"import {module}")
    assert not loaded & set(THIRD_PARTY), f"{module} pulled in {loaded & set(THIRD_PARTY)}"


@pytest.mark.parametrize(
    "argv", [["--help"], ["--version"], ["login", "--help"], ["sandbox", "--help"], ["secrets", "--help"]]
)
def test_help_and_version_stay_light(argv):
    code = f"import sys\nfrom cognito_tui.cli import main\ntry:\n    main({argv!r})\nexcept SystemExit:\n    pass"
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY), f"{argv} pulled in {loaded & set(HEAVY)}"


@pytest.mark.parametrize("module", HEADLESS_COMMANDS)
def test_headless_commands_do_not_import_textual(module):
    probe = f"import {module}, sys\nprint(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "textual" not in loaded and not any(m.startswith("cognito_tui.tui") for m in loaded), module
    assert "cognito_tui.cli" not in loaded, f"{module} imports cli.py (and so, statically, the TUI command)"


def test_the_app_module_loads_no_boto3_or_moto():
    """The first frame waits for neither: they load in workers, after it."""
    loaded = _loaded_after("import cognito_tui.tui.app, cognito_tui.commands.tui")
    assert not loaded & {"boto3", "botocore", "moto", "flask"}, loaded
