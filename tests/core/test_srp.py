"""SRP, device SRP, ConfirmDevice verifier and SECRET_HASH: the worked vector of cognito-protocol.md
section 3.4 bit for bit, then random cases against independent implementations (pycognito's AWSSRP,
cryptography's RFC 5869 HKDF)."""

from __future__ import annotations

import base64
import datetime as real_datetime
import hashlib
import hmac
import random
import types

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from cognito_tui.core import srp

POOL = "us-east-1_AbCdEf123"
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
GROUP = "-abcDEFghi"
DEVICE = "us-east-1_0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
DEVICE_PASSWORD = "TXSogOmKcskm6J/tQo5MnAwKRyJDj2pKz6+SlwOCkEKvflIkA3V15w=="
DEVICE_SALT = "e1c316bec515ef231a8365da602ca44b"


def test_k_constant():
    assert format(srp.K, "x") == "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
    assert len(srp.pad(srp.N)) == 385 and srp.pad(srp.N)[0] == 0
    assert srp.pad(srp.G) == b"\x02"


def test_pad_rules():
    assert srp.pad_hex(0x7F) == "7f"
    assert srp.pad_hex(0x80) == "0080"
    assert srp.pad_hex(0xABC) == "0abc"
    assert srp.pad_hex(0x8ABC) == "008abc"


def test_worked_vector_user_srp():
    _, v = srp.make_verifier("AbCdEf123", "alice", "Passw0rd!", int(SALT, 16))
    server = srp.SrpServer(v, B_SMALL)
    client = srp.SrpClient(A)
    big_b = format(server.big_b, "x")
    assert client.srp_a.startswith("1ca782ec00fdcf8248ebcb7f") and len(client.srp_a) == 768
    assert big_b.startswith("81b1a44ef6fdf3910051d892") and len(big_b) == 768
    assert srp.pad(server.big_b)[0] == 0  # top bit set -> PAD adds 00
    u = srp.compute_u(client.big_a, server.big_b)
    assert format(u, "x") == "61e3ae713b8ee3697ac339e0295004483d27b1c01e5936473093f33308855d64"
    x = srp.compute_x(int(SALT, 16), "AbCdEf123", "alice", "Passw0rd!")
    assert format(x, "x") == "30494fcf5d68a5c85155821127f56f16bea099a5e4f44ad0f05ce703ecc547c"
    key = client.session_key("AbCdEf123", "alice", "Passw0rd!", SALT, big_b)
    assert key.hex() == "d44e8a1b5ded334a37bd77b797b48da7"
    claim = client.claim(srp.pool_name(POOL), "alice", "Passw0rd!", SALT, big_b, SECRET_BLOCK, TS)
    assert claim == {
        "PASSWORD_CLAIM_SECRET_BLOCK": SECRET_BLOCK,
        "PASSWORD_CLAIM_SIGNATURE": "S28/dXSqIcaQgko4AkxZkZ7LI9YBmYeKeACo7oGgVv0=",
        "TIMESTAMP": TS,
    }
    # the server side of the same exchange agrees
    assert (
        server.expected_signature(client.srp_a, "AbCdEf123", "alice", SECRET_BLOCK, TS)
        == claim["PASSWORD_CLAIM_SIGNATURE"]
    )
    # S itself, recomputed the textbook way
    s = pow((server.big_b - srp.K * pow(srp.G, x, srp.N)) % srp.N, A + u * x, srp.N)
    assert format(s, "x").startswith("c85ddeaa9778a38d51d4e53c9ac63ed0")


def test_worked_vector_secret_hash():
    got = srp.secret_hash("alice", "1example23456789abcdefghij", "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop")
    assert got == "ZlzLKRF0Yczf15mIG60LmoQP66/YXhu6oZgf9EThX/s="


def test_worked_vector_device():
    config = srp.device_secret_verifier_config(GROUP, DEVICE, DEVICE_PASSWORD, int(DEVICE_SALT, 16))
    assert config["Salt"] == "AOHDFr7FFe8jGoNl2mAspEs="
    assert config["PasswordVerifier"].startswith("AP0HftvKh61gFEcqUb1TwHx3")
    assert len(config["PasswordVerifier"]) == 516 and len(base64.b64decode(config["PasswordVerifier"])) == 385
    salt, v = srp.verifier_from_config(config)
    assert format(salt, "x") == DEVICE_SALT
    server = srp.SrpServer(v, B_SMALL)
    client = srp.SrpClient(A)
    big_b = format(server.big_b, "x")
    key = client.session_key(GROUP, DEVICE, DEVICE_PASSWORD, format(salt, "x"), big_b)
    assert key.hex() == "64965e83cd765ca73335c368758effec"
    claim = client.claim(GROUP, DEVICE, DEVICE_PASSWORD, format(salt, "x"), big_b, SECRET_BLOCK, TS)
    assert claim["PASSWORD_CLAIM_SIGNATURE"] == "qdckCv/Wcxs3ep6YbrtKTWlrmR0krubfDLOnEjGDI5k="


