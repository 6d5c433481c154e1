"""A seed's OAuth part: `<seed>.oauth.yaml` beside a seed file, checked with messages that name the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from cognito_tui.sandbox import Sandbox, SeedError
from cognito_tui.sandbox.oauth.settings import read_oauth_seed

SEED = """region: eu-west-1
pools:
  - id: eu-west-1_Own0001
    name: own
    clients:
      - {name: app, id: ownapp0000000000000000001, flows: [ALLOW_USER_SRP_AUTH]}
    users:
      - {username: zoe, password: Zoe-Sandbox-1}
"""
OAUTH = """pools:
  - id: eu-west-1_Own0001
    domain: own-domain
    resource_servers:
      - {identifier: orders, scopes: [{name: read}]}
    clients:
      - {name: app, oauth_flows: [code], scopes: [openid, orders/read], callback_urls: ['http://127.0.0.1:9/cb']}
      - {name: robot, id: ownrobot00000000000000002, secret: ownrobotsecretpublicbydesign000002,
         oauth_flows: [client_credentials], scopes: [orders/read]}
"""


def test_a_seed_file_brings_its_oauth_file(tmp_path: Path):
    (tmp_path / "own.yaml").write_text(SEED)
    (tmp_path / "own.oauth.yaml").write_text(OAUTH)
    with Sandbox(seed_path=tmp_path / "own.yaml") as sb:
        doc = requests.get(f"{sb.endpoint_url}/eu-west-1_Own0001/.well-known/openid-configuration").json()
        assert doc["token_endpoint"] == f"{sb.endpoint_url}/domain/own-domain/oauth2/token"
        token = requests.post(doc["token_endpoint"], auth=("ownrobot00000000000000002", "ownrobotsecretpublicbydesign000002"),
                              data={"grant_type": "client_credentials"})  # fmt: skip
        assert token.status_code == 200
        page = requests.get(doc["authorization_endpoint"], params={"client_id": "ownapp0000000000000000001",
                            "response_type": "code", "redirect_uri": "http://127.0.0.1:9/cb"}, allow_redirects=False)  # fmt: skip
        assert "/domain/own-domain/login?" in page.headers["Location"]


def test_a_seed_without_an_oauth_file_has_no_domain(tmp_path: Path):
    (tmp_path / "plain.yaml").write_text(SEED)
    with Sandbox(seed_path=tmp_path / "plain.yaml") as sb:
        doc = requests.get(f"{sb.endpoint_url}/eu-west-1_Own0001/.well-known/openid-configuration").json()
        assert doc["authorization_endpoint"].endswith("/eu-west-1_Own0001/authorize")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("pools: [{id: x, domain: Not_Valid}]", "pools[0].domain"),
        ("pools: [{id: x, clients: [{name: a, oauth_flows: [password]}]}]", "pools[0].clients[0].oauth_flows"),
        ("pools: [{id: x, clients: [{name: a, callbak_urls: []}]}]", "pools[0].clients[0].callbak_urls"),
        ("pools: [{id: x, resource_servers: [{name: no-identifier}]}]", "pools[0].resource_servers[0]"),
    ],
)
def test_bad_oauth_seeds_name_the_field(text: str, where: str):
    with pytest.raises(SeedError) as caught:
        read_oauth_seed(text, "x.oauth.yaml")
    assert caught.value.field == where
