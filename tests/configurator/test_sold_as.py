"""A device found by another name it is sold under (an alias, a size of its range): the wizard carries that name
from the search to the result, the API takes it and returns it, and a name the device is not sold under is refused
on its field. Shipped example: BYD's HVS range ("HVS 5.1 ... HVS 12.8", source 000)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from configurator.domain import ConfigurationError, Options, configure
from configurator.domain.types import DeviceSpec, Source
from configurator.models import SavedConfiguration
from tests import factories
from tests.factories import api_client

pytestmark = pytest.mark.usefixtures("shipped_catalog")

PAIR = {"inverter": "solis-s6-eh3p-h-eu", "battery": "byd-battery-box-premium-hvs"}


def url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def test_the_engine_names_the_device_as_picked_and_refuses_a_name_it_is_not_sold_under():
    source = Source("doc.txt", "section")
    battery = DeviceSpec("b", "Maker", "Range", "battery", "lv", source, sold_as=("R 5.1", "R 10.2"))
    inverter = DeviceSpec("i", "Maker", "Inv", "inverter", "lv", source)
    result = configure(battery, inverter, options=Options(battery_as="r-10.2"))
    assert (result.battery.sold_as, result.battery.title) == ("R 10.2", "Maker Range (sold as R 10.2)")
    assert configure(battery, inverter).battery.title == "Maker Range"
    with pytest.raises(ConfigurationError, match="Maker Range is not sold as 'R 7'") as refused:
        configure(battery, inverter, options=Options(battery_as="R 7"))
    assert refused.value.field == "battery_as"


def test_the_wizard_carries_the_name_found_from_the_search_to_the_result(client):
    page = client.get(url("wizard_battery", inverter=PAIR["inverter"], q="hvs 10.2")).text
    assert "Sold as HVS 10.2" in page
    assert "battery_as=HVS%2010.2" in page
    options = client.get(url("wizard_options", **PAIR, battery_as="HVS 10.2")).text
    assert "BYD Battery-Box Premium HVS (sold as HVS 10.2)" in options
    assert 'name="battery_as" value="HVS 10.2"' in options
    result = client.get(url("wizard_result", **PAIR, battery_as="hvs 10.2")).text
    assert "<h1>BYD Battery-Box Premium HVS (sold as HVS 10.2) <span" in result
    saved = client.post(reverse("wizard_save"), {**PAIR, "battery_as": "HVS 10.2"})
    public_id = saved["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert SavedConfiguration.objects.get(public_id=public_id).battery_as == "HVS 10.2"
    assert "(sold as HVS 10.2)" in client.get(saved["Location"]).text


def test_an_inverter_found_by_the_name_on_its_case_is_named_by_it_to_the_result(client):
    """000 names the family "RHI-(3-4.6)K-48ES-5G"; the case says RHI-3.6K-48ES-5G: the size within the range."""
    page = client.get(url("home", q="RHI-3.6K-48ES-5G")).text
    assert "Sold as RHI-3.6K-48ES-5G" in page
    assert "inverter=solis-rhi-48es-5g&amp;inverter_as=RHI-3.6K-48ES-5G" in page
    battery = "byd-battery-box-premium-lvs"
    result = client.get(
        url("wizard_result", inverter="solis-rhi-48es-5g", battery=battery, inverter_as="rhi-3.6k-48es-5g")
    )
    assert "Solis (Ginlong Technologies) RHI-(3-4.6)K-48ES-5G (sold as RHI-3.6K-48ES-5G)" in result.text
    outside = client.get(
        url("wizard_result", inverter="solis-rhi-48es-5g", battery=battery, inverter_as="RHI-6K-48ES-5G")
    )
    assert outside.status_code == 400  # 6 K is past the range's 4.6 K


def test_searching_by_the_model_itself_names_no_other_name(client):
    page = client.get(url("wizard_battery", inverter=PAIR["inverter"], q="byd hvs")).text
    assert "Sold as" not in page
    assert "battery_as=" not in page


def test_an_inverter_found_by_its_rebrand_keeps_that_name(client):
    rebrand = factories.device(kind="inverter", model="Hybrid 5K", aliases=["SunPower X5"])
    page = client.get(url("home", q="sunpower x5")).text
    assert "Sold as SunPower X5" in page
    assert f"inverter={rebrand.slug}&amp;inverter_as=SunPower%20X5" in page


def test_a_name_the_device_is_not_sold_under_is_refused_on_its_field(client):
    page = client.get(url("wizard_result", **PAIR, battery_as="HVS 99"))
    assert page.status_code == 400
    assert "is not sold as &#x27;HVS 99&#x27; in the catalog" in page.text
    body = api_client(None).post("/api/v1/configurations/", {**PAIR, "battery_as": "HVS 99"}, format="json")
    assert body.status_code == 400
    assert "battery_as" in body.json()["error"]["fields"]


def test_the_api_takes_the_name_and_returns_it_and_the_sheet_prints_it(client):
    from tests.configurator.test_sheets import flat

    body = api_client(None).post("/api/v1/configurations/", {**PAIR, "battery_as": "HVS 7.7"}, format="json").json()
    assert body["battery_as"] == "HVS 7.7"
    assert body["result"]["battery"]["sold_as"] == "HVS 7.7"
    sheet = client.get(body["sheet_url"])
    assert "BYD Battery-Box Premium HVS (sold as HVS 7.7)" in flat(sheet.content)
