"""Search costs the same whatever the input and the catalog's size: words and length are capped (a 400 in the API's
error shape, a message in the wizard), and each word is one condition on a database-maintained column with a
trigram index, so the plan is an index lookup, not one regexp over every row per word."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Device, Manufacturer
from catalog.selectors import SEARCH_MAX_WORDS, devices_matching
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.mark.parametrize("search", ["a " * 9, "a" * 101, "a " * 1000])
def test_the_api_refuses_a_search_past_the_bounds(search):
    response = factories.api_client().get("/api/v1/devices/", {"search": search})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["search"]


@pytest.mark.parametrize(("path", "params"), [("/", {}), ("/battery/", {"inverter": "deye-hybrid"})])
def test_the_wizard_says_a_search_is_too_long(client, path, params):
    response = client.get(path, {**params, "q": "a " * 20})
    assert response.status_code == 200
    assert "Search with at most 8 words." in response.text
    assert 'class="cards"' not in response.text


def test_eight_words_still_find_a_device(client):
    response = factories.api_client().get("/api/v1/devices/", {"search": "solis rhi 3p hves 5g"})
    assert response.status_code == 200
    assert [row["slug"] for row in response.json()["results"]] == ["solis-rhi-3p-hves-5g"]


def test_each_word_is_one_indexed_condition_on_the_search_column():
    words = " ".join(f"w{n}x" for n in range(SEARCH_MAX_WORDS + 5))  # more than the cap, as a direct caller might
    with CaptureQueriesContext(connection) as queries:
        list(devices_matching(Device.objects.all(), words))
    sql = queries.captured_queries[-1]["sql"]
    assert len(re.findall(r"\bLIKE\b", sql)) == SEARCH_MAX_WORDS
    assert "regexp_replace" not in sql
    with connection.cursor() as cursor:
        # The shipped catalog is small enough to scan: rule out scans to see that the index serves the words.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = devices_matching(Device.objects.all(), "rhi 3p hves").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "catalog_device_search_trgm" in plan


def test_long_catalog_text_is_not_searched_word_by_word():
    """A distributor's long notes or description are not in the search column: they cost a search nothing."""
    device = factories.device(model="Needle", description="x " * 50_000)
    device.refresh_from_db()
    assert len(device.search_text) < 200
    assert list(devices_matching(Device.objects.all(), "needle")) == [device]


def test_the_database_keeps_the_search_column_up_to_date():
    device = Device.objects.get(slug="deye-hybrid")
    Manufacturer.objects.filter(pk=device.manufacturer_id).update(name="Ningbo Deye")
    Device.objects.filter(pk=device.pk).update(variants=["SUN-12K-SG04LP3"])
    assert devices_matching(Device.objects.all(), "ningbo sun12k").get() == device
    assert not devices_matching(Device.objects.all(), "ningbo hvs").exists()
