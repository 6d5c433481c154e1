"""The sandbox's HTTP face: loopback only, AWS-shaped JSON for every answer, routes in one table.

Order of a request: the Host must be a loopback name (a DNS-rebound page cannot reach us), an
Origin must be a loopback origin (a web page elsewhere cannot drive the sandbox), then a route of
the table (`register()`), else a cognito-idp operation: checked against the service model
(`wire.py`), answered by our `Service`, or by moto's cognito-idp app and nothing else of moto's.
Every failure, moto's included, is `{"__type", "message"}` JSON, never an HTML page.
"""

from __future__ import annotations

import io
import json
import re
import sys
import threading
import traceback
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from cognito_tui.core.flows import POOL_ID_RE
from cognito_tui.sandbox import wire
from cognito_tui.sandbox.errors import WireError

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
JSON_11 = "application/x-amz-json-1.1"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_POOL = POOL_ID_RE.pattern.strip("^$")
WELL_KNOWN = re.compile(rf"^/(?P<pool>{_POOL})/\.well-known/(?P<doc>jwks\.json|openid-configuration)$")
_PASSED_HEADERS = ("access-control-", "content-length")  # moto's CORS answer and length are replaced by ours


@dataclass
class Reply:
    status: int
    payload: Any
    headers: list[tuple[str, str]] = field(default_factory=list)
    content_type: str = JSON_11


Route = Callable[[dict[str, Any], "re.Match[str]"], Reply]
_STATUS = {200: "200 OK", 204: "204 No Content", 400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found",
           413: "413 Payload Too Large", 500: "500 Internal Server Error"}  # fmt: skip


def error_reply(error: WireError) -> Reply:
    headers = [("x-amzn-ErrorType", f"{error.code}:")]
    return Reply(error.status, {"__type": error.code, "message": error.message}, headers)


def loopback_host(host: str | None) -> bool:
    """Host header names 127.0.0.1, localhost or [::1] (any port)."""
    if not host:
        return False
    try:
        name = urlsplit(f"//{host}").hostname
    except ValueError:
        return False
    return name in LOOPBACK_HOSTS


def loopback_origin(origin: str) -> bool:
    try:
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.hostname in LOOPBACK_HOSTS
    except ValueError:
        return False


