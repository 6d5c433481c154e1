"""Sandbox SRP sign-ins per second under a bounded loopback load of N concurrent clients.

`cognito-tui sandbox --port 0` serves in its own process; the load runs in two worker processes of
N/2 threads each (so the clients' own SRP maths is not one GIL), each thread with its own boto3
client signing the demo SRP user in (InitiateAuth + RespondToAuthChallenge) again and again for a
fixed time. Prints one JSON line: sign-ins/s, errors, 5xx count, the server's RSS before and after.

    python benchmarks/srp_load.py [--clients 16] [--seconds 6]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time

from benchlib import arm_accel

PUBLIC_CLIENT = "demopublic0000000000000001"
POOL = "us-east-1_DemoPool01"
USER, ALIAS, PASSWORD = "bob", "bob@example.com", "Bob-Sandbox-1"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def worker(endpoint: str, threads: int, start_at: float, seconds: float) -> dict:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from cognito_tui.core import srp

    arm_accel()  # gmpy2 where the code has it, as the front ends use it
    session = boto3.session.Session()
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=threads, read_timeout=30)
    clients = [
        session.client(
            "cognito-idp",
            endpoint_url=endpoint,
            region_name="us-east-1",
            config=cfg,
            aws_access_key_id="load",
            aws_secret_access_key="load",
        )  # fmt: skip
        for _ in range(threads)
    ]
    counts = {"ok": 0, "errors": 0, "server_errors": 0}
    lock = threading.Lock()

    def loop(client) -> None:
        while time.time() < start_at:
            time.sleep(0.001)
        end = start_at + seconds
        while time.time() < end:
            try:
                a = srp.SrpClient()
                first = client.initiate_auth(
                    ClientId=PUBLIC_CLIENT,
                    AuthFlow="USER_SRP_AUTH",
                    AuthParameters={"USERNAME": ALIAS, "SRP_A": a.srp_a},
                )
                p = first["ChallengeParameters"]
                claim = a.claim(
                    srp.pool_name(POOL), p["USER_ID_FOR_SRP"], PASSWORD, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"]
                )
                session = {"Session": first["Session"]} if first.get("Session") else {}
                done = client.respond_to_auth_challenge(
                    ClientId=PUBLIC_CLIENT,
                    ChallengeName="PASSWORD_VERIFIER",
                    ChallengeResponses={"USERNAME": p["USER_ID_FOR_SRP"], **claim},
                    **session,
                )
                ok = "AuthenticationResult" in done
                with lock:
                    counts["ok" if ok else "errors"] += 1
            except ClientError as exc:
                status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
                with lock:
                    counts["errors"] += 1
                    counts["server_errors"] += int(status >= 500)
            except Exception:
                with lock:
                    counts["errors"] += 1

    pool = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    for t in pool:
        t.start()
    for t in pool:
        t.join(seconds + 60)
    return counts


def measure(clients: int, seconds: float) -> dict:
    """Start a sandbox process, load it, stop it; sign-ins/s over the measured window."""
    server = subprocess.Popen(
        [sys.executable, "-m", "cognito_tui", "sandbox", "--port", "0", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line:
            raise RuntimeError("the sandbox did not start")
        endpoint = json.loads(line)["endpoint_url"]
        rss_before = rss_mb(server.pid)
        procs = 2 if clients >= 2 else 1
        start_at = time.time() + 3.0  # workers import boto3 and build clients first
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    endpoint,
                    "--threads",
                    str(clients // procs + (i < clients % procs)),
                ]
                + ["--start-at", str(start_at), "--seconds", str(seconds)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(procs)
        ]
        totals = {"ok": 0, "errors": 0, "server_errors": 0}
        for w in workers:
            out, _ = w.communicate(timeout=seconds + 120)
            for key, value in json.loads(out.strip().splitlines()[-1]).items():
                totals[key] += value
        return {
            "signins_per_s": totals["ok"] / seconds,
            **totals,
            "clients": clients,
            "seconds": seconds,
            "server_rss_mb_before": rss_before,
            "server_rss_mb_after": rss_mb(server.pid),
        }
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--worker", metavar="ENDPOINT", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=8, help=argparse.SUPPRESS)
    parser.add_argument("--start-at", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.threads, args.start_at or time.time(), args.seconds)))
        return
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    print(json.dumps(measure(args.clients, args.seconds)))


if __name__ == "__main__":
    main()
