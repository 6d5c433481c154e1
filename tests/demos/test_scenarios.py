"""`cognito-tui scenarios run`: the shipped demo file against the sandbox, failures, JSON, JUnit, --compare."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib.resources import files

import pytest

from cognito_tui.core.scenario import Expectation, Observed, compare
from cognito_tui.store.scenarios import ScenarioFileError, parse_scenarios

SHIPPED = str(files("cognito_tui.sandbox") / "demo_scenarios.yaml")
SEED = str(files("cognito_tui.sandbox") / "demo_seed.yaml")

WRONG = """\
version: 1
walks:
  - name: alice plain
    pool: cognito-tui-demo
    client: demo-public
    flow: USER_PASSWORD_AUTH
    user: alice
    expect: {outcome: tokens}
  - name: dave expects the wrong challenge
    pool: cognito-tui-demo
    client: demo-public
    flow: USER_PASSWORD_AUTH
    user: dave
    answers:
      SOFTWARE_TOKEN_MFA: {SOFTWARE_TOKEN_MFA_CODE: totp}
    expect: {challenges: [SMS_MFA], outcome: tokens}
"""


def test_the_shipped_file_covers_every_demo_scenario():
    import yaml

    seed = yaml.safe_load(open(SEED, encoding="utf-8"))
    scenarios = {u["scenario"] for pool in seed["pools"] for u in pool["users"]}
    users = {u["username"]: u["scenario"] for pool in seed["pools"] for u in pool["users"]}
    users.update({"bob@example.com": "srp_alias"})
    walked = {users[w.user] for w in parse_scenarios(open(SHIPPED, encoding="utf-8").read(), SHIPPED).walks}
    assert walked == scenarios


@pytest.fixture(scope="module")
def shipped_run(tmp_path_factory):
    """One run of the shipped file (it starts its own sandbox): --json and --junit together."""
    import subprocess
    import sys

    tmp = tmp_path_factory.mktemp("shipped")
    junit = tmp / "junit.xml"
    done = subprocess.run(
        [sys.executable, "-m", "cognito_tui", "scenarios", "run", SHIPPED, "--against", "sandbox", "--json"]
        + ["--junit", str(junit)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp), "COGNITO_TUI_CONFIG": str(tmp / "profiles.yaml")},
    )
    return done, junit


def test_the_shipped_file_passes_against_the_sandbox(shipped_run):
    done, junit = shipped_run
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == 0 and report["passed"] == report["total"] >= 17
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == report["total"]


def test_json_shape(shipped_run):
    report = json.loads(shipped_run[0].stdout)
    assert set(report) == {"file", "against", "total", "passed", "failed", "walks"}
    assert report["against"] == "sandbox"
    walk = next(w for w in report["walks"] if w["name"].startswith("totp (dave"))
    assert set(walk) == {"name", "line", "passed", "difference", "expected", "actual"}
    assert walk["actual"]["challenges"] == ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA"]
    assert walk["actual"]["operations"] == ["InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge"]
    assert walk["actual"]["claims"]["access"]["username"] == "dave"
    assert walk["expected"] == {"outcome": "tokens", "challenges": ["PASSWORD_VERIFIER", "SOFTWARE_TOKEN_MFA"],
                                "username": "dave"}  # fmt: skip
    refused = next(w for w in report["walks"] if w["name"].startswith("disabled"))
    assert refused["actual"]["outcome"] == "NotAuthorizedException" and refused["passed"]
    for secret in ("Dave-Sandbox-1", "DAVETOTPDEMOSEEDDAVETOTPDEMOSEED", "democonfidentialsecretpublicbydesign"):
        assert secret not in shipped_run[0].stdout


def test_a_wrong_expectation_fails_with_the_difference(cli, tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG, encoding="utf-8")
    junit = tmp_path / "junit.xml"
    done = cli("scenarios", "run", str(path), "--against", "sandbox", "--junit", str(junit))
    assert done.returncode == 1, done.stderr
    assert "FAIL" in done.stdout and "1 passed, 1 failed" in done.stdout
    assert "first difference: challenge 1: expected SMS_MFA, got SOFTWARE_TOKEN_MFA" in done.stdout
    cases = ET.parse(junit).getroot().find("testsuite").findall("testcase")
    failures = {c.get("name"): c.find("failure") for c in cases}
    assert failures["alice plain"] is None
    failure = failures["dave expects the wrong challenge"]
    assert failure is not None and failure.get("message") == "challenge 1: expected SMS_MFA, got SOFTWARE_TOKEN_MFA"


def test_compare_lists_the_claims_that_changed(cli, tmp_path):
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG, encoding="utf-8")
    first = cli("scenarios", "run", str(path), "--against", "sandbox", "--json")
    previous = json.loads(first.stdout)
    assert previous["failed"] == 1
    # pretend the earlier run saw dave stop at another challenge and alice with another email
    previous["walks"][1]["actual"]["challenges"] = ["SMS_MFA"]
    previous["walks"][0]["actual"]["claims"]["id"]["email"] = "old@example.com"
    (tmp_path / "previous.json").write_text(json.dumps(previous), encoding="utf-8")
    done = cli(
        "scenarios", "run", str(path), "--against", "sandbox", "--json", "--compare", str(tmp_path / "previous.json")
    )
    changed = {(c["walk"], c["claim"]): (c["before"], c["after"]) for c in json.loads(done.stdout)["changes"]}
    assert changed == {
        ("dave expects the wrong challenge", "challenges"): (["SMS_MFA"], ["SOFTWARE_TOKEN_MFA"]),
        ("alice plain", "id.email"): ("old@example.com", "alice@example.com"),
    }
    text = cli("scenarios", "run", str(path), "--against", "sandbox", "--compare", str(tmp_path / "previous.json"))
    assert "2 change(s) since" in text.stdout and "id.email: 'old@example.com' -> 'alice@example.com'" in text.stdout


def test_file_problems_are_line_numbered_and_exit_2(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\nwalks:\n  - name: x\n    pool: p\n    client: c\n    user: u\n    flw: USER_AUTH\n"
        "    expect: {outcome: tokens}\n",
        encoding="utf-8",
    )
    done = cli("scenarios", "run", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}:7: walks[0].flw: unknown key 'flw'; did you mean 'flow'?" in done.stderr
    path.write_text("walks:\n  - name: [unclosed\n", encoding="utf-8")
    done = cli("scenarios", "run", str(path))
    assert done.returncode == 2 and f"{path}:3: not valid YAML" in done.stderr


def test_a_password_written_in_the_file_is_refused_as_a_plain_value():
    text = "walks:\n  - {name: x, pool: p, client: c, user: u, password: Hunter2!, expect: {outcome: tokens}}\n"
    with pytest.raises(ScenarioFileError) as err:
        parse_scenarios(text, "s.yaml")
    assert "s.yaml:2: walks[0].password: stored, none, generated" in err.value.message


def test_compare_reports_the_first_difference_only():
    got = Observed(challenges=["PASSWORD_VERIFIER", "SMS_MFA"], outcome="CodeMismatchException", message="Invalid code")
    assert compare(Expectation(("PASSWORD_VERIFIER", "SMS_MFA"), "CodeMismatchException"), got) is None
    assert compare(Expectation(("PASSWORD_VERIFIER",), "tokens"), got) == (
        "challenge 2: expected no more challenges, got SMS_MFA"
    )
    assert (
        compare(Expectation(None, "tokens"), got) == "outcome: expected tokens, got CodeMismatchException: Invalid code"
    )
    assert compare(Expectation(None, "CodeMismatchException", message="expired"), got) == (
        "message: expected it to contain 'expired', got 'Invalid code'"
    )


def test_every_shipped_walk_exports_valid_scripts_without_secrets(cli, tmp_path):
    """--export-dir: each walk of the demo file as bash (bash -n), Python (compiles) and Markdown, none secret."""
    import subprocess
    import sys

    out = tmp_path / "exports"
    done = cli("scenarios", "run", SHIPPED, "--against", "sandbox", "--export-dir", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    scripts = sorted(out.glob("*.sh"))
    assert len(scripts) >= 17 and len(list(out.glob("*.py"))) == len(scripts) == len(list(out.glob("*.md")))
    for sh in scripts:
        checked = subprocess.run(["bash", "-n", str(sh)], capture_output=True, text=True)
        assert checked.returncode == 0, (sh.name, checked.stderr)
    for py in out.glob("*.py"):
        compile(py.read_text(encoding="utf-8"), str(py), "exec")
    import yaml

    seed = yaml.safe_load(open(SEED, encoding="utf-8"))
    secrets = [u["password"] for p in seed["pools"] for u in p["users"]]
    secrets += [u["totp_secret"] for p in seed["pools"] for u in p["users"] if u.get("totp_secret")]
    secrets += [c["secret"] for p in seed["pools"] for c in p["clients"] if c.get("secret")]
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        leaked = [s for s in secrets if s in text]
        assert not leaked, (path.name, leaked)
    srp = (out / "totp-dave-srp-then-an-authenticator-code.sh").read_text(encoding="utf-8")
    assert "uses SRP" in srp and "cognito-tui login" in srp
    assert sys.executable  # the Python scripts compile with this interpreter


def test_a_profile_walk_against_a_running_endpoint(cli, sandbox, tmp_path):
    """profile: takes pool, client, flow, user and endpoint from profiles.yaml; the password from $VAR."""
    (tmp_path / "profiles.yaml").write_text(
        "profiles:\n  - name: alice-local\n    region: us-east-1\n"
        f"    endpoint_url: {sandbox.endpoint_url}\n    user_pool_id: us-east-1_DemoPool01\n"
        "    client_id: demopublic0000000000000001\n    auth_flow: USER_PASSWORD_AUTH\n    username: alice\n",
        encoding="utf-8",
    )
    path = tmp_path / "profile.yaml"
    path.write_text(
        "walks:\n"
        "  - {name: by profile, profile: alice-local, password: {env: ALICE_PW}, expect: {outcome: tokens}}\n"
        "  - name: outbox needs the sandbox\n    profile: alice-local\n    user: erin\n"
        "    password: {value: Erin-Sandbox-1}\n    answers: {SMS_MFA: {SMS_MFA_CODE: outbox}}\n"
        "    expect: {outcome: tokens}\n"
        "  - {name: variable missing, profile: alice-local, password: {env: NOT_SET_ANYWHERE}, expect: {outcome: tokens}}\n",
        encoding="utf-8",
    )
    done = cli("scenarios", "run", str(path), "--json", env={"ALICE_PW": "Alice-Sandbox-1"})
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["against"] == "as configured"
    by_name = {w["name"]: w for w in report["walks"]}
    assert by_name["by profile"]["passed"], by_name["by profile"]
    outbox = by_name["outbox needs the sandbox"]
    assert outbox["difference"] == (
        "outcome: expected tokens, got ScenarioError: answers from the outbox need --against sandbox"
    )
    assert "NOT_SET_ANYWHERE is not set" in by_name["variable missing"]["difference"]
