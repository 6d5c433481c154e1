"""Running a scenario file's walks: each request built (profile, sandbox or file values) and driven.

Shared by `cognito-tui scenarios run` and the TUI's live view, which differ only in what they hand
in: how a transport is made for a Region and endpoint, how a profile is read (its fields and stored
secrets), and the sandbox (duck-typed: `describe()`, `outbox.latest()`, `clock`, `endpoint_url`).
Standard library only, like the rest of core.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cognito_tui.core.scenario import ScenarioFile, ScenarioProblem, ScenarioWalk, Source, WalkResult

# make_transport(region, endpoint_url, user_pool_id) -> a Transport; raises TransportError
MakeTransport = Callable[[str | None, str | None, str | None], Any]
# load_profile(name) -> (profile fields, stored secrets by kind); raises Unusable
LoadProfile = Callable[[str], tuple[dict[str, Any], dict[str, str]]]


class Unusable(Exception):
    """The walk cannot be built (unknown pool, missing variable): it fails with this message."""


@dataclass
class RunOptions:
    endpoint_url: str | None = None  # one endpoint for every walk (overrides the file and profiles)
    export_dir: str | None = None  # write each walk's exports here
    notice: Callable[[str], None] = lambda text: None  # progress lines (a TOTP wait, an export problem)


def slug(name: str) -> str:
    """A file name from a walk name: letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "walk"


def generated_password() -> str:
    """A fresh password that meets Cognito's default policy (upper, lower, digit, symbol, 8+)."""
    return f"Gen-{secrets.token_urlsafe(9)}-7a!"


class Runner:
    """Builds each walk's request and drives it with the core walk; `run()` is safe to call from a thread."""

    def __init__(
        self,
        loaded: ScenarioFile,
        sandbox: Any,
        make_transport: MakeTransport,
        load_profile: LoadProfile | None = None,
        options: RunOptions | None = None,
    ):
        self.loaded = loaded
        self.sandbox = sandbox
        self.make_transport = make_transport
        self.load_profile = load_profile
        self.options = options or RunOptions()
        self.info = sandbox.describe() if sandbox is not None else None
        self.used_totp: set[tuple[str, int]] = set()

    def run(self, walk: ScenarioWalk, on_step: Callable[[Any], None] | None = None) -> WalkResult:
        """One walk to its WalkResult; `on_step(step)` sees each step as it happens (a live view)."""
        from cognito_tui.core.scenario import Observed, check, drive
        from cognito_tui.core.walk import Walk

        try:
            request, transport, stored = self._request(walk)
        except Unusable as exc:
            observed = Observed(outcome="ScenarioError", message=str(exc))
        else:
            live = Walk(transport, request)
            observed = drive(live, walk, Resolver(self, walk, request, stored), on_step=on_step)
            if self.options.export_dir and live.transcript.records:
                self._export(live, walk, transport)
        return check(walk, observed)

    def _export(self, live: Any, walk: ScenarioWalk, transport: Any) -> None:
        from cognito_tui.core.export import write_walk

        folder = Path(self.options.export_dir or ".")
        stem = slug(walk.name)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for kind, suffix in (("cli", ".sh"), ("boto3", ".py"), ("markdown", ".md")):
                write_walk(live, kind, folder / f"{stem}{suffix}", transport)
        except OSError as exc:
            self.options.notice(f"  export not written to {folder}: {exc.strerror or exc}")

    def _request(self, walk: ScenarioWalk) -> tuple[Any, Any, dict[str, str]]:
        from cognito_tui.core.errors import TransportError
        from cognito_tui.core.flows import Api, region_of
        from cognito_tui.core.redact import Secret
        from cognito_tui.core.walk import AuthRequest

        stored: dict[str, str] = {}
        fields: dict[str, Any] = {}
        if walk.profile:
            if self.load_profile is None:
                raise Unusable(f"profile {walk.profile!r}: profiles cannot be read here")
            fields, stored = self.load_profile(walk.profile)
        pool = walk.pool or fields.get("user_pool_id") or ""
        client_id = walk.client or fields.get("client_id") or ""
        username = walk.user or fields.get("username") or ""
        flow = walk.flow or fields.get("auth_flow")
        endpoint = self.options.endpoint_url or fields.get("endpoint_url") or self.loaded.endpoint_url
        if self.sandbox is not None:
            pool, client_id, flow = self._from_sandbox(pool, client_id, username, flow, stored)
            endpoint = self.sandbox.endpoint_url
        region = self.loaded.region or fields.get("region") or region_of(pool)
        password = self._secret(walk.password, stored.get("password"))
        client_secret = self._secret(walk.client_secret, stored.get("client_secret"))
        api = walk.api or fields.get("api")
        request = AuthRequest(
            user_pool_id=pool,
            client_id=client_id,
            auth_flow=flow or "USER_SRP_AUTH",
            username=username,
            password=Secret(password) if password else None,
            client_secret=Secret(client_secret) if client_secret else None,
            api=Api(api) if api else None,
            preferred_challenge=walk.preferred_challenge,
            custom_with_srp=walk.custom_with_srp,
        )
        try:
            transport = self.make_transport(region, endpoint, pool or None)
        except TransportError as exc:
            raise Unusable(f"{exc.message}. {exc.hint}".strip()) from exc
        return request, transport, stored

    def _from_sandbox(self, pool: str, client: str, username: str, flow: str | None, stored: dict[str, str]):
        assert self.info is not None
        found = next((p for p in self.info["pools"] if pool in (p["id"], p["name"])), None)
        if found is None:
            raise Unusable(
                f"the sandbox has no pool {pool!r} (pools: {', '.join(p['name'] for p in self.info['pools'])})"
            )
        app = next((c for c in found["clients"] if client in (c["id"], c["name"])), None)
        if app is None:
            raise Unusable(f"pool {found['name']} has no client {client!r}")
        user = next((u for u in found["users"] if username in (u["username"], u.get("alias"), u.get("email"))), None)
        if user is not None:
            stored.setdefault("password", user["password"])
            if user.get("totp_secret"):
                stored.setdefault("totp_seed", user["totp_secret"])
            flow = flow or user.get("flow")
        if app.get("secret"):
            stored.setdefault("client_secret", app["secret"])
        return found["id"], app["id"], flow

    def _secret(self, source: Source | None, stored: str | None) -> str | None:
        if source is None:
            return stored
        if source.kind == "none":
            return None
        if source.kind == "generated":
            return generated_password()
        if source.kind == "env":
            if not os.environ.get(source.arg):
                raise Unusable(f"the environment variable {source.arg} is not set")
            return os.environ[source.arg]
        return source.arg


