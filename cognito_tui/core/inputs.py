"""Parsing what users type for request fields: KEY=VALUE pairs and ContextData shorthands."""

from __future__ import annotations

import json
from typing import Any

from cognito_tui.core.problem import Problem


class InputError(Problem, ValueError):
    """What the user typed cannot be used; the message says why."""

    title = "Cannot read this input"
    next_step = "Fix the value shown and try again."


def parse_pairs(items: list[str], what: str) -> dict[str, str]:
    """['a=1', 'b=2'] -> {'a': '1', 'b': '2'}; blank items are skipped."""
    out = {}
    for item in items:
        if not item.strip():
            continue
        if "=" not in item:
            raise InputError(f"{what} takes KEY=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        out[key.strip()] = value
    return out


def parse_context_data(text: str) -> dict[str, Any]:
    """AdminInitiateAuth ContextData from JSON (the AWS CLI shape) or ip=..,server=..,path=..,header=N:V."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InputError(f"context data is not valid JSON: {exc}") from exc
    else:
        data = {"HttpHeaders": []}
        names = {"ip": "IpAddress", "server": "ServerName", "path": "ServerPath", "encoded": "EncodedData"}
        for part in text.split(","):
            if "=" not in part:
                raise InputError(f"context data: expected key=value, got {part!r}")
            key, value = part.split("=", 1)
            key = key.strip().lower()
            if key == "header":
                if ":" not in value:
                    raise InputError("context data: header=Name:Value")
                name, hv = value.split(":", 1)
                data["HttpHeaders"].append({"headerName": name.strip(), "headerValue": hv.strip()})
            elif key in names:
                data[names[key]] = value.strip()
            else:
                raise InputError(f"context data: unknown key {key!r} (ip, server, path, header, encoded)")
    missing = [k for k in ("IpAddress", "ServerName", "ServerPath", "HttpHeaders") if k not in data]
    if missing:
        raise InputError(f"context data needs {', '.join(missing)}")
    return data
