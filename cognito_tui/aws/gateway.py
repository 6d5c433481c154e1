"""The one place boto3 is used: a gateway over a boto3 session, as the engine's Transport.

Errors come out as the core's CognitoError (Cognito answered) or TransportError (it did not), so
nothing above this module ever sees a botocore exception. Every call has a bounded total time;
retries are the gateway's own (botocore makes one attempt each) so each is reported as it starts.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.config
import botocore.exceptions
from botocore import UNSIGNED

from cognito_tui.aws.faults import (
    REQUIRED_KEYS,
    Failure,
    check_body,
    from_exception,
    malformed,
    timed_out,
)
from cognito_tui.core.errors import CognitoError, TransportError, asks_for_secret
from cognito_tui.core.flows import region_of
from cognito_tui.core.redact import Secret

# on_retry(operation, attempt, max_attempts, reason): called as attempt 2, 3, ... starts.
RetryListener = Callable[[str, int, int, str], None]
BACKOFF = (0.2, 0.5, 1.0)  # seconds before attempt 2, 3, 4+ (never past the call's deadline)

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
    """Where to call and how patiently: `max_attempts` tries in all, within `total_timeout` seconds."""

    region: str | None = None
    endpoint_url: str | None = None
    aws_profile: str | None = None
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3
    total_timeout: float | None = None  # None: the read timeout (a hung server is given up once)

    @property
    def deadline_seconds(self) -> float:
        return self.total_timeout if self.total_timeout is not None else self.read_timeout


class Gateway:
    """Cognito user-pool API calls, by operation name, with dict in and dict out."""

    def __init__(
        self, config: GatewayConfig, *, user_pool_id: str | None = None, on_retry: RetryListener | None = None
    ):
        region = config.region or (region_of(user_pool_id) if user_pool_id else None)
        if not region:
            raise TransportError("no Region: give --region, or a user pool id (its prefix is the Region)")
        if config.max_attempts < 1 or config.read_timeout <= 0 or config.connect_timeout <= 0:
            raise TransportError("timeouts must be above 0 and max_attempts at least 1", title="Bad gateway settings")
        self.config = config
        self.region = region
        self.on_retry = on_retry
        self._lock = threading.Lock()
        self._clients: dict[bool, Any] = {}
        self._placeholder_credentials = False
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
            self._placeholder_credentials = True

    def _client(self, signed: bool) -> Any:
        with self._lock:
            client = self._clients.get(signed)
            if client is None:
                cfg = botocore.config.Config(
                    connect_timeout=self.config.connect_timeout,
                    read_timeout=self.config.read_timeout,
                    retries={"mode": "standard", "total_max_attempts": 1},  # the gateway retries, visibly
                    **({} if signed else {"signature_version": UNSIGNED}),
                )
                try:
                    client = self._session.client("cognito-idp", endpoint_url=self.config.endpoint_url, config=cfg)
                except (botocore.exceptions.BotoCoreError, ValueError) as exc:
                    raise TransportError(
                        f"cannot build a Cognito client for Region {self.region!r} and endpoint "
                        f"{self.config.endpoint_url or '(AWS)'}: {exc}",
                        "Check the Region (e.g. us-east-1) and the endpoint URL (e.g. http://127.0.0.1:9229).",
                        title="Bad Region or endpoint",
                    ) from exc
                client.meta.events.register("before-parse.cognito-identity-provider", check_body)
                self._clients[signed] = client
            return client

    def has_credentials(self) -> bool:
        """Whether real AWS credentials were found (the loopback placeholders do not count)."""
        if self._placeholder_credentials:
            return False
        try:
            return self._session.get_credentials() is not None
        except botocore.exceptions.BotoCoreError:
            return False

    def can_sign(self) -> bool:
        """Whether admin calls can be signed: real credentials, or a loopback emulator's placeholders."""
        return self._placeholder_credentials or self.has_credentials()

    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """The one call path: attempts within the deadline, each retry reported, one error type out."""
        if operation not in OPERATIONS:
            raise ValueError(f"the gateway does not offer {operation}")
        client = self._client(signed=operation not in PUBLIC_OPERATIONS)
        method = getattr(client, _snake(operation))
        total = self.config.deadline_seconds
        deadline = time.monotonic() + total
        attempts = self.config.max_attempts
        outcome = self._attempt(operation, method, params, deadline, total)
        attempt = 1
        while isinstance(outcome, Failure) and outcome.retryable and attempt < attempts:
            pause = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
            if time.monotonic() + pause >= deadline:
                break
            attempt += 1
            if self.on_retry is not None:
                self.on_retry(operation, attempt, attempts, outcome.reason)
            time.sleep(pause)
            outcome = self._attempt(operation, method, params, deadline, total)
        if isinstance(outcome, Failure):
            raise outcome.error
        return outcome

    def _attempt(
        self, operation: str, method: Any, params: dict[str, Any], deadline: float, total: float
    ) -> dict[str, Any] | Failure:
        """One try in a daemon thread, so that a server dripping bytes cannot outlast the deadline."""
        outcome: list[Any] = []
        done = threading.Event()

        def send() -> None:
            try:
                outcome.append(method(**params))
            except BaseException as exc:  # every failure is judged by from_exception
                outcome.append(exc)
            done.set()

        threading.Thread(target=send, name=f"gateway-{operation}", daemon=True).start()
        if not done.wait(max(0.0, deadline - time.monotonic())):
            return timed_out(operation, total)
        result = outcome[0]
        if isinstance(result, BaseException):
            return from_exception(operation, result, total)
        return self._checked(operation, result)

    @staticmethod
    def _checked(operation: str, response: Any) -> dict[str, Any] | Failure:
        """The parsed answer, if it has the keys and the types Cognito's model promises."""
        if not isinstance(response, dict):
            return malformed(operation, f"a {type(response).__name__} where Cognito sends an object")
        response.pop("ResponseMetadata", None)
        missing = [k for k in REQUIRED_KEYS.get(operation, ()) if k not in response]
        if missing:
            return malformed(operation, f"an object without {', '.join(missing)}")
        return response


def client_secret_needed(error: object) -> bool:
    """Whether a refusal says the app client has a secret and none was sent."""
    return isinstance(error, CognitoError) and asks_for_secret(error.message)  # either wording of section 5.1


def fetch_client_secret(gateway: Gateway, user_pool_id: str, client_id: str) -> tuple[Secret | None, str]:
    """The client's secret by DescribeUserPoolClient (IAM), or None and why not, in words."""
    try:
        described = gateway.call("DescribeUserPoolClient", {"UserPoolId": user_pool_id, "ClientId": client_id})
    except (CognitoError, TransportError) as exc:
        return None, f"DescribeUserPoolClient failed ({exc}); give the secret with --client-secret-stdin"
    client = described["UserPoolClient"]
    value = client.get("ClientSecret") if isinstance(client, dict) else None
    if not value:
        return None, "DescribeUserPoolClient shows no ClientSecret for this client"
    return Secret(value), ""
