"""Every OAuth error Cognito's endpoints return, with its cause and the next thing to check.

Follows managed-login.md sections 2.3, 3.3, 4 and 8. `where` names the endpoint that answered:
"authorize" (an error on the callback), "error_page" (not redirected), "token", "userinfo",
"revoke", "logout", "callback" (our own checks: state, nonce), "api" (the JSON API operations).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class OAuthContext:
    """What the walk knew when the error came back; it sharpens the explanation."""

    client_id: str = ""
    redirect_uri: str | None = None
    scopes: tuple[str, ...] = ()
    grant_type: str | None = None
    has_secret: bool = False


@dataclass
class OAuthFailure:
    """An OAuth refusal: the error code, what it means (cause) and what to look at (checks)."""

    where: str
    error: str
    description: str | None
    status: int | None
    cause: str
    checks: list[str] = field(default_factory=list)
    guess: bool = False  # Cognito's real answer here is unconfirmed; this is the documented RFC behaviour

    @property
    def next_check(self) -> str:
        return self.checks[0] if self.checks else ""

    def text(self) -> str:
        head = f"{self.where}: {self.error}" + (f" ({self.description})" if self.description else "")
        lines = [head, self.cause, *(f"- {c}" for c in self.checks)]
        if self.guess:
            lines.append("(Cognito's exact answer here is unconfirmed; this follows the RFC.)")
        return "\n".join(lines)


def _scopes(ctx: OAuthContext) -> str:
    return " ".join(ctx.scopes) if ctx.scopes else "(none: all the client's scopes)"


def explain_oauth(
    where: str, error: str, description: str | None = None, status: int | None = None, ctx: OAuthContext | None = None
) -> OAuthFailure:
    ctx = ctx or OAuthContext()
    cause, checks, guess = _lookup(where, error, description, ctx)
    return OAuthFailure(where, error, description, status, cause, checks, guess)


def _lookup(where: str, error: str, description: str | None, ctx: OAuthContext) -> tuple[str, list[str], bool]:
    client = ctx.client_id or "the client"
    if error == "login_pages_unavailable":
        return (
            "Managed login has no pages for this client: a managed-login (v2) domain and an API-created client "
            "without branding, or the domain is not (yet) serving this pool.",
            ["DescribeManagedLoginBrandingByClient; create it with CreateManagedLoginBranding "
             "UseCognitoProvidedValues=true.", "Check the domain (DescribeUserPoolDomain) and the redirect_uri."],
            False,
        )  # fmt: skip
    if where == "error_page" or error == "redirect_mismatch":
        if error == "redirect_mismatch":
            return (
                "Managed login refused the redirect_uri: it is not byte-equal to one of the client's callback URLs, "
                "so Cognito shows its error page instead of redirecting (it never redirects to an unregistered URL).",
                [f"Compare CallbackURLs of {client} with {ctx.redirect_uri or 'the redirect_uri sent'}: scheme, host, "
                 "port, path, trailing '/', case.",
                 "Loopback callbacks match the exact port: register http://127.0.0.1:<port>/callback as used.",
                 "Check it is the right app client id."],
                False,
            )  # fmt: skip
        return (
            f"Managed login showed its error page ({error}): the request could not be redirected back.",
            ["Check client_id (DescribeUserPoolClient) and AllowedOAuthFlowsUserPoolClient=true.",
             "Check the required parameters: response_type, client_id, redirect_uri."],
            error not in ("invalid_request",),
        )  # fmt: skip
    if where == "callback":
        return _callback(error, ctx)
    if where == "authorize":
        return _authorize(error, description, ctx)
    if where == "token":
        return _token(error, description, ctx)
    if where == "userinfo":
        return _userinfo(error, description)
    if where == "revoke":
        return _revoke(error)
    if where == "logout":
        return (
            "The logout endpoint could not use the request: logout_uri is not one of the client's LogoutURLs "
            "(or is mis-encoded), and no redirect_uri + response_type was given instead.",
            ["Compare LogoutURLs with the logout_uri sent (exact match, URL-encoded once).",
             "Send client_id and logout_uri; OIDC post_logout_redirect_uri and id_token_hint are not read."],
            False,
        )  # fmt: skip
    return (f"{where} answered {error}.", [description] if description else [], True)


def _callback(error: str, ctx: OAuthContext) -> tuple[str, list[str], bool]:
    if error == "state_mismatch":
        return (
            "The redirect carried a state this walk did not send: it may belong to another sign-in, or be forged.",
            ["Start the sign-in again; never accept a redirect whose state is unknown.",
             "If state holds '%', '+' or '=', Cognito may have decoded it twice: use a URL-safe value."],
            False,
        )  # fmt: skip
    if error == "nonce_mismatch":
        return (
            "The ID token's nonce is not the one sent on /oauth2/authorize: a replayed or foreign token.",
            ["Start the sign-in again; check nothing caches ID tokens between sign-ins."],
            False,
        )  # fmt: skip
    if error == "no_code":
        return ("The redirect had neither a code nor an error.", ["Check response_type=code was sent."], False)
    if error == "timeout":
        return (
            "No redirect arrived before the time ran out.",
            ["Finish the sign-in in the browser, or start again; check the browser reached the callback URL."],
            False,
        )  # fmt: skip
    return (f"The callback was not usable: {error}.", [], False)


def _authorize(error: str, description: str | None, ctx: OAuthContext) -> tuple[str, list[str], bool]:
    client = ctx.client_id or "the client"
    table = {
        "unauthorized_client": (
            f"{client} may not use this flow: the response_type's flow is not in AllowedOAuthFlows, or "
            "AllowedOAuthFlowsUserPoolClient is false (the SDK's default).",
            [
                "DescribeUserPoolClient: AllowedOAuthFlowsUserPoolClient must be true.",
                "AllowedOAuthFlows must contain 'code' for response_type=code ('implicit' for token).",
            ],
        ),
        "invalid_scope": (
            f"A scope asked for ({_scopes(ctx)}) is not allowed, unknown or malformed (e.g. offline_access, a typo "
            "in <identifier>/<scope>, a deleted resource server).",
            [
                "Compare the scopes sent with the client's AllowedOAuthScopes.",
                "Custom scopes: ListResourceServers for the identifier and scope name.",
            ],
        ),
        "invalid_request": (
            "The authorize request is malformed: no response_type, a code_challenge without "
            "code_challenge_method, or a method other than S256.",
            ["Send response_type=code, code_challenge and code_challenge_method=S256."],
        ),
        "login_required": (
            "prompt=none was sent and there is no managed-login session to reuse.",
            ["Drop prompt=none to show the sign-in page."],
        ),
        "access_denied": ("The sign-in was refused or cancelled.", ["Sign in again."]),
        "server_error": ("Cognito failed internally.", ["Try again; check the pool's triggers."]),
    }
    if error == "invalid_request" and description:
        return (
            f"An identity provider step failed: {description}.",
            ["Check the IdP's token and JWKS endpoints and its client configuration."],
            False,
        )  # fmt: skip
    cause, checks = table.get(error, (f"The authorize endpoint answered {error}.", []))
    return cause, checks, error not in table


def _token(error: str, description: str | None, ctx: OAuthContext) -> tuple[str, list[str], bool]:
    grant = ctx.grant_type or "the grant"
    if error == "invalid_grant":
        if grant == "refresh_token":
            return (
                "The refresh token is not usable: revoked, expired, from another app client, rotated out, or an "
                "InitiateAuth token while remembered devices are on.",
                ["Sign in again; use refresh tokens only with the client that got them.",
                 "With remembered devices use GetTokensFromRefreshToken with DeviceKey."],
                False,
            )  # fmt: skip
        return (
            "The authorization code is not usable: already redeemed (codes are single-use), older than 5 minutes, "
            "issued to another client, or the code_verifier does not match the code_challenge.",
            ["Redeem each code once, within 5 minutes, with the client that started the sign-in.",
             "Send the code_verifier of this sign-in: BASE64URL(SHA256(verifier)) must equal the code_challenge.",
             "With the email scope, email_verified must be readable by the client (ReadAttributes)."],
            False,
        )  # fmt: skip
    if error == "invalid_client":
        checks = ["A client with a secret must authenticate: HTTP Basic base64(client_id:client_secret) or "
                  "client_secret in the form.", "Check the secret (DescribeUserPoolClient) and the client id."]  # fmt: skip
        if not ctx.has_secret:
            checks.insert(0, "No client secret was sent: is this a confidential client (GenerateSecret)?")
        return ("The token endpoint did not accept the client's credentials: unknown client id, a wrong or "
                "deleted secret, or a secret-holding client that sent none.", checks, False)  # fmt: skip
    if error == "unauthorized_client":
        if description == "invalid_redirect":
            return (
                "The redirect_uri sent to /oauth2/token is not the one sent to /oauth2/authorize.",
                [f"Send exactly {ctx.redirect_uri or 'the authorize redirect_uri'} (trailing '/', port, case)."],
                False,
            )  # fmt: skip
        return (
            f"The client may not use the {grant} grant: the flow is not in AllowedOAuthFlows "
            "(code for authorization_code and refresh_token, client_credentials alone for M2M).",
            ["DescribeUserPoolClient: AllowedOAuthFlows and AllowedOAuthFlowsUserPoolClient=true."],
            False,
        )  # fmt: skip
    if error == "invalid_scope":
        return (
            f"No usable scope for {grant}: client_credentials tokens carry only custom scopes "
            f"(<resource server>/<scope>) that the client allows; asked: {_scopes(ctx)}.",
            ["Add a custom scope to AllowedOAuthScopes (ListResourceServers), and do not ask for OIDC scopes."],
            False,
        )  # fmt: skip
    if error == "unsupported_grant_type":
        return (
            f"Cognito does not know grant_type {grant!r}.",
            ["Use authorization_code, refresh_token or client_credentials."],
            False,
        )  # fmt: skip
    if error == "invalid_request":
        return (
            "A required parameter is missing or malformed (e.g. refresh_token for the refresh grant, code for the "
            "code grant), or the body is not form-encoded.",
            ["POST application/x-www-form-urlencoded with grant_type and its parameters."],
            False,
        )  # fmt: skip
    if error == "method_not_allowed":
        return ("The token endpoint answered 405: wrong method or Content-Type.",
                ["POST with Content-Type: application/x-www-form-urlencoded."], False)  # fmt: skip
    return (f"The token endpoint answered {error}.", [description] if description else [], True)


def _userinfo(error: str, description: str | None) -> tuple[str, list[str], bool]:
    if error == "invalid_token":
        return (
            "userInfo refused the access token: expired, revoked, signed out, not from the OAuth endpoints "
            "(InitiateAuth tokens are refused), or without the openid scope.",
            ["Decode the access token: its scope must contain openid; get it from /oauth2/token.",
             "Sign in again if it expired or was revoked."],
            description not in (None, "Access token is expired, disabled, or deleted, or the user has globally signed out."),
        )  # fmt: skip
    return (
        "userInfo could not read the request: send Authorization: Bearer <access token>.",
        ["GET /oauth2/userInfo with the access token of an OAuth sign-in."],
        False,
    )  # fmt: skip


def _revoke(error: str) -> tuple[str, list[str], bool]:
    table = {
        "invalid_request": ("No token was sent, or token revocation is off for this client.",
                            ["Send token=<refresh token>; check EnableTokenRevocation."]),
        "unsupported_token_type": ("Only refresh tokens can be revoked here; this looks like an access or ID token.",
                                   ["Send the refresh token."]),
        "invalid_client": ("The client's credentials were not accepted.",
                           ["A client with a secret sends HTTP Basic auth; a public one sends client_id."]),
    }  # fmt: skip
    cause, checks = table.get(error, (f"The revoke endpoint answered {error}.", []))
    return cause, checks, error not in table