class Resolver:
    """Answers for one walk: the TOTP seed, the outbox, the environment, fixed values."""

    def __init__(self, runner: Runner, walk: ScenarioWalk, request: Any, stored: dict[str, str]):
        self.runner = runner
        self.walk = walk
        self.request = request
        self.stored = stored

    def _now(self) -> float:
        sandbox = self.runner.sandbox
        return sandbox.clock.now() if sandbox is not None else time.time()

    def _seed(self, challenge: Any) -> str:
        issued = challenge.extra.get("secret_code")
        if issued:
            return str(issued.value)
        seed = self.stored.get("totp_seed")
        if not seed:
            raise ScenarioProblem(f"{challenge.name}: no stored TOTP seed for {self.request.username!r}")
        return seed

    def _totp(self, challenge: Any) -> str:
        from cognito_tui.core import totp

        seed = self._seed(challenge)
        if (seed, totp.counter(self._now())) in self.runner.used_totp:  # Cognito refuses a code twice
            sandbox = self.runner.sandbox
            if sandbox is not None:
                sandbox.clock.advance(totp.PERIOD)
            else:
                wait = totp.seconds_left(self._now()) + 1
                self.runner.options.notice(f"  waiting {wait} s for the next TOTP window")
                time.sleep(wait)
        counter = totp.counter(self._now())
        self.runner.used_totp.add((seed, counter))
        return totp.code_at(seed, counter)

    def _outbox(self, challenge: Any) -> str:
        sandbox = self.runner.sandbox
        if sandbox is None:
            raise ScenarioProblem("answers from the outbox need --against sandbox")
        message = sandbox.outbox.latest(self.request.username, self.request.user_pool_id)
        if message is None:
            message = sandbox.outbox.latest(challenge.username, self.request.user_pool_id)
        if message is None:
            raise ScenarioProblem(f"{challenge.name}: the sandbox sent no code to {self.request.username!r}")
        return str(message["code"])

    def resolve(self, source: Source, challenge: Any, field_name: str) -> str:
        from cognito_tui.core import totp

        if source.kind == "value":
            return source.arg
        if source.kind == "env":
            value = os.environ.get(source.arg)
            if value is None:
                raise ScenarioProblem(
                    f"{challenge.name}.{field_name}: the environment variable {source.arg} is not set"
                )
            return value
        if source.kind == "totp":
            return self._totp(challenge)
        if source.kind == "outbox":
            return self._outbox(challenge)
        if source.kind == "generated":
            return generated_password()
        if source.kind == "wrong":
            right: set[str] = set()
            if challenge.extra.get("secret_code") or self.stored.get("totp_seed"):
                seed, now = self._seed(challenge), totp.counter(self._now())
                right |= {totp.code_at(seed, now + d) for d in (-1, 0, 1)}
            if self.runner.sandbox is not None:
                message = self.runner.sandbox.outbox.latest(self.request.username, self.request.user_pool_id)
                if message:
                    right.add(str(message["code"]))
            return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)
        raise ScenarioProblem(f"unknown answer source {source.kind!r}")
