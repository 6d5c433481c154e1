"""What the main screen does with the TOTP seed and remembered device of the user in the form.

Kept out of screens/main.py, which only calls these hooks: the vault's scope (profile and user),
the seed for ctrl+t / ctrl+g, the reuse warning before a code is sent, marking codes sent as used,
the device for a sign-in, keeping a device or a seed once signed in, and dropping a device key
Cognito does not know (the sign-in then starts again without it, saying so).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cognito_tui.core.redact import Secret

if TYPE_CHECKING:
    from cognito_tui.core.request import DeviceSecrets
    from cognito_tui.store.vault import Vault

CODE_KEYS = {"SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE", "MFA_SETUP": "USER_CODE"}


class VaultHooks:
    def __init__(self, screen: Any) -> None:
        self.screen = screen
        self._vault: Vault | None = None
        self._warned: tuple[int, str] | None = None  # (step, code) already warned about: a second ctrl+s sends
        self.last_note = ""
        self.dropped = ""  # said when a device key Cognito did not know was dropped (shown with the next tokens)

    # --- where things are kept ----------------------------------------------------------------------

    @property
    def vault(self) -> Vault | None:
        store = self.screen.services.secret_store
        if store is None:
            return None
        if self._vault is None or self._vault.store is not store:
            from cognito_tui.store.paths import profiles_path
            from cognito_tui.store.vault import Vault, used_steps_at

            self._vault = Vault(store, used_steps_at(profiles_path(self.screen.services.config_path).parent))
        return self._vault

    def scope(self) -> tuple[str, str] | None:
        """(profile, user) of the form, while it still signs in to the selected profile's pool (else None)."""
        from cognito_tui.tui.widgets.connect import ConnectForm
        from cognito_tui.tui.widgets.profiles import ProfilesPane

        form = self.screen.query_one(ConnectForm).to_model()
        if not form.username:
            return None
        current = self.screen.query_one(ProfilesPane).current
        if current is None:
            return (form.user_pool_id, form.username) if form.user_pool_id else None
        saved = current.fields
        if form.user_pool_id != saved.user_pool_id:
            return None
        if not current.demo and (form.endpoint_url or "") != (saved.endpoint_url or ""):
            return None
        return current.name, form.username

    def now(self) -> float:
        """The time TOTP codes are computed at: the sandbox's clock for a walk on our sandbox, else the wall clock."""
        return self.clock()()

    def clock(self) -> Callable[[], float]:
        """The clock TOTP codes follow for the form's endpoint: the sandbox's own when it is ours."""
        services = self.screen.services
        life = services.sandbox
        sandbox = life.running if life is not None else None
        if sandbox is not None:
            from cognito_tui.tui.widgets.connect import ConnectForm

            if services.on_sandbox(self.screen.query_one(ConnectForm).to_model().endpoint_url or None):
                return sandbox.clock.now
        return time.time

    # --- TOTP ---------------------------------------------------------------------------------------

    def seed(self, learned: Secret | None, profile_seed: Secret | None) -> Secret | None:
        scope, vault = self.scope(), self.vault
        kept = vault.seed(*scope) if scope and vault else None
        return learned or kept or profile_seed

    def last_used(self) -> int | None:
        scope, vault = self.scope(), self.vault
        return vault.used.last(*scope) if scope and vault else None

    def mark(self, seed: str, code: str) -> None:
        from cognito_tui.core.totp_guard import step_of

        scope, vault = self.scope(), self.vault
        step = step_of(seed, code, self.now())
        if scope and vault and step is not None:
            vault.used.mark(*scope, step)

    def keep_seed(self, seed: str) -> str | None:
        """A seed set up (in a walk or the workbench) kept for this profile and user; where, in words."""
        scope, vault = self.scope(), self.vault
        if not scope or not vault:
            return None
        vault.set_seed(*scope, seed)
        return f"{scope[0]}@{scope[1]}"

    def may_send(self, step: Any, values: dict[str, str], seed: Secret | None) -> bool:
        """False (and a warning on screen) the first time a code already used in its window is about to go."""
        from cognito_tui.core.totp_guard import reuse_warning

        key = CODE_KEYS.get(getattr(step, "name", ""))
        if key is None:
            return True
        code = values.get(key, "")
        if step.name == "MFA_SETUP":
            extra = step.extra.get("secret_code")
            seed = Secret(extra.value) if extra else None
        if not code or seed is None:
            return True
        warning = reuse_warning(seed.value, code, self.now(), self.last_used())
        if warning is None or self._warned == (id(step), code):
            return True
        self._warned = (id(step), code)
        self.screen.notify(f"{warning}\nctrl+s again sends it anyway.", title="Code already used", severity="warning")
        return False

    def pick(self, seed: Secret) -> tuple[str, str]:
        """The code ctrl+g sends: this window's, or the next one's when this one was used (with why)."""
        from cognito_tui.core.totp_guard import pick_code

        choice = pick_code(seed.value, self.now(), self.last_used())
        return choice.code, choice.note

    def on_call_recorded(self, record: Any, seed: Secret | None) -> None:
        """A TOTP code that reached Cognito is spent for its window: remembered, so it is not sent again."""
        request = record.request or {}
        code, used_seed = None, seed
        if record.operation.endswith("RespondToAuthChallenge") and request.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
            code = (request.get("ChallengeResponses") or {}).get("SOFTWARE_TOKEN_MFA_CODE")
        elif record.operation == "VerifySoftwareToken":
            code = request.get("UserCode")
            extra = getattr(self.screen.step, "extra", {}) or {}
            if extra.get("secret_code"):
                used_seed = extra["secret_code"]
        spent = record.error is None or getattr(record.error, "code", "") == "ExpiredCodeException"
        if code and used_seed is not None and spent:
            self.mark(str.__str__(used_seed), code)

    # --- devices ------------------------------------------------------------------------------------

    def device(self) -> DeviceSecrets | None:
        scope, vault = self.scope(), self.vault
        return vault.device(*scope) if scope and vault else None

    def keep_device(self, device: DeviceSecrets) -> str | None:
        scope, vault = self.scope(), self.vault
        if not scope or not vault:
            return None
        vault.set_device(*scope, device)
        return f"{scope[0]}@{scope[1]}"

    def forget_device(self) -> None:
        scope, vault = self.scope(), self.vault
        if scope and vault:
            vault.forget_device(*scope, fallback=self.screen._is_saved_target(self.screen.signed_in_scope))

    def after_step(self, step: Any, walk: Any) -> bool:
        """After a walk's last step: True when a device Cognito does not know was dropped and the walk restarted."""
        from cognito_tui.core.devices import DROPPED, device_unknown, mfa_note, tag
        from cognito_tui.core.steps import SignedIn

        if walk is None:
            return False
        device = walk.request.device
        if device is not None and device_unknown(step, device.device_key):
            self.forget_device()
            self.screen.session_devices = {
                k: v for k, v in self.screen.session_devices.items() if v.device_key != device.device_key
            }
            again = self.screen.sign_in().request.device
            if again is not None and again.device_key == device.device_key:
                return False  # it could not be dropped (the keyring refused): no loop, the refusal is shown
            self.dropped = DROPPED.format(tag=tag(device.device_key), message=step.message)
            self.screen.say(self.dropped)
            self.screen.call_after_refresh(self.screen.action_start_walk)
            return True
        if isinstance(step, SignedIn):
            self.last_note = mfa_note(walk.steps, device.device_key if device else None)
            if self.dropped:
                self.last_note, self.dropped = f"{self.dropped}. {self.last_note}", ""
            # said on the Tokens tab's devices panel (a toast would cover the tokens: issue 9.15)
            extra = next((s.extra for s in walk.steps if getattr(s, "extra", {}).get("secret_code")), None)
            if extra:
                where = self.keep_seed(extra["secret_code"].value)
                if where:
                    self.last_note += f" The new TOTP seed is kept in the keyring for {where}."
        return False

    def forgotten(self, device_key: str) -> None:
        """ForgetDevice went through: the kept device with this key is dropped too, and not sent again."""
        kept = self.device()
        if kept is not None and kept.device_key == device_key:
            self.forget_device()
        self.screen.session_devices = {
            k: v for k, v in self.screen.session_devices.items() if v.device_key != device_key
        }
