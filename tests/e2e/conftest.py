"""Make `stub_cognito` importable (--import-mode=importlib inserts no paths) and offer its server."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from stub_cognito import CLIENT, POOL, StubCognito


@pytest.fixture
def stub() -> Iterator[StubCognito]:
    """A stub Cognito on a free loopback port; DescribeUserPoolClient answers a client without a secret."""
    server = StubCognito()
    server.start()
    server.script["DescribeUserPoolClient"] = (200, {"UserPoolClient": {"UserPoolId": POOL, "ClientId": CLIENT}})
    yield server
    server.stop()
