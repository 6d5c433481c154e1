"""The cognito-tui app: profiles, the Connect form, the walk, the calls, the tokens.

All calls to Cognito run in thread workers that end by posting a message; the UI thread only
renders. boto3 and moto are imported inside those workers, so the first frame never waits for them.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Footer, Header, ListItem, ListView, LoadingIndicator, Static, TabbedContent, TabPane

from cognito_tui.core.redact import Secret
from cognito_tui.tui import messages as m
from cognito_tui.tui.palette import ActionsProvider
from cognito_tui.tui.widgets.calls import CallDetail, CallsPane
from cognito_tui.tui.widgets.challenge import ChallengeView
from cognito_tui.tui.widgets.connect import ConnectForm, ConnectPane, PreflightPanel
from cognito_tui.tui.widgets.history import HistoryPane
from cognito_tui.tui.widgets.tokens import TokensPane

DEMO_PREFIX = "demo: "


def _while_mounted(handler):
    """Messages from workers and timers can land while the app is closing, after its widgets are
    gone (the main screen's widgets are composed once and never removed while it runs): drop them."""

    @functools.wraps(handler)
    def wrapper(self, *args, **kw):
        try:
            return handler(self, *args, **kw)
        except NoMatches:
            return None

    return wrapper


@dataclass
class ProfileEntry:
    """A profile in the side list: a saved one, or a sandbox demo (held in memory only)."""

    name: str
    fields: dict[str, Any]
    demo: bool = False
    secrets: dict[str, Secret] = field(default_factory=dict)
    description: str = ""


@dataclass
class AppConfig:
    config_path: str | None = None
    sandbox: bool = False
    profile: str | None = None
    history_dir: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    sandbox_port: int = 0
    exit_after_first_frame: bool = False
    clock: Callable[[], float] = time.monotonic  # countdowns and call timings; tests freeze it


class CognitoApp(App):
    TITLE = "cognito-tui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = [
        Binding("ctrl+r", "start_walk", "Start", id="start-walk"),
        Binding("ctrl+s", "answer", "Answer", id="answer"),
        Binding("ctrl+e", "retry", "Retry", id="retry", show=False),
        Binding("escape", "cancel", "Cancel call", id="cancel", show=False),
        Binding("f5", "preflight", "Pre-flight", id="preflight"),
        Binding("ctrl+l", "load_pools", "Load pools", id="load-pools", show=False),
        Binding("ctrl+t", "fill_totp", "TOTP code", id="fill-totp", show=False),
        Binding("ctrl+o", "fill_outbox", "Outbox code", id="fill-outbox", show=False),
        Binding("ctrl+y", "reveal", "Reveal", id="reveal"),
        Binding("c", "copy_cli", "Copy CLI", id="copy-cli", show=False),
        Binding("ctrl+f", "refresh_tokens", "Refresh tokens", id="refresh-tokens", show=False),
        Binding("g", "get_user", "GetUser", id="get-user", show=False),
        Binding("v", "revoke", "Revoke", id="revoke", show=False),
        Binding("o", "global_sign_out", "Global sign-out", id="global-sign-out", show=False),
        Binding("x", "export_tokens", "Export tokens", id="export-tokens", show=False),
        Binding("ctrl+k", "remember_device", "Remember device", id="remember-device", show=False),
        Binding("ctrl+n", "save_profile", "Save profile", id="save-profile", show=False),
        Binding("f2", "rename_profile", "Rename profile", id="rename-profile", show=False),
        Binding("ctrl+d", "duplicate_profile", "Duplicate profile", id="duplicate-profile", show=False),
        Binding("delete", "delete_profile", "Delete profile", id="delete-profile", show=False),
        Binding("f3", "show_yaml", "Profiles YAML", id="show-yaml", show=False),
        Binding("f4", "show_secrets", "Stored secrets", id="show-secrets", show=False),
        Binding("f6", "toggle_step_mode", "Step mode", id="step-mode", show=False),
        Binding("f1", "help", "Help", id="help"),
        Binding("alt+1,ctrl+1", "tab('connect')", "Connect", id="tab-connect", show=False),
        Binding("alt+2,ctrl+2", "tab('walk')", "Walk", id="tab-walk", show=False),
        Binding("alt+3,ctrl+3", "tab('tokens')", "Tokens", id="tab-tokens", show=False),
        Binding("alt+4,ctrl+4", "tab('calls')", "Calls", id="tab-calls", show=False),
        Binding("alt+5,ctrl+5", "tab('history')", "History", id="tab-history", show=False),
        Binding("ctrl+q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, config: AppConfig | None = None, **kw) -> None:
        super().__init__(**kw)
        self.config = config or AppConfig()
        self.entries: list[ProfileEntry] = []
        self.book = None  # store.profiles.ProfileBook, loaded after the first frame
        self.secrets = None  # store.secrets.SecretStore
        self.sandbox = None
        self.walk = None
        self.step = None
        self.step_mode = False
        self.revealed = False
        self.outbox: list[dict[str, Any]] = []
        self.preflight = None
        self.current_entry: ProfileEntry | None = None
        self.posted: list[Any] = []  # every message the workers posted, for tests
        self.keyring_warning: str | None = None
        self.first_frame_at: float | None = None
        self._session_device = None  # a device confirmed in this session (ctrl+k), used by later walks
        self._export_format = "json"  # x cycles shell -> header -> json

    def _q(self, selector, expect_type=None):
        """query_one on the main screen, even while a dialog is open on top of it."""
        main = self.screen_stack[0] if self.screen_stack else self.screen
        return main.query_one(selector, expect_type) if expect_type else main.query_one(selector)

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Horizontal():
            with Vertical(id="sidebar"):
                yield Static("Profiles", id="profiles-title")
                yield ListView(id="profiles")
                yield Static("", id="profile-note")
                yield Static("Outbox", id="outbox-title")
                yield Static("[dim]codes the sandbox “sends” appear here[/]", id="outbox")
            with Vertical(id="main"):
                yield Static("", id="banner")
                with TabbedContent(id="tabs", initial="connect"):
                    with TabPane("Connect", id="connect"):
                        yield ConnectPane()
                    with TabPane("Walk", id="walk"):
                        yield ChallengeView(id="challenge")
                    with TabPane("Tokens", id="tokens"):
                        yield TokensPane(id="tokens-pane")
                    with TabPane("Calls", id="calls"):
                        yield CallsPane(id="calls-pane")
                    with TabPane("History", id="history"):
                        yield HistoryPane(id="history-pane")
                yield LoadingIndicator(id="busy")
                yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._q("#busy").display = False
        settings = self.config.settings
        if settings.get("theme"):
            try:
                self.theme = settings["theme"]
            except Exception:  # an unknown theme name: keep the default, say so
                self.notify(f"unknown theme {settings['theme']!r} in settings.yaml", severity="warning")
        if settings.get("keymap"):
            self.set_keymap(settings["keymap"])
        self.sub_title = "sandbox: starting…" if self.config.sandbox else "AWS"
        self.set_interval(1.0, self._tick)
        self.load_store()
        if self.config.sandbox:
            self.start_sandbox()
        if self.config.exit_after_first_frame:
            self.call_after_refresh(self._first_frame_exit)

    def _first_frame_exit(self) -> None:
        """For benchmarks: note when the first frame was up, then leave."""
        self.first_frame_at = time.time()
        self.exit()

    # --- store and sandbox (workers) ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="store", exit_on_error=False, description="loading profiles")
    def load_store(self) -> None:
        from cognito_tui.store.paths import profiles_path
        from cognito_tui.store.profiles import ProfileBook, load_profiles
        from cognito_tui.store.secrets import open_secret_store

        path = profiles_path(self.config.config_path)
        choice = open_secret_store(index_dir=path.parent)
        book = ProfileBook(path, load_profiles(path), choice.store)
        self.call_from_thread(self._store_loaded, book, choice)

    def _store_loaded(self, book, choice) -> None:
        self.book = book
        self.secrets = choice.store
        banner = [f"✗ {issue}" for issue in book.issues]
        if book.issues and not book.writable:
            banner.append(
                "The file is kept as it is (not overwritten): fix it, then restart. The profiles that could be read are listed."
            )
        self.keyring_warning = choice.warning
        if choice.warning:
            short = choice.warning.split(" To keep", 1)[0]
            banner.append(f"⚠ {short} F1 says how to keep them.")
        self._q("#banner", Static).update(escape("\n".join(banner)))
        self._q("#banner").display = bool(banner)
        self._rebuild_entries()
        if self.config.profile:
            self._select_named(self.config.profile)

    @work(thread=True, exclusive=True, group="sandbox", exit_on_error=False, description="starting the sandbox")
    def start_sandbox(self) -> None:
        from cognito_tui.sandbox import Sandbox  # imports moto: only here, after the first frame

        try:
            sandbox = Sandbox(port=self.config.sandbox_port).start()
        except Exception as exc:  # a taken port, a broken install: said on screen, app stays usable
            self.post_message(m.SandboxFailed(str(exc)))
            return
        sandbox.outbox.subscribe(lambda message: self.post_message(m.OutboxDelivered(dict(message))))
        self.post_message(m.SandboxReady(sandbox))

    @_while_mounted
    def on_sandbox_ready(self, event: m.SandboxReady) -> None:
        self.posted.append(event)
        self.sandbox = event.sandbox
        self.sub_title = f"sandbox on {event.sandbox.endpoint_url}"
        self._rebuild_entries()
        if self.config.profile:
            self._select_named(self.config.profile)
        self.notify("Sandbox ready: pick a demo profile on the left, then ctrl+r.", title="Sandbox")

    def on_sandbox_failed(self, event: m.SandboxFailed) -> None:
        self.posted.append(event)
        self.sub_title = "sandbox failed"
        self.notify(event.error, title="The sandbox did not start", severity="error", timeout=15)

    @_while_mounted
    def on_outbox_delivered(self, event: m.OutboxDelivered) -> None:
        self.posted.append(event)
        self.outbox.append(event.message)
        lines = [
            f"[b]{escape(msg['code'])}[/] → {escape(msg['username'])} ({escape(msg['medium'].lower())})"
            for msg in self.outbox[-6:]
        ]
        self._q("#outbox", Static).update("\n".join(reversed(lines)))
        if self.walk is not None:
            self._q(ChallengeView).show_helpers(self._helpers_text())

    def demo_entries(self) -> list[ProfileEntry]:
        if self.sandbox is None:
            return []
        out = []
        info = self.sandbox.describe()
        for pool in info["pools"]:
            clients = {c["name"]: c for c in pool["clients"]}
            for user in pool["users"]:
                client = clients.get(user.get("client") or "") or pool["clients"][0]
                secrets = {"password": Secret(user["password"])}
                if client.get("secret"):
                    secrets["client_secret"] = Secret(client["secret"])
                if user.get("totp_secret"):
                    secrets["totp_seed"] = Secret(user["totp_secret"])
                fields = {
                    "endpoint_url": info["endpoint_url"],
                    "region": info["region"],
                    "user_pool_id": pool["id"],
                    "client_id": client["id"],
                    "auth_flow": user.get("flow") or "USER_SRP_AUTH",
                    "username": user.get("alias") if user.get("scenario") == "srp_alias" else user["username"],
                }
                name = f"{DEMO_PREFIX}{user.get('scenario', user['username'])} ({user['username']})"
                out.append(
                    ProfileEntry(name, fields, demo=True, secrets=secrets, description=user.get("description", ""))
                )
        return out

    def _rebuild_entries(self) -> None:
        saved = []
        if self.book is not None:
            for profile in self.book.profiles:
                fields = {k: v for k, v in vars(profile).items() if v not in (None, "", {}) and k != "name"}
                if profile.context_data is not None:
                    from cognito_tui.store.cli_json import context_to_aws

                    fields.pop("context_data", None)
                    ctx = context_to_aws(profile.context_data, admin=True)[1]
                    fields["context_data_text"] = _context_text(ctx)
                saved.append(ProfileEntry(profile.name, fields, description=profile.notes or ""))
        self.entries = self.demo_entries() + saved
        view = self._q("#profiles", ListView)
        view.clear()
        view.extend(ListItem(Static(escape(e.name))) for e in self.entries)
        if not self.entries:
            self._q("#profile-note", Static).update("No profiles yet: fill the form, ctrl+n saves it.")

    def _select_named(self, name: str) -> None:
        for index, entry in enumerate(self.entries):
            if entry.name == name or entry.name.startswith(f"{DEMO_PREFIX}{name} "):
                self._q("#profiles", ListView).index = index
                self._load_entry(entry)
                return

    @on(ListView.Selected, "#profiles")
    def _profile_selected(self, event: ListView.Selected) -> None:
        index = self._q("#profiles", ListView).index
        if index is not None and 0 <= index < len(self.entries):
            self._load_entry(self.entries[index])

    def _load_entry(self, entry: ProfileEntry) -> None:
        self.current_entry = entry
        data = dict(entry.fields)
        data.update({k: v for k, v in self._secrets_of(entry).items() if k in ("password", "client_secret")})
        self._q(ConnectForm).load(data)
        self._q("#profile-note", Static).update(escape(entry.description))
        self.show_tab("connect")

    def _secrets_of(self, entry: ProfileEntry | None) -> dict[str, Secret]:
        if entry is None:
            return {}
        if entry.demo:
            return dict(entry.secrets)
        if self.secrets is None:
            return {}
        from cognito_tui.store.secrets import SecretKind

        out = {}
        for kind in SecretKind:
            try:
                value = self.secrets.get(entry.name, kind)
            except Exception as exc:  # a keyring that stopped answering: say it, go on without
                self.notify(str(exc), severity="warning")
                return out
            if value:
                out[kind.value] = value
        return out

    # --- building the request ------------------------------------------------------------------

    def _request(self):
        from cognito_tui.core.flows import Api
        from cognito_tui.core.walk import AuthRequest, DeviceSecrets

        v = self._q(ConnectForm).values()
        secrets = self._secrets_of(self.current_entry)
        device = None
        if all(k in secrets for k in ("device_key", "device_group_key", "device_password")):
            device = DeviceSecrets(
                str(secrets["device_key"]), str(secrets["device_group_key"]), secrets["device_password"]
            )
        if self._session_device is not None:
            device = self._session_device
        request = AuthRequest(
            user_pool_id=v.user_pool_id,
            client_id=v.client_id,
            auth_flow=v.auth_flow,
            username=v.username,
            password=v.password,
            client_secret=v.client_secret,
            api=Api(v.api) if v.api else None,
            preferred_challenge=v.preferred_challenge or None,
            custom_with_srp=v.custom_with_srp,
            refresh_token=secrets.get("refresh_token"),
            device=device,
            client_metadata=v.client_metadata,
            analytics_endpoint_id=v.analytics_endpoint_id or None,
            context_data=v.context_data,
        )
        return v, request

    def _gateway(self, v):
        from cognito_tui.aws.gateway import Gateway, GatewayConfig

        return Gateway(
            GatewayConfig(
                region=v.region or None, endpoint_url=v.endpoint_url or None, aws_profile=v.aws_profile or None
            ),
            user_pool_id=v.user_pool_id,
        )

    # --- the walk ------------------------------------------------------------------------------

    def action_start_walk(self) -> None:
        v, request = self._request()
        problems = v.problems + request.problems()
        if problems:
            self.notify("\n".join(problems), title="Cannot start yet", severity="error")
            self.show_tab("connect")
            return
        self._q(CallsPane).clear()
        self.show_tab("walk")
        detail = self._q(CallDetail)
        detail.aws_region, detail.endpoint_url = v.region or None, v.endpoint_url or None
        self._run_walk(lambda: self._start_walk(v, request))

    def _start_walk(self, v, request):
        """A new walk with the same inputs, started (in the worker); a gateway that cannot be built is a Failed step."""
        from cognito_tui.core.errors import TransportError, explain
        from cognito_tui.core.walk import Failed, Walk

        try:
            gateway = self._gateway(v)
        except TransportError as exc:
            return Failed(exc, explain(exc))
        validity = self.preflight.session_validity if self.preflight and self.preflight.session_validity else 180.0
        walk = Walk(
            gateway, request, auto_answer=not self.step_mode, session_validity=validity, clock=self.config.clock
        )
        walk.transcript.listeners.append(lambda record: self.post_message(m.CallRecorded(record)))
        self.walk = walk
        return walk.start()

    @work(thread=True, exclusive=True, group="walk", exit_on_error=False, description="calling Cognito")
    def _run_walk(self, action: Callable[[], Any]) -> None:
        from textual.worker import get_current_worker

        self.call_from_thread(self._busy, True)
        try:
            step = action()
        finally:
            self.call_from_thread(self._busy, False)
        if not get_current_worker().is_cancelled:
            self.post_message(m.StepReached(step))

    def _busy(self, busy: bool) -> None:
        self._q("#busy").display = busy

    @_while_mounted
    def on_call_recorded(self, event: m.CallRecorded) -> None:
        self.posted.append(event)
        self._q(CallsPane).add(event.record)

    @_while_mounted
    def on_step_reached(self, event: m.StepReached) -> None:
        from cognito_tui.core.walk import Failed, SignedIn

        self.posted.append(event)
        self.step = event.step
        view = self._q(ChallengeView)
        view.revealed = self.revealed
        sessions = sum(1 for s in self.walk.steps if getattr(s, "session", None)) if self.walk else 0
        view.show_step(event.step, sessions)
        view.tick(self.config.clock())
        view.show_helpers(self._helpers_text())
        if isinstance(event.step, SignedIn):
            self._q(TokensPane).show(event.step.result, event.step.claims)
            self.show_tab("tokens")
            self.notify("Signed in: tokens decoded.", title="Tokens")
            self.verify_tokens(event.step)
            self._save_history("tokens")
        elif isinstance(event.step, Failed):
            self.notify(event.step.explanation.title, title=event.step.code, severity="error")
            self._save_history(event.step.code)
        else:
            self.show_tab("walk")

    def action_answer(self) -> None:
        from cognito_tui.core.walk import AnswerError, Challenge

        if self.walk is None or not isinstance(self.step, Challenge):
            self.notify("Nothing to answer: ctrl+r starts a sign-in.", severity="warning")
            return
        view = self._q(ChallengeView)
        values = view.values()
        problems = self.step.spec.validate(self.step.parameters, values, self.step.available_challenges)
        problems = [p for p in problems if not self._prefilled(p)]
        if problems:
            view.show_problems(problems)
            return
        walk = self.walk

        def answer():
            try:
                return walk.answer(values)
            except AnswerError as exc:
                from cognito_tui.core.errors import CognitoError, explain
                from cognito_tui.core.walk import Failed

                error = CognitoError("InvalidAnswer", str(exc))
                return Failed(
                    error, explain(error), retry=walk.current if isinstance(walk.current, Challenge) else None
                )

        self._run_walk(answer)

    def _prefilled(self, problem: str) -> bool:
        """'Password is required' is not a problem when the sign-in password fills it."""
        return problem.startswith("Password is required") and bool(self.walk and self.walk.request.password)

    def action_retry(self) -> None:
        from cognito_tui.core.walk import Failed

        if self.walk is not None and isinstance(self.step, Failed) and self.step.retry is not None:
            self.post_message(m.StepReached(self.walk.retry()))
        else:
            self.action_start_walk()

    def action_cancel(self) -> None:
        cancelled = self.workers.cancel_group(self, "walk")
        if cancelled:
            self._busy(False)
            self.notify("Cancelled: the call's answer, when it comes, is ignored.", severity="warning")

    def action_toggle_step_mode(self) -> None:
        self.step_mode = not self.step_mode
        self.notify(
            "Step mode on: SRP challenges stop for ctrl+s"
            if self.step_mode
            else "Step mode off: SRP challenges are answered at once"
        )

    # --- helpers for codes ---------------------------------------------------------------------

    def _user_names(self) -> set[str]:
        names = {self._q(ConnectForm).values().username}
        step = self.step
        if step is not None and getattr(step, "username", None):
            names.add(step.username)
        return {n for n in names if n}

    def _latest_code(self) -> dict[str, Any] | None:
        names = self._user_names()
        for message in reversed(self.outbox):
            if message.get("username") in names or message.get("real_username") in names:
                return message
        return None

    def _totp_seed(self) -> Secret | None:
        return self._secrets_of(self.current_entry).get("totp_seed")

    def _helpers_text(self) -> str:
        from cognito_tui.core import totp
        from cognito_tui.core.walk import Challenge

        step = self.step
        if not isinstance(step, Challenge):
            return ""
        lines = []
        if step.name in ("SOFTWARE_TOKEN_MFA",) and self._totp_seed():
            lines.append(f"ctrl+t fills the TOTP code from the stored seed (next code in {totp.seconds_left()} s)")
        if step.name in ("SMS_MFA", "EMAIL_OTP", "SMS_OTP", "CUSTOM_CHALLENGE"):
            message = self._latest_code()
            if message:
                lines.append(f"outbox: code {message['code']} sent to {message['destination']} — ctrl+o fills it")
        return "\n".join(lines)

    def action_fill_totp(self) -> None:
        from cognito_tui.core import totp

        view = self._q(ChallengeView)
        seed = self._totp_seed()
        field_name = view.code_field()
        if seed is None or field_name is None:
            self.notify("No stored TOTP seed for this profile, or no code to fill.", severity="warning")
            return
        view.set_value(field_name, totp.now_code(seed.value))

    def action_fill_outbox(self) -> None:
        view = self._q(ChallengeView)
        message = self._latest_code()
        field_name = view.code_field() or (
            "ANSWER" if self.step is not None and getattr(self.step, "name", "") == "CUSTOM_CHALLENGE" else None
        )
        if message is None or field_name is None:
            self.notify("No code in the outbox for this user.", severity="warning")
            return
        view.set_value(field_name, message["code"])

    # --- tokens --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False, description="verifying tokens")
    def verify_tokens(self, step) -> None:
        from cognito_tui.aws.jwks import fetch_jwks, verify
        from cognito_tui.core.tokens import jwks_url_for

        claims = step.claims.get("id") or step.claims.get("access") or {}
        issuer = claims.get("iss", "")
        pool_id = issuer.rsplit("/", 1)[-1]
        url = (
            self.sandbox.jwks_url(pool_id)
            if self.sandbox is not None
            and self.walk
            and self.walk.request.user_pool_id == pool_id
            and self._on_sandbox()
            else jwks_url_for(issuer)
        )
        try:
            jwks = fetch_jwks(url)
        except Exception as exc:  # offline, blocked: say so rather than pretend
            self.call_from_thread(
                self._q(TokensPane).set_verification, f"signature not checked: JWKS unreachable at {url} ({exc})"
            )
            return
        parts = []
        for key, use in (("IdToken", "id"), ("AccessToken", "access")):
            if key in step.result:
                result = verify(
                    step.result[key],
                    jwks,
                    issuer=issuer or None,
                    client_id=self.walk.request.client_id if self.walk else None,
                )
                parts.append(f"{use}: {'✓' if result.ok else '✗'} {result.detail}")
        self.call_from_thread(self._q(TokensPane).set_verification, "\n".join(parts))

    def _on_sandbox(self) -> bool:
        v = self._q(ConnectForm).values()
        return self.sandbox is not None and v.endpoint_url.rstrip("/") == self.sandbox.endpoint_url.rstrip("/")

    def _token_action(self, label: str, fn: Callable[[Any, dict], Any]) -> None:
        from cognito_tui.core.walk import SignedIn

        if self.walk is None or not isinstance(self.step, SignedIn):
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self._run_token_action(label, fn, self.step)

    @work(thread=True, exclusive=True, group="tokens", exit_on_error=False, description="token action")
    def _run_token_action(self, label: str, fn, step) -> None:
        from cognito_tui.core.actions import TokenActions
        from cognito_tui.core.errors import CognitoError, TransportError, explain

        actions = TokenActions(self.walk.caller, self.walk.request)
        try:
            outcome = fn(actions, step.result)
        except (CognitoError, TransportError) as exc:
            self.post_message(m.ActionFailed(label, explain(exc).text()))
            return
        except ValueError as exc:
            self.post_message(m.ActionFailed(label, str(exc)))
            return
        self.post_message(
            m.TokensChanged(
                outcome if hasattr(outcome, "result") or hasattr(outcome, "explanation") else None,
                f"{label}: {outcome if isinstance(outcome, str) else 'done'}",
            )
        )

    @_while_mounted
    def on_tokens_changed(self, event: m.TokensChanged) -> None:
        from cognito_tui.core.walk import Failed, SignedIn

        self.posted.append(event)
        if isinstance(event.step, SignedIn):
            self.step = event.step
            self._q(TokensPane).show(event.step.result, event.step.claims)
            self.verify_tokens(event.step)
            self.notify("New tokens.", title="Refreshed")
        elif isinstance(event.step, Failed):
            self.notify(event.step.explanation.text(), title=event.step.code, severity="error", timeout=10)
            self._q(TokensPane).note(escape(event.step.explanation.text()))
            return
        self._q(TokensPane).note(escape(event.note))

    @_while_mounted
    def on_action_failed(self, event: m.ActionFailed) -> None:
        self.posted.append(event)
        self.notify(event.detail, title=f"{event.title} failed", severity="error", timeout=10)
        self._q(TokensPane).note(escape(f"{event.title} failed:\n{event.detail}"))

    def action_refresh_tokens(self) -> None:
        rotation = bool(
            self.preflight
            and any(label == "Refresh rotation" and value == "ENABLED" for label, value in self.preflight.facts)
        )
        self._token_action("Refresh", lambda a, result: a.refresh(result, rotation=rotation))

    def action_get_user(self) -> None:
        import json

        self._token_action(
            "GetUser",
            lambda a, result: json.dumps(a.get_user(result["AccessToken"]).get("UserAttributes", []), indent=1),
        )

    def action_revoke(self) -> None:
        self._token_action(
            "RevokeToken", lambda a, result: (a.revoke(result["RefreshToken"]), "refresh token revoked")[1]
        )

    def action_global_sign_out(self) -> None:
        self._token_action(
            "GlobalSignOut", lambda a, result: (a.global_sign_out(result["AccessToken"]), "signed out everywhere")[1]
        )

    def action_remember_device(self) -> None:
        def remember(actions, result):
            device = actions.confirm_device(result["AccessToken"], result["NewDeviceMetadata"], "cognito-tui")
            self._session_device = device
            if self.current_entry is not None and not self.current_entry.demo and self.secrets is not None:
                for kind, value in (
                    ("device_key", device.device_key),
                    ("device_group_key", device.group_key),
                    ("device_password", device.password.value),
                ):
                    self.secrets.set(self.current_entry.name, kind, value)
            return f"device {device.device_key} remembered; the next sign-in proves it instead of MFA"

        if self.step is None or not getattr(self.step, "new_device", None):
            self.notify(
                "No NewDeviceMetadata in these tokens (device tracking off, or a device key was sent).",
                severity="warning",
            )
            return
        self._token_action("ConfirmDevice", remember)

    def action_export_tokens(self) -> None:
        from cognito_tui.core.tokens import export_text
        from cognito_tui.core.walk import SignedIn

        if not isinstance(self.step, SignedIn):
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self._export_format = {"shell": "header", "header": "json", "json": "shell"}.get(self._export_format, "shell")
        text = export_text(self.step.result, self._export_format)
        self.copy_to_clipboard(text)
        shown = (
            text if self.revealed else f"({self._export_format} export copied to the clipboard; ctrl+y shows it here)"
        )
        self._q(TokensPane).note(escape(shown))
        self.notify(f"Tokens copied as {self._export_format} (x again for the next format).")

    # --- reveal, copy, tabs, help ---------------------------------------------------------------

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        form_shown = self._q(ConnectForm).toggle_reveal()
        detail = self._q(CallDetail)
        detail.revealed = self.revealed
        detail.show(detail.record)
        view = self._q(ChallengeView)
        view.revealed = self.revealed
        view.render_secret_extras()
        pane = self._q(TokensPane)
        pane.revealed = self.revealed
        pane.refresh_status()
        self.notify("Secrets revealed" if self.revealed or form_shown else "Secrets masked")

    def action_copy_cli(self) -> None:
        detail = self._q(CallDetail)
        if detail.record is None:
            self.notify("No call selected.", severity="warning")
            return
        self.copy_to_clipboard(detail.cli())
        self.notify(
            "AWS CLI command copied"
            + ("" if detail.revealed else " (secrets as <PLACEHOLDERS>; ctrl+y first to include them)")
        )

    def action_tab(self, name: str) -> None:
        self.show_tab(name)

    def show_tab(self, name: str) -> None:
        """Switch tabs and move focus into the new one (focus left in the old tab would switch back)."""
        self._q("#tabs", TabbedContent).active = name
        targets = {"tokens": "#id-claims", "calls": "#timeline", "history": "#runs", "connect": "#user_pool_id"}
        if name in targets:
            self.call_after_refresh(lambda: self._q(targets[name]).focus())

    def action_help(self) -> None:
        from cognito_tui.tui.screens.dialogs import HelpScreen

        self.push_screen(HelpScreen(self))

    # --- pre-flight and discovery ----------------------------------------------------------------

    def action_preflight(self) -> None:
        v, request = self._request()
        self._run_preflight(v)

    @work(thread=True, exclusive=True, group="preflight", exit_on_error=False, description="pre-flight")
    def _run_preflight(self, v) -> None:
        from cognito_tui.core.discovery import Discovery
        from cognito_tui.core.errors import CognitoError, TransportError
        from cognito_tui.core.preflight import PreflightInputs, analyse
        from cognito_tui.core.walk import Caller

        self.call_from_thread(self._busy, True)
        problems: list[str] = []
        found: dict[str, Any] = {}
        try:
            caller = Caller(self._gateway(v))
            caller.transcript.listeners.append(lambda record: self.post_message(m.CallRecorded(record)))
            disc = Discovery(caller)
            for key, fn in (
                ("pool", lambda: disc.describe_pool(v.user_pool_id)),
                ("client", lambda: disc.describe_client(v.user_pool_id, v.client_id)),
                ("mfa", lambda: disc.mfa_config(v.user_pool_id)),
                ("user", lambda: disc.admin_get_user(v.user_pool_id, v.username) if v.username else None),
            ):
                try:
                    found[key] = fn()
                except (CognitoError, TransportError) as exc:
                    problems.append(f"{key}: {exc}")
        except TransportError as exc:
            problems.append(str(exc))
        finally:
            self.call_from_thread(self._busy, False)
        preflight = analyse(
            PreflightInputs(
                v.auth_flow,
                v.api or None,
                v.username,
                bool(v.client_secret),
                found.get("pool"),
                found.get("client"),
                found.get("mfa"),
                found.get("user"),
            )
        )
        self.post_message(m.PreflightReady(preflight, problems))

    @_while_mounted
    def on_preflight_ready(self, event: m.PreflightReady) -> None:
        self.posted.append(event)
        self.preflight = event.preflight
        self._q(PreflightPanel).show(event.preflight, event.problems)
        form = self._q(ConnectForm)
        if event.preflight.flow_status:
            form.mark_flows(event.preflight.flow_status)
        if event.preflight.client_secret and form.fill_client_secret(event.preflight.client_secret):
            self.notify("Client secret fetched with DescribeUserPoolClient (masked in the form).")

    def action_load_pools(self) -> None:
        v, _ = self._request()
        self._run_discovery(v)

    @work(thread=True, exclusive=True, group="discovery", exit_on_error=False, description="listing pools")
    def _run_discovery(self, v) -> None:
        from cognito_tui.core.discovery import Discovery
        from cognito_tui.core.errors import CognitoError, TransportError
        from cognito_tui.core.walk import Caller

        try:
            gateway = self._gateway(v) if v.user_pool_id else self._gateway_for_listing(v)
            disc = Discovery(Caller(gateway))
            self.post_message(m.PoolsLoaded(disc.pools()))
            if v.user_pool_id:
                self.post_message(m.ClientsLoaded(disc.clients(v.user_pool_id)))
        except (CognitoError, TransportError) as exc:
            self.post_message(m.ActionFailed("Listing pools", str(exc)))

    def _gateway_for_listing(self, v):
        from cognito_tui.aws.gateway import Gateway, GatewayConfig

        return Gateway(
            GatewayConfig(
                region=v.region or "us-east-1", endpoint_url=v.endpoint_url or None, aws_profile=v.aws_profile or None
            )
        )

    def on_pools_loaded(self, event: m.PoolsLoaded) -> None:
        self.posted.append(event)
        self._q(ConnectForm).set_pools(event.pools)

    def on_clients_loaded(self, event: m.ClientsLoaded) -> None:
        self.posted.append(event)
        self._q(ConnectForm).set_clients(event.clients)

    # --- profiles ------------------------------------------------------------------------------

    def action_save_profile(self) -> None:
        from cognito_tui.tui.screens.dialogs import SaveProfileScreen

        if self.book is None:
            self.notify("Profiles are still loading.", severity="warning")
            return
        suggested = self.current_entry.name.removeprefix(DEMO_PREFIX).split(" ")[0] if self.current_entry else ""
        self.push_screen(SaveProfileScreen(suggested), self._save_profile)

    def _save_profile(self, answer) -> None:
        if not answer:
            return
        name, save_secrets = answer
        from cognito_tui.store.profiles import ContextData, Profile, ProfileError

        v = self._q(ConnectForm).values()
        context = None
        if v.context_data:
            cd = v.context_data
            context = ContextData(
                cd.get("IpAddress"),
                cd.get("ServerName"),
                cd.get("ServerPath"),
                [(h["headerName"], h["headerValue"]) for h in cd.get("HttpHeaders", [])],
            )
        profile = Profile(
            name=name,
            region=v.region or None,
            endpoint_url=v.endpoint_url or None,
            aws_profile=v.aws_profile or None,
            user_pool_id=v.user_pool_id or None,
            client_id=v.client_id or None,
            auth_flow=v.auth_flow or None,
            api=v.api or None,
            username=v.username or None,
            client_metadata=v.client_metadata,
            analytics_endpoint_id=v.analytics_endpoint_id or None,
            context_data=context,
        )
        try:
            if self.book.get(name) is not None:
                self.book.update(name, profile)
            else:
                self.book.add(profile)
            self.book.save()
        except (ProfileError, OSError) as exc:
            self.notify(str(exc), title="Not saved", severity="error", timeout=15)
            return
        if save_secrets and self.secrets is not None:
            try:
                for kind, value in (("password", v.password), ("client_secret", v.client_secret)):
                    if value:
                        self.secrets.set(name, kind, value.value)
                if (
                    self.current_entry is not None
                    and self.current_entry.demo
                    and "totp_seed" in self.current_entry.secrets
                ):
                    self.secrets.set(name, "totp_seed", self.current_entry.secrets["totp_seed"].value)
            except Exception as exc:  # the keyring refused: the profile is saved, the secret is not
                self.notify(str(exc), title="Secrets not saved", severity="error")
        self._rebuild_entries()
        self._select_named(name)
        where = getattr(self.secrets, "name", "memory")
        self.notify(f"Saved {name!r}" + (f"; secrets in {where}" if save_secrets else "; no secrets stored"))

    def _saved_entry(self) -> ProfileEntry | None:
        entry = self.current_entry
        if entry is None or entry.demo:
            self.notify(
                "Pick a saved profile first (demo profiles live in memory; ctrl+n saves one).", severity="warning"
            )
            return None
        return entry

    def action_rename_profile(self) -> None:
        from cognito_tui.tui.screens.dialogs import TextPrompt

        entry = self._saved_entry()
        if entry:
            self.push_screen(
                TextPrompt(f"Rename {entry.name!r} to", entry.name),
                lambda new: self._profile_op("rename", entry.name, new),
            )

    def action_duplicate_profile(self) -> None:
        from cognito_tui.tui.screens.dialogs import TextPrompt

        entry = self._saved_entry()
        if entry:
            self.push_screen(
                TextPrompt(f"Duplicate {entry.name!r} as", f"{entry.name}-copy"),
                lambda new: self._profile_op("duplicate", entry.name, new),
            )

    def action_delete_profile(self) -> None:
        from cognito_tui.tui.screens.dialogs import Confirm

        entry = self._saved_entry()
        if entry:
            self.push_screen(
                Confirm(f"Delete profile {entry.name!r} and its stored secrets?"),
                lambda ok: ok and self._profile_op("delete", entry.name, None),
            )

    def _profile_op(self, op: str, name: str, new: str | None) -> None:
        from cognito_tui.store.profiles import ProfileError

        if op != "delete" and not new:
            return
        try:
            if op == "rename":
                self.book.rename(name, new)
            elif op == "duplicate":
                self.book.duplicate(name, new)
            else:
                self.book.delete(name)
            self.book.save()
        except (ProfileError, OSError) as exc:
            self.notify(str(exc), title=f"{op} failed", severity="error", timeout=15)
            return
        self.current_entry = None
        self._rebuild_entries()
        if new:
            self._select_named(new)
        self.notify(f"{op}: done")

    def action_show_yaml(self) -> None:
        from cognito_tui.tui.screens.dialogs import TextView

        if self.book is None:
            return
        self.push_screen(
            TextView(f"{self.book.path} — as it will be written", self.book.as_yaml() or "# no profiles yet\n")
        )

    def action_show_secrets(self) -> None:
        from cognito_tui.tui.screens.dialogs import SecretsScreen

        if self.secrets is not None:
            self.push_screen(SecretsScreen(self.secrets))

    # --- history and timers --------------------------------------------------------------------

    def _history_dir(self) -> Path:
        if self.config.history_dir is not None:
            return self.config.history_dir
        from cognito_tui.store.paths import history_dir

        return history_dir(self.config.config_path)

    def _save_history(self, outcome: str) -> None:
        if self.walk is None:
            return
        from cognito_tui.store.history import save_run

        req = self.walk.request
        title = f"{req.auth_flow} {req.username or ''} @ {req.user_pool_id}"
        meta = {"flow": req.auth_flow, "pool": req.user_pool_id, "client": req.client_id, "username": req.username}
        try:
            save_run(self._history_dir(), title, outcome, self.walk.transcript.to_list(), meta)
        except OSError as exc:
            self.notify(f"history not saved: {exc}", severity="warning")
            return
        self._q(HistoryPane).reload(self._history_dir())

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "history":
            self._q(HistoryPane).reload(self._history_dir())

    @_while_mounted
    def _tick(self) -> None:
        self._q(ChallengeView).tick(self.config.clock())


def _context_text(ctx: dict[str, Any]) -> str:
    parts = []
    for key, name in (("IpAddress", "ip"), ("ServerName", "server"), ("ServerPath", "path")):
        if ctx.get(key):
            parts.append(f"{name}={ctx[key]}")
    parts += [f"header={h['headerName']}:{h['headerValue']}" for h in ctx.get("HttpHeaders", [])]
    return ",".join(parts)


def make_app(config: AppConfig | None = None) -> CognitoApp:
    """The one factory: the CLI and the tests build the app the same way."""
    return CognitoApp(config)
