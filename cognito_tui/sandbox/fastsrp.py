"""The sandbox's half of SRP on a fast modpow: gmpy2 when installed, Python's `pow` otherwise.

The formulas are core.srp's (same constants, same hashing), only the modular exponentiations
change, which are most of a sign-in's cost on the server. A test holds both paths equal to core's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cognito_tui.core import srp


def _pure(base: int, exponent: int, modulus: int) -> int:
    return pow(base, exponent, modulus)


def _pick() -> Callable[[int, int, int], int]:
    try:
        import gmpy2
    except ImportError:  # pragma: no cover - gmpy2 is a dependency; the pure path stays for platforms without it
        return _pure

    def fast(base: int, exponent: int, modulus: int) -> int:
        return int(gmpy2.powmod(base, exponent, modulus))

    return fast


powmod = _pick()


@dataclass
class SrpServer(srp.SrpServer):
    """core.srp.SrpServer with `powmod`: B = k*v + g^b, S = (A * v^u)^b (mod N)."""

    def __post_init__(self) -> None:
        while True:
            self.b = self.b or srp.random_small(32)
            self.big_b = (srp.K * self.verifier + powmod(srp.G, self.b, srp.N)) % srp.N
            if self.big_b % srp.N:
                return
            self.b = 0

    def session_key(self, srp_a_hex: str) -> bytes:
        big_a = int(srp_a_hex, 16)
        if big_a % srp.N == 0:
            raise srp.SrpError("SRP_A mod N is zero")
        u = srp.compute_u(big_a, self.big_b)
        s = powmod(big_a * powmod(self.verifier, u, srp.N) % srp.N, self.b, srp.N)
        return srp.hkdf16(srp.pad(s), srp.pad(u))


def make_verifier(realm: str, user: str, password: str, salt: int | None = None) -> tuple[int, int]:
    """(salt, v = g^x mod N) as core.srp.make_verifier."""
    if salt is None:
        salt = srp.random_small(16)
    return salt, powmod(srp.G, srp.compute_x(salt, realm, user, password), srp.N)
