"""Kept pages (configurator.pages): the result page and the battery list are rendered once per URL and catalog
version, then served as bytes with each request's own CSRF token; a committed catalog edit is seen at the next
request.

These tests commit (transactional_db): nothing cached is used inside a transaction.
"""

import re

import pytest
from django.test import Client

from catalog.models import Device
from configurator.models import SavedConfiguration
from configurator.verdict_matrix import matrix_refresh

pytestmark = pytest.mark.usefixtures("committed_catalog")

RESULT = "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2"
BATTERIES = "/battery/?inverter=deye-hybrid"


def form_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def header_token(page: str) -> str:
    return re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page)[1]


def test_a_kept_result_page_costs_the_version_query_and_nothing_else(client, django_assert_num_queries):
    first = client.get(RESULT)
    with django_assert_num_queries(1):  # the catalog's version
        second = client.get(RESULT)
    assert second.status_code == 200
    assert 'data-verdict="documented"' in second.text
    # the same page but for the per-request token, which Django masks afresh each time
    assert re.sub(r"[A-Za-z0-9]{64}", "T", first.text) == re.sub(r"[A-Za-z0-9]{64}", "T", second.text)
    assert "csrf-" not in second.text  # the marker never reaches a browser


def test_each_visitor_gets_a_working_csrf_token_of_their_own_on_a_kept_page():
    Client().get(RESULT)  # someone else's visit keeps the page
    installer = Client(enforce_csrf_checks=True)
    page = installer.get(RESULT)
    assert page.cookies["csrftoken"].value  # the cookie is set as if the template had asked for the token
    assert form_token(page.text)
    assert form_token(page.text) == header_token(page.text)
    form = {"inverter": "victron-color-control", "battery": "generic-lfp-bms", "packs": "2"}
    refused = Client(enforce_csrf_checks=True).post("/save/", form)
    assert refused.status_code == 403  # no cookie, no token
    saved = installer.post("/save/", {**form, "csrfmiddlewaretoken": form_token(page.text)})
    assert saved.status_code == 302
    assert SavedConfiguration.objects.count() == 1


def test_a_kept_page_is_not_served_after_a_catalog_edit(client):
    assert "LFP BMS (rev. 3)" not in client.get(RESULT).text
    Device.objects.filter(slug="generic-lfp-bms").update(model="LFP BMS (rev. 3)")  # autocommit: committed
    assert "LFP BMS (rev. 3)" in client.get(RESULT).text


def test_other_options_and_refusals_are_not_served_from_another_urls_page(client):
    assert client.get(RESULT).status_code == 200
    three = client.get(RESULT.replace("packs=2", "packs=3"))
    assert three.status_code == 200
    assert three.text != client.get(RESULT).text
    too_many = client.get(RESULT.replace("packs=2", "packs=99"))
    assert too_many.status_code == 400
    assert client.get(RESULT.replace("packs=2", "packs=99")).status_code == 400
    other_host = client.get(RESULT, HTTP_HOST="127.0.0.1")
    assert 'value="http://127.0.0.1/result/' in other_host.text  # the share link names the host asked


def test_a_kept_battery_list_costs_the_version_query_and_nothing_else(client, django_assert_num_queries):
    first = client.get(BATTERIES)
    with django_assert_num_queries(1):  # the catalog's and the matrix's versions
        second = client.get(BATTERIES)
    assert 'data-verdict="documented"' in second.text
    assert re.sub(r"[A-Za-z0-9]{64}", "T", first.text) == re.sub(r"[A-Za-z0-9]{64}", "T", second.text)
    assert "csrf-" not in second.text


def test_the_list_its_fragment_and_a_boosted_visit_are_kept_apart(client):
    page = client.get(BATTERIES)
    fragment = client.get(BATTERIES, HTTP_HX_REQUEST="true")
    boosted = client.get(BATTERIES, HTTP_HX_REQUEST="true", HTTP_HX_BOOSTED="true")
    assert "<html" in page.text
    assert "<html" not in fragment.text
    assert "<html" in boosted.text
    assert "<html" not in client.get(BATTERIES, HTTP_HX_REQUEST="true").text
    assert "HX-Boosted" in fragment["Vary"]


def test_a_kept_battery_list_follows_an_edit_and_the_matrix_refresh_after_it(client):
    assert "LFP BMS (rev. 3)" not in client.get(BATTERIES).text
    Device.objects.filter(slug="generic-lfp-bms").update(model="LFP BMS (rev. 3)")
    lagging = client.get(BATTERIES)
    assert "LFP BMS (rev. 3)" in lagging.text  # computed now for the battery that changed
    assert 'class="note refreshing"' in lagging.text
    matrix_refresh()
    refreshed = client.get(BATTERIES)
    assert "LFP BMS (rev. 3)" in refreshed.text
    assert 'class="note refreshing"' not in refreshed.text  # the matrix's version is part of the key
