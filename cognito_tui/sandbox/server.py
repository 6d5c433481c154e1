"""`Sandbox`: moto's Cognito on 127.0.0.1 with our auth layer in front, seeded and ready to sign in.

Importing this module is cheap; moto, flask and boto3 are imported by `start()` (they cost
about half a second and `cognito-tui --help` must not pay it).

    with Sandbox() as sb:                       # the packaged demo seed
        sb.endpoint_url, sb.region               # point boto3 here, any dummy credentials
        sb.client("cognito-tui-demo", "demo-public")   # {"id": ..., "secret": None}
        sb.outbox.latest("erin")                 # the SMS code Cognito "sent"
        sb.clock.advance(181)                     # and the Session from before is expired

Tokens carry the AWS issuer (`https://cognito-idp.<region>.amazonaws.com/<pool>`) while their
keys are served locally at `jwks_url(pool_id)`: a verifier must take the two separately.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import sys
import threading
import traceback
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.errors import CognitoError
from cognito_tui.sandbox.outbox import Outbox
from cognito_tui.sandbox.seed import Seed, load_seed

TARGET_PREFIX = "AWSCognitoIdentityProviderService."
_WELL_KNOWN = re.compile(r"^/(?P<pool>[\w-]+_[0-9a-zA-Z]+)/\.well-known/(?P<doc>jwks\.json|openid-configuration)$")
_accounts = itertools.count(1)


class Sandbox:
    """A local Cognito user-pool service: every flow and challenge, on 127.0.0.1."""

    def __init__(self, seed_path: str | Path | None = None, port: int = 0, clock: Clock | None = None) -> None:
        self.seed: Seed = load_seed(seed_path)  # a bad seed fails here, before any server starts
        self.port = port
        self.clock = clock or Clock()
        self.outbox = Outbox()
        self.region = self.seed.region
        self.account_id = f"{100000000000 + next(_accounts)}"  # one moto account per sandbox: isolated state
        self.endpoint_url: str | None = None
        self._server: Any = None
        self._service: Any = None
        self._oauth: Any = None  # managed login (sandbox/oauth), attached by start()

    # --- life cycle -----------------------------------------------------------------------------------

    def start(self) -> Sandbox:
        if self._server is not None:
            return self
        from cognito_tui.sandbox import moto_glue
        from cognito_tui.sandbox.directory import Directory
        from cognito_tui.sandbox.seeding import seed_backend
        from cognito_tui.sandbox.service import Service

        moto_glue.quiet_werkzeug()
        moto_glue.prefer_own_account()
        directory = Directory(moto_glue.backend_for(self.account_id, self.region), self.clock)
        seed_backend(directory.backend, self.seed, directory)
        self._service = Service(directory, self.clock, self.outbox)
        from cognito_tui.sandbox.oauth import attach

        self._oauth = attach(self)  # managed login: domains, /oauth2/*, discovery, its API operations
        server = moto_glue.SandboxMotoServer(self.port, lambda moto_app: _SandboxApp(self, moto_app))
        server.start()
        if server.error is not None:
            moto_glue.drop_account(self.account_id)
            raise OSError(f"cannot serve on 127.0.0.1:{self.port}: {server.error}") from server.error
        self._server = server
        host, port = server.get_host_and_port()
        self.port = port
        self.endpoint_url = f"http://{host}:{port}"
        threading.Thread(target=_warm_signing_key, name="sandbox-key", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        from cognito_tui.sandbox import moto_glue

        self._server.stop()
        self._server = None
        moto_glue.drop_account(self.account_id)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    # --- what is in it --------------------------------------------------------------------------------

    def pool_id(self, name: str) -> str:
        """The id of a pool by its name (an id is returned as it is)."""
        for pool in self.seed.pools:
            if name in (pool.name, pool.id):
                return pool.id
        raise KeyError(f"no pool named {name!r}")

    def client(self, pool_name: str, client_name: str) -> dict[str, str | None]:
        """{"id", "secret"} of a client of a pool, both by name."""
        pool_id = self.pool_id(pool_name)
        for pool in self.seed.pools:
            if pool.id == pool_id:
                for client in pool.clients:
                    if client_name in (client.name, client.id):
                        return {"id": client.id, "secret": client.secret}
        raise KeyError(f"no client {client_name!r} in pool {pool_name!r}")

    def jwks_url(self, pool_id: str) -> str:
        return f"{self._require_url()}/{pool_id}/.well-known/jwks.json"

    def issuer(self, pool_id: str) -> str:
        """The `iss` claim of this pool's tokens: the AWS URL, not the sandbox's."""
        from cognito_tui.sandbox.tokens import issuer

        return issuer(pool_id)

    def _require_url(self) -> str:
        if self.endpoint_url is None:
            raise RuntimeError("the sandbox is not started")
        return self.endpoint_url

    def describe(self) -> dict[str, Any]:
        """Endpoint, pools, clients and users (with their demo passwords), as `--json` prints it."""
        live = self._service.directory if self._service is not None else None
        pools = []
        for pool in self.seed.pools:
            users = []
            for spec in pool.users:
                entry: dict[str, Any] = {"username": spec.username, "password": spec.password}
                moto_pool = live.backend.user_pools.get(pool.id) if live is not None else None
                user = live.find_user(moto_pool, spec.username) if moto_pool is not None else None
                if user is not None and user.password:
                    entry["password"] = user.password  # the current one, if a sign-in changed it
                attributes = dict(user.attribute_lookup) if user is not None else dict(spec.attributes)
                for key, value in (("scenario", spec.scenario), ("totp_secret", spec.totp_secret),
                                   ("flow", spec.flow), ("client", spec.client), ("description", spec.description),
                                   ("email", attributes.get("email")), ("phone_number", attributes.get("phone_number"))):  # fmt: skip
                    if value:
                        entry[key] = value
                if "email" in pool.alias_attributes and str(attributes.get("email_verified")).lower() == "true":
                    entry["alias"] = attributes["email"]  # an alias signs in only once verified
                users.append(entry)
            clients = []
            for client in pool.clients:
                item: dict[str, Any] = {"id": client.id, "name": client.name}
                if client.secret:
                    item["secret"] = client.secret
                clients.append(item)
            pools.append({"id": pool.id, "name": pool.name, "clients": clients, "users": users})
        return {"endpoint_url": self.endpoint_url, "region": self.region, "pools": pools}


def _warm_signing_key() -> None:
    from cognito_tui.sandbox.tokens import signing_key

    signing_key()


class _SandboxApp:
    """WSGI: well-known documents and our operations here; the rest to moto, in this sandbox's account."""

    def __init__(self, sandbox: Sandbox, moto_app: Callable[..., Iterable[bytes]]) -> None:
        self.sandbox = sandbox
        self.moto_app = moto_app
        self.lock = threading.RLock()  # one request at a time: moto's models are not thread-safe

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        oauth = self.sandbox._oauth
        if oauth is not None and oauth.owns(environ.get("PATH_INFO", "")):
            with self.lock:
                return oauth(environ, start_response)
        match = _WELL_KNOWN.match(environ.get("PATH_INFO", ""))
        if match and environ.get("REQUEST_METHOD") == "GET":
            return self._well_known(match["pool"], match["doc"], environ, start_response)
        body = _read_body(environ)
        environ["HTTP_X_MOTO_ACCOUNT_ID"] = self.sandbox.account_id
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        service = self.sandbox._service
        with self.lock:
            if target.startswith(TARGET_PREFIX):
                try:
                    payload = json.loads(body or b"{}")
                    if not isinstance(payload, dict):
                        raise ValueError("not an object")
                except ValueError:
                    return _error(
                        start_response,
                        CognitoError("SerializationException", "Start of structure or map found where not expected."),
                    )
                try:
                    result = service.handle(target[len(TARGET_PREFIX) :], payload)
                except CognitoError as exc:
                    return _error(start_response, exc)
                except Exception as exc:
                    converted = _from_moto(exc)
                    if converted is None:
                        traceback.print_exc(file=sys.stderr)
                        converted = CognitoError(
                            "InternalErrorException", f"sandbox bug: {type(exc).__name__}: {exc}", status=500
                        )
                    return _error(start_response, converted)
                if result is not None:
                    return _json(start_response, "200 OK", result)
            chunks = list(self.moto_app(environ, start_response))
            service.after_moto()
            return chunks

    def _well_known(
        self, pool_id: str, doc: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        from cognito_tui.sandbox.tokens import issuer, public_jwks

        if pool_id not in self.sandbox._service.directory.backend.user_pools:
            return _json(start_response, "404 Not Found", {"message": f"User pool {pool_id} does not exist."})
        if doc == "jwks.json":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [public_jwks()]
        base = self.sandbox.endpoint_url
        document = {
            "issuer": issuer(pool_id),
            "jwks_uri": f"{base}/{pool_id}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
        }
        return _json(start_response, "200 OK", document, content_type="application/json")


def _read_body(environ: dict[str, Any]) -> bytes:
    """Read the request body and put it back, so moto can read it again."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _from_moto(exc: Exception) -> CognitoError | None:
    """moto's own errors (raised from its backend methods we call) keep their code and message."""
    code = getattr(exc, "error_type", None)
    if isinstance(code, str) and code:
        return CognitoError(code, str(getattr(exc, "message", "")))
    return None


def _json(
    start_response: Callable[..., Any],
    status: str,
    payload: Any,
    content_type: str = "application/x-amz-json-1.1",
    headers: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    data = json.dumps(payload, default=_default).encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(data))),
            ("x-amzn-RequestId", str(uuid.uuid4())),
            *(headers or []),
        ],
    )
    return [data]


def _error(start_response: Callable[..., Any], error: CognitoError) -> list[bytes]:
    status = "500 Internal Server Error" if error.status == 500 else "400 Bad Request"
    return _json(
        start_response,
        status,
        {"__type": error.code, "message": error.message},
        headers=[("x-amzn-ErrorType", f"{error.code}:")],
    )


def _default(value: Any) -> Any:
    from cognito_tui.sandbox.service import epoch

    if hasattr(value, "utctimetuple"):
        return epoch(value)
    raise TypeError(f"cannot encode {type(value).__name__}")
