import pytest
from django.db import connections
from django.urls import reverse

from tests.conftest import SHIPPED_DEVICE_FILES, SHIPPED_PAIRING_FILES

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_when_the_database_does(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    """A fresh connection to a port where nothing listens: 503, even though Django's own connection works."""
    default = connections["default"]
    broken = {
        **default.settings_dict,
        "PORT": "1",
        "OPTIONS": {**default.settings_dict["OPTIONS"], "connect_timeout": 2},
    }

    def create_connection(alias):
        return type(default)(broken, alias="healthz-test")

    monkeypatch.setattr(connections, "create_connection", create_connection)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "cache": "ok"}


def test_home_counts_the_catalog(client, shipped_catalog):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    devices, pairings = len(SHIPPED_DEVICE_FILES), len(SHIPPED_PAIRING_FILES)
    assert f"{devices} devices and {pairings} documented pairings" in response.text


def test_livez_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_the_favicon_is_found(client):
    """Browsers ask for /favicon.ico on every page: it leads to the icon the pages link."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert '<link rel="icon" href="' in client.get("/").text


def test_a_request_is_logged_once():
    """The request middleware logs each request (with its id and duration); runserver's access line is off."""
    import logging

    assert not logging.getLogger("django.server").isEnabledFor(logging.ERROR)
    assert logging.getLogger("configurator.requests").isEnabledFor(logging.INFO)
