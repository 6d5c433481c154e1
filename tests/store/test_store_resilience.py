"""Hostile profile files, concurrent saves, and keyrings that fail or hang after start-up."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cognito_tui.core.problem import Problem
from cognito_tui.store.history import save_run
from cognito_tui.store.profiles import MAX_FILE_BYTES, Profile, ProfileBook, ProfileFileError, load_profiles
from cognito_tui.store.secrets import KeyringStore, SecretKind, SecretStoreError, open_secret_store
from tests.store.hostile_backends import Dict, FailsAfterProbe, Hanging

REPO = Path(__file__).resolve().parents[2]
LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    + "profiles: *i\n"
)


def _issues(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "profiles.yaml"
    path.write_text(text)
    result = load_profiles(path)
    assert not result.writable
    return [str(i) for i in result.issues]


def test_billion_laughs_is_refused_not_expanded(tmp_path):
    assert len(LAUGHS.encode()) < 600
    (issue,) = _issues(tmp_path, LAUGHS)
    assert "aliases (*name) are expanded" in issue


def test_a_recursive_alias_is_an_issue(tmp_path):
    issues = _issues(tmp_path, "profiles: &p\n  - name: a\n  - *p\n")
    assert any("refers to the mapping or list it is inside" in i for i in issues), issues


@pytest.mark.parametrize("value", ["5", "hello", "[1, 2]", "null"])
def test_a_merge_key_with_a_scalar_is_an_issue(tmp_path, value):
    issues = _issues(tmp_path, f"profiles:\n  - name: a\n    <<: {value}\n")
    assert any("merge key (<<) must name a mapping" in i and ":3:" in i for i in issues), issues


def test_a_merge_of_an_anchor_inside_itself_is_an_issue(tmp_path):
    issues = _issues(tmp_path, "profiles:\n  - &x\n    name: a\n    <<: *x\n")
    assert any("merge key" in i for i in issues), issues


@pytest.mark.parametrize("url", ["http://[::1", "http://h:99999", "http://a b"])
def test_a_broken_endpoint_url_is_an_issue(tmp_path, url):
    (issue,) = _issues(tmp_path, f"profiles:\n  - name: a\n    endpoint_url: '{url}'\n")
    assert ":3: profiles[0].endpoint_url:" in issue, issue


def test_40k_invalid_items_are_all_reported(tmp_path):
    text = "profiles:\n" + "".join(f"  - name: p{i}\n    regoin: x\n" for i in range(40_000))
    issues = _issues(tmp_path, text)
    assert len(issues) == 40_000 and issues[-1].startswith(f"{tmp_path / 'profiles.yaml'}:80001:")


def test_deep_nesting_is_an_issue_not_a_recursion_error(tmp_path):
    (issue,) = _issues(tmp_path, "profiles: " + "[" * 200 + "]" * 200 + "\n")
    assert "nested" in issue


def test_an_oversized_file_is_not_read(tmp_path):
    (issue,) = _issues(tmp_path, "# x\n" * (MAX_FILE_BYTES // 4 + 1))
    assert "larger than" in issue


def test_profile_errors_are_problems():
    assert issubclass(ProfileFileError, Problem) and issubclass(SecretStoreError, Problem)


# ------------------------------------------------------------------------------------------ two writers

WRITER = """
import sys
from cognito_tui.store.profiles import Profile, ProfileBook, ProfileFileError
path, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
book = ProfileBook(path)
refused = 0
for i in range(count):
    name = f"{tag}-{i}"
    while True:
        book.add(Profile(name=name)) if name not in book else None
        try:
            book.save()
            break
        except ProfileFileError as e:
            assert "changed by another program" in str(e), e
            refused += 1
            book.reload()
