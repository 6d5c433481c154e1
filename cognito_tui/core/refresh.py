"""A refresh that finds out by itself whether the client rotates refresh tokens (no pre-flight needed).

In order: what is already known (a pre-flight, an earlier refresh), else DescribeUserPoolClient's
RefreshTokenRotation when credentials allow reading it, else REFRESH_TOKEN_AUTH, retried once with
GetTokensFromRefreshToken when Cognito's refusal asks for it (cognito-protocol.md section 6).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cognito_tui.core.actions import TokenActions
from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.walk import Failed, SignedIn, Step

# Cognito (and the sandbox) refuse REFRESH_TOKEN_AUTH on a rotating client with an
# InvalidParameterException naming rotation or GetTokensFromRefreshToken.
_ASKS_FOR_ROTATION = re.compile(r"GetTokensFromRefreshToken|refresh token rotation|rotation is enabled", re.I)


def asks_for_rotation(error: object) -> bool:
    """Whether a refusal of REFRESH_TOKEN_AUTH says the client rotates refresh tokens."""
    return (
        isinstance(error, CognitoError)
        and error.code == "InvalidParameterException"
        and bool(_ASKS_FOR_ROTATION.search(error.message))
    )


def rotation_of(client: dict[str, Any] | None) -> bool | None:
    """RefreshTokenRotation of a DescribeUserPoolClient's UserPoolClient (None: it does not say)."""
    if not isinstance(client, dict):
        return None
    feature = (client.get("RefreshTokenRotation") or {}).get("Feature")
    return None if feature is None else feature == "ENABLED"


@dataclass
class Refreshed:
    """The outcome of a refresh, how rotation was found out, and the refresh token to keep from now on."""

    step: Step
    rotation: bool | None  # what is now known of the client (None: still unknown)
    how: str  # in words, for the screen and stderr
    refresh_token: str | None = None  # the token to keep: rotated (new) or the one used

    @property
    def rotated(self) -> bool:
        return bool(self.rotation and isinstance(self.step, SignedIn) and self.refresh_token)


def refresh(
    actions: TokenActions,
    result: dict[str, Any],
    rotation: bool | None = None,
    describe: Callable[[], dict[str, Any] | None] | None = None,
) -> Refreshed:
    """New tokens from `result`'s refresh token, with GetTokensFromRefreshToken when the client rotates."""
    old = result.get("RefreshToken")
    how = "known from an earlier call" if rotation is not None else ""
    if rotation is None and describe is not None:
        try:
            rotation = rotation_of(describe())
        except (CognitoError, TransportError) as exc:  # no IAM permission, no credentials: find out by trying
            how = f"DescribeUserPoolClient not readable ({exc}); trying REFRESH_TOKEN_AUTH"
        else:
            how = "DescribeUserPoolClient: " + (
                "the client rotates refresh tokens" if rotation else "the client does not rotate refresh tokens"
            )
    if rotation:
        step = actions.refresh(result, rotation=True)
        return _done(step, True, how or "the client rotates refresh tokens", old)
    step = actions.refresh(result, rotation=False)
    if isinstance(step, Failed) and asks_for_rotation(step.error):
        said = f"Cognito refused REFRESH_TOKEN_AUTH ({step.message}): retried with GetTokensFromRefreshToken"
        return _done(actions.refresh(result, rotation=True), True, said, old)
    return _done(step, rotation if rotation is not None else (False if isinstance(step, SignedIn) else None), how, old)


def _done(step: Step, rotation: bool | None, how: str, old: str | None) -> Refreshed:
    if isinstance(step, SignedIn):
        new = step.result.get("RefreshToken")
        if not new and old:  # REFRESH_TOKEN_AUTH (or rotation off) returns none: the old one stays valid
            step = SignedIn({**step.result, "RefreshToken": old}, step.claims)
        return Refreshed(step, rotation, how, new or old)
    return Refreshed(step, rotation, how, old)
