"""Pre-flight: what the pool, the client and the user say about the sign-in about to run.

Pure: it reads what DescribeUserPool, DescribeUserPoolClient, GetUserPoolMfaConfig and AdminGetUser
returned (any of them may be missing, e.g. without IAM credentials) and says what to expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cognito_tui.core.flows import FLOWS, flow_allowed

_UNITS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_STATUS_EXPECT = {
    "UNCONFIRMED": "expect UserNotConfirmedException (confirm the user first)",
    "FORCE_CHANGE_PASSWORD": "expect NEW_PASSWORD_REQUIRED after the temporary password",
    "RESET_REQUIRED": "expect PasswordResetRequiredException",
    "EXTERNAL_PROVIDER": "a federated user: no InitiateAuth sign-in",
    "ARCHIVED": "not signable",
    "COMPROMISED": "not signable",
}


@dataclass
class PreflightInputs:
    flow: str
    api: str | None = None
    username: str = ""
    client_secret_given: bool = False
    pool: dict[str, Any] | None = None  # DescribeUserPool's UserPool
    client: dict[str, Any] | None = None  # DescribeUserPoolClient's UserPoolClient
    mfa: dict[str, Any] | None = None  # GetUserPoolMfaConfig's answer
    user: dict[str, Any] | None = None  # AdminGetUser's answer


@dataclass
class Preflight:
    facts: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    flow_status: dict[str, tuple[bool | None, str]] = field(default_factory=dict)
    session_validity: float | None = None  # seconds
    client_secret: str | None = None


def _validity(client: dict[str, Any], key: str, unit_key: str, default_unit: str) -> str | None:
    value = client.get(key)
    if value is None:
        return None
    unit = (client.get("TokenValidityUnits") or {}).get(unit_key, default_unit)
    return f"{value} {unit}"


def _looks_like_alias(username: str) -> bool:
    return "@" in username or username.startswith("+")


def analyse(inp: PreflightInputs) -> Preflight:
    out = Preflight()
    client, pool, mfa, user = inp.client, inp.pool, inp.mfa, inp.user
    if client is not None:
        flows = client.get("ExplicitAuthFlows") or []
        out.flow_status = {name: flow_allowed(name, flows) for name in FLOWS}
        has_secret = bool(client.get("ClientSecret") or client.get("ClientSecretArn"))
        out.client_secret = client.get("ClientSecret")
        validity = client.get("AuthSessionValidity")
        out.session_validity = float(validity) * 60 if validity else 180.0
        out.facts += [
            ("Client", f"{client.get('ClientName', '')} ({client.get('ClientId', '')})"),
            ("Secret", "yes" if has_secret else "no"),
            ("Allowed flows", ", ".join(flows) or "(empty: SRP, refresh, custom by default)"),
            ("Session validity", f"{validity or 3} min"),
            ("Existence errors", client.get("PreventUserExistenceErrors") or "LEGACY"),
            ("Token revocation", "on" if client.get("EnableTokenRevocation", True) else "off"),
        ]
        rotation = (client.get("RefreshTokenRotation") or {}).get("Feature")
        if rotation:
            out.facts.append(("Refresh rotation", rotation))
        lifetimes = [
            ("ID", _validity(client, "IdTokenValidity", "IdToken", "hours")),
            ("access", _validity(client, "AccessTokenValidity", "AccessToken", "hours")),
            ("refresh", _validity(client, "RefreshTokenValidity", "RefreshToken", "days")),
        ]
        shown = ", ".join(f"{name} {value}" for name, value in lifetimes if value)
        if shown:
            out.facts.append(("Token lifetimes", shown))
        allowed, why = out.flow_status.get(inp.flow, (None, ""))
        if allowed is False:
            out.warnings.append(f"{inp.flow} is not allowed for this client: {why}")
        if has_secret and not inp.client_secret_given:
            out.warnings.append("This client has a secret you have not given: every call needs SECRET_HASH.")
        if has_secret and inp.username and _looks_like_alias(inp.username):
            out.warnings.append(
                "You typed an alias (email or phone) and the client has a secret: the first call hashes what you "
                "typed, every later answer must hash the real username (USER_ID_FOR_SRP). cognito-tui does that."
            )
        if rotation == "ENABLED" and inp.flow in ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"):
            out.warnings.append(
                "Refresh token rotation is on: REFRESH_TOKEN_AUTH is refused; use GetTokensFromRefreshToken."
            )
    if pool is not None:
        out.facts.append(("MFA", pool.get("MfaConfiguration", "OFF")))
        tier = pool.get("UserPoolTier")
        if tier:
            out.facts.append(("Tier", tier))
            if tier == "LITE" and inp.flow == "USER_AUTH":
                out.warnings.append("USER_AUTH needs the Essentials or Plus tier; this pool is Lite.")
        if pool.get("UsernameAttributes"):
            out.facts.append(("Sign in with", ", ".join(pool["UsernameAttributes"]) + " (real username is a UUID)"))
        if pool.get("AliasAttributes"):
            out.facts.append(("Aliases", ", ".join(pool["AliasAttributes"])))
        device = pool.get("DeviceConfiguration")
        if device:
            out.facts.append(
                (
                    "Device tracking",
                    f"on (challenge on new device: {device.get('ChallengeRequiredOnNewDevice', False)}, "
                    f"remember only on prompt: {device.get('DeviceOnlyRememberedOnUserPrompt', False)})",
                )
            )
        else:
            out.facts.append(("Device tracking", "off"))
        first = ((pool.get("Policies") or {}).get("SignInPolicy") or {}).get("AllowedFirstAuthFactors")
        if first:
            out.facts.append(("First factors", ", ".join(first)))
        triggers = sorted(k for k, v in (pool.get("LambdaConfig") or {}).items() if v)
        if triggers:
            out.facts.append(("Triggers", ", ".join(triggers)))
        if (
            inp.flow == "CUSTOM_AUTH"
            and pool.get("LambdaConfig") is not None
            and not (pool["LambdaConfig"].get("DefineAuthChallenge"))
        ):
            out.warnings.append("CUSTOM_AUTH needs a Define Auth Challenge trigger; this pool has none.")
    if mfa is not None:
        factors = []
        if (mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"):
            factors.append("TOTP")
        if mfa.get("SmsMfaConfiguration"):
            factors.append("SMS")
        if mfa.get("EmailMfaConfiguration"):
            factors.append("email")
        if (mfa.get("WebAuthnConfiguration") or {}).get("RelyingPartyId"):
            factors.append("passkeys")
        out.facts.append(("MFA factors", ", ".join(factors) or "none"))
    if user is not None:
        status = user.get("UserStatus", "?")
        enabled = user.get("Enabled", True)
        out.facts.append(("User", f"{user.get('Username', '')}: {status}{'' if enabled else ', disabled'}"))
        settings = user.get("UserMFASettingList") or []
        out.facts.append(
            (
                "User MFA",
                (", ".join(settings) or "none")
                + (f" (preferred {user['PreferredMfaSetting']})" if user.get("PreferredMfaSetting") else ""),
            )
        )
        if status in _STATUS_EXPECT:
            out.warnings.append(f"User status {status}: {_STATUS_EXPECT[status]}.")
        if not enabled:
            out.warnings.append("The user is disabled: expect 'User is disabled.'")
        if pool is not None and pool.get("MfaConfiguration") == "ON" and not settings:
            out.warnings.append("Pool MFA is ON and the user has no factor: expect MFA_SETUP.")
        if len(settings) > 1 and not user.get("PreferredMfaSetting"):
            out.warnings.append("Several MFA factors and none preferred: expect SELECT_MFA_TYPE.")
        if inp.username and user.get("Username") and user["Username"] != inp.username:
            out.facts.append(("Real username", user["Username"]))
    return out
