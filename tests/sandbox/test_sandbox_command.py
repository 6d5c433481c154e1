"""`cognito-tui sandbox`: the --json protocol, the table, outbox lines, and bad seeds (exit 2, no traceback)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

REPO = Path(__file__).resolve().parents[2]
RUN = [sys.executable, "-c", (
    "import argparse, sys\n"
    "from cognito_tui.commands import sandbox as command\n"
    "parser = argparse.ArgumentParser(prog='cognito-tui sandbox')\n"
    "command.add_arguments(parser)\n"
    "sys.exit(command.run(parser.parse_args(sys.argv[1:])))\n"
)]  # fmt: skip


def launch(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*RUN, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip


def stop(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    return out, err


def test_json_first_line_then_outbox_lines():
    process = launch("--port", "0", "--json")
    try:
        first = json.loads(process.stdout.readline())
        assert set(first) == {"endpoint_url", "region", "pools"} and first["region"] == "us-east-1"
        demo = first["pools"][0]
        assert demo["id"] == "us-east-1_DemoPool01" and demo["name"] == "cognito-tui-demo"
        assert {"id": "demopublic0000000000000001", "name": "demo-public"} in demo["clients"]
        confidential = next(c for c in demo["clients"] if c["name"] == "demo-confidential")
        assert confidential["secret"] == "democonfidentialsecretpublicbydesign000000000000002"
        dave = next(u for u in demo["users"] if u["username"] == "dave")
        assert dave["totp_secret"] == "DAVETOTPDEMOSEEDDAVETOTPDEMOSEED" and dave["scenario"] == "totp"
        alice = next(u for u in demo["users"] if u["username"] == "alice")
        assert "totp_secret" not in alice and alice["password"] == "Alice-Sandbox-1"
        scenarios = {u["scenario"] for p in first["pools"] for u in p["users"]}
        assert scenarios == {
            "password", "srp_alias", "new_password", "totp", "sms_mfa", "email_mfa", "select_mfa", "custom_challenge",
            "passwordless_email", "unconfirmed", "reset_required", "disabled", "mfa_setup", "device", "email_username",
        }  # fmt: skip
        client = boto3.client("cognito-idp", endpoint_url=first["endpoint_url"], region_name="us-east-1",
                              aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip
        client.initiate_auth(ClientId="demopublic0000000000000001", AuthFlow="USER_PASSWORD_AUTH",
                             AuthParameters={"USERNAME": "erin", "PASSWORD": "Erin-Sandbox-1"})  # fmt: skip
        line = json.loads(process.stdout.readline())
        assert set(line) == {"username", "medium", "destination", "code"}
        assert line["username"] == "erin" and line["medium"] == "SMS" and line["destination"] == "+15555550105"
    finally:
        out, err = stop(process)
    assert process.returncode == 0 and "Traceback" not in err


def test_readable_table():
    process = launch("--port", "0")
    try:
        header = process.stdout.readline()
        assert header.startswith("cognito-tui sandbox: a local Cognito on http://127.0.0.1:")
        deadline = time.monotonic() + 10
        text = ""
        while "Outbox" not in text and time.monotonic() < deadline:
            text += process.stdout.readline()
    finally:
        stop(process)
    assert (
        "us-east-1_DemoPool01" in text
        and "Alice-Sandbox-1" in text
        and "TOTP seed DAVETOTPDEMOSEEDDAVETOTPDEMOSEED" in text
    )


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        (
            "pools:\n  - id: us-east-1_X1\n    name: x\n    mfa: SOMETIMES\n",
            "pools[0].mfa: 'SOMETIMES' is not one of OFF, OPTIONAL, ON",
        ),
        (
            "pools:\n  - id: us-east-1_X1\n    name: x\n    users:\n      - {username: a, pasword: b}\n",
            "pools[0].users[0].pasword: unknown setting",
        ),
        ("pools: [\n", "line"),
    ],
)
def test_bad_seed_names_file_and_field(tmp_path, seed, expected):
    path = tmp_path / "broken.yaml"
    path.write_text(seed)
    result = subprocess.run(
        [*RUN, "--port", "0", "--seed", str(path)], cwd=REPO, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert str(path) in result.stderr and expected in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_missing_seed_file(tmp_path):
    result = subprocess.run(
        [*RUN, "--seed", str(tmp_path / "nope.yaml")], cwd=REPO, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2 and "nope.yaml" in result.stderr and "Traceback" not in result.stderr


def test_port_in_use_is_an_error_not_a_hang(sandbox):
    result = subprocess.run([*RUN, "--port", str(sandbox.port)], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "cannot serve on 127.0.0.1" in result.stderr and "Traceback" not in result.stderr


def test_help_does_not_import_moto():
    probe = (
        "import sys\nfrom cognito_tui import cli\nimport cognito_tui.sandbox\ncli.build_parser()\n"
        "print(any(m.split('.')[0] in ('moto', 'boto3', 'flask') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert result.stdout.strip() == "False", result.stderr
