"""The OAuth part of a seed: domains, resource servers and app clients' OAuth settings, put into moto.

A separate file beside the seed (`<seed>.oauth.yaml`; the packaged demo seed has
`demo_oauth.yaml`) so the seed format itself stays unchanged. Each pool entry names a pool of the
seed by id; `clients` either extend a seed client of that name or add a new one.
"""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cognito_tui.sandbox.seed import SeedError

DEMO_OAUTH = "demo_oauth.yaml"
OAUTH_FLOWS = ("code", "implicit", "client_credentials")
_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$")
_CLIENT_ID = re.compile(r"^[\w+]{1,128}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5B\x5D-\x7E]{1,256}$")
_CLIENT_KEYS = {
    "name", "id", "secret", "oauth_flows", "scopes", "callback_urls", "logout_urls", "default_redirect_uri",
    "oauth_enabled", "explicit_auth_flows", "read_attributes", "token_revocation", "description",
}  # fmt: skip


@dataclass(frozen=True)
class OAuthClientSeed:
    name: str
    id: str | None
    secret: str | None
    config: dict[str, Any]  # Cognito's field names: AllowedOAuthFlows, CallbackURLs...
    description: str = ""


@dataclass(frozen=True)
class OAuthPoolSeed:
    pool_id: str
    domain: str | None
    resource_servers: tuple[dict[str, Any], ...] = ()
    clients: tuple[OAuthClientSeed, ...] = ()


@dataclass(frozen=True)
class OAuthSeed:
    pools: tuple[OAuthPoolSeed, ...] = field(default_factory=tuple)


def oauth_seed_for(seed_source: str) -> OAuthSeed:
    """The packaged demo's OAuth seed, or `<seed>.oauth.yaml` beside a seed file, or nothing."""
    if seed_source.endswith("(packaged)"):
        return _demo_oauth_seed()
    path = Path(seed_source)
    sibling = path.with_name(path.name.rsplit(".", 1)[0] + ".oauth.yaml")
    if not sibling.is_file():
        return OAuthSeed()
    return read_oauth_seed(sibling.read_text(encoding="utf-8"), str(sibling))


@functools.cache
def _demo_oauth_seed() -> OAuthSeed:
    """Parsed once per process: every demo sandbox (the tests start dozens) shares it, copied on use."""
    text = resources.files("cognito_tui.sandbox.oauth").joinpath(DEMO_OAUTH).read_text(encoding="utf-8")
    return read_oauth_seed(text, f"{DEMO_OAUTH} (packaged)")


