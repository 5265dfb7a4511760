"""The verdict matrix: the engine's verdict for every published pair, refreshed after each catalog change for what
the change concerns, and read a page at a time by the battery list and the compatibility API; while it lags, the
cells the change concerns are computed now, never read stale.

These tests commit (transactional_db): the catalog version, and the refresh job, come from the database's trigger.
"""

import pytest
from procrastinate.contrib.django.models import ProcrastinateJob

from catalog.choices import DeviceKind
from catalog.models import CatalogState, Device, DocumentedPairing, Manufacturer
from configurator.models import PairVerdict, VerdictMatrix
from configurator.services import battery_choices, battery_page, catalog_cache_clear
from configurator.verdict_matrix import matrix_refresh
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("committed_catalog")

INVERTER = "victron-color-control"
DOCUMENTED = "generic-lfp-bms"  # documented with INVERTER


def published(kind: str) -> list[str]:
    return list(Device.objects.filter(kind=kind, is_published=True).values_list("slug", flat=True))


def live(inverter: str) -> list[tuple]:
    """What the engine answers now, battery by battery, in the list's order."""
    catalog_cache_clear()
    return [(b.slug, b.verdict, b.reason, b.bus) for b in battery_choices(inverter=inverter).batteries]


def listed(inverter: str, **filters) -> list[tuple]:
    return [(b.slug, b.verdict, b.reason, b.bus) for b in battery_page(inverter=inverter, **filters).batteries]


def test_the_matrix_holds_the_engines_answer_for_every_published_pair():
    batteries, inverters = published(DeviceKind.BATTERY), published(DeviceKind.INVERTER)
    assert PairVerdict.objects.count() == len(batteries) * len(inverters)
    assert VerdictMatrix.objects.get().version == CatalogState.objects.get().version
    for inverter in inverters:
        assert listed(inverter) == live(inverter), inverter


def test_the_compatibility_api_reads_a_page_in_the_same_queries_whatever_the_catalog_holds(
    django_assert_num_queries,
):
    client = api_client()
    client.get("/api/v1/compatibility/", {"inverter": INVERTER})  # the inverter's spec is cached per version
    with django_assert_num_queries(3):  # the catalog's and the matrix's versions, the page, the count
        first = client.get("/api/v1/compatibility/", {"inverter": INVERTER, "page_size": 5})
    with django_assert_num_queries(1):  # the versions: the same page of the same matrix is kept in the process
        assert client.get("/api/v1/compatibility/", {"inverter": INVERTER, "page_size": 5}).json() == first.json()
    body = first.json()
    assert body["refreshing"] is False
    assert body["count"] == len(published(DeviceKind.BATTERY))
    assert [row["battery"]["slug"] for row in body["results"]] == [row[0] for row in live(INVERTER)[:5]]
    assert body["previous"] is None
    second = client.get(body["next"]).json()
    assert [row["battery"]["slug"] for row in second["results"]] == [row[0] for row in live(INVERTER)[5:10]]
    assert second["previous"].endswith("page=1")
    assert client.get("/api/v1/compatibility/", {"inverter": INVERTER, "page": 999}).status_code == 404
    assert client.get("/api/v1/compatibility/", {"inverter": INVERTER, "page_size": 201}).status_code == 400


def test_a_catalog_change_queues_the_refresh_and_is_answered_now_until_it_runs():
    jobs = ProcrastinateJob.objects.filter(task_name="verdict_matrix_refresh", status="todo")
    before = jobs.count()
    Device.objects.filter(slug=DOCUMENTED).update(voltage_class="hv")  # committed
    assert jobs.count() == before + 1
    assert jobs.order_by("-id").first().queue_name == "verdicts"

    page = battery_page(inverter=INVERTER)
    assert page.refreshing
    assert listed(INVERTER) == live(INVERTER)  # the changed battery computed now, the rest read
    assert PairVerdict.objects.get(battery__slug=DOCUMENTED, inverter__slug=INVERTER).catalog_version < _version()
    done = matrix_refresh()
    assert done.pairs == len(published(DeviceKind.INVERTER))  # that battery's row, nothing else
    assert not battery_page(inverter=INVERTER).refreshing
    assert listed(INVERTER) == live(INVERTER)
    assert PairVerdict.objects.get(battery__slug=DOCUMENTED, inverter__slug=INVERTER).catalog_version == _version()


