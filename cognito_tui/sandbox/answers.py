"""The answers to the challenges every flow shares: new password, device proof, MFA codes, MFA setup.

Each `answer_*` takes the live `AuthSession` and the ChallengeResponses and returns the next step
(built by `Steps`) or raises Cognito's error. The PASSWORD_VERIFIER answer lives in `auth.py`,
since a CUSTOM_AUTH sign-in goes back to the triggers after it.
"""

from __future__ import annotations

import hmac
from typing import Any

from cognito_tui.sandbox import errors, fastsrp
from cognito_tui.sandbox.devices import NOT_FOUND
from cognito_tui.sandbox.sessions import AuthSession, SignIn
from cognito_tui.sandbox.steps import Steps, delivery_parameters, new_secret_block, required

CODE_KEYS = {"SMS_MFA": "SMS_MFA_CODE", "EMAIL_OTP": "EMAIL_OTP_CODE", "SMS_OTP": "SMS_OTP_CODE"}


class Answers:
    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.directory = steps.directory
        self.sessions = steps.sessions
        self.tokens = steps.tokens
        self.lockout = steps.lockout
        self.mfa = steps.mfa
        self.devices = steps.devices

    def new_password(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
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
        return self.steps.second_factor(signin)

    # --- devices --------------------------------------------------------------------------------------

    def device_from_verifier(self, signin: SignIn, key: str | None) -> None:
        """amazon-cognito-identity-js and Amplify name the remembered device here, not in InitiateAuth."""
        if not key:
            return
        assert signin.user is not None
        if signin.device_key and key != signin.device_key:
            raise errors.resource_not_found(NOT_FOUND)
        self.devices.get(signin.pool, signin.user, key)
        signin.device_key = key

    def device_srp(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        assert signin.user is not None
        key = required(responses, "DEVICE_KEY")
        if key != session.data["device_key"]:
            raise errors.resource_not_found(NOT_FOUND)
        srp_a = required(responses, "SRP_A")
        device = self.devices.get(signin.pool, signin.user, key)
        server = fastsrp.SrpServer(device.verifier)
        block = new_secret_block()
        parameters = {
            "SALT": format(device.salt, "x"),
            "SRP_B": format(server.big_b, "x"),
            "SECRET_BLOCK": block,
            "USERNAME": signin.user.username,
        }
        data = {"srp": server, "srp_a": srp_a, "device_key": key}
        return self.steps.challenge(signin, "DEVICE_PASSWORD_VERIFIER", parameters, data, token=block)

    def device_verifier(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        assert user is not None
        if responses.get("DEVICE_KEY") != session.data["device_key"]:
            raise errors.resource_not_found(NOT_FOUND)
        device = self.devices.get(pool, user, session.data["device_key"])
        self.lockout.check(pool, user)
        if not self.steps.claim_ok(session, responses, device.group_key, device.key):
            raise self.lockout.failed(pool, user)
        self.devices.authenticated(device)
        signin.device_used = True
        return self.steps.second_factor(signin)

    # --- MFA ------------------------------------------------------------------------------------------

    def code(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
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
        return self.steps.finish(signin)

    def totp(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        assert user is not None
        code = required(responses, "SOFTWARE_TOKEN_MFA_CODE")
        self.lockout.check(pool, user)
        try:
            self.mfa.check_totp(pool, user, code)
        except errors.WireError as exc:
            raise self.lockout.failed(pool, user, exc) from None
        return self.steps.finish(signin)

    def select_mfa(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        answer = required(responses, "ANSWER")
        answer = "EMAIL_OTP" if answer == "EMAIL_MFA" else answer
        if answer not in session.data["choices"]:
            raise errors.invalid_parameter(f"ANSWER must be one of {', '.join(session.data['choices'])}, not {answer}.")
        return self.steps.mfa_challenge(session.signin, answer)

    def mfa_setup(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        assert signin.user is not None
        if session.data["stage"] == "verified":
            self.mfa.enable(signin.pool, signin.user, "SOFTWARE_TOKEN_MFA")
            return self.steps.finish(signin)
        email = responses.get("EMAIL")
        if email and "EMAIL_OTP" in session.data["can"]:
            code = self.steps.deliver(signin, "EMAIL", email, "MFA_SETUP")
            parameters = {**delivery_parameters("EMAIL", email), "USER_ID_FOR_SRP": signin.user.username}
            return self.steps.challenge(
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
            raise errors.WireError(
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
