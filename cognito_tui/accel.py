"""Optional speed-ups that core may not import itself: gmpy2's powmod for the SRP maths (~8x pow).

The front ends call `enable()` once at start-up. gmpy2 (~25 ms to load its GMP libraries) is
imported on the first SRP exponentiation, not at start-up, so a first frame never waits for it;
without gmpy2 the pure-Python `pow` stays.
"""

from __future__ import annotations

from collections.abc import Callable

from cognito_tui.core import srp

ModPow = Callable[[int, int, int], int]


def gmpy2_modpow() -> ModPow | None:
    """gmpy2's powmod returning a plain int (pad() and format() need ints), or None without gmpy2."""
    try:
        import gmpy2
    except ImportError:
        return None
    powmod, mpz = gmpy2.powmod, gmpy2.mpz

    def modpow(base: int, exp: int, mod: int) -> int:
        return int(powmod(mpz(base), mpz(exp), mpz(mod)))

    return modpow


def _first_use(base: int, exp: int, mod: int) -> int:
    """Load gmpy2 on the first exponentiation, install it (or pow) for the rest, and answer this one."""
    fn = gmpy2_modpow() or pow
    srp.use_modpow(fn)
    return fn(base, exp, mod)


def enable() -> None:
    """Arm the gmpy2 fast path for SRP; it loads on first use and falls back to pow without gmpy2."""
    srp.use_modpow(_first_use)


def disable() -> None:
    """Back to the pure-Python pow (tests compare the two paths)."""
    srp.use_modpow(pow)


def in_use() -> str:
    """'gmpy2', 'pow' or 'armed' (enabled, not yet used): what the SRP maths runs on now."""
    fn = srp._modpow
    return "armed" if fn is _first_use else ("pow" if fn is pow else "gmpy2")
