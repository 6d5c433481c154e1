"""The token workbench headless, end to end on the sandbox (real boto3 over HTTP on loopback):
a refresh that finds rotation itself, verification against the issuer's JWKS (and a tampered token
refused), two runs' claims compared, each export format actually used, and discovery's paging."""

from __future__ import annotations

import base64
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import urllib3

from cognito_tui.aws.discovery_doc import userinfo_endpoint
from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.aws.jwks import fetch_jwks, verify
from cognito_tui.core.actions import TokenActions
from cognito_tui.core.caller import Caller
from cognito_tui.core.claims import diff_claims, differences
from cognito_tui.core.claims_export import cognito_endpoint, export_tokens
from cognito_tui.core.discovery import Discovery
from cognito_tui.core.redact import Secret
from cognito_tui.core.refresh import refresh
from cognito_tui.core.request import AuthRequest
from cognito_tui.core.tokens import jwks_url
from cognito_tui.core.walk import Failed, SignedIn, Walk

DEMO = "us-east-1_DemoPool01"
PUBLIC = "demopublic0000000000000001"
ROTATION = "demorotation00000000000004"
WEB = "oauthweb00000000000000010"


def gateway_for(sb) -> Gateway:
    return Gateway(GatewayConfig(endpoint_url=sb.endpoint_url, max_attempts=1), user_pool_id=DEMO)


def sign_in(gateway: Gateway, client_id: str = PUBLIC, username: str = "alice", password: str = "Alice-Sandbox-1"):
    request = AuthRequest(DEMO, client_id, "USER_PASSWORD_AUTH", username=username, password=Secret(password))
    walk = Walk(gateway, request)
    step = walk.start()
    assert isinstance(step, SignedIn), step
    return walk, step


def operations(walk: Walk) -> list[str]:
    return [r.operation for r in walk.transcript.records]


# --- refresh on a rotating client, without pre-flight --------------------------------------------------


def test_a_rotating_client_is_found_out_from_cognitos_refusal_and_the_rotated_token_kept(fresh_sandbox):
    gateway = gateway_for(fresh_sandbox())
    walk, step = sign_in(gateway, ROTATION)
    first = step.result["RefreshToken"]
    outcome = refresh(TokenActions(walk.caller, walk.request), step.result)  # nothing known, nothing described
    assert isinstance(outcome.step, SignedIn), outcome.step
    assert operations(walk)[-2:] == ["InitiateAuth", "GetTokensFromRefreshToken"]
    assert walk.transcript.records[-2].error.code == "InvalidParameterException"
    assert outcome.rotation is True and outcome.rotated and "retried with GetTokensFromRefreshToken" in outcome.how
    assert outcome.refresh_token == outcome.step.result["RefreshToken"] != first

    # the rotated token is the one that works now; the first one is spent (grace period 0)
    again = refresh(TokenActions(walk.caller, walk.request), outcome.step.result, rotation=outcome.rotation)
    assert isinstance(again.step, SignedIn) and operations(walk)[-1] == "GetTokensFromRefreshToken"
    stale = refresh(TokenActions(walk.caller, walk.request), step.result, rotation=True)
    assert isinstance(stale.step, Failed) and stale.step.code == "RefreshTokenReuseException"


def test_rotation_read_from_describe_user_pool_client_sends_one_refresh_call(fresh_sandbox):
    gateway = gateway_for(fresh_sandbox())
    walk, step = sign_in(gateway, ROTATION)
    params = {"UserPoolId": DEMO, "ClientId": ROTATION}
    describe = lambda: walk.caller.checked("DescribeUserPoolClient", params)["UserPoolClient"]  # noqa: E731
    outcome = refresh(TokenActions(walk.caller, walk.request), step.result, describe=describe)
    assert isinstance(outcome.step, SignedIn)
    assert operations(walk)[-2:] == ["DescribeUserPoolClient", "GetTokensFromRefreshToken"]
    assert outcome.how == "DescribeUserPoolClient: the client rotates refresh tokens"


