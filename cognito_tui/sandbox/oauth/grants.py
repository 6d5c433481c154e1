"""What managed login issues: single-use codes, OAuth tokens with scopes, M2M tokens, and their checks.

Tokens are signed with the sandbox's key and registered with its TokenService, so revocation,
GlobalSignOut and GetUser treat them like every other token. OAuth access tokens carry `scope`
and `version: 2`; ID tokens the `nonce` and `at_hash`; M2M tokens have the client as `sub`.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from cognito_tui.sandbox.directory import Client, Pool, User
from cognito_tui.sandbox.tokens import SCOPE, AccessRecord, TokenService, _sign, _validity, issuer

CODE_LIFETIME = 300.0  # seconds: "single-use and valid 5 minutes"
SCOPE_ATTRIBUTES = {
    "email": ("email", "email_verified"),
    "phone": ("phone_number", "phone_number_verified"),
    "profile": ("name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile",
                "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at"),
}  # fmt: skip
OIDC = frozenset({"openid", "email", "phone", "profile", "aws.cognito.signin.user.admin"})


class OAuthError(Exception):
    """An OAuth refusal: `error` (and a description) with its HTTP status."""

    def __init__(self, error: str, status: int = 400, description: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.description = description

    def body(self) -> dict[str, str]:
        out = {"error": self.error}
        if self.description:
            out["error_description"] = self.description
        return out


@dataclass
class AuthCode:
    pool_id: str
    client_id: str
    username: str
    redirect_uri: str
    scopes: tuple[str, ...]
    nonce: str | None
    challenge: str | None
    issued_at: float
    auth_time: int
    origin: str | None = None  # the managed-login (SSO) session the code came from
    used: bool = False


@dataclass
class Grant:
    """What an OAuth refresh token (or access token) was granted: its scopes."""

    scopes: tuple[str, ...]
    client_id: str
    pool_id: str
    username: str | None = None  # None: an M2M token


@dataclass
class Grants:
    tokens: TokenService
    codes: dict[str, AuthCode] = field(default_factory=dict)
    by_refresh: dict[str, Grant] = field(default_factory=dict)
    by_access: dict[str, Grant] = field(default_factory=dict)
    m2m_expiry: dict[str, float] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # refresh-token family -> its SSO session id

    @property
    def clock(self) -> Any:
        return self.tokens.clock

    # --- codes ----------------------------------------------------------------------------------------

    def new_code(self, pool: Pool, client: Client, user: User, redirect_uri: str, scopes: tuple[str, ...],
                 nonce: str | None, challenge: str | None, auth_time: int, origin: str | None = None) -> str:  # fmt: skip
        self._forget_old_codes()
        code = str(uuid.uuid4())
        self.codes[code] = AuthCode(pool.id, client.id, user.username, redirect_uri, scopes, nonce, challenge,
                                    self.clock.now(), auth_time, origin)  # fmt: skip
        return code

    def redeem(self, client: Client, code: str, redirect_uri: str | None, verifier: str | None) -> AuthCode:
        """A code for this client, once, within its lifetime, with the matching verifier."""
        if not code:
            raise OAuthError("invalid_request")
        record = self.codes.get(code)
        if record is None or record.used or record.client_id != client.id:
            raise OAuthError("invalid_grant")
        record.used = True  # single use, even when what follows fails
        if self.clock.now() - record.issued_at > CODE_LIFETIME:
            raise OAuthError("invalid_grant")
        if redirect_uri != record.redirect_uri:
            raise OAuthError("unauthorized_client", description="invalid_redirect")
        if record.challenge is not None:
            if not verifier or not secrets.compare_digest(_s256(verifier), record.challenge):
                raise OAuthError("invalid_grant")  # RFC 7636 section 4.6 (Cognito's answer: unconfirmed)
        return record

    def _forget_old_codes(self) -> None:
        now = self.clock.now()
        for code in [c for c, r in self.codes.items() if now - r.issued_at > 3600]:
            del self.codes[code]

    # --- user tokens ----------------------------------------------------------------------------------

    def issue(self, pool: Pool, client: Client, user: User, scopes: tuple[str, ...], *, nonce: str | None = None,
              auth_time: int | None = None, family: str | None = None, with_refresh: bool = True,
              with_id: bool = True, origin: str | None = None) -> dict[str, Any]:  # fmt: skip
        """An /oauth2/token answer for a user: access (+ id with openid) (+ refresh)."""
        now = int(self.clock.now())
        auth_time = auth_time or now
        family = family or str(uuid.uuid4())
        if origin:
            self.origins[family] = origin
        service = self.tokens
        common = {"auth_time": auth_time, "iat": now, "origin_jti": family, "event_id": str(uuid.uuid4())}
        access_life = _validity(client, "AccessToken", 60, "minutes")
        access = _sign({"sub": user.id, **service._groups(user), "iss": issuer(pool.id), "version": 2,
                        "client_id": client.id, "token_use": "access", "scope": " ".join(scopes), **common,
                        "exp": now + access_life, "jti": str(uuid.uuid4()), "username": user.username}, "access")  # fmt: skip
        service.access[access] = AccessRecord(pool.id, client.id, user.username, family, now + access_life)
        pool.access_tokens[access] = (client.id, user.username)
        grant = Grant(scopes, client.id, pool.id, user.username)
        self.by_access[access] = grant
        result: dict[str, Any] = {}
        if with_id and "openid" in scopes:
            id_claims = {"at_hash": _at_hash(access), "sub": user.id, **service._groups(user),
                         **service._readable_attributes(client, user), "iss": issuer(pool.id),
                         "cognito:username": user.username, "aud": client.id, "token_use": "id", **common,
                         "exp": now + _validity(client, "IdToken", 60, "minutes"), "jti": str(uuid.uuid4())}  # fmt: skip
            if nonce:
                id_claims["nonce"] = nonce
            id_token = _sign(id_claims, "id")
            pool.id_tokens[id_token] = (client.id, user.username)
            result["id_token"] = id_token
        result["access_token"] = access
        if with_refresh:
            refresh = service._new_refresh(pool, client, user, family, auth_time, None)
            self.by_refresh[refresh] = grant
            result["refresh_token"] = refresh
        result.update({"expires_in": access_life, "token_type": "Bearer"})
        return result

    def refresh(self, client: Client, token: str) -> dict[str, Any]:
        if not token:
            raise OAuthError("invalid_request")
        try:
            record = self.tokens.refresh_record(token, client)
            pool, user = self.tokens.live_user(record.pool_id, record.username)
        except Exception as exc:  # the TokenService's refusals: revoked, expired, other client, user gone
            raise OAuthError("invalid_grant") from exc
        if record.device_key or record.replaced_by:
            raise OAuthError("invalid_grant")
        grant = self.by_refresh.get(token)
        scopes = grant.scopes if grant is not None else (SCOPE,)  # an InitiateAuth refresh token
        return self.issue(pool, client, user, scopes, auth_time=record.auth_time, family=record.family,
                          with_refresh=False)  # fmt: skip

    # --- machine to machine -----------------------------------------------------------------------------

    def issue_m2m(self, pool: Pool, client: Client, scopes: tuple[str, ...]) -> dict[str, Any]:
        now = int(self.clock.now())
        life = _validity(client, "AccessToken", 60, "minutes")
        token = _sign({"sub": client.id, "token_use": "access", "scope": " ".join(scopes), "auth_time": now,
                       "iss": issuer(pool.id), "exp": now + life, "iat": now, "version": 2,
                       "jti": str(uuid.uuid4()), "client_id": client.id}, "access")  # fmt: skip
        self.by_access[token] = Grant(scopes, client.id, pool.id, None)
        self.m2m_expiry[token] = now + life
        return {"access_token": token, "expires_in": life, "token_type": "Bearer"}

    # --- userInfo -------------------------------------------------------------------------------------

    def userinfo(self, access_token: str) -> dict[str, Any]:
        grant = self.by_access.get(access_token)
        if grant is None or grant.username is None:
            raise OAuthError("invalid_token", 401, _EXPIRED)  # InitiateAuth and M2M tokens are refused
        try:
            pool, user, record = self.tokens.authorize(access_token)
        except Exception as exc:
            raise OAuthError("invalid_token", 401, _EXPIRED) from exc
        if "openid" not in grant.scopes:
            raise OAuthError("invalid_token", 401, "Access token does not contain openid scope")  # status unconfirmed
        client = pool.clients.get(grant.client_id)
        readable = set(client.extended_config.get("ReadAttributes") or []) if client is not None else set()
        wanted = {a for s in grant.scopes for a in SCOPE_ATTRIBUTES.get(s, ())}
        out: dict[str, Any] = {"sub": user.id}
        for name, value in user.attribute_lookup.items():
            if name == "sub" or (readable and name not in readable):
                continue
            if wanted and name not in wanted and not name.startswith("custom:"):
                continue
            out[name] = str(value)  # *_verified are strings here, booleans in the ID token
        out["username"] = user.username
        return out

    def unreadable_scope(self, client: Client, scopes: tuple[str, ...]) -> str | None:
        """A requested email/phone scope whose attributes the client may not all read (-> invalid_grant)."""
        readable = client.extended_config.get("ReadAttributes")
        if not readable:
            return None
        for scope in ("email", "phone"):
            if scope in scopes and not all(a in readable for a in SCOPE_ATTRIBUTES[scope]):
                return scope
        return None


_EXPIRED = "Access token is expired, disabled, or deleted, or the user has globally signed out."


def _s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii", "replace")).digest()).rstrip(b"=").decode()


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode()
