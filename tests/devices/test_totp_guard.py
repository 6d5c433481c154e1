"""Which TOTP code goes out, and the words for devices and MFA: pure functions, fixed times."""

from __future__ import annotations

import pytest

from cognito_tui.core import totp
from cognito_tui.core.devices import device_rows, device_unknown, mfa_note, tag
from cognito_tui.core.errors import CognitoError, explain
from cognito_tui.core.steps import Failed
from cognito_tui.core.totp_guard import CodeAlreadyUsed, countdown_bar, group_by_four, pick_code, reuse_warning

SEED = "JBSWY3DPEHPK3PXP"
T = 1_800_000_000.0 + 12  # 12 s into a window: 18 s left


def test_the_current_code_when_nothing_was_used_in_this_window():
    pick = pick_code(SEED, T, last_used=totp.counter(T) - 1)
    assert (pick.code, pick.seconds_left, pick.note) == (totp.now_code(SEED, T), 18, "")


def test_the_next_windows_code_when_this_one_was_used_and_a_wait_when_both_were():
    used = totp.counter(T)
    pick = pick_code(SEED, T, last_used=used)
    assert pick.code == totp.code_at(SEED, used + 1) and pick.step == used + 1 and pick.seconds_left == 48
    assert "already used" in pick.note and "one step of clock skew" in pick.note
    with pytest.raises(CodeAlreadyUsed) as caught:
        pick_code(SEED, T, last_used=used + 1)
    assert caught.value.wait == 48


def test_reuse_warning_names_the_code_and_the_way_out():
    code = totp.now_code(SEED, T)
    assert reuse_warning(SEED, code, T, None) is None
    assert reuse_warning(SEED, code, T, totp.counter(T) - 1) is None
    warning = reuse_warning(SEED, code, T, totp.counter(T))
    assert warning is not None and f"code {code} was already used" in warning and "ExpiredCodeException" in warning


def test_grouping_and_the_countdown_bar():
    assert group_by_four("JBSWY3DPEHPK3PXP") == "JBSW Y3DP EHPK 3PXP"
    assert countdown_bar(30, 10) == "█" * 10 and countdown_bar(15, 10) == "█" * 5 + "░" * 5


def test_mfa_notes_in_words():
    from cognito_tui.core.challenges import spec_for
    from cognito_tui.core.steps import Challenge, SignedIn

    def ch(name):
        return Challenge(name, spec_for(name), {}, None, "judy", 0.0, None)

    done = SignedIn({}, {})
    key = "us-east-1_0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    skipped = mfa_note([ch("PASSWORD_VERIFIER"), ch("DEVICE_SRP_AUTH"), ch("DEVICE_PASSWORD_VERIFIER"), done], key)
    assert skipped.startswith("MFA skipped: the remembered device us-east-1_…#") and key not in skipped
    not_remembered = mfa_note(
        [ch("PASSWORD_VERIFIER"), ch("DEVICE_SRP_AUTH"), ch("DEVICE_PASSWORD_VERIFIER"), ch("SOFTWARE_TOKEN_MFA")], key
    )
    assert "is not remembered" in not_remembered and "SOFTWARE_TOKEN_MFA" in not_remembered
    assert mfa_note([ch("PASSWORD_VERIFIER"), ch("SMS_MFA"), done], None).startswith(
        "MFA asked (SMS_MFA): no remembered"
    )
    assert tag(key) == f"us-east-1_…#{tag(key).split('#')[1]}" and len(tag(key).split("#")[1]) == 8


def test_only_a_device_does_not_exist_refusal_drops_the_device():
    gone = CognitoError("ResourceNotFoundException", "Device does not exist.", "InitiateAuth")
    other = CognitoError("ResourceNotFoundException", "User pool client x does not exist.", "InitiateAuth")
    assert device_unknown(Failed(gone, explain(gone)), "k")
    assert not device_unknown(Failed(gone, explain(gone)), None)
    assert not device_unknown(Failed(other, explain(other)), "k")


def test_device_rows_from_list_devices():
    rows = device_rows(
        [
            {
                "DeviceKey": "us-east-1_abc",
                "DeviceAttributes": [
                    {"Name": "device_name", "Value": "laptop"},
                    {"Name": "dev:device_remembered_status", "Value": "remembered"},
                ],
                "DeviceCreateDate": 1_800_000_000,
            }
        ]
    )
    assert rows[0].name == "laptop" and rows[0].remembered == "remembered" and rows[0].last_seen == "never proved"
