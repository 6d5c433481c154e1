"""Every challenge Cognito can return, as data (cognito-protocol.md section 2).

Per challenge: what Cognito sends, which fields to ask the user, which ChallengeResponses keys are
built from them (or computed by the engine, e.g. the SRP claim), and a plain-language explanation.
The TUI renders these fields, the `login` command prompts for them, and the walk builds the
responses from them: one table serves all three.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    CODE = "code"  # a one-time code: digits
    SECRET = "secret"  # a password: masked
    TEXT = "text"
    CHOICE = "choice"
    JSON = "json"  # pasted JSON (a WebAuthn credential)


class Prefill(StrEnum):
    """Where the engine takes a field's value from when the user leaves it empty."""

    PASSWORD = "password"  # the sign-in password


class Phase(StrEnum):
    """Cognito's own challenge, or a sub-step the engine runs inside it."""

    CHALLENGE = ""  # falsy: the challenge as Cognito sent it
    VERIFY = "verify"  # MFA_SETUP: AssociateSoftwareToken done, VerifySoftwareToken next


SRP_PARAMETERS = ("SALT", "SRP_B", "SECRET_BLOCK")  # protocol state, not for reading: shown in the Calls tab


@dataclass(frozen=True)
class When:
    """Show/send only when another field's value is one of `values`."""

    field: str
    values: tuple[str, ...]

    def holds(self, values: dict[str, str]) -> bool:
        return values.get(self.field, "") in self.values


@dataclass(frozen=True)
class FieldSpec:
    name: str  # key in the answer values
    label: str
    kind: FieldKind = FieldKind.TEXT
    response_key: str | None = None  # ChallengeResponses key it fills; None: used by the engine
    required: bool = True
    choices: tuple[str, ...] = ()
    choices_from: str | None = None  # ChallengeParameter with a JSON list, or "AvailableChallenges"
    pattern: str | None = None
    help: str = ""
    when: When | None = None
    prefill: Prefill | None = None  # filled by the engine when left empty

    @property
    def secret(self) -> bool:
        return self.kind is FieldKind.SECRET

    def options(self, parameters: dict[str, str], available: list[str] | None = None) -> tuple[str, ...]:
        if self.choices_from == "AvailableChallenges":
            return tuple(available or ())
        if self.choices_from:
            listed = parse_json_list(parameters.get(self.choices_from, ""))
            return tuple(c for c in listed if not self.choices or c in self.choices)
        return self.choices

    def check(self, value: str) -> str | None:
        """None when `value` is acceptable, else the problem in words."""
        if not value:
            return f"{self.label} is required" if self.required else None
        if self.pattern and not re.fullmatch(self.pattern, value):
            return f"{self.label}: {self.help or 'not in the expected form'}"
        if self.kind is FieldKind.JSON:
            try:
                json.loads(value)
            except ValueError as exc:
                return f"{self.label} is not valid JSON ({exc})"
        return None


@dataclass(frozen=True)
class Computed:
    """A ChallengeResponses key the engine computes (SRP maths), optionally only under a condition."""

    key: str
    when: When | None = None


