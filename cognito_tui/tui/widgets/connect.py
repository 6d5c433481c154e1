"""The Connect form: where to sign in, who, how; and the pre-flight panel beside it."""

from __future__ import annotations

import configparser
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

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


API_OPTIONS = [("public (InitiateAuth)", "public"), ("admin (AdminInitiateAuth)", "admin")]


@dataclass
class FormValues:
    """What the form holds, as plain values (secrets wrapped)."""

    region: str = ""
    endpoint_url: str = ""
    aws_profile: str = ""
    user_pool_id: str = ""
    client_id: str = ""
    auth_flow: str = "USER_SRP_AUTH"
    api: str = ""
    username: str = ""
    password: Secret | None = None
    client_secret: Secret | None = None
    preferred_challenge: str = ""
    custom_with_srp: bool = False
    client_metadata: dict[str, str] = field(default_factory=dict)
    analytics_endpoint_id: str = ""
    context_data: dict | None = None
    problems: list[str] = field(default_factory=list)


class ConnectForm(VerticalScroll):
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
                [(f.title, name) for name, f in FLOWS.items()], value="USER_SRP_AUTH", allow_blank=False, id="auth_flow"
            ),
        )
        yield row("API", Select(API_OPTIONS, prompt="from the flow", id="api"))
        yield row("Username", Input(placeholder="username, email or phone", id="username"))
        yield row("Password", Input(password=True, placeholder="masked; ctrl+y reveals", id="password"))
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

    def values(self) -> FormValues:
        v = FormValues(
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
        if v.preferred_challenge and v.auth_flow != "USER_AUTH":
            v.preferred_challenge = ""
        return v

    def load(self, data: dict) -> None:
        """Fill the form from a dict of profile fields (plus password/client_secret when known)."""
        for name in (
            "region",
            "endpoint_url",
            "aws_profile",
            "user_pool_id",
            "client_id",
            "username",
            "analytics_endpoint_id",
        ):
            self.query_one(f"#{name}", Input).value = data.get(name) or ""
        self.query_one("#password", Input).value = str(data.get("password") or "")
        self.query_one("#client_secret", Input).value = str(data.get("client_secret") or "")
        self.query_one("#auth_flow", Select).value = data.get("auth_flow") or "USER_SRP_AUTH"
        api = self.query_one("#api", Select)
        if data.get("api"):
            api.value = data["api"]
        else:
            api.clear()
        pref = self.query_one("#preferred_challenge", Select)
        if data.get("preferred_challenge"):
            pref.value = data["preferred_challenge"]
        else:
            pref.clear()
        meta = data.get("client_metadata") or {}
        self.query_one("#client_metadata", TextArea).text = "\n".join(f"{k}={v}" for k, v in meta.items())
        self.query_one("#context_data", Input).value = data.get("context_data_text") or ""
        self.query_one("#custom_with_srp", Checkbox).value = bool(data.get("custom_with_srp"))

    def toggle_reveal(self) -> bool:
        shown = False
        for name in ("password", "client_secret"):
            widget = self.query_one(f"#{name}", Input)
            widget.password = not widget.password
            shown = not widget.password
        return shown

    # --- hints ----------------------------------------------------------------------------------

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
        select.set_options(options)
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
    DEFAULT_CSS = """
    ConnectPane ConnectForm { width: 2fr; }
    ConnectPane #preflight-box { width: 1fr; border-left: vkey $panel; }
    """

    def compose(self) -> ComposeResult:
        yield ConnectForm()
        with Vertical(id="preflight-box"):
            yield PreflightPanel(
                "[b]Pre-flight[/b]\nF5 reads the pool, the client and the user (IAM credentials needed on AWS).",
                id="preflight",
            )
