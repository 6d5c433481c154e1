"""Issue 10, the sandbox's side: devices named the JS SDK's way, SECRET_HASH to public clients, lockout, keys."""

from __future__ import annotations

import jwt
import pytest
from sandbox_helpers import (
    CONFIDENTIAL,
    CONFIDENTIAL_SECRET,
    DEMO,
    DEVICE_CLIENT,
    DEVICE_POOL,
    PUBLIC,
    TOTP_SEEDS,
    SrpLogin,
    code_now,
    jwks,
    now_ts,
    password_auth,
    refused,
    tokens_of,
)  # fmt: skip
from test_sandbox_devices import remember

from cognito_tui.core import srp
from cognito_tui.sandbox.clock import Clock

EXCEEDED = "Password attempts exceeded"
INCORRECT = "Incorrect username or password."


def js_sdk_sign_in(sandbox, client, key, group, password):
    """amazon-cognito-identity-js: InitiateAuth without DEVICE_KEY, then DEVICE_KEY in every ChallengeResponses."""
    login = SrpLogin(sandbox, client, DEVICE_POOL, DEVICE_CLIENT)
    started = login.start("judy")
    assert "DEVICE_KEY" not in started["ChallengeParameters"]
    step = login.verify("Judy-Sandbox-1", extra={"DEVICE_KEY": key})
    assert step["ChallengeName"] == "DEVICE_SRP_AUTH", step
    device = srp.SrpClient()
    step = client.respond_to_auth_challenge(
        ClientId=DEVICE_CLIENT, ChallengeName="DEVICE_SRP_AUTH", Session=step["Session"],
        ChallengeResponses={"USERNAME": "judy", "DEVICE_KEY": key, "SRP_A": device.srp_a},
    )  # fmt: skip
    assert step["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    p = step["ChallengeParameters"]
    claim = device.claim(group, key, password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], now_ts(sandbox))
    return client.respond_to_auth_challenge(
        ClientId=DEVICE_CLIENT, ChallengeName="DEVICE_PASSWORD_VERIFIER",
        ChallengeResponses={"USERNAME": "judy", "DEVICE_KEY": key, **claim},
    )  # fmt: skip


