"""A stub Cognito on 127.0.0.1: scripted answers per operation, in Cognito's JSON protocol and headers."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

POOL = "us-east-1_StubPool1"
CLIENT = "1stubclient23456789abcdefg"
SESSION = "AYABe" + "x" * 60  # long enough for botocore's Session length check

Answer = tuple[int, dict[str, Any]]


def aws_error(code: str, message: str, status: int = 400) -> Answer:
    return status, {"__type": code, "message": message}


class StubCognito:
    """Answers each X-Amz-Target operation with its scripted (status, body); records what it got."""

    def __init__(self) -> None:
        self.script: dict[str, Answer] = {}
        self.received: list[tuple[str, dict[str, Any]]] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                operation = (self.headers.get("X-Amz-Target") or "").rpartition(".")[2]
                stub.received.append((operation, body))
                status, answer = stub.script.get(operation, aws_error("InternalErrorException", "not scripted", 500))
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

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def operations(self) -> list[str]:
        return [op for op, _ in self.received]


def login_env(tmp_path: Path, credentials: bool = True) -> dict[str, str]:
    """The environment of a `cognito-tui login` subprocess: no AWS config, no keyring, no IMDS."""
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
