"""Every error code and message variant of cognito-protocol.md section 5 gets its own explanation."""

from __future__ import annotations

import pytest

from cognito_tui.core.errors import CognitoError, ErrorContext, TransportError, explain

# (code, message, words the explanation's title must contain)
SECTION_5 = [
    ("NotAuthorizedException", "Incorrect username or password.", "Wrong username or password"),
    ("NotAuthorizedException", "Password attempts exceeded", "locked out"),
    ("NotAuthorizedException", "User is disabled.", "disabled"),
    (
        "NotAuthorizedException",
        "Temporary password has expired and must be reset by an administrator.",
        "Temporary password expired",
    ),
    ("NotAuthorizedException", "Invalid session for the user, session is expired.", "expired"),
    ("NotAuthorizedException", "Invalid session for the user, session can only be used once.", "already used"),
    ("NotAuthorizedException", "Invalid session for the user.", "not valid"),
    ("NotAuthorizedException", "Unable to verify secret hash for client 1abc", "SECRET_HASH"),
    ("NotAuthorizedException", "SecretHash does not match for the client: 1abc", "SECRET_HASH"),
    ("NotAuthorizedException", "Client 1abc is configured for secret but secret was not received", "has a secret"),
    ("NotAuthorizedException", "Refresh Token has expired", "refresh token"),
    ("NotAuthorizedException", "Refresh Token has been revoked", "refresh token"),
    ("NotAuthorizedException", "Invalid Refresh Token", "refresh token"),
    ("NotAuthorizedException", "Access Token has expired", "access token"),
    ("NotAuthorizedException", "Access Token has been revoked", "access token"),
    ("NotAuthorizedException", "Invalid Access Token", "access token"),
    ("NotAuthorizedException", "Unable to login because of security reasons.", "threat protection"),
    ("UserNotFoundException", "User does not exist.", "No such user"),
    ("UserNotFoundException", "Username/client id combination not found.", "No such user"),
    ("UserNotConfirmedException", "User is not confirmed.", "not confirmed"),
    ("PasswordResetRequiredException", "Password reset required for the user", "reset"),
    ("CodeMismatchException", "Invalid code received for user", "Wrong code"),
    ("CodeMismatchException", "Invalid code or auth state for the user.", "Wrong code"),
    ("CodeMismatchException", "Invalid verification code provided, please try again.", "Wrong code"),
    ("ExpiredCodeException", "Your software token has already been used once.", "already used"),
    ("ExpiredCodeException", "Invalid code provided, please request a code again.", "expired"),
    ("EnableSoftwareTokenMFAException", "Code mismatch and fail enable Software Token MFA", "authenticator code"),
    ("SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool", "TOTP MFA is off"),
    ("MFAMethodNotFoundException", "", "No MFA method"),
    ("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client", "not allowed"),
    ("InvalidParameterException", "Auth flow not enabled for this client", "not allowed"),
    ("InvalidParameterException", "Initiate Auth method not supported.", "does not go to this API"),
    ("InvalidParameterException", "Missing required parameter USERNAME", "refused a parameter"),
    ("InvalidParameterException", "1 validation error detected: Value at 'x' failed", "refused a parameter"),
    ("InvalidPasswordException", "Password does not conform to policy: Password must have symbol characters", "policy"),
    ("PasswordHistoryPolicyViolationException", "The password was used before", "policy"),
    ("ResourceNotFoundException", "Device does not exist.", "device is not known"),
    ("ResourceNotFoundException", "User pool client 1abc does not exist.", "not found"),
    ("ResourceNotFoundException", "User pool us-east-1_X does not exist.", "not found"),
    ("TooManyRequestsException", "Rate exceeded", "Throttled"),
    ("LimitExceededException", "Attempt limit exceeded, please try after some time.", "limit"),
    ("TooManyFailedAttemptsException", "", "failed attempts"),
    ("UserLambdaValidationException", "PreAuthentication failed with error boom.", "Lambda"),
    ("UnexpectedLambdaException", "CreateAuthChallenge failed with error x.", "Lambda"),
    ("InvalidLambdaResponseException", "", "Lambda"),
    ("InvalidSmsRoleAccessPolicyException", "", "delivered"),
    ("InvalidEmailRoleAccessPolicyException", "", "delivered"),
    ("CodeDeliveryFailureException", "", "delivered"),
    ("AliasExistsException", "", "Alias"),
    ("FeatureUnavailableInTierException", "", "tier"),
    ("ForbiddenException", "", "web ACL"),
    ("UnsupportedOperationException", "", "revocation"),
    ("UnsupportedTokenTypeException", "", "revocation"),
    ("RefreshTokenReuseException", "", "reused"),
    ("OperationNotEnabledException", "", "not enabled"),
]