class SandboxApp:
    """WSGI: the guard, the route table, then cognito-idp operations (ours, else moto's)."""

    def __init__(self, service: Any, moto_app: Callable[..., Iterable[bytes]], account_id: str, region: str) -> None:
        self.service = service
        self.moto_app = moto_app
        self.account_id = account_id
        self.region = region
        self.lock = threading.RLock()  # one operation at a time: moto's models are not thread-safe
        self.routes: list[tuple[str, re.Pattern[str], Route]] = []
        self.mounts: list[tuple[Callable[[str], bool], Callable[..., Iterable[bytes]]]] = []

    def register(self, method: str, pattern: re.Pattern[str], route: Route) -> None:
        """Answer `method` requests whose path matches `pattern` with `route` (before any operation)."""
        self.routes.append((method, pattern, route))

    def mount(self, owns: Callable[[str], bool], app: Callable[..., Iterable[bytes]]) -> None:
        """Hand the paths `owns` accepts to another WSGI app (managed login's pages), after the guard."""
        self.mounts.append((owns, app))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        cors = _cors_headers(origin, environ) if origin and loopback_origin(origin) else []
        try:
            body = read_body(environ)  # first, whatever the answer: an unread body would spoil a kept-alive connection
        except WireError as exc:
            return send(start_response, error_reply(exc), [("Connection", "close")])
        try:
            reply = self._guard(environ, origin)
            if reply is None:
                return self._serve(environ, body, start_response, cors)
        except WireError as exc:
            reply = error_reply(exc)
        except Exception as exc:  # a bug of ours: say so in JSON, and leave the traceback for the developer
            traceback.print_exc(file=sys.stderr)
            reply = error_reply(WireError("InternalErrorException", f"sandbox bug: {type(exc).__name__}", status=500))
        return send(start_response, reply, cors)

    def _guard(self, environ: dict[str, Any], origin: str | None) -> Reply | None:
        if not loopback_host(environ.get("HTTP_HOST")):
            message = "The sandbox answers only requests addressed to 127.0.0.1, localhost or [::1]."
            return error_reply(WireError("ForbiddenException", message, status=403))
        if origin is not None and not loopback_origin(origin):
            message = "The sandbox answers only web pages served from 127.0.0.1, localhost or [::1]."
            return error_reply(WireError("ForbiddenException", message, status=403))
        if environ.get("REQUEST_METHOD") == "OPTIONS":
            return Reply(204, None)
        return None

    def _serve(
        self, environ: dict[str, Any], body: bytes, start_response: Callable[..., Any], cors: list[tuple[str, str]]
    ) -> Any:
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")
        for owns, app in self.mounts:
            if owns(path):
                with self.lock:
                    return list(app(environ, _with_headers(start_response, cors)))
        for route_method, pattern, route in self.routes:
            match = pattern.match(path)
            if match and method == route_method:
                return send(start_response, route(environ, match), cors)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if method != "POST" or not target.startswith(TARGET_PREFIX):
            message = "The sandbox answers cognito-idp operations only (POST with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>)."
            raise WireError("UnknownOperationException", message)
        operation = target[len(TARGET_PREFIX) :]
        payload = wire.parse(body)
        wire.check(operation, payload)
        with self.lock:
            try:
                result = self.service.handle(operation, payload)
            except WireError:
                raise
            except Exception as exc:
                raise _from_moto(exc, ours=True) from None
            if result is not None:
                return send(start_response, Reply(200, result), cors)
            return self._moto(environ, start_response, cors)

    def _moto(self, environ: dict[str, Any], start_response: Callable[..., Any], cors: list[tuple[str, str]]) -> Any:
        """moto's cognito-idp app, in this sandbox's account and region whatever the request was signed for."""
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self.account_id
        environ["HTTP_AUTHORIZATION"] = (
            f"AWS4-HMAC-SHA256 Credential=sandbox/20260101/{self.region}/cognito-idp/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )
        captured: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = status, headers
            return lambda _data: None

        try:
            body = b"".join(self.moto_app(environ, keep))
        except Exception as exc:
            raise _from_moto(exc, ours=False) from None
        finally:
            self.service.after_moto()
        status = int(captured["status"].split(" ", 1)[0])
        if status >= 500 or not body.lstrip().startswith(b"{") and body.strip():
            raise WireError("InvalidParameterException", "The sandbox could not process this request.")
        headers = [(k, v) for k, v in captured["headers"] if not k.lower().startswith(_PASSED_HEADERS)]
        headers += [*cors, ("Content-Length", str(len(body)))]
        start_response(captured["status"], headers)
        return [body]


def _from_moto(exc: Exception, ours: bool) -> WireError:
    """moto's own errors keep their code and message; what else moto raises is a request it cannot take.

    The same from our handlers is a bug of ours: a 500 with the traceback on stderr.
    """
    code = getattr(exc, "error_type", None)
    if isinstance(code, str) and code:
        return WireError(code, str(getattr(exc, "message", "")))
    if not ours and isinstance(exc, (LookupError, ValueError, TypeError, AttributeError, NotImplementedError)):
        return WireError(
            "InvalidParameterException", f"The sandbox could not process this request ({type(exc).__name__})."
        )
    traceback.print_exc(file=sys.stderr)
    return WireError("InternalErrorException", f"sandbox bug: {type(exc).__name__}", status=500)


def _with_headers(start_response: Callable[..., Any], extra: list[tuple[str, str]]) -> Callable[..., Any]:
    """start_response that adds the CORS headers to a mounted app's answer."""

    def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        return (
            start_response(status, [*headers, *extra], exc_info)
            if exc_info
            else start_response(status, [*headers, *extra])
        )

    return start


def _cors_headers(origin: str, environ: dict[str, Any]) -> list[tuple[str, str]]:
    headers = [("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
    if environ.get("REQUEST_METHOD") == "OPTIONS":
        asked = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "content-type, x-amz-target, x-amz-user-agent")
        headers += [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                    ("Access-Control-Allow-Headers", asked[:1000]), ("Access-Control-Max-Age", "600")]  # fmt: skip
    return headers


def read_body(environ: dict[str, Any]) -> bytes:
    """Read the request body (at most wire.MAX_BODY bytes) and put it back, so moto can read it again."""
    stream = environ["wsgi.input"]
    if environ.get("wsgi.input_terminated"):  # chunked: no length, the stream ends with the body
        body = stream.read(wire.MAX_BODY + 1)
    else:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise wire.serialization("Content-Length is not a number.") from None
        if length > wire.MAX_BODY:
            raise _too_large()
        body = stream.read(length) if length > 0 else b""
    if len(body) > wire.MAX_BODY:
        raise _too_large()
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _too_large() -> WireError:
    return WireError("SerializationException", f"The request body is larger than {wire.MAX_BODY} bytes.", status=413)


def send(start_response: Callable[..., Any], reply: Reply, extra: list[tuple[str, str]] | None = None) -> list[bytes]:
    data = b"" if reply.payload is None else json.dumps(reply.payload, default=_default).encode("utf-8")
    headers = [("Content-Type", reply.content_type), ("Content-Length", str(len(data))),
               ("x-amzn-RequestId", str(uuid.uuid4())), *reply.headers, *(extra or [])]  # fmt: skip
    start_response(_STATUS.get(reply.status, f"{reply.status} Error"), headers)
    return [data]


def _default(value: Any) -> Any:
    from cognito_tui.sandbox.service import epoch

    if hasattr(value, "utctimetuple"):
        return epoch(value)
    raise TypeError(f"cannot encode {type(value).__name__}")
