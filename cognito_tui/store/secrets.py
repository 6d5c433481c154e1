"""Secrets per profile in the OS keyring (service "cognito-tui"), or in memory when there is none.

Values are never written to a file by this module. keyring cannot list what it holds, so
KeyringStore keeps an index of (profile, kind) pairs -- names only -- in a small YAML file beside
profiles.yaml. open_secret_store() picks the backend once at start and says so when it falls back
to memory: there is never a silent plaintext fallback.
"""

from __future__ import annotations

import builtins
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml

from cognito_tui.core.problem import Problem
from cognito_tui.core.redact import Secret
from cognito_tui.store.paths import SECRETS_INDEX_FILE, atomic_write_text, config_dir

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "cognito-tui"
PROBE_USERNAME = "cognito-tui:probe"  # read once at start to prove the backend answers; never written
CALL_TIMEOUT = 5.0  # seconds a keyring call may take; a backend that never answers must not hang the app
MAX_INDEX_BYTES = 1 << 20
FIX = (
    "To keep secrets between sessions, run a Secret Service (gnome-keyring-daemon or KeePassXC, inside a "
    "D-Bus session) or choose a backend through keyring's own configuration (PYTHON_KEYRING_BACKEND or "
    "keyringrc.cfg; `python -m keyring diagnose` shows where it is read from)."
)


class SecretKind(StrEnum):
    PASSWORD = "password"
    CLIENT_SECRET = "client_secret"
    TOTP_SEED = "totp_seed"
    DEVICE_KEY = "device_key"
    DEVICE_GROUP_KEY = "device_group_key"
    DEVICE_PASSWORD = "device_password"
    REFRESH_TOKEN = "refresh_token"  # saved only when the user opts in (OPT_IN_KINDS)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    SecretKind.PASSWORD: "password",
    SecretKind.CLIENT_SECRET: "client secret",
    SecretKind.TOTP_SEED: "TOTP seed",
    SecretKind.DEVICE_KEY: "device key",
    SecretKind.DEVICE_GROUP_KEY: "device group key",
    SecretKind.DEVICE_PASSWORD: "device password",
    SecretKind.REFRESH_TOKEN: "refresh token",
}
OPT_IN_KINDS = frozenset({SecretKind.REFRESH_TOKEN})


class SecretStoreError(Problem, RuntimeError):
    """The secret store refused an operation (keyring locked, prompt dismissed, D-Bus gone...)."""

    title = "OS keyring failed"
    next_step = (
        "Nothing was saved or read from the keyring this time; unlock it or check that its service runs "
        "(`python -m keyring diagnose`), then try again. The profile itself is unaffected."
    )


class KeyringTimeout(Exception):
    """A keyring call did not return within its timeout."""


