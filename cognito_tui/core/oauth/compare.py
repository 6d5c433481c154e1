"""How tokens from the OAuth endpoints (or the M2M and exchange APIs) differ from InitiateAuth's, in words.

Follows managed-login.md section 5's claims table, read against the tokens actually received.
"""

from __future__ import annotations

from typing import Any

INITIATE_AUTH_SCOPE = "aws.cognito.signin.user.admin"


def token_differences(claims: dict[str, dict[str, Any]], kind: str = "code") -> list[str]:
    """One line per difference; `kind` is the flow: "code", "client_credentials", "token_exchange"."""
    access, id_claims = claims.get("access") or {}, claims.get("id") or {}
    lines: list[str] = []
    scope = str(access.get("scope", ""))
    if scope:
        custom = [s for s in scope.split() if "/" in s]
        line = f"scope {scope!r}: the scopes granted, where an InitiateAuth token carries only {INITIATE_AUTH_SCOPE}"
        if custom:
            line += (
                f"; custom scopes ({', '.join(custom)}) only ever come from the OAuth endpoints and M2M/exchange APIs"
            )
        lines.append(line + ".")
    if "version" in access:
        lines.append(f"version {access['version']}: OAuth-endpoint access tokens carry it; InitiateAuth's do not.")
    elif access and kind != "token_exchange":
        lines.append("no version claim: this access token looks like an InitiateAuth one.")
    if kind == "client_credentials":
        lines.append(
            f"sub is the client id ({access.get('sub', '?')}): no user, no username, no cognito:groups, "
            "and neither an ID token nor a refresh token."
        )
    if kind == "token_exchange":
        if "act" in access:
            lines.append(f"act {access['act']}: delegation, the actor that asked is named; the subject stays the user.")
        else:
            lines.append("no act claim: impersonation, the token looks like the user's own, issued to this client.")
        if "aud" in access:
            lines.append(f"aud {access['aud']!r}: the audience asked for (InitiateAuth access tokens have no aud).")
    if id_claims:
        if "nonce" in id_claims:
            lines.append("nonce in the ID token: the authorize request's nonce, checked here; InitiateAuth has none.")
        if "at_hash" in id_claims:
            lines.append(
                "at_hash in the ID token: binds it to this access token (code flow); absent from InitiateAuth."
            )
    if "origin_jti" in access:
        lines.append("origin_jti, jti, event_id, auth_time: as with InitiateAuth (revoking the refresh token "
                     "ends every token sharing the origin_jti).")  # fmt: skip
    if "device_key" not in access and kind == "code":
        lines.append("no device_key: managed login does no device tracking (InitiateAuth may add one).")
    if "aud" in access and kind == "code":
        lines.append(f"aud {access['aud']!r}: the RFC 8707 resource asked for at /oauth2/authorize.")
    return lines
