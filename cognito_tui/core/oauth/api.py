"""The 2026 API twins of the OAuth endpoints as steps: GetClientToken, GetDerivedToken (RFC 8693),
ListUserSessions and RevokeUserSession, sent through the API transport (the gateway)."""

from __future__ import annotations

import time
from typing import Any, Protocol

from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.oauth.explain import OAuthFailure
from cognito_tui.core.oauth.records import ApiRecord, OAuthStep
from cognito_tui.core.redact import Secret
from cognito_tui.core.transcript import Transcript

_CAUSES = {
    "GetClientToken": (
        "GetClientToken refused the client: it needs an active secret, ExplicitAuthFlows exactly "
        "[ALLOW_CLIENT_TOKEN_AUTH] and custom scopes.",
        ["DescribeUserPoolClient: ClientSecret, ExplicitAuthFlows, AllowedOAuthScopes (custom ones).",
         "boto3 signs it by default: send it unsigned (a NoCredentialsError means it was signed)."],
    ),
    "GetDerivedToken": (
        "GetDerivedToken refused the exchange: the client needs ALLOW_TOKEN_EXCHANGE_IMPERSONATION (no actor) or "
        "ALLOW_TOKEN_EXCHANGE_DELEGATION (with an actor); Audiences and Resources exclude each other.",
        ["DescribeUserPoolClient: ExplicitAuthFlows.", "Check the subject token is live and of SubjectTokenType.",
         "Scopes are requested ∩ the subject's ∩ the client's."],
    ),
    "ListUserSessions": (
        "ListUserSessions refused the access token (expired, revoked) or the pool does not track sessions.",
        ["Sign in again; check SetUserPoolSessionConfiguration UserSessionTracking (Essentials/Plus)."],
    ),
    "RevokeUserSession": (
        "RevokeUserSession refused: unknown session id, the caller's own session, or a bad access token.",
        ["ListUserSessions for the ids; the current session is ended with GlobalSignOut or RevokeToken."],
    ),
}  # fmt: skip


class ApiTransport(Protocol):
    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]: ...


class OAuthApi:
    def __init__(self, transport: ApiTransport, transcript: Transcript | None = None, *, region: str | None = None,
                 endpoint_url: str | None = None) -> None:  # fmt: skip
        self.transport = transport
        self.transcript = transcript or Transcript()
        self.region = region
        self.endpoint_url = endpoint_url
        self.steps: list[OAuthStep] = []

    def _call(self, operation: str, params: dict[str, Any], title: str, ok_text: str) -> OAuthStep:
        params = {k: v for k, v in params.items() if v not in (None, "", [], {})}
        record = ApiRecord(operation, params, started_at=time.time(), endpoint_url=self.endpoint_url,
                           region=self.region)  # fmt: skip
        start = time.monotonic()
        try:
            record.response = self.transport.call(operation, params)
        except (CognitoError, TransportError) as exc:
            record.error = exc
        record.duration_ms = (time.monotonic() - start) * 1000
        self.transcript.add(record)
        if record.error is None:
            step = OAuthStep(operation, title, ok_text, record=record, result=dict(record.response or {}))
        else:
            step = OAuthStep(operation, title, "", "failed", record=record, failure=_failure(operation, record.error))
            step.explanation = step.failure.cause if step.failure else ""
        self.steps.append(step)
        return step

    def get_client_token(self, client_id: str, secret: Secret, scopes: list[str] | None = None) -> OAuthStep:
        return self._call("GetClientToken", {"ClientId": client_id, "Secret": secret, "Scopes": scopes or None},
                          "GetClientToken", "An M2M access token from the API: no domain needed.")  # fmt: skip

    def get_derived_token(self, client_id: str, subject_token: str, *, subject_token_type: str = "ACCESS_TOKEN",
                          client_secret: Secret | None = None, actor_token: str | None = None,
                          actor_token_type: str | None = None, scopes: list[str] | None = None,
                          audiences: list[str] | None = None, resources: list[str] | None = None,
                          requested_token_type: str | None = None) -> OAuthStep:  # fmt: skip
        params = {"ClientId": client_id, "ClientSecret": client_secret, "SubjectToken": subject_token,
                  "SubjectTokenType": subject_token_type, "ActorToken": actor_token,
                  "ActorTokenType": actor_token_type or ("ACCESS_TOKEN" if actor_token else None), "Scopes": scopes,
                  "Audiences": audiences, "Resources": resources, "RequestedTokenType": requested_token_type}  # fmt: skip
        text = "RFC 8693 token exchange: " + ("delegation, the actor appears in `act`." if actor_token
                                              else "impersonation, the new token looks like the user's.")  # fmt: skip
        return self._call("GetDerivedToken", params, "GetDerivedToken", text)

    def list_user_sessions(self, access_token: str) -> OAuthStep:
        return self._call("ListUserSessions", {"AccessToken": access_token}, "ListUserSessions",
                          "The user's sessions in every client (TOKEN and SSO); IsCurrentSession marks this one.")  # fmt: skip

    def revoke_user_session(self, access_token: str, session_id: str, linked: bool = False) -> OAuthStep:
        params = {"AccessToken": access_token, "SessionId": session_id,
                  "RevokeAssociatedSessions": "LINKED" if linked else "NONE"}  # fmt: skip
        return self._call("RevokeUserSession", params, "RevokeUserSession",
                          "The session's tokens are revoked and its record deleted.")  # fmt: skip


def _failure(operation: str, error: CognitoError | TransportError) -> OAuthFailure:
    if isinstance(error, TransportError):
        return OAuthFailure(
            "api", "unreachable", error.message, None, error.message, [error.hint] if error.hint else []
        )
    cause, checks = _CAUSES.get(operation, (f"{operation} was refused.", []))
    return OAuthFailure("api", error.code, error.message, error.status, f"{error.code}: {error.message}. {cause}",
                        list(checks), guess=True)  # fmt: skip
