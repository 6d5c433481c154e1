"""Input checked at the edges (flags, files, stdin, profile fields): the reason, and how to fix it.

Each `*_problem` returns None or what is wrong in words, for callers that collect issues (the
profile store); `require` and the readers raise InvalidInput, a Problem front ends show as usage
errors (`login` exits 2). Pure standard library, like the rest of core.
"""

from __future__ import annotations

import json
import math
import re
from typing import IO, Any
from urllib.parse import urlsplit

from cognito_tui.core.problem import Problem

REGION_RE = re.compile(r"^[a-z]{2,}(-[a-z]+)+-\d{1,2}$")
POOL_ID_RE = re.compile(r"^([a-z]{2,}(?:-[a-z]+)+-\d{1,2})_[0-9A-Za-z]+$")
CLIENT_ID_RE = re.compile(r"^[0-9A-Za-z_+]{1,128}$")
MAX_JSON_BYTES = 1 << 20  # a --cli-input-json request is a few kB; a MiB is generous
MAX_JSON_DEPTH = 64  # the deepest real request (ContextData.HttpHeaders) is 4
MAX_LINE_BYTES = 64 << 10
TIMEOUT_RANGE = (0.1, 3600.0)

FIXES = {
    "region": "Give an AWS Region code such as us-east-1 or eu-west-2 (or leave it out: the pool id's prefix is used).",
    "pool": "A user pool id looks like <region>_<id>, e.g. us-east-1_AbCdEf123 (Cognito console, or ListUserPools).",
    "client": "An app client id is letters and digits (Cognito console: App clients, or ListUserPoolClients).",
    "url": "Give an http:// or https:// URL with a host, e.g. http://127.0.0.1:9229 for the sandbox.",
    "timeout": f"Give a number of seconds from {TIMEOUT_RANGE[0]:g} to {TIMEOUT_RANGE[1]:g}, e.g. 30.",
    "json": "Give a file made by `aws cognito-idp initiate-auth --generate-cli-skeleton` (or `login --generate-cli-skeleton`).",
    "stdin": "Pipe the value as one line of UTF-8 text, e.g. `printf '%s\\n' \"$SECRET\" | cognito-tui login ...`.",
}


class InvalidInput(Problem):
    """A flag, file or stdin value that cannot be used, with what is wrong and the fix."""

    title = "Invalid input"


def require(problem: str | None, what: str, fix: str) -> None:
    """Raise InvalidInput for a problem found by one of the *_problem checks."""
    if problem is not None:
        raise InvalidInput(f"{what}: {problem}", next_step=FIXES.get(fix, fix))


def region_problem(text: str) -> str | None:
    if not isinstance(text, str) or not REGION_RE.match(text):
        return f"{_show(text)} is not an AWS Region code"
    return None


def pool_id_problem(text: str) -> str | None:
    if not isinstance(text, str) or not text:
        return "the user pool id is empty"
    if len(text) > 55:
        return "a user pool id has at most 55 characters"
    if not POOL_ID_RE.match(text):
        return f"{_show(text)} does not look like <region>_<id> (ASCII letters and digits after the '_')"
    return None


def client_id_problem(text: str) -> str | None:
    if not isinstance(text, str) or not CLIENT_ID_RE.match(text):
        return f"{_show(text)} is not an app client id (letters, digits, '+' and '_', at most 128)"
    return None


def endpoint_url_problem(text: str) -> str | None:
    if not isinstance(text, str) or not text:
        return "the endpoint URL is empty"
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError as exc:
        return f"{_show(text)} is not a URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return f"{_show(text)} must start with http:// or https://"
    if not parts.hostname:
        return f"{_show(text)} has no host"
    if any(c.isspace() or ord(c) < 32 for c in text):
        return f"{_show(text)} contains spaces or control characters"
    if port == 0:
        return f"{_show(text)} has port 0"
    return None


def timeout_problem(value: float) -> str | None:
    low, high = TIMEOUT_RANGE
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
        return f"{value!r} is not a number of seconds"
    if not low <= value <= high:
        return f"{value:g} s is outside {low:g} to {high:g} s"
    return None


def json_depth_problem(text: str, limit: int = MAX_JSON_DEPTH) -> str | None:
    """One linear pass: refuse nesting deeper than `limit` before json.loads would recurse into it."""
    depth, in_string, escaped = 0, False, False
    for i, c in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            if depth > limit:
                return f"nested more than {limit} levels deep (at character {i})"
        elif c in "]}":
            depth -= 1
    return None


def read_json_file(path: str, what: str = "--cli-input-json", limit: int = MAX_JSON_BYTES) -> Any:
    """The JSON value in a file, read with a size bound (so /dev/zero cannot fill memory) and a depth bound."""
    name = path[len("file://") :] if path.startswith("file://") else path
    try:
        with open(name, "rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise InvalidInput(f"{what} {name}: cannot read: {exc.strerror or exc}", next_step=FIXES["json"]) from None
    if len(data) > limit:
        require(f"larger than {limit // 1024} KiB, so not a request file", f"{what} {name}", "json")
    text = decode_utf8(data, f"{what} {name}", "json")
    require(json_depth_problem(text), f"{what} {name}", "json")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"{what} {name}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}", next_step=FIXES["json"]
        ) from None


def decode_utf8(data: bytes, what: str, fix: str = "stdin") -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{what}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            next_step=FIXES.get(fix, fix),
        ) from None


def read_secret_line(stream: IO[Any], what: str) -> str:
    """The first line of a (binary or text) stream, bounded and strictly UTF-8, without its line end."""
    binary = getattr(stream, "buffer", stream)
    line = binary.readline(MAX_LINE_BYTES + 1)
    if isinstance(line, str):
        text = line
    else:
        if len(line) > MAX_LINE_BYTES:
            require(f"the first line is over {MAX_LINE_BYTES // 1024} KiB", what, "stdin")
        text = decode_utf8(line, what)
    return text.strip()


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_target(user_pool_id: str, client_id: str, region: str, endpoint_url: str | None, timeout: float) -> None:
    """Every edge of a sign-in target at once (login's flags, a profile's fields), first problem raised."""
    require(pool_id_problem(user_pool_id), "--user-pool-id", "pool")
    require(client_id_problem(client_id), "--client-id", "client")
    require(region_problem(region), "--region", "region")
    if endpoint_url is not None:
        require(endpoint_url_problem(endpoint_url), "--endpoint-url", "url")
    require(timeout_problem(timeout), "--timeout", "timeout")
