"""Sandbox throughput: USER_SRP_AUTH sign-ins per second with 16 concurrent clients, bounded, on loopback.

The sandbox runs in its own process (as `cognito-tui sandbox` does); this process is the load:
16 threads, each on one kept-alive connection, each doing InitiateAuth + PASSWORD_VERIFIER for
the demo's alice until the total is reached. Prints sign-ins/s, the 5xx and failure counts, and
the sandbox's RSS before and after. `--pycognito` drives the same load with pycognito's AWSSRP
(boto3 clients) instead, as a second opinion on the load generator.

    python benchmarks/sandbox_throughput.py [--clients 16] [--sign-ins 1600] [--pycognito]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
SERVE = (
    "import sys\nfrom cognito_tui.sandbox import Sandbox\nsb = Sandbox().start()\n"
    "print(sb.endpoint_url, flush=True)\nsys.stdin.read()\nsb.stop()\n"
)
POOL, CLIENT, USER, PASSWORD = "us-east-1_DemoPool01", "demopublic0000000000000001", "alice", "Alice-Sandbox-1"
TARGET = "AWSCognitoIdentityProviderService."


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (load-independent: what one sign-in costs the sandbox)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Raw:
    """One client: raw JSON over one kept-alive connection, client SRP maths with gmpy2 when there."""

    def __init__(self, endpoint: str) -> None:
        parts = urlsplit(endpoint)
        self.address = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.connection = http.client.HTTPConnection(*self.address, timeout=60)

    def call(self, operation: str, body: dict) -> tuple[int, dict]:
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + operation}
        try:
            self.connection.request("POST", "/", body=json.dumps(body), headers=headers)
            response = self.connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        except (OSError, http.client.HTTPException, ValueError):
            self.connection.close()
            self.connection = http.client.HTTPConnection(*self.address, timeout=60)
            return -1, {}

    def sign_in(self) -> int:
        from cognito_tui.core import srp

        a = srp.random_small()
        big_a = _powmod(srp.G, a, srp.N)
        status, challenge = self.call("InitiateAuth", {"ClientId": CLIENT, "AuthFlow": "USER_SRP_AUTH",
                                                       "AuthParameters": {"USERNAME": USER, "SRP_A": format(big_a, "x")}})  # fmt: skip
        if status != 200:
            return status
        p = challenge["ChallengeParameters"]
        big_b, salt = int(p["SRP_B"], 16), int(p["SALT"], 16)
        u = srp.compute_u(big_a, big_b)
        x = srp.compute_x(salt, srp.pool_name(POOL), p["USER_ID_FOR_SRP"], PASSWORD)
        s = _powmod((big_b - srp.K * _powmod(srp.G, x, srp.N)) % srp.N, a + u * x, srp.N)
        key = srp.hkdf16(srp.pad(s), srp.pad(u))
        ts = srp.timestamp()
        signature = srp.claim_signature(key, srp.pool_name(POOL), p["USER_ID_FOR_SRP"], p["SECRET_BLOCK"], ts)
        status, result = self.call("RespondToAuthChallenge", {"ClientId": CLIENT, "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": {"USERNAME": p["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
                                   "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": ts}})  # fmt: skip
        return status if status != 200 or "AuthenticationResult" in result else -2


def _powmod(base: int, exponent: int, modulus: int) -> int:
    try:
        import gmpy2
    except ImportError:
        return pow(base, exponent, modulus)
    return int(gmpy2.powmod(base, exponent, modulus))


class Pycognito:
    """One client: pycognito's AWSSRP on a boto3 client (its maths are pure Python: a slower load)."""

    def __init__(self, endpoint: str) -> None:
        import boto3

        self.boto = boto3.client("cognito-idp", endpoint_url=endpoint, region_name="us-east-1",
                                 aws_access_key_id="x", aws_secret_access_key="x")  # fmt: skip

    def sign_in(self) -> int:
        from botocore.exceptions import ClientError
        from pycognito.aws_srp import AWSSRP

        try:
            result = AWSSRP(USER, PASSWORD, POOL, CLIENT, client=self.boto).authenticate_user()
        except ClientError as exc:
            return int(exc.response["ResponseMetadata"].get("HTTPStatusCode", -1))
        return 200 if "AuthenticationResult" in result else -2


def run(endpoint: str, clients: int, total: int, kind: type) -> tuple[float, dict[int, int]]:
    remaining = [total]
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    workers = [kind(endpoint) for _ in range(clients)]

    def work(client: object) -> None:
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            status = client.sign_in()  # type: ignore[attr-defined]
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--sign-ins", type=int, default=1600)
    parser.add_argument("--pycognito", action="store_true", help="load with pycognito AWSSRP clients instead")
    args = parser.parse_args()
    process = subprocess.Popen([sys.executable, "-c", SERVE], cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})  # fmt: skip
    try:
        endpoint = (process.stdout.readline() if process.stdout else "").strip()
        kind = Pycognito if args.pycognito else Raw
        run(endpoint, 2, 20, kind)  # warm: connections, verifiers, keys
        before, cpu_before = rss_mb(process.pid), cpu_seconds(process.pid)
        elapsed, statuses = run(endpoint, args.clients, args.sign_ins, kind)
        after, cpu = rss_mb(process.pid), cpu_seconds(process.pid) - cpu_before
    finally:
        process.communicate(input="", timeout=60)
    done = statuses.get(200, 0)
    server_errors = sum(n for s, n in statuses.items() if s >= 500)
    failures = sum(n for s, n in statuses.items() if s != 200)
    print(f"load: {kind.__name__}, {args.clients} clients, {args.sign_ins} SRP sign-ins")
    print(f"sign-ins/s: {done / elapsed:.1f}   ({done} in {elapsed:.2f} s)")
    print(f"5xx: {server_errors}   other failures: {failures - server_errors}   statuses: {statuses}")
    print(f"sandbox RSS: {before:.0f} MB before, {after:.0f} MB after")
    per = cpu / max(done, 1) * 1000
    print(f"sandbox CPU: {per:.2f} ms per sign-in (= {1000 / per if per else 0:.0f} sign-ins/s per free core)")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
