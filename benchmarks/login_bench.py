"""`cognito-tui login` beside the tools people use today, against one sandbox on loopback.

- ADMIN_USER_PASSWORD_AUTH + TOTP: `cognito-tui login --admin` (one process) beside the AWS CLI v1's
  two processes (admin-initiate-auth, then admin-respond-to-auth-challenge with the Session).
- USER_SRP_AUTH + TOTP: `cognito-tui login` beside a script on pycognito + pyotp (one process each).
- The SRP client maths in process: cognito-tui's SrpClient beside pycognito's AWSSRP, same B and salt.

The sandbox runs in this process, seeded with the demo seed plus copies of its TOTP user: each
sign-in takes a user not used before, so no code is refused as reused (Cognito refuses a TOTP
code twice). Both columns hit the same server.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchlib import arm_accel, tool

PYCOGNITO_SCRIPT = """
import sys
import pyotp
from pycognito import Cognito
from pycognito.exceptions import SoftwareTokenMFAChallengeException
endpoint, pool, client, username, password, seed, at = sys.argv[1:]
user = Cognito(pool, client, user_pool_region="us-east-1", username=username,
               boto3_client_kwargs={"endpoint_url": endpoint})
user.pool_domain_url = None  # it takes endpoint_url as the issuer too; the sandbox issues the AWS one
try:
    user.authenticate(password=password)
    raise SystemExit("no MFA challenge")
except SoftwareTokenMFAChallengeException as exc:
    code = pyotp.TOTP(seed).at(int(float(at)))
    user.respond_to_software_token_mfa_challenge(code, mfa_tokens=exc.get_tokens())
