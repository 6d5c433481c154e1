"""Tokens: the claims as tables, each explained; verification; exports; two runs compared; refresh.

Other panes mount their own lists (devices, user sessions) into `#tokens-extras` at the bottom.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from cognito_tui.core.redact import MASK
from cognito_tui.core.tokens import TIME_CLAIMS, human_time
from cognito_tui.tui import messages as m
from cognito_tui.tui.threads import off_thread
from cognito_tui.tui.widgets.token_views import ClaimDetail, ClaimSet, DiffTable, RunPicker, diff_heading

if TYPE_CHECKING:
    from cognito_tui.core.walk import SignedIn, Walk
    from cognito_tui.tui.services import Services

EXPORT_NEXT = {"env": "header", "header": "curl", "curl": "json", "json": "env"}
HELP = "ctrl+f refresh · g GetUser · v revoke · o sign-out · x export · u curl URL · d compare · ctrl+y reveal"
HISTORY_RUNS = 30  # newest history runs offered for a comparison


class ClaimsTable(DataTable):
    DEFAULT_CSS = "ClaimsTable { height: 1fr; }"

    def __init__(self, token: str, **kw) -> None:
        super().__init__(**kw)
        self.token = token

    def on_mount(self) -> None:
        self.add_columns(f"{self.token} claim", "value")  # says which token even when the titles give way
        self.cursor_type = "row"

    def show(self, claims: dict) -> None:
        self.clear()
        now = time.time()
        for key, value in claims.items():
            text = (
                human_time(value, now)
                if key in TIME_CLAIMS
                else (", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
            self.add_row(key, text, key=key)


class TokensPane(Vertical):
    SCOPED_CSS = False  # `.short TokensPane ...`: the main screen's class decides what gives way on short screens
    hint = HELP  # the key help line; an OAuth sign-in sets its own (tui/widgets/oauth_tokens.py)
    DEFAULT_CSS = """
    TokensPane #tokens-status, TokensPane #tokens-help { height: auto; padding: 0 1; }
    TokensPane #tokens-help { color: $text-muted; }
    .short TokensPane #tokens-help { display: none; }
    .short TokensPane ClaimDetail { max-height: 5; }
    .short TokensPane .claims > Static { display: none; }
    TokensPane #claims-pair { height: 1fr; }
    TokensPane #claims-diff { height: 1fr; display: none; }
    TokensPane #diff-heading { height: auto; padding: 0 1; }
    TokensPane Vertical.claims { width: 1fr; }
    TokensPane .claims > Static { text-style: bold; padding: 0 1; }
    TokensPane #tokens-output { height: auto; max-height: 12; padding: 0 1; color: $accent; display: none; }
    TokensPane #tokens-extras { height: auto; }
    """

    def __init__(self, services: Services, **kw) -> None:
        super().__init__(**kw)
        self.services = services
        self.signed_in: SignedIn | None = None
        self.walk: Walk | None = None
        self.endpoint_url: str | None = None
        self.rotation: bool | None = None  # the client rotates refresh tokens: None until found out
        self._export_format = "json"  # x cycles env -> header -> curl -> json
        self.curl_url = ""
        self._last_export: tuple[str, str] | None = (
            None  # (masked, whole) of the last copy, for ctrl+y  # u sets it: the URL the curl export GETs (empty: Cognito's GetUser)
        )
        self.result: dict | None = None
        self.claims: dict = {}
        self.label = ""  # where the claims shown came from, in words
        self.earlier: list[ClaimSet] = []  # this session's earlier tokens, newest first
        self.verification: str = ""
        self._summary_shown = True  # the detail line shows the summary until a claim is picked
        self.jwks_url = ""  # where the keys were read: the JWKS the issuer (or the walk's endpoint) names
        self.revealed = False

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)  # the access token's expiry countdown

    def _tick(self) -> None:
        if self.result and self.is_on_screen:
            self.refresh_status()

    def compose(self) -> ComposeResult:
        yield Static("No tokens yet.", id="tokens-status")
        yield Static(HELP, id="tokens-help")
        yield Static("", id="tokens-output")
        from cognito_tui.tui.widgets.devices import DevicesPanel  # issue 14: the user's devices

        yield DevicesPanel(id="devices-panel")
        with Horizontal(id="claims-pair"):
            with Vertical(classes="claims"):
                yield Static("ID token")
                yield ClaimsTable("ID", id="id-claims")
            with Vertical(classes="claims"):
                yield Static("Access token")
                yield ClaimsTable("access", id="access-claims")
        with Vertical(id="claims-diff"):
            yield Static("", id="diff-heading")
            yield DiffTable(id="diff-table")
        yield ClaimDetail("", id="claim-detail")
        yield Vertical(id="tokens-extras")  # devices and user sessions mount here

    def show(self, result: dict, claims: dict, label: str = "") -> None:
        if self.claims and self.claims != claims:
            self.earlier.insert(0, ClaimSet(f"this session: {self.label}", self.claims))
        self.result = result
        self.claims = claims
        self.label = label or self._label("tokens")
        self.verification = "checking the signature against the JWKS the issuer names…"
        self._summary_shown = True
        self.query_one("#id-claims", ClaimsTable).show(claims.get("id", {}))
        self.query_one("#access-claims", ClaimsTable).show(claims.get("access", {}))
        self._show_summary()
        self.refresh_status()

    def _label(self, what: str) -> str:
        access = self.claims.get("access", {}) if self.claims else {}
        who = access.get("username") or self.claims.get("id", {}).get("cognito:username", "?")
        return f"{what} of {who} at {time.strftime('%H:%M:%S')}"

    def _show_summary(self) -> None:
        from cognito_tui.core.claims import summary

        if not self._summary_shown:
            return
        keys = f" Keys: {self.jwks_url}." if self.jwks_url else ""
        text = (
            " ".join(summary(self.claims)) + keys + " Move in a table: each claim's whole value and meaning show here."
        )
        self.query_one(ClaimDetail).update(escape(text))

    @on(DataTable.RowHighlighted, "ClaimsTable")
    def _claim_highlighted(self, event: DataTable.RowHighlighted) -> None:
        token = "id" if event.data_table.id == "id-claims" else "access"
        claim = str(event.row_key.value)
        claims = self.claims.get(token, {})
        if self._summary_shown and event.cursor_row == 0:
            return  # the table's own cursor landing on its first row: the summary stays until the user moves
        self._summary_shown = False
        if claim in claims:
            self.query_one(ClaimDetail).show_claim(token, claim, claims[claim], claims)

    @on(DataTable.RowSelected, "ClaimsTable")
    def _claim_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a claim: its whole value and meaning in a view of their own (nothing cut, however long)."""
        from cognito_tui.core.claims import explain_claims, value_text
        from cognito_tui.tui.screens.dialogs import TextView

        token = "id" if event.data_table.id == "id-claims" else "access"
        claim = str(event.row_key.value)
        claims = self.claims.get(token, {})
        if claim not in claims:
            return
        note = next((n.text for n in explain_claims(claims) if n.claim == claim), "")
        self.app.push_screen(TextView(f"{token} token · {claim}", f"{value_text(claims[claim])}\n\n{note}"))

    def set_verification(self, text: str) -> None:
        self.verification = text
        self.refresh_status()

    def note(self, text: str) -> None:
        self._last_export = None  # another note replaces the export shown: ctrl+y no longer shows it
        output = self.query_one("#tokens-output", Static)
        output.update(text)
        output.display = bool(text)

    def refresh_status(self) -> None:
        if not self.result:
            return
        access = self.claims.get("access", {})
        exp = access.get("exp")
        left = f"access token expires {human_time(exp)}" if exp else ""
        scope = f"scope {escape(str(access['scope']))}" if access.get("scope") else ""
        refresh = self.result.get("RefreshToken")
        refresh_text = "none" if not refresh else (escape(refresh[:40]) + "…" if self.revealed else MASK)
        if refresh and self.rotation:
            refresh_text += " (rotating client: each refresh replaces it)"
        device = self.result.get("NewDeviceMetadata")
        device_text = (
            f"\nNew device {escape(device['DeviceKey'])}: ctrl+k remembers it (ConfirmDevice)" if device else ""
        )
        self.query_one("#tokens-status", Static).update(
            " · ".join(p for p in (f"[b]{escape(str(access.get('username', '')))}[/b]", left, scope) if p) + "\n"
            f"{escape(self.verification)}\nrefresh token: {refresh_text}{device_text}"
        )
        self.query_one("#tokens-help", Static).update(self.hint)

    # --- the tokens of a sign-in, and what can be done with them -------------------------------------

    def show_signed_in(self, step: SignedIn, walk: Walk | None, endpoint_url: str | None) -> None:
        before = self.walk
        if before is not None and walk is not None and walk.request.client_id != before.request.client_id:
            self.rotation = None  # another client: what was found out about rotation no longer holds
        self.signed_in, self.walk, self.endpoint_url = step, walk, endpoint_url
        self.show(step.result, step.claims, self._label_for(step, "sign-in"))
        self.verify(step)

    def _label_for(self, step: SignedIn, what: str) -> str:
        access = step.claims.get("access", {})
        who = access.get("username") or step.claims.get("id", {}).get("cognito:username", "?")
        return f"{what} of {who} at {time.strftime('%H:%M:%S')}"

    def set_revealed(self, revealed: bool) -> None:
        self.revealed = revealed
        self.refresh_status()
        last = self._last_export
        if last:  # the export shown follows the reveal toggle (the clipboard keeps what was copied)
            self.note(escape(last[1] if revealed else last[0]))
            self._last_export = last

    @work(exclusive=True, group="verify", exit_on_error=False, description="verifying tokens")
    async def verify(self, step: SignedIn) -> None:
        self.set_verification(await off_thread(self._verify, step))
        self._show_summary()

    def _verify(self, step: SignedIn) -> str:
        """The signatures checked against the JWKS the token's issuer names (blocking: one HTTP GET)."""
        from cognito_tui.aws.jwks import JwksError, fetch_jwks, verify
        from cognito_tui.core.tokens import issuer_note, jwks_url

        claims = step.claims.get("id") or step.claims.get("access") or {}
        issuer = claims.get("iss", "")
        request = self.walk.request if self.walk else None
        url = jwks_url(issuer, self.endpoint_url)  # the walk's own endpoint when it had one, never AWS behind it
        self.jwks_url = url
        try:
            jwks = fetch_jwks(url)
        except JwksError as exc:  # offline, blocked, not a JWKS: say so rather than pretend
            return f"signature not checked: {exc}"
        note = issuer_note(request.user_pool_id, claims) if request else None
        checked = [
            (
                use,
                verify(step.result[key], jwks, issuer=issuer or None, client_id=request.client_id if request else None),
            )
            for key, use in (("IdToken", "ID"), ("AccessToken", "access"))
            if key in step.result
        ]
        if checked and all(result.ok for _, result in checked):
            names = " and ".join(use for use, _ in checked)
            parts = [f"✓ {names} signature valid (RS256); iss, exp, token_use and audience check out"]
        else:
            parts = [f"{use}: {'✓' if result.ok else '✗'} {result.detail}" for use, result in checked]
            parts.append(f"keys: {url}")
        if note:
            parts.append(f"⚠ {note}")
        return "\n".join(parts)

    def _action(self, label: str, fn: Callable[[Any, dict], Any]) -> None:
        if self.walk is None or self.signed_in is None:
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self.note(f"[dim]{escape(label)}…[/]")
        self._run_action(label, fn, self.signed_in)

    @work(exclusive=True, group="tokens", exit_on_error=False, description="token action")
    async def _run_action(self, label: str, fn: Callable[[Any, dict], Any], step: SignedIn) -> None:
        from cognito_tui.core.actions import TokenActions
        from cognito_tui.core.errors import CognitoError, TransportError, explain
        from cognito_tui.core.refresh import Refreshed

        assert self.walk is not None
        actions = TokenActions(self.walk.caller, self.walk.request)
        try:
            outcome = await off_thread(fn, actions, step.result)
        except (CognitoError, TransportError) as exc:
            self.post_message(m.ActionFailed(label, explain(exc).text()))
            return
        except ValueError as exc:
            self.post_message(m.ActionFailed(label, str(exc)))
            return
        if isinstance(outcome, Refreshed):
            self.rotation = outcome.rotation if outcome.rotation is not None else self.rotation
            kept = " The rotated refresh token replaces the old one." if outcome.rotated else ""
            self.post_message(m.TokensChanged(outcome.step, f"{label}: {outcome.how or 'done'}.{kept}"))
            return
        changed = outcome if hasattr(outcome, "result") or hasattr(outcome, "explanation") else None
        self.post_message(m.TokensChanged(changed, f"{label}: {outcome if isinstance(outcome, str) else 'done'}"))

    def on_tokens_changed(self, event: m.TokensChanged) -> None:
        from cognito_tui.core.walk import Failed, SignedIn

        if isinstance(event.step, SignedIn):
            self.signed_in = event.step
            self.show(event.step.result, event.step.claims, self._label_for(event.step, "refresh"))
            self.verify(event.step)
            self.notify("New tokens.", title="Refreshed")
        elif isinstance(event.step, Failed):
            self.notify(event.step.explanation.text(), title=event.step.code, severity="error", timeout=10)
            self.note(escape(event.step.explanation.text()))
            return
        self.note(escape(event.note))

    def on_action_failed(self, event: m.ActionFailed) -> None:
        self.notify(event.detail, title=f"{event.title} failed", severity="error", timeout=10)
        self.note(escape(f"{event.title} failed:\n{event.detail}"))
        event.stop()

    def refresh_tokens(self) -> None:
        known = self.rotation

        def run(actions, result):
            from cognito_tui.core.refresh import refresh

            request, gateway = actions.request, actions.caller.transport
            describe = None
            if known is None and callable(getattr(gateway, "can_sign", None)) and gateway.can_sign():

                def describe():
                    params = {"UserPoolId": request.user_pool_id, "ClientId": request.client_id}
                    return actions.caller.checked("DescribeUserPoolClient", params).get("UserPoolClient")

            return refresh(actions, result, known, describe)

        self._action("Refresh", run)

    def get_user(self) -> None:
        self._action(
            "GetUser",
            lambda a, result: json.dumps(a.get_user(result["AccessToken"]).get("UserAttributes", []), indent=1),
        )

    def revoke(self) -> None:
        self._action("RevokeToken", lambda a, result: (a.revoke(result["RefreshToken"]), "refresh token revoked")[1])

    def global_sign_out(self) -> None:
        self._action(
            "GlobalSignOut", lambda a, result: (a.global_sign_out(result["AccessToken"]), "signed out everywhere")[1]
        )

    def remember_device(self) -> None:
        def remember(actions, result):
            device = actions.confirm_device(result["AccessToken"], result["NewDeviceMetadata"], "cognito-tui")
            self.post_message(m.DeviceRemembered(device))
            return f"device {device.device_key} remembered; the next sign-in proves it instead of MFA"

        if self.signed_in is None or not self.signed_in.new_device:
            self.notify(
                "No NewDeviceMetadata in these tokens (device tracking off, or a device key was sent).",
                severity="warning",
            )
            return
        self._action("ConfirmDevice", remember)

    # --- copy as ... ------------------------------------------------------------------------------------

    def export(self) -> None:
        from cognito_tui.core.claims_export import cognito_endpoint, export_tokens

        if self.signed_in is None:
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self._export_format = fmt = EXPORT_NEXT.get(self._export_format, "env")
        region = self.walk.request.user_pool_id.split("_", 1)[0] if self.walk else "us-east-1"
        text = export_tokens(
            self.signed_in.result,
            fmt,
            with_refresh=self.revealed,  # the refresh token only once secrets are shown (ctrl+y)
            url=self.curl_url or None,
            get_user_endpoint=cognito_endpoint(region, self.endpoint_url),
        )
        self.app.copy_to_clipboard(text)
        target = f" to {self.curl_url}" if fmt == "curl" and self.curl_url else (" (GetUser)" if fmt == "curl" else "")
        masked = f"({fmt}{target} export copied to the clipboard; ctrl+y shows it here)"
        self.note(escape(text if self.revealed else masked))
        self._last_export = (masked, text)
        self.notify(f"Tokens copied as {fmt}{target} (x again for the next format).")

    def ask_curl_url(self) -> None:
        """u: the URL a curl export sends the access token to (prefilled with the pool's userInfo endpoint)."""
        if self.walk is None:
            self.notify("Sign in first: there are no tokens.", severity="warning")
            return
        self._ask_curl_url(self.walk.request.user_pool_id, self.endpoint_url)

    @work(exclusive=True, group="curl-url", exit_on_error=False, description="finding the userInfo endpoint")
    async def _ask_curl_url(self, pool_id: str, endpoint_url: str | None) -> None:
        from cognito_tui.aws.discovery_doc import DiscoveryError, userinfo_endpoint
        from cognito_tui.tui.screens.dialogs import TextPrompt

        suggested = self.curl_url
        if not suggested:
            try:
                suggested = await off_thread(userinfo_endpoint, pool_id, endpoint_url)
            except DiscoveryError:
                suggested = ""

        def chosen(url: str | None) -> None:
            if url is not None and not url.startswith(("http://", "https://")):
                self.notify(f"{url!r} is not an http(s) URL; curl exports stay as they were.", severity="warning")
                return
            self.curl_url = url or ""
            said = f"curl exports GET {url}" if url else "curl exports call Cognito's GetUser"
            self.note(escape(f"{said} (x until curl)."))

        question = "URL for the curl export (empty: Cognito's GetUser; the pool's userInfo is filled in if found):"
        self.app.push_screen(TextPrompt(question, suggested), chosen)

    # --- two runs side by side --------------------------------------------------------------------------

    def compare(self) -> None:
        """d: pick an earlier run (this session or the history) and show both runs' claims, differences marked."""
        diff = self.query_one("#claims-diff")
        if diff.display:
            self._show_pair()
            return
        if not self.claims:
            self.notify("Sign in first: there are no claims to compare.", severity="warning")
            return
        self._pick_run()

    @work(exclusive=True, group="compare", exit_on_error=False, description="reading the history")
    async def _pick_run(self) -> None:
        choices = [*self.earlier, *await off_thread(self._history_choices)]
        self.app.push_screen(RunPicker(choices), self.show_diff)

    def _history_choices(self) -> list[ClaimSet]:
        """History runs that kept their claims (blocking: reads files), newest first, not the tokens shown."""
        from cognito_tui.store.history import list_runs, load_run

        out: list[ClaimSet] = []
        for run in list_runs(self.services.history_folder())[:HISTORY_RUNS]:
            try:
                claims = (load_run(run.path).get("meta") or {}).get("claims")
            except (OSError, ValueError):
                continue
            if isinstance(claims, dict) and claims and not _same_tokens(claims, self.claims):
                when = time.strftime("%Y-%m-%d %H:%M", time.localtime(run.started_at))
                out.append(ClaimSet(f"history: {run.title} · {when}", claims))
        return out

    def show_diff(self, before: ClaimSet | None) -> None:
        from cognito_tui.core.claims import diff_claims

        if before is None:
            return
        rows = diff_claims(before.claims, self.claims)
        self.query_one("#diff-heading", Static).update(diff_heading(rows, before.label))
        self.query_one("#diff-table", DiffTable).show(rows, "before", "now")
        self.query_one("#claims-pair").display = False
        self.query_one("#claims-diff").display = True
        self.query_one("#diff-table", DiffTable).focus()

    def _show_pair(self) -> None:
        self.query_one("#claims-diff").display = False
        self.query_one("#claims-pair").display = True
        self.query_one("#id-claims").focus()


def _same_tokens(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same tokens (by jti), e.g. the history's copy of the sign-in shown now."""
    return all((a.get(t) or {}).get("jti") == (b.get(t) or {}).get("jti") for t in ("id", "access"))
