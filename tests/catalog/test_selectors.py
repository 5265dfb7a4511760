"""Finding a device by what people type: a slug, a model, a maker and a model, a size variant."""

import pytest

from catalog.models import Device
from catalog.selectors import device_search

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def slugs(kind: str, text: str) -> list[str]:
    return [device.slug for device in device_search(kind=kind, text=text)]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("inverter", "deye-hybrid", ["deye-hybrid"]),
        ("inverter", "DEYE-HYBRID", ["deye-hybrid"]),
        ("battery", "US5000", ["pylontech-us5000"]),
        ("battery", "pylontech us5000", ["pylontech-us5000"]),
        ("inverter", "solis s6 eh3p", ["solis-s6-eh3p-h-eu"]),
        ("battery", "HVS 7.7", ["byd-battery-box-premium-hvs"]),  # a size variant
        ("battery", "hvs7.7", ["byd-battery-box-premium-hvs"]),
        ("inverter", "rhi 3p", ["solis-rhi-3p-hves-5g"]),
        ("inverter", "RHI-3P", ["solis-rhi-3p-hves-5g"]),
        ("inverter", "sunny island", ["sma-sunny-island"]),
        ("inverter", "Sunny-Island", ["sma-sunny-island"]),
        ("inverter", "  SUNNYISLAND ", ["sma-sunny-island"]),
        ("battery", "force h2", ["pylontech-force-h2"]),
        ("battery", "weco 5k3", ["weco-5k3-lv-hv", "weco-5k3-xp"]),
        ("inverter", "US5000", []),  # a battery is not an inverter
        ("battery", "", []),
        ("battery", " - ", []),
    ],
)
def test_device_search(kind, text, expected):
    assert slugs(kind, text) == expected


def test_unpublished_devices_are_not_found():
    Device.objects.filter(slug="pylontech-us5000").update(is_published=False)
    assert slugs("battery", "US5000") == []


def test_a_device_is_found_by_any_name_it_is_sold_under(db):
    from tests import factories
    from tests.factories import api_client

    rebrand = factories.device(kind="inverter", model="Hybrid 5K", aliases=["SunPower X5", "HX-5000 EU"])
    assert [d.slug for d in device_search(kind="inverter", text="sunpower x5")] == [rebrand.slug]
    assert [d.slug for d in device_search(kind="inverter", text="hx5000")] == [rebrand.slug]
    Device.objects.filter(pk=rebrand.pk).update(aliases=["Other name"])  # the database rewrites the search text
    assert device_search(kind="inverter", text="sunpower") == []
    rows = api_client(None).get("/api/v1/devices/", {"search": "other name"}).json()["results"]
    assert [(row["slug"], row["aliases"]) for row in rows] == [(rebrand.slug, ["Other name"])]
