"""The 2026 operations beside managed login: GetClientToken, GetDerivedToken, ListUserSessions,
RevokeUserSession, answered by the sandbox itself (moto has none of them).

Where managed-login.md marks Cognito's exact error as unconfirmed, the codes below are labelled
guesses in the documented error lists of each operation.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.auth import required
from cognito_tui.sandbox.oauth.grants import OIDC, Grant, Grants, OAuthError
from cognito_tui.sandbox.oauth.login import LoginPages
from cognito_tui.sandbox.tokens import AccessRecord, _sign, _validity, issuer


class OAuthOperations:
    def __init__(self, directory: Any, grants: Grants, pages: LoginPages) -> None:
        self.directory = directory
        self.grants = grants
        self.tokens = grants.tokens
        self.pages = pages

    def table(self) -> dict[str, Any]:
        return {"GetClientToken": self.get_client_token, "GetDerivedToken": self.get_derived_token,
                "ListUserSessions": self.list_user_sessions, "RevokeUserSession": self.revoke_user_session}  # fmt: skip

    def revoke_refresh(self, client: Any, token: str) -> None:
        """/oauth2/revoke: the TokenService's RevokeToken, its refusals as OAuth errors."""
        try:
            self.tokens.revoke(client, token)
        except errors.WireError as exc:
            if exc.code == "UnsupportedTokenTypeException":
                raise OAuthError("unsupported_token_type") from None
            raise OAuthError("invalid_request") from None  # another client's token: unconfirmed

    # --- GetClientToken -------------------------------------------------------------------------------

    def get_client_token(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, client = self.directory.find_client(required(body, "ClientId"))
        secret = self.directory.secret_of(client)
        if secret is None or body.get("Secret") != secret:
            raise errors.not_authorized("Invalid client secret.")  # the exact message: unconfirmed
        if list(client.extended_config.get("ExplicitAuthFlows") or []) != ["ALLOW_CLIENT_TOKEN_AUTH"]:
            raise errors.not_authorized("Client is not enabled for ALLOW_CLIENT_TOKEN_AUTH.")
        allowed = [s for s in client.extended_config.get("AllowedOAuthScopes") or [] if s not in OIDC]
        asked = list(body.get("Scopes") or allowed)
        bad = [s for s in asked if s not in allowed]
        if bad or not asked:
            raise errors.invalid_parameter(f"Invalid scope requested: {bad[0] if bad else '(none)'}")
        result = self.grants.issue_m2m(pool, client, tuple(asked))
        return {"ClientAuthenticationResult": {"AccessToken": result["access_token"],
                                               "ExpiresIn": result["expires_in"], "TokenType": "Bearer"}}  # fmt: skip

    # --- GetDerivedToken (RFC 8693) -------------------------------------------------------------------

    def get_derived_token(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, client = self.directory.find_client(required(body, "ClientId"))
        secret = self.directory.secret_of(client)
        if secret is not None and body.get("ClientSecret") != secret:
            raise errors.not_authorized(f"Client {client.id} is configured with secret but ClientSecret was not received or is wrong.")  # fmt: skip
        subject_type = required(body, "SubjectTokenType")
        if subject_type not in ("ACCESS_TOKEN", "ID_TOKEN", "SAML2"):
            raise errors.enum_error(subject_type, "subjectTokenType", ["ACCESS_TOKEN", "ID_TOKEN", "SAML2"])
        if subject_type != "ACCESS_TOKEN":
            raise errors.invalid_parameter(f"The sandbox exchanges ACCESS_TOKEN subjects only, not {subject_type}.")
        if body.get("Audiences") and body.get("Resources"):
            raise errors.invalid_parameter("Specify either Audiences or Resources, not both.")
        if len(body.get("Audiences") or []) > 1 or len(body.get("Resources") or []) > 1:
            raise errors.invalid_parameter("At most one audience or resource.")
        actor = body.get("ActorToken")
        if actor and not body.get("ActorTokenType"):
            raise errors.missing("ActorTokenType")
        flows = set(client.extended_config.get("ExplicitAuthFlows") or [])
        needed = "ALLOW_TOKEN_EXCHANGE_DELEGATION" if actor else "ALLOW_TOKEN_EXCHANGE_IMPERSONATION"
        if needed not in flows:
            raise errors.not_authorized(f"Client is not enabled for {needed}.")
        subject_pool, user, record = self.tokens.authorize(required(body, "SubjectToken"))
        if subject_pool.id != pool.id:
            raise errors.not_authorized("The subject token was not issued by this user pool.")
        subject_scopes = self._scopes_of(body["SubjectToken"])
        client_scopes = set(client.extended_config.get("AllowedOAuthScopes") or []) | set(subject_scopes)
        asked = list(body.get("Scopes") or subject_scopes)
        scopes = [s for s in asked if s in subject_scopes and s in client_scopes]
        act = None
        if actor:
            _, actor_user, actor_record = self.tokens.authorize(actor)
            act = {"sub": actor_user.id, "client_id": actor_record.client_id}
        now = int(self.tokens.clock.now())
        life = _validity(client, "AccessToken", 60, "minutes")
        claims: dict[str, Any] = {"sub": user.id, "iss": issuer(pool.id), "version": 2, "client_id": client.id,
                                  "origin_jti": record.family, "token_use": "access", "scope": " ".join(scopes),
                                  "auth_time": now, "exp": now + life, "iat": now, "jti": str(uuid.uuid4()),
                                  "username": user.username}  # fmt: skip
        audience = (body.get("Audiences") or body.get("Resources") or [None])[0]
        if audience:
            claims["aud"] = audience
        if act:
            claims["act"] = act
        token = _sign(claims, "id" if claims.get("token_use") == "id" else "access")
        self.tokens.access[token] = AccessRecord(pool.id, client.id, user.username, record.family, now + life)
        pool.access_tokens[token] = (client.id, user.username)
        self.grants.by_access[token] = Grant(tuple(scopes), client.id, pool.id, user.username)
        return {"IssuedToken": token, "IssuedTokenType": "ACCESS_TOKEN", "TokenType": "Bearer", "ExpiresIn": life,
                "Scopes": scopes}  # fmt: skip

    def _scopes_of(self, access_token: str) -> list[str]:
        grant = self.grants.by_access.get(access_token)
        return list(grant.scopes) if grant is not None else ["aws.cognito.signin.user.admin"]

    # --- user sessions --------------------------------------------------------------------------------

    def _families(self, pool_id: str, username: str) -> dict[str, dict[str, Any]]:
        """Each live refresh-token lineage of the user is a TOKEN session."""
        out: dict[str, dict[str, Any]] = {}
        for record in self.tokens.refresh.values():
            if record.pool_id != pool_id or record.username != username or record.revoked:
                continue
            if self.tokens.clock.now() >= record.expires_at:
                continue
            entry = out.setdefault(record.family, {"client": record.client_id, "created": record.auth_time})
            entry["created"] = min(entry["created"], record.auth_time)
        return out

    def list_user_sessions(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user, current = self.tokens.authorize(required(body, "AccessToken"))
        sessions = []
        for sso in self.pages.live_sessions(pool.id, user.username):
            sessions.append(_session(sso.session_id, "SSO", sso.client_id, sso.auth_time, None, False))
        for family, entry in sorted(self._families(pool.id, user.username).items(), key=lambda i: i[1]["created"]):
            sessions.append(_session(session_id(family), "TOKEN", entry["client"], entry["created"],
                                     self.grants.origins.get(family), family == current.family))  # fmt: skip
        return {"Sessions": sessions}

    def revoke_user_session(self, body: dict[str, Any]) -> dict[str, Any]:
        """A TOKEN session: its lineage (LINKED: + its SSO parent); an SSO session: it (LINKED: + its children)."""
        pool, user, current = self.tokens.authorize(required(body, "AccessToken"))
        wanted = required(body, "SessionId")
        linked = body.get("RevokeAssociatedSessions", "NONE")
        if linked not in ("NONE", "LINKED"):
            raise errors.enum_error(linked, "revokeAssociatedSessions", ["NONE", "LINKED"])
        families = self._families(pool.id, user.username)
        if any(s.session_id == wanted for s in self.pages.live_sessions(pool.id, user.username)):
            self.pages.end_by_id(wanted)
            if linked == "LINKED":
                for family in families:
                    if self.grants.origins.get(family) == wanted and family != current.family:
                        self._revoke_family(pool.id, family)
            return {}
        for family in families:
            if session_id(family) == wanted:
                if family == current.family:  # the error for the caller's own session: unconfirmed
                    raise errors.invalid_parameter("The current session cannot be revoked with RevokeUserSession.")
                self._revoke_family(pool.id, family)
                if linked == "LINKED" and self.grants.origins.get(family):
                    self.pages.end_by_id(self.grants.origins[family])
                return {}
        raise errors.resource_not_found(f"Session {wanted} does not exist.")

    def _revoke_family(self, pool_id: str, family: str) -> None:
        self.tokens._revoke_where(lambda r: r.family == family and r.pool_id == pool_id)


def _session(sid: str, kind: str, client_id: str, created: float, origin: str | None, current: bool) -> dict[str, Any]:
    when = datetime.fromtimestamp(created, tz=UTC)
    return {"SessionId": sid, "SessionType": kind, "ClientId": client_id, "CreateDate": when, "LastActiveDate": when,
            "DeviceType": "unknown", "LastIPAddress": "127.0.0.1", "LastLocation": {"City": "unknown", "Country": "unknown"},
            "OriginSessionId": origin, "IsCurrentSession": current}  # fmt: skip


def session_id(family: str) -> str:
    """tkn + 25 lowercase letters and digits, stable for a refresh-token lineage."""
    digest = hashlib.sha256(family.encode()).hexdigest()
    return "tkn" + digest[:25]
