"""A sequence diagram of the calls so far: the app on the left, Cognito on the right, one arrow pair per call.

Drawn from the operation, the challenge answered and the outcome only (never a value), in as many
rows as fit: the newest calls stay, older ones fold into one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

LEFT, RIGHT = "App (client)", "Cognito"


@dataclass(frozen=True)
class Arrow:
    """One call: what went to Cognito, what came back, and how it ended."""

    number: int
    request: str  # e.g. "RespondToAuthChallenge · SOFTWARE_TOKEN_MFA"
    response: str  # e.g. "tokens", "SOFTWARE_TOKEN_MFA", "NotAuthorizedException", "waiting…"
    kind: str  # "challenge" | "tokens" | "error" | "ok" | "pending"


STYLES = {
    "challenge": "bold black on bright_yellow",
    "tokens": "bold black on bright_green",
    "error": "bold bright_white on red",
    "ok": "bold black on bright_cyan",
    "pending": "bold black on bright_white",
}


def arrows_of(records: list, pending: str | None = None) -> list[Arrow]:
    """Arrows from core CallRecords (and the call in flight, if any)."""
    out = []
    for i, record in enumerate(records, 1):
        request = record.request or {}
        answered = request.get("ChallengeName") or request.get("AuthFlow")
        label = f"{record.operation} · {answered}" if answered else record.operation
        if not record.ok:
            kind = "error"
        elif record.outcome == "tokens":
            kind = "tokens"
        elif record.challenge:
            kind = "challenge"
        else:
            kind = "ok"
        out.append(Arrow(i, label, "tokens ✓" if kind == "tokens" else record.outcome, kind))
    if pending:
        out.append(Arrow(len(records) + 1, pending, "waiting for Cognito…", "pending"))
    return out


def draw(arrows: list[Arrow], width: int, height: int) -> Text:
    """The diagram as Rich text, `width` columns by at most `height` rows."""
    width = max(width, 40)
    inner = width - 7  # " NN │" on the left, "│" on the right: every row is width - 1 long
    text = Text()
    text.append(f"    {LEFT}".ljust(width - len(RIGHT) - 1) + RIGHT + "\n", style="bold bright_white")
    rows = max(height - 2, 2)
    shown = arrows[-(rows // 2) :] if arrows else []
    hidden = len(arrows) - len(shown)
    if hidden:
        text.append(f"    │ … {hidden} earlier call(s)".ljust(width - 2) + "│\n", style="bright_white")
    if not arrows:
        text.append("    │".ljust(width - 2) + "│\n", style="bright_white")
        text.append("    │  no call yet: ctrl+r starts the sign-in".ljust(width - 2) + "│", style="bright_white")
        return text
    for n, arrow in enumerate(shown):
        label = _fit(arrow.request, inner - 6)
        line = f" {label} "
        request = "──" + line + "─" * max(inner - len(line) - 3, 0) + "▶"
        text.append(f"{arrow.number:>3} │", style="bold bright_white")
        text.append(request, style="bold bright_cyan")
        text.append("│\n", style="bold bright_white")
        answer = f" {_fit(arrow.response, inner - 6)} "
        text.append("    │◀", style="bold bright_white")
        text.append("─" * max(inner - len(answer) - 3, 0), style="bold " + _line_color(arrow.kind))
        text.append(answer, style=STYLES[arrow.kind])
        text.append("──", style="bold " + _line_color(arrow.kind))
        text.append("│" + ("\n" if n < len(shown) - 1 else ""), style="bold bright_white")
    return text


def _line_color(kind: str) -> str:
    return {"tokens": "bright_green", "error": "red", "challenge": "bright_yellow"}.get(kind, "bright_white")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


class SequenceDiagram(Widget):
    """Redrawn from its arrows at whatever size it is given."""

    DEFAULT_CSS = "SequenceDiagram { height: auto; min-height: 4; padding: 0 1; }"

    def __init__(self, **kw) -> None:
        super().__init__(**kw)
        self.arrows: list[Arrow] = []
        self.max_rows = 12

    def show(self, arrows: list[Arrow], max_rows: int | None = None) -> None:
        self.arrows = list(arrows)
        if max_rows is not None:
            self.max_rows = max_rows
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        calls = min(len(self.arrows), max((self.max_rows - 2) // 2, 1))
        folded = 1 if len(self.arrows) > calls else 0
        return 1 + (2 * calls + folded if self.arrows else 2)

    def render(self) -> Text:
        return draw(self.arrows, self.content_size.width, self.max_rows)
