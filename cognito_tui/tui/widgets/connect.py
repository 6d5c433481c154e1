"""The Connect form: where to sign in, who, how; and the pre-flight panel beside it."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.markup import escape
from textual import events, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from cognito_tui.core.flows import FLOWS, PREFERRED_CHALLENGES, check_pool_id, region_of
from cognito_tui.core.inputs import InputError, parse_context_data, parse_pairs
from cognito_tui.core.redact import Secret
from cognito_tui.core.request import RequestFields
from cognito_tui.tui import messages as m
from cognito_tui.tui.oauth_flows import flow_options
from cognito_tui.tui.threads import off_thread

if TYPE_CHECKING:
    from cognito_tui.core.request import SignIn
    from cognito_tui.tui.services import Services


def aws_profile_names(environ: Mapping[str, str] = os.environ, home: Path | None = None) -> list[str]:
    """Profile names in the AWS config and credentials files, as the AWS CLI finds them (no boto3).

    A pure helper kept here because only the form needs it; unreadable files give no names.
    """
    home = home or Path.home()
    config = Path(environ.get("AWS_CONFIG_FILE") or home / ".aws" / "config").expanduser()
    credentials = Path(environ.get("AWS_SHARED_CREDENTIALS_FILE") or home / ".aws" / "credentials").expanduser()
    names: list[str] = []
    for path, prefix in ((config, "profile "), (credentials, "")):
        parser = configparser.RawConfigParser(default_section="\0none")
        try:
            parser.read(path, encoding="utf-8")
        except (OSError, configparser.Error):
            continue
        for section in parser.sections():
            name = section.removeprefix(prefix).strip() if section != "default" else "default"
            if path == config and section != "default" and not section.startswith(prefix):
                continue  # sso-session, services...: not profiles
            if name and name not in names:
                names.append(name)
    return names


@dataclass
class AwsProfilesLoaded(Message):
    """The AWS config's profile names were read (on the first visit to the field)."""

    names: list[str]


NO_REGION = "no Region: fill the Region field, or the User pool (its prefix, e.g. us-east-1, is the Region)"
API_OPTIONS = [("public (InitiateAuth)", "public"), ("admin (AdminInitiateAuth)", "admin")]


