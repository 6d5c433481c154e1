"""Shared fixtures: the demo sandbox on loopback, fresh sandboxes for tests that change state,
and boto3 clients pointed at them (dummy credentials; nothing leaves 127.0.0.1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cognito_tui.sandbox import Sandbox
from cognito_tui.sandbox.clock import Clock

DEMO_POOL = "us-east-1_DemoPool01"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """The demo seed, started once. Tests that change users (passwords, MFA, devices) use fresh_sandbox."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def fresh_sandbox() -> Iterator[Callable[..., Sandbox]]:
    """`fresh_sandbox(seed_path=None, clock=None)`: a new, started sandbox, stopped after the test."""
    started: list[Sandbox] = []

    def make(seed_path: str | Path | None = None, clock: Clock | None = None) -> Sandbox:
        sb = Sandbox(seed_path=seed_path, clock=clock).start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture(scope="session")
def boto_client() -> Callable[[Sandbox], Any]:
    """`boto_client(sandbox)`: a boto3 cognito-idp client on the sandbox (one per endpoint)."""
    import boto3
    from botocore.config import Config

    clients: dict[str, Any] = {}
    session = boto3.session.Session()  # one session: its loader caches the service model (~60 ms a client)

    def make(sb: Sandbox) -> Any:
        assert sb.endpoint_url is not None, "start the sandbox first"
        if sb.endpoint_url not in clients:
            clients[sb.endpoint_url] = session.client(
                "cognito-idp",
                endpoint_url=sb.endpoint_url,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=Config(retries={"max_attempts": 1, "mode": "standard"}),
            )
        return clients[sb.endpoint_url]

    return make
