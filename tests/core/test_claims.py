"""Claims in words, compared, exported; and the refusal that says a client rotates refresh tokens."""

from __future__ import annotations

import json
import shlex

import pytest

from cognito_tui.core.claims import diff_claims, differences, explain_claims, history_claims, scope_words, summary
from cognito_tui.core.claims_export import curl_command, export_tokens
from cognito_tui.core.errors import CognitoError
from cognito_tui.core.refresh import asks_for_rotation, rotation_of

ACCESS = {
    "sub": "u-1", "cognito:groups": ["admins", "beta"], "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_P",
    "client_id": "c1", "token_use": "access", "scope": "aws.cognito.signin.user.admin openid api/read",
    "username": "alice", "device_key": "us-east-1_device-secretish", "tenant": "acme",
}  # fmt: skip
ID = {"sub": "u-1", "token_use": "id", "aud": "c1", "custom:plan": "gold", "name": "Alice", "cognito:username": "alice"}


def notes(claims):
    return {n.claim: n for n in explain_claims(claims)}


def test_token_use_scopes_groups_custom_and_trigger_claims_in_words():
    said = notes(ACCESS)
    assert "access token" in said["token_use"].text and "APIs" in said["token_use"].text
    assert "GetUser" in said["scope"].text and "userInfo" in said["scope"].text
    assert "custom scope 'read' of resource server 'api'" in said["scope"].text
    assert said["cognito:groups"].kind == "group" and "admins, beta" in said["cognito:groups"].text
    assert said["tenant"].kind == "trigger" and "pre-token-generation trigger" in said["tenant"].text
    assert "DEVICE_KEY" in said["device_key"].text
    assert said["iss"].text.endswith("us-east-1_P/.well-known/jwks.json")
    id_said = notes(ID)
    assert "ID token" in id_said["token_use"].text and id_said["custom:plan"].kind == "custom"
    assert id_said["name"].kind == "attribute"


def test_an_access_token_without_the_admin_scope_is_said_to_be_refused_by_get_user():
    said = notes({"token_use": "access", "scope": "api/read"})
    assert "refuses this token" in said["scope"].text
    assert scope_words("made-up") .startswith("a scope Cognito does not define")  # fmt: skip


def test_summary_names_the_user_scopes_groups_and_added_claims():
    text = " ".join(summary({"id": ID, "access": ACCESS}))
    assert "Signed in as alice" in text and "Groups: admins, beta." in text
    assert "Custom scopes for your API: api/read." in text and "Claims a trigger added: tenant." in text
    assert "remembered device" in text and "Custom attributes: custom:plan." in text


def test_diff_marks_added_removed_changed_and_sets_volatile_claims_apart():
    before = {"id": {"sub": "u", "name": "A", "gone": 1, "jti": "1"}, "access": {}}
    after = {"id": {"sub": "u", "name": "B", "new": [1, 2], "jti": "2"}, "access": {}}
    rows = {(r.token, r.claim): r for r in diff_claims(before, after)}
    assert [rows[("id", c)].mark for c in ("sub", "name", "new", "gone", "jti")] == [" ", "≠", "+", "-", "~"]
    assert {r.claim for r in differences(list(rows.values()))} == {"name", "new", "gone"}


def test_history_claims_mask_the_device_key():
    kept = history_claims({"access": ACCESS})
    assert kept["access"]["device_key"].startswith("********") and "secretish" not in json.dumps(kept)
    assert kept["access"]["username"] == "alice"


def test_exports_leave_the_refresh_token_out_unless_asked_and_quote_for_the_shell():
    result = {"IdToken": "i.d.t", "AccessToken": "a'b", "RefreshToken": "r-secret", "ExpiresIn": 3600}
    env = export_tokens(result, "env")
    assert "r-secret" not in env and shlex.split(env.splitlines()[1]) == ["export", "COGNITO_ACCESS_TOKEN=a'b"]
    assert "r-secret" in export_tokens(result, "env", with_refresh=True)
    assert "RefreshToken" not in json.loads(export_tokens(result, "json"))
    line = curl_command("tok", "https://api.example.com/me?x=1&y=2")
    assert shlex.split(line) == ["curl", "-sS", "-H", "Authorization: Bearer tok", "https://api.example.com/me?x=1&y=2"]
    with pytest.raises(ValueError, match="give a URL"):
        curl_command("tok")


def test_the_refusal_that_asks_for_get_tokens_from_refresh_token_is_recognised():
    said = "Refresh token rotation is enabled for this app client: use GetTokensFromRefreshToken."
    assert asks_for_rotation(CognitoError("InvalidParameterException", said))
    assert not asks_for_rotation(CognitoError("NotAuthorizedException", said))
    assert not asks_for_rotation(CognitoError("InvalidParameterException", "Missing required parameter REFRESH_TOKEN"))
    assert rotation_of({"RefreshTokenRotation": {"Feature": "ENABLED"}}) is True
    assert rotation_of({"RefreshTokenRotation": {"Feature": "DISABLED"}}) is False
    assert rotation_of({}) is None and rotation_of(None) is None
