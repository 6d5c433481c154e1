from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

from cognito_tui.store import paths


def test_explicit_path_wins_over_environment(tmp_path: Path) -> None:
    env = {paths.CONFIG_ENV: str(tmp_path / "env.yaml")}
    assert paths.profiles_path(tmp_path / "mine.yaml", env) == tmp_path / "mine.yaml"


def test_environment_wins_over_platformdirs(tmp_path: Path) -> None:
    env = {paths.CONFIG_ENV: str(tmp_path / "env.yaml")}
    assert paths.profiles_path(None, env) == tmp_path / "env.yaml"


def test_default_is_the_user_config_dir() -> None:
    expected = Path(platformdirs.user_config_dir("cognito-tui", appauthor=False)) / "profiles.yaml"
    assert paths.profiles_path(None, {}) == expected
    assert paths.profiles_path("", {paths.CONFIG_ENV: ""}) == expected


def test_a_folder_means_the_profiles_file_inside_it(tmp_path: Path) -> None:
    assert paths.profiles_path(tmp_path, {}) == tmp_path / "profiles.yaml"


def test_settings_index_and_history_sit_beside_a_named_profiles_file(tmp_path: Path) -> None:
    named = tmp_path / "conf" / "p.yaml"
    assert paths.settings_path(named, {}) == tmp_path / "conf" / "settings.yaml"
    assert paths.secrets_index_path(named, {}) == tmp_path / "conf" / "secrets-index.yaml"
    assert paths.history_dir(named, {}) == tmp_path / "conf" / "history"
    assert paths.history_dir(None, {paths.CONFIG_ENV: str(named)}) == tmp_path / "conf" / "history"


def test_default_history_is_in_the_user_state_dir() -> None:
    assert paths.history_dir(None, {}) == Path(platformdirs.user_state_dir("cognito-tui", appauthor=False)) / "history"


def test_atomic_write_keeps_a_backup_and_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "f.yaml"
    paths.atomic_write_text(target, "one\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    os.chmod(target, 0o640)
    backup = tmp_path / "deep" / "f.yaml.bak"
    paths.atomic_write_text(target, "two\n", backup=backup)
    assert target.read_text() == "two\n"
    assert backup.read_text() == "one\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_stale_temporaries_of_killed_saves_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "f.yaml"
    stale, fresh = tmp_path / ".f.yaml.old.tmp", tmp_path / ".f.yaml.new.tmp"
    stale.write_text("x")
    fresh.write_text("x")
    long_ago = stale.stat().st_mtime - paths.STALE_TEMP_SECONDS - 10
    os.utime(stale, (long_ago, long_ago))
    paths.atomic_write_text(target, "data\n")
    assert not stale.exists() and fresh.exists()


def test_the_store_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, cognito_tui.store.profiles, cognito_tui.store.secrets, cognito_tui.store.cli_json, "
        "cognito_tui.commands.secrets\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'boto3', 'botocore', 'keyring', 'rich'}))"
    )
    repo = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
