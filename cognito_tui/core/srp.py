"""SRP-6a as Cognito does it, SECRET_HASH and the TIMESTAMP string (cognito-protocol.md sections 3-4).

Pure functions over ints and bytes, shared by the engine (client side) and the sandbox (server side),
so both sides of every byte layout live in one place.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets as _secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cognito_tui.core.problem import Problem

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879"
    "8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5C"
    "B6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A6916"
    "3FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32"
    "905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE5"
    "15D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C"
    "7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC8"
    "6A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A9"
    "3AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO_BITS = b"Caldera Derived Key"

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# Modular exponentiation; a front end may swap in a faster one with equal results (cognito_tui/accel.py).
_modpow: Callable[[int, int, int], int] = pow


def use_modpow(fn: Callable[[int, int, int], int]) -> None:
    """Swap in a faster modular exponentiation (same results as pow(b, e, m)); core imports no third party."""
    global _modpow
    _modpow = fn


_HEX = re.compile(r"[0-9a-fA-F]+")
MAX_HEX = 2048  # characters: SRP values are at most 3072 bits (768 hex digits); more is nonsense


class SrpError(Problem, ValueError):
    """SRP parameters the protocol forbids or that are not what Cognito sends: abort rather than sign."""

    title = "Unusable SRP parameters"
    next_step = (
        "Cognito (or the server at this endpoint) sent ChallengeParameters that cannot be used for SRP. "
        "Check that the endpoint is Cognito or the sandbox, then start the sign-in again."
    )


def check_srp_parameters(parameters: Mapping[str, object], challenge: str = "PASSWORD_VERIFIER") -> None:
    """Raise SrpError naming the first missing or malformed SALT, SRP_B or SECRET_BLOCK."""
    for key in ("SALT", "SRP_B", "SECRET_BLOCK"):
        value = parameters.get(key)
        if value is None or value == "":
            raise SrpError(f"{challenge} came without {key}")
        if not isinstance(value, str):
            raise SrpError(f"{challenge}: {key} is {type(value).__name__}, not text")
    hex_value(parameters["SALT"], "SALT", challenge)
    if hex_value(parameters["SRP_B"], "SRP_B", challenge) % N == 0:
        raise SrpError(f"{challenge}: SRP_B is 0 modulo N, which would make the proof worthless")
    secret_block_bytes(str(parameters["SECRET_BLOCK"]), challenge)


def hex_value(text: object, key: str, challenge: str = "PASSWORD_VERIFIER") -> int:
    """An SRP number from its hex text, or SrpError saying what is wrong with it."""
    if not isinstance(text, str) or not text:
        raise SrpError(f"{challenge}: {key} is missing or not text")
    if len(text) > MAX_HEX or not _HEX.fullmatch(text):
        raise SrpError(f"{challenge}: {key} is not a hexadecimal number ({text[:20]!r}...)")
    return int(text, 16)


def secret_block_bytes(text: str, challenge: str = "PASSWORD_VERIFIER") -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise SrpError(f"{challenge}: SECRET_BLOCK is not base64 ({text[:20]!r}...)") from None


def pad(n: int) -> bytes:
    """Java BigInteger.toByteArray(): minimal big-endian two's complement of a non-negative int."""
    return n.to_bytes(n.bit_length() // 8 + 1, "big")


def pad_hex(n: int) -> str:
    """The SDKs' hex form of pad(): even length, '00' prepended when the top nibble is 8-f."""
    return pad(n).hex()


def sha256(*parts: bytes) -> bytes:
    return hashlib.sha256(b"".join(parts)).digest()


def h_int(*parts: bytes) -> int:
    return int.from_bytes(sha256(*parts), "big")


K = h_int(pad(N), pad(G))


def hkdf16(ikm: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256 (RFC 5869) with Cognito's info string, 16 bytes out."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, INFO_BITS + b"\x01", hashlib.sha256).digest()[:16]


def pool_name(user_pool_id: str) -> str:
    """The part of the pool id after the first '_' ('us-east-1_AbC' -> 'AbC')."""
    return user_pool_id.split("_", 1)[1]


def compute_x(salt: int, realm: str, user: str, password: str) -> int:
    inner = sha256(f"{realm}{user}:{password}".encode())
    return h_int(pad(salt), inner)


def compute_u(big_a: int, big_b: int) -> int:
    return h_int(pad(big_a), pad(big_b))


def timestamp(now: datetime | None = None) -> str:
    """'Mon Mar 2 09:05:07 UTC 2026': English names, unpadded day, UTC; locale-independent."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return (
        f"{_DAYS[now.weekday()]} {_MONTHS[now.month - 1]} {now.day} "
        f"{now.hour:02d}:{now.minute:02d}:{now.second:02d} UTC {now.year}"
    )


def parse_timestamp(text: str) -> datetime:
    """Inverse of timestamp(); raises ValueError on any other shape (the sandbox checks it)."""
    parts = text.split(" ")
    if len(parts) != 6 or parts[4] != "UTC" or parts[0] not in _DAYS or parts[1] not in _MONTHS:
        raise ValueError(f"bad TIMESTAMP {text!r}")
    if parts[2] != str(int(parts[2])):
        raise ValueError(f"bad TIMESTAMP day {parts[2]!r}")
    hh, mm, ss = (int(p) for p in parts[3].split(":"))
    value = datetime(int(parts[5]), _MONTHS.index(parts[1]) + 1, int(parts[2]), hh, mm, ss, tzinfo=UTC)
    if _DAYS[value.weekday()] != parts[0]:
        raise ValueError(f"bad TIMESTAMP weekday {text!r}")
    return value


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """Base64(HMAC_SHA256(key=clientSecret, msg=username + clientId)) (section 4)."""
    digest = hmac.new(client_secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode("ascii")


def claim_signature(key: bytes, realm: str, user: str, secret_block_b64: str, ts: str) -> str:
    msg = realm.encode("utf-8") + user.encode("utf-8") + secret_block_bytes(secret_block_b64) + ts.encode("utf-8")
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode("ascii")


def random_small(nbytes: int = 128) -> int:
    return int.from_bytes(_secrets.token_bytes(nbytes), "big")


@dataclass
class SrpClient:
    """One SRP exchange from the client side: A now, the claim once SALT/SRP_B arrive.

    `realm` is the pool name for user SRP and the DeviceGroupKey for device SRP; `user` is
    USER_ID_FOR_SRP or the DeviceKey.
    """

    a: int = 0

    big_a: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        while True:
            self.a = self.a or random_small()
            self.big_a = _modpow(G, self.a, N)
            if self.big_a % N:
                return
            self.a = 0

    @property
    def srp_a(self) -> str:
        """SRP_A on the wire: plain lowercase hex, no padding."""
        return format(self.big_a, "x")

    def session_key(self, realm: str, user: str, password: str, salt_hex: str, srp_b_hex: str) -> bytes:
        big_b = hex_value(srp_b_hex, "SRP_B")
        if big_b % N == 0:
            raise SrpError("SRP_B mod N is zero")
        u = compute_u(self.big_a, big_b)
        if u == 0:
            raise SrpError("u is zero")
        x = compute_x(hex_value(salt_hex, "SALT"), realm, user, password)
        base = (big_b - K * _modpow(G, x, N)) % N
        s = _modpow(base, self.a + u * x, N)
        return hkdf16(pad(s), pad(u))

    def claim(
        self,
        realm: str,
        user: str,
        password: str,
        salt_hex: str,
        srp_b_hex: str,
        secret_block: str,
        ts: str | None = None,
    ) -> dict[str, str]:
        """PASSWORD_CLAIM_SIGNATURE, PASSWORD_CLAIM_SECRET_BLOCK and TIMESTAMP for a verifier answer."""
        ts = ts or timestamp()
        key = self.session_key(realm, user, password, salt_hex, srp_b_hex)
        return {
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
            "PASSWORD_CLAIM_SIGNATURE": claim_signature(key, realm, user, secret_block, ts),
            "TIMESTAMP": ts,
        }


# --- verifiers (ConfirmDevice on the client; the sandbox's stored user verifiers) ---------------


def make_verifier(realm: str, user: str, password: str, salt: int | None = None) -> tuple[int, int]:
    """(salt, v) with v = g^x mod N."""
    salt = salt if salt is not None else int.from_bytes(_secrets.token_bytes(16), "big")
    return salt, _modpow(G, compute_x(salt, realm, user, password), N)


def device_password() -> str:
    """Base64 of 40 random bytes, as Amplify and pycognito make it."""
    return base64.b64encode(_secrets.token_bytes(40)).decode("ascii")


def device_secret_verifier_config(
    group_key: str, device_key: str, password: str, salt: int | None = None
) -> dict[str, str]:
    """ConfirmDevice's DeviceSecretVerifierConfig: Base64(PAD(v)), Base64(PAD(salt))."""
    salt, v = make_verifier(group_key, device_key, password, salt)
    return {
        "PasswordVerifier": base64.b64encode(pad(v)).decode("ascii"),
        "Salt": base64.b64encode(pad(salt)).decode("ascii"),
    }


# --- server side (the sandbox) --------------------------------------------------------------------


@dataclass
class SrpServer:
    """The server half: B from a stored verifier, then the expected claim for A."""

    verifier: int
    b: int = 0

    big_b: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        while True:
            self.b = self.b or random_small(32)
            self.big_b = (K * self.verifier + _modpow(G, self.b, N)) % N
            if self.big_b % N:
                return
            self.b = 0

    def session_key(self, srp_a_hex: str) -> bytes:
        big_a = hex_value(srp_a_hex, "SRP_A", "the client's SRP_A")
        if big_a % N == 0:
            raise SrpError("SRP_A mod N is zero")
        u = compute_u(big_a, self.big_b)
        s = _modpow(big_a * _modpow(self.verifier, u, N) % N, self.b, N)
        return hkdf16(pad(s), pad(u))

    def expected_signature(self, srp_a_hex: str, realm: str, user: str, secret_block: str, ts: str) -> str:
        return claim_signature(self.session_key(srp_a_hex), realm, user, secret_block, ts)


def verifier_from_config(config: dict[str, str]) -> tuple[int, int]:
    """(salt, v) from a ConfirmDevice DeviceSecretVerifierConfig."""
    salt = int.from_bytes(base64.b64decode(config["Salt"]), "big")
    v = int.from_bytes(base64.b64decode(config["PasswordVerifier"]), "big")
    return salt, v
