"""The sandbox's seed: pools, clients and users in a small YAML file, read and checked here.

Every problem is reported as `SeedError("<file>: line <n>: <field>: <problem>")` so a typo in a
hand-written seed points at its line of YAML, not at a traceback from deep inside the server. The YAML
is read through core.yamltree, the bounded line-tracking tree the profile store uses too, so a hostile
seed (billion laughs, a recursive alias, a merge key naming a scalar) is refused with its line.
"""

from __future__ import annotations

import difflib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cognito_tui.core.flows import FLOWS, POOL_ID_RE
from cognito_tui.core.yamltree import Path as TreePath
from cognito_tui.core.yamltree import Tree, TreeLimit, dotted

DEMO_SEED = "demo_seed.yaml"

AUTH_FLOWS = list(FLOWS)  # the AuthFlow values, from core
CLIENT_FLOWS = [
    "ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_AUTH", "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH_FLOW_ONLY",
]  # fmt: skip
FIRST_FACTORS = ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]
MFA_FACTORS = ["SMS", "TOTP", "EMAIL"]
USER_STATUSES = ["CONFIRMED", "UNCONFIRMED", "FORCE_CHANGE_PASSWORD", "RESET_REQUIRED"]
STANDARD_ATTRIBUTES = [
    "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "email", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "address", "updated_at",
]  # fmt: skip
TRIGGERS = ["define_auth_challenge", "create_auth_challenge", "verify_auth_challenge_response"]
_BASE32 = re.compile(r"^[A-Z2-7]{16,}$")
_POOL_ID = POOL_ID_RE
_CLIENT_ID = re.compile(r"^[\w+]{1,128}$")
_SECRET = re.compile(r"^[\w+]{24,64}$")


class SeedError(ValueError):
    """A seed file that cannot be used; the message names the file and the field."""

    def __init__(self, source: str, field_path: str, problem: str, line: int | None = None) -> None:
        super().__init__(f"{source}: {f'line {line}: ' if line else ''}{field_path}: {problem}")
        self.source = source
        self.field = field_path
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class ClientSeed:
    name: str
    id: str
    secret: str | None
    flows: tuple[str, ...]
    prevent_user_existence_errors: str = "ENABLED"
    auth_session_validity: int = 3  # minutes
    refresh_token_rotation: bool = False
    rotation_grace_seconds: int = 0
    token_revocation: bool = True
    access_token_validity: int = 60  # minutes
    id_token_validity: int = 60  # minutes
    refresh_token_validity: int = 30  # days


@dataclass(frozen=True)
class UserSeed:
    username: str  # what the user types: the username, or the email in an email-as-username pool
    password: str
    scenario: str | None = None
    description: str | None = None
    flow: str | None = None
    client: str | None = None
    status: str = "CONFIRMED"
    enabled: bool = True
    attributes: dict[str, str] = field(default_factory=dict)
    mfa: tuple[str, ...] = ()  # enabled factors, from MFA_FACTORS
    preferred_mfa: str | None = None
    totp_secret: str | None = None
    passkey: bool = False


@dataclass(frozen=True)
class PoolSeed:
    id: str
    name: str
    tier: str = "ESSENTIALS"
    mfa: str = "OFF"
    mfa_factors: tuple[str, ...] = ()
    alias_attributes: tuple[str, ...] = ()
    username_attributes: tuple[str, ...] = ()
    required_attributes: tuple[str, ...] = ()
    first_factors: tuple[str, ...] = ("PASSWORD",)
    device_tracking: dict[str, bool] | None = None
    password_policy: dict[str, Any] = field(default_factory=dict)
    triggers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    trigger_names: dict[str, str] = field(default_factory=dict)
    clients: tuple[ClientSeed, ...] = ()
    users: tuple[UserSeed, ...] = ()


@dataclass(frozen=True)
class Seed:
    region: str
    pools: tuple[PoolSeed, ...]
    source: str