print(refused)
"""


def test_two_processes_saving_100_times_lose_no_update(tmp_path):
    path = tmp_path / "profiles.yaml"
    ProfileBook(path).save()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), tag, "50"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        for tag in ("a", "b")
    ]
    outs = [p.communicate(timeout=240) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    names = {p.name for p in load_profiles(path).profiles}
    assert names == {f"{t}-{i}" for t in ("a", "b") for i in range(50)}  # 100 saves reported OK, 100 in the file


def test_a_refused_save_names_the_other_writers_change(tmp_path):
    path = tmp_path / "profiles.yaml"
    mine, theirs = ProfileBook(path), ProfileBook(path)
    theirs.add(Profile(name="theirs"))
    theirs.save()
    mine.add(Profile(name="mine"))
    with pytest.raises(ProfileFileError, match=r"\(it added 'theirs'\)"):
        mine.save()


# ------------------------------------------------------------------------------------------ keyrings


def test_a_hanging_backend_falls_back_to_memory_at_start(tmp_path):
    choice = open_secret_store(tmp_path, backend=Hanging(), timeout=0.2)
    assert not choice.store.persistent and "does not answer" in (choice.warning or "")


def test_a_backend_hanging_after_start_gives_a_store_error(tmp_path):
    store = KeyringStore(Hanging(), tmp_path / "index.yaml", timeout=0.2)
    with pytest.raises(SecretStoreError, match="no answer within 0.2 s"):
        store.get("dev", SecretKind.PASSWORD)
    with pytest.raises(SecretStoreError):
        store.set("dev", SecretKind.PASSWORD, "pw")
    assert store.list() == []


def test_a_backend_failing_after_the_probe_is_an_honest_error(tmp_path):
    choice = open_secret_store(tmp_path, backend=FailsAfterProbe())
    assert choice.store.persistent
    with pytest.raises(SecretStoreError) as caught:
        choice.store.set("dev", SecretKind.PASSWORD, "pw")
    assert "could not save the password" in caught.value.text() and caught.value.next_step
    assert choice.store.list() == []  # nothing claims to be saved


def test_a_failed_index_write_leaves_no_orphan_in_the_keyring(tmp_path):
    backend = Dict()
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    store = KeyringStore(backend, blocker / "index.yaml")
    with pytest.raises(SecretStoreError, match="cannot write the secrets index"):
        store.set("dev", SecretKind.PASSWORD, "pw")
    assert backend.values == {}


def _secrets_cli(tmp_path: Path, backend: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": backend,
        "HOME": str(tmp_path),
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
    }
    argv = [sys.executable, "-m", "cognito_tui", *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, cwd=REPO)


def test_secrets_list_with_a_hanging_keyring_ends_with_the_fallback_banner(tmp_path):
    done = _secrets_cli(tmp_path, "tests.store.hostile_backends.Hanging", "secrets", "list")
    assert done.returncode == 0 and "does not answer" in done.stderr and "Traceback" not in done.stderr


def test_login_profile_with_a_keyring_failing_after_the_probe_has_no_traceback(tmp_path):
    from cognito_tui.store.profiles import save_profiles

    save_profiles(tmp_path / "profiles.yaml", [Profile(name="dev", user_pool_id="us-east-1_X1", client_id="c1")])
    done = _secrets_cli(
        tmp_path,
        "tests.store.hostile_backends.FailsAfterProbe",
        "login",
        "--profile",
        "dev",
        "--username",
        "u",
        "--answer",
        "PASSWORD=p",
        "--endpoint-url",
        "http://127.0.0.1:9",
        "--timeout",
        "1",
    )
    assert "Traceback" not in done.stderr and "OS keyring failed" in done.stderr, done.stderr


def test_history_and_its_app_dir_are_private(tmp_path):
    folder = tmp_path / "state" / "cognito-tui" / "history"
    (tmp_path / "state" / "cognito-tui").mkdir(parents=True, mode=0o755)
    os.chmod(tmp_path / "state" / "cognito-tui", 0o755)
    save_run(folder, "t", "ok", [], {})
    for d in (folder, folder.parent):
        assert stat.S_IMODE(d.stat().st_mode) == 0o700, d