def test_a_client_without_rotation_keeps_refresh_token_auth_and_its_refresh_token(sandbox):
    gateway = gateway_for(sandbox)
    walk, step = sign_in(gateway, PUBLIC)
    outcome = refresh(TokenActions(walk.caller, walk.request), step.result)
    assert isinstance(outcome.step, SignedIn) and operations(walk)[-1] == "InitiateAuth"
    assert outcome.rotation is False and not outcome.rotated
    assert outcome.step.result["RefreshToken"] == step.result["RefreshToken"]


# --- verification against the JWKS the issuer names ---------------------------------------------------


def _tampered(token: str, **changes) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_sandbox_token_verifies_and_a_tampered_one_does_not(sandbox):
    _, step = sign_in(gateway_for(sandbox))
    issuer = step.claims["access"]["iss"]
    jwks = fetch_jwks(jwks_url(issuer, sandbox.endpoint_url))
    for key, use in (("IdToken", "id"), ("AccessToken", "access")):
        good = verify(step.result[key], jwks, issuer=issuer, client_id=PUBLIC)
        assert good.ok, (use, good.detail)
        bad = verify(_tampered(step.result[key], username="mallory", **{"cognito:username": "mallory"}), jwks,
                     issuer=issuer, client_id=PUBLIC)  # fmt: skip
        assert not bad.ok and "signature does not verify" in bad.detail
    other_client = verify(step.result["IdToken"], jwks, issuer=issuer, client_id=ROTATION)
    assert not other_client.ok and "aud" in other_client.detail


# --- two runs' claims ---------------------------------------------------------------------------------


def test_two_sign_ins_compared_mark_what_a_change_to_the_user_brought(fresh_sandbox, boto_client):
    sb = fresh_sandbox()
    boto = boto_client(sb)
    gateway = gateway_for(sb)
    _, before = sign_in(gateway)
    boto.create_group(UserPoolId=DEMO, GroupName="admins")
    boto.admin_add_user_to_group(UserPoolId=DEMO, Username="alice", GroupName="admins")
    boto.admin_update_user_attributes(UserPoolId=DEMO, Username="alice",
                                      UserAttributes=[{"Name": "name", "Value": "Alice Renamed"}])  # fmt: skip
    _, after = sign_in(gateway)
    rows = diff_claims(before.claims, after.claims)
    real = {(r.token, r.claim): r for r in differences(rows)}
    assert real[("id", "cognito:groups")].change == "added" and real[("id", "cognito:groups")].after == ["admins"]
    assert real[("access", "cognito:groups")].mark == "+"
    assert (real[("id", "name")].before, real[("id", "name")].after) == ("Alice Example", "Alice Renamed")
    assert real[("id", "name")].mark == "≠"
    assert not any(claim in ("jti", "iat", "exp", "event_id") for _, claim in real)  # they differ on every issue
    assert {r.claim for r in differences(rows, include_volatile=True)} >= {"jti", "event_id"}


# --- exports, used for real ---------------------------------------------------------------------------


def test_env_lines_read_by_a_shell_give_back_the_tokens(sandbox):
    _, step = sign_in(gateway_for(sandbox))
    lines = export_tokens(step.result, "env")
    assert "COGNITO_REFRESH_TOKEN" not in lines  # a secret: only when asked
    script = lines + '\nprintf "%s\\n%s" "$COGNITO_ID_TOKEN" "$COGNITO_ACCESS_TOKEN"'
    shell = shutil.which("sh") or "/bin/sh"
    out = subprocess.run([shell, "-c", script], capture_output=True, text=True, timeout=30).stdout
    assert out.split("\n") == [step.result["IdToken"], step.result["AccessToken"]]
    with_refresh = export_tokens(step.result, "env", with_refresh=True)
    assert f"export COGNITO_REFRESH_TOKEN={shlex.quote(step.result['RefreshToken'])}" in with_refresh


def test_json_export_parses_to_the_tokens(sandbox):
    _, step = sign_in(gateway_for(sandbox))
    data = json.loads(export_tokens(step.result, "json"))
    assert data["AccessToken"] == step.result["AccessToken"] and "RefreshToken" not in data
    assert (
        json.loads(export_tokens(step.result, "json", with_refresh=True))["RefreshToken"] == step.result["RefreshToken"]
    )


