"""`cognito-tui login --oauth` and `--client-credentials`: managed login and M2M from a plain terminal.

--oauth prints the authorize URL on stderr (or opens it with --browser), listens on the chosen
loopback callback for the one redirect, exchanges the code and reads userInfo. It works against
any Cognito-compatible server: endpoints from --domain, else the discovery document, else the
pool's Domain. Output and exit codes are `login`'s: one JSON object with --json; 0 signed in,
1 refused, 2 usage, 3 no redirect arrived in time, 4 the endpoints could not be reached.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any
from urllib.parse import urlsplit

from cognito_tui.status import Exit


class UsageError(Exception):
    """Bad flags or input: exit 2 with this message."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group("managed login / OAuth 2.0")
    mode = group.add_mutually_exclusive_group()
    mode.add_argument("--oauth", action="store_true", help="sign in through managed login (authorization code + PKCE)")
    mode.add_argument("--client-credentials", action="store_true", help="an M2M token from /oauth2/token")
    group.add_argument("--scope", action="append", default=[], help="an OAuth scope (repeatable, or space-separated)")
    group.add_argument("--domain", help="the pool's domain: a prefix, an FQDN or a URL (default: discovery)")
    group.add_argument("--redirect-uri", help="the registered callback to listen on (default: the first loopback one)")
    group.add_argument("--browser", action="store_true", help="open the authorize URL in the browser")
    group.add_argument("--redirect-timeout", type=float, default=300.0, metavar="SECONDS",
                       help="how long to wait for the redirect (default 300)")  # fmt: skip
    group.add_argument("--no-userinfo", action="store_true", help="do not call /oauth2/userInfo after the exchange")


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except UsageError as exc:
        print(f"cognito-tui login: {exc}", file=sys.stderr)
        return Exit.USAGE


def _scopes(values: list[str]) -> list[str]:
    return [s for value in values for s in value.split()]


def _run(args: argparse.Namespace) -> int:
    from cognito_tui.aws.gateway import Gateway, GatewayConfig
    from cognito_tui.aws.oauth_http import Urllib3Transport
    from cognito_tui.core.errors import TransportError
    from cognito_tui.core.flows import region_of
    from cognito_tui.core.oauth import OAuthClient, OAuthWalk
    from cognito_tui.core.redact import Secret

    if args.profile or args.cli_input_json:
        raise UsageError("--oauth and --client-credentials read no profile or --cli-input-json yet: give "
                         "--user-pool-id, --client-id (and --client-secret-stdin)")  # fmt: skip
    pool, client_id = args.user_pool_id or "", args.client_id or ""
    if not pool or not client_id:
        raise UsageError("give --user-pool-id and --client-id")
    region = args.region or region_of(pool)
    if not region:
        raise UsageError(f"--user-pool-id {pool!r}: a user pool id looks like <region>_<id>, e.g. us-east-1_AbCdEf123")
    try:
        gateway = Gateway(GatewayConfig(region=region, endpoint_url=args.endpoint_url, aws_profile=args.aws_profile,
                                        read_timeout=args.timeout), user_pool_id=pool)  # fmt: skip
    except TransportError as exc:
        raise UsageError(f"{exc.message}. {exc.hint}".strip()) from exc
    secret: Secret | None = None
    if args.client_secret_stdin:
        line = sys.stdin.readline().strip()
        if not line:
            print("cognito-tui login: --client-secret-stdin: stdin had no line for the client secret", file=sys.stderr)
            return Exit.NEEDS_INPUT
        secret = Secret(line)
    described = _describe(gateway, pool, client_id)
    if secret is None and described.get("client", {}).get("ClientSecret"):
        secret = Secret(described["client"]["ClientSecret"])
        print("client secret: taken from DescribeUserPoolClient", file=sys.stderr)
    walk = OAuthWalk(Urllib3Transport(read_timeout=args.timeout), OAuthClient(client_id, secret))
    walk.transcript.listeners.append(_progress)
    _find_endpoints(walk, args, pool, region, described)
    scopes = _scopes(args.scope)
    if args.client_credentials:
        _preflight("client_credentials", None, scopes, secret, described)
        return _finish(walk, walk.client_credentials(scopes), args.json)
    redirect_uri = args.redirect_uri or _first_loopback(described.get("client"))
    if not redirect_uri:
        raise UsageError("give --redirect-uri: the client's callback URLs could not be read, or none is on 127.0.0.1")
    _preflight("code", redirect_uri, scopes, secret, described, userinfo=not args.no_userinfo)
    return _authorize(walk, args, redirect_uri, scopes)


def _describe(gateway: Any, pool: str, client_id: str) -> dict[str, Any]:
    """What the pre-flight reads, as far as credentials allow (each part may be missing)."""
    from cognito_tui.core.errors import CognitoError, TransportError

    out: dict[str, Any] = {}
    if not gateway.can_sign():  # AWS credentials, or a loopback emulator's placeholders (the sandbox)
        return out
    calls = (("client", "DescribeUserPoolClient", {"UserPoolId": pool, "ClientId": client_id}, "UserPoolClient"),
             ("pool", "DescribeUserPool", {"UserPoolId": pool}, "UserPool"),
             ("servers", "ListResourceServers", {"UserPoolId": pool, "MaxResults": 50}, "ResourceServers"))  # fmt: skip
    for key, operation, params, field in calls:
        try:
            out[key] = gateway.call(operation, params)[field]
        except (CognitoError, TransportError, KeyError):
            continue
    return out


