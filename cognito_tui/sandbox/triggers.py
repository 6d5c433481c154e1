"""Custom-authentication triggers as Python functions: the Lambda handlers of the demo pool.

A trigger is `handler(event, context) -> event`, like the Lambda it stands for. `event` has the
shape Cognito sends (`version`, `region`, `userPoolId`, `userName`, `callerContext`,
`triggerSource`, `request`, `response`); the handler fills `event["response"]`.
`context` stands in for the Lambda context and for SES/SNS: `context.send_code(medium,
destination, code)` puts a message in the sandbox outbox, `context.new_code(digits)` draws a code.

A seed attaches triggers per pool by function name (functions of this module) or as
`package.module:function`.

The demo: a question ("What is 6 x 7?"), then a one-time code sent by email, with three tries.
The code lives in `challengeMetadata` ("CODE-123456"), as in AWS's own samples, so a retry asks
for the same code.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognito_tui.sandbox.outbox import mask_email, mask_phone, new_code

QUESTION = "What is 6 x 7?"
ANSWER = "42"
CODE_TRIES = 3
CODE_DIGITS = 6

Event = dict[str, Any]


@dataclass
class TriggerContext:
    """What a handler may use besides the event: a stand-in for the Lambda context and SES/SNS."""

    function_name: str
    send_code: Callable[[str, str, str], object]  # (medium "EMAIL"|"SMS", destination, code)
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @staticmethod
    def new_code(digits: int = CODE_DIGITS) -> str:
        return new_code(digits)


def _custom_rounds(event: Event) -> list[dict[str, Any]]:
    return [s for s in event["request"]["session"] if s["challengeName"] == "CUSTOM_CHALLENGE"]


def _code_rounds(rounds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rounds if str(r.get("challengeMetadata") or "").startswith("CODE-")]


def demo_define_auth_challenge(event: Event, context: TriggerContext) -> Event:
    """SRP first if the client asked for it, then the question, then up to three code tries."""
    session = event["request"]["session"]
    response = event["response"]
    response.update(issueTokens=False, failAuthentication=False)
    last = session[-1] if session else None
    if last and last["challengeName"] == "SRP_A":
        response["challengeName"] = "PASSWORD_VERIFIER"
        return event
    if last and last["challengeName"] == "PASSWORD_VERIFIER" and not last["challengeResult"]:
        response["failAuthentication"] = True
        return event
    rounds = _custom_rounds(event)
    if not rounds:
        response["challengeName"] = "CUSTOM_CHALLENGE"
        return event
    latest = rounds[-1]
    if latest["challengeMetadata"] == "QUESTION":
        if latest["challengeResult"]:
            response["challengeName"] = "CUSTOM_CHALLENGE"
        else:
            response["failAuthentication"] = True
        return event
    if latest["challengeResult"]:
        response["issueTokens"] = True
    elif len(_code_rounds(rounds)) < CODE_TRIES:
        response["challengeName"] = "CUSTOM_CHALLENGE"
    else:
        response["failAuthentication"] = True
    return event


def demo_create_auth_challenge(event: Event, context: TriggerContext) -> Event:
    """The question first; then a code by email (SMS if no email), kept the same across retries."""
    request, response = event["request"], event["response"]
    rounds = _custom_rounds(event)
    if not any(r["challengeMetadata"] == "QUESTION" and r["challengeResult"] for r in rounds):
        response["publicChallengeParameters"] = {"question": QUESTION}
        response["privateChallengeParameters"] = {"answer": ANSWER}
        response["challengeMetadata"] = "QUESTION"
        return event
    earlier = _code_rounds(rounds)
    attributes = request["userAttributes"]
    if "email" in attributes:
        medium, destination, masked = "EMAIL", attributes["email"], mask_email(attributes["email"])
    elif "phone_number" in attributes:
        medium, destination, masked = "SMS", attributes["phone_number"], mask_phone(attributes["phone_number"])
    else:
        raise ValueError("the user has neither an email nor a phone number to send the code to")
    if earlier:
        code = str(earlier[-1]["challengeMetadata"])[len("CODE-") :]
    else:
        code = context.new_code()
        context.send_code(medium, destination, code)
    response["publicChallengeParameters"] = {
        "question": f"Enter the {len(code)}-digit code sent to {masked}",
        "destination": masked,
        "attempts_left": str(CODE_TRIES - len(earlier)),
    }
    response["privateChallengeParameters"] = {"answer": code}
    response["challengeMetadata"] = f"CODE-{code}"
    return event


def demo_verify_auth_challenge_response(event: Event, context: TriggerContext) -> Event:
    """Right when the answer equals the private one; never right for a user who does not exist."""
    request = event["request"]
    expected = request["privateChallengeParameters"].get("answer")
    answer = str(request.get("challengeAnswer") or "").strip()
    event["response"]["answerCorrect"] = bool(expected) and not request.get("userNotFound") and answer == expected
    return event
