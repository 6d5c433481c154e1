"""Plain-language narration of a walk, one sentence per call, for presenter mode.

Pure and headless: it reads what a walk already knows (the call's operation and outcome, the
challenge's parameters, the refusal's explanation) and never a secret value: passwords, codes,
Sessions and tokens are named, not quoted. The TUI shows these sentences large; a test can read
them without a screen.

    narrate_step(step, context)      -> "Cognito now asks for a TOTP code because ..."
    narrate_call(operation, outcome) -> a sentence for a call that is not a sign-in step
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from cognito_tui.core.challenges import parse_json_list, required_attributes
from cognito_tui.core.errors import ErrorContext, Explanation, explain


@dataclass(frozen=True)
class Context:
    """What the walk knew when the step came: it sharpens the sentence."""

    flow: str = ""
    username: str = ""
    device_sent: bool = False  # a DEVICE_KEY went with the sign-in (a remembered device)
    chosen: str = ""  # the first factor picked at SELECT_CHALLENGE, if any
    answered: str = ""  # the challenge whose answer produced this step, if any


def context_of(walk: Any) -> Context:
    """The Context of a live core Walk: its request, and the challenge answered last."""
    if walk is None:
        return Context()
    req = walk.request
    steps = list(getattr(walk, "steps", []))
    answered = next((s.name for s in reversed(steps[:-1]) if hasattr(s, "spec")), "")
    chosen = str(walk.answers.get("SELECT_CHALLENGE", {}).get("ANSWER", "")) or (req.preferred_challenge or "")
    return Context(req.auth_flow, req.username, req.device is not None, chosen, answered)


# What an answer to each challenge is, in words ("Cognito accepted the TOTP code ...").
_ANSWERS = {
    "PASSWORD_VERIFIER": "the SRP password proof",
    "SOFTWARE_TOKEN_MFA": "the TOTP code",
    "SMS_MFA": "the SMS code",
    "EMAIL_OTP": "the email code",
    "SMS_OTP": "the SMS code",
    "NEW_PASSWORD_REQUIRED": "the new password",
    "SELECT_MFA_TYPE": "the MFA choice",
    "MFA_SETUP": "the new MFA factor",
    "CUSTOM_CHALLENGE": "the custom challenge answer",
    "DEVICE_SRP_AUTH": "the device's SRP start",
    "DEVICE_PASSWORD_VERIFIER": "the device's SRP proof",
    "SELECT_CHALLENGE": "the sign-in choice",
    "PASSWORD": "the password",
    "PASSWORD_SRP": "the SRP start",
    "WEB_AUTHN": "the passkey",
}


def _answer(ctx: Context) -> str:
    if not ctx.answered:
        return "the sign-in"
    return _ANSWERS.get(ctx.answered, f"the {ctx.answered} answer")


def _mfa_reason(ctx: Context) -> str:
    device = (
        "a device key was sent but this device is not trusted to skip MFA"
        if ctx.device_sent
        else "this device is not remembered"
    )
    return f"MFA is required for this user and {device}"


def _to(params: dict[str, str]) -> str:
    destination = params.get("CODE_DELIVERY_DESTINATION", "")
    return f" to {destination}" if destination else ""


def _listed(params: dict[str, str], key: str) -> str:
    return ", ".join(parse_json_list(params.get(key, ""))) or "none listed"


def _passwordless(ctx: Context) -> bool:
    """A one-time code as the first factor (USER_AUTH), not as MFA after a password."""
    return (
        ctx.flow == "USER_AUTH" and ctx.chosen in ("EMAIL_OTP", "SMS_OTP") and ctx.answered in ("", "SELECT_CHALLENGE")
    )


def narrate_challenge(name: str, params: dict[str, str], ctx: Context, *, phase: str = "", rnd: int = 1) -> str:
    """One sentence: what Cognito asks for now, and why (from the challenge's own parameters)."""
    user = params.get("USER_ID_FOR_SRP") or params.get("USERNAME") or ctx.username or "the user"
    if name == "MFA_SETUP" and phase:
        return (
            "Cognito issued a new authenticator secret (kept masked here): the user adds it to an "
            "authenticator app and types the code it shows, so the app can verify it."
        )
    if name == "SOFTWARE_TOKEN_MFA":
        device = params.get("FRIENDLY_DEVICE_NAME")
        app = f" ({device})" if device else ""
        return f"Cognito now asks for a TOTP code from the authenticator app{app} because {_mfa_reason(ctx)}."
    if name == "SMS_MFA":
        return f"Cognito texted a one-time code{_to(params)} and waits for it, because {_mfa_reason(ctx)}."
    if name == "EMAIL_OTP":
        if _passwordless(ctx):
            return f"Cognito emailed a one-time sign-in code{_to(params)}: the email code is the first factor, no password."
        return f"Cognito emailed a one-time code{_to(params)} and waits for it, because {_mfa_reason(ctx)}."
    if name == "SMS_OTP":
        return f"Cognito texted a one-time sign-in code{_to(params)}: the SMS code is the first factor, no password."
    if name == "SELECT_MFA_TYPE":
        return (
            f"The user has more than one MFA method ({_listed(params, 'MFAS_CAN_CHOOSE')}) and none is "
            "preferred, so Cognito asks which one to use this time."
        )
    if name == "MFA_SETUP":
        return (
            f"MFA is required but {user} has no second factor yet, so Cognito asks to set one up now "
            f"(it offers: {_listed(params, 'MFAS_CAN_SETUP')})."
        )
    if name == "PASSWORD_VERIFIER":
        return (
            f"Cognito sent its half of the SRP exchange for {user}: the app proves it knows the password "
            "by signing it, and the password itself never leaves this machine."
        )
    if name == "NEW_PASSWORD_REQUIRED":
        attrs = [a.removeprefix("userAttributes.") for a in required_attributes(params)]
        extra = f", plus a value for {', '.join(attrs)}" if attrs else ""
        return f"The user {user} signed in with a temporary password, so Cognito requires a new password{extra} first."
    if name == "CUSTOM_CHALLENGE":
        again = f" (round {rnd})" if rnd > 1 else ""
        return (
            f"The pool's Create Auth Challenge trigger posed a custom challenge{again}: the answer goes "
            "to the Verify Auth Challenge trigger, and Define Auth Challenge decides what comes next."
        )
    if name == "DEVICE_SRP_AUTH":
        return (
            "This device is remembered, so instead of MFA Cognito asks it to prove it holds the device's "
            "secret with an SRP exchange of its own."
        )
    if name == "DEVICE_PASSWORD_VERIFIER":
        return (
            "Cognito sent its half of the device SRP exchange: the app signs it with the device password "
            "saved when the device was confirmed, and MFA is skipped."
        )
    if name == "SELECT_CHALLENGE":
        return f"Choice-based sign-in: Cognito lists the ways {user} may sign in and waits for a choice."
    if name == "PASSWORD":
        return "The password was chosen as the first factor, so Cognito now asks for the password itself."
    if name == "PASSWORD_SRP":
        return "SRP was chosen as the first factor, so Cognito asks the app to start an SRP exchange for the password."
    if name == "WEB_AUTHN":
        return (
            "Cognito asks for a passkey: a browser or platform authenticator must sign the challenge "
            "it sent, and the password is not used."
        )
    if name == "ADMIN_NO_SRP_AUTH":
        return (
            "Cognito returned the legacy ADMIN_NO_SRP_AUTH challenge, which cannot be answered: the "
            "sign-in must start again with ADMIN_USER_PASSWORD_AUTH."
        )
    return (
        f"Cognito returned the challenge {name}, which this version does not know: its parameters are in the Calls tab."
    )


def narrate_tokens(result: dict[str, Any], ctx: Context) -> str:
    """One sentence for the end of a successful walk (names the tokens, never quotes them)."""
    kinds = [name for key, name in (("IdToken", "an ID token"), ("AccessToken", "an access token")) if result.get(key)]
    if result.get("RefreshToken"):
        kinds.append("a refresh token")
    got = ", ".join(kinds[:-1]) + f" and {kinds[-1]}" if len(kinds) > 1 else (kinds[0] if kinds else "tokens")
    device = "; it also offers to remember this device" if result.get("NewDeviceMetadata") else ""
    return f"Cognito accepted {_answer(ctx)} and returned {got}{device}."


# A plain sentence per refusal, by the Explanation's title (core/errors.py); others use the title and first check.
_REFUSALS = {
    "Wrong username or password": "the password is wrong, or the user does not exist and the client hides that",
    "Temporarily locked out": "too many failed sign-ins in a row locked the user out for a while",
    "The user is disabled": "an administrator disabled this user",
    "The session expired": "the Session was older than the client's AuthSessionValidity",
    "The session was already used": "each Session answers one call and this one was already spent",
    "The session is not valid": "Cognito does not know this Session",
    "Wrong code": "the one-time code did not match, and the same Session may try again",
    "That code was already used": "a TOTP code is good once per 30-second window",
    "The code expired": "the code lived only as long as its Session",
    "No such user": "the pool has no user by this name",
    "The user is not confirmed": "the user signed up but never confirmed",
    "A password reset is required": "the user must reset the password first",
    "This flow is not allowed for this client": "the app client does not allow this auth flow",
    "SECRET_HASH did not verify": "the SECRET_HASH does not match the client secret and username",
    "This client has a secret, and no SECRET_HASH was sent": "the client has a secret and no SECRET_HASH came with the call",
    "The new password breaks the pool's policy": "the new password breaks the pool's password policy",
    "A Lambda trigger failed": "one of the pool's Lambda triggers failed",
    "The custom challenge ended the sign-in": "the Define Auth Challenge trigger failed the sign-in",
    "Cognito could not be reached": "no answer came back at all",
}


def narrate_refusal(code: str, explanation: Explanation, ctx: Context) -> str:
    """One sentence for a refusal: who said no, why in plain words, and the code to look up."""
    why = _REFUSALS.get(explanation.title)
    if why is None:
        first = explanation.checks[0] if explanation.checks else explanation.meaning
        why = f"{explanation.title.rstrip('.')}; {_lower_first(first).rstrip('.')}"
    return f"Cognito refused {_answer(ctx)} ({code}): {why}."


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def narrate_step(step: Any, ctx: Context) -> str:
    """One sentence for whatever a walk step is: a challenge, tokens, or a refusal."""
    if hasattr(step, "spec"):  # a Challenge
        return narrate_challenge(step.name, dict(step.parameters), ctx, phase=str(step.phase), rnd=step.round)
    if hasattr(step, "result"):  # SignedIn
        return narrate_tokens(step.result, ctx)
    if hasattr(step, "explanation"):  # Failed: the challenge whose answer was refused, if any
        if step.answered is not None:
            ctx = replace(ctx, answered=step.answered.name)
        return narrate_refusal(step.code, step.explanation, ctx)
    return "No sign-in yet: pick a profile and start it."


_CALLS = {
    "AssociateSoftwareToken": "Cognito issued a new authenticator secret for this user (kept masked here).",
    "VerifySoftwareToken": "Cognito checked the code from the authenticator app and accepted the new factor.",
    "GetUser": "Cognito returned the user's attributes, read with the access token.",
    "RevokeToken": "Cognito revoked the refresh token and the tokens it issued.",
    "GlobalSignOut": "Cognito ended every session of this user: all refresh tokens are revoked.",
    "ConfirmDevice": "Cognito registered this device, so later sign-ins can skip MFA with device SRP.",
    "UpdateDeviceStatus": "Cognito updated whether this device is remembered.",
}


def narrate_call(operation: str, outcome: str, ok: bool = True) -> str:
    """One sentence for a call outside the sign-in's challenge steps (setup, token actions)."""
    if not ok:
        return f"Cognito refused {operation} ({outcome})."
    if operation in ("InitiateAuth", "AdminInitiateAuth") and outcome == "tokens":
        return "Cognito exchanged the refresh token for new tokens."
    return _CALLS.get(operation, f"Cognito answered {operation}: {outcome}.")


def narrate_calls(records: list[Any]) -> list[str]:
    """One sentence per recorded call (core CallRecord), carrying the flow and the choices forward."""
    ctx = Context()
    out: list[str] = []
    for record in records:
        request = record.request or {}
        params = request.get("AuthParameters") or {}
        answers = request.get("ChallengeResponses") or {}
        answered = str(request.get("ChallengeName") or "")
        if request.get("AuthFlow"):
            flow = str(request["AuthFlow"])
            ctx = Context(
                flow,
                str(params.get("USERNAME", "")),
                "DEVICE_KEY" in params,
                str(params.get("PREFERRED_CHALLENGE", "")),
            )
        if answered == "SELECT_CHALLENGE":
            ctx = replace(ctx, chosen=str(answers.get("ANSWER", "")))
        ctx = replace(ctx, answered=answered, device_sent=ctx.device_sent or "DEVICE_KEY" in answers)
        out.append(_narrate_record(record, ctx))
    return out


def _narrate_record(record: Any, ctx: Context) -> str:
    operation = record.operation
    if record.error is not None:
        err = ErrorContext(operation=operation, flow=ctx.flow, challenge=ctx.answered or None)
        explanation = explain(record.error, err)
        return narrate_refusal(record.outcome, explanation, ctx)
    response = record.response or {}
    if operation not in ("InitiateAuth", "AdminInitiateAuth", "RespondToAuthChallenge", "AdminRespondToAuthChallenge"):
        return narrate_call(operation, record.outcome)
    if "AuthenticationResult" in response:
        if ctx.flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            return narrate_call(operation, "tokens")
        return narrate_tokens(response["AuthenticationResult"], ctx)
    name = response.get("ChallengeName")
    if name:
        return narrate_challenge(str(name), dict(response.get("ChallengeParameters") or {}), ctx)
    return narrate_call(operation, record.outcome)


def arrow_label(operation: str, answered: str | None, flow: str | None = None) -> str:
    """The request arrow's label in a sequence diagram: the operation and what it carries."""
    if answered:
        return f"{operation} · {answered}"
    if flow:
        return f"{operation} · {flow}"
    return operation
