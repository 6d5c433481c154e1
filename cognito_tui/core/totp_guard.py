"""Which TOTP code to send now, so that a code already used in its 30-s window is never sent blindly.

Cognito refuses a code whose time step (or a later one) was already accepted ("Your software token
has already been used once."): this bites when VerifySoftwareToken and the first sign-in fall in
the same window. Cognito accepts one step of clock skew, so the next window's code is the way out.
"""

from __future__ import annotations

from dataclasses import dataclass

from cognito_tui.core import totp


@dataclass(frozen=True)
class CodePick:
    """The code to send now, its time step, how long its window lasts, and why it was chosen."""

    code: str
    step: int
    seconds_left: int
    note: str = ""  # said to the user when the code is not simply the current window's


def pick_code(seed: str, now: float, last_used: int | None = None) -> CodePick:
    """The current window's code, or the next one's when this window's was already sent."""
    current = totp.counter(now)
    left = totp.seconds_left(now)
    if last_used is None or current > last_used:
        return CodePick(totp.code_at(seed, current), current, left)
    if last_used == current:
        note = (
            f"the code of this 30-s window was already used; sending the next window's code instead "
            f"(Cognito accepts one step of clock skew; this window ends in {left} s)"
        )
        return CodePick(totp.code_at(seed, current + 1), current + 1, left + totp.PERIOD, note)
    raise CodeAlreadyUsed(left + (last_used - current) * totp.PERIOD)


class CodeAlreadyUsed(ValueError):
    """Every code Cognito would accept now was already used: wait for the next window."""

    def __init__(self, wait: int) -> None:
        super().__init__(
            f"the codes of this window and the next were already used; wait {wait} s for a code Cognito accepts"
        )
        self.wait = wait


def reuse_warning(seed: str, code: str, now: float, last_used: int | None) -> str | None:
    """In words, why sending `code` now would be refused as reused (None: it would not be)."""
    if last_used is None:
        return None
    step = totp.matching_counter(seed, code, now, skew=1)
    if step is None or step > last_used:
        return None
    return (
        f"code {code} was already used in its 30-s window: Cognito will refuse it "
        f"(ExpiredCodeException: Your software token has already been used once). "
        f"Use the next window's code (in {totp.seconds_left(now)} s, or the key that sends it now)."
    )


def step_of(seed: str, code: str, now: float) -> int | None:
    """The time step `code` belongs to (within one step of `now`), to remember it as used."""
    return totp.matching_counter(seed, code, now, skew=1)


def group_by_four(secret: str) -> str:
    """JBSWY3DPEHPK3PXP -> JBSW Y3DP EHPK 3PXP: easier to type into an authenticator app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def countdown_bar(seconds_left: int, width: int = 30) -> str:
    """A bar that empties as the window runs out."""
    filled = max(0, min(width, round(width * seconds_left / totp.PERIOD)))
    return "█" * filled + "░" * (width - filled)
