"""The sign-in walk: start(request) -> step; answer(values) -> step, until tokens or a failure.

The walk knows the protocol (which API, which parameters, which username goes where, the SRP
maths, MFA_SETUP's session chain) and nothing about screens or boto3: it talks to a `Transport`
(`call(operation, params) -> response dict`, raising CognitoError / TransportError), which is the
gateway against AWS or the sandbox.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from cognito_tui.core import srp
from cognito_tui.core.caller import Caller, Transport
from cognito_tui.core.challenges import FieldSpec, Phase, Prefill, spec_for
from cognito_tui.core.errors import CognitoError, ErrorContext, Explanation, TransportError, explain
from cognito_tui.core.flows import FLOWS, REFRESH_FLOWS, Api
from cognito_tui.core.problem import Problem
from cognito_tui.core.redact import Secret
from cognito_tui.core.request import AuthRequest, DeviceSecrets
from cognito_tui.core.steps import AnswerError, Challenge, Failed, Recovery, SignedIn, Step
from cognito_tui.core.tokens import decode_claims
from cognito_tui.core.totp import otpauth_uri
from cognito_tui.core.transcript import CallRecord, Transcript

__all__ = [
    "MAX_AUTO_ANSWERS",
    "MAX_ROUNDS",
    "AnswerError",
    "AuthRequest",
    "Caller",
    "Challenge",
    "DeviceSecrets",
    "Failed",
    "Recovery",
    "SignedIn",
    "Step",
    "Walk",
]

DEFAULT_SESSION_VALIDITY = 180.0  # seconds: the client's AuthSessionValidity default (3 minutes)
# Refusals after which Cognito keeps the Session for another answer (a wrong or reused code, a
# throttled call); every other refusal spends it (e.g. "session can only be used once").
SESSION_KEPT = frozenset({"CodeMismatchException", "TooManyRequestsException"})
MAX_ROUNDS = 10  # the same challenge this many times in a row: the server (or a trigger) is looping
MAX_AUTO_ANSWERS = 3  # challenges answered by the walk itself in a row, without the user
UNEXPECTED_CHECK = "Check that the endpoint is Cognito or the sandbox (and its Lambda triggers), then start again."


class Walk:
    def __init__(
        self,
        transport: Transport,
        request: AuthRequest,
        *,
        transcript: Transcript | None = None,
        clock: Callable[[], float] = time.monotonic,
        auto_answer: bool = True,
        session_validity: float | None = DEFAULT_SESSION_VALIDITY,
        srp_client: Callable[[], srp.SrpClient] = srp.SrpClient,
    ):
        self.request = request
        self.caller = Caller(transport, transcript, clock)
        self.clock = clock
        self.auto_answer = auto_answer
        self.session_validity = session_validity
        self._new_srp = srp_client
        self._srp: srp.SrpClient | None = None
        self._device_srp: srp.SrpClient | None = None
        self.user_id: str | None = None  # USER_ID_FOR_SRP, once Cognito told us
        self.current: Step | None = None
        self.steps: list[Step] = []
        self.answers: dict[str, dict[str, str]] = {}  # the last values given per challenge name
        self._auto_streak = 0  # answers the walk gave by itself since the user's last one

    @property
    def transcript(self) -> Transcript:
        return self.caller.transcript

    @property
    def api(self) -> Api:
        return self.request.effective_api

    # --- public ---------------------------------------------------------------------------------

    def start(self) -> Step:
        problems = self.request.problems()
        if problems:
            raise ValueError("; ".join(problems))
        req = self.request
        params: dict[str, Any] = {
            "ClientId": req.client_id,
            "AuthFlow": req.auth_flow,
            "AuthParameters": self._auth_parameters(),
            "Session": str(req.session) if req.session else None,
        }
        op, params = self._for_api("InitiateAuth", params)
        response, record = self.caller.call(op, params, hash_username=self._hash_username_initial())
        return self._advance(response, record, None)

    def check(self, values: dict[str, str] | None = None) -> list[str]:
        """What is wrong with these answer values for the current challenge (empty: send them).

        Both front ends call this before answering; fields the engine fills itself (the sign-in
        password) are not reported as missing.
        """
        ch = self.current
        if not isinstance(ch, Challenge):
            return ["there is no challenge to answer: start a sign-in"]
        if not ch.spec.answerable:
            return [f"{ch.name} cannot be answered with RespondToAuthChallenge; start again"]
        values = self._with_prefill(ch, dict(values or {}))
        return ch.spec.validate(ch.parameters, values, ch.available_challenges)

    def asks_for(self, ch: Challenge, values: dict[str, str] | None = None) -> tuple[FieldSpec, ...]:
        """The fields a user must be asked for at `ch`: the active ones the engine cannot fill."""
        return tuple(f for f in ch.spec.active_fields(ch.parameters, values or {}) if not self.prefills(f))

    def prefills(self, f: FieldSpec) -> bool:
        """The one pre-fill rule: a password field left empty takes the sign-in password."""
        return f.prefill is Prefill.PASSWORD and bool(self.request.password)

    def answer(self, values: dict[str, str] | None = None) -> Step:
        self._auto_streak = 0
        return self._answer(values)

    def _answer(self, values: dict[str, str] | None) -> Step:
        ch = self.current
        if not isinstance(ch, Challenge):
            raise RuntimeError("there is no challenge to answer")
        problems = self.check(values)
        if problems:
            raise AnswerError(problems)
        values = self._with_prefill(ch, dict(values or {}))
        self.answers[ch.name] = {k: v for k, v in values.items() if k != "RAW"}
        try:
            if (
                ch.name == "MFA_SETUP"
                and not ch.phase
                and values.get("MFA_TYPE", "SOFTWARE_TOKEN_MFA") == "SOFTWARE_TOKEN_MFA"
            ):
                return self._associate_software_token(ch)
            if ch.name == "MFA_SETUP" and ch.phase is Phase.VERIFY:
                return self._verify_software_token(ch, values)
            if "RAW" in values and ch.spec.fields and not ch.spec.fields[0].response_key:
                responses = _parse_raw(values["RAW"])
            else:
                responses = ch.spec.build(ch.parameters, values, self._compute(ch, values))
        except AnswerError as exc:  # the engine cannot build this answer (no remembered device, ...)
            error = CognitoError("InvalidAnswer", str(exc))
            return self._set(Failed(error, explain(error), retry=ch, answered=ch))
        except Problem as exc:  # nonsense ChallengeParameters (SRP): a Failed step, not a traceback
            return self._unexpected(ch.name, exc.message, exc.title, exc.next_step)
        return self._respond(ch, responses)

    def retry(self) -> Challenge:
        """Back to the challenge a recoverable error interrupted (a wrong code), same Session."""
        step = self.current
        if not isinstance(step, Failed) or step.retry is None:
            raise RuntimeError("nothing to retry")
        self.current = step.retry
        return step.retry

    def can_auto_answer(self, ch: Challenge) -> bool:
        if not ch.spec.auto:
            return False
        if ch.name in ("DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"):
            return self.request.device is not None
        if ch.name == "PASSWORD_VERIFIER":
            return bool(self.request.password) and self._srp is not None
        return ch.name != "PASSWORD_SRP" or bool(self.request.password)

    # --- building requests ----------------------------------------------------------------------

    def _auth_parameters(self) -> dict[str, str]:
        req = self.request
        flow = req.auth_flow
        ap: dict[str, str] = {}
        if flow in REFRESH_FLOWS:
            ap["REFRESH_TOKEN"] = str(req.refresh_token)
        else:
            ap["USERNAME"] = req.username
        if flow == "USER_SRP_AUTH" or (flow == "CUSTOM_AUTH" and req.custom_with_srp):
            self._srp = self._new_srp()
            ap["SRP_A"] = self._srp.srp_a
            if flow == "CUSTOM_AUTH":
                ap["CHALLENGE_NAME"] = "SRP_A"
        elif FLOWS[flow].needs_password:
            ap["PASSWORD"] = str(req.password)
        if flow == "USER_AUTH" and req.preferred_challenge:
            ap["PREFERRED_CHALLENGE"] = req.preferred_challenge
            if req.preferred_challenge == "PASSWORD":
                ap["PASSWORD"] = str(req.password)
            elif req.preferred_challenge == "PASSWORD_SRP":
                self._srp = self._new_srp()
                ap["SRP_A"] = self._srp.srp_a
        hash_username = self._hash_username_initial()
        if req.client_secret and hash_username:
            ap["SECRET_HASH"] = srp.secret_hash(hash_username, req.client_id, str(req.client_secret))
        if req.device:
            ap["DEVICE_KEY"] = req.device.device_key
        return ap

    def _hash_username_initial(self) -> str | None:
        """InitiateAuth: exactly the USERNAME sent; refresh: the token owner's real username."""
        if not self.request.client_secret:
            return None
        return self.request.username or None

    def _for_api(self, public_op: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The operation and parameters for the chosen API: Admin* adds UserPoolId and ContextData."""
        req = self.request
        if req.client_metadata:
            params["ClientMetadata"] = dict(req.client_metadata)
        if req.analytics_endpoint_id:
            params["AnalyticsMetadata"] = {"AnalyticsEndpointId": req.analytics_endpoint_id}
        if self.api is Api.ADMIN:
            params = {"UserPoolId": req.user_pool_id, **params}
            if req.context_data:
                params["ContextData"] = req.context_data
            return f"Admin{public_op}", params
        if req.user_context_data:
            params["UserContextData"] = req.user_context_data
        return public_op, params

    def _with_prefill(self, ch: Challenge, values: dict[str, str]) -> dict[str, str]:
        for f in ch.spec.active_fields(ch.parameters, values):
            if not values.get(f.name) and self.prefills(f):
                values[f.name] = str(self.request.password)
        return values

    def _compute(self, ch: Challenge, values: dict[str, str]) -> dict[str, str]:
        req = self.request
        needed = {c.key for c in ch.spec.computed if c.when is None or c.when.holds(values)}
        if not needed:
            return {}
        if ch.name in ("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER"):
            srp.check_srp_parameters(ch.parameters, ch.name)
        if ch.name == "PASSWORD_VERIFIER":
            password = values.get("PASSWORD") or str(req.password or "")
            if self._srp is None:
                self._srp = self._new_srp()
            user = ch.parameters.get("USER_ID_FOR_SRP") or ch.username
            return self._srp.claim(
                srp.pool_name(req.user_pool_id),
                user,
                password,
                ch.parameters["SALT"],
                ch.parameters["SRP_B"],
                ch.parameters["SECRET_BLOCK"],
            )
        if ch.name == "DEVICE_SRP_AUTH":
            self._require_device(ch)
            self._device_srp = self._new_srp()
            return {"SRP_A": self._device_srp.srp_a}
        if ch.name == "DEVICE_PASSWORD_VERIFIER":
            device = self._require_device(ch)
            if self._device_srp is None:
                raise AnswerError(["DEVICE_PASSWORD_VERIFIER came without a DEVICE_SRP_AUTH first"])
            return self._device_srp.claim(
                device.group_key,
                device.device_key,
                str(device.password),
                ch.parameters["SALT"],
                ch.parameters["SRP_B"],
                ch.parameters["SECRET_BLOCK"],
            )
        if "SRP_A" in needed:  # PASSWORD_SRP, SELECT_CHALLENGE answered with PASSWORD_SRP
            self._srp = self._new_srp()
            return {"SRP_A": self._srp.srp_a}
        raise AnswerError([f"{ch.name}: no way to compute {', '.join(sorted(needed))}"])

    def _require_device(self, ch: Challenge) -> DeviceSecrets:
        if self.request.device is None:
            raise AnswerError([f"{ch.name} needs a remembered device (device key, group key and device password)"])
        return self.request.device

    def _respond(self, ch: Challenge, responses: dict[str, str], session: str | None = None) -> Step:
        req = self.request
        responses = {"USERNAME": ch.username, **responses}
        hash_username = None
        if req.client_secret:
            hash_username = ch.username
            responses["SECRET_HASH"] = srp.secret_hash(ch.username, req.client_id, str(req.client_secret))
        if req.device:
            responses["DEVICE_KEY"] = req.device.device_key
        params: dict[str, Any] = {
            "ClientId": req.client_id,
            "ChallengeName": ch.name,
            "Session": session if session is not None else ch.session,
            "ChallengeResponses": responses,
        }
        op, params = self._for_api("RespondToAuthChallenge", params)
        response, record = self.caller.call(op, params, session_received_at=ch.received_at, hash_username=hash_username)
        return self._advance(response, record, ch)

    # --- MFA_SETUP's session chain (protocol 2.2) ------------------------------------------------

    def _associate_software_token(self, ch: Challenge) -> Step:
        response, record = self.caller.call(
            "AssociateSoftwareToken", {"Session": ch.session}, session_received_at=ch.received_at
        )
        if response is None:
            return self._fail(record, ch, retry=None)
        if not isinstance(response.get("SecretCode"), str) or not response["SecretCode"]:
            return self._unexpected("AssociateSoftwareToken", "AssociateSoftwareToken answered without a SecretCode")
        secret = Secret(response["SecretCode"])
        account = _account_label(ch)
        now = self.clock()
        step = Challenge(
            name="MFA_SETUP",
            spec=spec_for("MFA_SETUP", Phase.VERIFY),
            parameters=dict(ch.parameters),
            session=response.get("Session"),
            username=ch.username,
            received_at=now,
            expires_at=None if self.session_validity is None else now + self.session_validity,
            extra={"secret_code": secret, "otpauth_uri": Secret(otpauth_uri(secret, account))},
        )
        return self._set(step)

    def _verify_software_token(self, ch: Challenge, values: dict[str, str]) -> Step:
        params = {
            "Session": ch.session,
            "UserCode": values["USER_CODE"],
            "FriendlyDeviceName": values.get("FRIENDLY_DEVICE_NAME"),
        }
        response, record = self.caller.call("VerifySoftwareToken", params, session_received_at=ch.received_at)
        if response is None:
            return self._fail(record, ch, retry=ch)
        if response.get("Status") != "SUCCESS":
            error = CognitoError(
                "EnableSoftwareTokenMFAException",
                "Code mismatch and fail enable Software Token MFA",
                "VerifySoftwareToken",
            )
            return self._set(Failed(error, explain(error, self._context(record, ch)), retry=None, answered=ch))
        setup = Challenge(
            name="MFA_SETUP",
            spec=spec_for("MFA_SETUP"),
            parameters=ch.parameters,
            session=response.get("Session"),
            username=ch.username,
            received_at=self.clock(),
            expires_at=ch.expires_at,
            extra=ch.extra,
        )
        return self._respond(setup, {})

    # --- reading answers ------------------------------------------------------------------------

    def _advance(self, response: dict[str, Any] | None, record: CallRecord, previous: Challenge | None) -> Step:
        if response is None:
            return self._fail(record, previous, retry=previous)
        if "AuthenticationResult" in response:
            result = response["AuthenticationResult"]
            problem = _result_problem(result)
            if problem:
                return self._unexpected(record.operation, problem)
            return self._set(SignedIn(result, decode_claims(result)))
        name = response.get("ChallengeName")
        if not name:
            error = CognitoError(
                "UnexpectedResponse", "the answer had neither AuthenticationResult nor ChallengeName", record.operation
            )
            return self._set(Failed(error, explain(error)))
        raw_params = response.get("ChallengeParameters") or {}
        if not isinstance(name, str) or not isinstance(raw_params, dict):
            return self._unexpected(record.operation, "ChallengeName is not text or ChallengeParameters not a map")
        params = {str(k): str(v) for k, v in raw_params.items()}
        if self.user_id is None and params.get("USER_ID_FOR_SRP"):
            self.user_id = params["USER_ID_FOR_SRP"]
        username = params.get("USER_ID_FOR_SRP") or params.get("USERNAME") or self.user_id or self.request.username
        now = self.clock()
        rounds = previous.round + 1 if previous is not None and previous.name == name and not previous.phase else 1
        ch = Challenge(
            name=name,
            spec=spec_for(name),
            parameters=params,
            session=response.get("Session"),
            username=username,
            received_at=now,
            expires_at=None if self.session_validity is None else now + self.session_validity,
            available_challenges=list(response.get("AvailableChallenges") or []),
            round=rounds,
        )
        self._set(ch)
        empty = [f.choices_from for f in ch.fields if f.choices_from in params and not _choices_ok(f, params)]
        if empty:
            return self._unexpected(
                record.operation, f"{name}: {empty[0]} offers nothing to choose ({params[empty[0]]!r})"
            )
        if rounds > MAX_ROUNDS:
            return self._unexpected(record.operation, f"Cognito asked for {name} {rounds} times in a row", "A loop")
        if self.auto_answer and self.can_auto_answer(ch):
            self._auto_streak += 1
            if self._auto_streak > MAX_AUTO_ANSWERS:
                message = f"Cognito asked for {name} again after {MAX_AUTO_ANSWERS} answers computed by the walk"
                return self._unexpected(record.operation, message, "A loop")
            try:
                return self._answer({})
            except AnswerError as exc:  # the server's parameters do not fit the challenge
                return self._unexpected(record.operation, f"{name}: {exc}")
        return ch

    def _context(self, record: CallRecord, ch: Challenge | None) -> ErrorContext:
        return ErrorContext(
            operation=record.operation,
            flow=self.request.auth_flow,
            client_id=self.request.client_id,
            typed_username=self.request.username,
            hash_username=record.hash_username,
            has_secret=bool(self.request.client_secret),
            device_key=self.request.device.device_key if self.request.device else None,
            challenge=ch.name if ch else None,
            session_age=record.session_age,
        )

    def _fail(self, record: CallRecord, ch: Challenge | None, retry: Challenge | None) -> Failed:
        assert record.error is not None
        explanation = explain(record.error, self._context(record, ch))
        keep = retry if (retry is not None and self._session_kept(record.error)) else None
        return self._set(Failed(record.error, explanation, retry=keep, answered=ch))

    @staticmethod
    def _session_kept(error: CognitoError | TransportError) -> bool:
        """Whether the Session survives this refusal, so the same challenge can be answered again."""
        if isinstance(error, TransportError):
            return True  # no answer came back: the Session was not spent by a refusal
        if error.code == "ExpiredCodeException":
            return "already been used" in error.message  # a reused TOTP code; an expired one ends it
        return error.code in SESSION_KEPT

    def _unexpected(
        self, operation: str, message: str, title: str = "Unexpected answer", check: str = UNEXPECTED_CHECK
    ) -> Failed:
        """A Failed step for an answer no Cognito would give (the walk ends; nothing to retry)."""
        error = CognitoError("UnexpectedResponse", message, operation)
        return self._set(Failed(error, Explanation(title, message, [check] if check else [])))

    def _set(self, step):
        self.current = step
        self.steps.append(step)
        return step


def _account_label(ch: Challenge) -> str:
    try:
        import json

        attrs = json.loads(ch.parameters.get("userAttributes", "{}"))
        if isinstance(attrs, dict) and attrs.get("email"):
            return str(attrs["email"])
    except ValueError:
        pass
    return ch.username


def _choices_ok(f: FieldSpec, params: dict[str, str]) -> bool:
    """A list parameter (MFAS_CAN_CHOOSE...) must be a JSON list of names with something usable in it."""
    text = params.get(f.choices_from or "", "")
    for candidate in (text, text.replace("'", '"')):
        try:
            listed = json.loads(candidate)
        except ValueError:
            continue
        return isinstance(listed, list) and all(isinstance(v, str) for v in listed) and bool(f.options(params))
    return False


def _result_problem(result: Any) -> str | None:
    """What makes an AuthenticationResult unusable (not a map, a token whose payload is not an object)."""
    from cognito_tui.core.tokens import decode_jwt

    if not isinstance(result, dict):
        return f"AuthenticationResult is {type(result).__name__}, not a map of tokens"
    for key in ("IdToken", "AccessToken"):
        token = result.get(key)
        if token is not None and not isinstance(token, str):
            return f"the {key} is {type(token).__name__}, not text"
        try:
            payload = decode_jwt(token)[1] if token else {}
        except ValueError:
            continue  # not a JWT at all: shown as such on the Tokens tab
        if not isinstance(payload, dict):
            return f"the {key}'s payload is {json.dumps(payload)[:40]}, not a JSON object of claims"
    return None


def _parse_raw(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out