def _version() -> int:
    return CatalogState.objects.get().version


def test_a_changed_inverter_is_answered_whole_and_its_column_recomputed():
    Device.objects.filter(slug=INVERTER).update(voltage_class="hv")
    assert battery_page(inverter=INVERTER).refreshing
    assert listed(INVERTER) == live(INVERTER)
    assert matrix_refresh().pairs == len(published(DeviceKind.BATTERY))


def test_a_removed_pairing_recomputes_that_pair_only():
    DocumentedPairing.objects.filter(battery__slug=DOCUMENTED, inverter__slug=INVERTER).delete()
    row = {slug: verdict for slug, verdict, _r, _b in listed(INVERTER)}
    assert row[DOCUMENTED] != "documented"
    assert matrix_refresh().pairs == 1
    assert PairVerdict.objects.get(battery__slug=DOCUMENTED, inverter__slug=INVERTER).verdict == row[DOCUMENTED]


def test_an_unpublished_battery_leaves_the_list_at_once_and_the_matrix_at_its_refresh():
    Device.objects.filter(slug=DOCUMENTED).update(is_published=False)
    assert DOCUMENTED not in [row[0] for row in listed(INVERTER)]
    matrix_refresh()
    assert not PairVerdict.objects.filter(battery__slug=DOCUMENTED).exists()


def test_filters_and_the_limit_are_applied_in_the_query():
    makers = {b.manufacturer for b in battery_choices(inverter=INVERTER).batteries}
    maker = sorted(makers)[0]
    only = battery_page(inverter=INVERTER, manufacturer=maker)
    assert only.batteries
    assert {b.manufacturer for b in only.batteries} == {maker}
    page = battery_page(inverter=INVERTER, offset=2, limit=3)
    assert [b.slug for b in page.batteries] == [row[0] for row in live(INVERTER)[2:5]]
    assert page.total == len(published(DeviceKind.BATTERY))


def test_the_battery_page_lists_a_page_and_offers_more(client, settings):
    from configurator import views

    settings.DEBUG = False
    original = views.BATTERY_PAGE
    views.BATTERY_PAGE = 4
    try:
        page = client.get("/battery/", {"inverter": INVERTER})
        assert page.text.count("data-slug=") == 4
        assert "Listing the first 4" in page.text
        more = client.get("/battery/", {"inverter": INVERTER, "listed": 8})
        assert more.text.count("data-slug=") == 8
    finally:
        views.BATTERY_PAGE = original


def test_a_renamed_maker_moves_its_batteries_in_the_list_now_and_in_the_matrix_at_its_refresh():
    maker = Device.objects.get(slug=DOCUMENTED).manufacturer
    before = [row[0] for row in listed(INVERTER)]
    Manufacturer.objects.filter(pk=maker.pk).update(name="Zzz Last Maker")  # committed: sorts after every other
    moved = [row[0] for row in listed(INVERTER)]
    assert moved != before
    assert listed(INVERTER) == live(INVERTER)  # its batteries computed now, in their new place
    assert battery_page(inverter=INVERTER).refreshing
    done = matrix_refresh()
    assert done.pairs == Device.objects.filter(manufacturer=maker, kind=DeviceKind.BATTERY).count() * len(
        published(DeviceKind.INVERTER)
    )
    assert not battery_page(inverter=INVERTER).refreshing
    assert listed(INVERTER) == live(INVERTER)  # now read from the matrix, in the same order
    stored = PairVerdict.objects.filter(battery__manufacturer=maker).values_list("battery_order", flat=True)
    assert all(order.startswith("zzz last maker\x1f") for order in stored)


def test_the_list_is_read_in_the_stored_order_with_names_sorted_as_python_sorts_them():
    """Case and accents as Python compares them (collation "C" on the sort key), the same order as the engine's
    answer computed now."""
    Device.objects.filter(slug=DOCUMENTED).update(model="élan lower-case")
    matrix_refresh()
    assert listed(INVERTER) == live(INVERTER)
