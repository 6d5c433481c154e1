"""The Tokens tab's part for OAuth tokens: how they differ from InitiateAuth's, the userInfo answer, and
the user's sessions (ListUserSessions) with a key to revoke one (RevokeUserSession).

Mounted into the Tokens pane by `show_oauth_tokens` when an OAuth walk ends with tokens; removed by
`leave_oauth_tokens` when an InitiateAuth walk starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from cognito_tui.tui.threads import off_thread

if TYPE_CHECKING:
    from cognito_tui.tui.oauth_session import OAuthSession

HINT = ("[dim]OAuth tokens · in the sessions table: l lists the sessions, d revokes the selected one, "
        "f refreshes at /oauth2/token · ctrl+y reveal[/]")  # fmt: skip


@dataclass
class OAuthTokens:
    """What the Tokens pane's signature check reads: the tokens and their claims."""

    result: dict[str, Any]
    claims: dict[str, Any]


class SessionsTable(DataTable):
    DEFAULT_CSS = "SessionsTable { height: auto; max-height: 7; }"

    def on_mount(self) -> None:
        self.cursor_type = "row"
        self.add_columns("session", "type", "client", "created", "current", "origin")


class OAuthTokensPanel(Vertical):
    """Differences, userInfo and sessions of the OAuth tokens shown above it."""

    DEFAULT_CSS = """
    OAuthTokensPanel { height: auto; max-height: 50%; border-top: hkey $panel; padding: 0 1; overflow-y: auto; }
    OAuthTokensPanel > Static { height: auto; }
    OAuthTokensPanel .heading { text-style: bold; }
    """
    BINDINGS = [
        Binding("l", "list_sessions", "List sessions", tooltip="ListUserSessions with the access token"),
        Binding("d", "revoke_session", "Revoke session", tooltip="RevokeUserSession for the selected session"),
        Binding("f", "refresh", "Refresh (OAuth)", tooltip="new tokens from the refresh token at /oauth2/token"),
    ]

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.session: OAuthSession | None = None
        self.sessions: list[dict[str, Any]] = []

    def compose(self) -> Any:
        yield Static("How these tokens differ from InitiateAuth's", classes="heading")
        yield Static("", id="oauth-differences")
        yield Static("", id="oauth-userinfo")
        yield Static("User sessions (ListUserSessions)", classes="heading", id="sessions-heading")
        yield SessionsTable(id="oauth-sessions")
        yield Static("", id="sessions-note")

    def show_session(self, session: OAuthSession) -> None:
        self.session = session
        lines = session.differences()
        self.query_one("#oauth-differences", Static).update("\n".join(f"· {escape(line)}" for line in lines))
        userinfo = session.userinfo
        self.query_one("#oauth-userinfo", Static).update(
            f"[b]userInfo[/b] {escape(json.dumps(userinfo, ensure_ascii=False))}" if userinfo is not None else ""
        )
        user_token = session.kind == "code" or "username" in session.claims.get("access", {})
        for widget in (self.query_one("#sessions-heading"), self.query_one(SessionsTable)):
            widget.display = user_token
        self.query_one(SessionsTable).clear()
        self.sessions = []
        if user_token:
            self.note("[dim]listing the sessions…[/]")
            self.action_list_sessions()
        else:
            self.note("[dim]An M2M token has no user: no sessions to list.[/]")

    def note(self, text: str) -> None:
        self.query_one("#sessions-note", Static).update(text)

    # --- sessions ---------------------------------------------------------------------------------------

    def action_list_sessions(self) -> None:
        if self.session is None:
            return
        self.run_worker(self._list(), group="oauth-sessions", exclusive=True, exit_on_error=False,
                        description="ListUserSessions")  # fmt: skip

    async def _list(self, prefix: str = "") -> None:
        assert self.session is not None
        step = await off_thread(self.session.list_sessions)
        if not step.ok:
            self.note(f"[$error]{escape(step.explanation)}[/]")
            return
        self.sessions = list(step.result.get("Sessions") or [])
        table = self.query_one(SessionsTable)
        table.clear()
        for s in self.sessions:
            created: Any = s.get("CreateDate")
            table.add_row(s.get("SessionId", ""), s.get("SessionType", ""), s.get("ClientId", ""),
                          created.strftime("%H:%M:%S") if hasattr(created, "strftime") else str(created or ""),
                          "● this one" if s.get("IsCurrentSession") else "", s.get("OriginSessionId") or "—",
                          key=s.get("SessionId"))  # fmt: skip
        self.note(
            f"{prefix}{len(self.sessions)} session(s) · l lists again · d revokes the selected one (not the current)"
        )

    def action_revoke_session(self) -> None:
        table = self.query_one(SessionsTable)
        if self.session is None or not self.sessions or table.cursor_row < 0:
            self.notify("No session selected: l lists them first.", severity="warning")
            return
        chosen = self.sessions[min(table.cursor_row, len(self.sessions) - 1)]
        self.run_worker(self._revoke(chosen["SessionId"]), group="oauth-sessions", exclusive=True,
                        exit_on_error=False, description="RevokeUserSession")  # fmt: skip

    async def _revoke(self, session_id: str) -> None:
        assert self.session is not None
        step = await off_thread(self.session.revoke_session, session_id)
        if not step.ok:
            self.notify(step.explanation, title="RevokeUserSession refused", severity="error", timeout=10)
            self.note(f"[$error]{escape(step.explanation)}[/]")
            return
        self.notify(f"Session {session_id} revoked: its tokens no longer work.", title="RevokeUserSession")
        await self._list(prefix=f"revoked {escape(session_id)} · ")

    def action_refresh(self) -> None:
        session = self.session
        if session is None or session.walk is None or not session.result.get("RefreshToken"):
            self.notify("No refresh token from /oauth2/token in these tokens.", severity="warning")
            return
        self.run_worker(self._refresh(), group="oauth-refresh", exclusive=True, exit_on_error=False,
                        description="refresh at /oauth2/token")  # fmt: skip

    async def _refresh(self) -> None:
        assert self.session is not None
        step = await off_thread(self.session.refresh)
        if not step.ok:
            cause = step.failure.cause if step.failure else step.explanation
            self.notify(cause, title="Refresh refused", severity="error", timeout=10)
            return
        tokens = self.parent
        if tokens is not None:
            show_oauth_tokens(tokens, self.session)
        self.notify("New tokens from /oauth2/token.", title="Refreshed")


def show_oauth_tokens(tokens: Any, session: OAuthSession) -> None:
    """Show an OAuth walk's tokens in the Tokens pane, with this panel below its claims."""
    tokens.signed_in, tokens.walk = None, None  # its InitiateAuth actions do not apply to these tokens
    tokens.endpoint_url = session.inputs.endpoint_url or None
    tokens.hint = HINT
    tokens.show(session.result, session.claims)
    tokens.verify(OAuthTokens(session.result, session.claims))
    panels = list(tokens.query(OAuthTokensPanel))
    if panels:
        panels[0].display = True
        panels[0].show_session(session)
        return
    panel = OAuthTokensPanel(id="oauth-tokens")
    tokens.mount(panel)
    tokens.call_after_refresh(panel.show_session, session)


def leave_oauth_tokens(tokens: Any) -> None:
    """An InitiateAuth walk starts: its tokens will be shown without the OAuth panel."""
    for panel in tokens.query(OAuthTokensPanel):
        panel.remove()
    if "hint" in vars(tokens):
        del tokens.hint  # back to the class's own