def load_seed(path: str | Path | None = None) -> Seed:
    """Read and check a seed file; None means the packaged demo seed."""
    if path is None:
        source = f"{DEMO_SEED} (packaged)"
        text = resources.files("cognito_tui.sandbox").joinpath(DEMO_SEED).read_text(encoding="utf-8")
    else:
        source = str(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SeedError(source, "(file)", exc.strerror or str(exc)) from None
    tree = _compose(text, source)
    return _read_seed(_Node(source, tree, (), tree.data))


def _compose(text: str, source: str) -> Tree:
    """The seed's YAML as a bounded Tree (core.yamltree); its first problem, or what stopped it, is a SeedError."""
    loader = yaml.SafeLoader("")
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml: ~10x faster
        if root is None:
            raise SeedError(source, "(top level)", "is empty")
        tree = Tree(root, lambda node: loader.construct_object(node, deep=True))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise SeedError(source, where, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    except TreeLimit as exc:
        raise SeedError(source, "(file)", f"not read: {exc}", exc.line) from None
    except RecursionError:
        raise SeedError(source, "(file)", "not read: nested too deeply; flatten the YAML") from None
    if tree.problems:  # the first one, like every other seed mistake
        path, problem = tree.problems[0]
        raise SeedError(source, dotted(path) or "(top level)", problem, tree.line(path))
    return tree


# --- a small checked reader over the parsed YAML --------------------------------------------------


class _Node:
    """One mapping of the YAML with its path, so every error names `pools[0].users[2].mfa`."""

    def __init__(self, source: str, tree: Tree, where: TreePath, data: Any) -> None:
        self.source, self.tree, self.where, self.data = source, tree, where, data
        if not isinstance(data, dict):
            raise self.error("must be a mapping" if data is not None else "is empty")
        self._seen: set[str] = set()

    def error(self, problem: str, key: str | None = None) -> SeedError:
        where = self.where if key is None else (*self.where, key)
        return SeedError(self.source, dotted(where) or "(top level)", problem, self.tree.line(where))

    def raw(self, key: str, default: Any = None, required: bool = False) -> Any:
        self._seen.add(key)
        if key not in self.data or self.data[key] is None:
            if required:
                typo = difflib.get_close_matches(key, [str(k) for k in self.data if k != key], n=1)
                if typo:
                    raise self.error(f"unknown setting (did you mean {key!r}?)", typo[0])
                raise self.error("is required", key)
            return default
        return self.data[key]

    def text(self, key: str, default: str | None = None, *, required: bool = False,
             choices: list[str] | None = None, pattern: re.Pattern[str] | None = None) -> Any:  # fmt: skip
        value = self.raw(key, default, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.error(f"must be a string, not {type(value).__name__}", key)
        value = str(value)
        if choices is not None and value not in choices:
            raise self.error(f"{value!r} is not one of {', '.join(choices)}", key)
        if pattern is not None and not pattern.match(value):
            raise self.error(f"{value!r} does not match {pattern.pattern}", key)
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.error(f"must be true or false, not {value!r}", key)
        return value

    def number(self, key: str, default: int, low: int, high: int) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.error(f"must be a whole number from {low} to {high}, not {value!r}", key)
        return value

    def names(self, key: str, choices: list[str] | None = None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = self.raw(key, list(default))
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error("must be a list of strings", key)
        for v in value:
            if choices is not None and v not in choices:
                raise self.error(f"{v!r} is not one of {', '.join(choices)}", key)
        return tuple(value)

    def child(self, key: str, required: bool = False) -> _Node | None:
        value = self.raw(key, required=required)
        return None if value is None else _Node(self.source, self.tree, (*self.where, key), value)

    def items(self, key: str) -> list[_Node]:
        value = self.raw(key, [])
        if not isinstance(value, list):
            raise self.error("must be a list", key)
        return [_Node(self.source, self.tree, (*self.where, key, i), item) for i, item in enumerate(value)]

    def done(self) -> None:
        """Refuse keys nobody read: a misspelt setting must not be silently ignored."""
        unknown = sorted(str(k) for k in set(self.data) - self._seen)
        if unknown:
            near = difflib.get_close_matches(unknown[0], sorted(self._seen), n=1)
            hint = f"did you mean {near[0]!r}?" if near else "check the spelling"
            raise self.error(f"unknown setting ({hint})", unknown[0])


def _read_seed(top: _Node) -> Seed:
    region = top.text("region", "us-east-1", pattern=re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$"))
    pools = tuple(_read_pool(node, region) for node in top.items("pools"))
    top.done()
    if not pools:
        raise top.error("needs at least one pool", "pools")
    _unique(top, "pools", [p.id for p in pools], "id")
    _unique(top, "pools", [c.id for p in pools for c in p.clients], "clients[].id")
    return Seed(region=region, pools=pools, source=top.source)


def _unique(node: _Node, key: str, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise node.error(f"{what} {value!r} appears twice", key)
        seen.add(value)


def _read_pool(node: _Node, region: str) -> PoolSeed:
    pool_id = node.text("id", required=True, pattern=_POOL_ID)
    if pool_id.split("_", 1)[0] != region:
        raise node.error(f"the region part of {pool_id!r} is not the seed's region {region!r}", "id")
    if isinstance(node.data.get("mfa"), bool):  # YAML 1.1 reads a bare ON/OFF as a boolean
        node.data["mfa"] = "ON" if node.data["mfa"] else "OFF"
    mfa = node.text("mfa", "OFF", choices=["OFF", "OPTIONAL", "ON"])
    factors = node.names("mfa_factors", MFA_FACTORS)
    if mfa != "OFF" and not factors:
        raise node.error("MFA OPTIONAL or ON needs at least one factor", "mfa_factors")
    device = node.child("device_tracking")
    device_tracking = None
    if device is not None:
        device_tracking = {
            "ChallengeRequiredOnNewDevice": device.flag("challenge_required_on_new_device", True),
            "DeviceOnlyRememberedOnUserPrompt": device.flag("only_remembered_on_user_prompt", False),
        }
        device.done()
    triggers, trigger_names = _read_triggers(node.child("triggers"))
    pool = PoolSeed(
        id=pool_id,
        name=node.text("name", required=True),
        tier=node.text("tier", "ESSENTIALS", choices=["LITE", "ESSENTIALS", "PLUS"]),
        mfa=mfa,
        mfa_factors=factors,
        alias_attributes=node.names("alias_attributes", ["email", "phone_number", "preferred_username"]),
        username_attributes=node.names("username_attributes", ["email", "phone_number"]),
        required_attributes=node.names("required_attributes", STANDARD_ATTRIBUTES),
        first_factors=node.names("first_factors", FIRST_FACTORS, ("PASSWORD",)),
        device_tracking=device_tracking,
        password_policy=_read_policy(node.child("password_policy")),
        triggers=triggers,
        trigger_names=trigger_names,
        clients=tuple(_read_client(c) for c in node.items("clients")),
        users=(),
    )
    if pool.alias_attributes and pool.username_attributes:
        raise node.error("a pool has alias_attributes or username_attributes, not both", "alias_attributes")
    if "PASSWORD" not in pool.first_factors:
        raise node.error("must include PASSWORD", "first_factors")
    users = tuple(_read_user(u, pool) for u in node.items("users"))
    node.done()
    _unique(node, "clients", [c.name for c in pool.clients], "client name")
    _unique(node, "users", [u.username for u in users], "username")
    return replace(pool, users=users)


def _read_policy(node: _Node | None) -> dict[str, Any]:
    if node is None:
        return {}
    policy = {
        "MinimumLength": node.number("minimum_length", 8, 6, 99),
        "RequireUppercase": node.flag("require_uppercase", True),
        "RequireLowercase": node.flag("require_lowercase", True),
        "RequireNumbers": node.flag("require_numbers", True),
        "RequireSymbols": node.flag("require_symbols", True),
        "TemporaryPasswordValidityDays": node.number("temporary_password_validity_days", 7, 0, 365),
    }
    node.done()
    return policy


def _read_triggers(node: _Node | None) -> tuple[dict[str, Callable[..., Any]], dict[str, str]]:
    if node is None:
        return {}, {}
    functions: dict[str, Callable[..., Any]] = {}
    names: dict[str, str] = {}
    for key in TRIGGERS:
        name = node.text(key)
        if name is None:
            continue
        try:
            functions[key] = resolve_trigger(name)
        except LookupError as exc:
            raise node.error(str(exc), key) from None
        names[key] = name
    node.done()
    if functions and len(functions) != len(TRIGGERS):
        raise node.error(f"custom authentication needs all three: {', '.join(TRIGGERS)}")
    return functions, names


def resolve_trigger(name: str) -> Callable[..., Any]:
    """A function of cognito_tui.sandbox.triggers by name, or any `package.module:function`."""
    module_name, _, attr = name.rpartition(":") if ":" in name else ("cognito_tui.sandbox.triggers", ":", name)
    try:
        function = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError):
        raise LookupError(f"no trigger function {name!r}") from None
    if not callable(function):
        raise LookupError(f"{name!r} is not a function")
    return function


def _read_client(node: _Node) -> ClientSeed:
    rotation = node.child("refresh_token_rotation")
    rotation_on, grace = False, 0
    if rotation is not None:
        rotation_on = rotation.flag("enabled", True)
        grace = rotation.number("retry_grace_period_seconds", 0, 0, 60)
        rotation.done()
    client = ClientSeed(
        name=node.text("name", required=True),
        id=node.text("id", required=True, pattern=_CLIENT_ID),
        secret=node.text("secret", pattern=_SECRET),
        flows=node.names("flows", CLIENT_FLOWS),
        prevent_user_existence_errors=node.text(
            "prevent_user_existence_errors", "ENABLED", choices=["ENABLED", "LEGACY"]
        ),
        auth_session_validity=node.number("auth_session_validity", 3, 3, 15),
        refresh_token_rotation=rotation_on,
        rotation_grace_seconds=grace,
        token_revocation=node.flag("token_revocation", True),
        access_token_validity=node.number("access_token_validity", 60, 5, 1440),
        id_token_validity=node.number("id_token_validity", 60, 5, 1440),
        refresh_token_validity=node.number("refresh_token_validity", 30, 1, 3650),
    )
    node.done()
    return client


def _read_user(node: _Node, pool: PoolSeed) -> UserSeed:
    attributes = _read_attributes(node.child("attributes"))
    mfa_node = node.child("mfa")
    enabled: tuple[str, ...] = ()
    preferred = None
    if mfa_node is not None:
        enabled = tuple(f for f in MFA_FACTORS if mfa_node.flag(f.lower(), False))
        preferred = mfa_node.text("preferred", choices=MFA_FACTORS)
        mfa_node.done()
        if preferred and preferred not in enabled:
            raise mfa_node.error(f"{preferred} is preferred but not enabled", "preferred")
        for factor in enabled:
            if factor not in pool.mfa_factors:
                raise mfa_node.error(f"the pool does not offer {factor} MFA (mfa_factors)", factor.lower())
    user = UserSeed(
        username=node.text("username", required=True),
        password=node.text("password", required=True),
        scenario=node.text("scenario"),
        description=node.text("description"),
        flow=node.text("flow", choices=AUTH_FLOWS),
        client=node.text("client", choices=[c.name for c in pool.clients] or ["(the pool has no clients)"]),
        status=node.text("status", "CONFIRMED", choices=USER_STATUSES),
        enabled=node.flag("enabled", True),
        attributes=attributes,
        mfa=enabled,
        preferred_mfa=preferred,
        totp_secret=node.text("totp_secret", pattern=_BASE32),
        passkey=node.flag("passkey", False),
    )
    node.done()
    if "TOTP" in user.mfa and not user.totp_secret:
        raise node.error("TOTP MFA needs a totp_secret (Base32, 16+ characters)", "totp_secret")
    if "SMS" in user.mfa and "phone_number" not in attributes:
        raise node.error("SMS MFA needs a phone_number attribute", "attributes")
    if "EMAIL" in user.mfa and "email" not in attributes and "email" not in pool.username_attributes:
        raise node.error("email MFA needs an email attribute", "attributes")
    if pool.username_attributes and "@" not in user.username and "email" in pool.username_attributes:
        if "phone_number" not in pool.username_attributes:
            raise node.error("this pool signs in by email: the username must be an email address", "username")
    return user


def _read_attributes(node: _Node | None) -> dict[str, str]:
    if node is None:
        return {}
    attributes: dict[str, str] = {}
    for key in list(node.data):
        value = node.raw(key)
        if isinstance(value, bool):
            value = "true" if value else "false"
        if not isinstance(value, (str, int)):
            raise node.error("attribute values are strings", key)
        attributes[str(key)] = str(value)
    node.done()
    return attributes
