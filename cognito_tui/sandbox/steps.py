"""The steps every sign-in shares: first factor, temporary password, device proof, MFA, tokens.

`Steps` builds the challenges (and their Sessions) that InitiateAuth and the answers lead to.
`answers.py`, `choice.py` (USER_AUTH) and `custom.py` (CUSTOM_AUTH) build on it, and `auth.py`
puts them together; nothing here imports them, so the four form a tree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any

from moto.cognitoidp.models import UserStatus

from cognito_tui.core import srp
from cognito_tui.sandbox import errors, fastsrp
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.devices import Devices
from cognito_tui.sandbox.directory import Directory
from cognito_tui.sandbox.lockout import Lockout
from cognito_tui.sandbox.mfa import Mfa
from cognito_tui.sandbox.outbox import Outbox, mask_email, mask_phone, new_code
from cognito_tui.sandbox.sessions import AuthSession, SessionStore, SignIn
from cognito_tui.sandbox.tokens import TokenService

TIMESTAMP_SKEW = 300.0  # seconds a PASSWORD_VERIFIER TIMESTAMP may differ from the sandbox clock
MFA_CODE_DIGITS = 6


def required(body: dict[str, Any], name: str) -> Any:
    """A request member that must be there and not empty, or Cognito's "Missing required parameter"."""
    value = body.get(name)
    if value in (None, ""):
        raise errors.missing(name)
    return value


def new_secret_block() -> str:
    """A SECRET_BLOCK: opaque, and the key of the verifier step's session (those steps carry no Session)."""
    return base64.b64encode(secrets.token_bytes(96)).decode("ascii")


def delivery_parameters(medium: str, destination: str) -> dict[str, str]:
    masked = mask_phone(destination) if medium == "SMS" else mask_email(destination)
    return {"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": masked}


