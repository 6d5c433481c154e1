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

import itertools
import json
import re
import threading
from pathlib import Path
from typing import Any

from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.outbox import Outbox
from cognito_tui.sandbox.seed import Seed, load_seed
from cognito_tui.sandbox.wsgi import WELL_KNOWN, Reply, SandboxApp

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
        self._app: Any = None
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
        app = SandboxApp(self._service, moto_glue.cognito_app(), self.account_id, self.region)
        app.register("GET", WELL_KNOWN, self._well_known)  # more routes: app.register(method, pattern, route)
        self._app = app
        from cognito_tui.sandbox.oauth import attach

        self._oauth = attach(self)  # managed login: domains, /oauth2/*, discovery, its API operations
        app.mount(self._oauth.owns, self._oauth)
        from cognito_tui.sandbox.httpd import Server

        try:
            server = Server("127.0.0.1", self.port, app)
        except OSError as exc:  # e.g. the port is taken: say which, and free the account
            moto_glue.drop_account(self.account_id)
            raise OSError(f"cannot serve on 127.0.0.1:{self.port}: {exc}") from exc
        server.start()
        self._server = server
        host, port = server.host_and_port()
        self.port = port
        self.endpoint_url = f"http://{host}:{port}"
        threading.Thread(target=_warm, name="sandbox-warm", daemon=True).start()
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
                user = live.find_user(moto_pool, spec.username) if live and moto_pool is not None else None
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

    def _well_known(self, environ: dict[str, Any], match: re.Match[str]) -> Reply:
        from cognito_tui.sandbox.tokens import issuer, public_jwks

        pool_id = match["pool"]
        if pool_id not in self._service.directory.backend.user_pools:
            return Reply(404, {"message": f"User pool {pool_id} does not exist."}, content_type="application/json")
        if match["doc"] == "jwks.json":
            return Reply(200, json.loads(public_jwks()), content_type="application/json")
        document = {
            "issuer": issuer(pool_id),
            "jwks_uri": f"{self.endpoint_url}/{pool_id}/.well-known/jwks.json",
            "response_types_supported": ["code", "token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "phone", "profile"],
        }
        return Reply(200, document, content_type="application/json")


def _warm() -> None:
    """The token keys and the service model, made before the first sign-in needs them."""
    from cognito_tui.sandbox import wire
    from cognito_tui.sandbox.tokens import signing_key

    signing_key()
    wire.model()
