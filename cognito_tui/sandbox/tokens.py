"""ID, access and refresh tokens: signed with moto's key, tracked for revocation and rotation.

The ID and access tokens are RS256 JWTs signed, as Cognito signs them, with two RSA keys (one
for ID tokens, one for access tokens, opaque base64 `kid`s) made once per process, so they verify
by `kid` against the JWKS the sandbox serves at `<endpoint>/<pool id>/.well-known/jwks.json`.
The issuer claim is the AWS URL `https://cognito-idp.<region>.amazonaws.com/<pool id>`, as in
real tokens: a verifier must take the issuer and the JWKS location separately.
Refresh tokens are opaque (JWE-shaped) strings, as Cognito's are. Times come from the sandbox
clock, so a test can expire tokens without waiting.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Client, Directory, Pool, User

SCOPE = "aws.cognito.signin.user.admin"
_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
MAX_TOKENS = 5_000  # access and refresh tokens remembered each (~5 KB a sign-in); the oldest forgotten beyond
_BOOLEAN_CLAIMS = {"email_verified", "phone_number_verified"}
_key_lock = threading.Lock()


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: Any  # a joserfc RSAKey with its private part


@functools.cache
def _keys() -> dict[str, SigningKey]:
    """Two RSA keys as Cognito has, one for ID tokens and one for access tokens, with opaque base64 kids."""
    from joserfc import jwk

    keys = {}
    for use in ("id", "access"):
        key = jwk.RSAKey.generate_key(2048, private=True)
        modulus = base64.urlsafe_b64decode(str(key.as_dict(private=False)["n"]) + "==")
        keys[use] = SigningKey(base64.b64encode(hashlib.sha256(modulus).digest()).decode("ascii"), key)
    return keys


def keys() -> dict[str, SigningKey]:
    """The process's token keys by token use ("id", "access"), made on first use (~0.3 s)."""
    with _key_lock:
        return _keys()


def signing_key(use: str = "id") -> Any:
    return keys()[use].key


@functools.cache
def public_jwks() -> bytes:
    entries = []
    for signing in keys().values():
        public = signing.key.as_dict(private=False)
        entries.append(
            {"alg": "RS256", "e": public["e"], "kid": signing.kid, "kty": "RSA", "n": public["n"], "use": "sig"}
        )
    return json.dumps({"keys": entries}).encode("utf-8")


def issuer(pool_id: str) -> str:
    return f"https://cognito-idp.{pool_id.split('_', 1)[0]}.amazonaws.com/{pool_id}"


@dataclass
class AccessRecord:
    pool_id: str
    client_id: str
    username: str
    family: str  # origin_jti: one per refresh-token lineage
    expires_at: float
    device_key: str | None = None
    revoked: bool = False
    id_token: str = ""  # issued with it, forgotten with it


@dataclass
class RefreshRecord:
    pool_id: str
    client_id: str
    username: str
    family: str
    auth_time: int
    expires_at: float
    device_key: str | None = None
    revoked: bool = False
    replaced_by: str | None = None  # rotation: the token that superseded this one
    rotated_at: float = 0.0


