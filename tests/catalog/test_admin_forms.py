"""The catalog admin's forms as a distributor meets them: buses as checkboxes, rows that take their parent's
source when left blank, and makers offered only where the distributor may write."""

import pytest
from django.urls import reverse

from catalog.models import Account, Device, Port
from tests import factories
from tests.security.conftest import admin_form_data

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def weco_client(client):
    client.force_login(factories.admin_user("weco-editor", Account.Kind.DISTRIBUTOR, "weco"))
    return client


def test_buses_are_checkboxes_and_take_can(admin_client):
    port = Port.objects.filter(device__slug="deye-hybrid").first()
    url = reverse("admin:catalog_port_change", args=[port.pk])
    page = admin_client.get(url).text
    assert 'type="checkbox" name="buses" value="can"' in page
    assert 'type="checkbox" name="buses" value="rs485"' in page
    data = admin_form_data(admin_client.get(url))
    data["buses"] = ["can", "rs485"]
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    port.refresh_from_db()
    assert port.buses == ["can", "rs485"]
    data["buses"] = ["CAN"]  # not a bus of the list: the form says so
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "Select a valid choice. CAN is not one of the available choices." in refused.text


def test_ports_and_pins_left_without_a_source_take_their_parents(weco_client):
    device = Device.objects.get(slug="weco-5k3-xp")
    url = reverse("admin:catalog_device_change", args=[device.pk])
    page = weco_client.get(url)
    data = admin_form_data(page)
    row = int(data["ports-TOTAL_FORMS"])
    data.update(
        {
            "ports-TOTAL_FORMS": str(row + 1),
            f"ports-{row}-position": "9",
            f"ports-{row}-name": "CAN 2",
            f"ports-{row}-connector": "rj45",
            f"ports-{row}-positions": "8",
            f"ports-{row}-role": "inverter_link",
            f"ports-{row}-buses": ["can"],
            f"ports-{row}-pinout": "unknown",
            f"ports-{row}-termination": "unknown",
            f"ports-{row}-device": str(device.pk),
            f"ports-{row}-source": "",
        }
    )
    saved = weco_client.post(url, data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    assert Port.objects.get(device=device, name="CAN 2").source_id == device.source_id
    # a new row on the port's page starts with the port's source chosen
    port = Port.objects.get(device=device, name="CAN 2")
    port_page = weco_client.get(reverse("admin:catalog_port_change", args=[port.pk]))
    empty = next(f for f in port_page.context["inline_admin_formsets"] if f.formset.prefix == "pin_assignments")
    assert empty.formset.empty_form["source"].value() == port.source_id


def test_a_distributor_picks_only_its_own_makers(weco_client):
    page = weco_client.get(reverse("admin:catalog_device_add"))
    makers = page.context["adminform"].form.fields["manufacturer"].queryset
    assert [maker.slug for maker in makers] == ["weco"]
    found = weco_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "catalog", "model_name": "port", "field_name": "device", "term": ""},
    ).json()["results"]
    assert found
    assert all(item["text"].startswith("WeCo") for item in found)  # devices of its own maker only
