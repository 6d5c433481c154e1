"""Cognito's errors, and what each means with the next thing to check (cognito-protocol.md section 5)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit


class CognitoError(Exception):
    """An error answer from Cognito (or the sandbox): its code and message, as boto3 reported them."""

    def __init__(self, code: str, message: str, operation: str = "", status: int | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.operation = operation
        self.status = status


class TransportError(Exception):
    """The call never got a Cognito answer: no endpoint, no network, no credentials, a timeout."""

    def __init__(self, message: str, hint: str = "", title: str = "Cognito could not be reached"):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.title = title

    @property
    def code(self) -> str:
        """A short name for what went wrong, shown where Cognito's error code would be."""
        text = f"{self.title} {self.message}".lower()
        for words, code in _TRANSPORT_CODES:
            if words in text:
                return code
        return "Unreachable"


# Words in a TransportError's title or message, and the code it is shown with: a missing credential
# or an unknown profile is a local problem, not an unreachable endpoint.
_TRANSPORT_CODES = (
    ("credentials", "NoCredentials"),
    ("unknown aws profile", "UnknownAwsProfile"),
    ("no region", "NoRegion"),
    ("timed out", "Timeout"),
    ("not a cognito error", "NotCognito"),
)


@dataclass
class ErrorContext:
    """What the engine knew when the error came back; it sharpens the explanation."""

    operation: str = ""
    flow: str = ""
    client_id: str = ""
    typed_username: str = ""
    hash_username: str | None = None  # the username that went into SECRET_HASH at this step
    has_secret: bool = False
    device_key: str | None = None
    challenge: str | None = None
    session_age: float | None = None


@dataclass
class Explanation:
    title: str
    meaning: str
    checks: list[str] = field(default_factory=list)
    restart: bool = True  # the Session is gone: start again from InitiateAuth

    def text(self) -> str:
        lines = [self.title, self.meaning]
        lines += [f"- {c}" for c in self.checks]
        return "\n".join(lines)


def _secret_hash_checks(ctx: ErrorContext) -> list[str]:
    checks = []
    if ctx.hash_username is not None:
        checks.append(f"SECRET_HASH at this step was computed with the username {ctx.hash_username!r}.")
    if ctx.challenge:
        checks.append(
            "In a challenge response the hash must use the real username (USER_ID_FOR_SRP), not the alias or email typed."
        )
    elif ctx.flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
        checks.append(
            "For a refresh the hash uses the token owner's real username (the access token's 'username', "
            "the ID token's 'cognito:username'); in email-as-username pools that is a UUID, not the email."
        )
    else:
        checks.append("On InitiateAuth the hash uses exactly the USERNAME sent.")
    checks.append("Check the client secret: DescribeUserPoolClient shows it; a client can have two active secrets.")
    return checks


_SECRET_ASKED = re.compile(r"configured (?:with|for) secret but (?:secret_hash|secret) was not received", re.I)


def asks_for_secret(message: str) -> bool:
    """Cognito refused because the client has a secret and no SECRET_HASH came (either wording of section 5.1)."""
    return bool(_SECRET_ASKED.search(message or ""))


