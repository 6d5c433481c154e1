"""Scenario files: YAML (safe_load) to the core's ScenarioFile, with every problem on its line.

version: 1
walks:
  - name: dave signs in with TOTP
    pool: cognito-tui-demo            # a pool id; with --against sandbox also a pool name
    client: demo-public               # a client id (or name, on the sandbox)
    flow: USER_PASSWORD_AUTH
    user: dave
    password: stored                  # stored (keyring / sandbox) | {env: VAR} | {value: ...} | none
    answers:
      SOFTWARE_TOKEN_MFA: {SOFTWARE_TOKEN_MFA_CODE: totp}
    expect: {challenges: [SOFTWARE_TOKEN_MFA], outcome: tokens}
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from cognito_tui.core.flows import FLOWS
from cognito_tui.core.problem import Problem
from cognito_tui.core.scenario import SOURCE_KINDS, Expectation, ScenarioFile, ScenarioWalk, Source

TOP_KEYS = ("version", "endpoint_url", "region", "walks")
WALK_KEYS = (
    "name",
    "profile",
    "pool",
    "client",
    "flow",
    "user",
    "api",
    "preferred_challenge",
    "custom_srp",
    "password",
    "client_secret",
    "answers",
    "expect",
)
EXPECT_KEYS = ("challenges", "outcome", "message", "username")
NAMED_SOURCES = tuple(k for k in SOURCE_KINDS if k not in ("value", "env"))

Path_ = tuple[Any, ...]


class ScenarioFileError(Problem):
    """The scenario file cannot be used: each problem with its line."""

    title = "Scenario file problem"

    def __init__(self, path: str, problems: list[str]):
        super().__init__(
            "\n".join(problems), next_step=f"Fix {path} and run again; the format is in `cognito-tui scenarios --help`."
        )
        self.problems = problems


def load_scenarios(path: str | Path) -> ScenarioFile:
    """Read and check a scenario file; raises ScenarioFileError with every problem found."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioFileError(name, [f"{name}: cannot read it: {exc.strerror or exc}"]) from exc
    return parse_scenarios(text, name)


def parse_scenarios(text: str, name: str = "scenarios.yaml") -> ScenarioFile:
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark is not None else name
        raise ScenarioFileError(name, [f"{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}"]) from exc
    lines: dict[Path_, int] = {}
    if root is not None:
        _collect_lines(root, (), lines)
    problems: list[tuple[Path_, str]] = []
    result = _file(data, name, problems)
    if problems:
        raise ScenarioFileError(name, [f"{name}:{_line(lines, p)}: {_dotted(p)}: {m}" for p, m in problems])
    assert result is not None
    for i, walk in enumerate(result.walks):
        walk.line = _line(lines, ("walks", i))
    return result


def _collect_lines(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (str(key.value),)
            lines[child] = key.start_mark.line + 1
            _collect_lines(value, child, lines)
            lines[child] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect_lines(item, path + (i,), lines)


def _line(lines: dict[Path_, int], path: Path_) -> int:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path, 1)


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _unknown(keys: Any, allowed: tuple[str, ...], path: Path_, problems: list[tuple[Path_, str]]) -> None:
    for key in keys:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(allowed)}"
            problems.append((path + (str(key),), f"unknown key {key!r}{hint}"))


def _file(data: Any, name: str, problems: list[tuple[Path_, str]]) -> ScenarioFile | None:
    if not isinstance(data, dict):
        problems.append(((), "a scenario file is a mapping with a 'walks:' list"))
        return None
    _unknown(data, TOP_KEYS, (), problems)
    if data.get("version", 1) != 1:
        problems.append((("version",), f"version {data.get('version')!r} is not known; this cognito-tui reads 1"))
    walks_data = data.get("walks")
    if not isinstance(walks_data, list) or not walks_data:
        problems.append((("walks",), "give a non-empty list of walks"))
        walks_data = []
    walks = []
    names: set[str] = set()
    for i, item in enumerate(walks_data):
        walk = _walk(item, ("walks", i), problems)
        if walk is None:
            continue
        if walk.name in names:
            problems.append((("walks", i, "name"), f"the name {walk.name!r} is used twice; names tell runs apart"))
        names.add(walk.name)
        walks.append(walk)
    return ScenarioFile(name, walks, _text(data, "endpoint_url", (), problems), _text(data, "region", (), problems))


def _text(data: dict, key: str, path: Path_, problems: list[tuple[Path_, str]]) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)) or isinstance(value, bool):
        problems.append((path + (key,), f"expected text, not {type(value).__name__}"))
        return None
    return str(value)


