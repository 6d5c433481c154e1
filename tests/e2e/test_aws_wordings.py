"""`cognito-tui login` against a server that answers with AWS's own error wordings (protocol 5 and 5.1).

The server is a small stub on 127.0.0.1 (a free port) speaking Cognito's JSON protocol: each
operation gets a scripted answer, errors as `{"__type": ..., "message": ...}` with AWS's status and
headers, so the explanation printed is the one a user of real Cognito would see.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

POOL = "us-east-1_StubPool1"
CLIENT = "1stubclient23456789abcdefg"
SESSION = "AYABe" + "x" * 60  # long enough for botocore's Session length check


def _error(code: str, message: str, status: int = 400) -> tuple[int, dict[str, Any]]:
    return status, {"__type": code, "message": message}


class StubCognito:
    """Answers each X-Amz-Target operation with its scripted (status, body); records what it got."""

    def __init__(self) -> None:
        self.script: dict[str, tuple[int, dict[str, Any]]] = {}
        self.received: list[tuple[str, dict[str, Any]]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                stub.received.append((operation, body))
                status, answer = stub.script.get(operation, _error("InternalErrorException", "not scripted", 500))
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                if status >= 400:
                    self.send_header("x-amzn-ErrorType", f"{answer['__type']}:")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def operations(self) -> list[str]:
        return [op for op, _ in self.received]


@pytest.fixture
def stub() -> Iterator[StubCognito]:
    server = StubCognito()
    server.thread.start()
    server.script["DescribeUserPoolClient"] = (200, {"UserPoolClient": {"UserPoolId": POOL, "ClientId": CLIENT}})
    yield server
    server.server.shutdown()
    server.server.server_close()


def _env(tmp_path: Path, credentials: bool = True) -> dict[str, str]:
    env = {
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    if credentials:
        env |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return env


def _login(tmp_path: Path, endpoint: str, *args: str, stdin: str = "", credentials: bool = True):
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", endpoint, "--user-pool-id", POOL]
    argv += ["--client-id", CLIENT, "--username", "dave", *args]
    return subprocess.run(
        argv, input=stdin, capture_output=True, text=True, env=_env(tmp_path, credentials), timeout=120
    )


MFA = (200, {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": SESSION, "ChallengeParameters": {"USERNAME": "dave"}})
CUSTOM = (200, {"ChallengeName": "CUSTOM_CHALLENGE", "Session": SESSION, "ChallengeParameters": {"USERNAME": "dave"}})

# (case id, login flags, stdin, {operation: answer}, title printed, a word of the next step)
CASES = [
    (
        "srp-not-enabled-aws",
        ["--auth-flow", "USER_SRP_AUTH"],
        "pw\n",
        {"InitiateAuth": _error("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.")},
        "This flow is not allowed for this client",
        "ALLOW_USER_SRP_AUTH",
    ),
    (
        "srp-not-enabled-older",
        ["--auth-flow", "USER_SRP_AUTH"],
        "pw\n",
        {"InitiateAuth": _error("InvalidParameterException", "Auth flow not enabled for this client")},
        "This flow is not allowed for this client",
        "ALLOW_USER_SRP_AUTH",
    ),
    (
        "password-auth-not-enabled",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {"InitiateAuth": _error("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client")},
        "This flow is not allowed for this client",
        "ALLOW_USER_PASSWORD_AUTH",
    ),
    (
        "secret-hash-missing-aws",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {
            "InitiateAuth": _error(
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
            "InitiateAuth": _error(
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
            "InitiateAuth": _error(
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
        {"InitiateAuth": _error("NotAuthorizedException", f"Unable to verify secret hash for client {CLIENT}")},
        "SECRET_HASH did not verify",
        "'dave'",
    ),
    (
        "admin-flow-on-initiate-auth",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {"InitiateAuth": _error("InvalidParameterException", "Initiate Auth method not supported.")},
        "This flow does not go to this API",
        "AdminInitiateAuth",
    ),
    (
        "session-reused",
        ["--auth-flow", "USER_PASSWORD_AUTH", "--answer", "SOFTWARE_TOKEN_MFA_CODE=123456"],
        "pw\n",
        {
            "InitiateAuth": MFA,
            "RespondToAuthChallenge": _error(
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
            "RespondToAuthChallenge": _error(
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
            "RespondToAuthChallenge": _error("NotAuthorizedException", "Invalid session for the user."),
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
            "RespondToAuthChallenge": _error("ExpiredCodeException", "Your software token has already been used once."),
        },
        "That code was already used",
        "next code",
    ),
    (
        "lockout",
        ["--auth-flow", "USER_PASSWORD_AUTH"],
        "pw\n",
        {"InitiateAuth": _error("NotAuthorizedException", "Password attempts exceeded")},
        "Temporarily locked out",
        "1 s after the 5th, 2 s after the 6th",
    ),
    (
        "custom-challenge-ended-by-define-trigger",
        ["--auth-flow", "CUSTOM_AUTH", "--answer", "ANSWER=wrong"],
        "",
        {
            "InitiateAuth": CUSTOM,
            "RespondToAuthChallenge": _error("NotAuthorizedException", "Incorrect username or password."),
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
    assert "Traceback" not in done.stderr
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
