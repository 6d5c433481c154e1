"""The pool's OpenID discovery document, read to find its userInfo endpoint (for a curl line)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

MAX_BYTES = 1 << 20


class DiscoveryError(Exception):
    """The document could not be had: the message says from where and why."""


def fetch_discovery(url: str, timeout: float = 5.0) -> dict[str, Any]:
    """The JSON object at `url`; DiscoveryError (never another exception) when it cannot be read as one."""
    if not url.startswith(("http://", "https://")):
        raise DiscoveryError(f"not an http(s) URL: {url}")
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DiscoveryError(f"the discovery document at {url} could not be read ({exc})") from exc
    try:
        document = json.loads(body[:MAX_BYTES])
    except (ValueError, UnicodeDecodeError) as exc:
        raise DiscoveryError(f"the document at {url} is not JSON ({exc})") from exc
    if not isinstance(document, dict):
        raise DiscoveryError(f"the document at {url} is not a JSON object")
    return document


def userinfo_endpoint(pool_id: str, endpoint_url: str | None = None) -> str:
    """The userInfo URL the pool's discovery document names; DiscoveryError when it names none."""
    from cognito_tui.core.claims_export import userinfo_url
    from cognito_tui.core.oauth.endpoints import discovery_url

    url = discovery_url(pool_id, endpoint_url)
    found = userinfo_url(fetch_discovery(url))
    if not found:
        raise DiscoveryError(f"the discovery document at {url} names no userinfo_endpoint")
    return found