def _find_endpoints(walk: Any, args: argparse.Namespace, pool: str, region: str, described: dict[str, Any]) -> None:
    from cognito_tui.core.oauth import discovery_url, from_domain
    from cognito_tui.core.oauth.endpoints import EndpointProblem, issuer_url

    try:
        if args.domain:
            walk.endpoints = from_domain(args.domain, region, issuer_url(pool))
            return
        step = walk.discover(discovery_url(pool, args.endpoint_url))
        if step.ok and not walk.endpoints.domainless:
            return
        domain = (described.get("pool") or {}).get("CustomDomain") or (described.get("pool") or {}).get("Domain")
        if domain and not args.endpoint_url:
            walk.endpoints = from_domain(domain, region, issuer_url(pool))
            return
    except EndpointProblem as exc:
        raise UsageError(f"{exc.message}. {exc.next_step}") from exc
    why = "the discovery document lists no domain endpoints" if step.ok else "the discovery document could not be read"
    raise UsageError(f"{why}: give --domain (the pool's domain prefix, FQDN or URL)")


def _first_loopback(client: dict[str, Any] | None) -> str | None:
    for url in (client or {}).get("CallbackURLs") or []:
        parts = urlsplit(url)
        if parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost"):
            return url
    return None


def _preflight(flow: str, redirect_uri: str | None, scopes: list[str], secret: Any, described: dict[str, Any],
               userinfo: bool = False) -> None:  # fmt: skip
    from cognito_tui.core.oauth import OAuthPlan, oauth_preflight

    if "client" not in described:
        print("pre-flight: the client's settings could not be read; sending as asked", file=sys.stderr)
        return
    plan = OAuthPlan(flow, redirect_uri, tuple(scopes), bool(secret), userinfo)
    report = oauth_preflight(plan, described["client"], described.get("pool"), described.get("servers"))
    for line in report.lines():
        print(f"pre-flight: {line}", file=sys.stderr)


def _authorize(walk: Any, args: argparse.Namespace, redirect_uri: str, scopes: list[str]) -> int:
    from cognito_tui.aws.oauth_http import RedirectListener
    from cognito_tui.core.errors import TransportError
    from cognito_tui.core.oauth.explain import explain_oauth

    try:
        listener = RedirectListener(redirect_uri)
    except TransportError as exc:
        raise UsageError(f"{exc.message}. {exc.hint}") from exc
    step = walk.authorize(redirect_uri, scopes)
    url = step.result["url"]
    print(f"Open this URL to sign in (waiting up to {args.redirect_timeout:g} s for {redirect_uri}):", file=sys.stderr)
    print(url, file=sys.stderr, flush=True)
    if args.browser:
        import webbrowser

        if not webbrowser.open(url):
            print("(no browser could be opened: open the URL yourself)", file=sys.stderr)
    try:
        callback = listener.wait(args.redirect_timeout)
    except TransportError as exc:
        failure = explain_oauth("callback", "timeout")
        _emit(walk, args.json, error={"code": "timeout", "message": exc.message, "explanation": failure.text()})
        print(f"refused: {exc.message}\n{failure.text()}", file=sys.stderr)
        return Exit.NEEDS_INPUT
    return _finish(walk, walk.redirected(callback, userinfo=not args.no_userinfo), args.json)


def _finish(walk: Any, step: Any, as_json: bool) -> int:
    if step.ok and walk.tokens.get("access_token"):
        tokens = walk.tokens
        result = {key: tokens[name] for key, name in (("AccessToken", "access_token"), ("ExpiresIn", "expires_in"),
                  ("TokenType", "token_type"), ("RefreshToken", "refresh_token"), ("IdToken", "id_token"))
                  if name in tokens}  # fmt: skip
        claims = dict(next((s.result["claims"] for s in reversed(walk.steps) if "claims" in s.result), {}))
        if as_json:
            _emit(walk, True, result=result, claims=claims)
        else:
            _print_tokens(result, claims, walk.userinfo)
        return Exit.OK
    failure = step.failure
    code = failure.error if failure is not None else "failed"
    message = (failure.description or failure.error) if failure is not None else step.explanation
    text = failure.text() if failure is not None else step.explanation
    _emit(walk, as_json, error={"code": code, "message": message, "explanation": text})
    print(f"refused: {code}: {message}\n{text}", file=sys.stderr)
    return Exit.UNREACHABLE if failure is not None and failure.where == "network" else Exit.REFUSED


def _emit(walk: Any, as_json: bool, **parts: Any) -> None:
    if not as_json:
        return
    steps = [{"operation": r.operation, "challenge": None, "outcome": r.outcome, "duration_ms": round(r.duration_ms, 1)}
             for r in walk.transcript.records]  # fmt: skip
    out: dict[str, Any] = {"steps": steps}
    if "result" in parts:
        out["authentication_result"] = parts["result"]
        out["claims"] = parts["claims"]
        if walk.userinfo is not None:
            out["userinfo"] = walk.userinfo
    else:
        out["error"] = parts["error"]
    print(json.dumps(out))


def _progress(record: Any) -> None:
    print(f"→ {record.operation:<28} {record.outcome:<26} {record.duration_ms:7.1f} ms", file=sys.stderr)


def _print_tokens(result: dict[str, Any], claims: dict[str, Any], userinfo: dict[str, Any] | None) -> None:
    access = claims.get("access", {})
    who = access.get("username") or access.get("client_id")
    print(f"signed in as {who}" + (f" (scopes: {access['scope']})" if access.get("scope") else ""))
    for key in ("IdToken", "AccessToken"):
        if key in result:
            print(f"{key}: {result[key]}")
    if result.get("RefreshToken"):
        print("RefreshToken: (issued; use --json to print it)")
    if userinfo is not None:
        print(f"userInfo: {json.dumps(userinfo)}")