@dataclass(frozen=True)
class ChallengeSpec:
    name: str
    title: str
    explanation: str
    parameters: tuple[str, ...] = ()  # ChallengeParameters Cognito sends (besides USERNAME)
    fields: tuple[FieldSpec, ...] = ()
    computed: tuple[Computed, ...] = ()
    auto: bool = False  # the engine answers it itself (SRP) when it has what it needs
    answerable: bool = True
    phase: Phase = Phase.CHALLENGE
    hidden: tuple[str, ...] = ()  # ChallengeParameters front ends do not show (SRP values)

    def shown_parameters(self, parameters: dict[str, str]) -> dict[str, str]:
        """The parameters worth reading; the hidden ones stay in the transcript."""
        return {k: v for k, v in parameters.items() if k not in self.hidden}

    def fields_for(self, parameters: dict[str, str]) -> tuple[FieldSpec, ...]:
        """The fields to ask for, given what Cognito sent (NEW_PASSWORD_REQUIRED grows one per attribute)."""
        if self.name != "NEW_PASSWORD_REQUIRED" or self.phase:
            return self.fields
        extra = tuple(
            FieldSpec(
                name=attr,
                label=attr.removeprefix("userAttributes."),
                response_key=attr,
                help="required attribute the user has no value for yet",
            )
            for attr in required_attributes(parameters)
        )
        return self.fields + extra

    def active_fields(self, parameters: dict[str, str], values: dict[str, str]) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields_for(parameters) if f.when is None or f.when.holds(values))

    def validate(
        self, parameters: dict[str, str], values: dict[str, str], available: list[str] | None = None
    ) -> list[str]:
        problems = []
        for f in self.active_fields(parameters, values):
            problem = f.check(values.get(f.name, ""))
            if problem:
                problems.append(problem)
            elif f.kind is FieldKind.CHOICE and values.get(f.name):
                options = f.options(parameters, available)
                if options and values[f.name] not in options:
                    problems.append(f"{f.label} must be one of {', '.join(options)}")
        return problems

    def build(
        self, parameters: dict[str, str], values: dict[str, str], computed: dict[str, str] | None = None
    ) -> dict[str, str]:
        """ChallengeResponses from the field values and the engine's computed keys.

        USERNAME, SECRET_HASH and DEVICE_KEY are added by the walk, which knows which username
        belongs at this step.
        """
        computed = computed or {}
        responses: dict[str, str] = {}
        for f in self.active_fields(parameters, values):
            if f.response_key and values.get(f.name):
                responses[f.response_key] = values[f.name]
        for c in self.computed:
            if c.when is None or c.when.holds(values):
                if c.key not in computed:
                    raise KeyError(f"{self.name} needs the computed value {c.key}")
                responses[c.key] = computed[c.key]
        return responses


