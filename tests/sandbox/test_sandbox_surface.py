"""The sandbox's HTTP surface (issue 12): JSON errors only, loopback hosts and origins, cognito-idp only."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_helpers import DEMO, PUBLIC, password_auth, tokens_of

TARGET = "AWSCognitoIdentityProviderService."


def call(sandbox, body: bytes | str, *, operation: str | None = "InitiateAuth", method: str = "POST", path: str = "/",
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:  # fmt: skip
    """One raw HTTP request: the status, headers (lower-case names) and body."""
    parts = urlsplit(sandbox.endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    sent = {"Content-Type": "application/x-amz-json-1.1", **(headers or {})}
    if operation:
        sent["X-Amz-Target"] = TARGET + operation
    data = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    try:
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def aws_error(status: int, body: bytes) -> dict[str, str]:
    assert status < 500, (status, body[:300])
    document = json.loads(body)
    assert set(document) == {"__type", "message"} and document["message"], document
    return document


def test_unknown_operation_is_a_json_error(sandbox):
    status, headers, body = call(sandbox, b"{}", operation="NoSuchOperation")
    assert status == 400 and headers["content-type"] == "application/x-amz-json-1.1"
    assert aws_error(status, body)["__type"] == "UnknownOperationException"
    status, _, body = call(sandbox, b"", operation=None, method="GET", path="/index.html")
    assert aws_error(status, body)["__type"] == "UnknownOperationException"


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"ClientId": ' + b"[" * 50_000,
        b"\xff\xfe\x00garbage",
        b"not json at all",
        b"[1, 2, 3]",
        b'"a string"',
    ],
    ids=["deep-array", "deep-member", "binary", "text", "array", "string"],
)
def test_bodies_that_are_not_requests(sandbox, body):
    status, _, answer = call(sandbox, body)
    assert status == 400 and aws_error(status, answer)["__type"] == "SerializationException"


@pytest.mark.parametrize(
    "payload",
    [
        '{"ClientId": "\\ud800", "AuthFlow": "USER_PASSWORD_AUTH"}',
        '{"ClientId": "x", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "\\udfff"}}',
        '{"ClientId": "x", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"\\ud834": "a"}}',
        '{"ClientId": 5, "AuthFlow": "USER_PASSWORD_AUTH"}',
        '{"ClientId": "x", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": ["USERNAME"]}',
        '{"ClientId": "x", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": {"a": 1}}}',
        '{"ClientId": true, "AuthFlow": null}',
    ],
)
def test_members_of_the_wrong_kind(sandbox, payload):
    status, _, answer = call(sandbox, payload)
    assert status == 400 and aws_error(status, answer)["__type"] == "SerializationException"


def test_any_sigv4_region_reaches_this_sandbox(sandbox):
    signed = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/xx-nowhere-9/cognito-idp/aws4_request, SignedHeaders=host, Signature=abc"
    status, _, body = call(sandbox, b'{"MaxResults": 10}', operation="ListUserPools", headers={"Authorization": signed})
    assert status == 200 and DEMO in {p["Id"] for p in json.loads(body)["UserPools"]}
    status, _, body = call(sandbox, b'{"MaxResults": 10}', operation="ListUserPools",
                           headers={"Authorization": "garbage"})  # fmt: skip
    assert status == 200 and DEMO in {p["Id"] for p in json.loads(body)["UserPools"]}


def test_other_moto_services_are_not_answered(sandbox):
    s3 = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=abc"
    status, _, body = call(sandbox, b"", operation=None, method="GET", headers={"Authorization": s3})
    assert aws_error(status, body)["__type"] == "UnknownOperationException"
    status, _, body = call(sandbox, b"Action=ListQueues&Version=2012-11-05", operation=None,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert aws_error(status, body)["__type"] == "UnknownOperationException"
    status, _, body = call(sandbox, b"{}", operation=None, headers={"X-Amz-Target": "DynamoDB_20120810.ListTables"})
    assert aws_error(status, body)["__type"] == "UnknownOperationException"
    status, _, body = call(sandbox, b"", operation=None, method="GET", path="/moto-api/")
    assert aws_error(status, body)["__type"] == "UnknownOperationException"


def test_only_loopback_hosts(sandbox):
    for host in ("evil.example", "evil.example:4590", "127.0.0.1.evil.example", "[::2]:80", ""):
        status, _, body = call(sandbox, b"{}", operation="ListUserPools", headers={"Host": host})
        assert status == 403 and aws_error(status, body)["__type"] == "ForbiddenException", host
    port = urlsplit(sandbox.endpoint_url).port
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "localhost"):
        status, _, _ = call(sandbox, b'{"MaxResults": 1}', operation="ListUserPools", headers={"Host": host})
        assert status == 200, host


def test_cors_only_for_loopback_origins(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    change = json.dumps({"UserPoolId": DEMO, "Username": "alice", "Password": "Changed-By-Evil-1", "Permanent": True})
    status, headers, body = call(sandbox, change, operation="AdminSetUserPassword",
                                 headers={"Origin": "https://evil.example", "Content-Type": "text/plain"})  # fmt: skip
    assert status == 403 and aws_error(status, body)["__type"] == "ForbiddenException"
    assert "access-control-allow-origin" not in headers
    tokens_of(password_auth(client, "alice"))  # the page changed nothing
    status, headers, _ = call(sandbox, b"", operation=None, method="OPTIONS",
                              headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert status == 403 and "access-control-allow-origin" not in headers
    local = "http://localhost:5173"
    status, headers, _ = call(sandbox, b"", operation=None, method="OPTIONS",
                              headers={"Origin": local, "Access-Control-Request-Method": "POST",
                                       "Access-Control-Request-Headers": "content-type,x-amz-target"})  # fmt: skip
    assert status == 204 and headers["access-control-allow-origin"] == local
    assert (
        "POST" in headers["access-control-allow-methods"] and "x-amz-target" in headers["access-control-allow-headers"]
    )
    body = json.dumps({"ClientId": PUBLIC, "AuthFlow": "USER_PASSWORD_AUTH",
                       "AuthParameters": {"USERNAME": "alice", "PASSWORD": "Alice-Sandbox-1"}})  # fmt: skip
    status, headers, answer = call(sandbox, body, headers={"Origin": local})
    assert (
        status == 200
        and headers["access-control-allow-origin"] == local
        and "AuthenticationResult" in json.loads(answer)
    )
    status, headers, _ = call(sandbox, b'{"MaxResults": 1}', operation="ListUserPools", headers={"Origin": local})
    assert status == 200 and headers["access-control-allow-origin"] == local  # moto's answers: our CORS, not its "*"


def test_oversized_body_is_refused(sandbox):
    status, _, body = call(sandbox, b"{" + b" " * (1 << 20) + b"}")
    assert status == 413 and aws_error(status, body)["__type"] == "SerializationException"


def test_moto_answers_stay_json_when_it_cannot_cope(sandbox):
    status, _, body = call(sandbox, b'{"UserPoolId": "us-east-1_Nothing01"}', operation="DescribeUserPool")
    assert aws_error(status, body)["__type"] == "ResourceNotFoundException"
    status, _, body = call(sandbox, b"{}", operation="GetUserPoolSessionConfiguration")
    aws_error(status, body)  # a real operation moto does not have: JSON, not a 500 page


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_OPERATIONS = ["InitiateAuth", "RespondToAuthChallenge", "AdminInitiateAuth", "AssociateSoftwareToken",
               "VerifySoftwareToken", "ConfirmDevice", "GetUser", "RevokeToken", "SignUp", "ForgotPassword",
               "ListUserPools", "DescribeUserPoolClient", "AdminCreateUser", "GetTokensFromRefreshToken"]  # fmt: skip
_MEMBERS = ["ClientId", "AuthFlow", "AuthParameters", "ChallengeName", "ChallengeResponses", "Session", "UserPoolId",
            "Username", "AccessToken", "Token", "MaxResults", "DeviceKey", "UserCode", "ClientSecret"]  # fmt: skip


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    operation=st.sampled_from(_OPERATIONS),
    body=st.dictionaries(st.sampled_from(_MEMBERS), _json_values, max_size=6),
)
def test_fuzzed_requests_get_json_answers_and_no_traceback(sandbox, capfd, operation, body):
    status, headers, answer = call(sandbox, json.dumps(body), operation=operation)
    assert status < 500, (operation, body, answer[:300])
    document = json.loads(answer)
    assert isinstance(document, dict)
    if status >= 400:
        assert set(document) == {"__type", "message"}
    assert "Traceback" not in capfd.readouterr().err


def test_connections_are_kept_alive_and_closed_on_stop(fresh_sandbox):
    sandbox = fresh_sandbox()
    parts = urlsplit(sandbox.endpoint_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + "ListUserPools"}
    sockets = []
    for _ in range(3):
        connection.request("POST", "/", body=b'{"MaxResults": 1}', headers=headers)
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Connection") != "close"
        response.read()
        sockets.append(connection.sock)
    assert sockets[0] is not None and sockets.count(sockets[0]) == 3  # one connection for all three
    connection.request("POST", "/", body=b"{" + b" " * (2 << 20) + b"}", headers=headers)
    response = connection.getresponse()
    assert response.status == 413 and response.getheader("Connection") == "close"
    response.read()
    connection.close()
    kept = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    kept.request("POST", "/", body=b'{"MaxResults": 1}', headers=headers)
    kept.getresponse().read()
    sandbox.stop()
    assert kept.sock is not None and kept.sock.recv(1) == b""  # the server ended the kept-alive connection
    kept.close()


def test_routes_and_operations_can_be_registered(fresh_sandbox):
    """The extension points other parts (managed login) use: a route table and an operation table."""
    import re

    from cognito_tui.sandbox.wsgi import Reply

    sandbox = fresh_sandbox()
    sandbox._app.register("GET", re.compile(r"^/hello$"), lambda environ, match: Reply(200, {"hello": "world"}))
    sandbox._service.register("GetUserPoolSessionConfiguration", lambda body: {"Registered": True})
    status, _, body = call(sandbox, b"", operation=None, method="GET", path="/hello")
    assert status == 200 and json.loads(body) == {"hello": "world"}
    status, _, body = call(
        sandbox, b'{"UserPoolId": "us-east-1_DemoPool01"}', operation="GetUserPoolSessionConfiguration"
    )
    assert status == 200 and json.loads(body) == {"Registered": True}