def explain(error: CognitoError | TransportError, ctx: ErrorContext | None = None) -> Explanation:
    ctx = ctx or ErrorContext()
    if isinstance(error, TransportError):
        return _transport(error)
    code, msg = error.code, error.message
    low = msg.lower()
    if code == "NotAuthorizedException":
        return _not_authorized(msg, low, ctx)
    if code == "UserNotFoundException":
        return Explanation(
            "No such user",
            "Cognito has no user by this name in this pool (shown because the client has PreventUserExistenceErrors=LEGACY).",
            [
                "Check the spelling and case of the username, the pool id and the Region.",
                "An email or phone only works if the pool has it as alias or username attribute.",
            ],
        )
    if code == "UserNotConfirmedException":
        return Explanation(
            "The user is not confirmed",
            "The user signed up but never confirmed (UNCONFIRMED).",
            ["ConfirmSignUp with the code sent, ResendConfirmationCode, or AdminConfirmSignUp."],
        )
    if code == "PasswordResetRequiredException":
        return Explanation(
            "A password reset is required",
            "The user is RESET_REQUIRED.",
            ["ForgotPassword, then ConfirmForgotPassword with the code; or AdminSetUserPassword."],
        )
    if code == "CodeMismatchException":
        return Explanation(
            "Wrong code",
            msg,
            [
                "Check the code (SMS, email or the authenticator for this user) and that the device clock is right.",
                "You may retry with the same Session; too many wrong codes lock the user out.",
            ],
            restart=False,
        )
    if code == "ExpiredCodeException":
        if "already been used" in low:
            return Explanation(
                "That code was already used",
                "A TOTP code can be used once in its 30-second window (this bites when setup and sign-in share a window).",
                ["Wait for the next code and retry."],
                restart=False,
            )
        return Explanation(
            "The code expired",
            msg,
            ["Codes live as long as the Session (AuthSessionValidity); start again for a new one."],
        )
    if code == "EnableSoftwareTokenMFAException":
        return Explanation(
            "The authenticator code did not match",
            msg,
            ["Check that the app holds the secret shown and that its clock is right; enter a fresh code."],
        )
    if code == "SoftwareTokenMFANotFoundException":
        return Explanation(
            "TOTP MFA is off for this pool", msg, ["Enable SoftwareTokenMfaConfiguration in SetUserPoolMfaConfig."]
        )
    if code == "MFAMethodNotFoundException":
        return Explanation(
            "No MFA method for this user",
            msg or "MFA was requested but the user has no usable method.",
            ["Set up a factor for the user (SetUserMFAPreference / AdminSetUserMFAPreference)."],
        )
    if code == "InvalidParameterException":
        if _flow_named(low) is not None:
            return _flow_not_enabled(msg, ctx)
        if "not configured for secret but secret hash was received" in low:
            return Explanation(
                "A SECRET_HASH was sent to a client that has no secret",
                msg,
                [
                    "This app client has no secret (a public client): drop the client secret from the profile or "
                    "--client-secret-stdin so that no SECRET_HASH is sent.",
                    "Or use the app client that does have a secret (DescribeUserPoolClient shows ClientSecret).",
                ],
            )
        if "initiate auth method not supported" in low:
            return Explanation(
                "This flow does not go to this API",
                msg,
                [
                    "ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH go to AdminInitiateAuth; USER_PASSWORD_AUTH to InitiateAuth."
                ],
            )
        if "device" in low:
            return Explanation("Bad device parameters", msg, ["Forget the stored device and sign in without it."])
        return Explanation(
            "Cognito refused a parameter",
            msg,
            ["Check the request shown in the call panel against the flow's required AuthParameters."],
        )
    if code == "InvalidPasswordException" or code == "PasswordHistoryPolicyViolationException":
        return Explanation(
            "The new password breaks the pool's policy",
            msg,
            ["See Policies.PasswordPolicy in DescribeUserPool."],
            restart=False,
        )
    if code == "ResourceNotFoundException":
        if "device does not exist" in low:
            return Explanation(
                "The device is not known",
                "The DEVICE_KEY sent belongs to no device of this user (forgotten, or from another pool).",
                ["Forget the stored device and sign in again without it (Amplify does this automatically)."],
            )
        return Explanation(
            "Pool or client not found",
            msg,
            ["Check the user pool id and client id, and that the Region (the pool id's prefix) and endpoint match."],
        )
    if code == "TooManyRequestsException":
        return Explanation(
            "Throttled", msg, ["Back off and retry; Cognito quotas are per account and operation."], restart=False
        )
    if code == "LimitExceededException":
        return Explanation("A sending limit was hit", msg, ["Wait before asking for another code."])
    if code == "TooManyFailedAttemptsException":
        return Explanation("Too many failed attempts", msg, ["Wait before trying again."])
    if code in ("UserLambdaValidationException", "UnexpectedLambdaException", "InvalidLambdaResponseException"):
        return Explanation(
            "A Lambda trigger failed",
            msg,
            ["Check the trigger named in the message (its logs) and the shape of what it returns."],
        )
    if code in (
        "CodeDeliveryFailureException",
        "InvalidSmsRoleAccessPolicyException",
        "InvalidSmsRoleTrustRelationshipException",
        "InvalidEmailRoleAccessPolicyException",
    ):
        return Explanation(
            "The code could not be delivered",
            msg,
            ["Check the pool's SMS (SNS, sandbox mode) or email (SES) configuration."],
        )
    if code == "AliasExistsException":
        return Explanation(
            "Alias already taken", msg, ["Another user already has this email or phone as alias."], restart=False
        )
    if code == "FeatureUnavailableInTierException":
        return Explanation(
            "Needs a higher feature tier", msg, ["USER_AUTH, email MFA and passkeys need the Essentials or Plus tier."]
        )
    if code == "ForbiddenException":
        return Explanation("Blocked by a web ACL", msg, ["An AWS WAF web ACL on the pool blocked the request."])
    if code in ("UnsupportedOperationException", "UnsupportedTokenTypeException"):
        return Explanation(
            "Token revocation not possible",
            msg,
            ["RevokeToken needs EnableTokenRevocation on the client and a refresh token."],
        )
    if code == "RefreshTokenReuseException":
        return Explanation(
            "A rotated refresh token was reused",
            msg,
            ["With rotation on, use the newest refresh token; sign in again."],
        )
    if code == "OperationNotEnabledException":
        return Explanation("Operation not enabled", msg, ["Not available here (e.g. in a replica Region)."])
    if code == "WebAuthnNotEnabledException" or "webauthn" in code.lower() or "passkey" in low:
        return Explanation(
            "Passkey sign-in failed", msg, ["A passkey needs a browser authenticator and WebAuthn set up on the pool."]
        )
    if code in (
        "AccessDeniedException",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredTokenException",
    ):
        return Explanation(
            "AWS credentials refused",
            msg,
            ["Admin and discovery calls need IAM credentials with cognito-idp permissions; check the AWS profile."],
        )
    return Explanation(code, msg or "Cognito returned an error.", ["See the request and response in the call panel."])


