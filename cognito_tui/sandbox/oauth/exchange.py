"""The token-exchange grant at /oauth2/token (RFC 8693 section 2), mapped onto GetDerivedToken.

managed-login.md section 3.4: the developer guide says GetDerivedToken is reachable "through the Token
endpoint with a token-exchange grant" but documents no wire format; this follows RFC 8693 and is a
labelled guess (the type URIs and the error codes are unconfirmed), with section 7's semantics.
"""

from __future__ import annotations

from typing import Any

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.oauth.grants import OAuthError

GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
_PREFIX = "urn:ietf:params:oauth:token-type:"
TYPES = {f"{_PREFIX}access_token": "ACCESS_TOKEN", f"{_PREFIX}id_token": "ID_TOKEN", f"{_PREFIX}saml2": "SAML2"}
URIS = {v: k for k, v in TYPES.items()}


def exchange(operations: Any, client: Any, secret: str | None, form: Any) -> dict[str, Any]:
    """The RFC 8693 form as a GetDerivedToken request; its answer as RFC 8693 section 2.2.1's JSON."""
    subject, subject_type = form.get("subject_token"), form.get("subject_token_type")
    if not subject or subject_type not in TYPES:
        raise OAuthError("invalid_request", description="subject_token and a known subject_token_type are required")
    actor, actor_type = form.get("actor_token"), form.get("actor_token_type")
    if actor and actor_type not in TYPES:
        raise OAuthError("invalid_request", description="actor_token needs a known actor_token_type")
    requested = form.get("requested_token_type")
    if requested and requested not in (URIS["ACCESS_TOKEN"], URIS["ID_TOKEN"]):
        raise OAuthError("invalid_request", description="requested_token_type is an access_token or id_token URI")
    body: dict[str, Any] = {"ClientId": client.id, "ClientSecret": secret, "SubjectToken": subject,
                            "SubjectTokenType": TYPES[subject_type], "ActorToken": actor,
                            "ActorTokenType": TYPES.get(actor_type or ""), "Scopes": form.get("scope", "").split(),
                            "Audiences": form.getlist("audience"), "Resources": form.getlist("resource"),
                            "RequestedTokenType": TYPES.get(requested or "")}  # fmt: skip
    body = {k: v for k, v in body.items() if v not in (None, "", [])}
    try:
        answer = operations.get_derived_token(body)
    except errors.WireError as exc:
        error = "unauthorized_client" if exc.code == "NotAuthorizedException" else "invalid_request"
        if "ALLOW_TOKEN_EXCHANGE" not in exc.message and exc.code == "NotAuthorizedException":
            error = "invalid_grant"  # the subject (or actor) token, not the client
        raise OAuthError(error, description=exc.message) from None
    out = {"access_token": answer["IssuedToken"], "issued_token_type": URIS.get(answer["IssuedTokenType"]),
           "token_type": answer["TokenType"], "expires_in": answer["ExpiresIn"]}  # fmt: skip
    if answer.get("Scopes"):
        out["scope"] = " ".join(answer["Scopes"])
    return out
