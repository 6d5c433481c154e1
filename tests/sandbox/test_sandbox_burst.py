"""A bounded burst (issue 12): 2,000 mixed requests, valid and hostile, on loopback, twice.

The sandbox runs in its own process so that its stderr and its memory are its own: no 5xx, no
traceback, and the second burst does not grow it by more than a bounded amount.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[2]
SERVE = (
    "import sys\nfrom cognito_tui.sandbox import Sandbox\nsb = Sandbox().start()\n"
    "print(sb.endpoint_url, flush=True)\nsys.stdin.read()\nsb.stop()\n"
)
PUBLIC = "demopublic0000000000000001"
DEMO = "us-east-1_DemoPool01"
TARGET = "AWSCognitoIdentityProviderService."
BURST = 2000
CLIENTS = 8


def _initiate(flow: str, **params: str) -> bytes:
    return json.dumps({"ClientId": PUBLIC, "AuthFlow": flow, "AuthParameters": params}).encode()


def requests_for(rng: random.Random) -> list[tuple[str, str, dict[str, str], bytes]]:
    """(method, path, headers, body) for one burst: a fixed mix, shuffled by `rng`."""
    srp_a = format(rng.getrandbits(1024) | 1, "x")
    kinds = [
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"},
         _initiate("USER_PASSWORD_AUTH", USERNAME="alice", PASSWORD="Alice-Sandbox-1")),
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"}, _initiate("USER_SRP_AUTH", USERNAME="alice", SRP_A=srp_a)),
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"},
         _initiate("USER_PASSWORD_AUTH", USERNAME="nobody", PASSWORD="Wrong-Password-1")),
        ("POST", "/", {"X-Amz-Target": TARGET + "RespondToAuthChallenge"},
         json.dumps({"ClientId": PUBLIC, "ChallengeName": "SMS_MFA", "Session": "x" * 40,
                     "ChallengeResponses": {"USERNAME": "erin", "SMS_MFA_CODE": "123456"}}).encode()),
        ("POST", "/", {"X-Amz-Target": TARGET + "GetUser"}, b'{"AccessToken": "forged.token.here"}'),
        ("POST", "/", {"X-Amz-Target": TARGET + "ListUserPools"}, b'{"MaxResults": 5}'),
        ("POST", "/", {"X-Amz-Target": TARGET + "DescribeUserPoolClient"},
         json.dumps({"UserPoolId": DEMO, "ClientId": PUBLIC}).encode()),
        ("POST", "/", {"X-Amz-Target": TARGET + "AdminGetUser"}, json.dumps({"UserPoolId": DEMO, "Username": "bob"}).encode()),
        ("POST", "/", {"X-Amz-Target": TARGET + "NoSuchOperation"}, b"{}"),
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"}, b"[" * 20_000),
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"}, b'{"ClientId": "\\ud800"}'),
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"}, b'{"ClientId": 1, "AuthParameters": []}'),
        ("POST", "/", {"X-Amz-Target": TARGET + "InitiateAuth"}, bytes(rng.getrandbits(8) for _ in range(64))),
        ("POST", "/", {"X-Amz-Target": TARGET + "ListUserPools", "Host": "evil.example"}, b'{"MaxResults": 5}'),
        ("POST", "/", {"X-Amz-Target": TARGET + "ListUserPools", "Origin": "https://evil.example"}, b'{"MaxResults": 5}'),
        ("POST", "/", {"X-Amz-Target": TARGET + "ListUserPools",
                       "Authorization": "AWS4-HMAC-SHA256 Credential=A/20260101/zz-none-0/cognito-idp/aws4_request, "
                                        "SignedHeaders=host, Signature=0"}, b'{"MaxResults": 5}'),
        ("GET", "/", {"Authorization": "AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/s3/aws4_request, X"}, b""),
        ("POST", "/", {"Content-Type": "application/x-www-form-urlencoded"}, b"Action=ListQueues&Version=2012-11-05"),
        ("GET", f"/{DEMO}/.well-known/jwks.json", {}, b""),
        ("OPTIONS", "/", {"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"}, b""),
    ]  # fmt: skip
    burst = [kinds[i % len(kinds)] for i in range(BURST)]
    rng.shuffle(burst)
    return burst


def _fire(endpoint: str, work: list[tuple[str, str, dict[str, str], bytes]], statuses: Counter[int]) -> None:
    parts = urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    for method, path, headers, body in work:
        sent = {"Content-Type": "application/x-amz-json-1.1", **headers}
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer = response.read()
            status = response.status
            if status >= 400:
                document = json.loads(answer)
                assert set(document) == {"__type", "message"}, document
        except (http.client.HTTPException, OSError):
            status = -1  # the connection failed: counted, and a fresh one for the next request
            connection.close()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        statuses[status] += 1
    connection.close()


def burst(endpoint: str, rng: random.Random) -> Counter[int]:
    work = requests_for(rng)
    counters = [Counter[int]() for _ in range(CLIENTS)]
    threads = [threading.Thread(target=_fire, args=(endpoint, work[i::CLIENTS], counters[i])) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return sum(counters, Counter())


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_two_bursts_no_5xx_no_traceback_memory_bounded():
    process = subprocess.Popen([sys.executable, "-c", SERVE], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    try:
        endpoint = process.stdout.readline().strip()
        assert endpoint.startswith("http://127.0.0.1:"), process.stderr.read()
        rng = random.Random(12)
        first = burst(endpoint, rng)
        after_first = rss_kb(process.pid)
        second = burst(endpoint, rng)
        after_second = rss_kb(process.pid)
    finally:
        _, err = process.communicate(input="", timeout=60)
    for statuses in (first, second):
        assert sum(statuses.values()) == BURST
        assert not [s for s in statuses if s >= 500 or s < 0], statuses
        assert statuses[200] > 0 and statuses[400] > 0 and statuses[403] > 0
    assert "Traceback" not in err, err[-3000:]
    growth_mb = (after_second - after_first) / 1024
    print(f"rss after burst 1: {after_first / 1024:.0f} MB, after burst 2: {after_second / 1024:.0f} MB")
    assert growth_mb < 20, f"the second burst grew the sandbox by {growth_mb:.0f} MB"


def test_sessions_and_tokens_are_bounded(fresh_sandbox, boto_client, monkeypatch):
    from sandbox_helpers import SrpLogin, password_auth, refused, tokens_of

    from cognito_tui.sandbox import sessions, tokens

    monkeypatch.setattr(tokens, "MAX_TOKENS", 5)
    monkeypatch.setattr(sessions, "MAX_SESSIONS", 5)
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    issued = [tokens_of(password_auth(client, "alice")) for _ in range(8)]
    service = sandbox._service
    assert len(service.tokens.access) <= 5 and len(service.tokens.refresh) <= 5
    with refused("NotAuthorizedException", "Invalid Access Token"):
        client.get_user(AccessToken=issued[0]["AccessToken"])
    assert client.get_user(AccessToken=issued[-1]["AccessToken"])["Username"] == "alice"
    logins = [SrpLogin(sandbox, client, DEMO, PUBLIC) for _ in range(8)]
    for login in logins:
        login.start("alice")
    assert len(service.auth.sessions._sessions) <= 5
    with refused("NotAuthorizedException", "Incorrect username or password."):
        logins[0].verify("Alice-Sandbox-1")  # its SECRET_BLOCK was forgotten
    tokens_of(logins[-1].verify("Alice-Sandbox-1"))
