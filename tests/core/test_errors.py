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
