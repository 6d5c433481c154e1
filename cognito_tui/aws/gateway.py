"""The one place boto3 is used: a gateway over a boto3 session, as the engine's Transport.

Errors come out as the core's CognitoError (Cognito answered) or TransportError (it did not), so
nothing above this module ever sees a botocore exception.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.config
import botocore.exceptions
from botocore import UNSIGNED

from cognito_tui.core.errors import CognitoError, TransportError
from cognito_tui.core.flows import region_of

# Operations Cognito serves without AWS credentials (smithy noAuth): sent unsigned, so they work
# on a machine with no credentials at all.
PUBLIC_OPERATIONS = frozenset(
    {
        "InitiateAuth",
        "RespondToAuthChallenge",
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
        "ConfirmDevice",
        "UpdateDeviceStatus",
        "ListDevices",
        "ForgetDevice",
        "GetDevice",
        "GetUser",
        "GlobalSignOut",
        "RevokeToken",
        "GetTokensFromRefreshToken",
        "GetUserAuthFactors",
        # managed-login.md section 7: GetClientToken and GetDerivedToken lack noAuth in botocore but are
        # meant to be sent unsigned; ListUserSessions and RevokeUserSession are noAuth.
        "GetClientToken",
        "GetDerivedToken",
        "ListUserSessions",
        "RevokeUserSession",
    }
)
ADMIN_OPERATIONS = frozenset(
    {
        "AdminInitiateAuth",
        "AdminRespondToAuthChallenge",
        "ListUserPools",
        "ListUserPoolClients",
        "DescribeUserPoolClient",
        "DescribeUserPool",
        "GetUserPoolMfaConfig",
        "AdminGetUser",
        "AdminListDevices",
        "ListResourceServers",  # the OAuth pre-flight: which custom scopes exist
    }
)
OPERATIONS = PUBLIC_OPERATIONS | ADMIN_OPERATIONS


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host == "localhost" or host.startswith("127.") or host == "::1"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower().replace("m_f_a", "mfa")


@dataclass(frozen=True)
class GatewayConfig:
    region: str | None = None
    endpoint_url: str | None = None
    aws_profile: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3


class Gateway:
    """Cognito user-pool API calls, by operation name, with dict in and dict out."""

    def __init__(self, config: GatewayConfig, *, user_pool_id: str | None = None):
        region = config.region or (region_of(user_pool_id) if user_pool_id else None)
        if not region:
            raise TransportError("no Region: give --region, or a user pool id (its prefix is the Region)")
        self.config = config
        self.region = region
        self._lock = threading.Lock()
        self._clients: dict[bool, Any] = {}
        try:
            self._session = boto3.session.Session(profile_name=config.aws_profile, region_name=region)
        except botocore.exceptions.ProfileNotFound as exc:
            raise TransportError(
                str(exc),
                "List profiles with `aws configure list-profiles`, or leave the AWS profile empty.",
                title="Unknown AWS profile",
            ) from exc
        if config.endpoint_url and is_loopback(config.endpoint_url):
            resolver = self._session._session.get_component("credential_provider")
            for method in ("container-role", "iam-role"):  # no metadata-endpoint probe for a local emulator
                resolver.remove(method)
        if config.endpoint_url and is_loopback(config.endpoint_url) and not self.has_credentials():
            # A local emulator (the sandbox, moto) checks no signatures: sign admin calls with
            # placeholder credentials rather than refuse them.
            self._session = boto3.session.Session(
                aws_access_key_id="local", aws_secret_access_key="local", region_name=region
            )

    def _client(self, signed: bool):
        with self._lock:
            client = self._clients.get(signed)
            if client is None:
                cfg = botocore.config.Config(
                    connect_timeout=self.config.connect_timeout,
                    read_timeout=self.config.read_timeout,
                    retries={"mode": "standard", "max_attempts": self.config.max_attempts},
                    **({} if signed else {"signature_version": UNSIGNED}),
                )
                client = self._session.client("cognito-idp", endpoint_url=self.config.endpoint_url, config=cfg)
                self._clients[signed] = client
            return client

    def has_credentials(self) -> bool:
        try:
            return self._session.get_credentials() is not None
        except botocore.exceptions.BotoCoreError:
            return False

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        if operation not in OPERATIONS:
            raise ValueError(f"the gateway does not offer {operation}")
        client = self._client(signed=operation not in PUBLIC_OPERATIONS)
        method = getattr(client, _snake(operation))
        try:
            response = method(**params)
        except botocore.exceptions.ClientError as exc:
            err = exc.response.get("Error", {})
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            code = str(err.get("Code") or "UnknownError")
            message = str(err.get("Message") or "")
            if code.isdigit():  # an HTML error page, not a Cognito answer
                raise TransportError(
                    f"{operation}: the endpoint answered HTTP {code}, not a Cognito error",
                    "Is the endpoint URL a Cognito (or sandbox) endpoint?",
                ) from exc
            raise CognitoError(code, message, operation, status) from exc
        except botocore.exceptions.ParamValidationError as exc:
            raise CognitoError("InvalidParameterException", f"rejected before sending: {exc}", operation) from exc
        except botocore.exceptions.NoCredentialsError as exc:
            raise TransportError(
                f"{operation} needs AWS credentials and none were found",
                "Set an AWS profile (aws configure / --aws-profile), or use the public API (InitiateAuth) where the flow allows it.",
                title="AWS credentials needed",
            ) from exc
        except botocore.exceptions.EndpointConnectionError as exc:
            raise TransportError(
                f"cannot connect to {exc.kwargs.get('endpoint_url', 'the endpoint')}",
                "Check the endpoint URL and the Region; is the sandbox running?",
            ) from exc
        except (botocore.exceptions.ConnectTimeoutError, botocore.exceptions.ReadTimeoutError) as exc:
            raise TransportError(
                f"{operation} timed out: {exc}",
                "The endpoint did not answer in time; check the network or raise the timeout.",
            ) from exc
        except botocore.exceptions.BotoCoreError as exc:
            raise TransportError(f"{operation} failed: {exc}") from exc
        response.pop("ResponseMetadata", None)
        return response
