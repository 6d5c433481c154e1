"""The few places the sandbox reaches into moto, kept together (moto is pinned to 5.2.x for this).

- `cognito_app()`: moto's cognito-idp Flask app alone, behind our WSGI layer (`wsgi.py`).
- `fast_pool_keys()`: moto imports its one bundled RSA key for every pool (~0.15 s each, most
  of a cold start); while seeding, pools get a shared stand-in (we sign tokens ourselves).
- `prefer_own_account()`: for unsigned calls moto searches every account for the client id; two
  sandboxes in one process share client ids, so look in the caller's own account first.
- `quiet_werkzeug()`: no request log on stderr.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import types
from collections.abc import Iterator
from typing import Any

import moto.cognitoidp.models as moto_models
import moto.cognitoidp.responses as moto_responses
from moto.cognitoidp.models import RegionAgnosticBackend, cognitoidp_backends
from moto.moto_server.werkzeug_app import create_backend_app

from cognito_tui.sandbox import tokens

_patch_lock = threading.Lock()
_patched = False


class _SharedKey:
    """Stands in for a pool's key object; only moto's own token code would use it, and we sign ourselves."""

    def __getattr__(self, name: str) -> Any:
        return getattr(tokens.signing_key(), name)


_SHARED_KEY = _SharedKey()


def cognito_app() -> Any:
    """moto's cognito-idp Flask app alone (no other moto service), raising its errors to our layer."""
    app = create_backend_app("cognito-idp")
    app.debug = False
    app.config["PROPAGATE_EXCEPTIONS"] = True  # no HTML error page, no traceback in Flask's log: ours decides
    return app


@contextlib.contextmanager
def fast_pool_keys() -> Iterator[None]:
    with _patch_lock:
        real = moto_models.jwk
        stand_in = types.SimpleNamespace(RSAKey=types.SimpleNamespace(import_key=lambda _data: _SHARED_KEY))
        moto_models.jwk = stand_in  # type: ignore[assignment]  # duck-typed: moto only calls RSAKey.import_key
        try:
            yield
        finally:
            moto_models.jwk = real


def prefer_own_account() -> None:
    global _patched
    with _patch_lock:
        if _patched:
            return
        _patched = True

    def own_backends(self: RegionAgnosticBackend) -> list[Any]:
        return [b for region, b in cognitoidp_backends[self.account_id].items() if region != "global"]

    by_client = RegionAgnosticBackend._find_backend_for_clientid
    by_token = RegionAgnosticBackend._find_backend_by_access_token
    by_token_or_session = RegionAgnosticBackend._find_backend_by_access_token_or_session

    def find_for_client(self: RegionAgnosticBackend, client_id: str) -> Any:
        for backend in own_backends(self):
            if any(client_id in pool.clients for pool in backend.user_pools.values()):
                return backend
        return by_client(self, client_id)

    def find_by_token(self: RegionAgnosticBackend, access_token: str) -> Any:
        for backend in own_backends(self):
            if any(access_token in pool.access_tokens for pool in backend.user_pools.values()):
                return backend
        return by_token(self, access_token)

    def find_by_token_or_session(self: RegionAgnosticBackend, access_token: str, session: str) -> Any:
        for backend in own_backends(self):
            if session in backend.sessions or any(access_token in p.access_tokens for p in backend.user_pools.values()):
                return backend
        return by_token_or_session(self, access_token, session)

    RegionAgnosticBackend._find_backend_for_clientid = find_for_client  # type: ignore[method-assign]
    RegionAgnosticBackend._find_backend_by_access_token = find_by_token  # type: ignore[method-assign]
    RegionAgnosticBackend._find_backend_by_access_token_or_session = find_by_token_or_session  # type: ignore[method-assign]

    find_account_region = moto_responses.find_account_region_by_value

    def find_own_first(key: str, value: str, fallback: tuple[str, str]) -> tuple[str, str]:
        backend = cognitoidp_backends[fallback[0]][fallback[1]]
        for pool in backend.user_pools.values():
            if (key == "client_id" and value in pool.clients) or (
                key == "access_token" and value in pool.access_tokens
            ):
                return fallback
        return find_account_region(key, value, fallback)

    moto_responses.find_account_region_by_value = find_own_first


def quiet_werkzeug() -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)


def backend_for(account_id: str, region: str) -> Any:
    return cognitoidp_backends[account_id][region]


def drop_account(account_id: str) -> None:
    """Free a stopped sandbox's pools (moto keeps backends per account for the whole process)."""
    for region, backend in list(cognitoidp_backends[account_id].items()):
        if region != "global":
            backend.user_pools.clear()
            backend.sessions.clear()
