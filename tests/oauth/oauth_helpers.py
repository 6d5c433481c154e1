"""Helpers for the managed-login tests: the demo's OAuth clients, a free loopback callback registered
on a client, and an HTTP "browser" that follows the sandbox's login page (forms parsed, not guessed)."""

from __future__ import annotations

import html.parser
import socket
from typing import Any
from urllib.parse import urljoin

import requests

DEMO = "us-east-1_DemoPool01"
WEB = "oauthweb00000000000000010"
WEB_CONF = "oauthwebconfidential00011"
WEB_CONF_SECRET = "oauthwebconfidentialsecretpublicbydesign0011"
M2M = "oauthm2m00000000000000012"
M2M_SECRET = "oauthm2msecretpublicbydesign00000000000012"
EXCHANGE = "oauthexchange000000000013"
EXCHANGE_SECRET = "oauthexchangesecretpublicbydesign000000013"
BROKEN_REDIRECT = "brokenredirect00000000020"
BROKEN_OFF = "brokenoauthoff00000000021"
BROKEN_IMPLICIT = "brokenimplicit00000000022"
BROKEN_M2M = "brokenm2mnoscope000000023"
BROKEN_M2M_SECRET = "brokenm2mnoscopesecretpublicbydesign0000023"
BROKEN_SPA = "brokenspasecret0000000024"
BROKEN_EMAIL = "brokenemailread0000000025"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def register_callback(boto: Any, client_id: str, port: int | None = None, path: str = "/callback") -> str:
    """Add http://127.0.0.1:<free port>/callback to the client's CallbackURLs (UpdateUserPoolClient) and return it."""
    uri = f"http://127.0.0.1:{port or free_port()}{path}"
    config = boto.describe_user_pool_client(UserPoolId=DEMO, ClientId=client_id)["UserPoolClient"]
    keep = {k: config[k] for k in ("ClientName", "AllowedOAuthFlows", "AllowedOAuthScopes", "LogoutURLs",
                                   "AllowedOAuthFlowsUserPoolClient", "ExplicitAuthFlows", "SupportedIdentityProviders",
                                   "ReadAttributes") if k in config}  # fmt: skip
    boto.update_user_pool_client(
        UserPoolId=DEMO, ClientId=client_id, CallbackURLs=[*config.get("CallbackURLs", []), uri], **keep
    )
    return uri


class _Forms(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.error: str | None = None
        self._in_error = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "inputs": []})
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"].append(a)
            if a.get("type") == "hidden":
                self.forms[-1]["fields"][a["name"]] = a.get("value", "")
        elif tag == "p" and a.get("id") == "error":
            self._in_error = True

    def handle_data(self, data: str) -> None:
        if self._in_error:
            self.error = (self.error or "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_error = False


class PageBrowser:
    """Follows managed login like a browser without JavaScript: GET the authorize URL, fill the forms,
    stop at the first redirect that leaves the domain (the callback) and return its URL."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.page = ""
        self.status = 0

    def open(self, url: str) -> str | None:
        return self._follow(self.http.get(url, allow_redirects=False))

    def _follow(self, response: requests.Response) -> str | None:
        while response.status_code in (301, 302, 303):
            location = urljoin(response.url, response.headers["Location"])
            if "/domain/" not in location:
                return location  # the callback: the caller (or a listener) takes it from here
            response = self.http.get(location, allow_redirects=False)
        self.status, self.page = response.status_code, response.text
        return None

    def form(self) -> dict[str, Any]:
        parser = _Forms()
        parser.feed(self.page)
        assert parser.forms, f"no form on the page ({self.status}): {self.page[:300]}"
        form = parser.forms[0]
        form["error"] = parser.error
        return form

    @property
    def error(self) -> str | None:
        parser = _Forms()
        parser.feed(self.page)
        return parser.error

    def submit(self, values: dict[str, str]) -> str | None:
        form = self.form()
        data = {**form["fields"], **values}
        return self._follow(self.http.post(form["action"], data=data, allow_redirects=False))

    def sign_in(self, url: str, username: str, password: str, *codes: str) -> str | None:
        """The whole page flow: password, then each code (or answer) given, in order."""
        callback = self.open(url)
        if callback:
            return callback
        callback = self.submit({"username": username, "password": password})
        for code in codes:
            if callback:
                break
            callback = self.submit({"code": code})
        return callback