class Steps:
    """The state a sandbox's sign-ins share (sessions, tokens, lockout, MFA, devices) and the steps on it."""

    def __init__(self, directory: Directory, clock: Clock, outbox: Outbox) -> None:
        self.directory = directory
        self.clock = clock
        self.outbox = outbox
        self.sessions = SessionStore(clock, directory.session_validity)
        self.tokens = TokenService(directory, clock)
        self.lockout = Lockout(directory, clock)
        self.mfa = Mfa(directory, clock)
        self.devices = Devices(directory, clock)
        self._fake_key = secrets.token_bytes(32)  # stable fake salts for users that do not exist

    def challenge(
        self,
        signin: SignIn,
        name: str,
        parameters: dict[str, str],
        data: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A challenge answer; with `token` (a SECRET_BLOCK) the session has no Session string."""
        session = self.sessions.issue(signin, name, data, token=token)
        answer: dict[str, Any] = {"ChallengeName": name}
        if token is None:
            answer["Session"] = session.token
        answer["ChallengeParameters"] = parameters
        answer.update(extra or {})
        return answer

    def deliver(
        self,
        signin: SignIn,
        medium: str,
        destination: str,
        purpose: str,
        digits: int = MFA_CODE_DIGITS,
        code: str | None = None,
    ) -> str:
        """Send a code, that is: put it in the outbox, where the TUI and `cognito-tui sandbox` show it."""
        code = code or new_code(digits)
        user = signin.user
        self.outbox.send(
            pool_id=signin.pool.id,
            username=self.directory.label(signin.pool, user) if user is not None else signin.typed,
            real_username=signin.username,
            medium=medium,
            destination=destination,
            code=code,
            purpose=purpose,
            time=self.clock.now(),
        )
        return code

    def finish(self, signin: SignIn) -> dict[str, Any]:
        """Tokens (and a new device key in device-tracking pools when none was used)."""
        pool, user = signin.pool, signin.user
        assert user is not None
        self.lockout.succeeded(pool, user)
        result = self.tokens.issue(
            pool, signin.client, user, device_key=signin.device_key if signin.device_used else None
        )
        if self.directory.device_configuration(pool) and not signin.device_key:
            result["NewDeviceMetadata"] = self.devices.new_metadata(pool, user)
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    # --- first factor ---------------------------------------------------------------------------------

    def password(self, signin: SignIn, password: str | None) -> dict[str, Any]:
        if password is None:
            raise errors.missing("PASSWORD")
        pool, user = signin.pool, signin.user
        if user is None:
            raise errors.not_authorized()
        self.lockout.check(pool, user)
        if not self.directory.password_matches(user, password):
            raise self.lockout.failed(pool, user)
        return self.after_password(signin)

    def srp_challenge(self, signin: SignIn, srp_a: str | None, data: dict[str, Any] | None = None) -> dict[str, Any]:
        """PASSWORD_VERIFIER: SALT and SRP_B from the stored verifier; no Session, the SECRET_BLOCK is one."""
        if not srp_a:
            raise errors.missing("SRP_A")
        try:
            if int(srp_a, 16) % srp.N == 0:
                raise ValueError
        except ValueError:
            raise errors.invalid_parameter("SRP_A must be a non-zero hexadecimal number modulo N.") from None
        if signin.user is not None:
            salt, verifier = self.directory.verifier(signin.pool, signin.user)
            user_id = signin.user.username
        else:
            user_id = self._fake_user_id(signin)
            fake_salt = int.from_bytes(self._fake_digest(signin)[:16], "big")
            salt, verifier = fastsrp.make_verifier(
                srp.pool_name(signin.pool.id), user_id, secrets.token_hex(16), fake_salt
            )
        server = fastsrp.SrpServer(verifier)
        block = new_secret_block()
        parameters = {
            "SALT": format(salt, "x"),
            "SRP_B": format(server.big_b, "x"),
            "SECRET_BLOCK": block,
            "USER_ID_FOR_SRP": user_id,
            "USERNAME": user_id,
        }
        return self.challenge(
            signin, "PASSWORD_VERIFIER", parameters, {**(data or {}), "srp": server, "srp_a": srp_a}, token=block
        )

    def _fake_digest(self, signin: SignIn) -> bytes:
        return hmac.new(self._fake_key, f"{signin.pool.id}/{signin.typed}".encode(), hashlib.sha256).digest()

    def _fake_user_id(self, signin: SignIn) -> str:
        """What USER_ID_FOR_SRP would look like: a UUID where usernames are UUIDs, else the name."""
        if self.directory.config(signin.pool, "UsernameAttributes"):
            return str(uuid.UUID(bytes=self._fake_digest(signin)[16:32], version=4))
        return signin.typed

    def claim_ok(self, session: AuthSession, responses: dict[str, str], realm: str, user_id: str) -> bool:
        signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")
        stamp = required(responses, "TIMESTAMP")
        try:
            when = srp.parse_timestamp(stamp).timestamp()
            expected = session.data["srp"].expected_signature(
                session.data["srp_a"], realm, user_id, session.token, stamp
            )
        except (ValueError, srp.SrpError):
            return False
        return abs(when - self.clock.now()) <= TIMESTAMP_SKEW and hmac.compare_digest(expected, signature)

    def after_password(self, signin: SignIn) -> dict[str, Any]:
        """The password is proven: temporary password, then device proof, then MFA."""
        pool, user = signin.pool, signin.user
        assert user is not None
        if user.status is UserStatus.UNCONFIRMED:
            raise errors.WireError("UserNotConfirmedException", "User is not confirmed.")
        if user.status is UserStatus.FORCE_CHANGE_PASSWORD:
            age = self.clock.now() - self.directory.state(pool, user).password_set_at
            if age > self.directory.temporary_password_days(pool) * 86400:
                raise errors.not_authorized("Temporary password has expired and must be reset by an administrator.")
            return self.new_password_challenge(signin)
        if signin.device_key:
            return self.challenge(
                signin, "DEVICE_SRP_AUTH", {"USERNAME": user.username}, {"device_key": signin.device_key}
            )
        return self.second_factor(signin)

    # --- NEW_PASSWORD_REQUIRED ------------------------------------------------------------------------

    def new_password_challenge(self, signin: SignIn) -> dict[str, Any]:
        pool, user = signin.pool, signin.user
        assert user is not None
        attributes = {k: v for k, v in self.directory.attributes(user).items() if k != "sub"}
        missing = [a for a in self.directory.required_attributes(pool) if not attributes.get(a)]
        parameters = {
            "USER_ID_FOR_SRP": user.username,
            "requiredAttributes": json.dumps([f"userAttributes.{a}" for a in missing]),
            "userAttributes": json.dumps(attributes),
        }
        return self.challenge(signin, "NEW_PASSWORD_REQUIRED", parameters, {"required": missing})

    # --- MFA ------------------------------------------------------------------------------------------

    def second_factor(self, signin: SignIn) -> dict[str, Any]:
        """The MFA step: none, the one factor, the preferred one, a choice, or setting one up."""
        pool, user = signin.pool, signin.user
        assert user is not None
        if signin.device_used and self.devices.get(pool, user, signin.device_key).remembered:
            return self.finish(signin)
        if pool.mfa_config == "OFF":
            return self.finish(signin)
        offered = self.directory.pool_mfa_factors(pool)
        enabled = [f for f in self.directory.mfa_settings(pool, user) if f in offered]
        if not enabled:
            if pool.mfa_config != "ON":
                return self.finish(signin)
            if "SMS_MFA" in offered and "phone_number" in user.attribute_lookup:
                return self.mfa_challenge(signin, "SMS_MFA")
            parameters = {"MFAS_CAN_SETUP": json.dumps(offered), "USER_ID_FOR_SRP": user.username}
            return self.challenge(signin, "MFA_SETUP", parameters, {"stage": "start", "can": offered})
        preferred = self.directory.state(pool, user).preferred
        if preferred in enabled:
            return self.mfa_challenge(signin, preferred)
        if len(enabled) == 1:
            return self.mfa_challenge(signin, enabled[0])
        parameters = {"MFAS_CAN_CHOOSE": json.dumps(enabled), "USER_ID_FOR_SRP": user.username}
        return self.challenge(signin, "SELECT_MFA_TYPE", parameters, {"choices": enabled})

    def mfa_challenge(self, signin: SignIn, factor: str) -> dict[str, Any]:
        user = signin.user
        assert user is not None
        parameters = {"USER_ID_FOR_SRP": user.username}
        data: dict[str, Any] = {"purpose": "mfa"}
        if factor == "SOFTWARE_TOKEN_MFA":
            name = self.directory.state(signin.pool, user).friendly_device_name
            if name:
                parameters["FRIENDLY_DEVICE_NAME"] = name
            return self.challenge(signin, factor, parameters, data)
        medium = "SMS" if factor == "SMS_MFA" else "EMAIL"
        destination = str(user.attribute_lookup["phone_number" if medium == "SMS" else "email"])
        data["code"] = self.deliver(signin, medium, destination, factor)
        parameters.update(delivery_parameters(medium, destination))
        return self.challenge(signin, factor, parameters, data)
