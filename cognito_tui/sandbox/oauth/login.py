"""The /login page's sign-in: the pool's real checks through the sandbox's own auth layer.

Password, lockout, temporary passwords (NEW_PASSWORD_REQUIRED), and MFA (SMS and email codes land in
the outbox; TOTP from the seed) run exactly as for InitiateAuth; only the ending differs: instead
of API tokens the browser gets a managed-login session cookie and a code for the callback.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

from moto.cognitoidp.models import UserStatus

from cognito_tui.core import srp
from cognito_tui.sandbox import errors
from cognito_tui.sandbox.oauth import pages
from cognito_tui.sandbox.oauth.authorize import AuthorizeRequest
from cognito_tui.sandbox.sessions import SignIn

SSO_LIFETIME = 3600.0  # the `cognito` cookie: 1 h after the last interactive sign-in
FLOW_LIFETIME = 300.0  # "unfinished after 5 min -> Something went wrong"
CODE_FIELDS = {
    "SMS_MFA": "SMS_MFA_CODE",
    "EMAIL_OTP": "EMAIL_OTP_CODE",
    "SOFTWARE_TOKEN_MFA": "SOFTWARE_TOKEN_MFA_CODE",
}


@dataclass
class SsoSession:
    pool_id: str
    username: str
    auth_time: int
    expires_at: float
    session_id: str
    client_id: str


@dataclass
class PageFlow:
    """A sign-in on the page waiting for a challenge answer."""

    id: str
    request: AuthorizeRequest
    challenge: str
    session: str
    username: str
    parameters: dict[str, str]
    started_at: float


class LoginPages:
    def __init__(self, auth: Any, clock: Any) -> None:
        self.auth = auth
        self.clock = clock
        self.sso: dict[str, SsoSession] = {}
        self.flows: dict[str, PageFlow] = {}

    # --- sessions -------------------------------------------------------------------------------------

    def session_for(self, cookie: str | None, pool_id: str) -> SsoSession | None:
        session = self.sso.get(cookie or "")
        if session is None or session.pool_id != pool_id or self.clock.now() >= session.expires_at:
            return None
        return session

    def new_session(self, pool_id: str, username: str, client_id: str) -> tuple[str, SsoSession]:
        cookie = secrets.token_urlsafe(32)
        now = self.clock.now()
        session = SsoSession(pool_id, username, int(now), now + SSO_LIFETIME, "sso" + _sid(), client_id)
        self.sso[cookie] = session
        return cookie, session

    def end_session(self, cookie: str | None) -> None:
        self.sso.pop(cookie or "", None)

    def live_sessions(self, pool_id: str, username: str) -> list[SsoSession]:
        now = self.clock.now()
        return [s for s in self.sso.values() if s.pool_id == pool_id and s.username == username and now < s.expires_at]

    def end_by_id(self, session_id: str) -> None:
        for cookie, session in list(self.sso.items()):
            if session.session_id == session_id:
                del self.sso[cookie]

    # --- signing in -------------------------------------------------------------------------------------

    def password(self, request: AuthorizeRequest, username: str, password: str) -> tuple[str, Any]:
        """("done", user) | ("challenge", PageFlow) | ("error", message)."""
        pool, client = request.pool, request.client
        signin = SignIn(pool, client, "USER_PASSWORD_AUTH", False, username)
        signin.user = self.auth.directory.find_user(pool, username)
        user = signin.user
        if user is None:
            return "error", "Incorrect username or password."
        if not user.enabled:
            return "error", "User is disabled."
        if user.status is UserStatus.RESET_REQUIRED:
            return "error", "Password reset required for the user"
        try:
            answer = self.auth.steps.password(signin, password)
        except errors.WireError as exc:
            return "error", _page_message(exc)
        return self._next(request, signin.username, answer)

    def answer(self, flow: PageFlow, form: dict[str, str]) -> tuple[str, Any]:
        responses = {"USERNAME": flow.username}
        name = flow.challenge
        if name in CODE_FIELDS:
            responses[CODE_FIELDS[name]] = form.get("code", "").strip()
        elif name == "NEW_PASSWORD_REQUIRED":
            responses["NEW_PASSWORD"] = form.get("new_password", "")
            for attribute in json.loads(flow.parameters.get("requiredAttributes", "[]")):
                key = attribute.split(".", 1)[1]
                responses[attribute] = form.get(key, "")
        elif name == "SELECT_MFA_TYPE":
            responses["ANSWER"] = form.get("choice", "")
        elif name == "MFA_SETUP":
            return self._setup_answer(flow, form.get("code", "").strip())
        client = flow.request.client
        secret = self.auth.directory.secret_of(client)
        if secret:
            responses["SECRET_HASH"] = srp.secret_hash(flow.username, client.id, secret)
        body = {"ClientId": client.id, "ChallengeName": name, "Session": flow.session, "ChallengeResponses": responses}
        try:
            answer = self.auth.respond(body, admin=False)
        except errors.WireError as exc:
            if exc.keeps_session:
                return "again", _page_message(exc)
            self.flows.pop(flow.id, None)
            return "error", _page_message(exc)
        self.flows.pop(flow.id, None)
        return self._next(flow.request, flow.username, answer)

    def flow(self, flow_id: str) -> PageFlow | None:
        flow = self.flows.get(flow_id)
        if flow is None or self.clock.now() - flow.started_at > FLOW_LIFETIME:
            return None
        return flow

    def _next(self, request: AuthorizeRequest, username: str, answer: dict[str, Any]) -> tuple[str, Any]:
        result = answer.get("AuthenticationResult")
        if result is not None:
            # The API tokens the auth layer minted are not what managed login hands out: drop them.
            self.auth.tokens.revoke(request.client, result["RefreshToken"])
            user = request.pool.users.get(username)
            return ("done", user) if user is not None else ("error", "User does not exist.")
        parameters = {k: str(v) for k, v in (answer.get("ChallengeParameters") or {}).items()}
        if answer.get("ChallengeName") == "MFA_SETUP":
            return self._setup(request, username, answer.get("Session", ""), parameters)
        flow = PageFlow(secrets.token_urlsafe(24), request, answer["ChallengeName"], answer.get("Session", ""),
                        parameters.get("USER_ID_FOR_SRP") or username, parameters, self.clock.now())  # fmt: skip
        self.flows[flow.id] = flow
        return "challenge", flow

    # --- MFA setup: an authenticator app, as managed login offers it ------------------------------------

    def _setup(
        self, request: AuthorizeRequest, username: str, session: str, parameters: dict[str, str]
    ) -> tuple[str, Any]:
        """MFA_SETUP: AssociateSoftwareToken on the challenge's Session; the page shows the secret and asks a code."""
        if "SOFTWARE_TOKEN_MFA" not in json.loads(parameters.get("MFAS_CAN_SETUP", "[]")):
            return "error", "MFA setup on this page is for an authenticator app, which this pool does not offer."
        try:
            associated = self.auth.answers.associate_software_token({"Session": session})
        except errors.WireError as exc:
            return "error", _page_message(exc)
        user = parameters.get("USER_ID_FOR_SRP") or username
        parameters = {**parameters, "SECRET_CODE": associated["SecretCode"]}
        flow = PageFlow(secrets.token_urlsafe(24), request, "MFA_SETUP", associated["Session"], user, parameters,
                        self.clock.now())  # fmt: skip
        self.flows[flow.id] = flow
        return "challenge", flow

    def _setup_answer(self, flow: PageFlow, code: str) -> tuple[str, Any]:
        """VerifySoftwareToken with the code, then RespondToAuthChallenge(MFA_SETUP): signed in, factor on."""
        try:
            verified = self.auth.answers.verify_software_token({"Session": flow.session, "UserCode": code,
                                                                "FriendlyDeviceName": "managed login"})  # fmt: skip
        except errors.WireError as exc:
            if exc.keeps_session or exc.code == "InvalidParameterException":
                return "again", _page_message(exc)
            self.flows.pop(flow.id, None)
            return "error", _page_message(exc)
        self.flows.pop(flow.id, None)
        client = flow.request.client
        responses = {"USERNAME": flow.username}
        secret = self.auth.directory.secret_of(client)
        if secret:
            responses["SECRET_HASH"] = srp.secret_hash(flow.username, client.id, secret)
        body = {"ClientId": client.id, "ChallengeName": "MFA_SETUP", "Session": verified["Session"],
                "ChallengeResponses": responses}  # fmt: skip
        try:
            answer = self.auth.respond(body, admin=False)
        except errors.WireError as exc:
            return "error", _page_message(exc)
        return self._next(flow.request, flow.username, answer)

    def render(self, action: str, flow: PageFlow, message: str | None = None) -> str:
        name, parameters = flow.challenge, flow.parameters
        if name == "MFA_SETUP":
            return pages.totp_setup_form(action, flow.id, flow.username, parameters["SECRET_CODE"], message)
        if name in ("SMS_MFA", "EMAIL_OTP"):
            where = parameters.get("CODE_DELIVERY_DESTINATION", "you")
            return pages.challenge_form(action, flow.id, name, f"We sent a code to {where}.",
                                        [("code", "Code", "text")], message)  # fmt: skip
        if name == "SOFTWARE_TOKEN_MFA":
            return pages.challenge_form(action, flow.id, name, "Enter the 6-digit code from your authenticator app.",
                                        [("code", "Code", "text")], message)  # fmt: skip
        if name == "NEW_PASSWORD_REQUIRED":
            fields = [("new_password", "New password", "password")]
            for attribute in json.loads(parameters.get("requiredAttributes", "[]")):
                key = attribute.split(".", 1)[1]
                fields.append((key, key.replace("_", " ").capitalize(), "text"))
            return pages.challenge_form(action, flow.id, name, "Your temporary password must be changed.", fields,
                                        message)  # fmt: skip
        if name == "SELECT_MFA_TYPE":
            choices = json.loads(parameters.get("MFAS_CAN_CHOOSE", "[]"))
            return pages.challenge_form(action, flow.id, name, "Choose a second factor.", [], message, choices)
        return pages.error_page("Something went wrong.", f"The {name} challenge is not offered on this page.")


def _page_message(exc: errors.WireError) -> str:
    if exc.code == "NotAuthorizedException" and exc.message == "Incorrect username or password.":
        return "Incorrect username or password."
    return exc.message or exc.code


def _sid() -> str:
    return "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(25))
