"""Copied `aws cognito-idp ...` commands use the AWS CLI's own names, checked against botocore's."""

from __future__ import annotations

import shlex

import botocore.session
import pytest
from botocore import xform_name

from cognito_tui.core.transcript import aws_cli_command, cli_name

MODEL = botocore.session.get_session().get_service_model("cognito-idp")
OPERATIONS = sorted(MODEL.operation_names)
MEMBERS = sorted(
    {
        member
        for op in OPERATIONS
        if MODEL.operation_model(op).input_shape is not None
        for member in MODEL.operation_model(op).input_shape.members
    }
)


def test_the_model_is_the_whole_service() -> None:
    assert len(OPERATIONS) > 100 and "SetUserMFAPreference" in OPERATIONS
    assert "SMSMfaSettings" in MEMBERS and "UserPoolId" in MEMBERS


@pytest.mark.parametrize("operation", OPERATIONS)
def test_every_operation_is_named_as_the_cli_names_it(operation: str) -> None:
    assert cli_name(operation) == xform_name(operation, "-")


@pytest.mark.parametrize("member", MEMBERS)
def test_every_input_member_is_named_as_the_cli_names_it(member: str) -> None:
    assert cli_name(member) == xform_name(member, "-")


def test_acronyms_stay_whole_in_a_rendered_command() -> None:
    command = aws_cli_command(
        "SetUserMFAPreference",
        {"AccessToken": "tok", "SMSMfaSettings": {"Enabled": False}, "SoftwareTokenMfaSettings": {"Enabled": True}},
        reveal=True,
    )
    words = shlex.split(command)
    assert words[:3] == ["aws", "cognito-idp", "set-user-mfa-preference"]
    assert "--sms-mfa-settings" in words and "--software-token-mfa-settings" in words
    assert "--access-token" in words


def test_plural_acronyms_and_names_with_dashes() -> None:
    # botocore's special case (e.g. GatewayARNs), not present in cognito-idp today
    for name in ("GatewayARNs", "ListWebACLs", "already-dashed", "A", "IdToken"):
        assert cli_name(name) == xform_name(name, "-")
