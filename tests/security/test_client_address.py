"""The client address behind rate limits and the login lockout comes from X-Forwarded-For only as far as
DJANGO_TRUSTED_PROXIES vouches: with no trusted proxy the header is ignored (a fake one does not buy a new rate
budget), and behind one proxy only the address that proxy appended counts (an attacker cannot lock a real
user out from another address)."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from configurator.client import client_address
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def three_a_minute(settings):
    rates = {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anonymous": "3/minute"}
    settings.REST_FRAMEWORK = {**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def statuses(forwarded: list[str], remote: str = "127.0.0.1") -> list[int]:
    api = factories.api_client()
    return [
        api.get("/api/v1/manufacturers/", HTTP_X_FORWARDED_FOR=xff, REMOTE_ADDR=remote).status_code
        for xff in forwarded
    ]


@pytest.mark.usefixtures("three_a_minute")
def test_a_fake_forwarded_header_does_not_reset_the_anonymous_rate(settings):
    settings.TRUSTED_PROXIES = 0
    assert statuses([f"10.0.0.{n}" for n in range(5)]) == [200, 200, 200, 429, 429]


@pytest.mark.usefixtures("three_a_minute")
def test_behind_one_proxy_only_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXIES = 1
    faked = [f"10.0.0.{n}, 203.0.113.7" for n in range(5)]  # the client's own claim, then the proxy's entry
    assert statuses(faked) == [200, 200, 200, 429, 429]
    assert statuses(["203.0.113.8"]) == [200]  # another real client has its own budget


def test_the_client_address_rules(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 2.2.2.2, 3.3.3.3", REMOTE_ADDR="10.9.9.9")
    settings.TRUSTED_PROXIES = 0
    assert client_address(request) == "10.9.9.9"
    settings.TRUSTED_PROXIES = 1
    assert client_address(request) == "3.3.3.3"
    settings.TRUSTED_PROXIES = 2
    assert client_address(request) == "2.2.2.2"
    garbage = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.9.9.9")
    assert client_address(garbage) == "10.9.9.9"


def login(client, password: str, forwarded: str):
    return client.post(
        reverse("admin:login"),
        {"username": "alice", "password": password, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=forwarded,
        REMOTE_ADDR="10.0.0.1",  # the TLS proxy
    )


def test_behind_the_proxy_an_attacker_cannot_lock_out_the_real_user(client, settings):
    settings.TRUSTED_PROXIES = 1
    factories.admin_user("alice")
    for _ in range(django_settings.AXES_FAILURE_LIMIT + 1):
        login(client, "wrong", "198.51.100.66")
    assert login(client, "a-long-password-1", "198.51.100.66").status_code == 429  # the attacker is locked out
    assert login(client, "a-long-password-1", "203.0.113.7").status_code == 302  # alice, elsewhere, is not


def test_without_trusted_proxies_a_fake_header_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXIES = 0
    factories.admin_user("alice")
    for n in range(django_settings.AXES_FAILURE_LIMIT + 1):
        login(client, "wrong", f"198.51.100.{n}")
    assert login(client, "a-long-password-1", "203.0.113.99").status_code == 429
