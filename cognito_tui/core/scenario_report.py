"""Scenario results as a pass/fail matrix for people, JSON for scripts, JUnit XML for CI systems."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from cognito_tui.core.scenario import WalkResult


def matrix(results: list[WalkResult]) -> str:
    """One row per walk: pass/FAIL, name, challenges met, outcome; the first difference under a failure."""
    rows = [("RESULT", "WALK", "CHALLENGES", "OUTCOME")]
    for r in results:
        rows.append(
            ("pass" if r.passed else "FAIL", r.walk.name, " > ".join(r.observed.challenges) or "-", r.observed.outcome)
        )
    widths = [min(max(len(row[i]) for row in rows), cap) for i, cap in enumerate((6, 36, 50, 32))]
    lines = []
    for i, row in enumerate(rows):
        cells = [_fit(cell, w) for cell, w in zip(row, widths, strict=True)]
        lines.append("  ".join(cells).rstrip())
        if i and not results[i - 1].passed:
            lines.append(f"    first difference: {results[i - 1].difference}")
    passed = sum(r.passed for r in results)
    lines.append(f"{len(results)} walk(s): {passed} passed, {len(results) - passed} failed")
    return "\n".join(lines)


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def report(path: str, against: str, results: list[WalkResult], changes: list[dict[str, Any]] | None = None) -> dict:
    """The `--json` object: the totals and every walk's expected and actual facts."""
    passed = sum(r.passed for r in results)
    out: dict[str, Any] = {
        "file": path,
        "against": against,
        "total": len(results),
        "passed": passed,
        "failed": len(results) - passed,
        "walks": [r.to_dict() for r in results],
    }
    if changes is not None:
        out["changes"] = changes
    return out


def junit(path: str, results: list[WalkResult]) -> str:
    """JUnit XML: one testsuite, one testcase per walk, a <failure> with the first difference."""
    failures = sum(not r.passed for r in results)
    total_s = sum(r.observed.duration_ms for r in results) / 1000
    suite = ET.Element(
        "testsuite",
        name=f"cognito-tui scenarios {path}",
        tests=str(len(results)),
        failures=str(failures),
        errors="0",
        skipped="0",
        time=f"{total_s:.3f}",
    )
    for r in results:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="cognito-tui.scenarios",
            name=r.walk.name,
            time=f"{r.observed.duration_ms / 1000:.3f}",
        )
        if r.walk.line:
            case.set("file", path)
            case.set("line", str(r.walk.line))
        if not r.passed:
            failure = ET.SubElement(case, "failure", message=r.difference or "", type="ScenarioMismatch")
            failure.text = (
                f"{r.difference}\nchallenges: {' > '.join(r.observed.challenges) or '-'}\n"
                f"outcome: {r.observed.outcome}{': ' + r.observed.message if r.observed.message else ''}\n"
                f"calls: {', '.join(r.observed.operations)}"
            )
    root = ET.Element("testsuites", tests=str(len(results)), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
