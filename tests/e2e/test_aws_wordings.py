"""`cognito-tui login` against a server that answers with AWS's own error wordings (protocol 5 and 5.1).

The server is a small stub on 127.0.0.1 (a free port) speaking Cognito's JSON protocol: each
operation gets a scripted answer, errors as `{"__type": ..., "message": ...}` with AWS's status and
headers, so the explanation printed is the one a user of real Cognito would see.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from stub_cognito import CLIENT, POOL, SESSION, aws_error, login_env


def _login(tmp_path: Path, endpoint: str, *args: str, stdin: str = "", credentials: bool = True):
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", endpoint, "--user-pool-id", POOL]
    argv += ["--client-id", CLIENT, "--username", "dave", *args]
    env = login_env(tmp_path, credentials)
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, timeout=120)


MFA = (200, {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": SESSION, "ChallengeParameters": {"USERNAME": "dave"}})
CUSTOM = (200, {"ChallengeName": "CUSTOM_CHALLENGE", "Session": SESSION, "ChallengeParameters": {"USERNAME": "dave"}})

# (case id, login flags, stdin, {operation: answer}, title printed, a word of the next step)
CASES = [
    (
        "srp-not-enabled-aws",
        ["--auth-flow", "USER_SRP_AUTH"],
        "pw\n",
        {"InitiateAuth": aws_error("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")},
        "This flow is not allowed for this client",
        "ALLOW_USER_SRP_AUTH",
    ),
    (
        "srp-not-enabled-older",
        ["--auth-flow", "USER_SRP_AUTH"],
        "pw\n",
        {"InitiateAuth": aws_error("InvalidParameterException", "Auth flow not enabled for this client")},
        "This flow is not allowed for this client",
        "ALLOW_USER_SRP_AUTH",
    ),
    (
        "password-auth-not-enabled",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {"InitiateAuth": aws_error("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")},
        "This flow is not allowed for this client",
        "ALLOW_USER_PASSWORD_AUTH",
    ),
    (
        "secret-hash-missing-aws",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {
            "InitiateAuth": aws_error(
                "NotAuthorizedException", f"Client {CLIENT} is configured with secret but SECRET_HASH was not received"
            )
        },
        "This client has a secret, and no SECRET_HASH was sent",
        "--client-secret-stdin",
    ),
    (
        "secret-hash-missing-older",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {
            "InitiateAuth": aws_error(
                "NotAuthorizedException", f"Client {CLIENT} is configured for secret but secret was not received"
            )
        },
        "This client has a secret, and no SECRET_HASH was sent",
        "--client-secret-stdin",
    ),
    (
        "secret-hash-to-public-client",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--client-secret-stdin"],
        "not-a-real-secret\npw\n",
        {
            "InitiateAuth": aws_error(
                "InvalidParameterException",
                f"Client {CLIENT} is not configured for secret but secret hash was received",
            )
        },
        "A SECRET_HASH was sent to a client that has no secret",
        "drop the client secret",
    ),
    (
        "secret-hash-wrong",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--client-secret-stdin"],
        "wrong-secret\npw\n",
        {"InitiateAuth": aws_error("NotAuthorizedException", f"Unable to verify secret hash for client {CLIENT}")},
        "SECRET_HASH did not verify",
        "'dave'",
    ),
    (
        "admin-flow-on-initiate-auth",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {"InitiateAuth": aws_error("InvalidParameterException", "Initiate Auth method not supported.")},
        "This flow does not go to this API",
        "AdminInitiateAuth",
    ),
    (
        "session-reused",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--answer", "SOFTWARE_TOKEN_MFA_CODE=123456"],
        "pw\n",
        {
            "InitiateAuth": MFA,
            "RespondToAuthChallenge": aws_error(
                "NotAuthorizedException", "Invalid session for the user, session can only be used once."
            ),
        },
        "The session was already used",
        "newest Session",
    ),
    (
        "session-expired",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--answer", "SOFTWARE_TOKEN_MFA_CODE=123456"],
        "pw\n",
        {
            "InitiateAuth": MFA,
            "RespondToAuthChallenge": aws_error(
                "NotAuthorizedException", "Invalid session for the user, session is expired."
            ),
        },
        "The session expired",
        "AuthSessionValidity",
    ),
    (
        "session-foreign",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--answer", "SOFTWARE_TOKEN_MFA_CODE=123456"],
        "pw\n",
        {
            "InitiateAuth": MFA,
            "RespondToAuthChallenge": aws_error("NotAuthorizedException", "Invalid session for the user."),
        },
        "The session is not valid",
        "unmodified",
    ),
    (
        "totp-code-reused",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--answer", "SOFTWARE_TOKEN_MFA_CODE=123456"],
        "pw\n",
        {
            "InitiateAuth": MFA,
            "RespondToAuthChallenge": aws_error(
                "ExpiredCodeException", "Your software token has already been used once."
            ),
        },
        "That code was already used",
        "next code",
    ),
    (
        "lockout",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {"InitiateAuth": aws_error("NotAuthorizedException", "Password attempts exceeded")},
        "Temporarily locked out",
        "1 s after the 5th, 2 s after the 6th",
    ),
    (
        "custom-challenge-ended-by-define-trigger",
        ["--auth-flow", "CUSTOM_AUTH", "--answer", "ANSWER=wrong"],
        "",
        {
            "InitiateAuth": CUSTOM,
            "RespondToAuthChallenge": aws_error("NotAuthorizedException", "Incorrect username or password."),
        },
        "The custom challenge ended the sign-in",
        "Define Auth Challenge trigger",
    ),
]


@pytest.mark.parametrize("case,flags,stdin,script,title,next_step", CASES, ids=[c[0] for c in CASES])
def test_login_explains_each_aws_wording(stub, tmp_path, case, flags, stdin, script, title, next_step):
    stub.script.update(script)
    done = _login(tmp_path, stub.url, *flags, "--json", stdin=stdin)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    explanation = json.loads(done.stdout)["error"]["explanation"]
    assert explanation.splitlines()[0] == title
    assert next_step in explanation
    assert f"\n{title}\n" in done.stderr  # the same explanation on the terminal
    if "SOFTWARE_TOKEN_MFA_CODE=123456" in flags:
        assert stub.operations()[-1] == "RespondToAuthChallenge"
    if case == "custom-challenge-ended-by-define-trigger":
        assert "SRP" not in explanation and "locked out" not in explanation


def test_missing_aws_credentials_are_not_called_unreachable(tmp_path):
    done = _login(
        tmp_path,
        "https://cognito-idp.us-east-1.amazonaws.com",
        "--admin",
        "--auth-flow",
        "ADMIN_USER_PASSWORD_AUTH",
        stdin="pw\n",
        credentials=False,
    )
    assert "Traceback" not in done.stderr and done.returncode == 2  # nothing was sent: not exit 4 (unreachable)
    assert "Unreachable" not in done.stderr and "could not be reached" not in done.stderr
    assert "refused: NoCredentials: AdminInitiateAuth needs AWS credentials" in done.stderr
    assert "AWS credentials needed" in done.stderr and "not a network problem" in done.stderr


def test_an_unresolvable_aws_endpoint_does_not_suggest_the_sandbox(tmp_path):
    done = _login(
        tmp_path,
        "https://cognito-idp.no-such-region.invalid",
        "--public",
        "--auth-flow",
        "USER_PASSWORD_AUTH",
        "--timeout",
        "5",
        stdin="pw\n",
    )
    assert "Traceback" not in done.stderr
    assert "Unreachable" in done.stderr and "sandbox" not in done.stderr
    assert "DNS" in done.stderr
