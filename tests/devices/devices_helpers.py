"""Finding demo users and signing them in on the sandbox, with real boto3 through the gateway."""

from __future__ import annotations

from typing import Any

from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.core.redact import Secret
from cognito_tui.core.walk import AuthRequest


def demo_user(sandbox, username: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(pool, user, its public client) of a demo user."""
    for pool in sandbox.describe()["pools"]:
        for user in pool["users"]:
            if user["username"] == username:
                client = next(c for c in pool["clients"] if c.get("name") == user.get("client"))
                return pool, user, client
    raise KeyError(username)


def gateway_for(sandbox, pool_id: str) -> Gateway:
    return Gateway(GatewayConfig(endpoint_url=sandbox.endpoint_url, region=sandbox.region), user_pool_id=pool_id)


def request_for(pool, user, client, **kw) -> AuthRequest:
    return AuthRequest(pool["id"], client["id"], "USER_SRP_AUTH", user["username"], Secret(user["password"]), **kw)
