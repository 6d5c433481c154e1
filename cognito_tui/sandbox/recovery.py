"""Sign-up confirmation and password recovery, with real codes in the outbox.

moto accepts any confirmation code and leaves RESET_REQUIRED users stuck; the demo's `uma`
(UNCONFIRMED) and `rita` (RESET_REQUIRED) need the real thing to be finished: SignUp,
ResendConfirmationCode, ConfirmSignUp, ForgotPassword and ConfirmForgotPassword.
"""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.models import CognitoIdpUser, UserStatus

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.directory import Directory, Pool, User, status_name
from cognito_tui.sandbox.outbox import Outbox, mask_email, mask_phone, new_code
from cognito_tui.sandbox.steps import required

SIGN_UP_CODE_LIFE = 24 * 3600.0  # seconds
RESET_CODE_LIFE = 3600.0
NOT_FOUND = "Username/client id combination not found."
BAD_CODE = "Invalid verification code provided, please try again."
OLD_CODE = "Invalid code provided, please request a code again."


class Recovery:
    def __init__(self, directory: Directory, clock: Clock, outbox: Outbox) -> None:
        self.directory = directory
        self.clock = clock
        self.outbox = outbox
        self._codes: dict[tuple[str, str, str], tuple[str, float]] = {}  # (pool, sub, purpose) -> (code, sent at)

    def _user(self, body: dict[str, Any]) -> tuple[Pool, User]:
        pool, _ = self.directory.find_client(required(body, "ClientId"))
        user = self.directory.find_user(pool, required(body, "Username"))
        if user is None:
            raise errors.WireError("UserNotFoundException", NOT_FOUND)
        return pool, user

    def _send(self, pool: Pool, user: User, purpose: str, channels: list[str]) -> dict[str, str] | None:
        """Send a code to the first channel the user has (email or phone_number); its CodeDeliveryDetails."""
        attributes = user.attribute_lookup
        for attribute in channels:
            destination = attributes.get(attribute)
            if destination:
                medium = "EMAIL" if attribute == "email" else "SMS"
                code = new_code()
                self._codes[(pool.id, user.id, purpose)] = (code, self.clock.now())
                self.outbox.send(pool_id=pool.id, username=self.directory.label(pool, user), real_username=user.username,
                                 medium=medium, destination=destination, code=code, purpose=purpose,
                                 time=self.clock.now())  # fmt: skip
                masked = mask_email(destination) if medium == "EMAIL" else mask_phone(destination)
                return {"Destination": masked, "DeliveryMedium": medium, "AttributeName": attribute}
        return None

    def _check(self, pool: Pool, user: User, purpose: str, code: str, life: float) -> None:
        sent = self._codes.get((pool.id, user.id, purpose))
        if sent is None or sent[0] != code:
            raise errors.WireError("CodeMismatchException", BAD_CODE)
        if self.clock.now() - sent[1] > life:
            raise errors.WireError("ExpiredCodeException", OLD_CODE)
        del self._codes[(pool.id, user.id, purpose)]

    def _sign_up_channels(self, pool: Pool) -> list[str]:
        return [a for a in ("email", "phone_number") if a in self.directory.config(pool, "AutoVerifiedAttributes", [])]

    # --- sign-up ----------------------------------------------------------------------------------

    def sign_up(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, _ = self.directory.find_client(required(body, "ClientId"))
        username, password = required(body, "Username"), required(body, "Password")
        if self.directory.find_user(pool, username) is not None:
            raise errors.WireError("UsernameExistsException", "User already exists")
        self.directory.check_password_policy(pool, password)
        attributes = {a["Name"]: a["Value"] for a in body.get("UserAttributes") or []}
        real: str | None = username
        username_attributes = self.directory.config(pool, "UsernameAttributes", [])
        if username_attributes:
            kind = "email" if "@" in username else "phone_number"
            if kind not in username_attributes:
                raise errors.invalid_parameter("Username should be either an email or a phone number.")
            attributes[kind], real = username, None  # the username becomes the sub
        user = CognitoIdpUser(
            pool.id, real, password, UserStatus.UNCONFIRMED, [{"Name": k, "Value": v} for k, v in attributes.items()]
        )
        pool.users[user.username] = user
        delivery = self._send(pool, user, "SIGN_UP", self._sign_up_channels(pool))
        result: dict[str, Any] = {"UserConfirmed": False, "UserSub": user.id}
        if delivery:
            result["CodeDeliveryDetails"] = delivery
        return result

    def resend_confirmation_code(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        if user.status is not UserStatus.UNCONFIRMED:
            raise errors.invalid_parameter("User is already confirmed.")
        delivery = self._send(pool, user, "SIGN_UP", self._sign_up_channels(pool) or ["email", "phone_number"])
        if delivery is None:
            raise errors.invalid_parameter("The user has no email or phone number to send a code to.")
        return {"CodeDeliveryDetails": delivery}

    def confirm_sign_up(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        if user.status is not UserStatus.UNCONFIRMED:
            raise errors.not_authorized(f"User cannot be confirmed. Current status is {status_name(user)}")
        self._check(pool, user, "SIGN_UP", str(required(body, "ConfirmationCode")), SIGN_UP_CODE_LIFE)
        self.directory.set_status(user, "CONFIRMED")
        verified = [
            a for a in ("email", "phone_number") if a in user.attribute_lookup and a in self._sign_up_channels(pool)
        ]
        if verified:
            user.update_attributes([{"Name": f"{verified[0]}_verified", "Value": "true"}])
        return {}

    # --- forgotten passwords ----------------------------------------------------------------------

    def forgot_password(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, client = self.directory.find_client(required(body, "ClientId"))
        user = self.directory.find_user(pool, required(body, "Username"))
        if user is None:
            if self.directory.hides_existence(client):  # a made-up delivery, as Cognito answers
                return {
                    "CodeDeliveryDetails": {
                        "Destination": "u***@e***",
                        "DeliveryMedium": "EMAIL",
                        "AttributeName": "email",
                    }
                }
            raise errors.WireError("UserNotFoundException", NOT_FOUND)
        if not user.enabled:
            raise errors.not_authorized("User is disabled.")
        attributes = user.attribute_lookup
        channels = [a for a in ("email", "phone_number") if str(attributes.get(f"{a}_verified", "")).lower() == "true"]
        delivery = self._send(pool, user, "FORGOT_PASSWORD", channels)
        if delivery is None:
            raise errors.invalid_parameter(
                "Cannot reset password for the user as there is no registered/verified email or phone_number"
            )
        return {"CodeDeliveryDetails": delivery}

    def confirm_forgot_password(self, body: dict[str, Any]) -> dict[str, Any]:
        pool, user = self._user(body)
        password = required(body, "Password")
        self.directory.check_password_policy(pool, password)
        self._check(pool, user, "FORGOT_PASSWORD", str(required(body, "ConfirmationCode")), RESET_CODE_LIFE)
        user.password = password
        if user.status in (UserStatus.RESET_REQUIRED, UserStatus.FORCE_CHANGE_PASSWORD):
            self.directory.set_status(user, "CONFIRMED")
        self.directory.state(pool, user)
        return {}
