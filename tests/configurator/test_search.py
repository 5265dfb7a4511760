"""Search as installers type: every word, else the most words, else a name within a typo ("Did you mean ..."),
else "not in the catalog yet" with a way to ask for it, recorded for distributors in the admin."""

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Account, CatalogRequest
from catalog.requests import REQUESTS_PER_HOUR
from catalog.selectors import device_search_ranked
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.mark.parametrize(
    ("kind", "typed", "matched", "first"),
    [
        ("inverter", "solis", "all", "solis-rhi-48es-5g"),
        ("inverter", "solis 5k", "all", "solis-rhi-3p-hves-5g"),  # 5 K lies within four Solis ranges (000)
        ("inverter", "RHI-3.6K-48ES-5G", "all", "solis-rhi-48es-5g"),  # as printed on the case: RHI-(3-4.6)K
        ("inverter", "s6-ea1p5k-l", "all", "solis-s6-ea1p-l"),
        ("inverter", "rhi 4.6k", "all", "solis-rhi-48es-5g"),
        ("inverter", "spf 5000", "some", "growatt-spf"),
        ("inverter", "SPF5000ES", "some", "growatt-spf"),  # one word to the index: its letters and digits tried
        ("inverter", "deye sun", "all", "deye-hybrid"),  # Deye and its SUN line
        ("inverter", "vitron", "similar", "victron-color-control"),
        ("battery", "pylontek", "similar", "pylontech-force-h2"),
        ("inverter", "huawei", "none", None),
        ("inverter", "multiplus", "all", "victron-color-control"),  # Victron's product line: its GX device
        ("inverter", "cerbo", "all", "victron-color-control"),
        ("inverter", "axpert", "all", "voltronic-color-control"),
        ("inverter", "SUN-5K-SG03LP1-EU", "all", "deye-hybrid"),  # Deye's SUN line with a size, as on the case
        ("inverter", "sunny island", "all", "sma-sunny-island"),  # "sunny" is not Deye's SUN
        ("battery", "multiplus", "none", None),  # a line of a maker with no battery in the catalog
    ],
)
def test_ranked_search_finds_what_installers_type(kind, typed, matched, first):
    answer = device_search_ranked(kind=kind, text=typed)
    assert answer.matched == matched
    assert (answer.devices[0].slug if answer.devices else None) == first


def test_a_typo_offers_the_name_it_was_probably_meant_to_be(client):
    page = client.get("/", {"q": "vitron"}).text
    assert 'Did you mean <a class="suggestion" href="?q=Victron%20Energy">Victron Energy</a>?' in page
    assert 'data-slug="victron-color-control"' in page
    battery_page = client.get("/battery/", {"inverter": "deye-hybrid", "q": "pylontek"}).text
    assert "Did you mean" in battery_page
    assert "inverter=deye-hybrid&amp;q=Pylontech" in battery_page


def test_part_of_the_words_is_said_and_the_best_comes_first(client):
    page = client.get("/", {"q": "solis 12k"}).text
    assert "No inverter matches every word of “solis 12k”: these match part of it" in page
    results = page[page.index('id="inverter-results"') :]
    assert results.index('data-slug="solis-') < results.index("</section>")


def test_a_size_within_a_range_finds_only_the_ranges_that_hold_it():
    """000 names the Solis families by their bounds: 5 K is in RHI-3P(5-10)K, S5-EH1P(3-6)K, S6-EA1P(3.6-6)K and
    S6-EH3P(5-10)K, not in RHI-(3-4.6)K; 12 K is in none."""
    found = {device.slug for device in device_search_ranked(kind="inverter", text="solis 5k").devices}
    assert found == {"solis-rhi-3p-hves-5g", "solis-s5-eh1p-l", "solis-s6-ea1p-l", "solis-s6-eh3p-h-eu"}
    assert device_search_ranked(kind="inverter", text="RHI-3P11K-HVES-5G").matched != "all"
    assert device_search_ranked(kind="inverter", text="3.6k").devices  # the size alone