def test_hkdf_matches_rfc5869_implementation():
    rng = random.Random(7)
    for _ in range(50):
        ikm = rng.randbytes(rng.randint(1, 400))
        salt = rng.randbytes(rng.randint(1, 33))
        ref = HKDF(algorithm=hashes.SHA256(), length=16, salt=salt, info=b"Caldera Derived Key").derive(ikm)
        assert srp.hkdf16(ikm, salt) == ref


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@pytest.mark.parametrize("month", range(1, 13))
def test_timestamp_each_month_and_unpadded_days(month):
    for day in range(1, 10):
        when = real_datetime.datetime(2026, month, day, 7, 5, 3, tzinfo=real_datetime.UTC)
        text = srp.timestamp(when)
        weekday = when.strftime("%a")  # C locale in tests: English
        assert text == f"{weekday} {MONTHS[month - 1]} {day} 07:05:03 UTC 2026"
        assert srp.parse_timestamp(text) == when
    assert (
        srp.timestamp(real_datetime.datetime(2026, month, 28, 23, 59, 9, tzinfo=real_datetime.UTC)).split(" ")[2]
        == "28"
    )


def test_timestamp_known_weekday_and_bad_forms():
    assert srp.timestamp(real_datetime.datetime(2026, 11, 28, 0, 0, 0, tzinfo=real_datetime.UTC)).startswith(
        "Sat Nov 28 "
    )
    assert srp.timestamp(real_datetime.datetime(2026, 3, 2, 9, 5, 7, tzinfo=real_datetime.UTC)) == TS
    for bad in ("Mon Mar 02 09:05:07 UTC 2026", "Tue Mar 2 09:05:07 UTC 2026", "Mon Mar 2 09:05:07 GMT 2026"):
        with pytest.raises(ValueError):
            srp.parse_timestamp(bad)


# --- pycognito, an independent implementation, with the same fixed a ----------------------------


class _FrozenDatetime(real_datetime.datetime):
    frozen = real_datetime.datetime(2026, 3, 2, 9, 5, 7)

    @classmethod
    def utcnow(cls):
        return cls.frozen


@pytest.fixture
def pycognito_srp(monkeypatch):
    aws_srp = pytest.importorskip("pycognito.aws_srp")
    monkeypatch.setattr(aws_srp, "datetime", types.SimpleNamespace(datetime=_FrozenDatetime))
    return aws_srp


def _aws(aws_srp, user, password, pool, a, **device):
    obj = aws_srp.AWSSRP(user, password, pool, "clientid", client=object(), **device)
    obj.small_a_value = a
    obj.large_a_value = obj.calculate_a()
    return obj


