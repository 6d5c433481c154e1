"""The main screen's actions on codes, secrets and what a sign-in leaves behind, and the demo tools.

TOTP and outbox codes into the challenge, the reveal toggle, the refresh token and devices kept after a
sign-in, history, presenter mode, export and scenarios. Split from main.py to keep each module readable.
"""

from __future__ import annotations

from typing import Any

from cognito_tui.core.redact import Secret
from cognito_tui.tui import messages as m
from cognito_tui.tui.screens.routing import RoutedScreen, needs_form
from cognito_tui.tui.widgets.outbox import OutboxPanel
from cognito_tui.tui.widgets.profiles import ProfilesPane

CODE_CHALLENGES = ("SMS_MFA", "EMAIL_OTP", "SMS_OTP", "CUSTOM_CHALLENGE")


class ScreenActions(RoutedScreen):
    # --- what a sign-in leaves behind: the refresh token, devices, history ------------------------------

    def _keep_rotated_in_keyring(self, step) -> None:
        """A rotated refresh token replaces the one the saved profile keeps (only where it keeps one)."""
        from cognito_tui.store.secrets import SecretKind

        store, scope, token = self.services.secret_store, self.signed_in_scope, step.result.get("RefreshToken")
        if store is None or scope is None or not token or not self._is_saved_target(scope):
            return
        kept = store.get(scope[0], SecretKind.REFRESH_TOKEN)
        if kept is not None and kept.value != token:
            store.set(scope[0], SecretKind.REFRESH_TOKEN, token)

    def _keep_refresh_token(self, step) -> None:
        token = step.result.get("RefreshToken")
        if token:
            self.send("connect", lambda pane: self.form().set_refresh_token(token))

    def on_device_remembered(self, event: m.DeviceRemembered) -> None:
        device, scope = event.device, self.signed_in_scope
        if scope is None:
            return
        self.session_devices[scope] = device
        where = self.vault_hooks.keep_device(device)  # the keyring, per profile and user (store/vault.py)
        if where:
            self.notify(f"Device kept in the keyring for {where}: later sign-ins prove it instead of MFA.", timeout=4)

    def on_device_forgotten(self, event) -> None:
        self.vault_hooks.forgotten(event.device_key)

    def on_action_failed(self, event: m.ActionFailed) -> None:
        self.notify(event.detail, title=f"{event.title} failed", severity="error", timeout=10)

    def _save_history(self, walk, outcome: str) -> None:
        from cognito_tui.tui.widgets.history import save_walk

        if walk is None:
            return
        folder = self.services.history_folder()
        problem = save_walk(folder, walk, outcome)
        if problem:
            self.notify(f"history not saved: {problem}", severity="warning")
        elif self.pane("history").content is not None:
            self.send("history", lambda pane: pane.reload(folder))

    # --- codes, reveal ---------------------------------------------------------------------------------

    def _totp_seed(self) -> Secret | None:
        return self.vault_hooks.seed(self.learned.get("totp_seed"), self.profile_seed())

    def profile_seed(self) -> Secret | None:
        profiles = self.query_one(ProfilesPane)
        return profiles.secrets_of(profiles.current).get("totp_seed")

    def latest_code(self) -> dict[str, Any] | None:
        if self.services.sandbox is None:
            return None
        typed = self.form().to_model().username if self.pane("connect").ready else ""
        names = {typed, getattr(self.step, "username", "")}
        return self.query_one(OutboxPanel).latest_for({n for n in names if n})

    def _update_helpers(self) -> None:
        from cognito_tui.core import totp
        from cognito_tui.core.walk import Challenge

        step = self.step
        lines = []
        if isinstance(step, Challenge):
            if step.name == "SOFTWARE_TOKEN_MFA" and self._totp_seed():
                lines.append(f"ctrl+t fills the TOTP code from the stored seed (next code in {totp.seconds_left()} s)")
            if step.name in CODE_CHALLENGES:
                message = self.latest_code()
                if message:
                    lines.append(f"outbox: code {message['code']} sent to {message['destination']} — ctrl+o fills it")
        self.send("walk", lambda pane: pane.show_helpers("\n".join(lines)))

    def action_fill_totp(self) -> None:
        from cognito_tui.core import totp

        seed = self._totp_seed()

        def fill(pane) -> None:
            view = pane.query_one("#challenge")
            name = view.code_field()
            if seed is None or name is None:
                self.notify("No stored TOTP seed for this profile, or no code to fill.", severity="warning")
                return
            view.set_value(name, totp.now_code(seed.value, self.vault_hooks.now()))

        self.send("walk", fill)

    def action_answer(self) -> None:
        """ctrl+s: the walk's answer, after a warning when its TOTP code was already used in its window."""
        pane = self.pane("walk").content
        if pane is not None and not self.vault_hooks.may_send(
            pane.step, pane.query_one("#challenge").values(), self._totp_seed()
        ):
            return
        self.send("walk", lambda walk: walk.answer())

    def action_answer_totp(self) -> None:
        from cognito_tui.tui.widgets.totp import answer_from_seed

        answer_from_seed(self)

    def action_totp_workbench(self) -> None:
        from cognito_tui.tui.screens.totp import open_workbench

        open_workbench(self)

    def action_devices(self, method: str) -> None:
        self.send("tokens", lambda tokens: getattr(devices_of(tokens), method)())

    def action_fill_outbox(self) -> None:
        message = self.latest_code()

        def fill(pane) -> None:
            view = pane.query_one("#challenge")
            custom = getattr(self.step, "name", "") == "CUSTOM_CHALLENGE"
            name = view.code_field() or ("ANSWER" if custom else None)
            if message is None or name is None:
                self.notify("No code in the outbox for this user.", severity="warning")
                return
            view.set_value(name, message["code"])

        self.send("walk", fill)

    @needs_form
    def action_reveal(self) -> None:
        if self.presenting:  # presenter mode masks every secret, whatever is toggled
            from cognito_tui.tui.widgets.present import refuse_reveal

            return refuse_reveal(self)
        self.revealed = revealed = not self.revealed
        form_shown = self.form().toggle_reveal()
        for name in ("walk", "tokens", "calls"):
            self.send(name, lambda pane: pane.set_revealed(revealed))
        self.say("Secrets revealed: ctrl+y masks them" if revealed or form_shown else "Secrets masked")

    # --- presenter mode, export, scenarios (issue 15) ------------------------------------------------

    def action_toggle_present(self) -> None:
        from cognito_tui.tui.widgets.present import toggle

        on = toggle(self)
        self.notify("Presenter mode: secrets stay masked; p leaves it" if on else "Presenter mode off", timeout=3)

    def _present(self, method: str, *args: Any) -> None:
        if self.presenting:
            from cognito_tui.tui.widgets.present import feed

            feed(self, method, *args)

    def action_export_walk(self) -> None:
        from cognito_tui.tui.screens.export import open_export

        open_export(self)

    def action_scenarios(self, path: str | None = None) -> None:
        from cognito_tui.tui.screens.scenarios import open_scenarios

        open_scenarios(self, path)


def devices_of(tokens):
    from cognito_tui.tui.widgets.devices import devices_of as find

    return find(tokens)
