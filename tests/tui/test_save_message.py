"""The save notice says where the secrets went: the keyring, memory for this session only, or nowhere
and why; never "in the keyring" when the keyring refused or there is none."""

from __future__ import annotations

from textual.notifications import Notify
from tui_helpers import posted, run_app, services_for, start_profile, wait_for

from cognito_tui.store.secrets import MemoryStore, SecretKind, open_secret_store
from tests.store.hostile_backends import Dict, FailsAfterProbe


def _save(store, tmp_path, tick: bool = True) -> list:
    """Save the 'password' demo profile as 'mine' through the dialog; the notices shown after."""
    services = services_for(tmp_path, secret_store=store)
    path = tmp_path / "config" / "profiles.yaml"
    notices: list = []

    async def body(pilot, app):
        await start_profile(pilot, "password", start=False)
        since = len(posted(app, Notify))  # every notice shown, also those whose toast has expired since
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.screen.query("#name"), what="the save dialog")
        app.screen.query_one("#name").value = "mine"
        app.screen.query_one("#secrets").value = tick
        await pilot.click("#save")
        await wait_for(pilot, lambda: path.exists() and "Saved 'mine'" in _said(app, since), what="the save notice")
        notices.extend(_notices(app, since))

    run_app(services, body)
    return [n for n in notices if "Saved 'mine'" in n.message]


def _notices(app, since: int) -> list:
    return [event.notification for event in posted(app, Notify, since)]


def _said(app, since: int) -> str:
    return "\n".join(n.message for n in _notices(app, since))


def test_a_keyring_failing_after_start_up_is_said_not_hidden(tmp_path):
    store = open_secret_store(tmp_path / "index", backend=FailsAfterProbe()).store
    assert store.persistent
    [notice] = _save(store, tmp_path)
    assert notice.severity == "error" and "NOT stored" in notice.message
    assert "ServiceUnknown" in notice.message and "stored in" not in notice.message
    assert "secrets in" not in notice.message and store.list() == []


def test_the_memory_store_says_this_session_only(tmp_path):
    store = MemoryStore()
    [notice] = _save(store, tmp_path)
    assert "password kept in memory for this session only" in notice.message
    assert "keyring" not in notice.message.replace("no keyring", "") and notice.severity == "warning"
    assert store.get("mine", SecretKind.PASSWORD) is not None


def test_a_working_keyring_is_named(tmp_path):
    backend = Dict()
    store = open_secret_store(tmp_path / "index", backend=backend).store
    [notice] = _save(store, tmp_path)
    assert notice.message.startswith("Saved 'mine'; password stored in ") and store.name in notice.message
    assert notice.severity == "information" and store.list() == [("mine", SecretKind.PASSWORD)]


def test_not_ticked_says_no_secrets_stored(tmp_path):
    store = MemoryStore()
    [notice] = _save(store, tmp_path, tick=False)
    assert "no secrets stored (not asked to)" in notice.message and store.list() == []