def _transport(error: TransportError) -> Explanation:
    """No Cognito answer; the sandbox is only suggested when the endpoint is on this machine."""
    checks = [error.hint] if error.hint else ["Check the endpoint URL, the Region and the network."]
    url = _URL.search(error.message)
    if url and not _is_loopback(url.group()):
        checks = [c for c in checks if "sandbox" not in c.lower()] or []
        checks.append(
            f"{url.group()} did not answer: check the network, DNS and proxy settings, and that the Region "
            "(the user pool id's prefix) is right."
        )
    if error.code == "NoCredentials":
        meaning = f"{error.message}. This is not a network problem: nothing was sent."
        return Explanation(error.title, meaning, checks)
    return Explanation(error.title, error.message, checks)


_URL = re.compile(r"https?://[^\s'\"]+")


def _is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "localhost" or host.startswith("127.") or host == "::1"


def _not_authorized(msg: str, low: str, ctx: ErrorContext) -> Explanation:
    if "incorrect username or password" in low:
        return _incorrect(ctx)
    if "password attempts exceeded" in low:
        return Explanation(
            "Temporarily locked out",
            "Too many failed sign-ins in a row: Cognito locks the user out. After the n-th failure (n >= 5) "
            "the lockout lasts 2^(n-5) s: 1 s after the 5th, 2 s after the 6th, 4 s after the 7th, doubling "
            "to about 15 minutes.",
            [
                "Wait for the lockout to end, then sign in with the right password; attempts during the lockout "
                "get this message and do not extend it.",
                "A successful sign-in after the lockout, or 15 minutes without attempts, resets the count.",
            ],
        )
    if "user is disabled" in low:
        return Explanation(
            "The user is disabled",
            "An administrator disabled this user (AdminDisableUser).",
            ["AdminEnableUser re-enables it."],
        )
    if "temporary password has expired" in low:
        return Explanation(
            "Temporary password expired",
            "The user is FORCE_CHANGE_PASSWORD and the temporary password is older than TemporaryPasswordValidityDays.",
            ["AdminCreateUser with MessageAction=RESEND, or AdminSetUserPassword."],
        )
    if "session is expired" in low:
        age = f" (it was {ctx.session_age:.0f} s old)" if ctx.session_age is not None else ""
        return Explanation(
            "The session expired",
            f"A Session lives for the client's AuthSessionValidity (3 to 15 minutes, default 3){age}.",
            ["Start again from InitiateAuth; answer faster or raise AuthSessionValidity on the client."],
        )
    if "can only be used once" in low:
        return Explanation(
            "The session was already used",
            "Each Session answers one call; every answer returns a new one.",
            ["Start again from InitiateAuth, and always send the newest Session."],
        )
    if "invalid session" in low:
        return Explanation(
            "The session is not valid",
            "Cognito does not know this Session (wrong client or user, truncated, or from another flow).",
            ["Start again from InitiateAuth and send the Session unmodified."],
        )
    if "unable to verify secret hash" in low or "secrethash does not match" in low:
        return Explanation("SECRET_HASH did not verify", msg, _secret_hash_checks(ctx))
    if re.search(r"configured (for|with) secret but (secret|secret_hash) was not received", low):
        return Explanation(
            "This client has a secret, and no SECRET_HASH was sent",
            msg,
            [
                "Give the client secret (profile secret, DescribeUserPoolClient with IAM credentials, or "
                "--client-secret-stdin): every call of this client then carries SECRET_HASH.",
                "Or use an app client without a secret (a public client) for this app.",
            ],
        )
    if "refresh token" in low:
        checks = ["Sign in again to get a new refresh token."]
        if "invalid" in low:
            checks.insert(
                0, "On a device-tracking pool the refresh must carry the DEVICE_KEY of the device that signed in."
            )
        if "revoked" in low:
            checks.insert(0, "RevokeToken or GlobalSignOut revoked it.")
        return Explanation("The refresh token was refused", msg, checks)
    if "access token" in low:
        return Explanation(
            "The access token was refused",
            msg,
            [
                "Access tokens expire (default 1 h) and GlobalSignOut/RevokeToken revoke them; refresh or sign in again.",
                "Calls like GetUser need the aws.cognito.signin.user.admin scope (API sign-ins have it).",
            ],
        )
    if "security reasons" in low:
        return Explanation(
            "Blocked by threat protection",
            msg,
            ["The pool's threat protection (Plus tier) judged this sign-in risky."],
        )
    if _flow_named(low) is not None or "not allowed" in low:
        return _flow_not_enabled(msg, ctx)
    return Explanation("Not authorized", msg, ["Check the credentials, the session and the client settings."])


