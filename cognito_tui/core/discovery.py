"""Reading the account: pools, clients, pool and MFA settings, the user under test.

Each call goes through the Caller, so discovery shows in the transcript like any other call.
"""

from __future__ import annotations

from typing import Any

from cognito_tui.core.walk import Caller


class Discovery:
    def __init__(self, caller: Caller):
        self.caller = caller

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.caller.checked(operation, params)

    def _pages(self, operation: str, key: str, params: dict[str, Any], limit: int = 500) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params = dict(params)
        while True:
            page = self._call(operation, params)
            items += page.get(key, [])
            token = page.get("NextToken")
            if not token or len(items) >= limit:
                return items
            params["NextToken"] = token

    def pools(self) -> list[dict[str, Any]]:
        return self._pages("ListUserPools", "UserPools", {"MaxResults": 60})

    def clients(self, pool_id: str) -> list[dict[str, Any]]:
        return self._pages("ListUserPoolClients", "UserPoolClients", {"UserPoolId": pool_id, "MaxResults": 60})

    def describe_client(self, pool_id: str, client_id: str) -> dict[str, Any]:
        return self._call("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": client_id})["UserPoolClient"]

    def describe_pool(self, pool_id: str) -> dict[str, Any]:
        return self._call("DescribeUserPool", {"UserPoolId": pool_id})["UserPool"]

    def mfa_config(self, pool_id: str) -> dict[str, Any]:
        return self._call("GetUserPoolMfaConfig", {"UserPoolId": pool_id})

    def admin_get_user(self, pool_id: str, username: str) -> dict[str, Any]:
        return self._call("AdminGetUser", {"UserPoolId": pool_id, "Username": username})