def _walk(data: Any, path: Path_, problems: list[tuple[Path_, str]]) -> ScenarioWalk | None:
    if not isinstance(data, dict):
        problems.append((path, "a walk is a mapping (name:, user:, expect: ...)"))
        return None
    _unknown(data, WALK_KEYS, path, problems)
    name = _text(data, "name", path, problems)
    if not name:
        problems.append((path, "every walk needs a name"))
        name = f"walk {path[-1] + 1}"
    walk = ScenarioWalk(name=name)
    for key in ("profile", "pool", "client", "flow", "user", "api", "preferred_challenge"):
        setattr(walk, key, _text(data, key, path, problems))
    if walk.flow and walk.flow not in FLOWS:
        close = difflib.get_close_matches(walk.flow, FLOWS, n=1)
        problems.append(
            (path + ("flow",), f"unknown flow {walk.flow!r}" + (f"; did you mean {close[0]}?" if close else ""))
        )
    if walk.api and walk.api not in ("public", "admin"):
        problems.append((path + ("api",), "api is public or admin"))
    if not walk.profile and not (walk.pool and walk.client and walk.user):
        problems.append((path, "give a profile, or pool, client and user"))
    walk.custom_with_srp = bool(data.get("custom_srp", False))
    for key in ("password", "client_secret"):
        if key in data:
            setattr(walk, key, _secret_source(data[key], path + (key,), problems))
    walk.answers = _answers(data.get("answers") or {}, path + ("answers",), problems)
    walk.expect = _expect(data.get("expect"), path + ("expect",), problems)
    return walk


def _secret_source(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Source | None:
    if value in ("stored", None):
        return None
    if value == "none":
        return Source("none")
    if value == "generated":
        return Source("generated")
    if isinstance(value, dict):
        return _source(value, path, problems)
    problems.append((path, "stored, none, generated, {env: VARIABLE} or {value: ...}; a secret is not written here"))
    return None


def _source(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Source | None:
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in ("value", "env"):
            problems.append((path, "a source mapping is {value: ...} or {env: VARIABLE}"))
            return None
        kind, arg = next(iter(value.items()))
        if arg is None or isinstance(arg, (dict, list)):
            problems.append((path, f"{kind}: give text"))
            return None
        return Source(kind, str(arg))
    if isinstance(value, str) and value in NAMED_SOURCES:
        return Source(value)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return Source("value", str(value))
    problems.append((path, f"an answer is {', '.join(NAMED_SOURCES)}, a fixed value, {{value: ...}} or {{env: VAR}}"))
    return None


def _answers(data: Any, path: Path_, problems: list[tuple[Path_, str]]) -> dict[str, list[dict[str, Source]]]:
    if not isinstance(data, dict):
        problems.append((path, "answers map a challenge name to its fields (SMS_MFA: {SMS_MFA_CODE: outbox})"))
        return {}
    out: dict[str, list[dict[str, Source]]] = {}
    for challenge, rounds in data.items():
        where = path + (str(challenge),)
        items = rounds if isinstance(rounds, list) else [rounds]
        parsed = []
        for i, fields in enumerate(items):
            at = where + (i,) if isinstance(rounds, list) else where
            if not isinstance(fields, dict):
                problems.append((at, "give the fields of this answer as a mapping (FIELD: source)"))
                continue
            sources = {str(k): _source(v, at + (str(k),), problems) for k, v in fields.items()}
            parsed.append({k: v for k, v in sources.items() if v is not None})
        out[str(challenge)] = parsed
    return out


def _expect(data: Any, path: Path_, problems: list[tuple[Path_, str]]) -> Expectation:
    if data is None:
        problems.append((path, "say what the walk must meet: expect: {outcome: tokens} at least"))
        return Expectation()
    if not isinstance(data, dict):
        problems.append((path, "expect is a mapping (challenges:, outcome:, message:, username:)"))
        return Expectation()
    _unknown(data, EXPECT_KEYS, path, problems)
    challenges = data.get("challenges")
    if challenges is not None and (not isinstance(challenges, list) or not all(isinstance(c, str) for c in challenges)):
        problems.append((path + ("challenges",), "a list of challenge names, e.g. [PASSWORD_VERIFIER, SMS_MFA]"))
        challenges = None
    outcome = _text(data, "outcome", path, problems) or "tokens"
    return Expectation(
        challenges=tuple(challenges) if challenges is not None else None,
        outcome=outcome,
        message=_text(data, "message", path, problems),
        username=_text(data, "username", path, problems),
    )