def call_with_timeout(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
    """fn(*args) in a daemon thread; KeyringTimeout if it has not returned after `timeout` seconds."""
    outcome: list[tuple[bool, Any]] = []
    done = threading.Event()

    def run() -> None:
        try:
            outcome.append((True, fn(*args)))
        except BaseException as e:  # re-raised in the caller's thread
            outcome.append((False, e))
        done.set()

    threading.Thread(target=run, name="keyring-call", daemon=True).start()
    if not done.wait(timeout):
        raise KeyringTimeout(f"no answer within {timeout:g} s")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


def parse_kind(text: str) -> SecretKind:
    """A SecretKind from its value, accepting '-' for '_' and any case ("client-secret")."""
    try:
        return SecretKind(text.strip().lower().replace("-", "_"))
    except ValueError:
        raise ValueError(f"unknown secret kind {text!r}; kinds: {', '.join(SecretKind)}") from None


class SecretStore(ABC):
    """Secrets keyed by (profile name, kind). `name` describes the backend; `persistent` says if it outlives the app."""

    name: str = "secret store"
    persistent: bool = False

    @abstractmethod
    def get(self, profile: str, kind: SecretKind) -> Secret | None: ...

    @abstractmethod
    def _set(self, profile: str, kind: SecretKind, value: str) -> None: ...

    @abstractmethod
    def _delete(self, profile: str, kind: SecretKind) -> bool: ...

    @abstractmethod
    def list(self) -> list[tuple[str, SecretKind]]:
        """The saved (profile, kind) pairs, sorted; never the values."""

    def set(self, profile: str, kind: SecretKind, value: str) -> None:
        if not profile:
            raise ValueError("a secret needs a profile name")
        if not isinstance(value, str) or not value:
            raise ValueError(f"the {SecretKind(kind).label} to save is empty")
        self._set(profile, SecretKind(kind), str.__str__(value))

    def delete(self, profile: str, kind: SecretKind) -> bool:
        """Forget one secret; True if there was one."""
        return self._delete(profile, SecretKind(kind))

    def kinds(self, profile: str) -> builtins.list[SecretKind]:
        return [k for p, k in self.list() if p == profile]

    def delete_profile(self, profile: str) -> builtins.list[SecretKind]:
        """Forget every secret of a profile (every kind, listed or not); the kinds that were there."""
        return [kind for kind in SecretKind if self._delete(profile, kind)]

    def copy_profile(self, source: str, target: str) -> None:
        """Give `target` exactly the secrets of `source`."""
        if source == target:
            return
        self.delete_profile(target)
        for kind in SecretKind:
            value = self.get(source, kind)
            if value is not None:
                self._set(target, kind, value.value)

    def rename_profile(self, old: str, new: str) -> None:
        """Move every secret of `old` to `new` (which ends up with exactly those)."""
        if old == new:
            return
        self.copy_profile(old, new)
        self.delete_profile(old)


class MemoryStore(SecretStore):
    """Secrets for this session only: what the app uses when there is no usable keyring."""

    name = "memory (this session only)"
    persistent = False

    def __init__(self) -> None:
        self._values: dict[tuple[str, SecretKind], str] = {}

    def get(self, profile: str, kind: SecretKind) -> Secret | None:
        value = self._values.get((profile, SecretKind(kind)))
        return None if value is None else Secret(value)

    def _set(self, profile: str, kind: SecretKind, value: str) -> None:
        self._values[(profile, kind)] = value

    def _delete(self, profile: str, kind: SecretKind) -> bool:
        return self._values.pop((profile, kind), None) is not None

    def list(self) -> list[tuple[str, SecretKind]]:
        return sorted(self._values)


class KeyringStore(SecretStore):
    """Secrets in a keyring backend under SERVICE, username "<profile>:<kind>", with a names-only index."""

    persistent = True

    def __init__(self, backend: KeyringBackend, index_path: Path | None = None, timeout: float = CALL_TIMEOUT) -> None:
        self.backend = backend
        self.timeout = timeout
        self.name = _describe(backend)
        self.index_path = index_path
        self._lock = threading.Lock()
        self._session_index: set[tuple[str, str]] = set()  # used when there is no index file

    @staticmethod
    def username(profile: str, kind: SecretKind) -> str:
        return f"{profile}:{kind.value}"

    def get(self, profile: str, kind: SecretKind) -> Secret | None:
        kind = SecretKind(kind)
        value = self._call("read", profile, kind, self.backend.get_password, SERVICE, self.username(profile, kind))
        return None if value is None else Secret(value)

    def _set(self, profile: str, kind: SecretKind, value: str) -> None:
        self._call("save", profile, kind, self.backend.set_password, SERVICE, self.username(profile, kind), value)
        try:
            self._update_index(add=(profile, kind))
        except SecretStoreError:
            # Without its index entry the value would be invisible to `secrets list` and never deleted.
            try:
                call_with_timeout(self.backend.delete_password, (SERVICE, self.username(profile, kind)), self.timeout)
            except Exception:
                pass
            raise

    def _delete(self, profile: str, kind: SecretKind) -> bool:
        from keyring.errors import PasswordDeleteError

        try:
            call_with_timeout(self.backend.delete_password, (SERVICE, self.username(profile, kind)), self.timeout)
            existed = True
        except PasswordDeleteError:
            existed = False
        except Exception as e:
            raise self._error("delete", profile, kind, e) from e
        self._update_index(remove=(profile, kind))
        return existed

    def list(self) -> list[tuple[str, SecretKind]]:
        pairs = self._read_index()
        known = {k.value for k in SecretKind}
        return sorted((p, SecretKind(k)) for p, k in pairs if k in known)

    def _call(self, verb: str, profile: str, kind: SecretKind, fn: Any, *args: Any) -> Any:
        try:
            return call_with_timeout(fn, args, self.timeout)
        except Exception as e:
            raise self._error(verb, profile, kind, e) from e

    def _error(self, verb: str, profile: str, kind: SecretKind, e: Exception) -> SecretStoreError:
        return SecretStoreError(
            f"the OS keyring ({self.name}) could not {verb} the {kind.label} of profile {profile!r}: {e}"
        )

    # The index holds names only: {profile: [kind, ...]}. Read-modify-write under a lock.

    def _read_index(self) -> set[tuple[str, str]]:
        if self.index_path is None:
            return set(self._session_index)
        try:
            with open(self.index_path, "rb") as f:
                raw = f.read(MAX_INDEX_BYTES + 1)
            if len(raw) > MAX_INDEX_BYTES:
                return set()
            # Names only, written by us; the plain SafeLoader, as aliases would only mean someone else wrote it.
            data = yaml.load(raw.decode("utf-8"), Loader=_NoAliasLoader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
            return set()
        secrets = data.get("secrets") if isinstance(data, dict) else None
        if not isinstance(secrets, dict):
            return set()
        return {
            (str(profile), str(kind)) for profile, kinds in secrets.items() if isinstance(kinds, list) for kind in kinds
        }

    def _update_index(
        self, add: tuple[str, SecretKind] | None = None, remove: tuple[str, SecretKind] | None = None
    ) -> None:
        with self._lock:
            pairs = self._read_index()
            before = set(pairs)
            if add:
                pairs.add((add[0], add[1].value))
            if remove:
                pairs.discard((remove[0], remove[1].value))
            if pairs == before:
                return
            if self.index_path is None:
                self._session_index = pairs
                return
            by_profile: dict[str, list[str]] = {}
            for profile, kind in sorted(pairs):
                by_profile.setdefault(profile, []).append(kind)
            text = (
                f"# Which secrets cognito-tui saved in the OS keyring (service {SERVICE!r}): names only, never values.\n"
                + yaml.safe_dump({"secrets": by_profile}, sort_keys=False, allow_unicode=True, default_flow_style=None)
            )
            try:
                atomic_write_text(self.index_path, text)
            except OSError as e:
                raise SecretStoreError(f"cannot write the secrets index {self.index_path}: {e.strerror or e}") from e


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader refusing anchors and aliases: the index never has any, and they could expand without end."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed in the secrets index")
        return super().compose_node(parent, index)


@dataclass
class StoreChoice:
    store: SecretStore
    warning: str | None  # the banner text, with the fix, when secrets are not kept in the OS keyring as usual
    _announced: bool = field(default=False, repr=False, compare=False)

    def announce(self, stream: TextIO | None = None) -> None:
        """Print the warning to stderr, once per choice (the TUI shows the same text in its banner)."""
        if self.warning and not self._announced:
            print(f"cognito-tui: {self.warning}", file=stream or sys.stderr)
            self._announced = True


def open_secret_store(
    index_dir: Path | None = None, backend: KeyringBackend | None = None, timeout: float = CALL_TIMEOUT
) -> StoreChoice:
    """The keyring backend keyring would use (or `backend`), if it really works; else memory and a warning.

    Reads one entry to prove the backend answers: a locked desktop keyring may ask to be unlocked.
    """
    # keyring is imported here: it scans its backends on first use, which the CLI's --help skips.
    import keyring

    if backend is None:
        try:
            backend = keyring.get_keyring()
        except Exception as e:
            return _memory(f"keyring could not load its backend ({e})")
    reason = _unusable(backend)
    if reason is None and _plaintext(backend) and not _explicit_choice():
        reason = _plaintext_refusal(backend)
    if reason is None:
        try:
            call_with_timeout(backend.get_password, (SERVICE, PROBE_USERNAME), timeout)
        except Exception as e:
            reason = f"{_describe(backend)} does not answer ({type(e).__name__}: {e})"
    if reason is not None:
        return _memory(reason)
    index = (index_dir if index_dir is not None else config_dir()) / SECRETS_INDEX_FILE
    warning = None
    if _plaintext(backend):
        warning = (
            f"keyring is configured to use {backend.name}, which keeps secrets UNENCRYPTED on disk; "
            "cognito-tui uses it because it was chosen explicitly."
        )
    return StoreChoice(KeyringStore(backend, index, timeout), warning)


def _describe(backend: KeyringBackend) -> str:
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend) and backend.backends:
        return f"{backend.backends[0].name} (first of keyring's chained backends)"
    return str(getattr(backend, "name", type(backend).__name__))