class ConnectForm(VerticalScroll):
    can_focus = False  # a stop with no visible focus between the fields and the tabs; focus scrolls it anyway
    DEFAULT_CSS = """
    ConnectForm { padding: 0 1; }
    ConnectForm .row { height: auto; }
    ConnectForm .row > Label { width: 16; padding: 1 1 0 0; text-align: right; color: $text-muted; }
    ConnectForm .row > Input, ConnectForm .row > Select { width: 1fr; }
    ConnectForm TextArea { height: 4; width: 1fr; }
    ConnectForm #pool-hint, ConnectForm #client-hint { color: $text-muted; padding-left: 17; height: auto; }
    ConnectForm .error { color: $error; }
    """

    def compose(self) -> ComposeResult:
        def row(label: str, widget) -> Horizontal:
            return Horizontal(Label(label), widget, classes="row")

        yield row("AWS profile", Input(placeholder="default credentials", id="aws_profile"))
        yield row("Region", Input(placeholder="from the pool id", id="region"))
        yield row("Endpoint URL", Input(placeholder="AWS (leave empty) or http://127.0.0.1:PORT", id="endpoint_url"))
        yield row("User pool", Input(placeholder="us-east-1_AbCdEf123", id="user_pool_id"))
        yield Static("", id="pool-hint")
        yield row("App client", Input(placeholder="client id", id="client_id"))
        yield Static("", id="client-hint")
        yield row("Client secret", Input(placeholder="none (public client)", password=True, id="client_secret"))
        yield row(
            "Auth flow",
            Select(
                [(f.title, name) for name, f in FLOWS.items()] + flow_options(),
                value="USER_SRP_AUTH",
                allow_blank=False,
                id="auth_flow",
            ),
        )
        from cognito_tui.tui.widgets.oauth_fields import oauth_rows  # managed login, M2M, token exchange

        yield from oauth_rows()
        yield row("API", Select(API_OPTIONS, prompt="from the flow", id="api"))
        yield row("Username", Input(placeholder="username, email or phone", id="username"))
        yield row("Password", Input(password=True, placeholder="masked; ctrl+y reveals", id="password"))
        yield row(
            "Refresh token",
            Input(
                password=True, placeholder="for REFRESH_TOKEN_AUTH: filled by a sign-in (masked)", id="refresh_token"
            ),
        )
        yield row(
            "Preferred",
            Select(
                [(c, c) for c in PREFERRED_CHALLENGES], prompt="USER_AUTH: let Cognito offer", id="preferred_challenge"
            ),
        )
        yield Horizontal(Label(""), Checkbox("CUSTOM_AUTH starts with SRP", id="custom_with_srp"), classes="row")
        yield row("Client metadata", TextArea(id="client_metadata", soft_wrap=False, show_line_numbers=False))
        yield row("Analytics id", Input(placeholder="Pinpoint endpoint id (optional)", id="analytics_endpoint_id"))
        yield row(
            "Context data", Input(placeholder="ip=…,server=…,path=…,header=Name:Value (admin API)", id="context_data")
        )

    def on_mount(self) -> None:
        self.query_one("#client_metadata", TextArea).border_title = "KEY=VALUE per line"
        self.aws_profiles: list[str] | None = None

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget.id == "aws_profile" and self.aws_profiles is None:
            self.aws_profiles = []
            self.load_aws_profiles()

    @work(thread=True, exclusive=True, group="aws-profiles", exit_on_error=False, description="reading the AWS config")
    def load_aws_profiles(self) -> None:
        self.post_message(AwsProfilesLoaded(aws_profile_names()))

    def on_aws_profiles_loaded(self, event: AwsProfilesLoaded) -> None:
        self.aws_profiles = event.names
        field = self.query_one("#aws_profile", Input)
        if not event.names:
            field.placeholder = "default credentials (no profiles in the AWS config)"
            return
        field.suggester = SuggestFromList(event.names, case_sensitive=True)
        shown = ", ".join(event.names[:5]) + (f" +{len(event.names) - 5}" if len(event.names) > 5 else "")
        field.placeholder = f"default credentials · type to complete: {shown}"

    # --- reading and writing ----------------------------------------------------------------------

    def _text(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    def _select(self, name: str) -> str:
        value = self.query_one(f"#{name}", Select).value
        return "" if value is Select.NULL else str(value)

    def to_model(self) -> RequestFields:
        """What the form holds, as the request model (nothing derived: the builder does that)."""
        v = RequestFields(
            region=self._text("region"),
            endpoint_url=self._text("endpoint_url"),
            aws_profile=self._text("aws_profile"),
            user_pool_id=self._text("user_pool_id"),
            client_id=self._text("client_id"),
            auth_flow=self._select("auth_flow") or "USER_SRP_AUTH",
            api=self._select("api"),
            username=self._text("username"),
            password=Secret(self.query_one("#password", Input).value) or None,
            client_secret=Secret(self._text("client_secret")) or None,
            refresh_token=Secret(self._text("refresh_token")) or None,
            preferred_challenge=self._select("preferred_challenge"),
            custom_with_srp=self.query_one("#custom_with_srp", Checkbox).value,
            analytics_endpoint_id=self._text("analytics_endpoint_id"),
        )
        try:
            v.client_metadata = parse_pairs(
                self.query_one("#client_metadata", TextArea).text.splitlines(), "client metadata"
            )
        except InputError as exc:
            v.problems.append(str(exc))
        context = self._text("context_data")
        if context:
            try:
                v.context_data = parse_context_data(context)
            except InputError as exc:
                v.problems.append(str(exc))
        return v

    def from_model(self, v: RequestFields) -> None:
        """Fill the form from the request model (a profile's fields, plus its secrets when known)."""
        for name in (
            "region",
            "endpoint_url",
            "aws_profile",
            "user_pool_id",
            "client_id",
            "username",
            "analytics_endpoint_id",
        ):
            self.query_one(f"#{name}", Input).value = getattr(v, name) or ""
        for name in ("password", "client_secret", "refresh_token"):
            self.query_one(f"#{name}", Input).value = str(getattr(v, name) or "")
        self.query_one("#auth_flow", Select).value = v.auth_flow or "USER_SRP_AUTH"
        for name in ("api", "preferred_challenge"):
            select = self.query_one(f"#{name}", Select)
            if getattr(v, name):
                select.value = getattr(v, name)
            else:
                select.clear()
        self.query_one("#client_metadata", TextArea).text = "\n".join(f"{k}={x}" for k, x in v.client_metadata.items())
        self.query_one("#context_data", Input).value = context_text(v.context_data) if v.context_data else ""
        self.query_one("#custom_with_srp", Checkbox).value = v.custom_with_srp

    def set_refresh_token(self, token: str) -> None:
        """The last sign-in's refresh token, ready for REFRESH_TOKEN_AUTH (masked like the password)."""
        self.query_one("#refresh_token", Input).value = token

    def set_endpoint(self, url: str) -> None:
        self.query_one("#endpoint_url", Input).value = url

    def toggle_reveal(self) -> bool:
        shown = False
        for name in ("password", "client_secret", "refresh_token"):
            widget = self.query_one(f"#{name}", Input)
            widget.password = not widget.password
            shown = not widget.password
        return shown

    # --- hints ----------------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "auth_flow":
            from cognito_tui.tui.widgets.oauth_fields import sync_rows

            sync_rows(self, "" if event.value is Select.NULL else str(event.value))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "user_pool_id":
            pool = event.value.strip()
            hint = self.query_one("#pool-hint", Static)
            problem = check_pool_id(pool) if pool else None
            if problem:
                hint.update(f"[b]{escape(problem)}[/]")
                hint.add_class("error")
            else:
                hint.remove_class("error")
                hint.update(f"Region {region_of(pool)}" if pool else "")
                region = self.query_one("#region", Input)
                if pool and not region.value:
                    region.placeholder = f"{region_of(pool)} (from the pool id)"

    def set_pools(self, pools: list[dict]) -> None:
        ids = [p["Id"] for p in pools]
        self.query_one("#user_pool_id", Input).suggester = SuggestFromList(ids, case_sensitive=True)
        names = ", ".join(f"{p.get('Name', '')} ({p['Id']})" for p in pools[:6])
        more = f" and {len(pools) - 6} more" if len(pools) > 6 else ""
        self.query_one("#pool-hint", Static).update(f"{len(pools)} pools: {escape(names)}{more} (type to complete)")

    def set_clients(self, clients: list[dict]) -> None:
        ids = [c["ClientId"] for c in clients]
        self.query_one("#client_id", Input).suggester = SuggestFromList(ids, case_sensitive=True)
        names = ", ".join(f"{c.get('ClientName', '')} ({c['ClientId']})" for c in clients[:6])
        self.query_one("#client-hint", Static).update(f"{len(clients)} clients: {escape(names)} (type to complete)")

    def set_client_hint(self, text: str) -> None:
        self.query_one("#client-hint", Static).update(text)

    def mark_flows(self, status: dict[str, tuple[bool | None, str]]) -> None:
        """Flows the client does not allow are marked with why."""
        select = self.query_one("#auth_flow", Select)
        current = select.value
        options = []
        for name, flow in FLOWS.items():
            allowed, why = status.get(name, (None, ""))
            label = flow.title if allowed is not False else f"✗ {flow.title}  — {why}"
            options.append((label, name))
        select.set_options(options + flow_options())
        select.value = current

    def fill_client_secret(self, secret: str) -> bool:
        widget = self.query_one("#client_secret", Input)
        if widget.value:
            return False
        widget.value = secret
        return True


class PreflightPanel(Static):
    DEFAULT_CSS = """
    PreflightPanel { padding: 0 1; height: auto; }
    """

    def show(self, preflight, problems: list[str]) -> None:
        lines = ["[b]Pre-flight[/b]"]
        for problem in problems:
            lines.append(f"[dim]· {escape(problem)}[/]")
        for label, value in preflight.facts:
            lines.append(f"[b]{escape(label)}[/]: {escape(str(value))}")
        if preflight.warnings:
            lines.append("")
            lines += [f"[$warning]⚠ {escape(w)}[/]" for w in preflight.warnings]
        elif preflight.facts:
            lines.append("\n[$success]✓ nothing stands in the way[/]")
        self.update("\n".join(lines))


class ConnectPane(Horizontal):
    """The form and the pre-flight panel; runs pre-flight and discovery in its own workers."""

    DEFAULT_CSS = """
    ConnectPane ConnectForm { width: 2fr; }
    ConnectPane #preflight-box { width: 1fr; min-width: 34; border-left: vkey $panel; }  /* whole client ids */
    """

    def __init__(self, services: Services, **kw) -> None:
        super().__init__(**kw)
        self.services = services

    def compose(self) -> ComposeResult:
        yield ConnectForm()
        with Vertical(id="preflight-box"):
            yield PreflightPanel(
                "[b]Pre-flight[/b]\nF5 reads the pool, the client and the user (IAM credentials needed on AWS).",
                id="preflight",
            )

    @work(exclusive=True, group="preflight", exit_on_error=False, description="pre-flight")
    async def preflight(self, sign_in: SignIn) -> None:
        self.query_one(PreflightPanel).update("[b]Pre-flight[/b]\n[dim]reading the pool, client and user…[/]")
        preflight, problems = await off_thread(self._read, sign_in)
        self.post_message(m.PreflightReady(preflight, problems))

    def _read(self, sign_in: SignIn) -> tuple[Any, list[str]]:
        """DescribeUserPool, DescribeUserPoolClient, GetUserPoolMfaConfig, AdminGetUser (blocking)."""
        from cognito_tui.core.preflight import PreflightInputs, analyse

        req = sign_in.request
        problems: list[str] = []
        found: dict[str, Any] = {}
        if sign_in.target.region:
            self._discover(sign_in, found, problems)
        else:  # said in the form's words (the gateway's name a flag of `login`)
            problems.append(NO_REGION)
        inputs = PreflightInputs(
            req.auth_flow,
            req.api.value if req.api else None,
            req.username,
            bool(req.client_secret),
            found.get("pool"),
            found.get("client"),
            found.get("mfa"),
            found.get("user"),
        )
        return analyse(inputs), problems

    def _discover(self, sign_in: SignIn, found: dict[str, Any], problems: list[str]) -> None:
        from cognito_tui.core.discovery import Discovery
        from cognito_tui.core.errors import CognitoError, TransportError
        from cognito_tui.core.walk import Caller

        req = sign_in.request
        try:
            caller = Caller(self.services.gateway(sign_in.target))
            caller.transcript.listeners.append(self._recorded)
            disc = Discovery(caller)
            for key, fn in (
                ("pool", lambda: disc.describe_pool(req.user_pool_id)),
                ("client", lambda: disc.describe_client(req.user_pool_id, req.client_id)),
                ("mfa", lambda: disc.mfa_config(req.user_pool_id)),
                ("user", lambda: disc.admin_get_user(req.user_pool_id, req.username) if req.username else None),
            ):
                try:
                    found[key] = fn()
                except (CognitoError, TransportError) as exc:
                    problems.append(f"{key}: {exc}")
        except TransportError as exc:
            problems.append(str(exc))

    def _recorded(self, record: Any) -> None:
        self.post_message(m.CallRecorded(record))

    def on_preflight_ready(self, event: m.PreflightReady) -> None:
        self.query_one(PreflightPanel).show(event.preflight, event.problems)
        form = self.query_one(ConnectForm)
        if event.preflight.flow_status:
            form.mark_flows(event.preflight.flow_status)
        if event.preflight.client_secret and form.fill_client_secret(event.preflight.client_secret):
            self.notify("Client secret fetched with DescribeUserPoolClient (masked in the form).")

    @work(exclusive=True, group="discovery", exit_on_error=False, description="listing pools")
    async def load_pools(self, sign_in: SignIn) -> None:
        from dataclasses import replace

        from cognito_tui.core.discovery import Discovery
        from cognito_tui.core.errors import CognitoError, TransportError
        from cognito_tui.core.walk import Caller

        pool = sign_in.request.user_pool_id
        target = sign_in.target if sign_in.target.region else replace(sign_in.target, region="us-east-1")
        try:
            gateway = await off_thread(self.services.gateway, target)
            disc = Discovery(Caller(gateway))
            self.query_one(ConnectForm).set_pools(await off_thread(disc.pools))
            if pool:
                self.query_one(ConnectForm).set_clients(await off_thread(disc.clients, pool))
        except (CognitoError, TransportError) as exc:
            self.post_message(m.ActionFailed("Listing pools", str(exc)))


def context_text(ctx: dict[str, Any]) -> str:
    """ContextData as the form's shorthand (ip=..,server=..,path=..,header=Name:Value)."""
    parts = []
    for key, name in (("IpAddress", "ip"), ("ServerName", "server"), ("ServerPath", "path")):
        if ctx.get(key):
            parts.append(f"{name}={ctx[key]}")
    parts += [f"header={h['headerName']}:{h['headerValue']}" for h in ctx.get("HttpHeaders", [])]
    return ",".join(parts)
