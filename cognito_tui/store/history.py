"""A history of runs: each walk's transcript, redacted, as one JSON file, reopenable read-only."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cognito_tui.store.paths import APP_NAME, atomic_write_text, ensure_private_dir

KEEP = 200  # newest runs kept; older files are removed


@dataclass
class RunSummary:
    path: Path
    started_at: float
    title: str
    outcome: str


def save_run(folder: Path, title: str, outcome: str, records: list[dict[str, Any]], meta: dict[str, Any]) -> Path:
    """Write one run. `records` must already be masked (CallRecord.to_dict() is)."""
    ensure_private_dir(folder, tighten=True)
    if folder.parent.name == APP_NAME:  # the user state dir's cognito-tui folder: ours, so 0700 too
        ensure_private_dir(folder.parent, tighten=True)
    started = records[0]["started_at"] if records else time.time()
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(started))
    path = folder / f"run-{stamp}-{int(started * 1000) % 1000:03d}.json"
    data = {"title": title, "outcome": outcome, "started_at": started, "meta": meta, "calls": records}
    atomic_write_text(path, json.dumps(data, indent=2, default=str))
    for old in sorted(folder.glob("run-*.json"))[:-KEEP]:
        old.unlink(missing_ok=True)
    return path


def list_runs(folder: Path) -> list[RunSummary]:
    runs = []
    for path in sorted(folder.glob("run-*.json"), reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            runs.append(
                RunSummary(
                    path, float(data.get("started_at", 0)), str(data.get("title", "")), str(data.get("outcome", ""))
                )
            )
        except (OSError, ValueError):
            continue  # a damaged file is skipped, not fatal
    return runs


def load_run(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
