"""Export from the TUI (w, or the palette): the dialog writes the walk as `login --export` would."""

from __future__ import annotations

import subprocess
import sys
import time

from tui_helpers import run_app, services_for, start_profile, wait_for

from cognito_tui.core import totp
from cognito_tui.core.walk import Challenge, SignedIn
from cognito_tui.sandbox.clock import Clock
from cognito_tui.tui.screens.export import ExportScreen
from cognito_tui.tui.services import SandboxLifecycle

DAVE_PASSWORD = "Dave-Sandbox-1"
DAVE_SEED = "DAVETOTPDEMOSEEDDAVETOTPDEMOSEED"
POOL = "us-east-1_DemoPool01"
CLIENT = "demopublic0000000000000001"


def _record_notices(app) -> list[str]:
    """Every toast's text as it is raised (toasts expire: under load a later look could miss one)."""
    seen: list[str] = []
    notify = app.notify

    def recording(message, *args, **kw):
        seen.append(str(message))
        return notify(message, *args, **kw)

    app.notify = recording
    return seen


def _services(tmp_path):
    """A sandbox whose clock stands still: each TOTP code is taken from it, and it is moved on by hand."""
    services = services_for(tmp_path, sandbox=False)
    services.sandbox = SandboxLifecycle(port=0, clock=Clock(frozen_at=time.time()))
    return services


async def _dave_with_totp(pilot, app) -> None:
    """dave's walk as USER_PASSWORD_AUTH (no SRP numbers: two runs export the same script), code typed."""
    await start_profile(pilot, "totp", start=False)
    app.query_one("#auth_flow").value = "USER_PASSWORD_AUTH"
    await pilot.pause(0.1)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: isinstance(app.step, Challenge) and app.step.name == "SOFTWARE_TOKEN_MFA")
    await wait_for(pilot, lambda: (app.focused.id or "").startswith("field-"), what="the code field")
    await pilot.press(*totp.now_code(DAVE_SEED, app.sandbox.clock.now()))
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="tokens")


def _login_export(tmp_path, endpoint: str, code: str, target) -> subprocess.CompletedProcess:
    env = {
        "COGNITO_TUI_CONFIG": str(tmp_path / "cli" / "profiles.yaml"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    args = ["login", "--endpoint-url", endpoint, "--user-pool-id", POOL, "--client-id", CLIENT]
    args += ["--auth-flow", "USER_PASSWORD_AUTH", "--username", "dave", "--answer", f"SOFTWARE_TOKEN_MFA_CODE={code}"]
    args += ["--no-history", "--export", "cli", str(target)]
    return subprocess.run(
        [sys.executable, "-m", "cognito_tui", *args],
        input=DAVE_PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_the_dialog_writes_the_cli_script_login_export_would(tmp_path):
    async def body(pilot, app):
        notices = _record_notices(app)
        await _dave_with_totp(pilot, app)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export dialog")
        dialog = app.screen
        assert str(dialog.query_one("#export-path").value).endswith("cognito-walk-dave.sh")  # under the cwd
        dialog.query_one("#export-path").value = str(tmp_path / "tui.sh")
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.written is not None, what="the file written")
        assert any(f"written to {tmp_path / 'tui.sh'}" in n for n in notices)

        app.sandbox.clock.advance(totp.PERIOD)  # the next window: the TUI's code was used once already
        code = totp.now_code(DAVE_SEED, app.sandbox.clock.now())
        done = _login_export(tmp_path, app.sandbox.endpoint_url, code, tmp_path / "login.sh")
        assert done.returncode == 0, done.stderr

    run_app(_services(tmp_path), body)
    tui, login = (tmp_path / "tui.sh").read_text(), (tmp_path / "login.sh").read_text()
    assert tui == login
    assert "SOFTWARE_TOKEN_MFA" in tui and DAVE_PASSWORD not in tui and DAVE_SEED not in tui
    assert (tmp_path / "tui.sh").stat().st_mode & 0o100  # runnable, as login writes it


def test_markdown_and_an_unwritable_path_are_said_on_screen(tmp_path):
    async def body(pilot, app):
        await _dave_with_totp(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Export walk")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen), what="the export dialog from the palette")
        dialog = app.screen
        dialog.query_one("#format").value = "markdown"
        await pilot.pause(0.2)
        assert str(dialog.query_one("#export-path").value).endswith("cognito-walk-dave.md")  # follows the format
        dialog.query_one("#export-path").value = str(tmp_path / "no-such-folder" / "walk.md")
        await pilot.press("enter")
        status = dialog.query_one("#export-status")
        await wait_for(pilot, lambda: "Not written" in str(status.render()), what="the error on screen")
        assert "No such file or directory" in str(status.render()) and isinstance(app.screen, ExportScreen)
        dialog.query_one("#export-path").value = str(tmp_path / "walk.md")
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.written is not None, what="the report written")

    run_app(_services(tmp_path), body)
    report = (tmp_path / "walk.md").read_text()
    assert report.startswith("# Cognito sign-in: USER_PASSWORD_AUTH for `dave`")
    assert DAVE_PASSWORD not in report and DAVE_SEED not in report


def test_without_a_walk_there_is_nothing_to_export(tmp_path):
    async def body(pilot, app):
        notices = _record_notices(app)
        app.query_one("#profiles").focus()
        await pilot.press("w")
        await wait_for(pilot, lambda: any("No walk to export yet" in n for n in notices), what="the notice")
        assert not isinstance(app.screen, ExportScreen)

    run_app(services_for(tmp_path), body)
