"""Optional speed-ups that core may not import itself: gmpy2's powmod for the SRP maths (~8x pow).

The front ends call `enable()` once at start-up. gmpy2 (~25 ms to load its GMP libraries) is
imported on the first SRP exponentiation, not at start-up, so a first frame never waits for it;
without gmpy2 the pure-Python `pow` stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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


def share_botocore_models() -> None:
    """One copy per process of each botocore JSON model (endpoints ~7 MB, cognito-idp ~3 MB once parsed).

    The embedded sandbox's wire layer, its boto3 helpers and the app's gateway each had a Loader of their
    own, so each parsed and kept the same files again. Loaders of one class and search path now share
    what they loaded (moto's Loader, which adds its extras, is a class of its own and keeps its copy).
    botocore already shares these dicts between all the clients of one session: none of them mutates one.
    """
    import functools
    import threading

    from botocore import loaders

    if getattr(loaders.Loader, "_shared_by_cognito_tui", False):
        return
    memo: dict[tuple[Any, ...], Any] = {}
    lock = threading.Lock()

    def shared(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def load(self: Any, *args: Any, **kwargs: Any) -> Any:
            key = (type(self), tuple(self.search_paths), method.__name__, args, tuple(sorted(kwargs.items())))
            with lock:
                if key in memo:
                    return memo[key]
            value = method(self, *args, **kwargs)
            with lock:
                return memo.setdefault(key, value)

        return load

    for name in ("load_service_model", "load_data_with_path"):
        setattr(loaders.Loader, name, shared(getattr(loaders.Loader, name)))
    loaders.Loader._shared_by_cognito_tui = True