def parse_json_list(text: str) -> list[str]:
    """Cognito's lists inside string maps are JSON-encoded strings; be lenient with a Python repr."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        try:
            value = json.loads(text.replace("'", '"')) if text.startswith("[") else [text]
        except ValueError:  # not JSON even leniently (a broken MFAS_CAN_CHOOSE): offer nothing to choose
            return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def required_attributes(parameters: dict[str, str]) -> list[str]:
    return parse_json_list(parameters.get("requiredAttributes", ""))


CODE6 = r"\d{6}"
CODE_ANY = r"\d{4,10}"

_SRP_CLAIM = (Computed("PASSWORD_CLAIM_SIGNATURE"), Computed("PASSWORD_CLAIM_SECRET_BLOCK"), Computed("TIMESTAMP"))


def _code(name: str, label: str, pattern: str = CODE_ANY) -> FieldSpec:
    return FieldSpec(name, label, FieldKind.CODE, response_key=name, pattern=pattern, help="digits only")


SPECS: dict[str, ChallengeSpec] = {
    s.name if not s.phase else f"{s.name}:{s.phase}": s
    for s in (
        ChallengeSpec(
            "PASSWORD_VERIFIER",
            "SRP password verifier",
            "Cognito sent its half of the SRP exchange (salt, B, a secret block). The app proves it "
            "knows the password by signing them with a key derived from it; the password itself is "
            "never sent. This must be answered within seconds.",
            parameters=("SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"),
            fields=(FieldSpec("PASSWORD", "Password", FieldKind.SECRET, prefill=Prefill.PASSWORD),),
            computed=_SRP_CLAIM,
            auto=True,
            hidden=SRP_PARAMETERS,
        ),
        ChallengeSpec(
            "SMS_MFA",
            "SMS code (MFA)",
            "Cognito sent a one-time code by text message to the phone shown. Enter it.",
            parameters=("CODE_DELIVERY_DELIVERY_MEDIUM", "CODE_DELIVERY_DESTINATION"),
            fields=(_code("SMS_MFA_CODE", "SMS code"),),
        ),
        ChallengeSpec(
            "EMAIL_OTP",
            "Email code",
            "Cognito emailed a one-time code to the address shown (email MFA, or passwordless sign-in). Enter it.",
            parameters=("CODE_DELIVERY_DELIVERY_MEDIUM", "CODE_DELIVERY_DESTINATION"),
            fields=(_code("EMAIL_OTP_CODE", "Email code"),),
        ),
        ChallengeSpec(
            "SMS_OTP",
            "SMS code (passwordless)",
            "Cognito texted a one-time sign-in code to the phone shown. Enter it.",
            parameters=("CODE_DELIVERY_DELIVERY_MEDIUM", "CODE_DELIVERY_DESTINATION"),
            fields=(_code("SMS_OTP_CODE", "SMS code"),),
        ),
        ChallengeSpec(
            "SOFTWARE_TOKEN_MFA",
            "Authenticator app code (TOTP)",
            "MFA with an authenticator app: enter the 6-digit code it shows now. A code can be used "
            "only once in its 30-second window.",
            parameters=("FRIENDLY_DEVICE_NAME",),
            fields=(_code("SOFTWARE_TOKEN_MFA_CODE", "TOTP code", CODE6),),
        ),
        ChallengeSpec(
            "SELECT_MFA_TYPE",
            "Choose an MFA method",
            "The user has several MFA methods enabled and none preferred, so Cognito asks which one "
            "to use for this sign-in. It then sends that method's challenge.",
            parameters=("MFAS_CAN_CHOOSE",),
            fields=(
                FieldSpec(
                    "ANSWER",
                    "MFA method",
                    FieldKind.CHOICE,
                    response_key="ANSWER",
                    choices_from="MFAS_CAN_CHOOSE",
                ),
            ),
        ),
        ChallengeSpec(
            "MFA_SETUP",
            "Set up MFA",
            "MFA is required and this user has no factor yet. Pick one: an authenticator app "
            "(the app shows a QR code and secret, then asks for a code from it) or email (Cognito "
            "mails a code). SMS cannot be set up during sign-in: set phone_number and sign in again.",
            parameters=("MFAS_CAN_SETUP",),
            fields=(
                FieldSpec(
                    "MFA_TYPE",
                    "Factor to set up",
                    FieldKind.CHOICE,
                    choices=("SOFTWARE_TOKEN_MFA", "EMAIL_OTP"),
                    choices_from="MFAS_CAN_SETUP",
                ),
                FieldSpec(
                    "EMAIL",
                    "Email address",
                    response_key="EMAIL",
                    when=When("MFA_TYPE", ("EMAIL_OTP",)),
                    pattern=r"[^@\s]+@[^@\s]+",
                    help="an email address",
                ),
            ),
        ),
        ChallengeSpec(
            "MFA_SETUP",
            "Verify the authenticator app",
            "Add the secret to an authenticator app (scan the QR code or type the secret), then enter "
            "the code it shows. The app calls VerifySoftwareToken with it, then answers MFA_SETUP "
            "with the Session VerifySoftwareToken returned.",
            parameters=(),
            fields=(
                _code("USER_CODE", "Code from the app", CODE6),
                FieldSpec("FRIENDLY_DEVICE_NAME", "Device name (optional)", required=False),
            ),
            phase=Phase.VERIFY,
        ),
        ChallengeSpec(
            "NEW_PASSWORD_REQUIRED",
            "Choose a new password",
            "The user signed in with a temporary password (FORCE_CHANGE_PASSWORD) and must set a new "
            "one, plus a value for every required attribute Cognito lists that the user lacks.",
            parameters=("requiredAttributes", "userAttributes"),
            fields=(FieldSpec("NEW_PASSWORD", "New password", FieldKind.SECRET, response_key="NEW_PASSWORD"),),
        ),
        ChallengeSpec(
            "CUSTOM_CHALLENGE",
            "Custom challenge",
            "The pool's Create Auth Challenge trigger posed this challenge; its public parameters "
            "are shown. Your answer goes to the Verify Auth Challenge trigger, and Define Auth "
            "Challenge decides what comes next (another round, tokens, or failure).",
            fields=(FieldSpec("ANSWER", "Answer", response_key="ANSWER"),),
        ),
        ChallengeSpec(
            "DEVICE_SRP_AUTH",
            "Device SRP, step 1",
            "This device is remembered: Cognito asks the app to prove it holds the device's secret, "
            "with a fresh SRP exchange keyed by the device key. The app answers it itself.",
            computed=(Computed("SRP_A"),),
            auto=True,
        ),
        ChallengeSpec(
            "DEVICE_PASSWORD_VERIFIER",
            "Device SRP, step 2",
            "Cognito's half of the device SRP exchange. The app signs it with the device password "
            "saved when the device was confirmed. A remembered device skips MFA.",
            parameters=("SALT", "SRP_B", "SECRET_BLOCK"),
            computed=_SRP_CLAIM,
            auto=True,
            hidden=SRP_PARAMETERS,
        ),
        ChallengeSpec(
            "SELECT_CHALLENGE",
            "Choose how to sign in",
            "Choice-based sign-in (USER_AUTH): Cognito lists the first factors this pool and user "
            "allow. Pick one; a password can go in the same answer, SRP starts an SRP exchange, a "
            "one-time code is sent, a passkey needs a browser authenticator.",
            fields=(
                FieldSpec(
                    "ANSWER",
                    "Sign in with",
                    FieldKind.CHOICE,
                    response_key="ANSWER",
                    choices_from="AvailableChallenges",
                ),
                FieldSpec(
                    "PASSWORD",
                    "Password",
                    FieldKind.SECRET,
                    response_key="PASSWORD",
                    when=When("ANSWER", ("PASSWORD",)),
                    prefill=Prefill.PASSWORD,
                ),
                FieldSpec(
                    "CREDENTIAL",
                    "Passkey credential (JSON)",
                    FieldKind.JSON,
                    response_key="CREDENTIAL",
                    when=When("ANSWER", ("WEB_AUTHN",)),
                    help="an AuthenticationResponseJSON from a browser authenticator",
                ),
            ),
            computed=(Computed("SRP_A", When("ANSWER", ("PASSWORD_SRP",))),),
        ),
        ChallengeSpec(
            "PASSWORD",
            "Password",
            "Cognito asks for the password itself (USER_AUTH, password chosen).",
            fields=(
                FieldSpec("PASSWORD", "Password", FieldKind.SECRET, response_key="PASSWORD", prefill=Prefill.PASSWORD),
            ),
        ),
        ChallengeSpec(
            "PASSWORD_SRP",
            "SRP password",
            "Cognito asks the app to start an SRP exchange (USER_AUTH, SRP chosen). The app sends "
            "SRP_A and Cognito answers with PASSWORD_VERIFIER.",
            computed=(Computed("SRP_A"),),
            auto=True,
        ),
        ChallengeSpec(
            "WEB_AUTHN",
            "Passkey",
            "Cognito asks for a passkey (WebAuthn) assertion. The credential request options are "
            "shown; a passkey needs a browser or platform authenticator, so paste the "
            "AuthenticationResponseJSON it produced.",
            parameters=("CREDENTIAL_REQUEST_OPTIONS",),
            fields=(
                FieldSpec(
                    "CREDENTIAL",
                    "Passkey credential (JSON)",
                    FieldKind.JSON,
                    response_key="CREDENTIAL",
                    help="an AuthenticationResponseJSON from a browser authenticator",
                ),
            ),
        ),
        ChallengeSpec(
            "ADMIN_NO_SRP_AUTH",
            "ADMIN_NO_SRP_AUTH (legacy)",
            "A legacy challenge name that Cognito does not return in practice and that cannot be "
            "answered with RespondToAuthChallenge. Start again with ADMIN_USER_PASSWORD_AUTH.",
            answerable=False,
        ),
    )
}

CHALLENGE_NAMES = (
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
)


def spec_for(name: str, phase: Phase = Phase.CHALLENGE) -> ChallengeSpec:
    """The spec of a challenge; an unknown (future) name gets a generic one rather than a crash."""
    key = f"{name}:{phase}" if phase else name
    if key in SPECS:
        return SPECS[key]
    return ChallengeSpec(
        name,
        name,
        "A challenge this version of cognito-tui does not know. Its parameters are shown; answer "
        "with raw ChallengeResponses as KEY=VALUE lines.",
        fields=(FieldSpec("RAW", "ChallengeResponses (KEY=VALUE per line)"),),
    )
