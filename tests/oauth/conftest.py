"""Make `oauth_helpers` importable: the suite runs with --import-mode=importlib (no sys.path insertion)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from collections.abc import Iterator
from typing import Any

import pytest

from cognito_tui.sandbox import Sandbox


@pytest.fixture(scope="module")
def oauth_sandbox() -> Iterator[Sandbox]:
    """A demo sandbox of this module's own: the tests register callbacks and revoke tokens."""
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def boto(oauth_sandbox: Sandbox) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.session.Session().client(
        "cognito-idp", endpoint_url=oauth_sandbox.endpoint_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )  # fmt: skip


@pytest.fixture(scope="module")
def endpoints(oauth_sandbox: Sandbox) -> Any:
    from cognito_tui.core.oauth import from_domain

    return from_domain(f"{oauth_sandbox.endpoint_url}/domain/cognito-tui-demo")


@pytest.fixture(scope="module")
def http() -> Any:
    from cognito_tui.aws.oauth_http import Urllib3Transport

    return Urllib3Transport()
