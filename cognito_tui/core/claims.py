"""Claims in words, and two runs' claims side by side: what the Tokens tab and `login` explain.

Pure: claims in, sentences and rows out. Sources: cognito-protocol.md section 6 (the claims Cognito
issues on its own); anything else was added by a pre-token-generation trigger or is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognito_tui.core.redact import DEVICE_KEYS, MASK, fingerprint

ADMIN_SCOPE = "aws.cognito.signin.user.admin"
SCOPES = {
    ADMIN_SCOPE: "the user's own Cognito API calls (GetUser, UpdateUserAttributes, ChangePassword, "
    "AssociateSoftwareToken, ConfirmDevice, ListDevices, GlobalSignOut)",
    "openid": "OpenID Connect: an ID token, and the userInfo endpoint may be read",
    "email": "userInfo returns email and email_verified",
    "phone": "userInfo returns phone_number and phone_number_verified",
    "profile": "userInfo returns every attribute the client may read",
}
# What Cognito puts in its tokens by itself; the rest came from a trigger (or another issuer).
STANDARD = {
    "sub": "the user's immutable id (a UUID): the key to store users by",
    "iss": "the issuer: the pool's URL; the keys that sign the token are at {iss}/.well-known/jwks.json",
    "aud": "the app client the ID token was issued to",
    "client_id": "the app client the access token was issued to (access tokens have no aud)",
    "token_use": "",
    "scope": "",
    "auth_time": "when the user signed in (kept across refreshes)",
    "iat": "when this token was issued",
    "exp": "when this token stops being valid",
    "nbf": "not valid before this time",
    "jti": "this token's unique id",
    "origin_jti": "the id of the sign-in this token descends from (the same across refreshes; revocation uses it)",
    "event_id": "the id of the authentication event",
    "username": "the real username (what SECRET_HASH and the admin API use)",
    "cognito:username": "the real username (what SECRET_HASH and the admin API use)",
    "cognito:groups": "",
    "cognito:roles": "IAM roles of the user's groups (for an identity pool)",
    "cognito:preferred_role": "the IAM role of the group with the best precedence",
    "device_key": "the remembered device this session signed in with (refreshes must send it as DEVICE_KEY)",
    "version": "the access-token format version",
    "email": "the email attribute",
    "email_verified": "whether the email was verified (a boolean in the ID token)",
    "phone_number": "the phone_number attribute",
    "phone_number_verified": "whether the phone number was verified",
    "identities": "the federated identities (SAML, OIDC, social) linked to this user",
    "nonce": "echoes the nonce of the authorize request (replay protection, OIDC)",
    "at_hash": "half the SHA-256 of the access token issued beside this ID token",
    "amr": "how the user authenticated",
    "acr": "the authentication context class",
}
ATTRIBUTES = {"name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile",
              "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "address", "updated_at"}  # fmt: skip
# Claims that change on every issue: a diff of two runs shows them apart, as expected to differ.
VOLATILE = frozenset({"iat", "exp", "auth_time", "nbf", "jti", "origin_jti", "event_id", "at_hash", "nonce"})


@dataclass(frozen=True)
class ClaimNote:
    """One claim explained: `kind` is standard, attribute, custom, group, scope or trigger."""

    claim: str
    text: str
    kind: str = "standard"


def scope_words(scope: str) -> str:
    """What one scope grants, in words."""
    if scope in SCOPES:
        return SCOPES[scope]
    if "/" in scope:
        server, _, name = scope.rpartition("/")
        return f"custom scope {name!r} of resource server {server!r} (your API decides what it allows)"
    return "a scope Cognito does not define (a trigger or another issuer added it)"


def token_use_words(use: Any) -> str:
    if use == "id":
        return (
            "an ID token: who signed in, for the app (aud = client id). Do not send it to APIs that expect an "
            "access token; Cognito's own API refuses it"
        )
    if use == "access":
        return (
            "an access token: what the bearer may do, for APIs (Cognito's GetUser etc., API Gateway, your own); "
            "its scope says which"
        )
    return f"token_use {use!r}: not a Cognito ID or access token"


def explain_claims(claims: dict[str, Any]) -> list[ClaimNote]:
    """Every claim of one token, explained; claims Cognito does not issue itself are called out."""
    notes: list[ClaimNote] = []
    for claim, value in claims.items():
        notes.append(_note(claim, value, claims))
    return notes


def _note(claim: str, value: Any, claims: dict[str, Any]) -> ClaimNote:
    if claim == "token_use":
        return ClaimNote(claim, token_use_words(value))
    if claim == "scope":
        parts = str(value).split()
        said = "; ".join(f"{s}: {scope_words(s)}" for s in parts) or "no scope"
        if ADMIN_SCOPE not in parts and claims.get("token_use") == "access":
            said += f". Without {ADMIN_SCOPE}, Cognito's user API (GetUser...) refuses this token"
        return ClaimNote(claim, said, "scope")
    if claim == "cognito:groups":
        groups = value if isinstance(value, list) else [value]
        names = ", ".join(map(str, groups)) or "none"
        return ClaimNote(
            claim, f"member of {len(groups)} group(s): {names} (authorize on these, not on names)", "group"
        )
    if claim.startswith("custom:"):
        kind = "a string, as Cognito sends every custom attribute" if isinstance(value, str) else "not a string"
        return ClaimNote(claim, f"custom attribute {claim[7:]!r} ({kind})", "custom")
    if claim == "iss":
        return ClaimNote(claim, STANDARD["iss"].replace("{iss}", str(value).rstrip("/")))
    if claim in STANDARD:
        return ClaimNote(claim, STANDARD[claim])
    if claim in ATTRIBUTES:
        return ClaimNote(claim, f"the {claim} attribute (the client may read it)", "attribute")
    return ClaimNote(
        claim,
        "not a claim Cognito issues by itself: added by a pre-token-generation trigger (or another issuer)",
        "trigger",
    )


def summary(claims: dict[str, dict[str, Any]]) -> list[str]:
    """A few sentences on a sign-in's tokens: who, what kind, which scopes, groups and added claims."""
    lines: list[str] = []
    idc, acc = claims.get("id") or {}, claims.get("access") or {}
    who = acc.get("username") or idc.get("cognito:username") or idc.get("email") or "?"
    lines.append(f"Signed in as {who} (sub {acc.get('sub') or idc.get('sub') or '?'}).")
    if acc:
        scopes = str(acc.get("scope", "")).split()
        lines.append(f"Access token scopes: {', '.join(scopes) or 'none'}.")
        if ADMIN_SCOPE in scopes:
            lines.append("It may call the user's own Cognito API (GetUser, ChangePassword, devices, sign-out).")
        if "openid" in scopes:
            lines.append("It may read the userInfo endpoint.")
        custom = [s for s in scopes if "/" in s]
        if custom:
            lines.append(f"Custom scopes for your API: {', '.join(custom)}.")
    groups = acc.get("cognito:groups") or idc.get("cognito:groups")
    lines.append(f"Groups: {', '.join(map(str, groups))}." if groups else "In no group.")
    custom_attrs = sorted(k for k in idc if k.startswith("custom:"))
    if custom_attrs:
        lines.append(f"Custom attributes: {', '.join(custom_attrs)}.")
    added = sorted({n.claim for token in (idc, acc) for n in explain_claims(token) if n.kind == "trigger"})
    if added:
        lines.append(f"Claims a trigger added: {', '.join(added)}.")
    if acc.get("device_key"):
        lines.append("Signed in on a remembered device: refreshes must send its DEVICE_KEY.")
    return lines


