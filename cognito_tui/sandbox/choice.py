"""USER_AUTH, choice-based sign-in: SELECT_CHALLENGE, PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN.

The offer comes from the pool's AllowedFirstAuthFactors, narrowed to what the user can do:
one-time codes need a verified email or phone and no MFA (a user with MFA must sign in with a
password and then the MFA), a passkey needs a registered credential. The sandbox cannot verify
WebAuthn assertions: it offers WEB_AUTHN with real-looking request options and refuses answers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

from cognito_tui.core.flows import PREFERRED_CHALLENGES
from cognito_tui.sandbox import errors
from cognito_tui.sandbox.sessions import AuthSession, SignIn
from cognito_tui.sandbox.steps import Steps, delivery_parameters, required

OTP_DIGITS = 8  # passwordless codes are longer than MFA codes
WEB_AUTHN_REFUSED = (
    "The sandbox cannot verify passkeys, so it refuses every WEB_AUTHN answer. "
    "Choose PASSWORD, PASSWORD_SRP or a one-time code instead."
)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class ChoiceAuth:
    def __init__(self, steps: Steps) -> None:
        self.steps = steps
        self.directory = steps.directory

    def available(self, signin: SignIn) -> list[str]:
        pool, user = signin.pool, signin.user
        offer: list[str] = []
        for factor in self.directory.first_factors(pool):
            if factor == "PASSWORD":
                offer += ["PASSWORD", "PASSWORD_SRP"]
            elif user is None:  # an unknown user is offered what anyone could be, not an error
                if factor != "WEB_AUTHN":
                    offer.append(factor)
            elif factor == "WEB_AUTHN":
                if self.directory.state(pool, user).passkey:
                    offer.append(factor)
            elif self._otp_destination(signin, factor) is not None:
                offer.append(factor)
        return offer

    def _otp_destination(self, signin: SignIn, factor: str) -> str | None:
        pool, user = signin.pool, signin.user
        assert user is not None
        if pool.mfa_config == "ON" or self.directory.mfa_settings(pool, user):
            return None
        attribute = "email" if factor == "EMAIL_OTP" else "phone_number"
        attributes = user.attribute_lookup
        if str(attributes.get(f"{attribute}_verified", "")).lower() != "true":
            return None
        return attributes.get(attribute)

    def start(self, signin: SignIn, params: dict[str, str]) -> dict[str, Any]:
        if self.directory.config(signin.pool, "UserPoolTier", "ESSENTIALS") == "LITE":
            raise errors.invalid_parameter("USER_AUTH needs the Essentials or Plus feature plan; this pool is on Lite.")
        offer = self.available(signin)
        preferred = params.get("PREFERRED_CHALLENGE")
        if preferred is not None and preferred not in PREFERRED_CHALLENGES:
            raise errors.invalid_parameter(
                f"PREFERRED_CHALLENGE must be one of {', '.join(PREFERRED_CHALLENGES)}, not {preferred}."
            )
        if preferred in offer:
            return self.select(signin, preferred, params, offer)
        return self.steps.challenge(
            signin,
            "SELECT_CHALLENGE",
            {"USERNAME": signin.username},
            {"available": offer},
            extra={"AvailableChallenges": offer},
        )

    def select(self, signin: SignIn, answer: str, values: dict[str, str], offer: list[str]) -> dict[str, Any]:
        if answer not in offer:
            raise errors.invalid_parameter(
                f"ANSWER must be one of the AvailableChallenges ({', '.join(offer)}), not {answer}."
            )
        if answer == "PASSWORD":
            if not values.get("PASSWORD"):
                return self.steps.challenge(signin, "PASSWORD", {"USERNAME": signin.username})
            return self.steps.password(signin, values["PASSWORD"])
        if answer == "PASSWORD_SRP":
            if not values.get("SRP_A"):
                return self.steps.challenge(signin, "PASSWORD_SRP", {"USERNAME": signin.username})
            return self.steps.srp_challenge(signin, values["SRP_A"])
        if answer == "WEB_AUTHN":
            if values.get("CREDENTIAL"):
                raise errors.not_authorized(WEB_AUTHN_REFUSED)
            options = json.dumps(self._request_options(signin), separators=(",", ":"))
            return self.steps.challenge(signin, "WEB_AUTHN", {"CREDENTIAL_REQUEST_OPTIONS": options})
        return self._one_time_code(signin, answer)

    def _one_time_code(self, signin: SignIn, factor: str) -> dict[str, Any]:
        medium = "EMAIL" if factor == "EMAIL_OTP" else "SMS"
        if signin.user is None:  # pretend: a destination shaped like a real one, and a code nobody gets
            destination = "user@example.com" if medium == "EMAIL" else "+10000000000"
            return self.steps.challenge(signin, factor, delivery_parameters(medium, destination), {"code": None})
        found = self._otp_destination(signin, factor)
        assert found is not None
        code = self.steps.deliver(signin, medium, found, factor, digits=OTP_DIGITS)
        return self.steps.challenge(
            signin, factor, delivery_parameters(medium, found), {"code": code, "purpose": "sign_in"}
        )

    def _request_options(self, signin: SignIn) -> dict[str, Any]:
        relying_party = self.directory.extra(signin.pool).web_authn.get("RelyingPartyId", "localhost")
        credential_id = hashlib.sha256(f"{signin.pool.id}/{signin.username}".encode()).digest()[:16]
        return {
            "challenge": _b64url(secrets.token_bytes(32)),
            "timeout": 180000,
            "rpId": relying_party,
            "allowCredentials": [
                {"type": "public-key", "id": _b64url(credential_id), "transports": ["internal", "hybrid"]}
            ],
            "userVerification": self.directory.extra(signin.pool).web_authn.get("UserVerification", "preferred"),
        }

    # --- answers --------------------------------------------------------------------------------------

    def answer_select(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        return self.select(session.signin, required(responses, "ANSWER"), responses, session.data["available"])

    def answer_password(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        return self.steps.password(session.signin, required(responses, "PASSWORD"))

    def answer_password_srp(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        return self.steps.srp_challenge(session.signin, required(responses, "SRP_A"))

    def answer_web_authn(self, session: AuthSession, responses: dict[str, str]) -> dict[str, Any]:
        required(responses, "CREDENTIAL")
        raise errors.not_authorized(WEB_AUTHN_REFUSED)
