"""Scenarios: walks that must meet a challenge sequence and an outcome, run headless and compared.

Pure: the model (what a scenario file says), `drive()` (a Walk answered from sources until it ends,
the same core walk `login` and the TUI use), `observe()` (what happened), `compare()` (the first
difference), and the reports (text matrix, JSON, JUnit XML). Where an answer comes from (the TOTP
seed, the sandbox outbox, the environment) is the caller's `Resolver`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

SOURCE_KINDS = ("value", "env", "totp", "outbox", "generated", "wrong")
# Token claims that differ on every run; a comparison of two runs ignores them.
VOLATILE_CLAIMS = frozenset(
    {"exp", "iat", "auth_time", "jti", "origin_jti", "event_id", "sub", "username", "cognito:username", "device_key"}
)


@dataclass(frozen=True)
class Source:
    """Where one answer comes from: kind in SOURCE_KINDS, and its argument (the value, the variable)."""

    kind: str
    arg: str = ""

    def describe(self) -> str:
        if self.kind == "value":
            return "a fixed value"
        if self.kind == "env":
            return f"${self.arg}"
        return {
            "totp": "the TOTP seed",
            "outbox": "the sandbox outbox",
            "generated": "a generated password",
            "wrong": "a wrong code",
        }.get(self.kind, self.kind)


@dataclass(frozen=True)
class Expectation:
    challenges: tuple[str, ...] | None = None  # None: not checked
    outcome: str = "tokens"  # "tokens", an error code (NotAuthorizedException), or "waiting"
    message: str | None = None  # a substring of the refusal's message
    username: str | None = None  # the access token's username


@dataclass
class ScenarioWalk:
    """One walk of a scenario file."""

    name: str
    line: int = 0  # where it starts in its file, for messages
    profile: str | None = None
    pool: str | None = None
    client: str | None = None
    flow: str | None = None
    user: str | None = None
    api: str | None = None
    preferred_challenge: str | None = None
    custom_with_srp: bool = False
    password: Source | None = None  # None: the stored one (keyring for a profile, the sandbox's demo password)
    client_secret: Source | None = None
    answers: dict[str, list[dict[str, Source]]] = field(default_factory=dict)  # "NAME" or "NAME/phase" -> rounds
    expect: Expectation = field(default_factory=Expectation)

    def answers_for(self, challenge: str, phase: str, round_number: int) -> dict[str, Source] | None:
        """The sources for this challenge's nth round; the last round's repeat when fewer are listed."""
        key = f"{challenge}/{phase}" if phase else challenge
        rounds = self.answers.get(key)
        if not rounds:
            return None
        return rounds[min(round_number, len(rounds)) - 1]


@dataclass
class ScenarioFile:
    path: str
    walks: list[ScenarioWalk]
    endpoint_url: str | None = None
    region: str | None = None


@dataclass
class Observed:
    """What a walk did: the challenges met, how it ended, and the claims of its tokens."""

    challenges: list[str] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)
    outcome: str = "not started"
    message: str = ""
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "challenges": list(self.challenges),
            "operations": list(self.operations),
            "outcome": self.outcome,
            "message": self.message,
            "claims": self.claims,
            "duration_ms": round(self.duration_ms, 1),
        }


class Resolver(Protocol):
    def resolve(self, source: Source, challenge: Any, field_name: str) -> str: ...


class ScenarioProblem(Exception):
    """An answer could not be found (no such variable, no outbox): the walk ends with this message."""


def challenge_label(step: Any) -> str:
    return f"{step.name}/{step.phase}" if step.phase else step.name


def drive(
    walk: Any,
    scenario: ScenarioWalk,
    resolver: Resolver,
    on_step: Callable[[Any], None] | None = None,
    max_steps: int = 20,
) -> Observed:
    """Start the walk and answer each challenge from the scenario's sources until it ends."""
    from cognito_tui.core.walk import AnswerError, Challenge

    started = time.monotonic()
    observed = Observed()
    seen = 0

    def report(step: Any) -> None:
        nonlocal seen
        for new in walk.steps[seen:]:
            if on_step is not None:
                on_step(new)
        seen = len(walk.steps)

    try:
        step = walk.start()
        report(step)
        for _ in range(max_steps):
            if not isinstance(step, Challenge):
                break
            sources = scenario.answers_for(step.name, step.phase, step.round)
            if sources is None:
                if step.spec.fields and any(f.required for f in step.fields):
                    break  # nothing to answer with: the walk waits here
                sources = {}
            values = {name: resolver.resolve(src, step, name) for name, src in sources.items()}
            step = walk.answer(values)
            report(step)
    except ScenarioProblem as exc:
        observed.outcome, observed.message = "ScenarioError", str(exc)
    except AnswerError as exc:
        observed.outcome, observed.message = "BadAnswer", str(exc)
    except ValueError as exc:  # the request itself is wrong (Walk.start)
        observed.outcome, observed.message = "BadRequest", str(exc)
    else:
        observe(walk, observed)
    observed.challenges = [challenge_label(s) for s in walk.steps if isinstance(s, Challenge)]
    observed.operations = [r.operation for r in walk.transcript.records]
    observed.duration_ms = (time.monotonic() - started) * 1000
    return observed


