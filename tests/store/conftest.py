"""A real, private Secret Service for the keyring tests, and the stores the contract tests run on.

`secret_service` starts a D-Bus session bus and an unlocked gnome-keyring-daemon in a temporary
HOME, never touching the user's own keyring or bus. Without the binaries the tests are skipped on
a dev box, but fail when CI is set: CI must really run them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cognito_tui.store.secrets import SERVICE, KeyringStore, MemoryStore, SecretStore

REPO = Path(__file__).resolve().parents[2]
BINARIES = ("dbus-daemon", "gnome-keyring-daemon")
START_TIMEOUT = 10.0


def _require_binaries() -> None:
    missing = [b for b in BINARIES if shutil.which(b) is None]
    if not missing:
        return
    why = f"a private Secret Service needs {' and '.join(missing)} (Debian: dbus, gnome-keyring)"
    if os.environ.get("CI"):
        pytest.fail(f"{why}; CI is set, so the keyring tests must run, not be skipped", pytrace=False)
    pytest.skip(why)


def _wait_for_default_collection(address: str, daemon: subprocess.Popen[bytes]) -> None:
    """Poll until the daemon owns org.freedesktop.secrets and its default collection is unlocked."""
    import secretstorage
    from jeepney.io.blocking import open_dbus_connection

    deadline = time.monotonic() + START_TIMEOUT
    last: Exception | None = None
    while time.monotonic() < deadline:
        if daemon.poll() is not None:
            raise RuntimeError(f"gnome-keyring-daemon exited with {daemon.returncode}")
        try:
            with open_dbus_connection(bus=address) as conn:
                if secretstorage.check_service_availability(conn):
                    collection = secretstorage.Collection(conn)  # the 'default' alias
                    if not collection.is_locked():
                        return
        except Exception as e:
            last = e
        time.sleep(0.05)
    raise RuntimeError(f"the private Secret Service did not come up in {START_TIMEOUT:.0f} s: {last}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of a private session bus on which an unlocked gnome-keyring serves secrets."""
    _require_binaries()
    home = tmp_path_factory.mktemp("keyring-home")
    runtime = home / "run"
    runtime.mkdir(mode=0o700)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(runtime),
        "LANG": "C.UTF-8",
    }
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    daemon = None
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().decode().strip()
        if not address:
            raise RuntimeError(f"dbus-daemon gave no address (exit code {bus.poll()})")
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        # --unlock reads the login keyring's password from stdin: an empty line creates it unlocked.
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert daemon.stdin is not None
        daemon.stdin.write(b"\n")
        daemon.stdin.close()
        _wait_for_default_collection(address, daemon)
        yield address
    finally:
        if daemon is not None:
            _stop(daemon)
        _stop(bus)


@pytest.fixture
def secret_service_backend(secret_service: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """keyring's real SecretService backend, talking to the private daemon; emptied after each test."""
    from keyring.backends.SecretService import Keyring

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", secret_service)
    backend = Keyring()
    yield backend
    _forget_all(secret_service)


def _forget_all(address: str) -> None:
    import secretstorage
    from jeepney.io.blocking import open_dbus_connection

    with open_dbus_connection(bus=address) as conn:
        for item in secretstorage.search_items(conn, {"service": SERVICE}):
            item.delete()


@pytest.fixture(params=["memory", "secret_service"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> SecretStore:
    """Each contract test runs on the in-memory store and on the keyring over a real Secret Service."""
    if request.param == "memory":
        return MemoryStore()
    backend = request.getfixturevalue("secret_service_backend")
    return KeyringStore(backend, tmp_path / "secrets-index.yaml")


@pytest.fixture
def subprocess_env(tmp_path: Path) -> dict[str, str]:
    """An environment for child processes that finds this checkout's package and no user config."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["COGNITO_TUI_CONFIG"] = str(tmp_path / "config" / "profiles.yaml")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    return env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need the private Secret Service, so `-m "not keyring_service"` can leave them out."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "secret_service" in getattr(item, "fixturenames", ()) or params.get("store") == "secret_service":
            item.add_marker(pytest.mark.keyring_service)
