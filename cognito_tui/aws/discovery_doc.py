"""The pool's OpenID discovery document, read to find its userInfo endpoint (for a curl line)."""

from __future__ import annotations

from typing import Any


class DiscoveryError(Exception):
    """The document could not be had: the message says from where and why."""


def fetch_discovery(url: str, timeout: float = 5.0) -> dict[str, Any]:
    """The JSON object at `url`; DiscoveryError (never another exception) when it cannot be read as one."""
    from cognito_tui.aws.jwks import fetch_json_object

    return fetch_json_object(url, "discovery document", DiscoveryError, timeout)


def userinfo_endpoint(pool_id: str, endpoint_url: str | None = None) -> str:
    """The userInfo URL the pool's discovery document names; DiscoveryError when it names none."""
    from cognito_tui.core.claims_export import userinfo_url
    from cognito_tui.core.oauth.endpoints import discovery_url

    url = discovery_url(pool_id, endpoint_url)
    found = userinfo_url(fetch_discovery(url))
    if not found:
        raise DiscoveryError(f"the discovery document at {url} names no userinfo_endpoint")
    return found