assert user.access_token and user.id_token
print("ok")
"""


class LoginBench:
    """One sandbox (on a clock we move) and the demo TOTP user, for every sign-in figure."""

    def __init__(self, env: dict[str, str], home: str, users: int = 80) -> None:
        from cognito_tui.sandbox import Sandbox

        self.sandbox = Sandbox(seed_path=_seed_with_totp_users(home, users)).start()
        info = self.sandbox.describe()
        pool = next(p for p in info["pools"] if any(u.get("scenario") == "totp" for u in p["users"]))
        self.pool_id = pool["id"]
        self.user = next(u for u in pool["users"] if u.get("scenario") == "totp")
        self.fresh_users = [u["username"] for u in pool["users"] if u["username"].startswith("bench-totp-")]
        self.client_id = next(c["id"] for c in pool["clients"] if c["name"] == "demo-public")
        self.endpoint = str(self.sandbox.endpoint_url)
        self.env = dict(env)
        self.cpu_ms = 0.0  # user+sys of the tools' processes so far: less at the mercy of a busy machine
        self.cpu: dict[str, list[float]] = {}
        # the AWS CLI signs admin calls: give every tool the same placeholder credentials
        self.env.update(
            {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
        )
        # pycognito verifies the tokens against the pool's JWKS: hand it the sandbox's (no fetch in the timing)
        import urllib.request

        with urllib.request.urlopen(self.sandbox.jwks_url(self.pool_id), timeout=10) as answer:
            self.env["COGNITO_JWKS"] = answer.read().decode()
        self.cognito_tui = tool("cognito-tui")
        try:
            self.aws: str | None = tool("aws")
        except FileNotFoundError:
            self.aws = None

    def close(self) -> None:
        self.sandbox.stop()

    def _fresh_code(self) -> tuple[str, str, float]:
        """A user not signed in before and the code their authenticator shows now."""
        from cognito_tui.core import totp

        if not self.fresh_users:
            raise RuntimeError("out of fresh TOTP users: raise LoginBench(users=...)")
        now = self.sandbox.clock.now()
        return self.fresh_users.pop(0), totp.now_code(self.user["totp_secret"], now), now

    def _run(self, argv: list[str], stdin: str = "") -> str:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, env=self.env, timeout=60)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu_ms += (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
        if done.returncode != 0:
            shown = " ".join([Path(argv[0]).name, *argv[1:3]])  # no path of this machine in RESULTS.md
            raise RuntimeError(f"{shown}... exit {done.returncode}: {done.stderr[-800:]}")
        return done.stdout

    def _ours(self, admin: bool) -> float:
        name, code, _ = self._fresh_code()
        argv = [self.cognito_tui, "login", "--endpoint-url", self.endpoint, "--user-pool-id", self.pool_id]
        argv += ["--client-id", self.client_id, "--username", name, "--json"]
        argv += ["--answer", f"SOFTWARE_TOKEN_MFA_CODE={code}"]
        argv += ["--admin", "--auth-flow", "ADMIN_USER_PASSWORD_AUTH"] if admin else ["--auth-flow", "USER_SRP_AUTH"]
        start = time.perf_counter()
        out = self._run(argv, stdin=self.user["password"] + "\n")
        elapsed = time.perf_counter() - start
        if "AccessToken" not in json.loads(out).get("authentication_result", {}):
            raise RuntimeError(f"cognito-tui login did not sign in: {out[:300]}")
        return elapsed

    def timed(self, name: str, fn) -> float:
        """fn()'s wall time in ms; its processes' CPU time goes to self.cpu[name]."""
        start_cpu = self.cpu_ms
        wall = fn() * 1000
        self.cpu.setdefault(name, []).append(self.cpu_ms - start_cpu)
        return wall

    def ours_admin(self) -> float:
        return self._ours(admin=True)

    def ours_srp(self) -> float:
        return self._ours(admin=False)

    def aws_cli_admin(self) -> float:
        if self.aws is None:
            raise FileNotFoundError("the AWS CLI is not installed: pip install -e '.[bench]'")
        name, code, _ = self._fresh_code()
        common = ["--endpoint-url", self.endpoint, "--region", "us-east-1", "--output", "json"]
        common += ["--user-pool-id", self.pool_id, "--client-id", self.client_id]
        password = self.user["password"]
        start = time.perf_counter()
        first = json.loads(
            self._run(
                [self.aws, "cognito-idp", "admin-initiate-auth", *common, "--auth-flow", "ADMIN_USER_PASSWORD_AUTH"]
                + ["--auth-parameters", f"USERNAME={name},PASSWORD={password}"]
            )
        )
        second = json.loads(
            self._run(
                [self.aws, "cognito-idp", "admin-respond-to-auth-challenge", *common]
                + ["--challenge-name", first["ChallengeName"], f"--session={first['Session']}"]  # it may start with "-"
                + ["--challenge-responses", f"USERNAME={name},SOFTWARE_TOKEN_MFA_CODE={code}"]
            )
        )
        elapsed = time.perf_counter() - start
        if "AccessToken" not in second.get("AuthenticationResult", {}):
            raise RuntimeError(f"the AWS CLI did not sign in: {second}")
        return elapsed

    def pycognito_srp(self) -> float:
        name, _, now = self._fresh_code()
        argv = [sys.executable, "-c", PYCOGNITO_SCRIPT, self.endpoint, self.pool_id, self.client_id]
        argv += [name, self.user["password"], self.user["totp_secret"], str(now)]
        start = time.perf_counter()
        self._run(argv)
        return time.perf_counter() - start


def _seed_with_totp_users(home: str, count: int) -> str:
    """The packaged demo seed plus `count` copies of its TOTP user (bench-totp-NN), as a file in home."""
    import copy
    from pathlib import Path

    import yaml

    import cognito_tui.sandbox

    seed = yaml.safe_load((Path(cognito_tui.sandbox.__file__).parent / "demo_seed.yaml").read_text())
    pool = next(p for p in seed["pools"] if any(u.get("scenario") == "totp" for u in p["users"]))
    model = next(u for u in pool["users"] if u.get("scenario") == "totp")
    for i in range(count):
        user = copy.deepcopy(model)
        user["username"] = f"bench-totp-{i:02d}"
        user.pop("scenario", None)
        user["attributes"] = {**user.get("attributes", {}), "email": f"bench-totp-{i:02d}@example.com"}
        pool["users"].append(user)
    path = Path(home) / "bench-seed.yaml"
    path.write_text(yaml.safe_dump(seed, sort_keys=False))
    return str(path)


def srp_maths(rounds: int) -> dict[str, list[float]]:
    """Client-side SRP (A, then the claim for a B and salt) per sign-in, ours beside pycognito's, in ms."""
    from pycognito.aws_srp import AWSSRP

    from cognito_tui.core import srp

    armed = arm_accel()  # gmpy2 where the code has it, as the front ends use it
    pool_id, client_id, user, password = "us-east-1_BenchPool1", "benchclient", "bench-user", "Bench-Pass-1"
    salt, verifier = srp.make_verifier(srp.pool_name(pool_id), user, password)
    server = srp.SrpServer(verifier)
    params: dict[str, Any] = {
        "USER_ID_FOR_SRP": user,
        "SALT": format(salt, "x"),
        "SRP_B": format(server.big_b, "x"),
        "SECRET_BLOCK": "c2VjcmV0LWJsb2Nr",
        "USERNAME": user,
    }

    def ours() -> float:
        start = time.perf_counter()
        client = srp.SrpClient()
        client.claim(srp.pool_name(pool_id), user, password, params["SALT"], params["SRP_B"], params["SECRET_BLOCK"])
        return (time.perf_counter() - start) * 1000

    def theirs() -> float:
        start = time.perf_counter()
        aws = AWSSRP(user, password, pool_id, client_id, client=object())
        aws.process_challenge(params, {"USERNAME": user})
        return (time.perf_counter() - start) * 1000

    from benchlib import ab_rounds

    ours(), theirs()  # warm: imports, gmpy2's libraries
    got = ab_rounds(rounds, {"ours": ours, "base": theirs})
    if armed != "pow":  # the in-process sandbox of the login figures keeps pow, before and after alike
        srp.use_modpow(pow)
    return got
