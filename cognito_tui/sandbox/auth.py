"""The sign-in state machine: InitiateAuth / RespondToAuthChallenge as Cognito answers them.

One `Authenticator` per sandbox. It checks the request (client, flow, SECRET_HASH, Session), finds
the user, and walks the steps every flow shares: first factor (password or SRP), temporary
password, device proof, MFA, tokens. USER_AUTH lives in `choice.py`, CUSTOM_AUTH in `custom.py`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import UserStatus

from cognito_tui.core import srp
from cognito_tui.core.flows import FLOWS, PREFERRED_CHALLENGES, Api
from cognito_tui.sandbox import errors
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.devices import NOT_FOUND, Devices
from cognito_tui.sandbox.directory import Client, Directory, Pool
from cognito_tui.sandbox.lockout import Lockout
from cognito_tui.sandbox.mfa import Mfa
from cognito_tui.sandbox.outbox import Outbox, mask_email, mask_phone, new_code
from cognito_tui.sandbox.seed import AUTH_FLOWS
from cognito_tui.sandbox.sessions import AuthSession, SessionStore, SignIn
from cognito_tui.sandbox.tokens import TokenService

CHALLENGE_NAMES = [
    "SMS_MFA", "EMAIL_OTP", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP", "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED", "SMS_OTP", "PASSWORD", "WEB_AUTHN", "PASSWORD_SRP",
]  # fmt: skip
CODE_KEYS = {"SMS_MFA": "SMS_MFA_CODE", "EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}
TIMESTAMP_SKEW = 300.0  # seconds a PASSWORD_VERIFIER TIMESTAMP may differ from the sandbox clock
MFA_CODE_DIGITS = 6
Handler = Callable[[AuthSession, dict[str, str]], dict[str, Any]]


def required(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if value in (None, ""):
        raise errors.missing(name)
    return value


class Authenticator:
    def __init__(self, directory: Directory, clock: Clock, outbox: Outbox) -> None:
        from cognito_tui.sandbox.choice import ChoiceAuth
        from cognito_tui.sandbox.custom import CustomAuth

        self.directory = directory
        self.clock = clock
        self.outbox = outbox
        self.sessions = SessionStore(clock, directory.session_validity)
        self.tokens = TokenService(directory, clock)
        self.lockout = Lockout(directory, clock)
        self.mfa = Mfa(directory, clock)
        self.devices = Devices(directory, clock)
        self.choice = ChoiceAuth(self)
        self.custom = CustomAuth(self)
        self._fake_key = secrets.token_bytes(32)  # stable fake salts for users that do not exist
        self.handlers: dict[str, Handler] = {
            "PASSWORD_VERIFIER": self._answer_password_verifier,
            "DEVICE_SRP_AUTH": self._answer_device_srp,
            "DEVICE_PASSWORD_VERIFIER": self._answer_device_verifier,
            "SMS_MFA": self._answer_code,
            "EMAIL_OTP": self._answer_code,
            "SMS_OTP": self._answer_code,
            "SOFTWARE_TOKEN_MFA": self._answer_totp,
            "SELECT_MFA_TYPE": self._answer_select_mfa,
            "MFA_SETUP": self._answer_mfa_setup,
            "NEW_PASSWORD_REQUIRED": self._answer_new_password,
            "CUSTOM_CHALLENGE": self.custom.answer,
            "SELECT_CHALLENGE": self.choice.answer_select,
            "PASSWORD": self.choice.answer_password,
            "PASSWORD_SRP": self.choice.answer_password_srp,
            "WEB_AUTHN": self.choice.answer_web_authn,
        }

    # --- requests -------------------------------------------------------------------------------------

    def _pool_and_client(self, body: dict[str, Any], admin: bool) -> tuple[Pool, Client]:
        client_id = required(body, "ClientId")
        if admin:
            pool = self.directory.pool(required(body, "UserPoolId"))
            return pool, self.directory.client_in(pool, client_id)
        return self.directory.find_client(client_id)

    def initiate(self, body: dict[str, Any], admin: bool) -> dict[str, Any]:
        pool, client = self._pool_and_client(body, admin)
        flow = required(body, "AuthFlow")
        if flow not in AUTH_FLOWS:
            raise errors.enum_error(flow, "authFlow", AUTH_FLOWS)
        self._check_flow(client, flow, admin)
        params = {str(k): str(v) for k, v in (body.get("AuthParameters") or {}).items()}
        if flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            return self.tokens.refresh_auth(client, params)
        typed = required(params, "USERNAME")
        self.directory.check_secret_hash(client, typed, params.get("SECRET_HASH"))
        signin = SignIn(pool, client, flow, admin, typed, device_key=params.get("DEVICE_KEY"))
        signin.user = self.directory.find_user(pool, typed)
        if signin.user is None:
            return self._unknown_user(signin, params)
        if not signin.user.enabled:
            raise errors.not_authorized("User is disabled.")
        if signin.user.status is UserStatus.RESET_REQUIRED:
            raise errors.CognitoError("PasswordResetRequiredException", "Password reset required for the user")
        if signin.device_key:
            self.devices.get(pool, signin.user, signin.device_key)
        if flow == "USER_SRP_AUTH":
            return self.srp_challenge(signin, params.get("SRP_A"))
        if flow == "CUSTOM_AUTH":
            return self.custom.start(signin, params)
        if flow == "USER_AUTH":
            return self.choice.start(signin, params)
        return self.password(signin, params.get("PASSWORD"))

    def _check_flow(self, client: Client, flow: str, admin: bool) -> None:
        spec = FLOWS[flow]
        if (Api.ADMIN if admin else Api.PUBLIC) not in spec.apis:
            raise errors.invalid_parameter("Initiate Auth method not supported.")
        if spec.client_flag not in self.directory.allowed_flows(client):
            if flow == "USER_PASSWORD_AUTH":
                raise errors.invalid_parameter("USER_PASSWORD_AUTH flow not enabled for this client")
            if flow == "USER_SRP_AUTH":
                raise errors.invalid_parameter("USER_SRP_AUTH is not enabled for the client.")
            raise errors.invalid_parameter("Auth flow not enabled for this client")

    def _unknown_user(self, signin: SignIn, params: dict[str, str]) -> dict[str, Any]:
        """LEGACY clients say so; ENABLED ones play the flow out and fail where a wrong password would."""
        if not self.directory.hides_existence(signin.client):
            raise errors.user_not_found()
        if signin.flow == "USER_SRP_AUTH":
            return self.srp_challenge(signin, params.get("SRP_A"))
        if signin.flow == "USER_AUTH":
            return self.choice.start(signin, params)
        if signin.flow == "CUSTOM_AUTH":
            return self.custom.start(signin, params)
        raise errors.not_authorized()

    def respond(self, body: dict[str, Any], admin: bool) -> dict[str, Any]:
        pool, client = self._pool_and_client(body, admin)
        name = required(body, "ChallengeName")
        if name not in CHALLENGE_NAMES:
            raise errors.enum_error(name, "challengeName", CHALLENGE_NAMES)
        responses = {str(k): str(v) for k, v in (body.get("ChallengeResponses") or {}).items()}
        session = self._session_for(name, body, responses, client)
        signin = session.signin
        if signin.client is not client or signin.pool is not pool:
            raise errors.session_invalid()
        if session.challenge == "SELECT_CHALLENGE" and name in PREFERRED_CHALLENGES:
            responses.setdefault("ANSWER", name)  # answering the selection by naming the factor
            name = "SELECT_CHALLENGE"
        if session.challenge != name:
            raise errors.invalid_parameter(f"This Session is for the {session.challenge} challenge, not {name}.")
        username = required(responses, "USERNAME")
        if not self._same_user(signin, username):
            raise errors.not_authorized()
        self.directory.check_secret_hash(client, signin.username, responses.get("SECRET_HASH"))
        if signin.user is not None and not signin.user.enabled:
            raise errors.not_authorized("User is disabled.")
        signin.client_metadata = {str(k): str(v) for k, v in (body.get("ClientMetadata") or {}).items()}
        try:
            result = self.handlers[name](session, responses)
        except errors.CognitoError as exc:
            session.used = session.used or not exc.keeps_session
            raise
        session.used = True
        return result

    def _session_for(self, name: str, body: dict[str, Any], responses: dict[str, str], client: Client) -> AuthSession:
        if name in ("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER"):  # the SECRET_BLOCK is their session
            block = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")
            return self.sessions.get(block, unknown=errors.not_authorized())
        token = body.get("Session")
        if not token and name == "DEVICE_SRP_AUTH":  # some clients (pycognito) send no Session here
            found = self.sessions.find(
                lambda s: (
                    s.challenge == "DEVICE_SRP_AUTH"
                    and s.signin.client is client
                    and s.data.get("device_key") == responses.get("DEVICE_KEY")
                )
            )
            if found is not None:
                return found
        if not token:
            raise errors.missing("Session")
        return self.sessions.get(token)

    def _same_user(self, signin: SignIn, username: str) -> bool:
        if username in (signin.username, signin.typed):
            return True
        return signin.user is not None and self.directory.find_user(signin.pool, username) is signin.user

    # --- building answers -----------------------------------------------------------------------------

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
            salt, verifier = srp.make_verifier(srp.pool_name(signin.pool.id), user_id, secrets.token_hex(16), fake_salt)
        server = srp.SrpServer(verifier)
        block = base64.b64encode(secrets.token_bytes(96)).decode("ascii")
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

    def _claim_ok(self, session: AuthSession, responses: dict[str, str], realm: str, user_id: str) -> bool:
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

    def _answer_password_verifier(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        if user is None:
            required(responses, "PASSWORD_CLAIM_SIGNATURE")
            raise errors.not_authorized()
        self.lockout.check(pool, user)
        if not self._claim_ok(session, responses, srp.pool_name(pool.id), user.username):
            raise self.lockout.failed(pool, user)
        self._device_from_verifier(signin, responses.get("DEVICE_KEY"))
        if signin.flow == "CUSTOM_AUTH":
            return self.custom.after_password_verifier(signin, session)
        return self.after_password(signin)

    def _device_from_verifier(self, signin: SignIn, key: str | None) -> None:
        """amazon-cognito-identity-js and Amplify name the remembered device here, not in InitiateAuth."""
        if not key:
            return
        assert signin.user is not None
        if signin.device_key and key != signin.device_key:
            raise errors.resource_not_found(NOT_FOUND)
        self.devices.get(signin.pool, signin.user, key)
        signin.device_key = key

    def after_password(self, signin: SignIn) -> dict[str, Any]:
        """The password is proven: temporary password, then device proof, then MFA."""
        pool, user = signin.pool, signin.user
        assert user is not None
        if user.status is UserStatus.UNCONFIRMED:
            raise errors.CognitoError("UserNotConfirmedException", "User is not confirmed.")
        if user.status is UserStatus.FORCE_CHANGE_PASSWORD:
            age = self.clock.now() - self.directory.state(pool, user).password_set_at
            if age > self.directory.temporary_password_days(pool) * 86400:
                raise errors.not_authorized("Temporary password has expired and must be reset by an administrator.")
            return self._new_password_challenge(signin)
        if signin.device_key:
            return self.challenge(
                signin, "DEVICE_SRP_AUTH", {"USERNAME": user.username}, {"device_key": signin.device_key}
            )
        return self.second_factor(signin)

    # --- NEW_PASSWORD_REQUIRED ------------------------------------------------------------------------

    def _new_password_challenge(self, signin: SignIn) -> dict[str, Any]:
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

    def _answer_new_password(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        assert user is not None
        new_password = required(responses, "NEW_PASSWORD")
        given = {k.split(".", 1)[1]: v for k, v in responses.items() if k.startswith("userAttributes.")}
        for name in session.data["required"]:
            if not given.get(name):
                raise errors.invalid_parameter(f"Invalid attributes given, {name} is missing")
        for name in given:
            attribute = pool.schema_attributes.get(name)
            if attribute is None:
                raise errors.invalid_parameter(f"user.{name}: Attribute does not exist in the schema.")
            if not attribute.mutable and name in user.attribute_lookup:
                raise errors.invalid_parameter(f"user.{name}: Attribute cannot be updated.")
        self.directory.check_password_policy(pool, new_password)
        if given:
            user.update_attributes([{"Name": k, "Value": v} for k, v in given.items()])
        user.password = new_password
        self.directory.set_status(user, "CONFIRMED")
        self.directory.state(pool, user)
        return self.second_factor(signin)

    # --- devices --------------------------------------------------------------------------------------

    def _answer_device_srp(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        assert signin.user is not None
        key = required(responses, "DEVICE_KEY")
        if key != session.data["device_key"]:
            raise errors.resource_not_found(NOT_FOUND)
        srp_a = required(responses, "SRP_A")
        device = self.devices.get(signin.pool, signin.user, key)
        server = srp.SrpServer(device.verifier)
        block = base64.b64encode(secrets.token_bytes(96)).decode("ascii")
        parameters = {
            "SALT": format(device.salt, "x"),
            "SRP_B": format(server.big_b, "x"),
            "SECRET_BLOCK": block,
            "USERNAME": signin.user.username,
        }
        data = {"srp": server, "srp_a": srp_a, "device_key": key}
        return self.challenge(signin, "DEVICE_PASSWORD_VERIFIER", parameters, data, token=block)

    def _answer_device_verifier(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        assert user is not None
        if responses.get("DEVICE_KEY") != session.data["device_key"]:
            raise errors.resource_not_found(NOT_FOUND)
        device = self.devices.get(pool, user, session.data["device_key"])
        self.lockout.check(pool, user)
        if not self._claim_ok(session, responses, device.group_key, device.key):
            raise self.lockout.failed(pool, user)
        self.devices.authenticated(device)
        signin.device_used = True
        return self.second_factor(signin)

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

    def _answer_code(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        """SMS_MFA, EMAIL_OTP (MFA, MFA setup or passwordless) and SMS_OTP: the code sent for this session."""
        signin = session.signin
        pool, user = signin.pool, signin.user
        key = CODE_KEYS[session.challenge]
        code = required(responses, key)
        if user is None:
            raise errors.code_mismatch()
        self.lockout.check(pool, user)
        expected = session.data.get("code") or ""
        if not hmac.compare_digest(code.encode(), expected.encode()):
            raise self.lockout.failed(pool, user, errors.code_mismatch())
        if session.data.get("purpose") == "setup_email":
            user.update_attributes(
                [{"Name": "email", "Value": session.data["email"]}, {"Name": "email_verified", "Value": "true"}]
            )
            self.mfa.enable(pool, user, "EMAIL_OTP")
        return self.finish(signin)

    def _answer_totp(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        assert user is not None
        code = required(responses, "SOFTWARE_TOKEN_MFA_CODE")
        self.lockout.check(pool, user)
        try:
            self.mfa.check_totp(pool, user, code)
        except errors.CognitoError as exc:
            raise self.lockout.failed(pool, user, exc) from None
        return self.finish(signin)

    def _answer_select_mfa(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        answer = required(responses, "ANSWER")
        answer = "EMAIL_OTP" if answer == "EMAIL_MFA" else answer
        if answer not in session.data["choices"]:
            raise errors.invalid_parameter(f"ANSWER must be one of {', '.join(session.data['choices'])}, not {answer}.")
        return self.mfa_challenge(session.signin, answer)

    def _answer_mfa_setup(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        assert signin.user is not None
        if session.data["stage"] == "verified":
            self.mfa.enable(signin.pool, signin.user, "SOFTWARE_TOKEN_MFA")
            return self.finish(signin)
        email = responses.get("EMAIL")
        if email and "EMAIL_OTP" in session.data["can"]:
            code = self.deliver(signin, "EMAIL", email, "MFA_SETUP")
            parameters = {**delivery_parameters("EMAIL", email), "USER_ID_FOR_SRP": signin.user.username}
            return self.challenge(
                signin, "EMAIL_OTP", parameters, {"code": code, "purpose": "setup_email", "email": email}
            )
        if session.data["stage"] == "associated":
            raise errors.invalid_parameter(
                "The software token is not verified yet: call VerifySoftwareToken with this Session first."
            )
        raise errors.invalid_parameter(
            "MFA_SETUP needs a verified software token (AssociateSoftwareToken, then VerifySoftwareToken, "
            "then this answer with the Session they return) or an EMAIL to set up email MFA."
        )

    def associate_software_token(self, body: dict[str, Any]) -> dict[str, Any]:
        """With an access token: a secret for later; with an MFA_SETUP Session: the next link of the chain."""
        if bool(body.get("AccessToken")) == bool(body.get("Session")):
            raise errors.invalid_parameter("Send either an AccessToken or a Session.")
        if body.get("AccessToken"):
            pool, user, _ = self.tokens.authorize(body["AccessToken"])
            return {"SecretCode": self.mfa.associate(pool, user)}
        session = self.sessions.get(body["Session"])
        if session.challenge != "MFA_SETUP" or session.data["stage"] == "verified":
            raise errors.session_invalid()
        signin = session.signin
        assert signin.user is not None
        if "SOFTWARE_TOKEN_MFA" not in session.data["can"]:
            raise errors.CognitoError(
                "SoftwareTokenMFANotFoundException", "Software Token MFA has not been enabled by the userPool"
            )
        secret = self.mfa.associate(signin.pool, signin.user)
        session.used = True
        following = self.sessions.issue(signin, "MFA_SETUP", {**session.data, "stage": "associated"})
        return {"SecretCode": secret, "Session": following.token}

    def verify_software_token(self, body: dict[str, Any]) -> dict[str, Any]:
        code = str(required(body, "UserCode"))
        friendly = body.get("FriendlyDeviceName")
        if bool(body.get("AccessToken")) == bool(body.get("Session")):
            raise errors.invalid_parameter("Send either an AccessToken or a Session.")
        if body.get("AccessToken"):
            pool, user, _ = self.tokens.authorize(body["AccessToken"])
            self.mfa.verify(pool, user, code, friendly)
            return {"Status": "SUCCESS"}
        session = self.sessions.get(body["Session"])
        if session.challenge != "MFA_SETUP" or session.data["stage"] != "associated":
            raise errors.session_invalid()
        signin = session.signin
        assert signin.user is not None
        self.mfa.verify(signin.pool, signin.user, code, friendly)
        session.used = True
        following = self.sessions.issue(signin, "MFA_SETUP", {**session.data, "stage": "verified"})
        return {"Status": "SUCCESS", "Session": following.token}


def delivery_parameters(medium: str, destination: str) -> dict[str, str]:
    masked = mask_phone(destination) if medium == "SMS" else mask_email(destination)
    return {"CODE_DELIVERY_DELIVERY_MEDIUM": medium, "CODE_DELIVERY_DESTINATION": masked}
