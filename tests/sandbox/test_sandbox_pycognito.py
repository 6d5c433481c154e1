"""pycognito, an independent client, signs in against the sandbox: SRP, device SRP, refusals."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP, generate_hash_device
from pycognito.exceptions import SoftwareTokenMFAChallengeException
from sandbox_helpers import (
    DEMO,
    DEVICE_CLIENT,
    DEVICE_POOL,
    EMAIL_CLIENT,
    EMAIL_POOL,
    EMAIL_SECRET,
    PUBLIC,
    TOTP_SEEDS,
    code_now,
    jwks,
    tokens_of,
    verify_token,
)  # fmt: skip


def cognito(sandbox, client, pool_id, client_id, username, secret=None):
    """pycognito's Cognito with the sandbox's boto3 client and JWKS: it checks the AWS issuer itself."""
    user = Cognito(pool_id, client_id, username=username, client_secret=secret)
    user.client = client
    user.pool_jwk = jwks(sandbox, pool_id)
    return user


def test_pycognito_srp_sign_in_verifies_tokens(sandbox, boto_client):
    user = cognito(sandbox, boto_client(sandbox), DEMO, PUBLIC, "bob@example.com")
    user.authenticate(password="Bob-Sandbox-1")
    assert user.id_claims["cognito:username"] == "bob"
    assert user.access_claims["username"] == "bob"
    user.renew_access_token()  # REFRESH_TOKEN_AUTH
    assert user.access_claims["auth_time"] == user.id_claims["auth_time"]


def test_pycognito_with_secret_and_email_username(sandbox, boto_client):
    user = cognito(sandbox, boto_client(sandbox), EMAIL_POOL, EMAIL_CLIENT, "walter@example.com", EMAIL_SECRET)
    user.authenticate(password="Walter-Sandbox-1")
    assert user.id_claims["email"] == "walter@example.com"


def test_pycognito_wrong_password_is_refused(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    user = cognito(sandbox, boto_client(sandbox), DEMO, PUBLIC, "bob")
    with pytest.raises(ClientError) as caught:
        user.authenticate(password="Bob-Sandbox-2")
    assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert caught.value.response["Error"]["Message"] == "Incorrect username or password."


def test_pycognito_device_srp(fresh_sandbox, boto_client):
    sandbox = fresh_sandbox()
    client = boto_client(sandbox)
    first = AWSSRP("judy", "Judy-Sandbox-1", DEVICE_POOL, DEVICE_CLIENT, client=client)
    with pytest.raises(SoftwareTokenMFAChallengeException) as mfa:
        first.authenticate_user()
    challenge = mfa.value.get_tokens()
    result = tokens_of(client.respond_to_auth_challenge(
        ClientId=DEVICE_CLIENT, ChallengeName="SOFTWARE_TOKEN_MFA", Session=challenge["Session"],
        ChallengeResponses={"USERNAME": "judy", "SOFTWARE_TOKEN_MFA_CODE": code_now(sandbox, TOTP_SEEDS["judy"])},
    ))  # fmt: skip
    key, group = result["NewDeviceMetadata"]["DeviceKey"], result["NewDeviceMetadata"]["DeviceGroupKey"]
    device_password, config = generate_hash_device(group, key)  # pycognito's own verifier maths
    client.confirm_device(
        AccessToken=result["AccessToken"], DeviceKey=key, DeviceSecretVerifierConfig=config, DeviceName="pycognito"
    )
    again = AWSSRP("judy", "Judy-Sandbox-1", DEVICE_POOL, DEVICE_CLIENT, client=client,
                   device_key=key, device_group_key=group, device_password=device_password)  # fmt: skip
    tokens = again.authenticate_user()  # PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER, no MFA
    access = verify_token(sandbox, tokens["AuthenticationResult"]["AccessToken"], DEVICE_POOL, DEVICE_CLIENT, "access")
    assert access["device_key"] == key
    wrong = AWSSRP("judy", "Judy-Sandbox-1", DEVICE_POOL, DEVICE_CLIENT, client=client,
                   device_key=key, device_group_key=group, device_password="not-the-device-password")  # fmt: skip
    with pytest.raises(ClientError) as caught:
        wrong.authenticate_user()
    assert caught.value.response["Error"]["Message"] == "Incorrect username or password."
