"""SRP sign-in against the sandbox: cognito-tui's engine beside pycognito's AWSSRP, same run.

Both sign the same user in with USER_SRP_AUTH through real boto3 over loopback, alternating, so
the sandbox's own cost is in both columns. Prints the medians and their ratio (engine / baseline).

    python benchmarks/srp_signin.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    import boto3
    from pycognito.aws_srp import AWSSRP

    from cognito_tui.aws.gateway import Gateway, GatewayConfig
    from cognito_tui.core.redact import Secret
    from cognito_tui.core.walk import AuthRequest, SignedIn, Walk
    from cognito_tui.sandbox import Sandbox

    with Sandbox() as sb:
        info = sb.describe()
        pool = next(p for p in info["pools"] if p["id"] == "us-east-1_DemoPool01")
        user = next(u for u in pool["users"] if u.get("scenario") == "password")
        client = next(c for c in pool["clients"] if c["name"] == "demo-public")
        gateway = Gateway(GatewayConfig(endpoint_url=sb.endpoint_url), user_pool_id=pool["id"])
        boto = boto3.client(
            "cognito-idp",
            endpoint_url=sb.endpoint_url,
            region_name=sb.region,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )

        def ours() -> None:
            request = AuthRequest(pool["id"], client["id"], "USER_SRP_AUTH", user["username"], Secret(user["password"]))
            assert isinstance(Walk(gateway, request).start(), SignedIn)

        def baseline() -> None:
            result = AWSSRP(
                user["username"], user["password"], pool["id"], client["id"], client=boto
            ).authenticate_user()
            assert "AuthenticationResult" in result

        ours(), baseline()  # warm both paths (connections, imports)
        times = {"cognito-tui engine": [], "pycognito AWSSRP (baseline)": []}
        for _ in range(args.rounds):
            for name, fn in (("cognito-tui engine", ours), ("pycognito AWSSRP (baseline)", baseline)):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    for name, value in medians.items():
        print(f"{name:<30} median {value:7.1f} ms over {args.rounds} sign-ins")
    ratio = medians["cognito-tui engine"] / medians["pycognito AWSSRP (baseline)"]
    print(f"ratio engine / baseline: {ratio:.2f}")


if __name__ == "__main__":
    main()
