"""OAuth pre-flight: from the client's settings, which request would fail and why, before sending it.

Pure: reads DescribeUserPoolClient's UserPoolClient, DescribeUserPool's UserPool (for Domain) and
ListResourceServers' ResourceServers (any may be None when credentials do not allow reading them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OIDC_SCOPES = frozenset({"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"})
NEEDS_OPENID = frozenset({"email", "phone", "profile"})


@dataclass
class OAuthPlan:
    """What is about to be sent."""

    flow: str  # "code" or "client_credentials"
    redirect_uri: str | None = None
    scopes: tuple[str, ...] = ()
    has_secret: bool = False
    userinfo: bool = True
    logout_uri: str | None = None


@dataclass(frozen=True)
class Finding:
    """One expectation: `request` would end in `error` (None: fine), because `text`."""

    request: str  # "authorize", "token", "userinfo", "logout", "domain"
    text: str
    error: str | None = None

    @property
    def blocking(self) -> bool:
        return self.error is not None


@dataclass
class OAuthPreflight:
    findings: list[Finding] = field(default_factory=list)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def lines(self) -> list[str]:
        return [f"{f.request}: {'would fail with ' + f.error + ': ' if f.error else ''}{f.text}" for f in self.findings]


def custom_scopes(resource_servers: list[dict[str, Any]] | None) -> set[str] | None:
    if resource_servers is None:
        return None
    return {f"{rs['Identifier']}/{s['ScopeName']}" for rs in resource_servers for s in rs.get("Scopes") or []}


def oauth_preflight(
    plan: OAuthPlan,
    client: dict[str, Any] | None,
    pool: dict[str, Any] | None = None,
    resource_servers: list[dict[str, Any]] | None = None,
) -> OAuthPreflight:
    out = OAuthPreflight()
    add = out.findings.append
    if pool is not None and not pool.get("Domain") and not pool.get("CustomDomain"):
        add(Finding("domain", "the pool has no domain: /oauth2/* is not served (CreateUserPoolDomain)", "no_domain"))
    if client is None:
        add(Finding("authorize", "the client's settings could not be read (no credentials?): nothing to check"))
        return out
    flows = list(client.get("AllowedOAuthFlows") or [])
    allowed = list(client.get("AllowedOAuthScopes") or [])
    callbacks = list(client.get("CallbackURLs") or [])
    known_custom = custom_scopes(resource_servers)
    first = "token" if plan.flow == "client_credentials" else "authorize"
    if not client.get("AllowedOAuthFlowsUserPoolClient"):
        add(
            Finding(
                first, "AllowedOAuthFlowsUserPoolClient is false: the client is for the API only", "unauthorized_client"
            )
        )
    if plan.flow not in flows:
        add(Finding(first, f"AllowedOAuthFlows is {flows or '[]'}, without {plan.flow!r}", "unauthorized_client"))
    asked = list(plan.scopes) or allowed
    if plan.flow == "code":
        _code_checks(plan, client, callbacks, allowed, asked, known_custom, add)
    else:
        _client_credentials_checks(plan, client, allowed, known_custom, add)
    if plan.logout_uri is not None and plan.logout_uri not in (client.get("LogoutURLs") or []):
        add(Finding("logout", f"{plan.logout_uri} is not in LogoutURLs {client.get('LogoutURLs') or []}", "logout_uri"))
    if not out.failures:
        add(Finding(first, "the client's settings allow this request"))
    return out


def _code_checks(plan: OAuthPlan, client: dict[str, Any], callbacks: list[str], allowed: list[str],
                 asked: list[str], known_custom: set[str] | None, add: Any) -> None:  # fmt: skip
    if plan.redirect_uri is not None and plan.redirect_uri not in callbacks:
        near = _near(plan.redirect_uri, callbacks)
        hint = f" (close: {near}; the match is exact)" if near else ""
        add(Finding("authorize", f"{plan.redirect_uri} is not in CallbackURLs {callbacks}{hint}", "redirect_mismatch"))
    for scope in plan.scopes:
        if scope not in allowed:
            add(Finding("authorize", f"scope {scope!r} is not in AllowedOAuthScopes {allowed}", "invalid_scope"))
        elif scope not in OIDC_SCOPES and known_custom is not None and scope not in known_custom:
            add(Finding("authorize", f"scope {scope!r} names no resource-server scope (deleted?)", "invalid_scope"))
    if any(s in NEEDS_OPENID for s in asked) and "openid" not in asked:
        add(Finding("authorize", "email, phone and profile need openid beside them", "invalid_scope"))
    readable = client.get("ReadAttributes") or []
    for scope, needed in (("email", ("email", "email_verified")), ("phone", ("phone_number", "phone_number_verified"))):
        missing = [a for a in needed if readable and a not in readable]
        if scope in asked and missing:
            add(Finding("token", f"the {scope} scope needs {', '.join(missing)} in ReadAttributes", "invalid_grant"))
    secret = bool(client.get("ClientSecret"))
    if secret and not plan.has_secret:
        add(Finding("token", "the client has a secret and none will be sent", "invalid_client"))
    if plan.userinfo and "openid" not in asked:
        add(Finding("userinfo", "without the openid scope the access token cannot read userInfo", "invalid_token"))


def _client_credentials_checks(plan: OAuthPlan, client: dict[str, Any], allowed: list[str],
                               known_custom: set[str] | None, add: Any) -> None:  # fmt: skip
    if not client.get("ClientSecret"):
        add(
            Finding(
                "token", "the client has no secret: client_credentials needs a confidential client", "invalid_client"
            )
        )
    if not plan.has_secret:
        add(Finding("token", "no client secret will be sent (HTTP Basic needs it)", "invalid_client"))
    custom = [s for s in allowed if s not in OIDC_SCOPES]
    if not custom:
        add(Finding("token", f"AllowedOAuthScopes {allowed} has no custom scope: M2M tokens carry only those",
                    "invalid_scope"))  # fmt: skip
    asked = list(plan.scopes)
    oidc = [s for s in asked if s in OIDC_SCOPES]
    if oidc:
        add(Finding("token", f"{', '.join(oidc)}: OIDC scopes are not for client_credentials", "invalid_scope"))
    usable = [s for s in asked if s in custom and (known_custom is None or s in known_custom)]
    if asked and not usable and not oidc:
        add(
            Finding(
                "token", f"none of {asked} is an allowed custom scope (disallowed ones are ignored)", "invalid_scope"
            )
        )


def _near(uri: str, candidates: list[str]) -> str | None:
    """A registered URL that differs only by a trailing '/', the case, or the port."""

    def norm(u: str) -> str:
        return u.rstrip("/").lower()

    for c in candidates:
        if norm(c) == norm(uri):
            return c
    host = uri.split("//", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    for c in candidates:
        if host and host in c:
            return c
    return None


def api_preflight(
    operation: str, client: dict[str, Any] | None, has_secret: bool, has_subject: bool = True
) -> OAuthPreflight:
    """GetClientToken and GetDerivedToken: what the client's ExplicitAuthFlows and secret allow (§7)."""
    out = OAuthPreflight()
    add = out.findings.append
    if operation == "GetDerivedToken" and not has_subject:
        add(
            Finding(
                operation, "no subject token: sign in first (any flow), its access token is exchanged", "no_subject"
            )
        )
    if client is None:
        add(Finding(operation, "the client's settings could not be read (no credentials?): nothing to check"))
        return out
    flows = list(client.get("ExplicitAuthFlows") or [])
    if operation == "GetClientToken":
        if flows != ["ALLOW_CLIENT_TOKEN_AUTH"]:
            add(Finding(operation, f"ExplicitAuthFlows is {flows}, not exactly ['ALLOW_CLIENT_TOKEN_AUTH']",
                        "NotAuthorizedException"))  # fmt: skip
        if not client.get("ClientSecret"):
            add(
                Finding(
                    operation, "the client has no secret: GetClientToken needs an active one", "NotAuthorizedException"
                )
            )
        elif not has_secret:
            add(Finding(operation, "no client secret will be sent", "NotAuthorizedException"))
        if not [s for s in client.get("AllowedOAuthScopes") or [] if s not in OIDC_SCOPES]:
            add(Finding(operation, "AllowedOAuthScopes has no custom scope", "InvalidParameterException"))
    else:
        exchange = [f for f in flows if f.startswith("ALLOW_TOKEN_EXCHANGE_")]
        if not exchange:
            add(Finding(operation, f"ExplicitAuthFlows {flows} has no ALLOW_TOKEN_EXCHANGE_IMPERSONATION/DELEGATION",
                        "NotAuthorizedException"))  # fmt: skip
        if client.get("ClientSecret") and not has_secret:
            add(Finding(operation, "the client has a secret and none will be sent", "NotAuthorizedException"))
    if not out.failures:
        add(Finding(operation, "the client's settings allow this request"))
    return out
