"""The client's address behind trusted proxies only (issue 12: the throttles believed any
X-Forwarded-For)."""

import pytest
from django.test import RequestFactory

from qyzmet.core.client import client_address


def request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.QYZMET_TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_from_an_untrusted_peer_the_header_is_ignored(settings):
    settings.QYZMET_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.1", "198.51.100.1"),
        # A client cannot choose its address: the proxy appends the real one at the right.
        ("1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two proxies of ours (both trusted): the first untrusted hop from the right.
        ("1.2.3.4, 198.51.100.1, 10.0.0.7", "198.51.100.1"),
        ("", "10.0.0.2"),
        ("garbage", "10.0.0.2"),
        ("198.51.100.1, not-an-ip, 10.0.0.7", "10.0.0.7"),
        ("2001:db8::5", "2001:db8::5"),
    ],
)
def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client(
    settings, forwarded, client
):
    settings.QYZMET_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert client_address(request("10.0.0.2", forwarded)) == client


def test_a_peer_that_is_not_an_address_gives_none(settings):
    assert client_address(request("unix-socket")) == ""
