"""Cognito's error answers: the `__type` code and the message, exactly as Cognito words them."""

from __future__ import annotations

from collections.abc import Sequence


class WireError(Exception):
    """An AWS-shaped answer on the wire, HTTP 400 `{"__type": code, "message": message}`.

    Not the client's `core.errors.CognitoError` (what a front end explains): this is what the
    sandbox sends, and it never leaves the sandbox as an exception.

    `keeps_session` marks the recoverable ones (a wrong code): the Session stays valid for a retry.
    """

    def __init__(self, code: str, message: str, *, keeps_session: bool = False, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.keeps_session = keeps_session
        self.status = status


INCORRECT = "Incorrect username or password."


def not_authorized(message: str = INCORRECT) -> WireError:
    return WireError("NotAuthorizedException", message)


def invalid_parameter(message: str) -> WireError:
    return WireError("InvalidParameterException", message)


def missing(name: str) -> WireError:
    return invalid_parameter(f"Missing required parameter {name}")


def resource_not_found(message: str) -> WireError:
    return WireError("ResourceNotFoundException", message)


def user_not_found() -> WireError:
    return WireError("UserNotFoundException", "User does not exist.")


def code_mismatch(message: str = "Invalid code received for user") -> WireError:
    return WireError("CodeMismatchException", message, keeps_session=True)


def enum_error(value: str, member: str, allowed: Sequence[str]) -> WireError:
    """The service's own validation text for an unknown enum value (botocore does not check enums)."""
    return invalid_parameter(
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: "
        f"Member must satisfy enum value set: [{', '.join(allowed)}]"
    )


def session_invalid() -> WireError:
    return not_authorized("Invalid session for the user.")


def session_used() -> WireError:
    return not_authorized("Invalid session for the user, session can only be used once.")


def session_expired() -> WireError:
    return not_authorized("Invalid session for the user, session is expired.")


def secret_missing(client_id: str) -> WireError:
    return not_authorized(f"Client {client_id} is configured with secret but SECRET_HASH was not received")


def client_secret_missing(client_id: str) -> WireError:
    """Calls that send ClientSecret itself (GetTokensFromRefreshToken, RevokeToken) name the secret, not a hash."""
    return not_authorized(f"Client {client_id} is configured for secret but secret was not received")


def secret_not_expected(client_id: str) -> WireError:
    return invalid_parameter(f"Client {client_id} is not configured for secret but secret hash was received")


def secret_wrong(client_id: str) -> WireError:
    return not_authorized(f"Unable to verify secret hash for client {client_id}")
