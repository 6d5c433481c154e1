"""The TOTP workbench: the stored seed's current code with its countdown, the reuse warning, and the
guided setup outside a sign-in (AssociateSoftwareToken with the access token, QR and grouped secret,
VerifySoftwareToken, SetUserMFAPreference for TOTP, email or SMS)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from cognito_tui.core.redact import Secret
from cognito_tui.tui.threads import off_thread

PREFER_CHOICES = [
    ("TOTP (authenticator app)", "SOFTWARE_TOKEN_MFA"),
    ("Email code", "EMAIL_OTP"),
    ("SMS code", "SMS_MFA"),
]


@dataclass
class WorkbenchContext:
    """What the workbench works on: whose seed, where it is kept, the clock, and the last sign-in."""

    profile: str
    user: str
    vault: Any  # store.vault.Vault
    now: Callable[[], float]
    caller: Any = None  # core.caller.Caller of the last sign-in (its calls show on the Calls tab)
    access_token: str | None = None
    signed_in_as: str | None = None
    profile_seed: Secret | None = None  # a demo profile's seed, or one the profile itself keeps


class TotpWorkbench(Vertical):
    DEFAULT_CSS = """
    TotpWorkbench { height: auto; padding: 0 1; }
    TotpWorkbench #totp-code { height: auto; padding: 1 0 0 0; }
    TotpWorkbench #totp-warning { height: auto; color: $warning; }
    TotpWorkbench #totp-setup { height: auto; }
    TotpWorkbench #totp-qr { width: auto; height: auto; }
    TotpWorkbench #totp-secret { height: auto; }
    TotpWorkbench Horizontal { height: auto; }
    TotpWorkbench Input { width: 16; }
    TotpWorkbench Select { width: 36; }
    TotpWorkbench #totp-status { height: auto; padding-top: 1; }
    """

    def __init__(self, context: WorkbenchContext, **kw: Any) -> None:
        super().__init__(**kw)
        self.context = context
        self.pending: tuple[Secret, Secret] | None = None  # (secret, otpauth URI) associated, not yet verified
        self.revealed = False

    @property
    def where(self) -> str:
        return f"{self.context.profile}@{self.context.user}"

    def compose(self) -> ComposeResult:
        yield Static("", id="totp-title")
        yield Static("", id="totp-code")
        yield Static("", id="totp-warning")
        with Vertical(id="totp-setup"):
            yield Static("", id="totp-secret")
            yield Static("", id="totp-qr")
        with Horizontal():
            yield Button("Set up (Associate)", id="totp-associate")
            yield Input(placeholder="code", id="totp-user-code", max_length=6)
            yield Button("Verify", id="totp-verify", variant="primary")
        with Horizontal():
            yield Select(PREFER_CHOICES, value="SOFTWARE_TOKEN_MFA", allow_blank=False, id="totp-prefer")
            yield Button("Set preference", id="totp-prefer-button")
            yield Button("Forget seed", id="totp-forget", variant="error")
        yield Static("", id="totp-status")

    def on_mount(self) -> None:
        self.set_interval(1.0, self.tick)
        self.render_all()

    # --- showing ------------------------------------------------------------------------------------

    def seed(self) -> Secret | None:
        ctx = self.context
        return ctx.vault.seed(ctx.profile, ctx.user, fallback=True) or ctx.profile_seed

    def render_all(self) -> None:
        ctx = self.context
        seed = self.seed()
        token = f"signed in as {ctx.signed_in_as}" if ctx.access_token else "not signed in (ctrl+r on the main screen)"
        kept = "no seed kept for this user yet"
        if seed is not None:
            kept = (
                f"seed kept in the keyring as {self.where}" if seed is not ctx.profile_seed else "seed of the profile"
            )
        self.query_one("#totp-title", Static).update(
            f"[b]TOTP workbench[/b] · profile [b]{escape(ctx.profile)}[/b] · user [b]{escape(ctx.user)}[/b]\n"
            f"{escape(kept)} · last sign-in: {escape(token)}"
        )
        self.render_secret()
        self.tick()

    def tick(self) -> None:
        from cognito_tui.core import totp
        from cognito_tui.core.totp_guard import countdown_bar

        seed = self.seed()
        code_panel = self.query_one("#totp-code", Static)
        warning = self.query_one("#totp-warning", Static)
        if seed is None:
            code_panel.update("[dim]No code: set up TOTP below, or `cognito-tui totp store` keeps an existing seed.[/]")
            warning.update("")
            return
        now = self.context.now()
        left = totp.seconds_left(now)
        code = totp.now_code(seed.value, now)
        from cognito_tui.core.totp_guard import group_by_four

        grouped = group_by_four(seed.value) if self.revealed else " ".join("••••" for _ in range(0, len(seed.value), 4))
        code_panel.update(
            f"current code [b]{code[:3]} {code[3:]}[/b]  {countdown_bar(left)} {left:2d} s left\n"
            f"[dim]seed {escape(grouped)} (ctrl+y {'masks' if self.revealed else 'reveals'}) · ctrl+g on the Walk tab answers SOFTWARE_TOKEN_MFA with it[/]"
        )
        last = self.context.vault.used.last(self.context.profile, self.context.user)
        if last is not None and last >= totp.counter(now):
            nxt = totp.code_at(seed.value, totp.counter(now) + 1)
            warning.update(
                f"⚠ this window's code was already used: Cognito would refuse it as reused. "
                f"ctrl+g on the Walk sends the next window's code ({nxt[:3]} {nxt[3:]}) instead."
            )
        else:
            warning.update("")

    def render_secret(self) -> None:
        from cognito_tui.core.totp_guard import group_by_four

        qr, text = self.query_one("#totp-qr", Static), self.query_one("#totp-secret", Static)
        if self.pending is None:
            qr.update("")
            text.update("")
            return
        secret, uri = self.pending
        if not self.revealed:
            qr.update("")
            masked = " ".join("••••" for _ in range(0, len(secret.value), 4))
            text.update(
                f"[b]New secret[/b]: {masked}\nctrl+y reveals the QR code and the secret; ctrl+t types the code."
            )
            return
        from cognito_tui.tui.widgets.qr import qr_lines

        qr.update("\n".join(qr_lines(uri.value, border=1)))
        text.update(
            f"[b]New secret[/b] (type it, or scan the QR code):\n[b]{escape(group_by_four(secret.value))}[/b]\n\n"
            f"{escape(uri.value)}\n\nThen the app's code, and Verify (ctrl+s)."
        )

    def status(self, text: str) -> None:
        self.query_one("#totp-status", Static).update(text)

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        self.render_secret()
        self.tick()

    # --- actions ------------------------------------------------------------------------------------

    @on(Button.Pressed, "#totp-associate")
    def associate(self) -> None:
        if not self._signed_in():
            return
        self.status("AssociateSoftwareToken…")
        self._associate()

    def _signed_in(self) -> bool:
        if self.context.access_token is None or self.context.caller is None:
            self.notify(
                "Sign in first (ctrl+r): setup outside a sign-in uses the access token of the last sign-in.",
                severity="warning",
            )
            return False
        return True

    def _setup(self) -> Any:
        from cognito_tui.core.totp_setup import TotpSetup

        return TotpSetup(self.context.caller, str(self.context.access_token))

    @work(exclusive=True, group="totp", exit_on_error=False, description="TOTP setup")
    async def _associate(self) -> None:
        from cognito_tui.core.errors import CognitoError, TransportError, explain

        try:
            self.pending = await off_thread(self._setup().associate, self.context.signed_in_as or self.context.user)
        except (CognitoError, TransportError) as exc:
            self.status(f"[b]AssociateSoftwareToken failed[/b]\n{escape(explain(exc).text())}")
            return
        self.render_secret()
        self.status(
            "Secret received: add it to your authenticator (ctrl+y shows the QR), then type its code and Verify."
        )
        self.query_one("#totp-user-code", Input).focus()

    def fill_code(self) -> None:
        """ctrl+t: the code from the new secret (during setup) or the stored seed, the next window's if this one was used."""
        from cognito_tui.core.totp_guard import pick_code

        seed = self.pending[0] if self.pending else self.seed()
        if seed is None:
            self.notify("No secret yet: Set up (Associate) first.", severity="warning")
            return
        last = self.context.vault.used.last(self.context.profile, self.context.user)
        pick = pick_code(seed.value, self.context.now(), last)
        self.query_one("#totp-user-code", Input).value = pick.code
        if pick.note:
            self.status(escape(pick.note))

    @on(Button.Pressed, "#totp-verify")
    @on(Input.Submitted, "#totp-user-code")
    def verify(self) -> None:
        from cognito_tui.core.totp_guard import reuse_warning

        if not self._signed_in():
            return
        if self.pending is None:
            self.notify("Nothing to verify: Set up (Associate) first.", severity="warning")
            return
        code = self.query_one("#totp-user-code", Input).value.strip()
        if len(code) != 6 or not code.isdigit():
            self.status("✗ the code is 6 digits, from the authenticator (or ctrl+t)")
            return
        last = self.context.vault.used.last(self.context.profile, self.context.user)
        warning = reuse_warning(self.pending[0].value, code, self.context.now(), last)
        if warning:
            self.status(f"⚠ {escape(warning)}")
            return
        self.status("VerifySoftwareToken…")
        self._verify(code)

    @work(exclusive=True, group="totp", exit_on_error=False, description="TOTP verification")
    async def _verify(self, code: str) -> None:
        from cognito_tui.core.errors import CognitoError, TransportError, explain
        from cognito_tui.core.totp_guard import step_of

        assert self.pending is not None
        secret = self.pending[0]
        try:
            await off_thread(self._setup().verify, code, "cognito-tui")
        except (CognitoError, TransportError) as exc:
            self.status(f"[b]VerifySoftwareToken refused[/b]\n{escape(explain(exc).text())}")
            return
        ctx = self.context
        await off_thread(ctx.vault.set_seed, ctx.profile, ctx.user, secret.value)
        step = step_of(secret.value, code, ctx.now())
        if step is not None:
            ctx.vault.used.mark(ctx.profile, ctx.user, step)
        self.pending = None
        self.render_all()
        self.status(
            f"✓ Verified: the seed is kept in the keyring as {escape(self.where)}. "
            "Now pick the preferred MFA and Set preference (SetUserMFAPreference)."
        )

    @on(Button.Pressed, "#totp-prefer-button")
    def prefer(self) -> None:
        if not self._signed_in():
            return
        factor = str(self.query_one("#totp-prefer", Select).value)
        self.status(f"SetUserMFAPreference {factor}…")
        self._prefer(factor)

    @work(exclusive=True, group="totp", exit_on_error=False, description="MFA preference")
    async def _prefer(self, factor: str) -> None:
        from cognito_tui.core.errors import CognitoError, TransportError, explain
        from cognito_tui.core.totp_setup import FACTOR_LABELS

        setup = self._setup()
        try:
            await off_thread(setup.prefer, factor)
            settings = await off_thread(setup.mfa_settings)
        except (CognitoError, TransportError) as exc:
            self.status(f"[b]SetUserMFAPreference refused[/b]\n{escape(explain(exc).text())}")
            return
        enabled = ", ".join(settings.get("UserMFASettingList") or []) or "none"
        preferred = settings.get("PreferredMfaSetting") or "none"
        self.status(
            f"✓ {escape(FACTOR_LABELS[factor])} is preferred. Enabled: {escape(enabled)} · preferred: {escape(preferred)}"
        )

    @on(Button.Pressed, "#totp-forget")
    def forget(self) -> None:
        existed = self.context.vault.forget_seed(self.context.profile, self.context.user)
        self.render_all()
        self.status(f"Seed of {escape(self.where)} forgotten." if existed else "No seed was kept for this user.")


def answer_from_seed(screen: Any) -> None:
    """ctrl+g: SOFTWARE_TOKEN_MFA answered from the stored seed in one key (the next window's code if this one was used)."""
    from cognito_tui.core.walk import Challenge

    step = screen.step
    seed = screen._totp_seed()
    if not isinstance(step, Challenge) or step.name != "SOFTWARE_TOKEN_MFA":
        screen.notify("ctrl+g answers SOFTWARE_TOKEN_MFA: there is no such challenge now.", severity="warning")
        return
    if seed is None:
        screen.notify(
            "No TOTP seed kept for this profile and user: the TOTP workbench (t, or the palette) sets one up.",
            severity="warning",
        )
        return
    code, note = screen.vault_hooks.pick(seed)

    def send(pane: Any) -> None:
        pane.query_one("#challenge").set_value("SOFTWARE_TOKEN_MFA_CODE", code)
        if note:
            screen.notify(note, title="TOTP")
        pane.answer()

    screen.send("walk", send)
