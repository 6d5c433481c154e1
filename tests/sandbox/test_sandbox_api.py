"""The Python API the TUI and the login command use: start, describe, lookups, outbox, clock."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sandbox_helpers import password_auth

from cognito_tui.sandbox import Sandbox
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.outbox import Outbox, mask_email, mask_phone

REPO = Path(__file__).resolve().parents[2]


def test_describe_and_lookups(sandbox):
    info = sandbox.describe()
    assert info["endpoint_url"] == sandbox.endpoint_url and sandbox.endpoint_url.startswith("http://127.0.0.1:")
    assert sandbox.region == info["region"] == "us-east-1"
    assert sandbox.pool_id("cognito-tui-demo") == "us-east-1_DemoPool01"
    assert sandbox.pool_id("us-east-1_Devices0001") == "us-east-1_Devices0001"
    assert sandbox.client("cognito-tui-demo", "demo-public") == {"id": "demopublic0000000000000001", "secret": None}
    assert sandbox.client("email-username", "email-confidential")["secret"]
    assert (
        sandbox.jwks_url("us-east-1_DemoPool01") == f"{sandbox.endpoint_url}/us-east-1_DemoPool01/.well-known/jwks.json"
    )
    users = {u["username"]: u for p in info["pools"] for u in p["users"]}
    assert users["bob"]["alias"] == "bob@example.com" and users["bob"]["flow"] == "USER_SRP_AUTH"
    assert users["erin"]["phone_number"] == "+15555550105" and users["erin"]["client"] == "demo-public"
    assert users["walter@example.com"]["client"] == "email-confidential"
    assert "alias" not in users["uma"]  # an unverified email is no alias
    assert all(u["description"] for u in users.values())
    with pytest.raises(KeyError):
        sandbox.pool_id("nope")


def test_fixed_ids_survive_a_restart(fresh_sandbox):
    a, b = fresh_sandbox(), fresh_sandbox()
    strip = lambda info: [{k: v for k, v in p.items()} for p in info["pools"]]  # noqa: E731
    assert strip(a.describe()) == strip(b.describe())
    assert a.endpoint_url != b.endpoint_url


def test_two_sandboxes_do_not_share_state(fresh_sandbox, boto_client):
    a, b = fresh_sandbox(), fresh_sandbox()
    boto_client(a).admin_disable_user(UserPoolId="us-east-1_DemoPool01", Username="alice")
    assert "AuthenticationResult" in password_auth(boto_client(b), "alice")


def test_outbox_subscribe_latest_and_masks():
    outbox = Outbox()
    seen = []
    unsubscribe = outbox.subscribe(seen.append)
    outbox.subscribe(lambda m: 1 / 0)  # a broken subscriber is dropped, not fatal
    message = {"pool_id": "p", "username": "erin", "real_username": "erin", "medium": "SMS", "destination": "+15555550105",
               "code": "123456", "purpose": "SMS_MFA", "time": 0.0}  # fmt: skip
    outbox.deliver(message)
    outbox.deliver({**message, "code": "654321"})
    assert [m["code"] for m in seen] == ["123456", "654321"]
    assert outbox.latest("erin")["code"] == "654321" and outbox.latest("+15555550105")["code"] == "654321"
    assert outbox.latest("frank") is None
    unsubscribe()
    outbox.deliver(message)
    assert len(seen) == 2 and len(outbox.messages()) == 3
    assert mask_phone("+15555550105") == "+*******0105" and mask_email("frank@example.com") == "f***@e***"


def test_clock():
    frozen = Clock(frozen_at=1000.0)
    assert frozen.now() == 1000.0 and frozen.advance(30) == 1030.0 and frozen.now() == 1030.0
    real = Clock()
    assert abs(real.now() - time.time()) < 1
    real.advance(3600)
    assert 3599 < real.now() - time.time() < 3601
    with pytest.raises(ValueError):
        real.advance(-1)


def test_a_second_sandbox_in_a_warm_process_serves_at_once(fresh_sandbox):
    """Starting is timed by benchmarks/sandbox_start.py; here: it is up and answering when start() returns."""
    sb = fresh_sandbox()
    assert sb.running and sb.endpoint_url is not None
    with urllib.request.urlopen(sb.jwks_url(sb.seed.pools[0].id), timeout=10) as response:
        assert len(json.loads(response.read())["keys"]) == 2


def test_cold_start_in_a_new_interpreter():
    """Import, seed and serve from nothing in a fresh interpreter (how long it takes: benchmarks/sandbox_start.py)."""
    probe = (
        "import json, urllib.request\nfrom cognito_tui.sandbox import Sandbox\n"
        "sb = Sandbox().start()\n"
        "doc = json.loads(urllib.request.urlopen(sb.jwks_url(sb.seed.pools[0].id), timeout=10).read())\n"
        "print(len(doc['keys']))\nsb.stop()\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2"]


def test_context_manager_stops_the_server():
    with Sandbox() as sb:
        url = sb.endpoint_url
        assert sb.running
    assert not sb.running
    import requests

    with pytest.raises(requests.ConnectionError):
        requests.get(url + "/", timeout=2)


def test_a_fixed_port_serves_again_after_a_stop_and_is_never_shared(boto_client):
    first = Sandbox().start()
    port = first.port
    client = boto_client(first)
    password_auth(client, "alice")  # a connection, closed by the stop: the port goes through TIME_WAIT
    with pytest.raises(OSError, match=f"cannot serve on 127.0.0.1:{port}"):
        Sandbox(port=port).start()  # taken: said, not hung
    first.stop()
    again = Sandbox(port=port).start()
    try:
        assert again.port == port
        password_auth(boto_client(again), "alice")
    finally:
        again.stop()
