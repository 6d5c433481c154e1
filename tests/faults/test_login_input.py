"""Bad `login` input is refused at the edge: exit 2 (usage), the reason and a fix, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

BASE = ["--user-pool-id", "us-east-1_Input01", "--client-id", "client1", "--username", "u"]
BASE += ["--auth-flow", "USER_PASSWORD_AUTH", "--answer", "PASSWORD=p", "--endpoint-url", "http://127.0.0.1:9"]


def _login(tmp_path, *args: str, stdin: bytes = b"", **more_env: str) -> subprocess.CompletedProcess:
    env = {
        **more_env,
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    argv = [sys.executable, "-m", "cognito_tui", "login", *BASE, *args]
    return subprocess.run(argv, input=stdin, capture_output=True, env=env, timeout=60)


def _stderr(done: subprocess.CompletedProcess) -> str:
    return done.stderr.decode("utf-8", "replace")


@pytest.mark.parametrize(
    "args,words",
    [
        (["--region", "0"], "is not an AWS Region code"),
        (["--region", "us-east-1 "], "is not an AWS Region code"),
        (["--user-pool-id", "ü_x"], "does not look like <region>_<id>"),
        (["--user-pool-id", "us-east-1_ü"], "looks like <region>_<id>"),
        (["--client-id", "a b"], "is not an app client id"),
        (["--endpoint-url", "notaurl"], "must start with http:// or https://"),
        (["--endpoint-url", "http://"], "has no host"),
        (["--endpoint-url", "file:///x"], "must start with http:// or https://"),
        (["--endpoint-url", "http://[::1"], "is not a URL"),
        (["--endpoint-url", "http://127.0.0.1:99999"], "is not a URL"),
        (["--timeout", "0"], "outside"),
        (["--timeout", "-1"], "outside"),
        (["--timeout", "nan"], "not a number"),
        (["--timeout", "inf"], "outside"),
    ],
)
def test_bad_flags_are_usage_errors_with_a_fix(tmp_path, args, words):
    done = _login(tmp_path, *args)
    err = _stderr(done)
    assert done.returncode == 2 and "Traceback" not in err, err
    assert words in err and ("Invalid input" in err or "e.g. us-east-1_AbCdEf123" in err), err
    assert len(err.strip().splitlines()) in (1, 2), err  # what, then the fix


def test_deeply_nested_cli_input_json_is_refused(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    done = _login(tmp_path, "--cli-input-json", str(path))
    assert done.returncode == 2 and "nested more than" in _stderr(done) and "Traceback" not in _stderr(done)


@pytest.mark.parametrize("source", ["/dev/zero", "big"])
def test_endless_or_huge_cli_input_json_is_refused_without_reading_it_all(tmp_path, source):
    if source == "big":
        source = str(tmp_path / "big.json")
        (tmp_path / "big.json").write_text('{"ClientId": "' + "x" * (2 << 20) + '"}')
    done = _login(tmp_path, "--cli-input-json", source)
    assert done.returncode == 2 and "larger than 1024 KiB" in _stderr(done), _stderr(done)


def test_non_utf8_cli_input_json_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"ClientId": "\xe9"}')
    done = _login(tmp_path, "--cli-input-json", str(path))
    assert done.returncode == 2 and "not UTF-8 text (byte 0xe9" in _stderr(done)


def test_non_utf8_client_secret_on_stdin_is_refused(tmp_path):
    done = _login(tmp_path, "--client-secret-stdin", stdin=b"\xff\xfesecret\n")
    err = _stderr(done)
    assert done.returncode == 2 and "--client-secret-stdin: not UTF-8 text (byte 0xff" in err, err
    assert "printf" in err and "Traceback" not in err


def test_non_utf8_answer_on_stdin_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "BASE", [a for a in BASE if a not in ("--answer", "PASSWORD=p")])
    done = _login(tmp_path, stdin=b"\xff\n", LANG="C.UTF-8")  # a UTF-8 locale: stdin decodes strictly
    err = _stderr(done)
    assert done.returncode == 2 and "stdin is not UTF-8 text" in err and "Traceback" not in err, err
