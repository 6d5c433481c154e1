"""Where a pool's OAuth endpoints are: from its domain, or from its discovery document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cognito_tui.core.problem import Problem

REQUIRED_KEYS = ("authorization_endpoint", "token_endpoint")


class EndpointProblem(Problem):
    title = "OAuth endpoints unknown"
    next_step = "Give the pool's domain (--domain prefix, FQDN or URL), or check the pool has one (DescribeUserPool)."


@dataclass(frozen=True)
class Endpoints:
    authorize: str
    token: str
    userinfo: str
    revoke: str
    logout: str
    issuer: str | None = None
    jwks_uri: str | None = None
    source: str = "domain"  # "domain" or "discovery"
    domainless: bool = False  # discovery of a pool without a domain: these URLs answer 400

    @property
    def base(self) -> str:
        return self.authorize.rsplit("/oauth2/authorize", 1)[0]


def domain_base(domain: str, region: str) -> str:
    """`myprefix` -> https://myprefix.auth.<region>.amazoncognito.com; an FQDN -> https://fqdn; a URL as is."""
    domain = domain.strip().rstrip("/")
    if not domain:
        raise EndpointProblem("the domain is empty")
    if "://" in domain:
        parts = urlsplit(domain)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointProblem(f"{domain!r} is not an http(s) URL")
        return domain
    if "." in domain:
        return f"https://{domain}"
    if not region:
        raise EndpointProblem(f"a domain prefix ({domain!r}) needs the Region")
    return f"https://{domain}.auth.{region}.amazoncognito.com"


def from_domain(domain: str, region: str = "", issuer: str | None = None) -> Endpoints:
    base = domain_base(domain, region)
    return Endpoints(
        authorize=f"{base}/oauth2/authorize",
        token=f"{base}/oauth2/token",
        userinfo=f"{base}/oauth2/userInfo",
        revoke=f"{base}/oauth2/revoke",
        logout=f"{base}/logout",
        issuer=issuer,
        jwks_uri=f"{issuer}/.well-known/jwks.json" if issuer else None,
        source="domain",
    )


def issuer_url(pool_id: str) -> str:
    return f"https://cognito-idp.{pool_id.split('_', 1)[0]}.amazonaws.com/{pool_id}"


def discovery_url(pool_id: str, endpoint_url: str | None = None) -> str:
    """The pool's /.well-known/openid-configuration: on the issuer host, or on an emulator's endpoint."""
    base = f"{endpoint_url.rstrip('/')}/{pool_id}" if endpoint_url else issuer_url(pool_id)
    return f"{base}/.well-known/openid-configuration"


def from_discovery(document: dict[str, Any]) -> Endpoints:
    """Endpoints from a discovery document; a document without a domain's endpoints says so."""
    missing = [k for k in REQUIRED_KEYS if not isinstance(document.get(k), str)]
    if missing:
        raise EndpointProblem(f"the discovery document has no {', '.join(missing)}")
    authorize = document["authorization_endpoint"]
    base = authorize.rsplit("/", 2)[0] if authorize.endswith("/oauth2/authorize") else authorize.rsplit("/", 1)[0]
    domainless = not authorize.endswith("/oauth2/authorize")

    def pick(key: str, default: str) -> str:
        value = document.get(key)
        return value if isinstance(value, str) and value else default

    return Endpoints(
        authorize=authorize,
        token=document["token_endpoint"],
        userinfo=pick("userinfo_endpoint", f"{base}/userInfo" if domainless else f"{base}/oauth2/userInfo"),
        revoke=pick("revocation_endpoint", f"{base}/revoke" if domainless else f"{base}/oauth2/revoke"),
        logout=pick("end_session_endpoint", f"{base}/logout"),
        issuer=document.get("issuer") if isinstance(document.get("issuer"), str) else None,
        jwks_uri=document.get("jwks_uri") if isinstance(document.get("jwks_uri"), str) else None,
        source="discovery",
        domainless=domainless,
    )