# --- two runs side by side ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimChange:
    """One claim of one token in two runs: `change` is same, changed, added, removed (volatile: expected)."""

    token: str  # "id" or "access"
    claim: str
    before: Any
    after: Any
    change: str

    @property
    def volatile(self) -> bool:
        return self.claim in VOLATILE

    @property
    def mark(self) -> str:
        if self.change == "same":
            return " "
        if self.volatile:
            return "~"
        return {"changed": "≠", "added": "+", "removed": "-"}[self.change]


_ABSENT = object()


def diff_claims(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]]) -> list[ClaimChange]:
    """Both runs' claims, token by token, in the order they appear (the newer run's first)."""
    rows: list[ClaimChange] = []
    for token in ("id", "access"):
        old, new = before.get(token) or {}, after.get(token) or {}
        for claim in [*new, *(k for k in old if k not in new)]:
            a, b = old.get(claim, _ABSENT), new.get(claim, _ABSENT)
            if a is _ABSENT:
                change = "added"
            elif b is _ABSENT:
                change = "removed"
            else:
                change = "same" if a == b else "changed"
            rows.append(ClaimChange(token, claim, None if a is _ABSENT else a, None if b is _ABSENT else b, change))
    return rows


def differences(rows: list[ClaimChange], include_volatile: bool = False) -> list[ClaimChange]:
    """The rows that differ (without the claims that change on every issue, unless asked)."""
    return [r for r in rows if r.change != "same" and (include_volatile or not r.volatile)]


def value_text(value: Any) -> str:
    """A claim value as one line of text, whole (lists joined, objects as JSON-ish text)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def history_claims(claims: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Claims fit to keep in the history: the remembered device's key masked (it is half its secret)."""
    out: dict[str, dict[str, Any]] = {}
    for token, values in claims.items():
        out[token] = {
            k: (f"{MASK} #{fingerprint(v)}" if k in DEVICE_KEYS and isinstance(v, str) and v else v)
            for k, v in (values or {}).items()
        }
    return out
