"""Pools, clients and users: moto's storage, plus what moto does not keep (verifiers, MFA, lockout).

moto keeps pools, clients, users, attributes and the plain password; this module finds them the
way Cognito does (username, alias, email-as-username) and keeps a `UserState` beside each user.
Password changes made through moto (AdminSetUserPassword, ChangePassword, ConfirmForgotPassword...)
are noticed by `observe()`, which drops the stale SRP verifier and restarts the
temporary-password clock.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.cognitoidp.models import (
    CognitoIdpBackend,
    CognitoIdpUser,
    CognitoIdpUserPool,
    CognitoIdpUserPoolClient,
    UserStatus,
)

from cognito_tui.core import srp
from cognito_tui.core.flows import DEFAULT_CLIENT_FLAGS
from cognito_tui.sandbox import errors, fastsrp
from cognito_tui.sandbox.clock import Clock

Pool = CognitoIdpUserPool
Client = CognitoIdpUserPoolClient
User = CognitoIdpUser

MFA_ORDER = ("SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP")
LEGACY_FLOWS = {  # old-style ExplicitAuthFlows values and what they allowed
    "ADMIN_NO_SRP_AUTH": {"ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
    "USER_PASSWORD_AUTH": {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
    "CUSTOM_AUTH_FLOW_ONLY": {"ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"},
}


@dataclass
class UserState:
    """Per-user facts moto has no field for (or gets wrong)."""

    password_seen: str | None = None
    password_set_at: float = 0.0
    verifier: tuple[int, int] | None = None  # (salt, v) for the password in password_seen
    failures: int = 0
    last_failure_at: float = 0.0
    locked_until: float = 0.0
    totp_secret: str | None = None
    totp_pending: str | None = None  # from AssociateSoftwareToken, until verified
    totp_verified: bool = False
    totp_enabled: bool = False
    totp_last_step: int = -1  # the newest TOTP time step used: codes are single-use
    friendly_device_name: str | None = None
    sms_enabled: bool = False
    email_enabled: bool = False
    preferred: str | None = None  # SMS_MFA | SOFTWARE_TOKEN_MFA | EMAIL_OTP
    passkey: bool = False
    device_group_key: str | None = None


@dataclass
class PoolExtras:
    """Pool settings moto refuses or drops: email MFA, passkeys, custom-auth triggers."""

    email_mfa: dict[str, Any] | None = None
    web_authn: dict[str, Any] = field(
        default_factory=lambda: {"RelyingPartyId": "localhost", "UserVerification": "preferred"}
    )
    triggers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    trigger_names: dict[str, str] = field(default_factory=dict)


class Directory:
    def __init__(self, backend: CognitoIdpBackend, clock: Clock) -> None:
        self.backend = backend
        self.clock = clock
        self.extras: dict[str, PoolExtras] = {}
        self._states: dict[tuple[str, str], UserState] = {}

    # --- pools and clients ------------------------------------------------------------------------

    def pools(self) -> list[Pool]:
        return list(self.backend.user_pools.values())

    def pool(self, pool_id: str) -> Pool:
        pool = self.backend.user_pools.get(pool_id)
        if pool is None:
            raise errors.resource_not_found(f"User pool {pool_id} does not exist.")
        return pool

    def extra(self, pool: Pool) -> PoolExtras:
        return self.extras.setdefault(pool.id, PoolExtras())

    def find_client(self, client_id: str) -> tuple[Pool, Client]:
        for pool in self.backend.user_pools.values():
            if client_id in pool.clients:
                return pool, pool.clients[client_id]
        raise errors.resource_not_found(f"User pool client {client_id} does not exist.")

    def client_in(self, pool: Pool, client_id: str) -> Client:
        client = pool.clients.get(client_id)
        if client is None:
            raise errors.resource_not_found(f"User pool client {client_id} does not exist.")
        return client

    @staticmethod
    def secret_of(client: Client) -> str | None:
        return client.secret if client.generate_secret else None

    def check_secret_hash(
        self, client: Client, username: str, given: str | None, wrong: errors.WireError | None = None
    ) -> None:
        """SECRET_HASH (section 4): required by a client with a secret, over this username."""
        secret = self.secret_of(client)
        if secret is None:
            if given:
                raise errors.secret_not_expected(client.id)
            return
        if not given:
            raise errors.secret_missing(client.id)
        if not secrets.compare_digest(given.encode(), srp.secret_hash(username, client.id, secret).encode()):
            raise wrong or errors.secret_wrong(client.id)

    @staticmethod
    def allowed_flows(client: Client) -> set[str]:
        flows = set(client.extended_config.get("ExplicitAuthFlows") or [])
        if not flows:
            return set(DEFAULT_CLIENT_FLAGS)
        allowed = {f for f in flows if f.startswith("ALLOW_")}
        for legacy, grants in LEGACY_FLOWS.items():
            if legacy in flows:
                allowed |= grants
        return allowed

    @staticmethod
    def hides_existence(client: Client) -> bool:
        return client.extended_config.get("PreventUserExistenceErrors", "LEGACY") == "ENABLED"

    @staticmethod
    def session_validity(client: Client) -> float:
        """Seconds a Session lives: AuthSessionValidity minutes (default 3)."""
        return float(client.extended_config.get("AuthSessionValidity") or 3) * 60

    # --- pool settings --------------------------------------------------------------------------------

    @staticmethod
    def config(pool: Pool, key: str, default: Any = None) -> Any:
        value = pool.extended_config.get(key)
        return default if value is None else value

    def pool_mfa_factors(self, pool: Pool) -> list[str]:
        """The MFA challenges the pool offers, in MFA_ORDER."""
        offered = []
        if pool.sms_mfa_config is not None:
            offered.append("SMS_MFA")
        if (pool.token_mfa_config or {}).get("Enabled"):
            offered.append("SOFTWARE_TOKEN_MFA")
        if self.extra(pool).email_mfa is not None:
            offered.append("EMAIL_OTP")
        return offered

    def first_factors(self, pool: Pool) -> list[str]:
        policy = self.config(pool, "Policies", {}).get("SignInPolicy") or {}
        return list(policy.get("AllowedFirstAuthFactors") or ["PASSWORD"])

    def device_configuration(self, pool: Pool) -> dict[str, Any] | None:
        return self.config(pool, "DeviceConfiguration")

    def required_attributes(self, pool: Pool) -> list[str]:
        return [a.name for a in pool.schema_attributes.values() if a.required and a.name != "sub"]

    def check_password_policy(self, pool: Pool, password: str) -> None:
        policy = self.config(pool, "Policies", {}).get("PasswordPolicy") or {}
        rules = [
            (len(password) >= policy.get("MinimumLength", 8), "Password not long enough"),
            (not policy.get("RequireLowercase", True) or any(c.islower() for c in password),
             "Password must have lowercase characters"),
            (not policy.get("RequireUppercase", True) or any(c.isupper() for c in password),
             "Password must have uppercase characters"),
            (not policy.get("RequireNumbers", True) or any(c.isdigit() for c in password),
             "Password must have numeric characters"),
            (not policy.get("RequireSymbols", True) or any(c in _SYMBOLS for c in password),
             "Password must have symbol characters"),
        ]  # fmt: skip
        for ok, problem in rules:
            if not ok:
                raise errors.WireError("InvalidPasswordException", f"Password did not conform with policy: {problem}")

    def temporary_password_days(self, pool: Pool) -> int:
        policy = self.config(pool, "Policies", {}).get("PasswordPolicy") or {}
        return int(policy.get("TemporaryPasswordValidityDays", 7))

    # --- users ----------------------------------------------------------------------------------------

    def find_user(self, pool: Pool, name: str) -> User | None:
        """By username, by email/phone when they are the username, or by a verified alias."""
        case_sensitive = (self.config(pool, "UsernameConfiguration", {}) or {}).get("CaseSensitive", True)
        user = pool.users.get(name)
        if user is None and not case_sensitive:
            user = next((u for u in pool.users.values() if u.username.lower() == name.lower()), None)
        if user is not None:
            return user
        for attribute in self.config(pool, "UsernameAttributes", []):
            for candidate in pool.users.values():
                if candidate.attribute_lookup.get(attribute) == name:
                    return candidate
        for attribute in self.config(pool, "AliasAttributes", []):
            verified = {"email": "email_verified", "phone_number": "phone_number_verified"}.get(attribute)
            for candidate in pool.users.values():
                attrs = candidate.attribute_lookup
                if attrs.get(attribute) == name and (verified is None or str(attrs.get(verified)).lower() == "true"):
                    return candidate
        return None

    def admin_user(self, pool: Pool, name: str) -> User:
        user = self.find_user(pool, name)
        if user is None:
            raise errors.user_not_found()
        return user

    def label(self, pool: Pool, user: User) -> str:
        """The name a person signs in with: the email/phone in email-as-username pools, else the username."""
        for attribute in self.config(pool, "UsernameAttributes", []):
            if attribute in user.attribute_lookup:
                return str(user.attribute_lookup[attribute])
        return user.username

    @staticmethod
    def attributes(user: User) -> dict[str, str]:
        return {k: str(v) for k, v in user.attribute_lookup.items()}

    def state(self, pool: Pool, user: User) -> UserState:
        key = (pool.id, user.id)
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = UserState(password_seen=user.password, password_set_at=self.clock.now())
        self.observe(state, user)
        return state

    def observe(self, state: UserState, user: User) -> None:
        """Notice a password changed behind our back (through moto) and forget what depended on it."""
        if state.password_seen != user.password:
            state.password_seen = user.password
            state.password_set_at = self.clock.now()
            state.verifier = None

    def observe_all(self) -> None:
        for pool in self.pools():
            for user in list(pool.users.values()):
                self.state(pool, user)

    def verifier(self, pool: Pool, user: User) -> tuple[int, int]:
        """(salt, v) for SRP, from the current password, the pool name and the real username."""
        state = self.state(pool, user)
        if state.verifier is None:
            state.verifier = fastsrp.make_verifier(srp.pool_name(pool.id), user.username, user.password or "")
        return state.verifier

    @staticmethod
    def password_matches(user: User, password: str) -> bool:
        return user.password is not None and secrets.compare_digest(user.password.encode(), password.encode())

    @staticmethod
    def set_status(user: User, status: str) -> None:
        user.status = UserStatus[status]  # moto compares statuses with `is`: always its enum members

    def mfa_settings(self, pool: Pool, user: User) -> list[str]:
        state = self.state(pool, user)
        enabled = {
            "SMS_MFA": state.sms_enabled,
            "SOFTWARE_TOKEN_MFA": state.totp_enabled,
            "EMAIL_OTP": state.email_enabled,
        }
        return [name for name in MFA_ORDER if enabled[name]]

    def mirror_mfa(self, pool: Pool, user: User) -> None:
        """Copy our MFA facts onto moto's user so whatever moto renders agrees."""
        state = self.state(pool, user)
        user.sms_mfa_enabled = state.sms_enabled
        user.software_token_mfa_enabled = state.totp_enabled
        user.token_verified = state.totp_verified
        user.preferred_mfa_setting = state.preferred or ""

    def device_group_key(self, pool: Pool, user: User) -> str:
        state = self.state(pool, user)
        if state.device_group_key is None:
            state.device_group_key = "-" + "".join(secrets.choice(_ALNUM) for _ in range(9))
        return state.device_group_key


_SYMBOLS = set("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_ALNUM = string.ascii_letters + string.digits


def status_name(user: User) -> str:
    """The user's status as Cognito spells it (moto stores its UserStatus members in a `str` field)."""
    status: Any = user.status
    return str(getattr(status, "value", status))
