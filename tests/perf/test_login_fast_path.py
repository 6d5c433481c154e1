"""`cognito-tui login`'s fast path keeps its behaviour: calls counted on the sandbox, output complete when piped.

- a client without a secret: no DescribeUserPoolClient, only the sign-in's own calls;
- a client with a secret and none given: Cognito asks for SECRET_HASH, then (and only then) the
  secret comes from DescribeUserPoolClient and the walk starts again;
- a loopback endpoint and no AWS credentials: the EC2 metadata endpoint is never asked;
- the fast exit (no final collection) still writes the whole --json object to a pipe.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cognito_tui.core import totp

POOL = "us-east-1_DemoPool01"
PUBLIC = "demopublic0000000000000001"
CONFIDENTIAL = "democonfidential0000000002"


@pytest.fixture
def counted(fresh_sandbox):
    """A fresh demo sandbox whose operations are recorded, in order, as they reach it."""
    sb = fresh_sandbox()
    seen: list[str] = []
    service = sb._service
    real = service.handle

    def handle(operation, body):
        seen.append(operation)
        return real(operation, body)

    service.handle = handle
    return sb, seen


def login(sb, *args: str, stdin: str = "", env: dict[str, str] | None = None, tmp_path) -> subprocess.CompletedProcess:
    base = {
        "COGNITO_TUI_CONFIG": str(tmp_path / "profiles.yaml"),
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "PATH": "/usr/bin:/bin",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    argv = [sys.executable, "-m", "cognito_tui", "login", "--endpoint-url", sb.endpoint_url, "--user-pool-id", POOL]
    return subprocess.run(
        argv + list(args), input=stdin, capture_output=True, text=True, env={**base, **(env or {})}, timeout=120
    )


def test_public_client_gets_no_describe_call(counted, tmp_path):
    sb, seen = counted
    done = login(
        sb, "--client-id", PUBLIC, "--username", "alice", "--json", stdin="Alice-Sandbox-1\n", tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert seen == ["InitiateAuth", "RespondToAuthChallenge"]
    assert [s["operation"] for s in json.loads(done.stdout)["steps"]] == seen


def test_secret_is_described_only_once_cognito_asks_for_it(counted, tmp_path):
    sb, seen = counted
    args = ("--client-id", CONFIDENTIAL, "--username", "alice", "--auth-flow", "USER_PASSWORD_AUTH", "--json")
    done = login(sb, *args, stdin="Alice-Sandbox-1\n", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert seen == ["InitiateAuth", "DescribeUserPoolClient", "InitiateAuth"]
    assert "client secret: taken from DescribeUserPoolClient" in done.stderr
    out = json.loads(done.stdout)
    assert out["claims"]["access"]["username"] == "alice"
    assert "democonfidentialsecret" not in done.stdout + done.stderr  # the secret itself is never printed


def test_admin_call_on_loopback_never_asks_the_metadata_endpoint(counted, tmp_path):
    sb, seen = counted
    hits: list[str] = []

    class Metadata(BaseHTTPRequestHandler):
        def _any(self) -> None:
            hits.append(f"{self.command} {self.path}")
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_PUT = _any

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {"AWS_EC2_METADATA_SERVICE_ENDPOINT": f"http://127.0.0.1:{server.server_port}/"}  # no AWS credentials
        args = ("--client-id", PUBLIC, "--username", "alice", "--admin", "--auth-flow", "ADMIN_USER_PASSWORD_AUTH")
        done = login(sb, *args, "--json", stdin="Alice-Sandbox-1\n", env=env, tmp_path=tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr
    assert seen == ["AdminInitiateAuth"]  # signed with placeholder credentials
    assert hits == []


def test_fast_exit_writes_the_whole_json_object_to_a_pipe(counted, tmp_path):
    sb, _ = counted
    dave = next(u for p in sb.describe()["pools"] for u in p["users"] if u.get("scenario") == "totp")
    code = totp.now_code(dave["totp_secret"], sb.clock.now())
    args = ("--client-id", PUBLIC, "--username", "dave", "--answer", f"SOFTWARE_TOKEN_MFA_CODE={code}", "--json")
    done = login(sb, *args, stdin="Dave-Sandbox-1\n", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("}\n") and done.stdout.count("\n") == 1
    out = json.loads(done.stdout)
    assert [s["challenge"] for s in out["steps"]] == ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA", None]
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(out["authentication_result"])
    assert done.stderr.count("→ ") == 3  # every progress line reached stderr too
    refused = login(
        sb, "--client-id", PUBLIC, "--username", "alice", "--json", stdin="Wrong-Pass-1\n", tmp_path=tmp_path
    )
    assert refused.returncode == 1 and json.loads(refused.stdout)["error"]["code"] == "NotAuthorizedException"
