"""Writing profiles.yaml: exactly dump_yaml(), atomic, a .bak of the previous file, never over a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cognito_tui.store.profiles import (
    ContextData,
    Profile,
    ProfileBook,
    ProfileError,
    ProfileFileError,
    dump_yaml,
    load_profiles,
    save_profiles,
)
from cognito_tui.store.secrets import MemoryStore, SecretKind, SecretStore

FULL = Profile(
    name="full",
    region="eu-west-1",
    endpoint_url="http://127.0.0.1:9229",
    aws_profile="staging",
    user_pool_id="eu-west-1_AbCdEf123",
    client_id="1example23456789",
    auth_flow="ADMIN_USER_PASSWORD_AUTH",
    api="admin",
    username="qa@example.com",
    client_metadata={"tenant": "acme", "emoji": "héllo ✓"},
    analytics_endpoint_id="0123abcd",
    context_data=ContextData(
        "192.0.2.1", "app.example.com", "/login", [("User-Agent", "x"), ("User-Agent", "y")], "enc"
    ),
    notes="line one\nline two\n",
)


def test_dump_leaves_defaults_out_in_a_stable_order() -> None:
    text = dump_yaml([Profile(name="dev", client_id="abc", region="us-east-1")])
    assert text.endswith("profiles:\n- name: dev\n  region: us-east-1\n  client_id: abc\n")
    assert text.startswith("# cognito-tui profiles")
    assert dump_yaml([]).endswith("profiles: []\n")


def test_multiline_notes_are_written_as_a_block() -> None:
    assert "  notes: |\n    line one\n    line two\n" in dump_yaml([FULL])


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    profiles = [FULL, Profile(name="bare")]
    save_profiles(path, profiles)
    assert path.read_text(encoding="utf-8") == dump_yaml(profiles)
    result = load_profiles(path)
    assert result.issues == [] and result.profiles == profiles


def test_save_keeps_the_previous_file_as_bak(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    save_profiles(path, [Profile(name="one")])
    assert not (tmp_path / "profiles.yaml.bak").exists()
    first = path.read_text()
    save_profiles(path, [Profile(name="two")])
    assert (tmp_path / "profiles.yaml.bak").read_text() == first
    assert [p.name for p in load_profiles(path).profiles] == ["two"]


def test_saving_the_same_content_does_not_touch_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    save_profiles(path, [Profile(name="one")])
    save_profiles(path, [Profile(name="two")])
    save_profiles(path, [Profile(name="two")])
    assert "one" in (tmp_path / "profiles.yaml.bak").read_text()


def test_a_hand_written_file_with_comments_is_kept_in_the_bak(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    original = "# my notes\nprofiles:\n  - name: dev  # the dev pool\n"
    path.write_text(original)
    save_profiles(path, [Profile(name="dev"), Profile(name="new")])
    assert (tmp_path / "profiles.yaml.bak").read_text() == original


@pytest.mark.parametrize(
    "bad",
    ["profiles: [\n", "profiles:\n  - name: a\n    regoin: x\n", "profiles:\n  - name: a\n  - name: a\n"],
)
def test_an_invalid_file_on_disk_is_never_overwritten(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "profiles.yaml"
    path.write_text(bad)
    with pytest.raises(ProfileFileError) as caught:
        save_profiles(path, [Profile(name="b")])
    assert str(path) in str(caught.value) and "left as it is" in str(caught.value)
    assert caught.value.issues
    assert path.read_text() == bad
    assert not (tmp_path / "profiles.yaml.bak").exists()


def test_duplicate_names_are_not_saved(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    with pytest.raises(ProfileFileError, match="duplicate name 'a'"):
        save_profiles(path, [Profile(name="a"), Profile(name="a")])
    assert not path.exists()


def test_invalid_profiles_from_code_are_not_saved(tmp_path: Path) -> None:
    with pytest.raises(ProfileFileError, match=r"profiles\[0\] \('a'\): user_pool_id: must look like"):
        save_profiles(tmp_path / "p.yaml", [Profile(name="a", user_pool_id="nope")])


def test_the_written_yaml_is_plain_safe_yaml(tmp_path: Path) -> None:
    text = dump_yaml([FULL])
    data = yaml.safe_load(text)
    assert data["profiles"][0]["context_data"]["http_headers"] == [
        {"name": "User-Agent", "value": "x"},
        {"name": "User-Agent", "value": "y"},
    ]
    assert "&" not in text and "!!" not in text


# ------------------------------------------------------------------ ProfileBook


@pytest.fixture
def book(tmp_path: Path) -> ProfileBook:
    path = tmp_path / "profiles.yaml"
    save_profiles(path, [Profile(name="dev", region="us-east-1"), Profile(name="prod")])
    return ProfileBook(path, secrets=MemoryStore())


def test_book_add_get_and_preview(book: ProfileBook) -> None:
    book.add(Profile(name="qa", username="q"))
    assert book.get("qa") == Profile(name="qa", username="q")
    assert book.get("nope") is None
    assert "- name: qa\n  username: q\n" in book.as_yaml()
    assert book.dirty
    assert [p.name for p in load_profiles(book.path).profiles] == ["dev", "prod"]  # nothing written yet
    book.save()
    assert book.path.read_text() == book.as_yaml()
    assert not book.dirty


def test_book_refuses_duplicates_and_invalid_profiles(book: ProfileBook) -> None:
    with pytest.raises(ProfileError, match="a profile named 'dev' already exists"):
        book.add(Profile(name="dev"))
    with pytest.raises(ProfileError, match="auth_flow: must be one of"):
        book.add(Profile(name="x", auth_flow="SRP"))
    with pytest.raises(ProfileError, match="missing 'name'"):
        book.add(Profile(name=""))
    with pytest.raises(ProfileError, match="already exists"):
        book.rename("dev", "prod")
    with pytest.raises(ProfileError, match="no profile named 'ghost'"):
        book.delete("ghost")


def test_book_rename_moves_secrets_on_save(book: ProfileBook) -> None:
    store = book.secrets
    assert store is not None
    store.set("dev", SecretKind.PASSWORD, "pw")
    store.set("staging", SecretKind.TOTP_SEED, "orphan")  # a leftover under the new name
    book.rename("dev", "staging")
    assert store.get("dev", SecretKind.PASSWORD) == "pw"  # the keyring waits for the file
    book.save()
    assert store.get("staging", SecretKind.PASSWORD) == "pw"
    assert store.get("dev", SecretKind.PASSWORD) is None
    assert store.get("staging", SecretKind.TOTP_SEED) is None
    assert book.names() == ["staging", "prod"]
    assert [p.name for p in load_profiles(book.path).profiles] == ["staging", "prod"]


def test_book_delete_forgets_secrets_on_save(book: ProfileBook) -> None:
    store = book.secrets
    assert store is not None
    store.set("dev", SecretKind.PASSWORD, "pw")
    store.set("prod", SecretKind.PASSWORD, "keep")
    book.delete("dev")
    book.save()
    assert store.list() == [("prod", SecretKind.PASSWORD)]


def test_the_users_seeds_and_devices_follow_their_profile(store: SecretStore, tmp_path: Path) -> None:
    """Vault entries ("PROFILE@USER") are renamed and deleted with their profile, in memory and in a real
    Secret Service; another profile whose name starts with "PROFILE@" keeps its own."""
    from cognito_tui.store.vault import scope_name

    save_profiles(tmp_path / "profiles.yaml", [Profile(name="dev", region="us-east-1"), Profile(name="prod")])
    book = ProfileBook(tmp_path / "profiles.yaml", secrets=store)
    book.add(Profile(name="dev@ops"))
    book.save()
    store.set(scope_name("dev", "alice"), SecretKind.TOTP_SEED, "JBSWY3DPEHPK3PXP")
    store.set(scope_name("dev", "alice"), SecretKind.DEVICE_KEY, "us-east-1_device")
    store.set("dev@ops", SecretKind.PASSWORD, "ops-own")
    store.set(scope_name("dev@ops", "bob"), SecretKind.TOTP_SEED, "KRSXG5DSMFXGK3TU")
    book.rename("dev", "staging")
    book.save()
    assert store.get("staging@alice", SecretKind.TOTP_SEED) == "JBSWY3DPEHPK3PXP"
    assert store.get("staging@alice", SecretKind.DEVICE_KEY) == "us-east-1_device"
    assert store.get("dev@alice", SecretKind.TOTP_SEED) is None
    book.delete("staging")
    book.save()
    assert store.list() == [
        ("dev@ops", SecretKind.PASSWORD),
        ("dev@ops@bob", SecretKind.TOTP_SEED),
    ]


def test_book_changes_without_save_leave_secrets_alone(book: ProfileBook) -> None:
    store = book.secrets
    assert store is not None
    store.set("dev", SecretKind.PASSWORD, "pw")
    book.delete("dev")
    book.reload()
    assert book.names() == ["dev", "prod"] and store.get("dev", SecretKind.PASSWORD) == "pw"


def test_book_duplicate_is_a_deep_copy_after_the_original(book: ProfileBook) -> None:
    book.update("dev", Profile(name="dev", client_metadata={"a": "1"}))
    copy = book.duplicate("dev", "dev-2")
    copy.client_metadata["a"] = "changed"
    assert book.get("dev").client_metadata == {"a": "1"}  # type: ignore[union-attr]
    assert book.names() == ["dev", "dev-2", "prod"]


def test_book_duplicate_copies_secrets_only_when_asked(book: ProfileBook) -> None:
    store = book.secrets
    assert store is not None
    store.set("dev", SecretKind.CLIENT_SECRET, "s")
    book.duplicate("dev", "a")
    book.duplicate("dev", "b", copy_secrets=True)
    book.save()
    assert store.list() == [("b", SecretKind.CLIENT_SECRET), ("dev", SecretKind.CLIENT_SECRET)]


def test_book_update_replaces_in_place(book: ProfileBook) -> None:
    book.update("prod", Profile(name="prod", region="eu-west-1"))
    book.save()
    assert load_profiles(book.path).profiles[1] == Profile(name="prod", region="eu-west-1")


def test_book_over_an_invalid_file_keeps_what_it_could_read_and_refuses_to_save(tmp_path: Path) -> None:
    path = tmp_path / "profiles.yaml"
    bad = "profiles:\n  - name: good\n  - name: bad\n    regoin: x\n"
    path.write_text(bad)
    book = ProfileBook(path)
    assert book.names() == ["good"] and not book.writable
    assert str(book.issues[0]).startswith(f"{path}:4: profiles[1].regoin")
    book.add(Profile(name="new"))
    with pytest.raises(ProfileFileError, match="has errors, so it is left as it is"):
        book.save()
    assert path.read_text() == bad


def test_book_refuses_to_save_over_a_file_changed_by_someone_else(book: ProfileBook) -> None:
    other = ProfileBook(book.path)
    other.add(Profile(name="theirs"))
    other.save()
    book.add(Profile(name="mine"))
    with pytest.raises(ProfileFileError, match="changed by another program"):
        book.save()
    assert "theirs" in book.path.read_text()
    book.reload()
    assert book.names() == ["dev", "prod", "theirs"]
