"""The root of cognito-tui's own errors: every one carries a title, what happened and the next step.

Front ends (the TUI, `login`) show any `Problem` the same way; anything else reaching them is a bug
and is shown as one. Subclasses live beside the code that raises them (store, aws, sandbox, ...).
"""

from __future__ import annotations


class Problem(Exception):
    """An error of ours that a user can act on: `title` for a heading, `message`, then `next_step`."""

    title = "Something went wrong"
    next_step = ""

    def __init__(self, message: str, *, title: str | None = None, next_step: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title
        if next_step is not None:
            self.next_step = next_step

    def text(self) -> str:
        """The three parts as lines, for stderr or a status line."""
        return "\n".join(part for part in (f"{self.title}: {self.message}", self.next_step) if part)
