"""The main screen: lays out the panes, routes keys to them and carries messages between them.

Panes own their work (workers, widgets); this screen only assembles what several of them hold (the
sign-in request from the form, the profile's secrets and this session's device) and passes each
message on to the panes it concerns.

The first frame is light: the chrome and the profile list only. Every tab pane, the Connect form
included, is a `LazyPane` built when first shown (Connect: right after the first frame; the workers
start once it is mounted); whatever is meant for a pane goes through `send(name, fn)`, which runs
`fn(content)` now if it is mounted, else once it is, in order. Key actions that read the form wait
for it the same way (`needs_form`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static, TabbedContent

from cognito_tui.core.redact import Secret
from cognito_tui.tui import messages as m
from cognito_tui.tui.footer import QuietFooter
from cognito_tui.tui.keys import MAIN_KEYS
from cognito_tui.tui.lazy import LazyPane
from cognito_tui.tui.screens.main_actions import ScreenActions, devices_of
from cognito_tui.tui.screens.routing import DeviceScope, needs_form
from cognito_tui.tui.threads import off_thread
from cognito_tui.tui.vault_hooks import VaultHooks
from cognito_tui.tui.widgets.outbox import OutboxPanel
from cognito_tui.tui.widgets.profiles import ProfileEntry, ProfilesPane

if TYPE_CHECKING:
    from cognito_tui.core.request import DeviceSecrets, SignIn
    from cognito_tui.tui.services import Services
    from cognito_tui.tui.widgets.connect import ConnectPane


class MainScreen(ScreenActions):
    BINDINGS = MAIN_KEYS  # type: ignore[assignment]  # a list of Binding is what Textual reads

    def __init__(self, services: Services, profile: str | None = None) -> None:
        super().__init__()
        self.services = services
        self.start_profile = profile
        self.step: Any = None  # the step shown last (a walk's, or refreshed tokens)
        self.preflight: Any = None
        self.revealed = False
        # devices confirmed with ctrl+k, each proved only by later walks for its own (profile, user, pool, endpoint)
        self.session_devices: dict[DeviceScope, DeviceSecrets] = {}
        self.signed_in_scope: DeviceScope | None = None  # the scope of the tokens shown last
        self.learned: dict[str, Secret] = {}  # secrets learned this session (a TOTP seed set up)
        self.first_frame_done = False  # tabs are built from then on (the first frame builds none)
        self.presenting = False  # presenter mode (p): narration, a sequence diagram, secrets always masked
        self.vault_hooks = VaultHooks(self)  # the seed and device of the form's profile and user (issue 14)
        self.wanted_tab = "connect"  # the tab asked for last (its focus, once built, is the one that counts)

    def compose(self) -> ComposeResult:
        s = self.services
        yield Header(show_clock=False)
        with Horizontal():
            with Vertical(id="sidebar"):
                yield ProfilesPane(s, id="profiles-pane")
                if s.sandbox is not None:
                    yield OutboxPanel(id="outbox-panel")
            with Vertical(id="main"):
                yield Static("", id="banner")
                with TabbedContent(id="tabs", initial="connect"):
                    yield LazyPane("Connect", lambda: _connect_pane(s), id="connect")
                    yield LazyPane("Walk", lambda: _walk_pane(s), id="walk")
                    yield LazyPane("Tokens", lambda: _tokens_pane(s), id="tokens")
                    yield LazyPane("Calls", _calls_pane, id="calls")
                    yield LazyPane("History", _history_pane, id="history")
                yield Static("", id="status")
        yield QuietFooter()

    def on_resize(self, event) -> None:
        """Below 110 columns the side panel and the pre-flight panel give way to the form."""
        self.set_class(event.size.width < 110, "narrow")
        self.set_class(event.size.height < 30, "short")

    def on_mount(self) -> None:
        self.app.sub_title = "sandbox: starting…" if self.services.sandbox is not None else "AWS"
        if self.services.sandbox is not None:
            self._demos_from_seed()
        self.call_after_refresh(self._after_first_frame)

    def _demos_from_seed(self) -> None:
        """The demo profiles in the first frame: the seed is read now (libyaml, no moto); the server starts later."""
        assert self.services.sandbox is not None
        try:
            sandbox = self.services.sandbox.prepare()
        except Exception:  # a broken seed: the sandbox worker says what is wrong with it
            return
        self.query_one(ProfilesPane).set_demos(sandbox.describe())

    def _after_first_frame(self) -> None:
        """The Connect form is built once the first frame is on screen (it would delay it), then the workers start.

        Workers start only once the form is mounted, so the store and the sandbox, when ready, always find it.
        """
        self.first_frame_done = True
        self.pane(self.query_one("#tabs", TabbedContent).active or "connect").build()
        self.send("connect", lambda _pane: self._start_workers())

    def _start_workers(self) -> None:
        self.set_interval(1.0, self._tick)
        sandbox = self.services.sandbox is not None
        self.say("Starting the sandbox…" if sandbox else "Pick a profile or fill the form, then ctrl+r · F1 help")
        self.query_one(ProfilesPane).load_store()
        if self.services.sandbox is not None:
            self.run_sandbox()
        config = getattr(self.app, "config", None)
        if getattr(config, "present", False):
            self.call_after_refresh(self.action_toggle_present)
        scenarios = getattr(config, "scenarios", None)
        if scenarios:
            self.call_after_refresh(self.action_scenarios, scenarios)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        name = event.pane.id or ""
        if not self.first_frame_done:  # the initial tab: built after the first frame
            return
        self.pane(name).build()
        if name == "history":
            self.send("history", lambda pane: pane.reload(self.services.history_folder()))

    # --- the sandbox and the store -----------------------------------------------------------------------

    @work(exclusive=True, group="sandbox", exit_on_error=False, description="starting the sandbox")
    async def run_sandbox(self) -> None:
        life = self.services.sandbox
        assert life is not None
        self.post_message(m.SeedRead(await off_thread(life.prepare)))  # the demo profiles, before moto loads
        try:
            sandbox = await off_thread(_start_sharing_models, life)
        except Exception as exc:  # a taken port, a broken install: said on screen, app stays usable
            self.post_message(m.SandboxFailed(str(exc)))
            return
        sandbox.outbox.subscribe(self._delivered)
        self.post_message(m.SandboxReady(sandbox))

    def _delivered(self, message: dict[str, Any]) -> None:
        self.post_message(m.OutboxDelivered(dict(message)))

    def on_seed_read(self, event: m.SeedRead) -> None:
        profiles = self.query_one(ProfilesPane)
        if not profiles.demos:  # not listed in the first frame already
            profiles.set_demos(event.sandbox.describe())

    def on_sandbox_ready(self, event: m.SandboxReady) -> None:
        self.app.sub_title = f"sandbox on {event.sandbox.endpoint_url}"
        profiles = self.query_one(ProfilesPane)
        profiles.set_demos(event.sandbox.describe())
        current = profiles.current
        if current is not None and current.sandbox:
            self.send("connect", lambda pane: self.form().set_endpoint(event.sandbox.endpoint_url))
        elif self.start_profile:
            profiles.select_named(self.start_profile)
        self.say("Sandbox ready: pick a demo profile on the left (Enter), then ctrl+r.")

    def say(self, text: str, error: bool = False) -> None:
        """The status line under the tabs: the latest state, in a row of its own (a toast covered the QR, the tokens)."""
        status = self.query_one("#status", Static)
        status.update(escape(text))
        status.set_class(error, "error")

    def on_sandbox_failed(self, event: m.SandboxFailed) -> None:
        self.app.sub_title = "sandbox failed"
        self.notify(event.error, title="The sandbox did not start", severity="error", timeout=15)

    def on_store_loaded(self, event: m.StoreLoaded) -> None:
        book = self.services.book
        assert book is not None
        banner = [f"✗ {issue}" for issue in book.issues]
        if book.issues and not book.writable:
            banner.append(
                "The file is kept as it is (not overwritten): fix it, then restart. The profiles that could be read are listed."
            )
        if self.services.keyring_warning:  # one row (cut with … when narrow): the reason and the fix are in F1
            banner.append("⚠ No OS keyring: secrets last this session only · F1: how to keep them")
        self.query_one("#banner", Static).update(escape("\n".join(banner)))
        self.query_one("#banner").display = bool(banner) and not self.presenting  # presenter mode: no clutter
        self.query_one("#banner").set_class(not book.issues, "one-line")
        if self.start_profile:
            self.query_one(ProfilesPane).select_named(self.start_profile)

    def on_outbox_delivered(self, event: m.OutboxDelivered) -> None:
        self.query_one(OutboxPanel).add(event.message)
        self._update_helpers()

    # --- profiles into the form, the form into a sign-in ------------------------------------------------

    def on_profile_chosen(self, event: m.ProfileChosen) -> None:
        from dataclasses import replace

        entry: ProfileEntry = event.entry
        fields = replace(entry.fields, client_metadata=dict(entry.fields.client_metadata))
        running = self.services.sandbox.running if self.services.sandbox is not None else None
        if entry.sandbox and running is not None:
            fields.endpoint_url = running.endpoint_url or ""
        secrets = self.query_one(ProfilesPane).secrets_of(entry)
        for kind in ("password", "client_secret", "refresh_token"):
            if secrets.get(kind) and not getattr(fields, kind):
                setattr(fields, kind, secrets[kind])
        self.send("connect", lambda pane: self.form().from_model(fields))
        self.show_tab("connect")
        self.say(f"{entry.name}: in the form · ctrl+r signs in · F5 pre-flight · F12 back to the list")

    def sign_in(self) -> SignIn:
        from cognito_tui.core.request import DEVICE_KINDS, build_sign_in

        profiles = self.query_one(ProfilesPane)
        secrets = dict(profiles.secrets_of(profiles.current))
        fields = self.form().to_model()
        scope = self._device_scope(fields.username, fields.user_pool_id, fields.endpoint_url)
        if not self._is_saved_target(scope):  # a profile's stored device is for its own user, pool and endpoint
            secrets = {k: v for k, v in secrets.items() if k not in DEVICE_KINDS}
        return build_sign_in(fields, secrets, device=self.session_devices.get(scope) or self.vault_hooks.device())

    def _device_scope(self, username: str, user_pool_id: str, endpoint_url: str | None) -> DeviceScope:
        """Whom a device was confirmed for: a walk for anyone else must not send its DEVICE_KEY."""
        current = self.query_one(ProfilesPane).current
        return (current.name if current else "", username, user_pool_id, endpoint_url or "")

    def _is_saved_target(self, scope: DeviceScope) -> bool:
        """The scope is the current saved profile's own profile, user, pool and endpoint (so its stored device fits)."""
        current = self.query_one(ProfilesPane).current
        if current is None or current.demo:
            return False
        saved = current.fields
        return scope == (current.name, saved.username, saved.user_pool_id, saved.endpoint_url or "")

    @needs_form
    def action_start_walk(self, keep_answers: bool = False) -> None:
        from cognito_tui.tui.oauth_flows import is_oauth_flow
        from cognito_tui.tui.widgets import oauth_walk  # managed login, M2M, token exchange: their own walk

        if is_oauth_flow(self.form().to_model().auth_flow):
            oauth_walk.start_oauth_walk(self)
            return
        oauth_walk.hide_oauth_walk(self)
        sign_in = self.sign_in()
        if sign_in.problems:
            self.notify("\n".join(sign_in.problems), title="Cannot start yet", severity="error")
            self.show_tab("connect")
            return
        validity = self.preflight.session_validity if self.preflight and self.preflight.session_validity else 180.0

        def start(pane) -> None:
            if pane.running:
                pane.start(sign_in, validity)  # says a call is in flight
                return
            self.send("calls", lambda calls: calls.clear())
            self._present("clear")
            self.say(f"Signing in as {sign_in.request.username or '…'} ({sign_in.request.auth_flow})")
            pane.start(sign_in, validity, keep_answers=keep_answers)

        self.show_tab("walk")
        self.send("walk", start)

    @needs_form
    def action_retry(self) -> None:
        """The engine decides: the same challenge again when its Session lives, else a restart."""
        pane = self.pane("walk").content
        if pane is not None and pane.can_retry():
            pane.retry()
        else:
            self.action_start_walk(keep_answers=pane is not None)

    @needs_form
    def action_preflight(self) -> None:
        from cognito_tui.tui.oauth_flows import is_oauth_flow

        if is_oauth_flow(self.form().to_model().auth_flow):
            from cognito_tui.tui.widgets.oauth_walk import oauth_preflight

            oauth_preflight(self)  # the client's OAuth settings, not InitiateAuth's
            return
        self.pane("connect").content.preflight(self.sign_in())

    @needs_form
    def action_load_pools(self) -> None:
        self.pane("connect").content.load_pools(self.sign_in())

    @needs_form
    def action_save_profile(self) -> None:
        profiles = self.query_one(ProfilesPane)
        extra = {k: v for k, v in profiles.secrets_of(profiles.current).items() if k == "totp_seed"}
        extra.update(self.learned)
        profiles.save(self.form().to_model(), extra)

    def on_preflight_ready(self, event: m.PreflightReady) -> None:
        self.preflight = event.preflight
        said = [value for label, value in event.preflight.facts if label == "Refresh rotation"]
        rotation = (said[0] == "ENABLED") if said else None  # unknown: the Tokens tab finds out on refresh
        self.send("tokens", lambda tokens: setattr(tokens, "rotation", rotation))

    # --- the walk's steps to the other panes ------------------------------------------------------------

    def on_call_started(self, event: m.CallStarted) -> None:
        now = self.services.clock()
        self.send("calls", lambda calls: calls.started(event.operation, event.started_at, now))
        self._present("started", event.operation)

    def on_call_retried(self, event: m.CallRetried) -> None:
        self.send("calls", lambda calls: calls.retried(event.attempt, event.attempts, event.reason))

    def on_call_abandoned(self, event: m.CallAbandoned) -> None:
        self.send("calls", lambda calls: calls.stopped())
        self._present("stopped")

    def on_call_recorded(self, event: m.CallRecorded) -> None:
        self.send("calls", lambda calls: calls.add(event.record))
        self._present("add", event.record)
        self.vault_hooks.on_call_recorded(event.record, self._totp_seed())  # a TOTP code sent is spent

    def on_step_reached(self, event: m.StepReached) -> None:
        from cognito_tui.core.walk import Failed, SignedIn

        step = self.step = event.step
        self.send("calls", lambda calls: calls.stopped())
        self._present("show_step", step, event.walk)
        extra = getattr(step, "extra", {}) or {}
        if extra.get("secret_code"):
            self.learned["totp_seed"] = extra["secret_code"]  # ctrl+t fills codes from the new seed at once
        self._update_helpers()
        if self.vault_hooks.after_step(step, event.walk):  # an unknown device dropped: started again without it
            return
        if isinstance(step, SignedIn):
            form = self.form().to_model()
            endpoint = form.endpoint_url or None
            request = event.walk.request if event.walk is not None else form
            self.signed_in_scope = self._device_scope(request.username, request.user_pool_id, endpoint)
            self.send("tokens", lambda tokens: tokens.show_signed_in(step, event.walk, endpoint))
            self.send("tokens", lambda tokens: devices_of(tokens).show_note(self.vault_hooks.last_note))
            self._keep_refresh_token(step)
            self.show_tab("tokens")
            self.say("Signed in: tokens decoded (Tokens tab).")
            self._save_history(event.walk, "tokens")
        elif isinstance(step, Failed):
            self.say(f"✗ {step.code}: {step.explanation.title} (the Walk tab says what to check)", error=True)
            self._save_history(event.walk, step.code)
        else:
            self.show_tab("walk")

    def on_tokens_changed(self, event: m.TokensChanged) -> None:
        from cognito_tui.core.walk import SignedIn

        if isinstance(event.step, SignedIn):
            self.step = event.step
            self._keep_refresh_token(event.step)
            self._keep_rotated_in_keyring(event.step)

    def _tick(self) -> None:
        now = self.services.clock()
        walk, calls = self.pane("walk"), self.pane("calls")
        if walk.ready:
            walk.content.tick()
            if walk.content.pending is not None and calls.ready:
                calls.content.tick(now)


def _start_sharing_models(life) -> Any:
    """Start the sandbox with one copy of botocore's models for it, moto and the gateway (~15 MB less)."""
    from cognito_tui import accel

    accel.share_botocore_models()
    return life.start()


def _connect_pane(services: Services) -> ConnectPane:
    from cognito_tui.tui.widgets.connect import ConnectPane

    return ConnectPane(services, id="connect-pane")


def _walk_pane(services: Services):
    from cognito_tui.tui.widgets.walk import WalkPane

    return WalkPane(services, id="walk-pane")


def _tokens_pane(services: Services):
    from cognito_tui.tui.widgets.tokens import TokensPane

    return TokensPane(services, id="tokens-pane")


def _calls_pane():
    from cognito_tui.tui.widgets.calls import CallsPane

    return CallsPane(id="calls-pane")


def _history_pane():
    from cognito_tui.tui.widgets.history import HistoryPane

    return HistoryPane(id="history-pane")
