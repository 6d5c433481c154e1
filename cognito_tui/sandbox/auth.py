"""The sign-in state machine: InitiateAuth / RespondToAuthChallenge as Cognito answers them.

One `Authenticator` per sandbox. It checks the request (client, flow, SECRET_HASH, Session), finds
the user, and hands each step to its builder: `steps.py` (what every flow shares), `answers.py`
(the shared challenges' answers), `choice.py` (USER_AUTH) and `custom.py` (CUSTOM_AUTH).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.cognitoidp.models import UserStatus

from cognito_tui.core import srp
from cognito_tui.core.challenges import CHALLENGE_NAMES
from cognito_tui.core.flows import FLOWS, PREFERRED_CHALLENGES, Api
from cognito_tui.sandbox import errors
from cognito_tui.sandbox.answers import Answers
from cognito_tui.sandbox.choice import ChoiceAuth
from cognito_tui.sandbox.clock import Clock
from cognito_tui.sandbox.custom import CustomAuth
from cognito_tui.sandbox.directory import Client, Directory, Pool
from cognito_tui.sandbox.outbox import Outbox
from cognito_tui.sandbox.sessions import AuthSession, SignIn
from cognito_tui.sandbox.steps import Steps, required

Handler = Callable[[AuthSession, dict[str, str]], dict[str, Any]]


class Authenticator:
    def __init__(self, directory: Directory, clock: Clock, outbox: Outbox) -> None:
        self.directory = directory
        self.clock = clock
        self.steps = steps = Steps(directory, clock, outbox)
        self.sessions = steps.sessions
        self.tokens = steps.tokens
        self.lockout = steps.lockout
        self.mfa = steps.mfa
        self.devices = steps.devices
        self.answers = answers = Answers(steps)
        self.choice = ChoiceAuth(steps)
        self.custom = CustomAuth(steps)
        self.handlers: dict[str, Handler] = {
            "PASSWORD_VERIFIER": self._answer_password_verifier,
            "DEVICE_SRP_AUTH": answers.device_srp,
            "DEVICE_PASSWORD_VERIFIER": answers.device_verifier,
            "SMS_MFA": answers.code,
            "EMAIL_OTP": answers.code,
            "SMS_OTP": answers.code,
            "SOFTWARE_TOKEN_MFA": answers.totp,
            "SELECT_MFA_TYPE": answers.select_mfa,
            "MFA_SETUP": answers.mfa_setup,
            "NEW_PASSWORD_REQUIRED": answers.new_password,
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
        if flow not in FLOWS:
            raise errors.enum_error(flow, "authFlow", list(FLOWS))
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
            raise errors.WireError("PasswordResetRequiredException", "Password reset required for the user")
        if signin.device_key:
            self.devices.get(pool, signin.user, signin.device_key)
        if flow == "USER_SRP_AUTH":
            return self.steps.srp_challenge(signin, params.get("SRP_A"))
        if flow == "CUSTOM_AUTH":
            return self.custom.start(signin, params)
        if flow == "USER_AUTH":
            return self.choice.start(signin, params)
        return self.steps.password(signin, params.get("PASSWORD"))

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
            return self.steps.srp_challenge(signin, params.get("SRP_A"))
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
        except errors.WireError as exc:
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

    def _answer_password_verifier(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        pool, user = signin.pool, signin.user
        if user is None:
            required(responses, "PASSWORD_CLAIM_SIGNATURE")
            raise errors.not_authorized()
        self.lockout.check(pool, user)
        if not self.steps.claim_ok(session, responses, srp.pool_name(pool.id), user.username):
            raise self.lockout.failed(pool, user)
        self.answers.device_from_verifier(signin, responses.get("DEVICE_KEY"))
        if signin.flow == "CUSTOM_AUTH":
            return self.custom.after_password_verifier(signin, session)
        return self.steps.after_password(signin)
