"""Kept pages (configurator.pages): the result page and the battery list are rendered once per URL and catalog
version, then served as bytes with each request's own CSRF token; a committed catalog edit is seen at the next
request. The compatibility API's answers are kept the same way, without a token, and still count against the rate.

These tests commit (transactional_db): nothing cached is used inside a transaction.
"""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.settings import api_settings

from catalog.models import Device
from configurator.models import SavedConfiguration
from configurator.verdict_matrix import matrix_refresh

pytestmark = pytest.mark.usefixtures("committed_catalog")

RESULT = "/result/?inverter=victron-color-control&battery=generic-lfp-bms&packs=2"
BATTERIES = "/battery/?inverter=deye-hybrid"
COMPATIBILITY = "/api/v1/compatibility/?inverter=deye-hybrid"


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


def test_a_kept_compatibility_answer_costs_the_version_query_and_nothing_else(client, django_assert_num_queries):
    first = client.get(COMPATIBILITY)
    with django_assert_num_queries(1):  # the catalog's and the matrix's versions
        second = client.get(COMPATIBILITY)
    assert second.status_code == 200
    assert second.content == first.content  # byte for byte: nothing in an API answer differs per request
    assert second["Content-Type"] == "application/json"
    assert "csrftoken" not in second.cookies  # an API answer sets no cookie, kept or not
    assert second.json()["results"][0]["verdict"] == "documented"
    assert second.json()["next"] is None


def test_api_errors_are_never_kept_and_each_question_has_its_own_answer(client):
    for _ in range(2):
        unknown = client.get("/api/v1/compatibility/?inverter=nope")
        assert unknown.status_code == 400
        assert "inverter" in unknown.json()["error"]["fields"]
        assert client.get(COMPATIBILITY + "&page=99").status_code == 404
    one = client.get(COMPATIBILITY + "&page_size=1").json()
    assert len(one["results"]) == 1
    assert one["next"] == "http://testserver/api/v1/compatibility/?inverter=deye-hybrid&page_size=1&page=2"
    assert len(client.get(COMPATIBILITY).json()["results"]) > 1
    other_host = client.get(COMPATIBILITY + "&page_size=1", HTTP_HOST="127.0.0.1").json()
    assert other_host["next"].startswith("http://127.0.0.1/")  # the links name the host asked
    assert client.get(COMPATIBILITY, HTTP_ACCEPT="text/html").status_code == 406  # negotiated as DRF does
    assert client.get(COMPATIBILITY, HTTP_ACCEPT="application/json; indent=2").content.startswith(b'{\n  "')


def test_a_kept_compatibility_answer_follows_an_edit(client):
    assert "LFP BMS (rev. 3)" not in client.get(COMPATIBILITY).text
    Device.objects.filter(slug="generic-lfp-bms").update(model="LFP BMS (rev. 3)")
    lagging = client.get(COMPATIBILITY).json()
    assert lagging["refreshing"] is True
    assert "LFP BMS (rev. 3)" in {row["battery"]["model"] for row in lagging["results"]}
    matrix_refresh()
    refreshed = client.get(COMPATIBILITY).json()
    assert refreshed["refreshing"] is False
    assert "LFP BMS (rev. 3)" in {row["battery"]["model"] for row in refreshed["results"]}


def test_every_kept_answer_still_counts_against_the_request_rate(client):
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "anonymous": "3/minute"}
    with override_settings(REST_FRAMEWORK={**django_settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        answers = [client.get(COMPATIBILITY) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["error"]["code"] == "throttled"
    assert "Retry-After" in answers[-1]


@pytest.mark.parametrize("url", [RESULT, BATTERIES, COMPATIBILITY])
def test_a_page_is_rendered_from_the_versions_it_is_kept_under_read_once(client, url):
    """With every read a query (notifications off, as here and behind a transaction-mode pooler), the versions are
    still read once for a page that has to be rendered: the render uses the versions the page is kept under."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    reads = [query for query in queries.captured_queries if "FROM catalog_catalogstate s" in query["sql"]]
    assert len(reads) == 1