def test_device_key_in_the_password_verifier_answer_skips_mfa(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    _, key, group, password = remember(sandbox, client)
    for _ in range(2):  # every later sign-in too: no MFA and no fresh device
        result = tokens_of(js_sdk_sign_in(sandbox, client, key, group, password))
        assert "NewDeviceMetadata" not in result
        assert jwt.decode(result["AccessToken"], options={"verify_signature": False})["device_key"] == key
    devices = client.admin_list_devices(UserPoolId=DEVICE_POOL, Username="judy")["Devices"]
    assert [d["DeviceKey"] for d in devices] == [key]


def test_unknown_device_key_in_the_password_verifier_answer_is_refused(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    _, key, _, _ = remember(sandbox, client)
    login = SrpLogin(sandbox, client, DEVICE_POOL, DEVICE_CLIENT)
    login.start("judy")
    with refused("ResourceNotFoundException", "Device does not exist."):
        login.verify("Judy-Sandbox-1", extra={"DEVICE_KEY": "us-east-1_00000000-0000-0000-0000-000000000000"})
    login = SrpLogin(sandbox, client, DEVICE_POOL, DEVICE_CLIENT)
    login.start("judy", DEVICE_KEY=key)
    with refused("ResourceNotFoundException", "Device does not exist."):  # a different key than InitiateAuth's
        login.verify("Judy-Sandbox-1", extra={"DEVICE_KEY": f"{key[:-4]}0000"})


def test_device_key_on_the_verifier_does_not_excuse_a_wrong_password(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    _, key, _, _ = remember(sandbox, client)
    login = SrpLogin(sandbox, client, DEVICE_POOL, DEVICE_CLIENT)
    login.start("judy")
    with refused("NotAuthorizedException", INCORRECT):
        login.verify("Wrong-Password-1", extra={"DEVICE_KEY": key})


def test_secret_hash_sent_to_a_client_without_a_secret_is_refused(sandbox, boto_client):
    client = boto_client(sandbox)
    hashed = srp.secret_hash("alice", PUBLIC, "not-a-secret-of-this-client")
    message = f"Client {PUBLIC} is not configured for secret but secret hash was received"
    with refused("InvalidParameterException", message):
        password_auth(client, "alice", SECRET_HASH=hashed)
    with refused("InvalidParameterException", message):
        SrpLogin(sandbox, client, DEMO, PUBLIC, secret="not-a-secret-of-this-client").start("alice")
    with refused("InvalidParameterException", message):
        client.sign_up(ClientId=PUBLIC, Username="newbie", Password="Newbie-Sandbox-1", SecretHash=hashed)
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("alice")
    with refused("InvalidParameterException", message):
        login.verify("Alice-Sandbox-1", extra={"SECRET_HASH": hashed})
    tokens_of(password_auth(client, "alice"))  # without one: fine


def test_lockout_doubles_from_one_second(fresh_sandbox, boto_client):
    """Failure n >= 5 locks for 2^(n-5) s (capped at 15 minutes); attempts inside do not count or extend it."""
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    for _ in range(4):
        with refused("NotAuthorizedException", INCORRECT):
            password_auth(client, "alice", "Wrong-Password-1")
    for n in range(5, 16):
        with refused("NotAuthorizedException", EXCEEDED):
            password_auth(client, "alice", "Wrong-Password-1")
        lasts = min(2.0 ** (n - 5), 900.0)
        sandbox.clock.advance(lasts - 0.25)
        with refused("NotAuthorizedException", EXCEEDED):
            password_auth(client, "alice")  # the right password, a quarter second too early
        sandbox.clock.advance(0.25)
    tokens_of(password_auth(client, "alice"))  # the lockout over: the right password works, and resets it
    with refused("NotAuthorizedException", INCORRECT):
        password_auth(client, "alice", "Wrong-Password-1")


def test_six_wrong_srp_passwords_lock_out(fresh_sandbox, boto_client):
    """The TUI's path: USER_SRP_AUTH, a wrong password proven six times in a row."""
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    seen = []
    for _ in range(6):
        login = SrpLogin(sandbox, client, DEMO, PUBLIC)
        login.start("alice")
        with refused("NotAuthorizedException") as caught:
            login.verify("Wrong-Password-1")
        seen.append(caught.value.response["Error"]["Message"])
    assert seen == [INCORRECT] * 4 + [EXCEEDED] * 2
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("alice")
    with refused("NotAuthorizedException", EXCEEDED):
        login.verify("Alice-Sandbox-1")
    sandbox.clock.advance(1)  # five counted failures (the sixth fell inside the lockout): one second
    login = SrpLogin(sandbox, client, DEMO, PUBLIC)
    login.start("alice")
    tokens_of(login.verify("Alice-Sandbox-1"))


def test_two_signing_keys_with_opaque_kids(sandbox, boto_client):
    client = boto_client(sandbox)
    result = tokens_of(password_auth(client, "alice"))
    keys = jwks(sandbox, DEMO)["keys"]
    assert len(keys) == 2 and {k["kty"] for k in keys} == {"RSA"} and {k["alg"] for k in keys} == {"RS256"}
    kids = [k["kid"] for k in keys]
    assert len(set(kids)) == 2 and "dummy" not in kids
    for kid in kids:  # base64 of 32 bytes, as Cognito's look
        assert len(kid) == 44 and kid.endswith("=")
    id_kid = jwt.get_unverified_header(result["IdToken"])["kid"]
    access_kid = jwt.get_unverified_header(result["AccessToken"])["kid"]
    assert id_kid != access_kid and {id_kid, access_kid} == set(kids)
    by_kid = jwt.PyJWKSet.from_dict(jwks(sandbox, DEMO))
    issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{DEMO}"
    claims = jwt.decode(result["IdToken"], by_kid[id_kid].key, algorithms=["RS256"], audience=PUBLIC, issuer=issuer,
                        leeway=10**8)  # fmt: skip
    assert claims["token_use"] == "id"
    with pytest.raises(jwt.InvalidSignatureError):  # the ID key does not verify access tokens
        jwt.decode(result["AccessToken"], by_kid[id_kid].key, algorithms=["RS256"], options={"verify_exp": False})


def test_pyjwk_client_picks_the_key_by_kid(sandbox, boto_client):
    client = boto_client(sandbox)
    result = tokens_of(password_auth(client, "alice"))
    fetcher = jwt.PyJWKClient(sandbox.jwks_url(DEMO), cache_keys=False)
    for token, use in ((result["IdToken"], "id"), (result["AccessToken"], "access")):
        key = fetcher.get_signing_key_from_jwt(token)
        claims = jwt.decode(token, key.key, algorithms=["RS256"], options={"verify_aud": False}, leeway=10**8)
        assert claims["token_use"] == use


# --- the wordings of cognito-protocol.md section 5 and 5.1: the sandbox answers with the first of each ---


def _sign_in_secret(user: str) -> str:
    return srp.secret_hash(user, CONFIDENTIAL, CONFIDENTIAL_SECRET)


def test_every_error_text_is_cognitos_first_wording(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox(clock=Clock(frozen_at=1_800_000_000))
    client = boto_client(sandbox)
    client.update_user_pool_client(UserPoolId=DEMO, ClientId="demorotation00000000000004",
                                   ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])  # fmt: skip
    nobody = "us-east-1_00000000-0000-0000-0000-000000000000"
    used = password_auth(client, "erin")
    code = sandbox.outbox.latest("erin")["code"]
    client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SMS_MFA", Session=used["Session"],
                                     ChallengeResponses={"USERNAME": "erin", "SMS_MFA_CODE": code})  # fmt: skip
    cases = [
        ("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client.",
         lambda: SrpLogin(sandbox, client, DEMO, "demorotation00000000000004").start("alice")),
        ("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client",
         lambda: password_auth(client, "alice", client_id="demosrponly000000000000003")),
        ("NotAuthorizedException", f"Client {CONFIDENTIAL} is configured with secret but SECRET_HASH was not received",
         lambda: password_auth(client, "alice", client_id=CONFIDENTIAL)),
        ("InvalidParameterException", f"Client {PUBLIC} is not configured for secret but secret hash was received",
         lambda: password_auth(client, "alice", SECRET_HASH=_sign_in_secret("alice"))),
        ("NotAuthorizedException", f"Unable to verify secret hash for client {CONFIDENTIAL}",
         lambda: password_auth(client, "alice", client_id=CONFIDENTIAL, SECRET_HASH=_sign_in_secret("bob"))),
        ("InvalidParameterException", "Initiate Auth method not supported.",
         lambda: client.initiate_auth(ClientId=PUBLIC, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "alice", "PASSWORD": "x"})),
        ("NotAuthorizedException", "Invalid session for the user, session can only be used once.",
         lambda: client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SMS_MFA", Session=used["Session"],
                                                  ChallengeResponses={"USERNAME": "erin", "SMS_MFA_CODE": code})),
        ("NotAuthorizedException", INCORRECT, lambda: password_auth(client, "alice", "Wrong-Password-1")),
        ("NotAuthorizedException", "User is disabled.", lambda: password_auth(client, "dora")),
        ("UserNotConfirmedException", "User is not confirmed.", lambda: password_auth(client, "uma")),
        ("PasswordResetRequiredException", "Password reset required for the user",
         lambda: password_auth(client, "rita")),
        ("InvalidParameterException", "Missing required parameter USERNAME",
         lambda: client.initiate_auth(ClientId=PUBLIC, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={})),
        ("ResourceNotFoundException", "User pool client nosuchclient does not exist.",
         lambda: client.initiate_auth(ClientId="nosuchclient", AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "alice", "PASSWORD": "x"})),
        ("ResourceNotFoundException", "User pool us-east-1_Nothing01 does not exist.",
         lambda: client.admin_initiate_auth(UserPoolId="us-east-1_Nothing01", ClientId=PUBLIC,
                                            AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "a"})),
        ("ResourceNotFoundException", "Device does not exist.",
         lambda: password_auth(client, "alice", DEVICE_KEY=nobody)),
        ("NotAuthorizedException", "Invalid Refresh Token",
         lambda: client.initiate_auth(ClientId=PUBLIC, AuthFlow="REFRESH_TOKEN_AUTH",
                                      AuthParameters={"REFRESH_TOKEN": "nonsense"})),
        ("NotAuthorizedException", "Invalid Access Token", lambda: client.get_user(AccessToken="nonsense")),
    ]  # fmt: skip
    for code_, message, call in cases:
        with refused(code_, message):
            call()
    mfa = password_auth(client, "erin")
    with refused("CodeMismatchException", "Invalid code received for user"):
        client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SMS_MFA", Session=mfa["Session"],
                                         ChallengeResponses={"USERNAME": "erin", "SMS_MFA_CODE": "00000x"})  # fmt: skip
    totp = code_now(sandbox, TOTP_SEEDS["dave"])
    answer = {"USERNAME": "dave", "SOFTWARE_TOKEN_MFA_CODE": totp}
    first, second = password_auth(client, "dave"), password_auth(client, "dave")
    tokens_of(client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SOFTWARE_TOKEN_MFA",
                                               Session=first["Session"], ChallengeResponses=answer))  # fmt: skip
    with refused("ExpiredCodeException", "Your software token has already been used once."):
        client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SOFTWARE_TOKEN_MFA",
                                         Session=second["Session"], ChallengeResponses=answer)  # fmt: skip
    sandbox.clock.advance(8 * 86400)
    with refused("NotAuthorizedException", "Temporary password has expired and must be reset by an administrator."):
        password_auth(client, "carol")
    with refused("NotAuthorizedException", "Invalid session for the user, session is expired."):
        client.respond_to_auth_challenge(ClientId=PUBLIC, ChallengeName="SMS_MFA", Session=mfa["Session"],
                                         ChallengeResponses={"USERNAME": "erin", "SMS_MFA_CODE": "000000"})  # fmt: skip