@pytest.mark.parametrize("code,message,title_words", SECTION_5, ids=[f"{c}:{m[:30]}" for c, m, _ in SECTION_5])
def test_each_error_has_a_specific_explanation(code, message, title_words):
    expl = explain(CognitoError(code, message))
    assert title_words.lower() in expl.title.lower()
    assert expl.checks, "every explanation says what to check next"
    assert expl.title != code


def test_secret_hash_explanation_names_the_username_used():
    ctx = ErrorContext(
        flow="USER_SRP_AUTH", hash_username="walter@example.com", challenge="PASSWORD_VERIFIER", has_secret=True
    )
    expl = explain(CognitoError("NotAuthorizedException", "Unable to verify secret hash for client abc"), ctx)
    text = expl.text()
    assert "'walter@example.com'" in text
    assert "USER_ID_FOR_SRP" in text


def test_refresh_secret_hash_explanation_points_at_the_real_username():
    ctx = ErrorContext(flow="REFRESH_TOKEN_AUTH", hash_username="walter@example.com")
    text = explain(CognitoError("NotAuthorizedException", "SecretHash does not match for the client: abc"), ctx).text()
    assert "cognito:username" in text


def test_expired_session_says_its_age_and_wrong_code_allows_retry():
    expl = explain(
        CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired."),
        ErrorContext(session_age=200),
    )
    assert "200 s old" in expl.meaning and expl.restart
    assert explain(CognitoError("CodeMismatchException", "Invalid code received for user")).restart is False


def test_flow_not_enabled_names_the_flag():
    expl = explain(
        CognitoError("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"),
        ErrorContext(flow="USER_PASSWORD_AUTH"),
    )
    assert "ALLOW_USER_PASSWORD_AUTH" in expl.text()


def test_transport_errors_are_explained_too():
    expl = explain(TransportError("cannot connect to http://127.0.0.1:9", "is the sandbox running?"))
    assert expl.title == "Cognito could not be reached" and "sandbox" in expl.text()


# cognito-protocol.md section 5.1: every wording of each case, AWS's and the older ones, with the
# title that case must get (the same for every wording of one case) and a word of its next step.
SECTION_5_1 = [
    (
        "InvalidParameterException",
        "USER_SRP_AUTH is not enabled for the client.",
        "USER_SRP_AUTH",
        "This flow is not allowed for this client",
        "ALLOW_USER_SRP_AUTH",
    ),
    (
        "InvalidParameterException",
        "Auth flow not enabled for this client",
        "USER_SRP_AUTH",
        "This flow is not allowed for this client",
        "ALLOW_USER_SRP_AUTH",
    ),
    (
        "InvalidParameterException",
        "USER_PASSWORD_AUTH flow not enabled for this client",
        "",
        "This flow is not allowed for this client",
        "ALLOW_USER_PASSWORD_AUTH",
    ),
    (
        "NotAuthorizedException",
        "Client 1abc is configured with secret but SECRET_HASH was not received",
        "USER_SRP_AUTH",
        "This client has a secret, and no SECRET_HASH was sent",
        "--client-secret-stdin",
    ),
    (
        "NotAuthorizedException",
        "Client 1abc is configured for secret but secret was not received",
        "USER_SRP_AUTH",
        "This client has a secret, and no SECRET_HASH was sent",
        "--client-secret-stdin",
    ),
    (
        "InvalidParameterException",
        "Client 1abc is not configured for secret but secret hash was received",
        "USER_PASSWORD_AUTH",
        "A SECRET_HASH was sent to a client that has no secret",
        "drop the client secret",
    ),
    (
        "NotAuthorizedException",
        "Unable to verify secret hash for client 1abc",
        "USER_SRP_AUTH",
        "SECRET_HASH did not verify",
        "client secret",
    ),
    (
        "InvalidParameterException",
        "Initiate Auth method not supported.",
        "ADMIN_USER_PASSWORD_AUTH",
        "This flow does not go to this API",
        "AdminInitiateAuth",
    ),
    (
        "NotAuthorizedException",
        "Invalid session for the user, session can only be used once.",
        "USER_SRP_AUTH",
        "The session was already used",
        "newest Session",
    ),
    (
        "NotAuthorizedException",
        "Invalid session for the user, session is expired.",
        "USER_SRP_AUTH",
        "The session expired",
        "AuthSessionValidity",
    ),
    (
        "NotAuthorizedException",
        "Invalid session for the user.",
        "USER_SRP_AUTH",
        "The session is not valid",
        "unmodified",
    ),
    (
        "ExpiredCodeException",
        "Your software token has already been used once.",
        "USER_SRP_AUTH",
        "That code was already used",
        "next code",
    ),
    ("NotAuthorizedException", "Password attempts exceeded", "USER_PASSWORD_AUTH", "Temporarily locked out", "2^(n-5)"),
]


