"""Checking a profile field by field: every problem as (path inside the profile, message), in words.

Used on what a file holds (store.profiles) and on profiles built in code (the editor, CLI-JSON).
Linear in the size of the input: each field is checked once.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from cognito_tui.core import validate
from cognito_tui.core.flows import CLIENT_ID_RE, FLOWS, POOL_ID_RE, check_pool_id, region_of
from cognito_tui.core.yamltree import Path as Path_
from cognito_tui.core.yamltree import dotted as _dotted
from cognito_tui.core.yamltree import kind as _kind
from cognito_tui.store.profile_model import (
    _TEXT_FIELDS,
    APIS,
    AUTH_FLOWS,
    CONTEXT_FIELDS,
    HEADER_FIELDS,
    NAME_MAX,
    PROFILE_FIELDS,
    REGION_RE,
    SANDBOX_ENDPOINT,
    SECRET_WORDS,
    ContextData,
    Profile,
    profile_to_dict,
)


def profile_problems(profile: Profile) -> list[tuple[str, str]]:
    """What is wrong with a profile built in code: (field, message) pairs, field "" for the whole profile."""
    _, found = _profile_from_data(profile_to_dict(profile))
    return [(_dotted(p), m) for p, m in found]


def validate_profile(profile: Profile) -> list[str]:
    """profile_problems() in the words a file issue would use ([] if valid)."""
    return [f"{f}: {m}" if f else m for f, m in profile_problems(profile)]


def _profile_from_data(data: Any) -> tuple[Profile | None, list[tuple[Path_, str]]]:
    """A Profile from plain values, or None and the problems, each with its path inside the profile."""
    if not isinstance(data, dict):
        return None, [((), f"a profile must be a mapping of fields (name: ..., region: ...), not {_kind(data)}")]
    problems: list[tuple[Path_, str]] = []
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in PROFILE_FIELDS:
            problems.append(((key,), _unknown(key, PROFILE_FIELDS)))
        elif value is None or value == "":
            continue  # an empty field means the same as a missing one
        elif key in _TEXT_FIELDS:
            error = _text_error(value) or _CHECKS.get(key, _no_check)(value)
            if error:
                problems.append(((key,), error))
            else:
                values[key] = value
        elif key == "client_metadata":
            values[key] = _string_map(value, (key,), problems)
        else:
            values[key] = _context_data(value, problems)
    if "name" not in values and not any(p == ("name",) for p, _ in problems):
        problems.append(((), "missing 'name' (every profile needs a unique name)"))
    problems += _cross_checks(values)
    if problems:
        return None, problems
    return Profile(**values), []


def _cross_checks(v: dict[str, Any]) -> list[tuple[Path_, str]]:
    problems: list[tuple[Path_, str]] = []
    pool_region = region_of(v.get("user_pool_id") or "")
    if v.get("region") and pool_region and not v.get("endpoint_url") and pool_region != v["region"]:
        problems.append(
            (
                ("region",),
                f"is {v['region']} but user_pool_id {v['user_pool_id']} lives in {pool_region}; "
                "fix one of them (or leave region out: it is read from the pool id)",
            )
        )
    flow, api = v.get("auth_flow"), v.get("api")
    if flow and api and api not in FLOWS[flow].apis:
        only = FLOWS[flow].apis[0].value
        problems.append(
            (("api",), f"is {api} but {flow} is accepted only by the {only} API; set api: {only} or leave api out")
        )
    return problems


def name_problem(value: str) -> str | None:
    """What is wrong with a profile name, or None (the save dialog asks before writing)."""
    return "is empty" if not value else _check_name(value)


def _check_name(value: str) -> str | None:
    if value != value.strip():
        return "must not start or end with spaces"
    if len(value) > NAME_MAX:
        return f"must be at most {NAME_MAX} characters"
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        return "must not contain control characters"
    return None


def _check_region(value: str) -> str | None:
    return None if REGION_RE.match(value) else "must be an AWS Region code such as us-east-1 or eu-west-2"


def _check_url(value: str) -> str | None:
    if value == SANDBOX_ENDPOINT:
        return None
    problem = validate.endpoint_url_problem(value)
    if problem is None:
        return None
    if "http://" in problem or "no host" in problem:
        return "must be a URL starting with http:// or https:// (e.g. http://127.0.0.1:9229)"
    return f"{problem.replace(repr(value), 'is', 1)} (e.g. http://127.0.0.1:9229)"


def _check_pool(value: str) -> str | None:
    if not POOL_ID_RE.match(value):
        return "must look like <region>_<id> (e.g. us-east-1_AbCdEf123)"
    return check_pool_id(value)  # the length


def _check_client(value: str) -> str | None:
    if CLIENT_ID_RE.match(value) and len(value) <= 128:
        return None
    return "must be an app client id: letters, digits, '+' and '_' (e.g. 1example23456789abcdefghijk)"


def _check_flow(value: str) -> str | None:
    return None if value in FLOWS else f"must be one of {', '.join(AUTH_FLOWS)}{_suggest(value.upper(), AUTH_FLOWS)}"


def _check_api(value: str) -> str | None:
    return None if value in APIS else f"must be admin or public (or left out){_suggest(value.lower(), APIS)}"


def _no_check(value: str) -> None:
    return None


_CHECKS: dict[str, Callable[[str], str | None]] = {
    "name": _check_name,
    "region": _check_region,
    "endpoint_url": _check_url,
    "user_pool_id": _check_pool,
    "client_id": _check_client,
    "auth_flow": _check_flow,
    "api": _check_api,
}


def _text_error(value: Any) -> str | None:
    if isinstance(value, str):
        return None
    if isinstance(value, (bool, int, float, date)):
        return f"must be text, not {_kind(value)}; put the value in quotes"
    return f"must be text, not {_kind(value)}"


def _string_map(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> dict[str, str]:
    if not isinstance(value, dict):
        problems.append((path, f"must be a mapping of text keys to text values, not {_kind(value)}"))
        return {}
    for key, item in value.items():
        error = _text_error(item)
        if error:
            problems.append((path + (key,), error))
    return dict(value)


def _context_data(value: Any, problems: list[tuple[Path_, str]]) -> ContextData | None:
    here: Path_ = ("context_data",)
    if not isinstance(value, dict):
        problems.append((here, f"must be a mapping ({', '.join(CONTEXT_FIELDS)}), not {_kind(value)}"))
        return None
    values: dict[str, Any] = {}
    for key, item in value.items():
        if key not in CONTEXT_FIELDS:
            problems.append((here + (key,), _unknown(key, CONTEXT_FIELDS)))
        elif item is None or item == "":
            continue
        elif key == "http_headers":
            values[key] = _headers(item, here + (key,), problems)
        elif error := _text_error(item):
            problems.append((here + (key,), error))
        else:
            values[key] = item
    return ContextData(**values) if values else None


def _headers(value: Any, path: Path_, problems: list[tuple[Path_, str]]) -> list[tuple[str, str]]:
    if not isinstance(value, list):
        problems.append((path, f"must be a list of '- name: ..., value: ...' entries, not {_kind(value)}"))
        return []
    headers = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != set(HEADER_FIELDS):
            problems.append((path + (i,), "each header must be a mapping with exactly 'name' and 'value'"))
            continue
        errors = [(path + (i, k), e) for k in HEADER_FIELDS if (e := _text_error(item[k]))]
        problems += errors
        if not errors:
            headers.append((item["name"], item["value"]))
    return headers


def _unknown(key: str, allowed: Iterable[str]) -> str:
    return _unknown_cached(key, tuple(allowed))


@functools.lru_cache(maxsize=4096)
def _unknown_cached(key: str, allowed: tuple[str, ...]) -> str:
    """Cached: a file repeating one typo 40,000 times pays for difflib once."""
    squashed = re.sub(r"[^a-z0-9]", "", key.lower())
    if any(word in squashed for word in SECRET_WORDS):
        return (
            f"{key!r} looks like a secret, and secrets are never read from this file: remove it, and let "
            "cognito-tui keep it in the OS keyring instead (offered when you sign in; see `cognito-tui secrets list`)"
        )
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key).lower().replace("-", "_")
    return f"unknown field {key!r}{_suggest(snake, allowed)}; allowed: {', '.join(allowed)}"


def _suggest(value: str, choices: Iterable[str]) -> str:
    return _suggest_cached(value, tuple(choices))


@functools.lru_cache(maxsize=4096)
def _suggest_cached(value: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