def read_oauth_seed(text: str, source: str) -> OAuthSeed:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # libyaml when present
    except yaml.YAMLError as exc:
        raise SeedError(source, "(file)", f"not valid YAML ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("pools", []), list):
        raise SeedError(source, "pools", "must be a list")
    pools = []
    for i, entry in enumerate(data.get("pools") or []):
        where = f"pools[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise SeedError(source, where, "needs an id (a pool id of the seed)")
        domain = entry.get("domain")
        if domain is not None and (not isinstance(domain, str) or not _DOMAIN.match(domain)):
            raise SeedError(source, f"{where}.domain", f"{domain!r} does not match {_DOMAIN.pattern}")
        servers = tuple(_resource_server(source, f"{where}.resource_servers[{j}]", rs)
                        for j, rs in enumerate(entry.get("resource_servers") or []))  # fmt: skip
        clients = tuple(_client(source, f"{where}.clients[{j}]", c) for j, c in enumerate(entry.get("clients") or []))
        unknown = set(entry) - {"id", "domain", "resource_servers", "clients"}
        if unknown:
            raise SeedError(source, f"{where}.{sorted(unknown)[0]}", "unknown setting")
        pools.append(OAuthPoolSeed(entry["id"], domain, servers, clients))
    return OAuthSeed(tuple(pools))


def _resource_server(source: str, where: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("identifier"), str):
        raise SeedError(source, where, "needs an identifier")
    scopes = []
    for k, scope in enumerate(data.get("scopes") or []):
        if not isinstance(scope, dict) or not isinstance(scope.get("name"), str) or not _SCOPE.match(scope["name"]):
            raise SeedError(source, f"{where}.scopes[{k}]", "needs a name of printable characters")
        scopes.append({"ScopeName": scope["name"], "ScopeDescription": str(scope.get("description") or scope["name"])})
    return {"Identifier": data["identifier"], "Name": str(data.get("name") or data["identifier"]), "Scopes": scopes}


def _client(source: str, where: str, data: Any) -> OAuthClientSeed:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise SeedError(source, where, "needs a name")
    unknown = set(data) - _CLIENT_KEYS
    if unknown:
        raise SeedError(source, f"{where}.{sorted(unknown)[0]}", "unknown setting")
    client_id = data.get("id")
    if client_id is not None and not _CLIENT_ID.match(str(client_id)):
        raise SeedError(source, f"{where}.id", f"{client_id!r} does not match {_CLIENT_ID.pattern}")
    flows = list(data.get("oauth_flows") or [])
    for flow in flows:
        if flow not in OAUTH_FLOWS:
            raise SeedError(source, f"{where}.oauth_flows", f"{flow!r} is not one of {', '.join(OAUTH_FLOWS)}")
    config: dict[str, Any] = {
        "AllowedOAuthFlowsUserPoolClient": bool(data.get("oauth_enabled", bool(flows))),
        "AllowedOAuthFlows": flows,
        "AllowedOAuthScopes": [str(s) for s in data.get("scopes") or []],
        "CallbackURLs": [str(u) for u in data.get("callback_urls") or []],
        "LogoutURLs": [str(u) for u in data.get("logout_urls") or []],
        "SupportedIdentityProviders": ["COGNITO"],
    }
    if data.get("default_redirect_uri"):
        config["DefaultRedirectURI"] = str(data["default_redirect_uri"])
    if data.get("explicit_auth_flows") is not None:
        config["ExplicitAuthFlows"] = [str(f) for f in data["explicit_auth_flows"]]
    if data.get("read_attributes") is not None:
        config["ReadAttributes"] = [str(a) for a in data["read_attributes"]]
    if data.get("token_revocation") is not None:
        config["EnableTokenRevocation"] = bool(data["token_revocation"])
    secret = data.get("secret")
    return OAuthClientSeed(data["name"], client_id, str(secret) if secret else None, config,
                           str(data.get("description") or ""))  # fmt: skip


def apply_oauth_seed(backend: Any, seed: OAuthSeed) -> None:
    """Domains, resource servers and clients into moto's backend (no HTTP, like the main seed)."""
    for entry in seed.pools:
        pool = backend.user_pools.get(entry.pool_id)
        if pool is None:
            raise SeedError(DEMO_OAUTH, entry.pool_id, "no such pool in the seed")
        if entry.domain:
            backend.create_user_pool_domain(entry.pool_id, entry.domain)
        for rs in entry.resource_servers:
            backend.create_resource_server(entry.pool_id, rs["Identifier"], rs["Name"], copy.deepcopy(rs["Scopes"]))
        for spec in entry.clients:
            existing = next(
                (c for c in pool.clients.values() if c.extended_config.get("ClientName") == spec.name), None
            )
            if existing is not None:
                existing.extended_config.update(copy.deepcopy(spec.config))
                continue
            config = {"ClientName": spec.name, "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"],
                      "PreventUserExistenceErrors": "ENABLED", **copy.deepcopy(spec.config)}  # fmt: skip
            client = backend.create_user_pool_client(entry.pool_id, spec.secret is not None, config)
            if spec.id:
                del pool.clients[client.id]
                client.id = spec.id
                pool.clients[spec.id] = client
            if spec.secret:
                client.secret = spec.secret
