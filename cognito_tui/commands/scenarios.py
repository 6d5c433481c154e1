"""`cognito-tui scenarios run FILE`: walks from a scenario file, run headless, as a pass/fail matrix.

The matrix goes to stdout (or one JSON object with --json), progress to stderr. Exit codes: 0 every
walk met its expectation, 1 at least one did not, 2 the file or the flags are wrong.
"""

from __future__ import annotations

import argparse
import json
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
        runner = make_runner(loaded, sandbox, args)
        results = [run_walk(runner, w, progress=not args.json) for w in walks]
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


def make_runner(loaded: Any, sandbox: Any, args: argparse.Namespace):
    """The core Runner with this command's seams: a one-attempt gateway per target, profiles from the keyring."""
    from cognito_tui.core.scenario_run import Runner, RunOptions

    def make_transport(region: str | None, endpoint_url: str | None, pool: str | None):
        from cognito_tui.aws.gateway import Gateway, GatewayConfig

        config = GatewayConfig(region=region, endpoint_url=endpoint_url, read_timeout=args.timeout, max_attempts=1)
        return Gateway(config, user_pool_id=pool)

    options = RunOptions(
        endpoint_url=getattr(args, "endpoint_url", None),
        export_dir=getattr(args, "export_dir", None),
        notice=lambda text: print(text, file=sys.stderr),
    )
    return Runner(loaded, sandbox, make_transport, lambda name: _profile(name, getattr(args, "config", None)), options)


def run_walk(runner: Any, walk: Any, progress: bool = True):
    """One walk to its WalkResult, with its pass/FAIL line on stderr."""
    result = runner.run(walk)
    if progress:
        observed = result.observed
        mark = "pass" if result.passed else "FAIL"
        print(f"{mark}  {walk.name}: {' > '.join(observed.challenges) or '-'} -> {observed.outcome}", file=sys.stderr)
    return result


def _profile(name: str, config: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    from cognito_tui.core.scenario_run import Unusable
    from cognito_tui.store.paths import profiles_path
    from cognito_tui.store.profiles import load_profiles
    from cognito_tui.store.secrets import SecretKind, open_secret_store

    path = profiles_path(config)
    loaded = load_profiles(path)
    profile = next((p for p in loaded.profiles if p.name == name), None)
    if profile is None:
        raise Unusable(f"no profile {name!r} in {path}")
    store = open_secret_store().store
    stored = {}
    for kind in SecretKind:
        value = store.get(profile.name, kind)
        if value:
            stored[kind.value] = str(getattr(value, "value", value))
    fields = {k: v for k, v in vars(profile).items() if v not in (None, "", {})}
    return fields, stored
