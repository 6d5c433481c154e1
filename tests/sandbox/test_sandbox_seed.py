"""The seed file: the packaged demo seed loads; mistakes are reported by file and field."""

from __future__ import annotations

import textwrap
import tracemalloc

import pytest

from cognito_tui.sandbox import SeedError, load_seed
from cognito_tui.sandbox.triggers import demo_define_auth_challenge


def test_demo_seed():
    seed = load_seed()
    assert seed.region == "us-east-1"
    assert [p.id for p in seed.pools] == [
        "us-east-1_DemoPool01",
        "us-east-1_MfaReqd0001",
        "us-east-1_Devices0001",
        "us-east-1_EmailUser001",
    ]
    demo = seed.pools[0]
    assert demo.mfa == "OPTIONAL" and demo.mfa_factors == ("SMS", "TOTP", "EMAIL") and demo.tier == "ESSENTIALS"
    assert demo.first_factors == ("PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")
    assert demo.triggers["define_auth_challenge"] is demo_define_auth_challenge
    assert seed.pools[1].mfa == "ON"  # a bare ON in YAML is a boolean: read as the word
    assert seed.pools[2].device_tracking == {
        "ChallengeRequiredOnNewDevice": True,
        "DeviceOnlyRememberedOnUserPrompt": False,
    }
    assert all(len(c.id) == 26 for p in seed.pools for c in p.clients)


def check(tmp_path, text: str, field: str, problem: str) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(textwrap.dedent(text))
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert caught.value.field == field, str(caught.value)
    assert problem in caught.value.problem, str(caught.value)


POOL = """
    pools:
      - id: us-east-1_T1
        name: t
"""


@pytest.mark.parametrize(
    ("extra", "field", "problem"),
    [
        ("        tier: GOLD\n", "pools[0].tier", "not one of LITE, ESSENTIALS, PLUS"),
        ("        mfa: OPTIONAL\n", "pools[0].mfa_factors", "needs at least one factor"),
        ("        first_factors: [EMAIL_OTP]\n", "pools[0].first_factors", "must include PASSWORD"),
        ("        triggers: {define_auth_challenge: no_such_function}\n", "pools[0].triggers.define_auth_challenge", "no trigger function"),
        ("        triggers: {define_auth_challenge: demo_define_auth_challenge}\n", "pools[0].triggers", "needs all three"),
        ("        clients: [{name: a, id: 'bad id!'}]\n", "pools[0].clients[0].id", "does not match"),
        ("        clients: [{name: a, id: abc, secret: short}]\n", "pools[0].clients[0].secret", "does not match"),
        ("        clients: [{name: a, id: abc, auth_session_validity: 60}]\n", "pools[0].clients[0].auth_session_validity", "from 3 to 15"),
        ("        clients: [{name: a, id: abc, flows: [ALLOW_EVERYTHING]}]\n", "pools[0].clients[0].flows", "'ALLOW_EVERYTHING' is not one of"),
        ("        users: [{username: u, password: p, mfa: {totp: true}}]\n", "pools[0].users[0].mfa.totp", "does not offer TOTP"),
        ("        mfa: OPTIONAL\n        mfa_factors: [TOTP]\n        users: [{username: u, password: p, mfa: {totp: true}}]\n",
         "pools[0].users[0].totp_secret", "needs a totp_secret"),
        ("        mfa: OPTIONAL\n        mfa_factors: [SMS]\n        users: [{username: u, password: p, mfa: {sms: true}}]\n",
         "pools[0].users[0].attributes", "needs a phone_number"),
        ("        users: [{username: u, password: p, status: LOST}]\n", "pools[0].users[0].status", "not one of"),
        ("        users: [{username: u, password: p}, {username: u, password: q}]\n", "pools[0].users", "appears twice"),
        ("        users: [{username: u, password: p, client: nope}]\n", "pools[0].users[0].client", "'nope' is not one of"),
        ("        required_attributes: [shoe_size]\n", "pools[0].required_attributes", "'shoe_size' is not one of"),
        ("        colour: blue\n", "pools[0].colour", "unknown setting"),
        ("        nmae: t2\n", "pools[0].nmae", "unknown setting"),
    ],
)  # fmt: skip
def test_problems_are_named(tmp_path, extra, field, problem):
    check(tmp_path, POOL + textwrap.indent(textwrap.dedent(extra), "        "), field, problem)


def test_top_level_problems(tmp_path):
    check(tmp_path, "region: mars\npools: []\n", "region", "does not match")
    check(tmp_path, "pools: []\n", "pools", "at least one pool")
    check(tmp_path, "pools:\n  - id: eu-west-1_A1\n    name: a\n", "pools[0].id", "not the seed's region")
    check(tmp_path, "- just\n- a list\n", "(top level)", "must be a mapping")
    check(tmp_path, "pools: [\n", "line 2", "not valid YAML")
    check(tmp_path, "", "(top level)", "is empty")


def refused(tmp_path, text: str) -> SeedError:
    path = tmp_path / "seed.yaml"
    path.write_text(text)
    with pytest.raises(SeedError) as caught:
        load_seed(path)
    assert str(caught.value).startswith(f"{path}: line {caught.value.line}: "), str(caught.value)
    return caught.value


def test_a_mistake_names_its_line(tmp_path):
    error = refused(tmp_path, "pools:\n  - id: us-east-1_T1\n    name: t\n    tier: GOLD\n")
    assert (error.line, error.field) == (4, "pools[0].tier")


def test_billion_laughs_is_refused_small(tmp_path):
    """Nine levels of ten aliases each would be 10**9 values: refused at the cap, before it is built."""
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]" for i in range(8)]
    tracemalloc.start()
    try:
        error = refused(tmp_path, "\n".join(levels) + "\npools: *i\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert error.field == "(file)" and "aliases" in error.problem and error.line == 1
    assert peak < 50_000_000  # the cap's worth of values, not a gigabyte of them


def test_recursive_alias_is_refused(tmp_path):
    error = refused(tmp_path, "pools:\n  - &p\n    id: us-east-1_T1\n    name: t\n    clients: [*p]\n")
    assert error.field == "pools[0].clients[0]" and "loop" in error.problem and error.line == 2


def test_merge_key_with_a_scalar_is_refused(tmp_path):
    error = refused(tmp_path, "pools:\n  - id: us-east-1_T1\n    name: t\n    <<: 5\n")
    assert error.field == "pools[0].<<" and "merge key" in error.problem and error.line == 4


def test_merge_key_with_a_mapping_is_read(tmp_path):
    path = tmp_path / "seed.yaml"
    path.write_text(
        "pools:\n"
        "  - {id: us-east-1_T1, name: t, password_policy: &pp {minimum_length: 12}}\n"
        "  - {id: us-east-1_T2, name: u, password_policy: {<<: *pp, require_symbols: false}}\n"
    )
    policy = load_seed(path).pools[1].password_policy
    assert policy["MinimumLength"] == 12 and policy["RequireSymbols"] is False


def test_duplicate_key_and_deep_nesting_are_refused(tmp_path):
    error = refused(tmp_path, "pools:\n  - id: us-east-1_T1\n    name: t\n    name: u\n")
    assert error.field == "pools[0].name" and "duplicate key" in error.problem and error.line == 4
    error = refused(tmp_path, "pools: " + "[" * 200 + "]" * 200 + "\n")
    assert error.field == "(file)" and "nested more than" in error.problem
