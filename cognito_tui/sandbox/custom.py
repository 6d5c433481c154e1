"""CUSTOM_AUTH: the Define, Create and Verify triggers of the pool, called as Cognito calls the Lambdas.

The `session` history the triggers see grows by one entry per answered challenge
(`{"challengeName", "challengeResult", "challengeMetadata"}`). With `CHALLENGE_NAME=SRP_A` the
history starts with an SRP_A entry and Define is expected to ask for PASSWORD_VERIFIER first.
ClientMetadata reaches the triggers only from RespondToAuthChallenge, as in Cognito.
"""

from __future__ import annotations

from typing import Any

from cognito_tui.sandbox import errors
from cognito_tui.sandbox.directory import status_name
from cognito_tui.sandbox.sessions import AuthSession, SignIn
from cognito_tui.sandbox.steps import Steps, required
from cognito_tui.sandbox.triggers import TriggerContext

NOT_CONFIGURED = "Custom auth lambda trigger is not configured for the user pool."
_LABELS = {
    "define_auth_challenge": ("DefineAuthChallenge", "DefineAuthChallenge_Authentication"),
    "create_auth_challenge": ("CreateAuthChallenge", "CreateAuthChallenge_Authentication"),
    "verify_auth_challenge_response": ("VerifyAuthChallengeResponse", "VerifyAuthChallengeResponse_Authentication"),
}


def _entry(name: str, result: bool, metadata: str | None = None) -> dict[str, Any]:
    return {"challengeName": name, "challengeResult": result, "challengeMetadata": metadata}


class CustomAuth:
    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.directory = steps.directory

    def start(self, signin: SignIn, params: dict[str, str]) -> dict[str, Any]:
        if len(self.directory.extra(signin.pool).triggers) < len(_LABELS):
            raise errors.invalid_parameter(NOT_CONFIGURED)
        history: list[dict[str, Any]] = []
        srp_a = None
        if params.get("CHALLENGE_NAME") == "SRP_A":
            srp_a = required(params, "SRP_A")
            history.append(_entry("SRP_A", True))
        return self._next(signin, history, srp_a)

    def after_password_verifier(self, signin: SignIn, session: AuthSession) -> dict[str, Any]:
        return self._next(signin, [*session.data["history"], _entry("PASSWORD_VERIFIER", True)])

    def answer(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        signin = session.signin
        request = {
            "privateChallengeParameters": session.data["private"],
            "challengeAnswer": required(responses, "ANSWER"),
        }
        event = self._run("verify_auth_challenge_response", signin, request, {"answerCorrect": False})
        correct = bool(event["response"].get("answerCorrect"))
        return self._next(
            signin, [*session.data["history"], _entry("CUSTOM_CHALLENGE", correct, session.data["metadata"])]
        )

    def _next(self, signin: SignIn, history: list[dict[str, Any]], srp_a: str | None = None) -> dict[str, Any]:
        response = {"challengeName": None, "issueTokens": False, "failAuthentication": False}
        decision = self._run("define_auth_challenge", signin, {"session": history}, response)["response"]
        if decision.get("failAuthentication") or (decision.get("issueTokens") and signin.user is None):
            raise errors.not_authorized()
        if decision.get("issueTokens"):
            return self.steps.finish(signin)
        name = decision.get("challengeName")
        if name == "PASSWORD_VERIFIER" and srp_a:
            return self.steps.srp_challenge(signin, srp_a, {"history": history})
        if name != "CUSTOM_CHALLENGE":
            raise errors.WireError(
                "InvalidLambdaResponseException", f"Invalid challengeName {name!r} from DefineAuthChallenge."
            )
        request = {"challengeName": "CUSTOM_CHALLENGE", "session": history}
        empty: dict[str, Any] = {
            "publicChallengeParameters": {},
            "privateChallengeParameters": {},
            "challengeMetadata": None,
        }
        created = self._run("create_auth_challenge", signin, request, empty)["response"]
        public = {str(k): str(v) for k, v in (created.get("publicChallengeParameters") or {}).items()}
        public["USERNAME"] = signin.username
        data = {
            "history": history,
            "private": dict(created.get("privateChallengeParameters") or {}),
            "metadata": created.get("challengeMetadata"),
        }
        return self.steps.challenge(signin, "CUSTOM_CHALLENGE", public, data)

    def _run(self, trigger: str, signin: SignIn, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
        """Call one trigger with the Lambda event Cognito would build; its exceptions become Cognito's."""
        label, source = _LABELS[trigger]
        extra = self.directory.extra(signin.pool)
        user = signin.user
        attributes: dict[str, str] = {}
        if user is not None:
            attributes = {**self.directory.attributes(user), "cognito:user_status": status_name(user)}
        full_request: dict[str, Any] = {"userAttributes": attributes, **request, "userNotFound": user is None}
        if signin.client_metadata:
            full_request["clientMetadata"] = dict(signin.client_metadata)
        event = {
            "version": "1",
            "region": signin.pool.region,
            "userPoolId": signin.pool.id,
            "userName": signin.username,
            "callerContext": {"awsSdkVersion": "aws-sdk-unknown-unknown", "clientId": signin.client.id},
            "triggerSource": source,
            "request": full_request,
            "response": response,
        }
        context = TriggerContext(
            function_name=extra.trigger_names.get(trigger, trigger),
            send_code=lambda medium, destination, code: self.steps.deliver(
                signin, medium, destination, "CUSTOM_CHALLENGE", code=code
            ),
        )
        try:
            result = extra.triggers[trigger](event, context)
        except Exception as exc:  # a trigger's bug reaches the client as Cognito reports a Lambda's
            raise errors.WireError("UserLambdaValidationException", f"{label} failed with error {exc}.") from None
        return result if isinstance(result, dict) and "response" in result else event