class TokenService:
    def __init__(self, directory: Directory, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock
        self.access: dict[str, AccessRecord] = {}
        self.refresh: dict[str, RefreshRecord] = {}

    # --- issuing --------------------------------------------------------------------------------------

    def issue(
        self,
        pool: Pool,
        client: Client,
        user: User,
        *,
        auth_time: int | None = None,
        family: str | None = None,
        device_key: str | None = None,
        with_refresh: bool = True,
    ) -> dict[str, Any]:
        """An AuthenticationResult: AccessToken, ExpiresIn, TokenType, IdToken (and RefreshToken)."""
        now = int(self.clock.now())
        auth_time = auth_time or now
        family = family or str(uuid.uuid4())
        common = {"auth_time": auth_time, "iat": now, "origin_jti": family, "event_id": str(uuid.uuid4())}
        access_life = _validity(client, "AccessToken", 60, "minutes")
        access_claims = {
            "sub": user.id,
            **self._groups(user),
            "iss": issuer(pool.id),
            "client_id": client.id,
            "token_use": "access",
            "scope": SCOPE,
            **common,
            "exp": now + access_life,
            "jti": str(uuid.uuid4()),
            "username": user.username,
        }
        if device_key:
            access_claims["device_key"] = device_key
        id_claims = {
            "sub": user.id,
            **self._groups(user),
            **self._readable_attributes(client, user),
            "iss": issuer(pool.id),
            "cognito:username": user.username,
            "aud": client.id,
            "token_use": "id",
            **common,
            "exp": now + _validity(client, "IdToken", 60, "minutes"),
            "jti": str(uuid.uuid4()),
        }
        access_token, id_token = _sign(access_claims, "access"), _sign(id_claims, "id")
        self._bound(self.access, "access_tokens")
        self.access[access_token] = AccessRecord(
            pool.id, client.id, user.username, family, now + access_life, device_key, id_token=id_token
        )
        pool.access_tokens[access_token] = (client.id, user.username)  # so moto's own token checks pass
        pool.id_tokens[id_token] = (client.id, user.username)
        result: dict[str, Any] = {"AccessToken": access_token, "ExpiresIn": access_life, "TokenType": "Bearer"}
        if with_refresh:
            result["RefreshToken"] = self._new_refresh(pool, client, user, family, auth_time, device_key)
        result["IdToken"] = id_token
        return result

    def _new_refresh(
        self, pool: Pool, client: Client, user: User, family: str, auth_time: int, device_key: str | None
    ) -> str:
        self._bound(self.refresh, "refresh_tokens")
        token = _opaque_refresh_token()
        life = _validity(client, "RefreshToken", 30, "days")
        self.refresh[token] = RefreshRecord(
            pool.id, client.id, user.username, family, auth_time, self.clock.now() + life, device_key
        )
        pool.refresh_tokens[token] = (client.id, user.username, family)
        return token

    def _bound(self, records: dict[str, Any], moto_attribute: str) -> None:
        """Forget the oldest tokens beyond MAX_TOKENS (as Cognito caps token sessions): memory stays flat."""
        while len(records) >= MAX_TOKENS:
            token, record = next(iter(records.items()))
            del records[token]
            pool = self.directory.backend.user_pools.get(record.pool_id)
            if pool is not None:
                getattr(pool, moto_attribute).pop(token, None)
                if moto_attribute == "access_tokens":
                    pool.id_tokens.pop(record.id_token, None)

    @staticmethod
    def _groups(user: User) -> dict[str, Any]:
        return {"cognito:groups": sorted(g.group_name for g in user.groups)} if user.groups else {}

    @staticmethod
    def _readable_attributes(client: Client, user: User) -> dict[str, Any]:
        readable = client.extended_config.get("ReadAttributes")
        claims: dict[str, Any] = {}
        for name, value in user.attribute_lookup.items():
            if name == "sub" or (readable and name not in readable):
                continue
            if name in _BOOLEAN_CLAIMS:
                claims[name] = str(value).lower() == "true"
            elif name == "updated_at" and str(value).isdigit():
                claims[name] = int(value)
            else:
                claims[name] = str(value)
        return claims

    # --- checking -------------------------------------------------------------------------------------

    def authorize(self, access_token: str) -> tuple[Pool, User, AccessRecord]:
        """The pool, user and record behind an access token, or Cognito's refusal."""
        record = self.access.get(access_token or "")
        if record is None:
            raise errors.not_authorized("Invalid Access Token")
        if record.revoked:
            raise errors.not_authorized("Access Token has been revoked")
        if self.clock.now() >= record.expires_at:
            raise errors.not_authorized("Access Token has expired")
        return (*self.live_user(record.pool_id, record.username), record)

    def refresh_record(self, token: str, client: Client) -> RefreshRecord:
        record = self.refresh.get(token or "")
        if record is None or record.client_id != client.id:
            raise errors.not_authorized("Invalid Refresh Token")
        if record.revoked:
            raise errors.not_authorized("Refresh Token has been revoked")
        if self.clock.now() >= record.expires_at:
            raise errors.not_authorized("Refresh Token has expired")
        return record

    def live_user(self, pool_id: str, username: str) -> tuple[Pool, User]:
        """The token's user, still there and enabled."""
        pool = self.directory.pool(pool_id)
        user = pool.users.get(username)
        if user is None:
            raise errors.user_not_found()
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        return pool, user

    # --- using a refresh token ------------------------------------------------------------------------

    def refresh_auth(self, client: Client, params: dict[str, str]) -> dict[str, Any]:
        """InitiateAuth REFRESH_TOKEN_AUTH: new ID and access tokens, no new refresh token."""
        token = params.get("REFRESH_TOKEN")
        if not token:
            raise errors.missing("REFRESH_TOKEN")
        record = self.refresh_record(token, client)
        mismatch = errors.not_authorized(f"SecretHash does not match for the client: {client.id}")
        self.directory.check_secret_hash(client, record.username, params.get("SECRET_HASH"), wrong=mismatch)
        if _rotation(client)[0]:
            raise errors.invalid_parameter(
                "Refresh token rotation is enabled for this app client: use GetTokensFromRefreshToken."
            )
        if record.device_key and params.get("DEVICE_KEY") != record.device_key:
            raise errors.not_authorized("Invalid Refresh Token")
        if record.replaced_by:
            raise errors.not_authorized("Invalid Refresh Token")
        pool, user = self.live_user(record.pool_id, record.username)
        result = self.issue(pool, client, user, auth_time=record.auth_time, family=record.family,
                            device_key=record.device_key, with_refresh=False)  # fmt: skip
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    def get_tokens_from_refresh_token(self, client: Client, body: dict[str, Any]) -> dict[str, Any]:
        """GetTokensFromRefreshToken: with rotation on, a new refresh token replaces the old one."""
        record = self.refresh_record(body.get("RefreshToken", ""), client)
        if record.device_key and body.get("DeviceKey") != record.device_key:
            raise errors.not_authorized("Invalid Refresh Token")
        rotation, grace = _rotation(client)
        now = self.clock.now()
        if record.replaced_by and now > record.rotated_at + grace:
            raise errors.WireError("RefreshTokenReuseException", "Refresh token has already been used.")
        pool, user = self.live_user(record.pool_id, record.username)
        result = self.issue(pool, client, user, auth_time=record.auth_time, family=record.family,
                            device_key=record.device_key, with_refresh=False)  # fmt: skip
        if rotation:
            if record.replaced_by is None:
                record.replaced_by = self._new_refresh(
                    pool, client, user, record.family, record.auth_time, record.device_key
                )
                record.rotated_at = now
            result["RefreshToken"] = record.replaced_by
        return {"AuthenticationResult": result}

    # --- ending sessions ------------------------------------------------------------------------------

    def revoke(self, client: Client, token: str) -> None:
        """RevokeToken: the refresh token, its lineage, and the access tokens issued from them."""
        record = self.refresh.get(token)
        if record is None:
            if token.count(".") == 2:
                raise errors.WireError("UnsupportedTokenTypeException", "The token is not a refresh token.")
            return  # an unknown refresh token: nothing to revoke (RFC 7009)
        if record.client_id != client.id:
            raise errors.WireError("UnauthorizedException", f"The token was not issued to client {client.id}.")
        self._revoke_where(lambda r: r.family == record.family and r.pool_id == record.pool_id)

    def sign_out(self, pool: Pool, user: User) -> None:
        """GlobalSignOut / AdminUserGlobalSignOut: every token of the user, in every client."""
        self._revoke_where(lambda r: r.pool_id == pool.id and r.username == user.username)
        pool.sign_out(user.username)

    def _revoke_where(self, match: Any) -> None:
        for token, refresh in self.refresh.items():
            if match(refresh):
                refresh.revoked = True
                pool = self.directory.backend.user_pools.get(refresh.pool_id)
                if pool is not None:
                    pool.refresh_tokens[token] = None
        for token, access in self.access.items():
            if match(access):
                access.revoked = True
                pool = self.directory.backend.user_pools.get(access.pool_id)
                if pool is not None:
                    pool.access_tokens.pop(token, None)


def _validity(client: Client, kind: str, default: int, default_unit: str) -> int:
    """A token lifetime in seconds from the client's <kind>Validity and TokenValidityUnits."""
    config = client.extended_config
    value = config.get(f"{kind}Validity") or default
    unit = (config.get("TokenValidityUnits") or {}).get(kind) or default_unit
    return int(value) * _UNIT_SECONDS.get(unit, 60)


def _rotation(client: Client) -> tuple[bool, int]:
    rotation = client.extended_config.get("RefreshTokenRotation") or {}
    return rotation.get("Feature") == "ENABLED", int(rotation.get("RetryGracePeriodSeconds") or 0)


def _sign(claims: dict[str, Any], use: str) -> str:
    from joserfc import jwt

    signing = keys()[use]
    return jwt.encode({"kid": signing.kid, "alg": "RS256"}, claims, signing.key)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _opaque_refresh_token() -> str:
    """Shaped like Cognito's (a five-part JWE), but random: clients must not decode it."""
    header = _b64url(json.dumps({"cty": "JWT", "enc": "A256GCM", "alg": "RSA-OAEP"}).encode())
    parts = [secrets.token_bytes(256), secrets.token_bytes(12), secrets.token_bytes(600), secrets.token_bytes(16)]
    return ".".join([header, *(_b64url(p) for p in parts)])
