"""gmpy2's fast path and the pure-Python pow give the same SRP results: random cases and the worked vector."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

import pytest

from cognito_tui import accel
from cognito_tui.core import srp

FAST = accel.gmpy2_modpow()
needs_gmpy2 = pytest.mark.skipif(FAST is None, reason="gmpy2 is not installed")

# the worked vector of cognito-protocol.md section 3.4 (tests/core/test_srp.py checks it on pow)
A = int(
    "6158fd94e240d2290df449ff3dec16a560523fe7d121feaf4006527f5a32b7ba"
    "ba4390a046b2f9472618bf6a9ef85583b61881ac2eca375b2394e24b3a46b92e",
    16,
)
B_SMALL = int(
    "1745e9a3365c11bb26fed0a7a1c86384fb2135eb0450975d1c5f481f9490f6f8"
    "204654677be64a2a71ad471b783f20291fb8174eaad7883cca734bc7e19e9366",
    16,
)
SALT = "9c63479ad69a090b258277ec8fba6f99"
SECRET_BLOCK = "SJShlnqjR2V6mcS7pKIV0JB/2zTpNm0FdlbobP0MOX5IlKGWeqNHZXqZxLukohXQkH/bNOk2bQV2Vuhs/Qw5fg=="
TS = "Mon Mar 2 09:05:07 UTC 2026"


@pytest.fixture(autouse=True)
def pure_afterwards() -> Iterator[None]:
    yield
    accel.disable()


def _exchange(seed: int) -> tuple[str, str, dict[str, str], str]:
    """One whole client/server exchange from seeded randomness: (A, B, the claim, the server's signature)."""
    rng = random.Random(seed)
    user, password = f"user-{rng.randrange(10**6)}", f"Pw-{rng.getrandbits(64):x}"
    salt, v = srp.make_verifier("AbCdEf123", user, password, rng.getrandbits(128))
    server = srp.SrpServer(v, rng.getrandbits(256) or 1)
    client = srp.SrpClient(rng.getrandbits(1024) or 1)
    big_b = format(server.big_b, "x")
    claim = client.claim("AbCdEf123", user, password, format(salt, "x"), big_b, SECRET_BLOCK, TS)
    expected = server.expected_signature(client.srp_a, "AbCdEf123", user, SECRET_BLOCK, TS)
    return client.srp_a, big_b, claim, expected


@needs_gmpy2
def test_gmpy2_powmod_equals_pow_on_random_operands():
    assert FAST is not None
    rng = random.Random(11)
    for _ in range(300):
        base, exp = rng.getrandbits(rng.choice((8, 256, 1024, 3072))), rng.getrandbits(rng.choice((1, 256, 1024)))
        mod = rng.choice((srp.N, rng.getrandbits(512) | 1))
        got = FAST(base, exp, mod)
        assert got == pow(base, exp, mod) and type(got) is int  # pad() and format() need a plain int


@needs_gmpy2
def test_whole_exchanges_equal_on_both_paths():
    pure = [_exchange(seed) for seed in range(40)]
    assert accel.in_use() == "pow"
    srp.use_modpow(FAST)  # type: ignore[arg-type]
    fast = [_exchange(seed) for seed in range(40)]
    assert fast == pure
    assert all(claim["PASSWORD_CLAIM_SIGNATURE"] == expected for _, _, claim, expected in fast)


@needs_gmpy2
def test_worked_vector_on_the_gmpy2_path():
    accel.enable()
    _, v = srp.make_verifier("AbCdEf123", "alice", "Passw0rd!", int(SALT, 16))
    assert accel.in_use() == "gmpy2"  # loaded on first use
    server = srp.SrpServer(v, B_SMALL)
    client = srp.SrpClient(A)
    assert client.srp_a.startswith("1ca782ec00fdcf8248ebcb7f") and len(client.srp_a) == 768
    claim = client.claim("AbCdEf123", "alice", "Passw0rd!", SALT, format(server.big_b, "x"), SECRET_BLOCK, TS)
    assert claim["PASSWORD_CLAIM_SIGNATURE"] == "S28/dXSqIcaQgko4AkxZkZ7LI9YBmYeKeACo7oGgVv0="


def test_enable_arms_without_importing_gmpy2(monkeypatch):
    """Start-up stays light: gmpy2 is loaded by the first exponentiation, not by enable()."""
    monkeypatch.delitem(sys.modules, "gmpy2", raising=False)
    accel.enable()
    assert accel.in_use() == "armed" and "gmpy2" not in sys.modules
    assert srp.SrpClient(A).srp_a.startswith("1ca782ec00fdcf8248ebcb7f")
    assert accel.in_use() == ("gmpy2" if FAST is not None else "pow")


def test_without_gmpy2_the_pure_path_stays(monkeypatch):
    monkeypatch.setitem(sys.modules, "gmpy2", None)  # what `import gmpy2` sees when it is not installed
    assert accel.gmpy2_modpow() is None
    accel.enable()
    assert srp.SrpClient(A).srp_a.startswith("1ca782ec00fdcf8248ebcb7f")
    assert accel.in_use() == "pow"
