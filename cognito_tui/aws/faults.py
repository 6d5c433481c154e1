"""What a broken answer looks like, in words: botocore's failures turned into the core's errors.

The gateway sends; this module decides, for each way a call can fail, the message, what to check,
and whether another attempt could help (a dropped connection may; a malformed body will not).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import botocore.exceptions

from cognito_tui.core.errors import CognitoError, TransportError

# Cognito's own codes that mean "try again shortly": the gateway retries these within its budget.
RETRYABLE_CODES = frozenset({"TooManyRequestsException", "InternalErrorException", "ServiceUnavailable"})
# Keys an operation's answer cannot do without; missing ones are a broken answer, not a KeyError later.
REQUIRED_KEYS = {
    "DescribeUserPoolClient": ("UserPoolClient",),
    "DescribeUserPool": ("UserPool",),
    "ListUserPools": ("UserPools",),
    "ListUserPoolClients": ("UserPoolClients",),
    "AssociateSoftwareToken": ("SecretCode",),
    "GetUser": ("Username",),
    "AdminGetUser": ("Username",),
}
_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,),
    "map": (dict,),
    "list": (list,),
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "boolean": (bool,),
    "double": (int, float),
    "float": (int, float),
}
MALFORMED_HINT = (
    "Is the endpoint URL a Cognito (or sandbox) endpoint, and not a proxy or another service? "
    "Retrying will not help until the endpoint answers like Cognito."
)


class MalformedResponse(Exception):
    """Raised from botocore's before-parse hook: the body is not a JSON object we can trust."""


@dataclass
class Failure:
    """One failed attempt: the error to raise, and whether another attempt could succeed."""

    error: CognitoError | TransportError
    retryable: bool
    reason: str  # a few words for the retry line ("connection closed", "HTTP 503")


def check_body(response_dict: dict[str, Any], operation_model: Any = None, **_: Any) -> None:
    """botocore before-parse hook: refuse a non-UTF-8 or non-JSON body before botocore guesses at it."""
    body = response_dict.get("body") or b""
    status = int(response_dict.get("status_code") or 0)
    if not body and status < 300:
        return
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    except UnicodeDecodeError as exc:
        raise MalformedResponse(f"a {len(body)}-byte body that is not UTF-8 text (byte {exc.start})") from None
    if status >= 300 and not text.lstrip().startswith("{"):
        return  # an HTML or text error page: botocore reports it as a ClientError with the status as code
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedResponse(f"JSON that does not parse ({exc.msg}, character {exc.pos} of {len(text)})") from None
    except RecursionError:
        raise MalformedResponse("JSON nested too deeply to read") from None
    if not isinstance(data, dict):
        raise MalformedResponse(f"JSON {type(data).__name__} where Cognito always sends an object")
    if status < 300 and operation_model is not None:
        problem = shape_problem(operation_model.output_shape, data)
        if problem:
            raise MalformedResponse(f"a malformed object: {problem}")


def shape_problem(shape: Any, value: Any, path: str = "") -> str | None:
    """The first place where `value` does not have the type botocore's output shape says, or None."""
    if value is None or shape is None:
        return None
    expected = _TYPES.get(shape.type_name)
    if expected is not None and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
        return f"{path or 'the answer'} is {type(value).__name__}, where Cognito sends {shape.type_name}"
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            problem = shape_problem(member, value.get(name), f"{path}.{name}" if path else name)
            if problem:
                return problem
    elif shape.type_name == "map":
        for key, item in value.items():
            problem = shape_problem(shape.value, item, f"{path}[{key!r}]")
            if problem:
                return problem
    elif shape.type_name == "list":
        for i, item in enumerate(value):
            problem = shape_problem(shape.member, item, f"{path}[{i}]")
            if problem:
                return problem
    return None


def malformed(operation: str, what: str) -> Failure:
    error = TransportError(f"{operation}: the endpoint answered {what}", MALFORMED_HINT, title="Not a Cognito answer")
    return Failure(error, retryable=False, reason=what)


def from_exception(operation: str, exc: BaseException, timeout: float) -> Failure:
    """Any exception out of a botocore call, as a Failure; nothing else leaves the gateway."""
    if isinstance(exc, botocore.exceptions.ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        code = str(err.get("Code") or "UnknownError")
        message = str(err.get("Message") or "")
        if code.isdigit():  # an HTML error page, not a Cognito answer
            transport = TransportError(
                f"{operation}: the endpoint answered HTTP {code}, not a Cognito error",
                "Is the endpoint URL a Cognito (or sandbox) endpoint? A proxy or load balancer may be failing.",
                title="Not a Cognito answer",
            )
            return Failure(transport, retryable=int(code) >= 500, reason=f"HTTP {code}")
        return Failure(CognitoError(code, message, operation, status), code in RETRYABLE_CODES, code)
    if isinstance(exc, MalformedResponse):
        return malformed(operation, str(exc))
    if isinstance(exc, botocore.exceptions.ParamValidationError):
        error = CognitoError("InvalidParameterException", f"rejected before sending: {exc}", operation)
        return Failure(error, retryable=False, reason="invalid parameters")
    if isinstance(exc, botocore.exceptions.NoCredentialsError):
        transport = TransportError(
            f"{operation} needs AWS credentials and none were found",
            "Set an AWS profile (aws configure / --aws-profile), or use the public API (InitiateAuth) where the flow allows it.",
            title="AWS credentials needed",
        )
        return Failure(transport, retryable=False, reason="no credentials")
    if isinstance(exc, botocore.exceptions.EndpointConnectionError):
        url = exc.kwargs.get("endpoint_url", "the endpoint")
        transport = TransportError(
            f"{operation}: cannot connect to {url}",
            "Check the endpoint URL and the Region, and that the server (or the sandbox) is running.",
        )
        return Failure(transport, retryable=True, reason="cannot connect")
    if isinstance(exc, botocore.exceptions.ConnectionClosedError):
        transport = TransportError(
            f"{operation}: the endpoint closed the connection without answering",
            "The server or a proxy dropped the request; check the endpoint URL, then retry.",
        )
        return Failure(transport, retryable=True, reason="connection closed")
    if isinstance(exc, (botocore.exceptions.ConnectTimeoutError, botocore.exceptions.ReadTimeoutError)):
        return timed_out(operation, timeout, retryable=True)
    if isinstance(exc, botocore.exceptions.BotoCoreError):
        return Failure(TransportError(f"{operation} failed: {exc}"), retryable=False, reason=type(exc).__name__)
    return malformed(operation, f"something botocore could not read ({type(exc).__name__}: {exc})")


def timed_out(operation: str, seconds: float, *, retryable: bool = False) -> Failure:
    transport = TransportError(
        f"{operation}: no answer within {seconds:g} s",
        "The endpoint accepted the request but did not answer in time: check the endpoint URL and the "
        "network, or raise the timeout (login: --timeout).",
        title="Cognito did not answer",
    )
    return Failure(transport, retryable=retryable, reason="timed out")
