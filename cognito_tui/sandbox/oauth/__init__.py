"""Managed login for the sandbox: a domain per pool, /oauth2/*, /login, /logout and discovery, on the
sandbox's own port, plus GetClientToken, GetDerivedToken, ListUserSessions and RevokeUserSession.

`attach(sandbox)` is called by `Sandbox.start()`; importing this package is cheap (moto is not
imported until then). A domain is served at `<endpoint>/domain/<prefix>/`.
"""

from __future__ import annotations

from typing import Any

DOMAIN_PATH = "/domain/"


def attach(sandbox: Any) -> Any:
    """Seed the OAuth settings, add the API operations to the service, and return the WSGI part."""
    from cognito_tui.sandbox.oauth.app import ManagedLogin

    return ManagedLogin(sandbox)