def test_a_brand_not_in_the_catalog_can_be_asked_for_and_distributors_see_it(client):
    page = client.get("/", {"q": "huawei"}).text
    assert "“huawei” is not in the catalog yet." in page
    assert 'name="csrfmiddlewaretoken"' in page
    asked = client.post(reverse("catalog_request"), {"kind": "inverter", "text": "huawei"})
    assert asked.status_code == 302
    assert "asked=1" in asked["Location"]
    assert "is recorded for the catalog's editors" in client.get(asked["Location"]).text
    client.post(reverse("catalog_request"), {"kind": "inverter", "text": "Huawei "})  # the same request, counted
    (request,) = CatalogRequest.objects.all()
    assert (request.kind, request.text, request.times) == ("inverter", "huawei", 2)

    battery = client.post(
        reverse("catalog_request"), {"kind": "battery", "text": "BYD HVX", "inverter": "deye-hybrid"}
    )
    assert battery["Location"].startswith("/battery/?inverter=deye-hybrid&q=BYD+HVX&asked=1")

    distributor = factories.admin_user("req-reader", Account.Kind.DISTRIBUTOR, "weco")
    admin = Client()
    admin.force_login(distributor)
    listing = admin.get(reverse("admin:catalog_catalogrequest_changelist"))
    assert listing.status_code == 200
    assert "huawei" in listing.text
    assert admin.get(reverse("admin:catalog_catalogrequest_add")).status_code == 403
    change = admin.post(reverse("admin:catalog_catalogrequest_change", args=[request.pk]), {"text": "changed"})
    assert change.status_code in (302, 403)
    request.refresh_from_db()
    assert request.text == "huawei"


def test_asking_is_bounded_per_client_and_bad_requests_change_nothing(client):
    for n in range(REQUESTS_PER_HOUR):
        client.post(reverse("catalog_request"), {"kind": "inverter", "text": f"brand {n}"})
    refused = client.post(reverse("catalog_request"), {"kind": "inverter", "text": "one too many"})
    assert "asked=limit" in refused["Location"]
    assert not CatalogRequest.objects.filter(text="one too many").exists()
    assert client.post(reverse("catalog_request"), {"kind": "toaster", "text": "x"}).status_code == 400
    assert client.post(reverse("catalog_request"), {"kind": "inverter", "text": ""}).status_code == 400
    assert CatalogRequest.objects.count() == REQUESTS_PER_HOUR
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("catalog_request"), {"kind": "inverter", "text": "no token"}).status_code == 403


def test_a_product_line_leads_to_the_makers_devices_and_says_the_sources_do_not_name_it(client):
    page = client.get("/", {"q": "MultiPlus-II"}).text
    assert 'data-slug="victron-color-control"' in page
    assert (
        "“MultiPlus-II” is a Victron Energy product line the sources do not document by name: these are the Victron "
        "Energy devices they do document." in page
    )
    assert "Sold as" not in page  # the GX device is not sold as a MultiPlus


CASE_NAMES = [  # what is printed on the inverter's case or label, and the seeds' inverter it is
    ("RHI-3.6K-48ES-5G", "solis-rhi-48es-5g"),  # 000: RHI-(3-4.6)K-48ES-5G
    ("RHI-3P10K-HVES-5G", "solis-rhi-3p-hves-5g"),
    ("S5-EH1P5K-L", "solis-s5-eh1p-l"),
    ("S6-EA1P5K-L", "solis-s6-ea1p-l"),
    ("S6-EH3P8K-H-EU", "solis-s6-eh3p-h-eu"),
    ("SUN-5K-SG03LP1-EU", "deye-hybrid"),  # 002: DEYE HYBRID; the SUN line
    ("Sunny Island 6.0H", "sma-sunny-island"),
    ("Any-Grid PSW-H-5KW", "phocos-any-grid-psw"),
    ("XW Pro 6848", "schneider-xw-pro"),
    ("Victron Color Control GX", "victron-color-control"),
    ("MultiPlus-II 48/5000", "victron-color-control"),  # its BMS cable goes to the GX device 002 documents
    ("INGECON SUN STORAGE 1Play 6TL M", "ingeteam-ingecon-sun-storage-1play-tl-m"),
    ("Azzurro HYD 10000ZSS", "zcs-azzurro-hyd-hv"),
    ("Kehua SPH5K", "kehua-sph"),
    ("Growatt SPF 5000 ES", "growatt-spf"),
    ("Growatt SPH5000", "growatt-sph"),
    ("Voltronic Color Control", "voltronic-color-control"),
]


@pytest.mark.parametrize(("typed", "slug"), CASE_NAMES, ids=[typed for typed, _ in CASE_NAMES])
def test_the_name_on_the_case_finds_the_seeds_inverter_first(typed, slug):
    answer = device_search_ranked(kind="inverter", text=typed)
    assert answer.devices[0].slug == slug, (answer.matched, [d.slug for d in answer.devices[:3]])
