"""Secret stores: one contract, run on memory and on keyring's real SecretService backend."""

from __future__ import annotations

import io
import sys
import types
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from cognito_tui.store.secrets import (
    SERVICE,
    KeyringStore,
    MemoryStore,
    SecretKind,
    SecretStore,
    SecretStoreError,
    StoreChoice,
    open_secret_store,
    parse_kind,
)

# ------------------------------------------------------------------ the contract, on both stores


def test_round_trip_and_the_value_is_hidden_from_repr(store: SecretStore) -> None:
    store.set("dev", SecretKind.PASSWORD, "p4ss:wörd ✓")
    value = store.get("dev", SecretKind.PASSWORD)
    assert value == "p4ss:wörd ✓" and value is not None and value.value == "p4ss:wörd ✓"
    assert "p4ss" not in repr(value)
    assert store.get("dev", SecretKind.CLIENT_SECRET) is None
    assert store.get("other", SecretKind.PASSWORD) is None


def test_set_overwrites(store: SecretStore) -> None:
    store.set("dev", SecretKind.TOTP_SEED, "one")
    store.set("dev", SecretKind.TOTP_SEED, "two")
    assert store.get("dev", SecretKind.TOTP_SEED) == "two"
    assert store.list() == [("dev", SecretKind.TOTP_SEED)]


def test_list_gives_sorted_pairs_never_values(store: SecretStore) -> None:
    store.set("prod", SecretKind.REFRESH_TOKEN, "r")
    store.set("dev", SecretKind.PASSWORD, "p")
    store.set("dev", SecretKind.DEVICE_GROUP_KEY, "g")
    assert store.list() == [
        ("dev", SecretKind.DEVICE_GROUP_KEY),
        ("dev", SecretKind.PASSWORD),
        ("prod", SecretKind.REFRESH_TOKEN),
    ]
    assert store.kinds("dev") == [SecretKind.DEVICE_GROUP_KEY, SecretKind.PASSWORD]


def test_delete_says_whether_there_was_one(store: SecretStore) -> None:
    store.set("dev", SecretKind.PASSWORD, "p")
    assert store.delete("dev", SecretKind.PASSWORD) is True
    assert store.delete("dev", SecretKind.PASSWORD) is False
    assert store.get("dev", SecretKind.PASSWORD) is None and store.list() == []


def test_delete_profile_forgets_every_kind_and_only_that_profile(store: SecretStore) -> None:
    for kind in SecretKind:
        store.set("dev", kind, f"v-{kind}")
    store.set("dev:x", SecretKind.PASSWORD, "colon in the name")
    assert store.delete_profile("dev") == list(SecretKind)
    assert store.list() == [("dev:x", SecretKind.PASSWORD)]
    assert store.delete_profile("dev") == []


def test_rename_moves_secrets_and_clears_leftovers_under_the_new_name(store: SecretStore) -> None:
    store.set("old", SecretKind.PASSWORD, "p")
    store.set("old", SecretKind.DEVICE_KEY, "d")
    store.set("new", SecretKind.TOTP_SEED, "stale")
    store.rename_profile("old", "new")
    assert store.list() == [("new", SecretKind.DEVICE_KEY), ("new", SecretKind.PASSWORD)]
    assert store.get("new", SecretKind.PASSWORD) == "p"
    store.rename_profile("new", "new")
    assert store.get("new", SecretKind.PASSWORD) == "p"


def test_copy_keeps_the_source(store: SecretStore) -> None:
    store.set("a", SecretKind.CLIENT_SECRET, "s")
    store.copy_profile("a", "b")
    assert store.get("a", SecretKind.CLIENT_SECRET) == store.get("b", SecretKind.CLIENT_SECRET) == "s"


def test_empty_values_and_names_are_refused(store: SecretStore) -> None:
    with pytest.raises(ValueError, match="password to save is empty"):
        store.set("dev", SecretKind.PASSWORD, "")
    with pytest.raises(ValueError, match="needs a profile name"):
        store.set("", SecretKind.PASSWORD, "x")
    with pytest.raises(ValueError):
        store.set("dev", "nonsense", "x")  # type: ignore[arg-type]


def test_kinds_can_be_given_as_their_string_values(store: SecretStore) -> None:
    store.set("dev", "client_secret", "s")  # type: ignore[arg-type]
    assert store.get("dev", "client_secret") == "s"  # type: ignore[arg-type]


def test_parse_kind_accepts_dashes_and_case() -> None:
    assert parse_kind("Client-Secret") is SecretKind.CLIENT_SECRET
    with pytest.raises(ValueError, match="unknown secret kind 'pin'; kinds: password, client_secret"):
        parse_kind("pin")


# ------------------------------------------------------------------ the keyring store on a real Secret Service


def test_secrets_really_live_in_the_secret_service(
    secret_service_backend: KeyringBackend, secret_service: str, tmp_path: Path
) -> None:
    import secretstorage
    from jeepney.io.blocking import open_dbus_connection
    from keyring.backends.SecretService import Keyring

    store = KeyringStore(secret_service_backend, tmp_path / "secrets-index.yaml")
    store.set("dev", SecretKind.REFRESH_TOKEN, "eyJ-refresh")
    assert Keyring().get_password(SERVICE, "dev:refresh_token") == "eyJ-refresh"  # a fresh backend reads it
    with open_dbus_connection(bus=secret_service) as conn:
        items = list(secretstorage.search_items(conn, {"service": SERVICE, "username": "dev:refresh_token"}))
        assert [item.get_secret() for item in items] == [b"eyJ-refresh"]


