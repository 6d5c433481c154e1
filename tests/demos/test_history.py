"""`login` runs are kept (redacted) like TUI runs; `history list`, `show` and `rerun` them."""

from __future__ import annotations

import json

POOL = "us-east-1_DemoPool01"


def _login(cli, sandbox, *extra: str, stdin: str = "Alice-Sandbox-1\n"):
    client = sandbox.client("cognito-tui-demo", "demo-confidential")
    args = ["login", "--endpoint-url", sandbox.endpoint_url, "--user-pool-id", POOL, "--client-id", client["id"]]
    args += ["--auth-flow", "USER_PASSWORD_AUTH", "--username", "alice", "--client-secret-stdin", *extra]
    return cli(*args, stdin=client["secret"] + "\n" + stdin), client


def test_a_login_run_is_kept_redacted_and_listed(cli, sandbox, tmp_path):
    done, client = _login(cli, sandbox)
    assert done.returncode == 0, done.stderr
    listed = cli("history", "list", "--json")
    runs = json.loads(listed.stdout)["runs"]
    assert len(runs) == 1 and runs[0]["outcome"] == "tokens" and "alice" in runs[0]["title"]
    kept = (tmp_path / "history" / f"{runs[0]['id']}.json").read_text(encoding="utf-8")
    for secret in ("Alice-Sandbox-1", client["secret"]):
        assert secret not in kept
    meta = json.loads(kept)["meta"]
    assert meta["endpoint_url"] == sandbox.endpoint_url and meta["has_client_secret"] is True
    text = cli("history", "list")
    assert runs[0]["id"] in text.stdout and "tokens" in text.stdout
    shown = cli("history", "show", "1")
    assert shown.returncode == 0 and "### 1. InitiateAuth → tokens" in shown.stdout
    assert "Alice-Sandbox-1" not in shown.stdout


def test_a_refused_run_is_kept_too_and_no_history_skips(cli, sandbox):
    _login(cli, sandbox, stdin="Wrong-Password-1\n")
    _login(cli, sandbox, "--no-history")
    runs = json.loads(cli("history", "list", "--json").stdout)["runs"]
    assert [r["outcome"] for r in runs] == ["NotAuthorizedException"]


def test_rerun_repeats_the_walk_headless(cli, sandbox):
    _login(cli, sandbox, stdin="Wrong-Password-1\n")
    client = sandbox.client("cognito-tui-demo", "demo-confidential")
    # secrets were never kept: the rerun asks for them (client secret first, as --client-secret-stdin is not
    # repeated, the secret comes from DescribeUserPoolClient with the placeholder credentials)
    done = cli("history", "rerun", "1", "--json", stdin="Alice-Sandbox-1\n")
    assert done.returncode == 0, done.stderr
    assert "re-running: cognito-tui login --user-pool-id us-east-1_DemoPool01" in done.stderr
    assert json.loads(done.stdout)["claims"]["access"]["username"] == "alice"
    runs = json.loads(cli("history", "list", "--json").stdout)["runs"]
    assert [r["outcome"] for r in runs] == ["tokens", "NotAuthorizedException"]
    assert client["secret"] not in done.stdout


def test_unknown_run_id_is_a_clear_error(cli):
    done = cli("history", "rerun", "7")
    assert done.returncode == 2 and "no run '7'" in done.stderr and "history list" in done.stderr


def test_a_kept_run_exports_a_script_that_still_signs_in(cli, sandbox, env_for, tmp_path):
    import subprocess

    _login(cli, sandbox)
    script = tmp_path / "again.sh"
    done = cli("history", "export", "1", "cli", str(script))
    assert done.returncode == 0, done.stderr
    client = sandbox.client("cognito-tui-demo", "demo-confidential")
    ran = subprocess.run(
        ["bash", str(script)],
        env=env_for(COGNITO_PASSWORD="Alice-Sandbox-1", COGNITO_CLIENT_SECRET=client["secret"]),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["AccessToken"]
