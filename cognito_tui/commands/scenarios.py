"""`cognito-tui scenarios run FILE`: walks from a scenario file, run headless, as a pass/fail matrix.

The matrix goes to stdout (or one JSON object with --json), progress to stderr. Exit codes: 0 every
walk met its expectation, 1 at least one did not, 2 the file or the flags are wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

EPILOG = """A scenario file (YAML):

  version: 1
  walks:
    - name: dave signs in with TOTP
      pool: cognito-tui-demo        # a pool id (names work with --against sandbox)
      client: demo-public           # a client id (names work with --against sandbox)
      flow: USER_PASSWORD_AUTH
      user: dave
      password: stored              # stored | none | generated | {env: VAR} | {value: ...}
      answers:                      # challenge (or MFA_SETUP/verify) -> field -> source
        SOFTWARE_TOKEN_MFA: {SOFTWARE_TOKEN_MFA_CODE: totp}
      expect: {challenges: [SOFTWARE_TOKEN_MFA], outcome: tokens}

Answer sources: totp (the stored TOTP seed, or the secret MFA_SETUP just issued), outbox (the
sandbox's latest code for the user), generated (a new random password), wrong (a code that is not
the right one), {env: VAR}, {value: ...} or a plain value. Outcomes: tokens, an error code such as
NotAuthorizedException, or waiting (stopped at a challenge with no answer given).
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.epilog = EPILOG
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    sub = p.add_subparsers(dest="scenarios_command", metavar="ACTION", required=True)
    run = sub.add_parser(
        "run",
        help="run the walks of a scenario file",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("file", metavar="FILE", help="the scenario YAML")
    run.add_argument("--against", choices=["sandbox"], help="start the embedded sandbox (in process, a free port)")
    run.add_argument("--endpoint-url", help="a Cognito endpoint for every walk (e.g. a running `cognito-tui sandbox`)")
    run.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    run.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    run.add_argument("--compare", metavar="PREVIOUS.json", help="list the claims that changed since a --json report")
    run.add_argument(
        "--export-dir", metavar="DIR", help="write each walk as an AWS CLI script, a boto3 script and Markdown here"
    )
    run.add_argument("--only", action="append", default=[], metavar="NAME", help="run only walks with this name")
    run.add_argument("--timeout", type=float, default=30.0, help="read timeout per call in seconds (default 30)")


def run(args: argparse.Namespace) -> int:
    from cognito_tui.core.problem import Problem

    try:
        return _run(args)
    except Problem as exc:
        print(f"cognito-tui scenarios: {exc.text()}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from cognito_tui.core import scenario_report
    from cognito_tui.core.problem import Problem
    from cognito_tui.core.scenario import changes
    from cognito_tui.store.scenarios import load_scenarios

    loaded = load_scenarios(args.file)
    walks = [w for w in loaded.walks if not args.only or w.name in args.only]
    if not walks:
        raise Problem(f"no walk named {', '.join(args.only)} in {args.file}", next_step="Check --only.")
    previous = _previous(args.compare) if args.compare else None
    sandbox = None
    if args.against == "sandbox":
        sandbox = _start_sandbox()
    try:
        runner = Runner(loaded, sandbox, args)
        results = [runner.run(w, progress=not args.json) for w in walks]
    finally:
        if sandbox is not None:
            sandbox.stop()
    against = "sandbox" if sandbox is not None else (args.endpoint_url or loaded.endpoint_url or "as configured")
    report = scenario_report.report(args.file, against, results)
    if previous is not None:
        report["changes"] = changes(previous, report)
    if args.junit:
        try:
            Path(args.junit).write_text(scenario_report.junit(args.file, results), encoding="utf-8")
        except OSError as exc:
            raise Problem(f"cannot write {args.junit}: {exc.strerror or exc}", next_step="Check the folder.") from exc
    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        print(scenario_report.matrix(results))
        if previous is not None:
            print(_changes_text(report["changes"], args.compare))
    return 0 if all(r.passed for r in results) else 1


def _previous(path: str) -> dict[str, Any]:
    from cognito_tui.core.problem import Problem

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Problem(
            f"--compare {path}: cannot read it as JSON: {exc}", next_step="Give a file written by --json."
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("walks"), list):
        raise Problem(f"--compare {path}: not a scenarios --json report", next_step="Give a file written by --json.")
    return data


def _changes_text(found: list[dict[str, Any]], path: str) -> str:
    if not found:
        return f"no claim changed since {path}"
    lines = [f"{len(found)} change(s) since {path}:"]
    lines += [f"  {c['walk']}: {c['claim']}: {c['before']!r} -> {c['after']!r}" for c in found]
    return "\n".join(lines)


def _start_sandbox():
    from cognito_tui.core.problem import Problem
    from cognito_tui.sandbox import Sandbox
    from cognito_tui.sandbox.clock import Clock

    try:
        # A frozen clock: TOTP windows move only when the runner moves them (a code is never reused).
        return Sandbox(port=0, clock=Clock(frozen_at=time.time())).start()
    except OSError as exc:
        raise Problem(f"the sandbox did not start: {exc}", next_step="Run `cognito-tui sandbox` to see why.") from exc


class Runner:
    """Builds each walk's request (profile, sandbox or file values) and drives it with the core walk."""

    def __init__(self, loaded: Any, sandbox: Any, args: argparse.Namespace):
        self.loaded = loaded
        self.sandbox = sandbox
        self.args = args
        self.info = sandbox.describe() if sandbox is not None else None
        self.used_totp: set[tuple[str, int]] = set()

    def run(self, walk: Any, progress: bool = True, on_step: Any = None):
        """One walk to its WalkResult; `on_step(step)` sees each step as it happens (a live view)."""
        from cognito_tui.core.scenario import Observed, check, drive

        try:
            request, gateway, stored = self._request(walk)
        except _Unusable as exc:
            observed = Observed(outcome="ScenarioError", message=str(exc))
        else:
            from cognito_tui.core.walk import Walk

            resolver = Resolver(self, walk, request, stored)
            live = Walk(gateway, request)
            observed = drive(live, walk, resolver, on_step=on_step)
            if getattr(self.args, "export_dir", None) and live.transcript.records:
                self._export(live, walk, gateway)
        result = check(walk, observed)
        if progress:
            mark = "pass" if result.passed else "FAIL"
            print(
                f"{mark}  {walk.name}: {' > '.join(observed.challenges) or '-'} -> {observed.outcome}", file=sys.stderr
            )
        return result

    def _export(self, live: Any, walk: Any, gateway: Any) -> None:
        from cognito_tui.core.export import render, source_from_walk

        folder = Path(self.args.export_dir)
        from cognito_tui.commands.login_extras import described_config

        config = described_config(gateway, live.request.user_pool_id, live.request.client_id)
        source = source_from_walk(live, region=gateway.region, endpoint_url=gateway.config.endpoint_url, config=config)
        stem = slug(walk.name)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for kind, suffix in (("cli", ".sh"), ("boto3", ".py"), ("markdown", ".md")):
                (folder / f"{stem}{suffix}").write_text(render(kind, source), encoding="utf-8")
        except OSError as exc:
            print(f"  export not written to {folder}: {exc.strerror or exc}", file=sys.stderr)

    def _request(self, walk: Any):
        from cognito_tui.aws.gateway import Gateway, GatewayConfig
        from cognito_tui.core.errors import TransportError
        from cognito_tui.core.flows import Api, region_of
        from cognito_tui.core.redact import Secret
        from cognito_tui.core.walk import AuthRequest

        stored: dict[str, str] = {}
        fields: dict[str, Any] = {}
        if walk.profile:
            fields, stored = _profile(walk.profile, getattr(self.args, "config", None))
        pool = walk.pool or fields.get("user_pool_id") or ""
        client_id = walk.client or fields.get("client_id") or ""
        username = walk.user or fields.get("username") or ""
        flow = walk.flow or fields.get("auth_flow")
        endpoint = self.args.endpoint_url or fields.get("endpoint_url") or self.loaded.endpoint_url
        if self.sandbox is not None:
            pool, client_id, flow = self._from_sandbox(pool, client_id, username, flow, stored)
            endpoint = self.sandbox.endpoint_url
        region = self.loaded.region or fields.get("region") or region_of(pool)
        password = self._secret(walk.password, stored.get("password"))
        client_secret = self._secret(walk.client_secret, stored.get("client_secret"))
        api = walk.api or fields.get("api")
        request = AuthRequest(
            user_pool_id=pool,
            client_id=client_id,
            auth_flow=flow or "USER_SRP_AUTH",
            username=username,
            password=Secret(password) if password else None,
            client_secret=Secret(client_secret) if client_secret else None,
            api=Api(api) if api else None,
            preferred_challenge=walk.preferred_challenge,
            custom_with_srp=walk.custom_with_srp,
        )
        try:
            gateway = Gateway(
                GatewayConfig(region=region, endpoint_url=endpoint, read_timeout=self.args.timeout, max_attempts=1),
                user_pool_id=pool or None,
            )
        except TransportError as exc:
            raise _Unusable(f"{exc.message}. {exc.hint}".strip()) from exc
        return request, gateway, stored

    def _from_sandbox(self, pool: str, client: str, username: str, flow: str | None, stored: dict[str, str]):
        assert self.info is not None
        found = next((p for p in self.info["pools"] if pool in (p["id"], p["name"])), None)
        if found is None:
            raise _Unusable(
                f"the sandbox has no pool {pool!r} (pools: {', '.join(p['name'] for p in self.info['pools'])})"
            )
        app = next((c for c in found["clients"] if client in (c["id"], c["name"])), None)
        if app is None:
            raise _Unusable(f"pool {found['name']} has no client {client!r}")
        user = next((u for u in found["users"] if username in (u["username"], u.get("alias"), u.get("email"))), None)
        if user is not None:
            stored.setdefault("password", user["password"])
            if user.get("totp_secret"):
                stored.setdefault("totp_seed", user["totp_secret"])
            flow = flow or user.get("flow")
        if app.get("secret"):
            stored.setdefault("client_secret", app["secret"])
        return found["id"], app["id"], flow

    def _secret(self, source: Any, stored: str | None) -> str | None:
        if source is None:
            return stored
        if source.kind == "none":
            return None
        if source.kind == "generated":
            return generated_password()
        if source.kind == "env":
            if not os.environ.get(source.arg):
                raise _Unusable(f"the environment variable {source.arg} is not set")
            return os.environ[source.arg]
        return source.arg


def slug(name: str) -> str:
    """A file name from a walk name: letters, digits and dashes."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "walk"


class _Unusable(Exception):
    """The walk cannot be built (unknown pool, missing variable): it fails with this message."""


def generated_password() -> str:
    """A fresh password that meets Cognito's default policy (upper, lower, digit, symbol, 8+)."""
    return f"Gen-{secrets.token_urlsafe(9)}-7a!"


class Resolver:
    """Answers for one walk: the TOTP seed, the outbox, the environment, fixed values."""

    def __init__(self, runner: Runner, walk: Any, request: Any, stored: dict[str, str]):
        self.runner = runner
        self.walk = walk
        self.request = request
        self.stored = stored

    def _now(self) -> float:
        sandbox = self.runner.sandbox
        return sandbox.clock.now() if sandbox is not None else time.time()

    def _seed(self, challenge: Any) -> str:
        from cognito_tui.core.scenario import ScenarioProblem

        issued = challenge.extra.get("secret_code")
        if issued:
            return str(issued.value)
        seed = self.stored.get("totp_seed")
        if not seed:
            raise ScenarioProblem(f"{challenge.name}: no stored TOTP seed for {self.request.username!r}")
        return seed

    def _totp(self, challenge: Any) -> str:
        from cognito_tui.core import totp

        seed = self._seed(challenge)
        if (seed, totp.counter(self._now())) in self.runner.used_totp:  # Cognito refuses a code twice
            sandbox = self.runner.sandbox
            if sandbox is not None:
                sandbox.clock.advance(totp.PERIOD)
            else:
                wait = totp.seconds_left(self._now()) + 1
                print(f"  waiting {wait} s for the next TOTP window", file=sys.stderr)
                time.sleep(wait)
        counter = totp.counter(self._now())
        self.runner.used_totp.add((seed, counter))
        return totp.code_at(seed, counter)

    def _outbox(self, challenge: Any) -> str:
        from cognito_tui.core.scenario import ScenarioProblem

        sandbox = self.runner.sandbox
        if sandbox is None:
            raise ScenarioProblem("answers from the outbox need --against sandbox")
        message = sandbox.outbox.latest(self.request.username, self.request.user_pool_id)
        if message is None:
            message = sandbox.outbox.latest(challenge.username, self.request.user_pool_id)
        if message is None:
            raise ScenarioProblem(f"{challenge.name}: the sandbox sent no code to {self.request.username!r}")
        return str(message["code"])

    def resolve(self, source: Any, challenge: Any, field_name: str) -> str:
        from cognito_tui.core import totp
        from cognito_tui.core.scenario import ScenarioProblem

        if source.kind == "value":
            return source.arg
        if source.kind == "env":
            value = os.environ.get(source.arg)
            if value is None:
                raise ScenarioProblem(
                    f"{challenge.name}.{field_name}: the environment variable {source.arg} is not set"
                )
            return value
        if source.kind == "totp":
            return self._totp(challenge)
        if source.kind == "outbox":
            return self._outbox(challenge)
        if source.kind == "generated":
            return generated_password()
        if source.kind == "wrong":
            right: set[str] = set()
            if challenge.extra.get("secret_code") or self.stored.get("totp_seed"):
                seed, now = self._seed(challenge), totp.counter(self._now())
                right |= {totp.code_at(seed, now + d) for d in (-1, 0, 1)}
            if self.runner.sandbox is not None:
                message = self.runner.sandbox.outbox.latest(self.request.username, self.request.user_pool_id)
                if message:
                    right.add(str(message["code"]))
            return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)
        raise ScenarioProblem(f"unknown answer source {source.kind!r}")


def _profile(name: str, config: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    from cognito_tui.store.paths import profiles_path
    from cognito_tui.store.profiles import load_profiles
    from cognito_tui.store.secrets import SecretKind, open_secret_store

    path = profiles_path(config)
    loaded = load_profiles(path)
    profile = next((p for p in loaded.profiles if p.name == name), None)
    if profile is None:
        raise _Unusable(f"no profile {name!r} in {path}")
    store = open_secret_store().store
    stored = {}
    for kind in SecretKind:
        value = store.get(profile.name, kind)
        if value:
            stored[kind.value] = str(getattr(value, "value", value))
    fields = {k: v for k, v in vars(profile).items() if v not in (None, "", {})}
    return fields, stored
