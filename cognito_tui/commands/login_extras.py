"""What `cognito-tui login` does after a walk besides printing it: `--export KIND FILE` and history.

Kept apart from commands/login.py so that the login command needs only two hooks:
`add_arguments(parser)` and `after_walk(walk, gateway, args)`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXPORT_KINDS = ("cli", "boto3", "markdown")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--export",
        nargs=2,
        metavar=("{cli,boto3,markdown}", "FILE"),
        help="after the walk, write it as an AWS CLI script, a Python script (boto3) or a redacted Markdown transcript",
    )
    p.add_argument("--no-history", action="store_true", help="do not keep this run in the history")


def check_arguments(args: argparse.Namespace) -> str | None:
    """A problem with --export in words, before any call is made."""
    export = getattr(args, "export", None)
    if export and export[0] not in EXPORT_KINDS:
        return f"--export {export[0]!r}: one of {', '.join(EXPORT_KINDS)}"
    return None


def after_walk(walk: Any, gateway: Any, args: argparse.Namespace | None) -> None:
    """Keep the run in the history and write the export the flags asked for; problems go to stderr."""
    if args is None:
        return
    region = getattr(gateway, "region", None)
    endpoint = getattr(getattr(gateway, "config", None), "endpoint_url", None)
    if not getattr(args, "no_history", False):
        try:
            path = save_login_run(walk, region, endpoint, getattr(args, "config", None))
            print(f"history: kept as {path.stem}", file=sys.stderr)
        except OSError as exc:
            print(f"history not saved: {exc}", file=sys.stderr)
    export = getattr(args, "export", None)
    if export:
        kind, target = export
        try:
            write_export(walk, kind, Path(target), region, endpoint, gateway)
            print(f"export: {kind} written to {target}", file=sys.stderr)
        except (OSError, ValueError) as exc:
            print(f"export not written: {exc}. Check that the folder exists and is writable.", file=sys.stderr)


def write_export(
    walk: Any, kind: str, target: Path, region: str | None, endpoint_url: str | None, gateway: Any = None
) -> None:
    from cognito_tui.core.export import write_walk

    write_walk(walk, kind, target, gateway, region=region, endpoint_url=endpoint_url)  # the TUI writes the same


def described_config(gateway: Any, pool_id: str, client_id: str) -> dict[str, Any]:
    from cognito_tui.core.export import described_config as described

    return described(gateway, pool_id, client_id)


def run_meta(walk: Any, region: str | None, endpoint_url: str | None) -> dict[str, Any]:
    """The history meta of a walk: enough to re-run it, and nothing secret."""
    req = walk.request
    current = walk.current
    explanation = getattr(current, "explanation", None)
    meta: dict[str, Any] = {
        "source": "login",
        "flow": req.auth_flow,
        "pool": req.user_pool_id,
        "client": req.client_id,
        "username": req.username,
        "region": region,
        "endpoint_url": endpoint_url,
        "api": req.api.value if req.api else None,
        "has_client_secret": bool(req.client_secret),
        "preferred_challenge": req.preferred_challenge,
        "custom_with_srp": req.custom_with_srp,
        "client_metadata": dict(req.client_metadata),
    }
    if explanation is not None:
        meta["explanation"] = explanation.text()
    claims = getattr(current, "claims", None)
    if claims:  # the Tokens tab compares runs' claims (issue 14); the device key masked
        from cognito_tui.core.claims import history_claims

        meta["claims"] = history_claims(claims)
    return {k: v for k, v in meta.items() if v not in (None, "", {})}


def outcome_of(step: Any) -> str:
    from cognito_tui.core.walk import Challenge, Failed, SignedIn

    if isinstance(step, SignedIn):
        return "tokens"
    if isinstance(step, Failed):
        return step.code
    if isinstance(step, Challenge):
        return f"waiting at {step.name}"
    return "not started"


def save_login_run(walk: Any, region: str | None, endpoint_url: str | None, config: str | None) -> Path:
    from cognito_tui.store.history import save_run
    from cognito_tui.store.paths import history_dir

    req = walk.request
    title = f"{req.auth_flow} {req.username or ''} @ {req.user_pool_id}"
    meta = run_meta(walk, region, endpoint_url)
    return save_run(history_dir(config), title, outcome_of(walk.current), walk.transcript.to_list(), meta)