def observe(walk: Any, observed: Observed) -> Observed:
    from cognito_tui.core.walk import Challenge, Failed, SignedIn

    step = walk.current
    if isinstance(step, SignedIn):
        observed.outcome = "tokens"
        observed.claims = {use: dict(claims) for use, claims in step.claims.items()}
    elif isinstance(step, Failed):
        observed.outcome, observed.message = step.code, step.message
    elif isinstance(step, Challenge):
        observed.outcome, observed.message = "waiting", f"no answer given for {challenge_label(step)}"
    return observed


def compare(expect: Expectation, got: Observed) -> str | None:
    """The first difference between what was expected and what happened, in words; None when it matches."""
    if expect.challenges is not None:
        wanted, seen = list(expect.challenges), got.challenges
        for i in range(max(len(wanted), len(seen))):
            w = wanted[i] if i < len(wanted) else None
            s = seen[i] if i < len(seen) else None
            if w != s:
                if w is None:
                    return f"challenge {i + 1}: expected no more challenges, got {s}"
                if s is None:
                    return f"challenge {i + 1}: expected {w}, the walk ended with {_ending(got)}"
                return f"challenge {i + 1}: expected {w}, got {s}"
    if expect.outcome != got.outcome:
        return f"outcome: expected {expect.outcome}, got {_ending(got)}"
    if expect.message is not None and expect.message not in got.message:
        return f"message: expected it to contain {expect.message!r}, got {got.message!r}"
    if expect.username is not None:
        actual = got.claims.get("access", {}).get("username")
        if actual != expect.username:
            return f"username: expected {expect.username!r}, got {actual!r}"
    return None


def _ending(got: Observed) -> str:
    return f"{got.outcome}: {got.message}" if got.message else got.outcome


def stable_facts(observed: dict[str, Any]) -> dict[str, Any]:
    """What two runs of the same walk should agree on (JSON shape of Observed.to_dict())."""
    facts: dict[str, Any] = {
        "challenges": observed.get("challenges"),
        "outcome": observed.get("outcome"),
        "message": observed.get("message"),
    }
    for use, claims in (observed.get("claims") or {}).items():
        for key, value in claims.items():
            if key not in VOLATILE_CLAIMS:
                facts[f"{use}.{key}"] = value
    return facts


def changes(previous: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims that changed between two `--json` reports, walk by walk (by name)."""
    before = {w["name"]: w for w in previous.get("walks", [])}
    out = []
    for walk in current.get("walks", []):
        old = before.pop(walk["name"], None)
        if old is None:
            out.append({"walk": walk["name"], "claim": "(walk)", "before": None, "after": "new"})
            continue
        if old.get("passed") != walk.get("passed"):
            out.append({"walk": walk["name"], "claim": "passed", "before": old.get("passed"), "after": walk["passed"]})
        a, b = stable_facts(old.get("actual") or {}), stable_facts(walk.get("actual") or {})
        for key in sorted(set(a) | set(b), key=lambda k: (k.count("."), k)):
            if a.get(key) != b.get(key):
                out.append({"walk": walk["name"], "claim": key, "before": a.get(key), "after": b.get(key)})
    for name in before:
        out.append({"walk": name, "claim": "(walk)", "before": "present", "after": None})
    return out


@dataclass
class WalkResult:
    walk: ScenarioWalk
    observed: Observed
    difference: str | None

    @property
    def passed(self) -> bool:
        return self.difference is None

    def to_dict(self) -> dict[str, Any]:
        e = self.walk.expect
        expected: dict[str, Any] = {"outcome": e.outcome}
        if e.challenges is not None:
            expected["challenges"] = list(e.challenges)
        if e.message is not None:
            expected["message"] = e.message
        if e.username is not None:
            expected["username"] = e.username
        return {
            "name": self.walk.name,
            "line": self.walk.line,
            "passed": self.passed,
            "difference": self.difference,
            "expected": expected,
            "actual": self.observed.to_dict(),
        }


def check(walk: ScenarioWalk, observed: Observed) -> WalkResult:
    return WalkResult(walk, observed, compare(walk.expect, observed))
