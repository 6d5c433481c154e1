"""The sandbox's fast SRP (gmpy2) and its pure-Python path give core.srp's numbers exactly."""

from __future__ import annotations

import random

import pytest
from sandbox_helpers import DEMO, PUBLIC, srp_sign_in, tokens_of

from cognito_tui.core import srp
from cognito_tui.sandbox import fastsrp


def test_gmpy2_is_the_path_in_use():
    pytest.importorskip("gmpy2")
    assert fastsrp.powmod is not fastsrp._pure


@pytest.mark.parametrize("path", ["fast", "pure"])
def test_server_numbers_equal_core(monkeypatch, path):
    if path == "pure":
        monkeypatch.setattr(fastsrp, "powmod", fastsrp._pure)
    rng = random.Random(7)
    for _ in range(5):
        salt, verifier = srp.make_verifier("DemoPool01", "alice", "Alice-Sandbox-1", rng.getrandbits(128))
        assert fastsrp.make_verifier("DemoPool01", "alice", "Alice-Sandbox-1", salt) == (salt, verifier)
        b = rng.getrandbits(256) | 1
        ours, theirs = fastsrp.SrpServer(verifier, b), srp.SrpServer(verifier, b)
        assert ours.big_b == theirs.big_b
        client = srp.SrpClient(a=rng.getrandbits(1024) | 1)
        assert ours.session_key(client.srp_a) == theirs.session_key(client.srp_a)
        assert ours.session_key(client.srp_a) == client.session_key(
            "DemoPool01", "alice", "Alice-Sandbox-1", format(salt, "x"), format(ours.big_b, "x")
        )
        with pytest.raises(srp.SrpError):
            ours.session_key(format(srp.N, "x"))


@pytest.mark.parametrize("path", ["fast", "pure"])
def test_sign_in_on_either_path(fresh_sandbox, boto_client, monkeypatch, path):
    if path == "pure":
        monkeypatch.setattr(fastsrp, "powmod", fastsrp._pure)
    sandbox = fresh_sandbox()
    tokens_of(srp_sign_in(sandbox, boto_client(sandbox), "alice", pool_id=DEMO, client_id=PUBLIC))
