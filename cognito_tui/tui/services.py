"""What the app is given rather than reaches for: gateways, profiles, secrets, the sandbox, the clock.

`make_services()` builds the real ones from the command line; tests and scripts build their own
(a memory secret store, a frozen clock, a sandbox on a free port) and hand them to `make_app`.
Everything here that blocks (keyring, YAML, boto3, moto) is called from workers, never the UI thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cognito_tui.core.request import Target

if TYPE_CHECKING:
    from cognito_tui.aws.gateway import Gateway
    from cognito_tui.sandbox import Sandbox
    from cognito_tui.store.profiles import ProfileBook
    from cognito_tui.store.secrets import SecretStore


class SandboxLifecycle:
    """The embedded sandbox: its seed read first (demo profiles at once), then started, then stopped."""

    def __init__(self, port: int = 0, seed_path: str | Path | None = None, clock: Any = None) -> None:
        self.port = port
        self.seed_path = seed_path
        self.clock = clock
        self.sandbox: Sandbox | None = None  # built (seed read); serving once `running`
        self._lock = threading.Lock()

    def prepare(self) -> Sandbox:
        """The sandbox with its seed read, not yet serving (cheap: no moto import)."""
        with self._lock:
            if self.sandbox is None:
                from cognito_tui.sandbox import Sandbox

                self.sandbox = Sandbox(seed_path=self.seed_path, port=self.port, clock=self.clock)
            return self.sandbox

    def start(self) -> Sandbox:
        """Serve on loopback (imports moto: call from a worker)."""
        return self.prepare().start()

    @property
    def running(self) -> Sandbox | None:
        return self.sandbox if self.sandbox is not None and self.sandbox.running else None

    def stop(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()


@dataclass
class Services:
    """The app's seams. Attributes set by `load_store()` are None until it has run."""

    config_path: str | None = None
    history_dir: Path | None = None
    sandbox: SandboxLifecycle | None = None  # None: AWS (or any endpoint) mode
    secret_store: SecretStore | None = None  # None: the OS keyring, or memory with a warning
    clock: Callable[[], float] = time.monotonic  # countdowns and call timings; tests freeze it
    book: ProfileBook | None = None
    keyring_warning: str | None = None
    browser: Callable[[str], object] | None = None  # opens a URL (managed login); None: the webbrowser module
    _gateways: Any = field(default=None, repr=False)
    _retry_local: threading.local = field(default_factory=threading.local, repr=False)

    def load_store(self) -> None:
        """Read profiles.yaml and open the secret store (blocking: YAML and the keyring)."""
        from cognito_tui.store.paths import profiles_path
        from cognito_tui.store.profiles import ProfileBook, load_profiles

        path = profiles_path(self.config_path)
        if self.secret_store is None:
            from cognito_tui.store.secrets import open_secret_store

            choice = open_secret_store(index_dir=path.parent)
            self.secret_store, self.keyring_warning = choice.store, choice.warning
        self.book = ProfileBook(path, load_profiles(path), self.secret_store)

    def gateway(self, target: Target) -> Gateway:
        """The gateway for `target`, built once and reused (blocking: boto3 on first use)."""
        if self._gateways is None:
            from cognito_tui.aws.targets import GatewayCache  # boto3: only here, in a worker

            self._gateways = GatewayCache(on_retry=self._retried)
        return self._gateways.get(target)

    @contextmanager
    def retries_to(self, listener: Callable[[str, int, int, str], None]) -> Iterator[None]:
        """Within this block, retries of calls made by this thread go to `listener` (the walk's pending line)."""
        previous = getattr(self._retry_local, "listener", None)
        self._retry_local.listener = listener
        try:
            yield
        finally:
            self._retry_local.listener = previous

    def _retried(self, operation: str, attempt: int, attempts: int, reason: str) -> None:
        """A shared gateway's retry, handed to whoever made the call on this thread (if anyone listens)."""
        listener = getattr(self._retry_local, "listener", None)
        if listener is not None:
            listener(operation, attempt, attempts, reason)

    def history_folder(self) -> Path:
        if self.history_dir is not None:
            return self.history_dir
        from cognito_tui.store.paths import history_dir

        return history_dir(self.config_path)

    def on_sandbox(self, endpoint_url: str | None) -> bool:
        """Whether calls to `endpoint_url` go to our own running sandbox."""
        sandbox = self.sandbox.running if self.sandbox is not None else None
        return bool(sandbox and endpoint_url and endpoint_url.rstrip("/") == (sandbox.endpoint_url or "").rstrip("/"))

    def shutdown(self) -> None:
        if self.sandbox is not None:
            self.sandbox.stop()


def make_services(
    config_path: str | None = None, *, sandbox: bool = False, sandbox_port: int = 0, history_dir: Path | None = None
) -> Services:
    """The real services, as the command line asks for them."""
    return Services(
        config_path=config_path,
        history_dir=history_dir,
        sandbox=SandboxLifecycle(port=sandbox_port) if sandbox else None,
    )