def _incorrect(ctx: ErrorContext) -> Explanation:
    """'Incorrect username or password.': which of its causes fit what this step sent."""
    if ctx.challenge == "CUSTOM_CHALLENGE":
        return Explanation(
            "The custom challenge ended the sign-in",
            "After this answer the Define Auth Challenge trigger failed the authentication (failAuthentication), "
            "typically because too many answers were wrong; Cognito words that as 'Incorrect username or password.'. "
            "The password was not the problem.",
            [
                "Start again from InitiateAuth and give the answer the Create Auth Challenge trigger expects.",
                "How many wrong answers are allowed is up to the Define Auth Challenge trigger (it sees every "
                "earlier answer in its session list); its logs say why it failed the sign-in.",
            ],
        )
    checks = [
        "The password is wrong, or the user does not exist and the client hides that (PreventUserExistenceErrors=ENABLED)."
    ]
    if ctx.flow == "USER_SRP_AUTH" or ctx.challenge == "PASSWORD_VERIFIER":
        checks.append(
            "With SRP: the pool id (its part after '_' is hashed in) and the Region must be right, and the "
            "password is hashed with USER_ID_FOR_SRP, not the alias typed."
        )
    if ctx.challenge == "DEVICE_PASSWORD_VERIFIER":
        checks.append(
            "For a device: the stored device password or group key no longer matches; forget the device and sign in again."
        )
    if ctx.flow == "CUSTOM_AUTH" and ctx.challenge is None:
        checks.append("With CUSTOM_AUTH the Define Auth Challenge trigger may have failed the sign-in at once.")
    checks.append("After 5 failures the user is locked out for a while ('Password attempts exceeded').")
    return Explanation("Wrong username or password", "Cognito refused the credentials.", checks)


# How Cognito words a flow the client does not allow: "USER_SRP_AUTH is not enabled for the client.",
# "USER_PASSWORD_AUTH flow not enabled for this client", "Auth flow not enabled for this client".
_FLOW_NOT_ENABLED = re.compile(
    r"(?:\b([a-z_]+_auth|refresh_token)\s+)?(?:auth\s+)?(?:flow\s+)?(?:is\s+)?not\s+(?:enabled|allowed)\s+for\s+(?:the|this)\s+client"
)


def _flow_named(low: str) -> str | None:
    """The flow a 'not enabled for the client' message names ('' when it names none), else None."""
    match = _FLOW_NOT_ENABLED.search(low)
    if match is None:
        return None
    return (match.group(1) or "").upper()


def _flow_not_enabled(msg: str, ctx: ErrorContext) -> Explanation:
    flow = _flow_named(msg.lower()) or ctx.flow
    flag = {
        "USER_SRP_AUTH": "ALLOW_USER_SRP_AUTH",
        "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "CUSTOM_AUTH": "ALLOW_CUSTOM_AUTH",
        "REFRESH_TOKEN_AUTH": "ALLOW_REFRESH_TOKEN_AUTH",
        "REFRESH_TOKEN": "ALLOW_REFRESH_TOKEN_AUTH",
        "USER_AUTH": "ALLOW_USER_AUTH",
    }.get(flow, "the flow's ALLOW_* value")
    return Explanation(
        "This flow is not allowed for this client",
        msg,
        [
            f"Add {flag} to the app client's ExplicitAuthFlows, or pick a flow the client allows (DescribeUserPoolClient lists them)."
        ],
    )
