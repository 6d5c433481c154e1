"""`cognito-tui login` as a subprocess against each fault: a clear message, retries shown, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.faults.test_gateway_faults import EXPECTED

POOL = "us-east-1_Faults01"


def _login(url: str, *extra: str, tmp_path) -> subprocess.CompletedProcess:
    env = {
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", url, "--user-pool-id", POOL]
    argv += ["--client-id", "client1", "--username", "u", "--auth-flow", "USER_PASSWORD_AUTH"]
    argv += ["--answer", "PASSWORD=p", "--timeout", "2", *extra]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)


@pytest.mark.parametrize("mode", sorted({*EXPECTED, "missing"}))
def test_login_reports_each_fault_clearly(fault_server, tmp_path, mode):
    server = fault_server(mode)
    done = _login(server.url, tmp_path=tmp_path)
    assert "Traceback" not in done.stderr, done.stderr
    # 4: Cognito gave no usable answer (not a refusal, not a usage error); 1: an answer with neither result
    assert done.returncode == (1 if mode == "missing" else 4), done.stderr
    title, retried, words = EXPECTED.get(mode, ("UnexpectedResponse", False, "neither AuthenticationResult"))
    assert words in done.stderr and title in done.stderr, done.stderr
    assert ("attempt 2 of 3" in done.stderr) is retried
    assert ("attempt 3 of 3" in done.stderr) is retried
    assert server.requests == (3 if retried else 1)  # no hidden DescribeUserPoolClient first
    assert "DescribeUserPoolClient" not in done.stderr


def test_login_hung_server_gives_up_after_the_timeout_with_one_request(fault_server, tmp_path):
    server = fault_server("hang")
    done = _login(server.url, "--json", tmp_path=tmp_path)
    assert "no answer within 2 s" in done.stderr and server.requests == 1, done.stderr
    assert '"error"' in done.stdout and "Traceback" not in done.stderr and done.returncode == 4


@pytest.mark.parametrize(
    "body,words",
    [
        (b'{"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {"SRP_B": "02"}, "Session": "s"}', "SALT"),
        (b'{"ChallengeName": "SELECT_MFA_TYPE", "ChallengeParameters": {"MFAS_CAN_CHOOSE": "[x"}}', "MFAS_CAN_CHOOSE"),
        (
            b'{"ChallengeName": "SELECT_MFA_TYPE", "ChallengeParameters": {"MFAS_CAN_CHOOSE": "[\\"SMS_MFA\\"]"}}',
            "in a row",
        ),
        (b'{"AuthenticationResult": null}', "neither"),
    ],
)
def test_login_ends_nonsense_challenges_with_a_message(fault_server, tmp_path, body, words):
    server = fault_server("json", body=body)
    done = _login(server.url, "--auth-flow", "USER_SRP_AUTH", tmp_path=tmp_path)
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    assert words in done.stderr and server.requests <= 12, done.stderr
