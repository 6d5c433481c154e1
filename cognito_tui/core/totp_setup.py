"""TOTP setup outside a sign-in (protocol 2.2, the AccessToken way), and remembering a device.

AssociateSoftwareToken(AccessToken) gives a SecretCode; VerifySoftwareToken(AccessToken, UserCode)
enables it; SetUserMFAPreference makes a factor (TOTP, email or SMS) enabled and preferred.
Remembering a device is ConfirmDevice and then UpdateDeviceStatus remembered, always both.
"""

from __future__ import annotations

from typing import Any

from cognito_tui.core.caller import Caller
from cognito_tui.core.errors import CognitoError
from cognito_tui.core.redact import Secret
from cognito_tui.core.request import DeviceSecrets
from cognito_tui.core.totp import otpauth_uri

FACTORS = {
    "SOFTWARE_TOKEN_MFA": "SoftwareTokenMfaSettings",
    "EMAIL_OTP": "EmailMfaSettings",
    "SMS_MFA": "SMSMfaSettings",
}
FACTOR_LABELS = {"SOFTWARE_TOKEN_MFA": "TOTP (authenticator app)", "EMAIL_OTP": "email code", "SMS_MFA": "SMS code"}


class TotpSetup:
    """The calls of a guided setup, made with one access token."""

    def __init__(self, caller: Caller, access_token: str) -> None:
        self.caller = caller
        self.access_token = access_token

    def associate(self, account: str) -> tuple[Secret, Secret]:
        """A new secret for the user (pending until verified) and its otpauth:// URI."""
        response = self.caller.checked("AssociateSoftwareToken", {"AccessToken": self.access_token})
        code = response.get("SecretCode")
        if not isinstance(code, str) or not code:
            raise CognitoError("UnexpectedResponse", "AssociateSoftwareToken answered without a SecretCode")
        return Secret(code), Secret(otpauth_uri(code, account))

    def verify(self, code: str, friendly_name: str | None = None) -> None:
        params = {"AccessToken": self.access_token, "UserCode": code, "FriendlyDeviceName": friendly_name}
        response = self.caller.checked("VerifySoftwareToken", params)
        if response.get("Status") != "SUCCESS":
            raise CognitoError(
                "EnableSoftwareTokenMFAException",
                "Code mismatch and fail enable Software Token MFA",
                "VerifySoftwareToken",
            )

    def prefer(self, factor: str, enabled: bool = True, preferred: bool = True) -> None:
        """SetUserMFAPreference for one factor: SOFTWARE_TOKEN_MFA, EMAIL_OTP or SMS_MFA."""
        if factor not in FACTORS:
            raise ValueError(f"unknown MFA factor {factor!r}; one of {', '.join(FACTORS)}")
        settings = {"Enabled": enabled, "PreferredMfa": preferred and enabled}
        self.caller.checked("SetUserMFAPreference", {"AccessToken": self.access_token, FACTORS[factor]: settings})

    def mfa_settings(self) -> dict[str, Any]:
        """GetUser's view of the factors: UserMFASettingList and PreferredMfaSetting."""
        user = self.caller.checked("GetUser", {"AccessToken": self.access_token})
        return {k: user.get(k) for k in ("UserMFASettingList", "PreferredMfaSetting") if user.get(k) is not None}


def remember_device(caller: Caller, access_token: str, new_device: dict[str, str], name: str) -> DeviceSecrets:
    """ConfirmDevice with a fresh device password and verifier, then UpdateDeviceStatus remembered."""
    from cognito_tui.core import srp

    device = DeviceSecrets(new_device["DeviceKey"], new_device["DeviceGroupKey"], Secret(srp.device_password()))
    config = srp.device_secret_verifier_config(device.group_key, device.device_key, str(device.password))
    caller.checked(
        "ConfirmDevice",
        {
            "AccessToken": access_token,
            "DeviceKey": device.device_key,
            "DeviceName": name,
            "DeviceSecretVerifierConfig": config,
        },
    )
    caller.checked(
        "UpdateDeviceStatus",
        {"AccessToken": access_token, "DeviceKey": device.device_key, "DeviceRememberedStatus": "remembered"},
    )
    return device
