"""core.validate: each edge check accepts what AWS uses and names what is wrong otherwise."""

from __future__ import annotations

import pytest

from cognito_tui.core import validate
from cognito_tui.core.problem import Problem


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "us-gov-west-1", "ap-southeast-5", "us-isob-east-1"])
def test_real_regions_pass(region):
    assert validate.region_problem(region) is None
    assert validate.pool_id_problem(f"{region}_AbC123") is None


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9229", "https://cognito-idp.us-east-1.amazonaws.com", "http://[::1]:80/"]
)
def test_good_urls_pass(url):
    assert validate.endpoint_url_problem(url) is None


@pytest.mark.parametrize("url", ["notaurl", "http://", "file:///x", "http://[::1", "http://h:70000", "http://a b", ""])
def test_bad_urls_have_a_reason(url):
    assert validate.endpoint_url_problem(url)


def test_require_raises_a_problem_with_the_fix():
    with pytest.raises(validate.InvalidInput) as caught:
        validate.check_target("us-east-1_X", "c", "us-east-1", "http://[::1", 30)
    assert isinstance(caught.value, Problem) and "http://127.0.0.1:9229" in caught.value.next_step


def test_json_depth_is_linear_and_ignores_brackets_in_strings():
    assert (
        validate.json_depth_problem('{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')
        is None
    )
    assert "nested more than 64" in validate.json_depth_problem("[" * 1_000_000)


def test_secret_line_from_bytes_and_text(tmp_path):
    import io

    assert validate.read_secret_line(io.BytesIO(b"s3cret\r\nnext"), "x") == "s3cret"
    assert validate.read_secret_line(io.StringIO("s3cret\n"), "x") == "s3cret"
    with pytest.raises(validate.InvalidInput, match="not UTF-8"):
        validate.read_secret_line(io.BytesIO(b"\xc3\x28\n"), "x")


@pytest.mark.parametrize("module", ["cognito_tui.core.validate", "cognito_tui.core.yamltree", "cognito_tui.core.srp"])
def test_new_core_modules_import_nothing_third_party(module):
    import subprocess
    import sys

    probe = f"import {module}, sys; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    loaded = set(
        subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.split()
    )
    assert not loaded & {"yaml", "boto3", "botocore", "textual", "keyring"}, loaded
