"""`login --generate-cli-skeleton` and `--cli-input-json` as the real AWS CLI (v1, a test dependency) has them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from stub_cognito import CLIENT, POOL, SESSION, login_env

# The AWS CLI picks the skeleton's AuthFlow at random among the enum values; this runs the real
# CLI with that one choice fixed to the model's first value (all else untouched).
FIRST_CHOICE = "import random, sys; random.choice = lambda seq: seq[0]; "
# For `output` the CLI 1.x validates its own made-up response and trips over Session's minimum
# length; this also switches that check off, to see the output it means to print.
NO_STUB_CHECK = "import botocore.stub; botocore.stub.Stubber._validate_operation_response = lambda *a: None; "
RUN_CLI = "from awscli.clidriver import main; sys.exit(main())"


def _aws(*args: str, prelude: str = FIRST_CHOICE) -> subprocess.CompletedProcess:
    env = {"AWS_DEFAULT_REGION": "us-east-1", "PATH": "/usr/bin:/bin", "AWS_CONFIG_FILE": "/dev/null"}
    argv = [sys.executable, "-c", prelude + RUN_CLI, "cognito-idp", *args]
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)


def _login(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "cognito_tui", "login", *args]
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=login_env(tmp_path), timeout=120)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ((), ("admin-initiate-auth",)),
        (("--admin",), ("admin-initiate-auth",)),
        (("input",), ("admin-initiate-auth", "input")),
        (("--public",), ("initiate-auth",)),
        (("input", "--public"), ("initiate-auth", "input")),
    ],
)
def test_input_skeleton_is_the_aws_clis_byte_for_byte(tmp_path, ours, theirs):
    cli = _aws(theirs[0], "--generate-cli-skeleton", *theirs[1:])
    assert cli.returncode == 0, cli.stderr
    done = _login(tmp_path, "--generate-cli-skeleton", *ours)
    assert done.returncode == 0, done.stderr
    assert done.stdout == cli.stdout
    assert '"AuthParameters": {\n        "KeyName": ""\n    }' in done.stdout and '"Session": ""' in done.stdout


def test_the_unpatched_cli_differs_from_ours_only_in_its_random_auth_flow(tmp_path):
    cli = _aws("admin-initiate-auth", "--generate-cli-skeleton", prelude="import sys; ")
    ours = _login(tmp_path, "--generate-cli-skeleton").stdout
    theirs = json.loads(cli.stdout)
    assert theirs["AuthFlow"] in ("USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH") + (
        "ADMIN_NO_SRP_AUTH",
        "USER_PASSWORD_AUTH",
        "ADMIN_USER_PASSWORD_AUTH",
        "USER_AUTH",
    )
    assert ours == cli.stdout.replace(f'"AuthFlow": "{theirs["AuthFlow"]}"', '"AuthFlow": "USER_SRP_AUTH"')


@pytest.mark.parametrize(
    ("operation", "ours", "required"),
    [
        ("admin-initiate-auth", ("--user-pool-id", POOL, "--client-id", CLIENT), ("--user-pool-id", POOL)),
        ("initiate-auth", ("--public", "--client-id", CLIENT), ()),
    ],
)
def test_output_skeleton_is_the_aws_clis(tmp_path, operation, ours, required):
    flags = ("--generate-cli-skeleton", "output", *required, "--client-id", CLIENT, "--auth-flow", "USER_SRP_AUTH")
    real = _aws(operation, *flags)
    meant = _aws(operation, *flags, prelude=FIRST_CHOICE + NO_STUB_CHECK)
    assert meant.returncode == 0, meant.stderr
    if real.returncode != 0:  # CLI 1.x: its own stub response fails its own validation
        assert "Invalid length for parameter Session, value: 7, valid min length: 20" in real.stderr
    else:
        assert real.stdout == meant.stdout
    done = _login(tmp_path, *ours, "--generate-cli-skeleton", "output")
    assert done.returncode == 0, done.stderr
    assert done.stdout == meant.stdout
    assert json.loads(done.stdout)["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"] == "DeviceKey"


def test_output_skeleton_checks_the_required_arguments_first(tmp_path):
    cli = _aws("admin-initiate-auth", "--generate-cli-skeleton", "output")
    assert cli.returncode != 0 and "the following arguments are required: --user-pool-id, --client-id" in cli.stderr
    done = _login(tmp_path, "--generate-cli-skeleton", "output")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the following arguments are required: --user-pool-id, --client-id" in done.stderr
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"UserPoolId": POOL, "ClientId": CLIENT}))
    from_file = _login(tmp_path, "--generate-cli-skeleton", "output", "--cli-input-json", str(path))
    assert from_file.returncode == 0 and json.loads(from_file.stdout)["ChallengeName"] == "ChallengeName"
    bad = _login(tmp_path, "--generate-cli-skeleton", "nonsense")
    assert bad.returncode == 2 and "invalid choice: 'nonsense'" in bad.stderr


def test_the_clis_own_skeleton_filled_in_is_accepted_with_its_session(stub, tmp_path):
    tokens = {"AccessToken": "a", "IdToken": "i", "ExpiresIn": 3600, "TokenType": "Bearer"}
    stub.script["InitiateAuth"] = (200, {"AuthenticationResult": tokens})
    skeleton = json.loads(_aws("initiate-auth", "--generate-cli-skeleton").stdout)
    skeleton |= {"ClientId": CLIENT, "AuthFlow": "USER_AUTH", "Session": SESSION}
    skeleton["AuthParameters"] = {"USERNAME": "dave"}
    skeleton["ClientMetadata"] = {"from": "file", "other": "kept only without a flag"}
    path = tmp_path / "in.json"
    path.write_text(json.dumps(skeleton))
    done = _login(
        tmp_path,
        "--endpoint-url",
        stub.url,
        "--user-pool-id",
        POOL,
        "--cli-input-json",
        str(path),
        "--client-metadata",
        "from=flag",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    operation, body = stub.received[-1]
    assert operation == "InitiateAuth"
    assert body["Session"] == SESSION  # sent as given, the way the CLI sends it
    assert body["ClientMetadata"] == {"from": "flag"}  # a command-line value replaces the file's, as in the CLI
    assert body["AuthParameters"]["USERNAME"] == "dave"
    assert SESSION not in done.stderr  # bearer material stays out of the progress lines


def test_a_session_the_cli_would_refuse_is_refused_with_its_reason(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"UserPoolId": POOL, "ClientId": CLIENT, "Session": "short"}))
    done = _login(tmp_path, "--cli-input-json", str(path), "--username", "dave", stdin="pw\n")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "Invalid length for parameter Session, value: 5, valid min length: 20" in done.stderr
