"""The Connect form's rows for the OAuth flows (scopes, redirect URI, domain), shown only for them.

Cheap to import: the form composes these rows on the first frame, so nothing heavy is imported here.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from cognito_tui.tui.oauth_flows import OAUTH_FLOWS, is_oauth_flow, split_scopes

# The InitiateAuth-only rows, hidden while an OAuth flow is picked (the browser asks for the user).
SIGN_IN_ONLY = ("api", "username", "password", "refresh_token", "preferred_challenge", "custom_with_srp",
                "client_metadata", "analytics_endpoint_id", "context_data")  # fmt: skip
DEFAULT_SCOPES = {"code": "openid email demo-api/read", "client_credentials": "demo-api/read",
                  "get_client_token": "demo-api/read", "token_exchange": "", "token_exchange_grant": ""}  # fmt: skip


def oauth_rows() -> list[Any]:
    """The rows, hidden until an OAuth flow is picked."""
    rows = [
        ("Scopes", Input(placeholder="openid email … (space-separated; empty: the client's)", id="oauth_scopes")),
        ("Redirect URI", Input(placeholder="default: the client's first http://127.0.0.1 callback", id="oauth_redirect_uri")),
        ("Domain", Input(placeholder="default: the discovery document (prefix, FQDN or URL)", id="oauth_domain")),
    ]  # fmt: skip
    out: list[Any] = [Horizontal(Label(label), widget, classes="row oauth-row") for label, widget in rows]
    out.append(Static("", id="oauth-hint", classes="oauth-row"))
    for widget in out:
        widget.display = False
    return out


def sync_rows(form: Any, flow: str) -> None:
    """Show the OAuth rows (and hide the InitiateAuth ones) for an OAuth flow; the reverse otherwise."""
    oauth = is_oauth_flow(flow)
    for widget in form.query(".oauth-row"):
        widget.display = oauth
    for name in SIGN_IN_ONLY:
        for widget in form.query(f"#{name}"):
            if widget.parent is not None:
                widget.parent.display = not oauth
    if not oauth:
        return
    spec = OAUTH_FLOWS[flow]
    hint = form.query_one("#oauth-hint", Static)
    hint.styles.padding = (0, 0, 0, 17)
    note = spec.summary
    filled = _fill_demo_client(form, flow)
    if filled:
        note += f"\nSandbox: the form now names its demo client {filled}."
    if spec.kind.startswith("token_exchange"):
        note += "\nThe subject is the access token in the Tokens tab: sign in first (any flow)."
    if spec.kind == "code":
        note += "\nThe username and password are typed in the browser, on the managed-login page."
    hint.update(note)


def _fill_demo_client(form: Any, flow: str) -> str | None:
    """On the sandbox, a client that cannot run `flow` is replaced by the demo client made for it."""
    services = getattr(form.app, "services", None)
    life = getattr(services, "sandbox", None)
    sandbox = getattr(life, "sandbox", None)
    if life is None or sandbox is None:
        return None
    from cognito_tui.sandbox.oauth.settings import oauth_seed_for

    spec = OAUTH_FLOWS[flow]
    client_field = form.query_one("#client_id", Input)
    known: dict[str, Any] = {}
    pool_of: dict[str, str] = {}
    for pool in oauth_seed_for(sandbox.seed.source).pools:
        for client in pool.clients:
            if client.id:
                known[client.id] = client
                pool_of[client.id] = pool.pool_id
    current = known.get(client_field.value.strip())
    if current is not None and _fits(current.config, spec.kind):
        return None
    typed = client_field.value.strip()
    seed_clients = {c.id for p in sandbox.seed.pools for c in p.clients}
    if typed and typed not in known and typed not in seed_clients:
        return None  # a client of the user's own: left as typed
    demo = next((c for c in known.values() if c.name == spec.demo_client), None)
    if demo is None or demo.id is None:
        return None
    client_field.value = demo.id
    form.query_one("#client_secret", Input).value = demo.secret or ""
    form.query_one("#user_pool_id", Input).value = pool_of[demo.id]
    running = life.running
    if running is not None and not form.query_one("#endpoint_url", Input).value:
        form.query_one("#endpoint_url", Input).value = running.endpoint_url or ""
    scopes = form.query_one("#oauth_scopes", Input)
    scopes.value = DEFAULT_SCOPES.get(spec.kind, "")
    return f"{demo.name} ({demo.id})"


def _fits(config: dict[str, Any], kind: str) -> bool:
    flows = config.get("AllowedOAuthFlows") or []
    explicit = config.get("ExplicitAuthFlows") or []
    if kind == "code":
        return "code" in flows
    if kind == "client_credentials":
        return "client_credentials" in flows
    if kind == "get_client_token":
        return "ALLOW_CLIENT_TOKEN_AUTH" in explicit
    return any(f.startswith("ALLOW_TOKEN_EXCHANGE_") for f in explicit)


def read_inputs(screen: Any) -> Any:
    """The OAuth inputs from the Connect form (and, for an exchange, the Tokens tab's access token)."""
    from cognito_tui.tui import oauth_session
    from cognito_tui.tui.widgets.connect import ConnectForm

    form = screen.query_one(ConnectForm)
    fields = form.to_model()

    def text(name: str) -> str:
        return form.query_one(f"#{name}", Input).value.strip()

    tokens = screen.pane("tokens").content
    subject = (tokens.result or {}).get("AccessToken") if tokens is not None else None
    return oauth_session.OAuthInputs(
        flow=fields.auth_flow,
        user_pool_id=fields.user_pool_id,
        client_id=fields.client_id,
        client_secret=fields.client_secret,
        region=fields.region,
        endpoint_url=fields.endpoint_url,
        aws_profile=fields.aws_profile,
        scopes=split_scopes(text("oauth_scopes")),
        redirect_uri=text("oauth_redirect_uri"),
        domain=text("oauth_domain"),
        subject_token=subject,
        wait_seconds=oauth_session.DEFAULT_WAIT,
    )
