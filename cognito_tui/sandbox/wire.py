"""What arrives on the wire, checked against the cognito-idp service model before anything acts on it.

Cognito refuses an unknown operation (`UnknownOperationException`) and a member of the wrong JSON
type (`SerializationException`) before it looks at the values; so does the sandbox, so that no
hostile body reaches our handlers or moto's as something they did not expect. Required members,
enums and patterns are left to the handlers, which answer them with Cognito's own texts.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

from cognito_tui.sandbox.errors import WireError

MAX_BODY = 1 << 20  # bytes: Cognito's requests are a few KB; anything near this is not one
_model_lock = threading.Lock()
_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "blob": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
    "float": (int, float),
    "double": (int, float),
    "timestamp": (int, float, str),
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
}


@functools.cache
def _model() -> tuple[dict[str, Any], dict[str, Any]]:
    from botocore.loaders import Loader

    model = Loader().load_service_model("cognito-idp", "service-2")
    return model["operations"], model["shapes"]


def model() -> tuple[dict[str, Any], dict[str, Any]]:
    """(operations, shapes) of the cognito-idp model botocore ships; loaded once (~0.15 s)."""
    with _model_lock:
        return _model()


def serialization(message: str) -> WireError:
    return WireError("SerializationException", message)


def parse(body: bytes) -> dict[str, Any]:
    """The request object, or the SerializationException Cognito gives for a body that is not one."""
    if len(body) > MAX_BODY:
        raise serialization(f"The request body is larger than {MAX_BODY} bytes.")
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past any real request
        raise serialization("The request body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise serialization("Start of structure or map found where not expected.")
    return payload


def check(operation: str, payload: dict[str, Any]) -> None:
    """Refuse an operation the model does not have, or a member whose JSON type is not the model's."""
    operations, shapes = model()
    spec = operations.get(operation)
    if spec is None:
        raise WireError("UnknownOperationException", f"Operation {operation} is not a cognito-idp operation.")
    if "input" in spec:
        _check_value(payload, spec["input"]["shape"], shapes, operation)


def _check_value(root: Any, root_shape: str, shapes: dict[str, Any], path: str) -> None:
    pending: list[tuple[Any, str, str]] = [(root, root_shape, path)]
    while pending:  # iterative: the depth is the model's, not the attacker's
        value, shape_name, where = pending.pop()
        shape = shapes[shape_name]
        kind = shape["type"]
        if value is None:
            continue
        if not _kind_ok(value, kind):
            raise serialization(f"Unexpected {type(value).__name__} at {where}: expected a {kind}.")
        if isinstance(value, str):
            _check_text(value, where)
        elif kind == "structure":
            members = shape.get("members", {})
            for name, member in value.items():
                if name in members:
                    pending.append((member, members[name]["shape"], f"{where}.{name}"))
                else:
                    _check_text(name, where)
        elif kind == "map":
            for key, item in value.items():
                pending.append((key, shape["key"]["shape"], f"{where} key"))
                pending.append((item, shape["value"]["shape"], f"{where}.{key!r:.40}"))
        elif kind == "list":
            pending.extend((item, shape["member"]["shape"], f"{where}[{i}]") for i, item in enumerate(value))


def _kind_ok(value: Any, kind: str) -> bool:
    if kind in ("integer", "long") and isinstance(value, bool):  # JSON true is no number
        return False
    return isinstance(value, _JSON_TYPES.get(kind, (object,)))


def _check_text(text: str, where: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (\ud800) decodes from JSON but is no Unicode text
        raise serialization(f"Invalid UTF-8 text at {where}.") from None
