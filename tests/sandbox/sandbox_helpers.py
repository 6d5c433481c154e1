"""Small helpers for the sandbox tests: raw boto3 calls, SRP answers, token checks.

The SRP maths come from cognito_tui.core.srp (the shared implementation); the sandbox tests
drive the wire themselves so that they pin ChallengeParameters and error texts exactly.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
import requests
from botocore.exceptions import ClientError

from cognito_tui.core import srp, totp

DEMO = "us-east-1_DemoPool01"
MFA_POOL = "us-east-1_MfaReqd0001"
DEVICE_POOL = "us-east-1_Devices0001"
EMAIL_POOL = "us-east-1_EmailUser001"
PUBLIC = "demopublic0000000000000001"
CONFIDENTIAL = "democonfidential0000000002"
CONFIDENTIAL_SECRET = "democonfidentialsecretpublicbydesign000000000000002"
SRP_ONLY = "demosrponly000000000000003"
ROTATION = "demorotation00000000000004"
MFA_CLIENT = "mfarequiredpublic000000005"
DEVICE_CLIENT = "devicetrackingpublic000006"
EMAIL_CLIENT = "emailusernameconfidential7"
EMAIL_SECRET = "emailusernameconfidentialsecretpublicbydesign000007"
PASSWORDS = {
    "alice": "Alice-Sandbox-1", "bob": "Bob-Sandbox-1", "carol": "Carol-Temp-1", "dave": "Dave-Sandbox-1",
    "erin": "Erin-Sandbox-1", "frank": "Frank-Sandbox-1", "grace": "Grace-Sandbox-1", "mallory": "Mallory-Sandbox-1",
    "oscar": "Oscar-Sandbox-1", "uma": "Uma-Sandbox-1", "rita": "Rita-Sandbox-1", "dora": "Dora-Sandbox-1",
    "ivan": "Ivan-Sandbox-1", "judy": "Judy-Sandbox-1", "walter@example.com": "Walter-Sandbox-1",
}  # fmt: skip
TOTP_SEEDS = {"dave": "DAVETOTPDEMOSEEDDAVETOTPDEMOSEED", "grace": "GRACETOTPDEMOSEEDGRACETOTPDEMOSE",
              "judy": "JUDYTOTPDEMOSEEDJUDYTOTPDEMOSEED"}  # fmt: skip


@contextmanager
def refused(code: str, message: str | None = None):
    """Expect a Cognito error with this code (and exactly this message, if given)."""
    with pytest.raises(ClientError) as caught:
        yield caught
    error = caught.value.response["Error"]
    assert error["Code"] == code, error
    if message is not None:
        assert error["Message"] == message, error


def now_ts(sandbox: Any) -> str:
    """A TIMESTAMP on the sandbox clock (tests may have moved it)."""
    return srp.timestamp(datetime.fromtimestamp(sandbox.clock.now(), tz=UTC))


def code_now(sandbox: Any, secret: str) -> str:
    return totp.now_code(secret, sandbox.clock.now())


def password_auth(
    client: Any, username: str, password: str | None = None, client_id: str = PUBLIC, **extra: str
) -> dict[str, Any]:
    params = {"USERNAME": username, "PASSWORD": password or PASSWORDS[username], **extra}
    return client.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH", AuthParameters=params)


class SrpLogin:
    """One USER_SRP_AUTH exchange: `start()` sends SRP_A, `verify()` answers PASSWORD_VERIFIER."""

    def __init__(self, sandbox: Any, client: Any, pool_id: str, client_id: str, secret: str | None = None) -> None:
        self.sandbox, self.client, self.pool_id, self.client_id, self.secret = (
            sandbox,
            client,
            pool_id,
            client_id,
            secret,
        )
        self.srp = srp.SrpClient()
        self.challenge: dict[str, Any] = {}

    def start(self, username: str, flow: str = "USER_SRP_AUTH", **extra: str) -> dict[str, Any]:
        params = {"USERNAME": username, "SRP_A": self.srp.srp_a, **extra}
        if self.secret:
            params["SECRET_HASH"] = srp.secret_hash(username, self.client_id, self.secret)
        self.challenge = self.client.initiate_auth(ClientId=self.client_id, AuthFlow=flow, AuthParameters=params)
        return self.challenge

    def claim(self, password: str, *, user_id: str | None = None, ts: str | None = None) -> dict[str, str]:
        p = self.challenge["ChallengeParameters"]
        user_id = user_id or p["USER_ID_FOR_SRP"]
        claim = self.srp.claim(srp.pool_name(self.pool_id), user_id, password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"],
                               ts or now_ts(self.sandbox))  # fmt: skip
        responses = {"USERNAME": p["USER_ID_FOR_SRP"], **claim}
        if self.secret:
            responses["SECRET_HASH"] = srp.secret_hash(p["USER_ID_FOR_SRP"], self.client_id, self.secret)
        return responses

    def verify(self, password: str, **kwargs: Any) -> dict[str, Any]:
        extra = kwargs.pop("extra", {})
        return self.client.respond_to_auth_challenge(
            ClientId=self.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses={**self.claim(password, **kwargs), **extra},
        )


def srp_sign_in(sandbox: Any, client: Any, username: str, password: str | None = None, pool_id: str = DEMO,
                client_id: str = PUBLIC) -> dict[str, Any]:  # fmt: skip
    """USER_SRP_AUTH through PASSWORD_VERIFIER: the answer after the password step (tokens or a challenge)."""
    login = SrpLogin(sandbox, client, pool_id, client_id)
    login.start(username)
    return login.verify(password or PASSWORDS[username])


def respond(client: Any, previous: dict[str, Any], client_id: str = PUBLIC, **responses: str) -> dict[str, Any]:
    """Answer the challenge in `previous` with its Session; USERNAME from USER_ID_FOR_SRP unless given."""
    name = previous["ChallengeName"]
    params = previous.get("ChallengeParameters", {})
    username = responses.pop("USERNAME", None) or params.get("USER_ID_FOR_SRP") or params.get("USERNAME")
    return client.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=name,
        Session=previous["Session"],
        ChallengeResponses={"USERNAME": username, **responses},
    )


def jwks(sandbox: Any, pool_id: str) -> dict[str, Any]:
    return requests.get(sandbox.jwks_url(pool_id), timeout=5).json()


def verify_token(sandbox: Any, token: str, pool_id: str, client_id: str, token_use: str) -> dict[str, Any]:
    """Verify offline: signature against the sandbox JWKS, issuer = the AWS URL, audience/client_id."""
    header = jwt.get_unverified_header(token)
    key = next(k for k in jwks(sandbox, pool_id)["keys"] if k["kid"] == header["kid"])
    claims = jwt.decode(
        token,
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=client_id if token_use == "id" else None,
        issuer=f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}",
        options={"verify_aud": token_use == "id"},
        leeway=10**8,  # tests may move the sandbox clock far ahead of the wall clock
    )
    assert claims["token_use"] == token_use
    if token_use == "access":
        assert claims["client_id"] == client_id
    return claims


def tokens_of(response: dict[str, Any]) -> dict[str, Any]:
    assert "ChallengeName" not in response or response.get("ChallengeName") is None, response
    return response["AuthenticationResult"]


# --- triggers that record their events (a test seed names them "sandbox_helpers:record_define"...) ---

RECORDED: list[dict[str, Any]] = []


def _recorder(name: str) -> Any:
    from cognito_tui.sandbox import triggers

    demo = getattr(triggers, f"demo_{name}")

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        RECORDED.append(__import__("copy").deepcopy(event))
        return demo(event, context)

    return handler


record_define = _recorder("define_auth_challenge")
record_create = _recorder("create_auth_challenge")
record_verify = _recorder("verify_auth_challenge_response")


def broken_create(event: dict[str, Any], context: Any) -> dict[str, Any]:
    raise RuntimeError("no code for you")


def write_seed(tmp_path: Any, text: str) -> Any:
    path = tmp_path / "seed.yaml"
    path.write_text(text, encoding="utf-8")
    return path