def test_the_index_holds_names_only_and_survives_a_restart(
    secret_service_backend: KeyringBackend, tmp_path: Path
) -> None:
    index = tmp_path / "secrets-index.yaml"
    KeyringStore(secret_service_backend, index).set("dev", SecretKind.PASSWORD, "sup3r-secret")
    text = index.read_text()
    assert "sup3r-secret" not in text and "dev" in text and "password" in text
    again = KeyringStore(secret_service_backend, index)
    assert again.list() == [("dev", SecretKind.PASSWORD)]
    assert again.get("dev", SecretKind.PASSWORD) == "sup3r-secret"


def test_delete_profile_finds_secrets_the_index_forgot(secret_service_backend: KeyringBackend, tmp_path: Path) -> None:
    store = KeyringStore(secret_service_backend, tmp_path / "secrets-index.yaml")
    store.set("dev", SecretKind.PASSWORD, "p")
    (tmp_path / "secrets-index.yaml").unlink()
    assert store.list() == []
    assert store.delete_profile("dev") == [SecretKind.PASSWORD]
    assert store.get("dev", SecretKind.PASSWORD) is None


def test_a_corrupt_index_lists_nothing_and_is_rewritten(secret_service_backend: KeyringBackend, tmp_path: Path) -> None:
    index = tmp_path / "secrets-index.yaml"
    index.write_text("secrets: [unclosed\n")
    store = KeyringStore(secret_service_backend, index)
    assert store.list() == []
    store.set("dev", SecretKind.PASSWORD, "p")
    assert store.list() == [("dev", SecretKind.PASSWORD)]


def test_open_secret_store_uses_a_working_secret_service(
    secret_service_backend: KeyringBackend, tmp_path: Path
) -> None:
    choice = open_secret_store(tmp_path, backend=secret_service_backend)
    assert choice.warning is None
    assert isinstance(choice.store, KeyringStore) and choice.store.persistent
    assert choice.store.name == "SecretService Keyring"
    choice.store.set("dev", SecretKind.PASSWORD, "p")
    assert (tmp_path / "secrets-index.yaml").exists()


def test_keyring_errors_become_clear_store_errors(tmp_path: Path) -> None:
    store = KeyringStore(Exploding(), tmp_path / "i.yaml")
    with pytest.raises(SecretStoreError, match=r"could not read the TOTP seed of profile 'dev': locked"):
        store.get("dev", SecretKind.TOTP_SEED)
    with pytest.raises(SecretStoreError, match="could not save the password"):
        store.set("dev", SecretKind.PASSWORD, "p")
    with pytest.raises(SecretStoreError, match="could not delete"):
        store.delete("dev", SecretKind.PASSWORD)


# ------------------------------------------------------------------ choosing a backend, and the fallback banner


class Exploding(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise RuntimeError("locked")


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's PlaintextKeyring (not installed here): same name, in memory."""

    priority = 0.5  # type: ignore[assignment]
    scheme = "no encyption"

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username))


def assert_memory_with_fix(choice: StoreChoice, reason: str) -> None:
    assert isinstance(choice.store, MemoryStore) and not choice.store.persistent
    assert choice.warning is not None
    assert reason in choice.warning
    assert "kept in memory for this session only" in choice.warning
    assert "Secret Service" in choice.warning and "PYTHON_KEYRING_BACKEND" in choice.warning


def test_no_backend_falls_back_to_memory_with_the_fix(tmp_path: Path) -> None:
    choice = open_secret_store(tmp_path, backend=fail.Keyring())
    assert_memory_with_fix(choice, "keyring found no backend")
    choice.store.set("dev", SecretKind.PASSWORD, "p")
    assert choice.store.get("dev", SecretKind.PASSWORD) == "p"
    assert not (tmp_path / "secrets-index.yaml").exists()


def test_the_null_backend_is_not_a_store(tmp_path: Path) -> None:
    assert_memory_with_fix(open_secret_store(tmp_path, backend=null.Keyring()), "null backend, which stores nothing")


def test_an_empty_chainer_is_not_a_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    assert_memory_with_fix(open_secret_store(tmp_path, backend=chainer.ChainerBackend()), "no backend to chain")


def test_a_backend_that_does_not_answer_falls_back(tmp_path: Path) -> None:
    assert_memory_with_fix(open_secret_store(tmp_path, backend=Exploding()), "does not answer (RuntimeError: locked)")


def test_a_plaintext_backend_found_by_itself_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-keyringrc"))
    choice = open_secret_store(tmp_path, backend=PlaintextKeyring())
    assert_memory_with_fix(choice, "would keep secrets unencrypted on disk")


def test_a_plaintext_backend_chosen_explicitly_is_used_but_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = types.ModuleType("fake_keyrings")
    module.PlaintextKeyring = PlaintextKeyring  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fake_keyrings", module)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "fake_keyrings.PlaintextKeyring")
    choice = open_secret_store(tmp_path, backend=PlaintextKeyring())
    assert isinstance(choice.store, KeyringStore)
    assert choice.warning is not None and "UNENCRYPTED" in choice.warning


def test_the_warning_is_said_once_on_stderr(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    choice = open_secret_store(tmp_path, backend=fail.Keyring())
    choice.announce()
    choice.announce()
    err = capsys.readouterr().err
    assert err.count("No usable OS keyring") == 1 and err.startswith("cognito-tui: ")
    quiet = StoreChoice(MemoryStore(), None)
    stream = io.StringIO()
    quiet.announce(stream)
    assert stream.getvalue() == ""
