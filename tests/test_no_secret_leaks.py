"""Known secrets never reach YAML, history, transcripts, snapshot files or screenshots.

After full sandbox runs with known secrets (demo passwords, client secrets, TOTP seeds, and the
refresh tokens the runs produced), every file those runs could write, and every SVG in the repo,
is scanned for them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from cognito_tui.core import totp
from cognito_tui.sandbox.clock import Clock

REPO = Path(__file__).resolve().parents[1]


def demo_secrets(sandbox) -> set[str]:
    out: set[str] = set()
    for pool in sandbox.describe()["pools"]:
        for client in pool["clients"]:
            if client.get("secret"):
                out.add(client["secret"])
        for user in pool["users"]:
            out.add(user["password"])
            if user.get("totp_secret"):
                out.add(user["totp_secret"])
    return out


def scan(paths: list[Path], secrets: set[str]) -> list[str]:
    found = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for secret in secrets:
            if secret and secret in text:
                found.append(f"{path.name}: {secret[:4]}…")
    return found


def files_under(*roots: Path) -> list[Path]:
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def test_login_runs_leave_no_secret_in_the_config_dir(fresh_sandbox, tmp_path):
    # Its own sandbox on a frozen clock: no other test can have used dave's TOTP code in this
    # window, and the window cannot end between reading the code and sending it.
    sandbox = fresh_sandbox(clock=Clock(frozen_at=time.time()))
    secrets = demo_secrets(sandbox)
    config = tmp_path / "config"
    config.mkdir()
    env = {
        "COGNITO_TUI_CONFIG": str(config / "profiles.yaml"),
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        "PATH": "/usr/bin:/bin",
    }
    (config / "profiles.yaml").write_text(
        "profiles:\n"
        "  - name: dave\n"
        f"    endpoint_url: {sandbox.endpoint_url}\n"
        "    user_pool_id: us-east-1_DemoPool01\n"
        "    client_id: democonfidential0000000002\n"
        "    auth_flow: USER_SRP_AUTH\n"
        "    username: dave@example.com\n"
    )
    user = next(u for p in sandbox.describe()["pools"] for u in p["users"] if u.get("scenario") == "totp")
    code = totp.now_code(user["totp_secret"], sandbox.clock.now())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "cognito_tui",
            "login",
            "--profile",
            "dave",
            "--json",
            "--answer",
            f"SOFTWARE_TOKEN_MFA_CODE={code}",
        ],
        input=user["password"] + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    refresh = json.loads(done.stdout)["authentication_result"]["RefreshToken"]
    leaks = scan(files_under(tmp_path), secrets | {refresh})
    assert leaks == []
    assert scan_text(done.stderr, secrets | {refresh}) == []
    assert files_under(config), "the run read the config dir it is scanned in"


def scan_text(text: str, secrets: set[str]) -> list[str]:
    return [s[:4] for s in secrets if s and s in text]


def test_no_svg_in_the_repo_holds_a_demo_secret(sandbox):
    svgs = [p for p in REPO.rglob("*.svg") if ".git" not in p.parts]
    assert len(svgs) >= 5, "the snapshot and screenshot SVGs are scanned"
    assert scan(svgs, demo_secrets(sandbox)) == []


async def _open_profile(pilot, scenario: str) -> None:
    """Select a demo profile; the list's selection is posted, so it is confirmed before going on."""
    from textual.widgets import ListView
    from tui_helpers import wait_for

    app = pilot.app
    index = next(i for i, e in enumerate(app.entries) if e.name.startswith(f"demo: {scenario} "))
    listing = app.query_one("#profiles", ListView)
    listing.index = index
    await pilot.pause()
    listing.action_select_cursor()  # what enter does there, without depending on where focus is
    await wait_for(pilot, lambda: app.current_entry is app.entries[index], what=f"the {scenario} profile", timeout=60)


def test_tui_runs_leave_no_secret_in_history_or_config(tmp_path, monkeypatch):
    """Full walks in the real app (password, TOTP, custom challenge), then every file it wrote."""
    import asyncio
    import sys as _sys

    _sys.path.insert(0, str(REPO / "tests" / "tui"))
    from tui_helpers import SIZE, answer_until_done, ready, wait_for

    from cognito_tui.core.walk import SignedIn
    from cognito_tui.tui.app import AppConfig, make_app

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    config = AppConfig(
        config_path=str(tmp_path / "config" / "profiles.yaml"), sandbox=True, history_dir=tmp_path / "history"
    )
    found: dict[str, set[str]] = {}

    async def main() -> None:
        app = make_app(config)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            found["secrets"] = demo_secrets(app.sandbox)
            tokens: set[str] = set()
            for scenario in ("password", "totp", "custom_challenge", "mfa_setup"):
                before = app.step
                await _open_profile(pilot, scenario)
                await pilot.press("ctrl+r")
                # the previous run's SignedIn is "a step" too: wait for this run's first one
                await wait_for(pilot, lambda b=before: app.step is not None and app.step is not b, what="a new step")
                await answer_until_done(pilot)
                assert isinstance(app.step, SignedIn), app.step
                tokens.add(app.step.result["RefreshToken"])
                if scenario == "mfa_setup":
                    tokens.add(
                        next(s for s in app.walk.steps if getattr(s, "phase", "") == "verify")
                        .extra["secret_code"]
                        .value
                    )
            await pilot.press("ctrl+n")
            await pilot.pause(0.2)
            await pilot.press("enter")  # save the profile, without secrets in the keyring box ticked
            await pilot.pause(0.3)
            found["tokens"] = tokens
        app.sandbox.stop()

    asyncio.run(main())
    written = files_under(tmp_path / "history", tmp_path / "config")
    assert len(list((tmp_path / "history").glob("run-*.json"))) == 4
    assert (tmp_path / "config" / "profiles.yaml").exists()
    assert scan(written, found["secrets"] | found["tokens"]) == []
