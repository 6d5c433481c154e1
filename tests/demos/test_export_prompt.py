"""An exported script asks on the terminal for a code it has no variable for (SMS from the sandbox outbox).

The script runs in a pseudo-terminal; the test answers the prompt with the code the sandbox sent for
this very run, so nothing depends on timing (reads wait for output, bounded by a deadline).
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import time

from cognito_tui.aws.gateway import Gateway, GatewayConfig
from cognito_tui.core.export import render, source_from_walk
from cognito_tui.core.redact import Secret
from cognito_tui.core.walk import AuthRequest, Challenge, SignedIn, Walk

POOL = "us-east-1_DemoPool01"


def _read_until(fd: int, marker: bytes, deadline: float) -> bytes:
    seen = b""
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} in {seen!r}"  # a generous bound, never reached when it works
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    return seen


def test_cli_script_prompts_for_the_sms_code_on_the_terminal(fresh_sandbox, env_for, tmp_path):
    sb = fresh_sandbox()
    client = sb.client("cognito-tui-demo", "demo-public")
    gateway = Gateway(GatewayConfig(endpoint_url=sb.endpoint_url, region="us-east-1"), user_pool_id=POOL)
    request = AuthRequest(POOL, str(client["id"]), "USER_PASSWORD_AUTH", "erin", Secret("Erin-Sandbox-1"))
    walk = Walk(gateway, request)
    step = walk.start()
    assert isinstance(step, Challenge) and step.name == "SMS_MFA", step
    assert isinstance(walk.answer({"SMS_MFA_CODE": sb.outbox.latest("erin")["code"]}), SignedIn)
    script = tmp_path / "erin.sh"
    script.write_text(render("cli", source_from_walk(walk, region="us-east-1", endpoint_url=sb.endpoint_url)))

    sent_before = len(sb.outbox.messages())
    env, argv = env_for(COGNITO_PASSWORD="Erin-Sandbox-1"), ["bash", str(script)]  # built before the fork
    pid, fd = pty.fork()
    if pid == 0:  # the child: bash on the pseudo-terminal, no code in its environment
        os.execve("/bin/bash", argv, env)
    finished = False
    try:
        deadline = time.monotonic() + 120
        _read_until(fd, b"SMS code (SMS_MFA): ", deadline)
        assert len(sb.outbox.messages()) == sent_before + 1  # the script's InitiateAuth sent a new code
        os.write(fd, (sb.outbox.latest("erin")["code"] + "\n").encode())
        output = _read_until(fd, b"\0 never printed", deadline)  # everything, to the end of the script
        finished = True
    finally:
        if not finished:  # a failed read above: do not leave the script waiting on its terminal
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, output
    text = output.decode().replace("\r\n", "\n")
    result = json.loads(text[text.index("{") : text.rindex("}") + 1])
    assert result["AccessToken"] and result["RefreshToken"]
