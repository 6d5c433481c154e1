"""Put a Seed into a moto backend: pools and clients under their fixed ids, users with their MFA.

Seeding calls moto's backend directly (no HTTP): the whole demo seed takes a few milliseconds.
Users get a `sub` derived from pool id and sign-in name, so the email-as-username user keeps the
same UUID username across restarts.
"""

from __future__ import annotations

import uuid
from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPoolAttribute

from cognito_tui.sandbox.directory import Directory, Pool
from cognito_tui.sandbox.moto_glue import fast_pool_keys
from cognito_tui.sandbox.seed import ClientSeed, PoolSeed, Seed, UserSeed

SUB_NAMESPACE = uuid.UUID("6f1d3c1e-9a7b-4f0e-8c55-0c0a7e1d2b3a")
FACTOR_NAMES = {"SMS": "SMS_MFA", "TOTP": "SOFTWARE_TOKEN_MFA", "EMAIL": "EMAIL_OTP"}
DEFAULT_PASSWORD_POLICY = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}


def seed_backend(backend: CognitoIdpBackend, seed: Seed, directory: Directory) -> None:
    with fast_pool_keys():
        for pool_seed in seed.pools:
            pool = _create_pool(backend, pool_seed, directory)
            for client_seed in pool_seed.clients:
                _create_client(backend, pool, client_seed)
            for user_seed in pool_seed.users:
                _create_user(backend, pool, pool_seed, user_seed, directory)


def _create_pool(backend: CognitoIdpBackend, spec: PoolSeed, directory: Directory) -> Pool:
    extended: dict[str, Any] = {
        "Policies": {
            "PasswordPolicy": {**DEFAULT_PASSWORD_POLICY, **spec.password_policy},
            "SignInPolicy": {"AllowedFirstAuthFactors": list(spec.first_factors)},
        },
        "UserPoolTier": spec.tier,
        "UsernameConfiguration": {"CaseSensitive": False},
        "Schema": _schema(spec.required_attributes),
        "AutoVerifiedAttributes": ["email"],
    }
    if spec.alias_attributes:
        extended["AliasAttributes"] = list(spec.alias_attributes)
    if spec.username_attributes:
        extended["UsernameAttributes"] = list(spec.username_attributes)
    if spec.device_tracking is not None:
        extended["DeviceConfiguration"] = dict(spec.device_tracking)
    if spec.trigger_names:
        extended["LambdaConfig"] = {
            _lambda_key(key): f"arn:aws:lambda:{backend.region_name}:{backend.account_id}:function:cognito-tui-{name}"
            for key, name in spec.trigger_names.items()
        }
    pool = backend.create_user_pool(spec.name, extended)
    del backend.user_pools[pool.id]  # moto drew a random id: re-key to the seed's fixed one
    pool.arn = pool.arn.replace(pool.id, spec.id)
    pool.id = spec.id
    backend.user_pools[spec.id] = pool
    pool.mfa_config = spec.mfa
    if "SMS" in spec.mfa_factors:
        pool.sms_mfa_config = {
            "SmsAuthenticationMessage": "Your authentication code is {####}.",
            "SmsConfiguration": {
                "SnsCallerArn": f"arn:aws:iam::{backend.account_id}:role/cognito-tui-sandbox-sms",
                "ExternalId": "cognito-tui-sandbox",
                "SnsRegion": backend.region_name,
            },
        }
    if "TOTP" in spec.mfa_factors:
        pool.token_mfa_config = {"Enabled": True}
    extra = directory.extra(pool)
    if "EMAIL" in spec.mfa_factors:
        extra.email_mfa = {"Message": "Your authentication code is {####}.", "Subject": "Your sign-in code"}
    extra.triggers = dict(spec.triggers)
    extra.trigger_names = dict(spec.trigger_names)
    return pool


def _lambda_key(trigger: str) -> str:
    return {
        "define_auth_challenge": "DefineAuthChallenge",
        "create_auth_challenge": "CreateAuthChallenge",
        "verify_auth_challenge_response": "VerifyAuthChallengeResponse",
    }[trigger]


def _schema(required: tuple[str, ...]) -> list[dict[str, Any]]:
    """The full standard schema (moto shows only what is passed), with the seed's required attributes."""
    schema = []
    for name, spec in CognitoIdpUserPoolAttribute.STANDARD_SCHEMA.items():
        schema.append({"Name": name, **spec, "Required": spec["Required"] or name in required})
    return schema


def _create_client(backend: CognitoIdpBackend, pool: Pool, spec: ClientSeed) -> None:
    config: dict[str, Any] = {
        "ClientName": spec.name,
        "ExplicitAuthFlows": list(spec.flows),
        "PreventUserExistenceErrors": spec.prevent_user_existence_errors,
        "AuthSessionValidity": spec.auth_session_validity,
        "EnableTokenRevocation": spec.token_revocation,
        "RefreshTokenRotation": {
            "Feature": "ENABLED" if spec.refresh_token_rotation else "DISABLED",
            "RetryGracePeriodSeconds": spec.rotation_grace_seconds,
        },
        "AccessTokenValidity": spec.access_token_validity,
        "IdTokenValidity": spec.id_token_validity,
        "RefreshTokenValidity": spec.refresh_token_validity,
        "TokenValidityUnits": {"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days"},
    }
    client = backend.create_user_pool_client(pool.id, spec.secret is not None, config)
    del pool.clients[client.id]  # re-key to the fixed id
    client.id = spec.id
    if spec.secret is not None:
        client.secret = spec.secret
    pool.clients[spec.id] = client


def _create_user(
    backend: CognitoIdpBackend, pool: Pool, pool_spec: PoolSeed, spec: UserSeed, directory: Directory
) -> None:
    attributes = [{"Name": k, "Value": v} for k, v in spec.attributes.items()]
    user = backend.admin_create_user(pool.id, spec.username, "SUPPRESS", spec.password, attributes)
    sub = str(uuid.uuid5(SUB_NAMESPACE, f"{pool.id}/{spec.username}"))
    del pool.users[user.username]
    user.id = sub
    if pool_spec.username_attributes:
        user.username = sub  # the real username is the sub; the email is what people type
    user.update_attributes([{"Name": "sub", "Value": sub}])
    pool.users[user.username] = user
    directory.set_status(user, spec.status)
    user.enabled = spec.enabled
    state = directory.state(pool, user)
    state.sms_enabled = "SMS" in spec.mfa
    state.email_enabled = "EMAIL" in spec.mfa
    state.totp_enabled = state.totp_verified = "TOTP" in spec.mfa
    state.totp_secret = spec.totp_secret
    state.preferred = FACTOR_NAMES.get(spec.preferred_mfa or "")
    state.passkey = spec.passkey
    directory.mirror_mfa(pool, user)  # the SRP verifier is derived at the first SRP sign-in (~10 ms each)
