"""The operations the sandbox answers itself, by X-Amz-Target name; everything else goes to moto.

Ours: every sign-in call, the MFA and device calls, token calls, GetUser/AdminGetUser (MFA
lists with email), the pool MFA configuration (moto refuses email MFA), and sign-up
confirmation and password recovery (moto accepts any code). Everything else is moto's.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.auth import Authenticator
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Directory, Pool, User, status_name
from cognito_tui.sandbox.outbox import Outbox
from cognito_tui.sandbox.recovery import Recovery
from cognito_tui.sandbox.steps import required

Operation = Callable[[dict[str, Any]], dict[str, Any]]
SECRET_HASH_OPS = ("SignUp", "ConfirmSignUp", "ResendConfirmationCode", "ForgotPassword", "ConfirmForgotPassword")


class Service:
    def __init__(self, directory: Directory, clock: Clock, outbox: Outbox) -> None:
        self.directory = directory
        self.auth = auth = Authenticator(directory, clock, outbox)
        self.tokens = auth.tokens
        self.devices = auth.devices
        self.mfa = auth.mfa
        recovery = Recovery(directory, clock, outbox)
        self.operations: dict[str, Operation] = {
            "InitiateAuth": lambda b: auth.initiate(b, admin=False),
            "AdminInitiateAuth": lambda b: auth.initiate(b, admin=True),
            "RespondToAuthChallenge": lambda b: auth.respond(b, admin=False),
            "AdminRespondToAuthChallenge": lambda b: auth.respond(b, admin=True),
            "AssociateSoftwareToken": auth.answers.associate_software_token,
            "VerifySoftwareToken": auth.answers.verify_software_token,
            "SetUserMFAPreference": self.set_user_mfa_preference,
            "AdminSetUserMFAPreference": self.admin_set_user_mfa_preference,
            "ConfirmDevice": self.confirm_device,
            "UpdateDeviceStatus": self.update_device_status,
            "AdminUpdateDeviceStatus": self.update_device_status,
            "ListDevices": self.list_devices,
            "AdminListDevices": self.list_devices,
            "GetDevice": self.get_device,
            "AdminGetDevice": self.get_device,
            "ForgetDevice": self.forget_device,
            "AdminForgetDevice": self.forget_device,
            "RevokeToken": self.revoke_token,
            "GetTokensFromRefreshToken": self.get_tokens_from_refresh_token,
            "GlobalSignOut": self.global_sign_out,
            "AdminUserGlobalSignOut": self.admin_user_global_sign_out,
            "GetUser": self.get_user,
            "AdminGetUser": self.admin_get_user,
            "GetUserAuthFactors": self.get_user_auth_factors,
            "SignUp": recovery.sign_up,
            "ResendConfirmationCode": recovery.resend_confirmation_code,
            "ConfirmSignUp": recovery.confirm_sign_up,
            "ForgotPassword": recovery.forgot_password,
            "ConfirmForgotPassword": recovery.confirm_forgot_password,
            "GetUserPoolMfaConfig": lambda b: self.mfa.pool_config(self.directory.pool(required(b, "UserPoolId"))),
            "SetUserPoolMfaConfig": lambda b: self.mfa.set_pool_config(
                self.directory.pool(required(b, "UserPoolId")), b
            ),
        }

    def register(self, operation: str, handler: Operation) -> None:
        """Answer `operation` (an X-Amz-Target name) with `handler` instead of moto (or of ours)."""
        self.operations[operation] = handler

    def handle(self, operation: str, body: dict[str, Any]) -> dict[str, Any] | None:
        """The answer to an operation we own; None hands it to moto."""
        if operation in SECRET_HASH_OPS:
            _, client = self.directory.find_client(required(body, "ClientId"))
            self.directory.check_secret_hash(client, str(body.get("Username", "")), body.get("SecretHash"))
        handler = self.operations.get(operation)
        return handler(body) if handler is not None else None

    def after_moto(self) -> None:
        """moto may have changed a password: let the verifiers and temporary-password clocks notice."""
        self.directory.observe_all()

    # --- whose request is it ----------------------------------------------------------------------------

    def _user(self, body: dict[str, Any]) -> tuple[Pool, User]:
        """The user named by an access token, or by UserPoolId + Username for Admin* calls."""
        if "AccessToken" in body or "UserPoolId" not in body:
            pool, user, _ = self.tokens.authorize(required(body, "AccessToken"))
            return pool, user
        pool = self.directory.pool(required(body, "UserPoolId"))
        return pool, self.directory.admin_user(pool, required(body, "Username"))

    # --- MFA preferences ----------------------------------------------------------------------------

    def set_user_mfa_preference(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user({"AccessToken": body.get("AccessToken")})
        self.mfa.set_preference(pool, user, body)
        return {}

    def admin_set_user_mfa_preference(self, body: dict[str, Any]) -> dict[str, Any]:
        pool = self.directory.pool(required(body, "UserPoolId"))
        self.mfa.set_preference(pool, self.directory.admin_user(pool, required(body, "Username")), body)
        return {}

    # --- devices ------------------------------------------------------------------------------------

    def confirm_device(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user({"AccessToken": body.get("AccessToken")})
        required(body, "DeviceKey")
        return self.devices.confirm(pool, user, body)

    def update_device_status(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        self.devices.update_status(pool, user, required(body, "DeviceKey"), body.get("DeviceRememberedStatus"))
        return {}

    def list_devices(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        return self.devices.listing(pool, user, body)

    def get_device(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        return {"Device": self.devices.to_json(self.devices.get(pool, user, required(body, "DeviceKey")))}

    def forget_device(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        self.devices.forget(pool, user, required(body, "DeviceKey"))
        return {}

    # --- tokens -------------------------------------------------------------------------------------

    def _client_with_secret(self, body: dict[str, Any], code: str = "NotAuthorizedException") -> Any:
        """The client of a token call, checking ClientSecret (these calls send the secret itself)."""
        _, client = self.directory.find_client(required(body, "ClientId"))
        secret = self.directory.secret_of(client)
        if secret is not None:
            given = body.get("ClientSecret")
            if not given:
                raise errors.WireError(code, errors.client_secret_missing(client.id).message)
            if given != secret:
                raise errors.WireError(code, errors.secret_wrong(client.id).message)
        return client

    def revoke_token(self, body: dict[str, Any]) -> dict[str, Any]:
        client = self._client_with_secret(body, code="UnauthorizedException")
        if client.extended_config.get("EnableTokenRevocation") is False:
            raise errors.WireError(
                "UnsupportedOperationException", "Token revocation is not enabled for this app client."
            )
        self.tokens.revoke(client, required(body, "Token"))
        return {}

    def get_tokens_from_refresh_token(self, body: dict[str, Any]) -> dict[str, Any]:
        client = self._client_with_secret(body)
        if "ALLOW_REFRESH_TOKEN_AUTH" not in self.directory.allowed_flows(client):
            raise errors.invalid_parameter("Auth flow not enabled for this client")
        return self.tokens.get_tokens_from_refresh_token(client, body)

    def global_sign_out(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user({"AccessToken": body.get("AccessToken")})
        self.tokens.sign_out(pool, user)
        return {}

    def admin_user_global_sign_out(self, body: dict[str, Any]) -> dict[str, Any]:
        pool = self.directory.pool(required(body, "UserPoolId"))
        self.tokens.sign_out(pool, self.directory.admin_user(pool, required(body, "Username")))
        return {}

    # --- users --------------------------------------------------------------------------------------

    def _mfa_fields(self, pool: Pool, user: User) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        preferred = self.directory.state(pool, user).preferred
        if preferred:
            fields["PreferredMfaSetting"] = preferred
        settings = self.directory.mfa_settings(pool, user)
        if settings:
            fields["UserMFASettingList"] = settings
        return fields

    def get_user(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user({"AccessToken": body.get("AccessToken")})
        return {"Username": user.username, "UserAttributes": user.attributes, **self._mfa_fields(pool, user)}

    def admin_get_user(self, body: dict[str, Any]) -> dict[str, Any]:
        pool = self.directory.pool(required(body, "UserPoolId"))
        user = self.directory.admin_user(pool, required(body, "Username"))
        return {
            "Username": user.username,
            "UserAttributes": user.attributes,
            "UserCreateDate": epoch(user.create_date),
            "UserLastModifiedDate": epoch(user.last_modified_date),
            "Enabled": user.enabled,
            "UserStatus": status_name(user),
            **self._mfa_fields(pool, user),
        }

    def get_user_auth_factors(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user({"AccessToken": body.get("AccessToken")})
        factors = ["PASSWORD"]
        attributes = user.attribute_lookup
        if str(attributes.get("email_verified", "")).lower() == "true":
            factors.append("EMAIL_OTP")
        if str(attributes.get("phone_number_verified", "")).lower() == "true":
            factors.append("SMS_OTP")
        if self.directory.state(pool, user).passkey:
            factors.append("WEB_AUTHN")
        return {"Username": user.username, **self._mfa_fields(pool, user), "ConfiguredUserAuthFactors": factors}


def epoch(value: datetime) -> float:
    """moto's naive-UTC datetimes as epoch seconds (botocore parses numbers as timestamps)."""
    if value.tzinfo is None:
        return float(calendar.timegm(value.utctimetuple()))
    return value.timestamp()
