"""Exit codes of every command, in a module of their own so headless commands never import cli.py."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """What a command's exit status means (README: Commands; `login --help` lists them)."""

    OK = 0
    REFUSED = 1  # Cognito answered, and refused
    USAGE = 2  # bad flags or input: nothing was sent
    NEEDS_INPUT = 3  # an answer was needed and no input was available
    UNREACHABLE = 4  # sent, but no usable answer: endpoint unreachable, timed out, or not Cognito


# TransportError codes (core.errors) that mean nothing was sent: fix the input, not the network.
NOT_SENT = frozenset({"NoCredentials", "UnknownAwsProfile", "NoRegion"})


EXIT_CODES_HELP = (
    "exit codes:\n"
    "  0  signed in\n"
    "  1  Cognito refused (wrong password, code, flow not allowed, ...)\n"
    "  2  usage: bad flags or input, or no AWS credentials for an admin call (nothing was sent)\n"
    "  3  an answer was needed and no input was available\n"
    "  4  no usable answer: the endpoint could not be reached, did not answer in time, or is not\n"
    "     Cognito (check the endpoint URL and the network; a retry may help)"
)
