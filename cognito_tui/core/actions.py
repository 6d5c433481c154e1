"""What to do with tokens once signed in: refresh, GetUser, revoke, sign out, remember the device."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cognito_tui.core import srp
from cognito_tui.core.errors import CognitoError, ErrorContext, explain
from cognito_tui.core.redact import Secret
from cognito_tui.core.tokens import decode_claims, real_username
from cognito_tui.core.walk import AuthRequest, Caller, DeviceSecrets, Failed, SignedIn, Step, Walk


class TokenActions:
    """Token calls for the sign-in described by `request` (its client, secret, device)."""

    def __init__(self, caller: Caller, request: AuthRequest):
        self.caller = caller
        self.request = request

    def _call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.caller.checked(operation, params)

    def _failed(self, exc: Exception, operation: str) -> Failed:
        ctx = ErrorContext(
            operation=operation,
            flow="REFRESH_TOKEN_AUTH",
            client_id=self.request.client_id,
            has_secret=bool(self.request.client_secret),
        )
        return Failed(exc, explain(exc, ctx))  # type: ignore[arg-type]

    def refresh(self, result: dict[str, Any], rotation: bool = False, device: DeviceSecrets | None = None) -> Step:
        """New tokens from the refresh token in `result`.

        REFRESH_TOKEN_AUTH hashes the token owner's real username (from the claims), and sends the
        DEVICE_KEY of the device that signed in; with rotation, GetTokensFromRefreshToken sends the
        client secret itself and returns a new refresh token.
        """
        token = result.get("RefreshToken")
        if not token:
            raise ValueError("there is no refresh token to use")
        device = device or self.request.device
        claims = decode_claims(result)
        if rotation:
            params: dict[str, Any] = {"RefreshToken": token, "ClientId": self.request.client_id}
            if self.request.client_secret:
                params["ClientSecret"] = str(self.request.client_secret)
            if device:
                params["DeviceKey"] = device.device_key
            if self.request.client_metadata:
                params["ClientMetadata"] = dict(self.request.client_metadata)
            try:
                response = self._call("GetTokensFromRefreshToken", params)
            except Exception as exc:  # CognitoError / TransportError, explained
                return self._failed(exc, "GetTokensFromRefreshToken")
            new = dict(response["AuthenticationResult"])
            return SignedIn(new, decode_claims(new))
        request = replace(
            self.request,
            auth_flow="REFRESH_TOKEN_AUTH",
            username=real_username(claims) or self.request.username,
            refresh_token=Secret(token),
            device=device,
            password=None,
            preferred_challenge=None,
            custom_with_srp=False,
        )
        walk = Walk(self.caller.transport, request, transcript=self.caller.transcript, clock=self.caller.clock)
        step = walk.start()
        if isinstance(step, SignedIn):
            merged = {**step.result}
            merged.setdefault("RefreshToken", token)  # REFRESH_TOKEN_AUTH returns none: keep the old one
            return SignedIn(merged, step.claims)
        return step

    def get_user(self, access_token: str) -> dict[str, Any]:
        return self._call("GetUser", {"AccessToken": access_token})

    def revoke(self, refresh_token: str) -> None:
        params: dict[str, Any] = {"Token": refresh_token, "ClientId": self.request.client_id}
        if self.request.client_secret:
            params["ClientSecret"] = str(self.request.client_secret)
        self._call("RevokeToken", params)

    def global_sign_out(self, access_token: str) -> None:
        self._call("GlobalSignOut", {"AccessToken": access_token})

    def confirm_device(
        self, access_token: str, new_device: dict[str, str], name: str = "cognito-tui", remember: bool = True
    ) -> DeviceSecrets:
        """ConfirmDevice with a fresh device password and verifier; then mark it remembered if asked."""
        device = DeviceSecrets(new_device["DeviceKey"], new_device["DeviceGroupKey"], Secret(srp.device_password()))
        config = srp.device_secret_verifier_config(device.group_key, device.device_key, str(device.password))
        response = self._call(
            "ConfirmDevice",
            {
                "AccessToken": access_token,
                "DeviceKey": device.device_key,
                "DeviceName": name,
                "DeviceSecretVerifierConfig": config,
            },
        )
        if response.get("UserConfirmationNecessary"):
            self.update_device_status(access_token, device.device_key, remember)
        return device

    def update_device_status(self, access_token: str, device_key: str, remember: bool) -> None:
        status = "remembered" if remember else "not_remembered"
        self._call(
            "UpdateDeviceStatus",
            {"AccessToken": access_token, "DeviceKey": device_key, "DeviceRememberedStatus": status},
        )

    def forget_device(self, access_token: str, device_key: str) -> None:
        self._call("ForgetDevice", {"AccessToken": access_token, "DeviceKey": device_key})

    def list_devices(self, access_token: str) -> list[dict[str, Any]]:
        return self._call("ListDevices", {"AccessToken": access_token}).get("Devices", [])

    def set_mfa_preference(self, access_token: str, factor: str, enabled: bool = True, preferred: bool = True) -> None:
        key = {
            "SOFTWARE_TOKEN_MFA": "SoftwareTokenMfaSettings",
            "SMS_MFA": "SMSMfaSettings",
            "EMAIL_OTP": "EmailMfaSettings",
        }[factor]
        self._call(
            "SetUserMFAPreference", {"AccessToken": access_token, key: {"Enabled": enabled, "PreferredMfa": preferred}}
        )


__all__ = ["TokenActions", "CognitoError"]
