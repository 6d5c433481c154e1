"""Issue 9.9: saving a profile on the sandbox, an empty name, secrets with no keyring; 9.11: the TUI's words."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from tui_helpers import run_app, screen_has, services_for, start_profile, wait_for

from cognito_tui.core.walk import SignedIn
from cognito_tui.store.profiles import load_profiles
from cognito_tui.store.secrets import MemoryStore, SecretKind
from cognito_tui.tui.app import make_app


async def _save_as(pilot, app, name: str, tick: bool) -> None:
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: app.screen.query("#name"), what="the save dialog")
    app.screen.query_one("#name").value = name
    app.screen.query_one("#secrets").value = tick
    await pilot.click("#save")


def test_a_profile_saved_on_the_sandbox_follows_the_sandbox_to_its_next_port(tmp_path):
    """The YAML says `endpoint_url: sandbox`, never the port; the next run resolves it to that run's sandbox."""
    path = tmp_path / "config" / "profiles.yaml"
    first = services_for(tmp_path)
    seen: dict = {}

    async def save(pilot, app):
        await start_profile(pilot, "password", start=False)
        seen["password"] = app.query_one("#password").value
        seen["port"] = str(app.sandbox.port)
        await _save_as(pilot, app, "mine", tick=False)
        await wait_for(pilot, lambda: path.exists() and app.book.get("mine") is not None, what="the save")

    run_app(first, save)
    text = path.read_text()
    assert "endpoint_url: sandbox" in text and seen["port"] not in text and "127.0.0.1" not in text
    assert [p.endpoint_url for p in load_profiles(path).profiles] == ["sandbox"]

    async def reuse(pilot, app):
        assert str(app.sandbox.port) != seen["port"]  # a new run, a new port
        listing = app.query_one("#profiles")
        listing.focus()
        listing.index = next(i for i, e in enumerate(app.entries) if e.name == "mine")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.current_entry is not None and app.current_entry.name == "mine")
        assert app.query_one("#endpoint_url").value == app.sandbox.endpoint_url
        app.query_one("#password").value = seen["password"]
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="tokens on the new port")

    run_app(services_for(tmp_path), reuse)


def test_login_says_a_sandbox_profile_needs_the_endpoint(tmp_path):
    """`login --profile` of a profile saved on the sandbox: a usage error saying what to give, not a bad-URL one."""
    path = tmp_path / "profiles.yaml"
    path.write_text(
        "profiles:\n  - name: mine\n    endpoint_url: sandbox\n    user_pool_id: us-east-1_DemoPool01\n"
        "    client_id: demopublic0000000000000001\n    username: alice\n"
    )
    env = {**os.environ, "COGNITO_TUI_CONFIG": str(path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    argv = [sys.executable, "-m", "cognito_tui", "login", "--profile", "mine", "--answer", "PASSWORD=x"]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "is for the sandbox" in done.stderr and "--endpoint-url" in done.stderr
    assert "Traceback" not in done.stderr and "must start with http" not in done.stderr


def test_an_empty_profile_name_is_said_in_the_dialog(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        await _save_as(pilot, app, "  ", tick=False)
        text = await screen_has(pilot, "Give the profile a name")
        assert app.screen.query("#name") and app.book.profiles == [], text  # still open, nothing written
        app.screen.query_one("#name").value = "demo: mine"
        await pilot.pause(0.2)
        await pilot.click("#save")
        text = await screen_has(pilot, "choose another")
        assert "demo profiles" in text
        app.screen.query_one("#name").value = "mine"
        await pilot.pause(0.2)  # the problem line goes as the name changes: the button moves up
        await pilot.click("#save")
        await wait_for(pilot, lambda: app.book.get("mine") is not None, what="the save")
        assert not app.screen.query("#name")

    run_app(services, body)


def test_no_keyring_ticked_keeps_the_typed_password_and_says_where_it_went(tmp_path):
    """A memory store (no OS keyring): the dialog says memory, the form keeps the password, the notice says so."""
    store = MemoryStore()
    services = services_for(tmp_path, secret_store=store)

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        app.query_one("#password").value = typed = "Typed-Pass-1!"
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.screen.query("#name"), what="the save dialog")
        assert "in memory for this session" in await screen_has(pilot, "Keep them in memory")
        app.screen.query_one("#name").value = "mine"
        app.screen.query_one("#secrets").value = True
        await pilot.click("#save")
        await wait_for(pilot, lambda: any("Saved 'mine'" in n.message for n in app._notifications))
        [notice] = [n for n in app._notifications if "Saved 'mine'" in n.message]
        assert "kept in memory for this session only" in notice.message
        assert app.query_one("#password").value == typed and app.current_entry.name == "mine"
        assert store.get("mine", SecretKind.PASSWORD).value == typed

    run_app(services, body)


def test_saving_without_secrets_does_not_wipe_the_typed_password(services):
    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        typed = app.query_one("#password").value
        await _save_as(pilot, app, "mine", tick=False)
        await wait_for(pilot, lambda: any("Saved 'mine'" in n.message for n in app._notifications))
        assert typed and app.query_one("#password").value == typed
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: isinstance(app.step, SignedIn), what="a sign-in with the kept password")

    run_app(services, body)


def test_preflight_without_a_region_names_the_form_field_not_a_flag(tmp_path):
    """9.11: the TUI says 'fill the Region field', not login's 'give --region'."""
    services = services_for(tmp_path, sandbox=False)

    async def main() -> None:
        app = make_app(services)
        async with app.run_test(size=(140, 45)) as pilot:
            await wait_for(pilot, lambda: app.book is not None)
            app.query_one("#client_id").value = "abc"
            await pilot.press("f5")
            text = await screen_has(pilot, "fill the Region")
            assert "--region" not in text

    asyncio.run(main())
