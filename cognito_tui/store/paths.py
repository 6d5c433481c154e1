"""Where cognito-tui keeps its files, and how it writes them without ever leaving half a file.

The profiles file decides the config folder: an explicit `--config PATH` wins, then the
COGNITO_TUI_CONFIG environment variable, then platformdirs' user config dir. Everything else the
app keeps (settings, the secrets index, history) lives beside it, so one `--config` isolates a
test or a second setup completely.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: saves there are atomic, but not serialised between processes
    fcntl = None  # type: ignore[assignment]

APP_NAME = "cognito-tui"
CONFIG_ENV = "COGNITO_TUI_CONFIG"
PROFILES_FILE = "profiles.yaml"
SETTINGS_FILE = "settings.yaml"
SECRETS_INDEX_FILE = "secrets-index.yaml"
HISTORY_DIR = "history"
STALE_TEMP_SECONDS = 600
LOCK_TIMEOUT = 10.0  # seconds to wait for another cognito-tui's save


def profiles_path(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The profiles file: explicit path > $COGNITO_TUI_CONFIG > <user config dir>/profiles.yaml.

    A path naming an existing folder means the profiles.yaml inside it.
    """
    env = os.environ if environ is None else environ
    chosen = explicit if explicit not in (None, "") else env.get(CONFIG_ENV) or None
    if chosen is None:
        # platformdirs is cheap to import, but only this branch needs it.
        import platformdirs

        return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / PROFILES_FILE
    path = Path(chosen).expanduser()
    return path / PROFILES_FILE if path.is_dir() else path


def config_dir(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """The folder of the profiles file; settings and the secrets index sit in it."""
    return profiles_path(explicit, environ).parent


def settings_path(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    return config_dir(explicit, environ) / SETTINGS_FILE


def secrets_index_path(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    return config_dir(explicit, environ) / SECRETS_INDEX_FILE


def history_dir(explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Path:
    """Sign-in history: beside the profiles file when one was named, else the user state dir."""
    env = os.environ if environ is None else environ
    if explicit not in (None, "") or env.get(CONFIG_ENV):
        return config_dir(explicit, environ) / HISTORY_DIR
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / HISTORY_DIR


def atomic_write_text(path: Path, text: str, *, backup: Path | None = None, mode: int | None = None) -> None:
    """Replace `path` with `text` so that a crash at any moment leaves the old or the new file.

    Temporary file in the same folder, fsync, `os.replace`, then fsync of the folder. With
    `backup`, the current file is first copied (atomically too) to that path. The file keeps the
    old file's permission bits; a new one gets `mode` (default 0o600).
    """
    ensure_private_dir(path.parent)
    try:
        old = path.stat()
    except FileNotFoundError:
        old = None
    if mode is None:
        mode = old.st_mode & 0o7777 if old else 0o600
    if backup is not None and old is not None:
        _write_replace(backup, path.read_bytes(), mode)
    _write_replace(path, text.encode("utf-8"), mode)


def _write_replace(path: Path, data: bytes, mode: int) -> None:
    _remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _remove_stale_temporaries(path: Path, older_than: float = STALE_TEMP_SECONDS) -> None:
    """Temporaries left by a killed save; only old ones, so a save running elsewhere is left alone."""
    now = time.time()
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > older_than:
                tmp.unlink()
        except OSError:
            pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows cannot open a folder, and needs no such step."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


@contextmanager
def file_lock(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock between processes (flock on a sibling lock file) around a read-check-write.

    Raises TimeoutError when another process holds it for longer than `timeout` seconds.
    """
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"{path} has been locked by another cognito-tui for {timeout:g} s") from None
                    time.sleep(0.005)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def ensure_private_dir(folder: Path, *, tighten: bool = False) -> Path:
    """Create `folder` and any missing parents as 0700 (history and state hold what the user did).

    With `tighten`, an existing folder is narrowed to 0700 as well (it is ours: the app's own dir).
    """
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for part in reversed(missing):
        try:
            part.mkdir(mode=0o700)
        except FileExistsError:
            pass
    if tighten and os.name == "posix":
        try:
            if folder.stat().st_mode & 0o077:
                os.chmod(folder, 0o700)
        except OSError:
            pass
    return folder