def _memory(reason: str) -> StoreChoice:
    return StoreChoice(
        MemoryStore(), f"No usable OS keyring: {reason}. Secrets are kept in memory for this session only. {FIX}"
    )


def _unusable(backend: KeyringBackend) -> str | None:
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring):
        return "keyring found no backend on this machine (no Secret Service, KWallet, macOS Keychain or Windows Credential Locker)"
    if isinstance(backend, null.Keyring):
        return "keyring is configured with the null backend, which stores nothing"
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return "keyring found no backend to chain"
        if _plaintext(chained[0]):
            return _plaintext_refusal(chained[0])
    return None


def _plaintext(backend: KeyringBackend) -> bool:
    scheme = str(getattr(backend, "scheme", "")).lower()
    return "plaintext" in type(backend).__name__.lower() or scheme.startswith("no encr")


def _plaintext_refusal(backend: KeyringBackend) -> str | None:
    if not _plaintext(backend):
        return None
    return f"the only backend found is {backend.name}, which would keep secrets unencrypted on disk"


def _explicit_choice() -> bool:
    """Whether the user named a backend through keyring's own configuration (env or keyringrc.cfg)."""
    import keyring.core

    try:
        return bool(keyring.core.load_env() or keyring.core.load_config())
    except Exception:
        return False


__all__ = [
    "SERVICE",
    "KeyringStore",
    "MemoryStore",
    "SecretKind",
    "SecretStore",
    "SecretStoreError",
    "StoreChoice",
    "open_secret_store",
    "parse_kind",
]
