"""`cognito-tui login` as a subprocess against the sandbox: the --json shape, each exit code, stdin."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

from cognito_tui.core import totp


def _find(sandbox, scenario):
    for pool in sandbox.describe()["pools"]:
        for user in pool["users"]:
            if user.get("scenario") == scenario:
                return pool, user
    raise KeyError(scenario)


def _client(pool, secret: bool):
    return next(c for c in pool["clients"] if bool(c.get("secret")) == secret and c["name"] != "demo-srp-only")


@pytest.fixture
def login(sandbox, tmp_path):
    def run(*args: str, stdin: str = "", endpoint: str | None = None) -> subprocess.CompletedProcess:
        env = {
            "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
            "PATH": "/usr/bin:/bin",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", endpoint or sandbox.endpoint_url, *args]
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env, timeout=60)

    return run


def _args(pool, client, user, flow):
    return [
        "--user-pool-id",
        pool["id"],
        "--client-id",
        client["id"],
        "--auth-flow",
        flow,
        "--username",
        user["username"],
    ]


def test_json_shape_on_success_with_password_from_stdin(sandbox, login):
    pool, user = _find(sandbox, "password")
    done = login(*_args(pool, _client(pool, False), user, "USER_SRP_AUTH"), "--json", stdin=user["password"] + "\n")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"steps", "authentication_result", "claims"}
    assert [s["operation"] for s in out["steps"]] == ["InitiateAuth", "RespondToAuthChallenge"]
    assert out["steps"][0]["challenge"] == "PASSWORD_VERIFIER" and out["steps"][1]["challenge"] is None
    assert all(isinstance(s["duration_ms"], (int, float)) for s in out["steps"])
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(out["authentication_result"])
    assert out["claims"]["id"]["cognito:username"] == "alice" and out["claims"]["access"]["username"] == "alice"
    assert done.stderr.count("→ ") == 2  # progress: one line per call
    assert user["password"] not in done.stderr


def test_refused_is_exit_1_with_error_json(sandbox, login):
    pool, user = _find(sandbox, "password")
    done = login(*_args(pool, _client(pool, False), user, "USER_PASSWORD_AUTH"), "--json", stdin="Not-The-Password1\n")
    assert done.returncode == 1
    out = json.loads(done.stdout)
    assert set(out) == {"steps", "error"}
    assert out["error"]["code"] == "NotAuthorizedException"
    assert out["error"]["message"] == "Incorrect username or password."
    assert "Wrong username or password" in out["error"]["explanation"]


def test_answers_from_stdin_one_line_per_prompt(sandbox, login):
    pool, user = _find(sandbox, "totp")
    code = totp.now_code(user["totp_secret"], sandbox.clock.now())
    done = login(
        *_args(pool, _client(pool, False), user, "USER_PASSWORD_AUTH"), "--json", stdin=f"{user['password']}\n{code}\n"
    )
    assert done.returncode == 0, done.stderr
    assert [s["challenge"] for s in json.loads(done.stdout)["steps"]] == ["SOFTWARE_TOKEN_MFA", None]


def test_needs_an_answer_and_none_is_available_exit_3(sandbox, login):
    pool, user = _find(sandbox, "select_mfa")
    done = login(*_args(pool, _client(pool, False), user, "USER_PASSWORD_AUTH"), stdin=user["password"] + "\n")
    assert done.returncode == 3, done.stderr
    assert "no input" in done.stderr and "Traceback" not in done.stderr


def test_answer_flag_prefills_and_client_secret_from_stdin(sandbox, login):
    pool, user = _find(sandbox, "password")
    client = _client(pool, True)
    done = login(
        *_args(pool, client, user, "USER_PASSWORD_AUTH"),
        "--client-secret-stdin",
        "--answer",
        f"PASSWORD={user['password']}",
        "--json",
        stdin=client["secret"] + "\n",
    )
    assert done.returncode == 0, done.stderr
    assert client["secret"] not in done.stderr + done.stdout


def test_secret_fetched_with_describe_user_pool_client_when_credentials_allow(sandbox, login):
    pool, user = _find(sandbox, "password")
    client = _client(pool, True)
    done = login(*_args(pool, client, user, "USER_PASSWORD_AUTH"), "--json", stdin=user["password"] + "\n")
    assert done.returncode == 0, done.stderr
    assert "client secret: taken from DescribeUserPoolClient" in done.stderr
    assert client["secret"] not in done.stderr


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--user-pool-id", "not-a-pool", "--client-id", "x", "--username", "u"], "looks like"),
        (
            ["--user-pool-id", "us-east-1_X", "--client-id", "x", "--auth-flow", "NOPE", "--username", "u"],
            "unknown --auth-flow",
        ),
        (["--client-id", "x"], "--user-pool-id"),
        (["--user-pool-id", "us-east-1_X", "--client-id", "x", "--context-data", "ip=1.2.3.4"], "needs"),
    ],
)
def test_usage_errors_exit_2(login, args, needle):
    done = login(*args, stdin="pw\n")
    assert done.returncode == 2
    assert needle in done.stderr and "Traceback" not in done.stderr


def test_dead_endpoint_exits_4_not_usage(sandbox, login):
    """Nothing listens: a runtime failure (4), told apart from bad flags (2); `login --help` lists the codes."""
    pool, user = _find(sandbox, "password")
    done = login(
        *_args(pool, _client(pool, False), user, "USER_PASSWORD_AUTH"),
        "--timeout",
        "2",
        stdin="pw\n",
        endpoint="http://127.0.0.1:9",
    )
    assert done.returncode == 4
    assert "could not be reached" in done.stderr and "Traceback" not in done.stderr
    helped = login("--help")
    assert (
        "exit codes:" in helped.stdout and "  4  no usable answer: the endpoint could not be reached" in helped.stdout
    )


def test_skeleton_and_cli_input_json(sandbox, login, tmp_path):
    skeleton = login("--generate-cli-skeleton")
    assert skeleton.returncode == 0
    shape = json.loads(skeleton.stdout)
    assert {"UserPoolId", "ClientId", "AuthFlow", "AuthParameters"} <= set(shape)
    pool, user = _find(sandbox, "password")
    data = {
        "UserPoolId": pool["id"],
        "ClientId": _client(pool, False)["id"],
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": user["username"], "PASSWORD": user["password"]},
        "ClientMetadata": {"origin": "pytest"},
    }
    path = tmp_path / "request.json"
    path.write_text(json.dumps(data))
    done = login("--cli-input-json", str(path), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["steps"][0]["operation"] == "AdminInitiateAuth"
    path.write_text("{not json")
    bad = login("--cli-input-json", str(path))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def _in_a_terminal(argv: list[str], env: dict[str, str], lines: list[str]) -> subprocess.CompletedProcess:
    """Run `login` with a pseudo-terminal on stdin, typing each line when its prompt shows.

    Typed only at the prompt, as a person would: a hidden prompt flushes what was typed before it.
    """
    import os
    import pty
    import threading

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.extend(iter(lambda: proc.stderr.read1(4096), b"")), daemon=True)
    reader.start()
    try:
        mark = 0
        for line in lines:
            for _ in range(1200):  # at most a minute or so for the next prompt
                text = b"".join(err)
                threading.Event().wait(0.05)
                settled = text == b"".join(err)  # a prompt waits; a chunk cut at ": " goes on
                if (len(text) > mark and text.endswith(b": ") and settled) or proc.poll() is not None:
                    break
            mark = len(b"".join(err))
            os.write(master, f"{line}\n".encode())
        out = proc.stdout.read().decode()
        proc.wait(timeout=60)
        reader.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(slave)
        os.close(master)
    return subprocess.CompletedProcess(argv, proc.returncode, out, b"".join(err).decode())


def _env(tmp_path) -> dict[str, str]:
    return {
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }


def test_in_a_terminal_a_wrong_mfa_code_is_asked_again_on_the_same_session(fresh_sandbox, tmp_path):
    sandbox = fresh_sandbox()
    pool, user = _find(sandbox, "totp")
    code = totp.now_code(user["totp_secret"], sandbox.clock.now())
    wrong = "000000" if code != "000000" else "111111"
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", sandbox.endpoint_url]
    argv += _args(pool, _client(pool, False), user, "USER_PASSWORD_AUTH")
    argv += ["--answer", f"PASSWORD={user['password']}", "--json"]
    done = _in_a_terminal(argv, _env(tmp_path), [wrong, code])
    assert done.returncode == 0, done.stderr
    assert "CodeMismatchException" in done.stderr and "asking again" in done.stderr
    calls = [s["operation"] for s in json.loads(done.stdout)["steps"]]
    assert calls == ["InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge"]


def test_in_a_terminal_a_refused_new_password_restarts_the_sign_in(fresh_sandbox, tmp_path):
    sandbox = fresh_sandbox()
    pool, user = _find(sandbox, "new_password")
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", sandbox.endpoint_url]
    argv += _args(pool, _client(pool, False), user, "USER_PASSWORD_AUTH")
    argv += ["--answer", f"PASSWORD={user['password']}", "--json"]
    lines = ["abc", "Carol Example", "Brand-New-Pass1!"]  # too short, the name, then a good one (the name kept)
    done = _in_a_terminal(argv, _env(tmp_path), lines)
    assert done.returncode == 0, done.stderr
    assert "InvalidPasswordException" in done.stderr and "starting the sign-in again" in done.stderr
    assert "session can only be used once" not in done.stderr
    calls = [s["operation"] for s in json.loads(done.stdout)["steps"]]
    assert calls == ["InitiateAuth", "RespondToAuthChallenge", "InitiateAuth", "RespondToAuthChallenge"]


def test_mfa_setup_seed_goes_into_the_json_not_stderr_with_json(fresh_sandbox, tmp_path):
    """ivan sets up TOTP inside the sign-in: with --json the seed is in "mfa_setup", never on stderr."""
    sb = fresh_sandbox()
    pool, user = _find(sb, "mfa_setup")
    client = next(c for c in pool["clients"] if c["name"] == user["client"])
    env = {
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", sb.endpoint_url]
    argv += [*_args(pool, client, user, "USER_SRP_AUTH"), "--answer", "MFA_TYPE=SOFTWARE_TOKEN_MFA", "--json"]
    directory = sb._service.directory
    live_pool = directory.pool(pool["id"])
    live_user = directory.find_user(live_pool, user["username"])
    with subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as proc:
        assert proc.stdin is not None
        proc.stdin.write(user["password"] + "\n")
        proc.stdin.flush()
        state = directory.state(live_pool, live_user)
        for _ in range(1200):  # the login blocks on the code line until we write it: wait for its secret
            if state.totp_pending is not None or proc.poll() is not None:
                break
            threading.Event().wait(0.05)
        secret = state.totp_pending
        assert secret is not None, "AssociateSoftwareToken was not called"
        out, err = proc.communicate(totp.now_code(secret, sb.clock.now()) + "\npytest\n", timeout=60)
    assert proc.returncode == 0, err
    result = json.loads(out)
    assert result["mfa_setup"]["secret_code"] == secret
    assert (
        result["mfa_setup"]["otpauth_uri"].startswith("otpauth://totp/")
        and secret in result["mfa_setup"]["otpauth_uri"]
    )
    assert secret not in err and "otpauth://" not in err and '"mfa_setup"' in err
    assert result["claims"]["access"]["username"] == user["username"]