def _run_curl(line: str) -> dict:
    """Run the curl line with the curl binary, or (without one) parse it with shlex and send it with urllib3."""
    argv = shlex.split(line)
    assert argv[0] == "curl"
    if shutil.which("curl"):
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)
    method, headers, body, url = "GET", {}, None, None
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "-X":
            method = next(rest)
        elif arg == "-H":
            name, _, value = next(rest).partition(": ")
            headers[name] = value
        elif arg == "--data":
            body, method = next(rest), "POST" if method == "GET" else method
        elif not arg.startswith("-"):
            url = arg
    response = urllib3.PoolManager().request(method, url, headers=headers, body=body)
    return json.loads(response.data)


def test_curl_export_calls_get_user_on_the_sandbox(sandbox):
    _, step = sign_in(gateway_for(sandbox))
    line = export_tokens(step.result, "curl", get_user_endpoint=cognito_endpoint("us-east-1", sandbox.endpoint_url))
    answer = _run_curl(line)
    assert answer["Username"] == "alice"
    assert {"Name": "email", "Value": "alice@example.com"} in answer["UserAttributes"]


def test_curl_and_header_exports_read_userinfo_with_a_managed_login_token(sandbox, boto_client):
    sys.path.insert(0, str(Path(__file__).parents[1] / "oauth"))
    from oauth_helpers import PageBrowser, register_callback

    from cognito_tui.aws.oauth_http import Urllib3Transport
    from cognito_tui.core.oauth import OAuthClient, OAuthWalk, from_domain

    endpoints = from_domain(f"{sandbox.endpoint_url}/domain/cognito-tui-demo")
    walk = OAuthWalk(Urllib3Transport(), OAuthClient(WEB), endpoints)
    url = walk.authorize(register_callback(boto_client(sandbox), WEB), ["openid", "email"]).result["url"]
    assert walk.redirected(PageBrowser().sign_in(url, "alice", "Alice-Sandbox-1"), userinfo=False).ok
    result = {"AccessToken": walk.tokens["access_token"], "IdToken": walk.tokens["id_token"]}

    found = userinfo_endpoint(DEMO, sandbox.endpoint_url)  # named by the pool's discovery document
    assert found == endpoints.userinfo
    assert _run_curl(export_tokens(result, "curl", url=found))["email"] == "alice@example.com"

    name, _, value = export_tokens(result, "header").partition(": ")
    response = urllib3.PoolManager().request("GET", found, headers={name: value})
    assert response.status == 200 and json.loads(response.data)["username"] == "alice"


# --- discovery, paged -----------------------------------------------------------------------------------


def test_discovery_pages_through_many_pools_and_clients(fresh_sandbox, boto_client):
    sb = fresh_sandbox()
    boto = boto_client(sb)
    made = {boto.create_user_pool(PoolName=f"paging-{i:02d}")["UserPool"]["Id"] for i in range(72)}
    pool = sorted(made)[0]
    clients = {boto.create_user_pool_client(UserPoolId=pool, ClientName=f"c{i:02d}")["UserPoolClient"]["ClientId"]
               for i in range(65)}  # fmt: skip
    caller = Caller(gateway_for(sb))
    disc = Discovery(caller)
    listed = {p["Id"] for p in disc.pools()}
    assert made <= listed and DEMO in listed
    pool_calls = [r for r in caller.transcript.records if r.operation == "ListUserPools"]
    assert len(pool_calls) >= 2 and "NextToken" in pool_calls[1].request  # more than one page of 60
    assert {c["ClientId"] for c in disc.clients(pool)} == clients
    assert sum(r.operation == "ListUserPoolClients" for r in caller.transcript.records) >= 2


def test_export_formats_are_the_documented_four():
    from cognito_tui.core.claims_export import EXPORT_FORMATS

    assert EXPORT_FORMATS == ("env", "header", "curl", "json")
    with pytest.raises(ValueError, match="one of env, header, curl, json"):
        export_tokens({"AccessToken": "a"}, "yaml")
