"""MFA: per-user TOTP secrets and factors, code checks, and the pool's MFA configuration.

TOTP codes are checked against the sandbox clock with one step of skew either side; a code is
refused once its time step (or a later one) has been used, as Cognito refuses a reused code.
"""

from __future__ import annotations

import re
from typing import Any

from cognito_tui.core import totp
from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Directory, Pool, User

SETTINGS_KEYS = {
    "SMSMfaSettings": "SMS_MFA",
    "SoftwareTokenMfaSettings": "SOFTWARE_TOKEN_MFA",
    "EmailMfaSettings": "EMAIL_OTP",
}
_SIX_DIGITS = re.compile(r"^[0-9]{6}$")


class Mfa:
    def __init__(self, directory: Directory, clock: Clock) -> None:
        self.directory = directory
        self.clock = clock

    # --- TOTP -----------------------------------------------------------------------------------------

    def check_totp(self, pool: Pool, user: User, code: str, secret: str | None = None) -> None:
        """Accept a code once: a wrong one is a CodeMismatch, a reused one an ExpiredCode."""
        state = self.directory.state(pool, user)
        secret = secret or state.totp_secret
        step = (
            totp.matching_counter(secret, code, self.clock.now(), skew=1)
            if secret and _SIX_DIGITS.match(code)
            else None
        )
        if step is None:
            raise errors.code_mismatch("Invalid code received for user")
        if step <= state.totp_last_step:
            raise errors.WireError(
                "ExpiredCodeException", "Your software token has already been used once.", keeps_session=True
            )
        state.totp_last_step = step

    def require_pool_totp(self, pool: Pool) -> None:
        if "SOFTWARE_TOKEN_MFA" not in self.directory.pool_mfa_factors(pool):
            raise errors.WireError(
                "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool"
            )

    def associate(self, pool: Pool, user: User) -> str:
        """A fresh secret for the user, pending until VerifySoftwareToken accepts a code from it."""
        self.require_pool_totp(pool)
        secret = totp.new_secret()
        self.directory.state(pool, user).totp_pending = secret
        return secret

    def verify(self, pool: Pool, user: User, code: str, friendly_name: str | None) -> None:
        state = self.directory.state(pool, user)
        if state.totp_pending is None:
            raise errors.invalid_parameter("No software token to verify: call AssociateSoftwareToken first.")
        if not _SIX_DIGITS.match(code or ""):
            raise errors.invalid_parameter(
                f"1 validation error detected: Value '{code}' at 'userCode' failed to satisfy constraint: "
                "Member must satisfy regular expression pattern: [0-9]+"
                if not (code or "").isdigit()
                else f"1 validation error detected: Value '{code}' at 'userCode' failed to satisfy constraint: "
                "Member must have length less than or equal to 6"
            )
        try:
            self.check_totp(pool, user, code, secret=state.totp_pending)
        except errors.WireError as exc:
            if exc.code != "CodeMismatchException":
                raise
            raise errors.WireError(
                "EnableSoftwareTokenMFAException",
                "Code mismatch and fail enable Software Token MFA",
                keeps_session=True,
            ) from None
        state.totp_secret, state.totp_pending, state.totp_verified = state.totp_pending, None, True
        state.friendly_device_name = friendly_name or state.friendly_device_name
        self.directory.mirror_mfa(pool, user)

    # --- the user's factors ---------------------------------------------------------------------------

    def enable(self, pool: Pool, user: User, factor: str, preferred: bool | None = None) -> None:
        state = self.directory.state(pool, user)
        if factor == "SMS_MFA":
            state.sms_enabled = True
        elif factor == "SOFTWARE_TOKEN_MFA":
            state.totp_enabled = True
        else:
            state.email_enabled = True
        if preferred or (preferred is None and state.preferred is None):
            state.preferred = factor
        self.directory.mirror_mfa(pool, user)

    def set_preference(self, pool: Pool, user: User, body: dict[str, Any]) -> None:
        """SetUserMFAPreference / AdminSetUserMFAPreference."""
        state = self.directory.state(pool, user)
        attributes = user.attribute_lookup
        for key, factor in SETTINGS_KEYS.items():
            settings = body.get(key)
            if settings is None:
                continue
            enabled, preferred = settings.get("Enabled"), settings.get("PreferredMfa")
            if enabled:
                if factor == "SOFTWARE_TOKEN_MFA" and not state.totp_verified:
                    raise errors.invalid_parameter("User has not verified software token mfa")
                if factor == "SMS_MFA" and "phone_number" not in attributes:
                    raise errors.invalid_parameter("User does not have a phone number to receive SMS MFA codes.")
                if factor == "EMAIL_OTP":
                    if "EMAIL_OTP" not in self.directory.pool_mfa_factors(pool):
                        raise errors.invalid_parameter("Email MFA is not enabled for this user pool.")
                    if "email" not in attributes:
                        raise errors.invalid_parameter("User does not have an email address to receive MFA codes.")
            if enabled is not None:
                setattr(
                    state,
                    {"SMS_MFA": "sms_enabled", "SOFTWARE_TOKEN_MFA": "totp_enabled", "EMAIL_OTP": "email_enabled"}[
                        factor
                    ],
                    bool(enabled),
                )
                if not enabled and state.preferred == factor:
                    state.preferred = None
            if preferred:
                if factor not in self.directory.mfa_settings(pool, user):
                    raise errors.invalid_parameter(f"{factor} cannot be preferred: it is not enabled for the user.")
                state.preferred = factor
            elif preferred is False and state.preferred == factor:
                state.preferred = None
        self.directory.mirror_mfa(pool, user)

    # --- the pool -------------------------------------------------------------------------------------

    def pool_config(self, pool: Pool) -> dict[str, Any]:
        extra = self.directory.extra(pool)
        config: dict[str, Any] = {
            "SmsMfaConfiguration": pool.sms_mfa_config,
            "SoftwareTokenMfaConfiguration": pool.token_mfa_config or {"Enabled": False},
            "EmailMfaConfiguration": extra.email_mfa,
            "MfaConfiguration": pool.mfa_config,
            "WebAuthnConfiguration": extra.web_authn,
        }
        return {k: v for k, v in config.items() if v is not None}

    def set_pool_config(self, pool: Pool, body: dict[str, Any]) -> dict[str, Any]:
        """SetUserPoolMfaConfig, email MFA included (moto refuses it)."""
        mode = body.get("MfaConfiguration", pool.mfa_config)
        if mode not in ("OFF", "ON", "OPTIONAL"):
            raise errors.enum_error(str(mode), "mfaConfiguration", ["OFF", "ON", "OPTIONAL"])
        extra = self.directory.extra(pool)
        if "SmsMfaConfiguration" in body:
            pool.sms_mfa_config = body["SmsMfaConfiguration"]
        if "SoftwareTokenMfaConfiguration" in body:
            pool.token_mfa_config = body["SoftwareTokenMfaConfiguration"]
        if "EmailMfaConfiguration" in body:
            if self.directory.config(pool, "UserPoolTier", "ESSENTIALS") == "LITE":
                raise errors.WireError(
                    "FeatureUnavailableInTierException", "Email MFA requires the Essentials or Plus feature plan."
                )
            extra.email_mfa = body["EmailMfaConfiguration"]
        if "WebAuthnConfiguration" in body:
            extra.web_authn = body["WebAuthnConfiguration"]
        if mode != "OFF" and not self.directory.pool_mfa_factors(pool):
            raise errors.invalid_parameter("At least one MFA method must be enabled to set MFA to ON or OPTIONAL.")
        pool.mfa_config = mode
        return self.pool_config(pool)
