"""Unsaved sheets cannot be used to load the site: renders (not cached downloads) are limited per client address,
renders at once are limited per process with a clear 503 and Retry-After, and a sheet whose render broke its
limits is not rendered again for a while."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import reverse
from rest_framework.settings import api_settings

from configurator import pdf, services
from configurator.sheet_limits import render_slot
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")

PAIR = {"inverter": "victron-color-control", "battery": "generic-lfp-bms"}


def sheet(client, **params):
    return client.get(reverse("wizard_sheet"), {**PAIR, **params})


def test_new_sheets_are_limited_per_client_and_cached_ones_still_download(client, settings):
    settings.SHEET_RENDER_RATE = "2/minute"
    assert sheet(client, site_name="A").status_code == 200
    assert sheet(client, site_name="B").status_code == 200
    refused = sheet(client, site_name="C")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "more than 2 new sheets" in refused.text
    assert sheet(client, site_name="A").status_code == 200  # already rendered: served from the cache
    other = client.get(reverse("wizard_sheet"), {**PAIR, "site_name": "C"}, REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200  # another client has its own budget


def test_a_faked_forwarded_address_does_not_reset_the_sheet_limit(client, settings):
    settings.SHEET_RENDER_RATE = "1/minute"
    assert sheet(client, site_name="A", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    response = client.get(reverse("wizard_sheet"), {**PAIR, "site_name": "B"}, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert response.status_code == 429


def test_the_api_limits_saved_sheets_in_its_error_shape(settings):
    settings.SHEET_RENDER_RATE = "1/minute"
    api = factories.api_client()
    ids = [api.post("/api/v1/configurations/", {**PAIR, "packs": n}, format="json").json()["id"] for n in (1, 2)]
    assert api.get(f"/api/v1/configurations/{ids[0]}/sheet.pdf").status_code == 200
    refused = api.get(f"/api/v1/configurations/{ids[1]}/sheet.pdf")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert "Retry-After" in refused


def test_stored_sheets_take_nothing_of_the_api_request_rate_and_renders_still_count(settings):
    """The API's link serves a saved sheet as the site's does: stored bytes freely, a render against the sheet-render
    rate. The API request rate is left for the rest of the API."""
    settings.SHEET_RENDER_RATE = "1/minute"
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anonymous": "3/minute"}
    with override_settings(REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        api = factories.api_client(None)
        ids = [api.post("/api/v1/configurations/", {**PAIR, "packs": n}, format="json").json()["id"] for n in (1, 2)]
        downloads = [api.get(f"/api/v1/configurations/{ids[0]}/sheet.pdf") for _ in range(5)]
        assert [d.status_code for d in downloads] == [200] * 5  # one render, then its stored bytes
        assert downloads[-1]["Content-Type"] == "application/pdf"
        refused = api.get(f"/api/v1/configurations/{ids[1]}/sheet.pdf")  # a second render within the minute
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "throttled"
        assert api.get(f"/api/v1/configurations/{ids[0]}/").status_code == 200  # the third request of the rate
        assert api.get(f"/api/v1/configurations/{ids[0]}/").status_code == 429


def test_a_full_render_queue_is_a_503_with_retry_after(client, settings):
    settings.SHEET_RENDER_CONCURRENCY = 1
    settings.SHEET_RENDER_QUEUE = 0
    with render_slot("someone else"):  # the process's only slot is taken
        response = sheet(client, site_name="busy")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "too many sheets are being printed right now" in response.text
    assert sheet(client, site_name="busy").status_code == 200  # the slot is free again


def test_a_waiting_render_gives_up_after_the_queue_time(client, settings):
    settings.SHEET_RENDER_CONCURRENCY = 1
    settings.SHEET_RENDER_QUEUE = 1
    settings.SHEET_RENDER_QUEUE_SECONDS = 0.2
    with render_slot("someone else"):
        response = sheet(client, site_name="queued")
    assert response.status_code == 503


def test_a_failed_render_is_remembered_and_not_attempted_again(client, settings, monkeypatch):
    renders = []
    real = services.html_to_pdf_bounded

    def counted(*args, **kwargs):
        renders.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "html_to_pdf_bounded", counted)
    settings.SHEET_RENDER_SECONDS = 0.001
    first = sheet(client, packs=4)
    assert first.status_code == 503
    settings.SHEET_RENDER_SECONDS = 15  # even with room now, the same sheet is not rendered again for a while
    again = sheet(client, packs=4)
    assert again.status_code == 503
    assert "took longer" in again.text
    assert len(renders) == 1
    assert sheet(client, packs=3).status_code == 200  # other sheets render
    assert pdf.SheetRenderError  # the failure is the renderer's own verdict, remembered as given