def _rand_name(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def test_random_cases_equal_pycognito(pycognito_srp):
    rng = random.Random(20261128)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for case in range(220):
        pool = f"{rng.choice(['us-east-1', 'eu-west-2', 'ap-south-1'])}_{_rand_name(rng, letters, rng.randint(5, 12))}"
        user = _rand_name(rng, letters + "-.@é", rng.randint(1, 20))
        password = _rand_name(rng, letters + "!#$%^&*()ü ", rng.randint(8, 30))
        a = rng.getrandbits(1024 if case % 20 == 0 else 256) or 1
        salt = rng.getrandbits(128) | (1 << 127 if case % 2 else 0)
        _, v = srp.make_verifier(srp.pool_name(pool), user, password, salt)
        server = srp.SrpServer(v, rng.getrandbits(256) or 1)
        secret_block = base64.b64encode(rng.randbytes(rng.randint(16, 64))).decode()
        params = {
            "USERNAME": user,
            "USER_ID_FOR_SRP": user,
            "SALT": format(salt, "x"),
            "SRP_B": format(server.big_b, "x"),
            "SECRET_BLOCK": secret_block,
        }
        aws = _aws(pycognito_srp, user, password, pool, a)
        theirs = aws.process_challenge(params, {"USERNAME": user})
        client = srp.SrpClient(a)
        ours = client.claim(srp.pool_name(pool), user, password, params["SALT"], params["SRP_B"], secret_block, TS)
        assert theirs["TIMESTAMP"] == ours["TIMESTAMP"] == TS
        assert ours["PASSWORD_CLAIM_SIGNATURE"] == theirs["PASSWORD_CLAIM_SIGNATURE"], case
        assert client.srp_a == format(aws.large_a_value, "x")
        if case % 10 == 0:  # and the server half of ours accepts the client half of theirs
            assert (
                server.expected_signature(client.srp_a, srp.pool_name(pool), user, secret_block, TS)
                == theirs["PASSWORD_CLAIM_SIGNATURE"]
            )


def test_random_device_cases_equal_pycognito(pycognito_srp):
    rng = random.Random(3)
    for _ in range(40):
        group = "-" + _rand_name(rng, "abcdefghiJKLMN", 9)
        device = f"us-east-1_{rng.getrandbits(128):032x}"
        password = srp.device_password()
        config = srp.device_secret_verifier_config(group, device, password)
        salt, v = srp.verifier_from_config(config)
        server = srp.SrpServer(v)
        a = rng.getrandbits(256) or 1
        secret_block = base64.b64encode(rng.randbytes(48)).decode()
        params = {
            "USERNAME": "u",
            "SALT": format(salt, "x"),
            "SRP_B": format(server.big_b, "x"),
            "SECRET_BLOCK": secret_block,
        }
        aws = _aws(
            pycognito_srp,
            "u",
            "p",
            "us-east-1_X",
            a,
            device_key=device,
            device_group_key=group,
            device_password=password,
        )
        theirs = aws.process_device_challenge(params)
        ours = srp.SrpClient(a).claim(
            group, device, password, params["SALT"], params["SRP_B"], secret_block, theirs["TIMESTAMP"]
        )
        assert ours["PASSWORD_CLAIM_SIGNATURE"] == theirs["PASSWORD_CLAIM_SIGNATURE"]


def test_pycognito_device_verifier_accepted_by_our_server(pycognito_srp):
    """pycognito's ConfirmDevice verifier, read by our server, verifies a claim from our client."""
    password, config = pycognito_srp.generate_hash_device("-grp", "us-east-1_dev")
    salt, v = srp.verifier_from_config(config)
    server = srp.SrpServer(v)
    client = srp.SrpClient()
    claim = client.claim("-grp", "us-east-1_dev", password, format(salt, "x"), format(server.big_b, "x"), "AAAA", TS)
    assert (
        server.expected_signature(client.srp_a, "-grp", "us-east-1_dev", "AAAA", TS)
        == claim["PASSWORD_CLAIM_SIGNATURE"]
    )


def test_secret_hash_random_against_hmac_reference(pycognito_srp):
    rng = random.Random(11)
    for _ in range(100):
        user = _rand_name(rng, "abcxyz@.-é", rng.randint(1, 30))
        client_id = _rand_name(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 26)
        secret = _rand_name(rng, "abcdefghijklmnopqrstuvwxyz0123456789", 52)
        ref = base64.b64encode(hmac.new(secret.encode(), (user + client_id).encode(), hashlib.sha256).digest()).decode()
        assert (
            srp.secret_hash(user, client_id, secret)
            == ref
            == pycognito_srp.AWSSRP.get_secret_hash(user, client_id, secret)
        )


def test_zero_values_refused():
    client = srp.SrpClient(A)
    with pytest.raises(srp.SrpError):
        client.session_key("p", "u", "pw", SALT, format(srp.N, "x"))
    with pytest.raises(srp.SrpError):
        srp.SrpServer(1).session_key("0")


GOOD = {"SALT": "ab12", "SRP_B": "02", "SECRET_BLOCK": "AAAA", "USER_ID_FOR_SRP": "u"}


@pytest.mark.parametrize(
    "change,words",
    [
        ({"SALT": None}, "without SALT"),
        ({"SRP_B": None}, "without SRP_B"),
        ({"SECRET_BLOCK": None}, "without SECRET_BLOCK"),
        ({"SRP_B": "xyz"}, "SRP_B is not a hexadecimal"),
        ({"SRP_B": "0"}, "0 modulo N"),
        ({"SRP_B": format(srp.N, "x")}, "0 modulo N"),
        ({"SRP_B": format(srp.N * 3, "x")}, "0 modulo N"),
        ({"SALT": "-1"}, "SALT is not a hexadecimal"),
        ({"SALT": "f" * 5000}, "SALT is not a hexadecimal"),
        ({"SECRET_BLOCK": "!!not base64!!"}, "SECRET_BLOCK is not base64"),
        ({"SECRET_BLOCK": "AAA"}, "SECRET_BLOCK is not base64"),
        ({"SRP_B": 2}, "SRP_B is int, not text"),
        ({"SALT": ["ab"]}, "SALT is list, not text"),
    ],
)
def test_nonsense_challenge_parameters_are_a_problem_of_ours(change, words):
    from cognito_tui.core.problem import Problem

    params = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(srp.SrpError) as caught:
        srp.check_srp_parameters(params)
    assert isinstance(caught.value, Problem) and words in caught.value.message
    assert caught.value.title and caught.value.next_step


def test_claim_with_bad_hex_or_base64_raises_srp_error_not_valueerror_of_int():
    client = srp.SrpClient(A)
    with pytest.raises(srp.SrpError, match="SRP_B"):
        client.claim("p", "u", "pw", SALT, "zz", "AAAA", TS)
    with pytest.raises(srp.SrpError, match="SECRET_BLOCK"):
        client.claim("p", "u", "pw", SALT, "02", "#", TS)
    assert srp.check_srp_parameters(GOOD) is None