@pytest.mark.parametrize(
    "code,message,flow,title,next_step", SECTION_5_1, ids=[f"{c}:{m[:40]}" for c, m, *_ in SECTION_5_1]
)
def test_each_wording_variant_gets_its_cases_explanation(code, message, flow, title, next_step):
    expl = explain(CognitoError(code, message), ErrorContext(flow=flow, client_id="1abc"))
    assert expl.title == title
    assert next_step in expl.text()


def test_a_secret_hash_sent_to_a_public_client_is_not_a_generic_parameter_error():
    expl = explain(
        CognitoError(
            "InvalidParameterException", "Client 1abc is not configured for secret but secret hash was received"
        )
    )
    assert "refused a parameter" not in expl.title and "has a secret" not in expl.title


def test_lockout_says_it_is_a_lockout_and_when_it_ends():
    text = explain(CognitoError("NotAuthorizedException", "Password attempts exceeded")).text()
    assert "locks the user out" in text
    assert "1 s after the 5th, 2 s after the 6th, 4 s after the 7th" in text
    assert "do not extend it" in text and "15 minutes" in text


def test_a_custom_challenge_ended_by_the_define_trigger_is_not_a_password_problem():
    ctx = ErrorContext(flow="CUSTOM_AUTH", challenge="CUSTOM_CHALLENGE")
    expl = explain(CognitoError("NotAuthorizedException", "Incorrect username or password."), ctx)
    assert expl.title == "The custom challenge ended the sign-in"
    assert "Define Auth Challenge trigger" in expl.meaning
    text = expl.text()
    assert "SRP" not in text and "locked out" not in text and "Password attempts" not in text


def test_srp_hints_only_where_srp_was_involved():
    incorrect = CognitoError("NotAuthorizedException", "Incorrect username or password.")
    assert "With SRP" in explain(incorrect, ErrorContext(flow="USER_SRP_AUTH")).text()
    assert "With SRP" in explain(incorrect, ErrorContext(flow="CUSTOM_AUTH", challenge="PASSWORD_VERIFIER")).text()
    custom = explain(incorrect, ErrorContext(flow="CUSTOM_AUTH")).text()
    assert "SRP" not in custom and "Define Auth Challenge trigger" in custom
    assert "SRP" not in explain(incorrect, ErrorContext(flow="USER_PASSWORD_AUTH")).text()
    assert "SRP" not in explain(incorrect, ErrorContext(flow="USER_AUTH")).text()


def test_missing_credentials_are_a_credentials_problem_not_unreachable():
    error = TransportError(
        "AdminInitiateAuth needs AWS credentials and none were found",
        "Set an AWS profile (aws configure / --aws-profile).",
        title="AWS credentials needed",
    )
    expl = explain(error)
    assert error.code == "NoCredentials"
    assert expl.title == "AWS credentials needed" and "not a network problem" in expl.meaning
    assert "Unreachable" not in expl.text() and "could not be reached" not in expl.text()


def test_a_dns_failure_on_aws_does_not_suggest_the_sandbox():
    hint = "Check the endpoint URL and the Region; is the sandbox running?"
    aws = explain(TransportError("cannot connect to https://cognito-idp.us-east-1.amazonaws.com/", hint))
    assert "sandbox" not in aws.text()
    assert "DNS" in aws.text() and "Region" in aws.text()
    local = explain(TransportError("cannot connect to http://127.0.0.1:9/", hint))
    assert "is the sandbox running?" in local.text()
    assert TransportError("cannot connect to http://127.0.0.1:9/", hint).code == "Unreachable"


def test_both_wordings_of_a_missing_secret_hash_ask_for_the_secret():
    from cognito_tui.core.errors import asks_for_secret

    assert asks_for_secret("Client abc is configured with secret but SECRET_HASH was not received")
    assert asks_for_secret("Client abc is configured for secret but secret was not received")
    assert not asks_for_secret("Client abc is not configured for secret but secret hash was received")
    assert not asks_for_secret("Incorrect username or password.")
