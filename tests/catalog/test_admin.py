"""The catalog admin: every page opens, list pages cost the same queries whatever the catalog size, and bad
pin data comes back as a form error on its row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import DipSwitchBank, PinAssignment, Port
from tests import factories

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "document",
    "source",
    "manufacturer",
    "device",
    "port",
    "pinassignment",
    "protocol",
    "deviceprotocol",
    "dipswitchbank",
    "dipswitch",
    "setting",
    "note",
    "documentedpairing",
    "pairingconductor",
    "account",
    "apitoken",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_opens_with_the_shipped_catalog(admin_client, shipped_catalog, model):
    response = admin_client.get(reverse(f"admin:catalog_{model}_changelist"))
    assert response.status_code == 200


def test_device_change_page_shows_its_ports(admin_client, shipped_catalog):
    port = Port.objects.get(device__slug="pylontech-us5000", name="A/CAN")
    response = admin_client.get(reverse("admin:catalog_device_change", args=[port.device_id]))
    assert response.status_code == 200
    assert "A/CAN" in response.text


def changelist_queries(client, model: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
    return len(queries)


@pytest.mark.parametrize("model", ["device", "port", "pinassignment", "dipswitchbank"])
def test_changelist_queries_do_not_grow_with_the_catalog(admin_client, model):
    """No N+1: the same number of queries for 2 devices as for 20."""
    for _ in range(2):
        add_device_with_port_and_bank()
    small = changelist_queries(admin_client, model)
    for _ in range(18):
        add_device_with_port_and_bank()
    assert changelist_queries(admin_client, model) == small


def add_device_with_port_and_bank() -> None:
    port = factories.port(pins={4: "can_h", 5: "can_l"})
    DipSwitchBank.objects.create(device=port.device, name="DIP", switch_count=4, source=port.source)


def inline_post(port: Port, position: int) -> dict:
    return {
        "device": port.device_id,
        "position": 1,
        "name": port.name,
        "connector": "rj45",
        "positions": 8,
        "role": "inverter_link",
        "buses": "can",
        "pinout": "complete",
        "termination": "unknown",
        "termination_note": "",
        "note": "",
        "source": port.source_id,
        "pin_assignments-TOTAL_FORMS": 1,
        "pin_assignments-INITIAL_FORMS": 0,
        "pin_assignments-MIN_NUM_FORMS": 0,
        "pin_assignments-MAX_NUM_FORMS": 1000,
        "pin_assignments-0-position": position,
        "pin_assignments-0-terminal": "",
        "pin_assignments-0-signal": "can_h",
        "pin_assignments-0-label": "CANH",
        "pin_assignments-0-channel": "",
        "pin_assignments-0-note": "",
        "pin_assignments-0-source": port.source_id,
    }


def test_pin_beyond_the_port_is_a_form_error_not_a_crash(admin_client):
    port = factories.port()
    response = admin_client.post(reverse("admin:catalog_port_change", args=[port.pk]), inline_post(port, 9))
    assert response.status_code == 200
    assert "Position 9 is beyond the 8 positions of this port." in response.text
    assert not PinAssignment.objects.filter(port=port).exists()


def test_valid_pin_is_saved_from_the_port_page(admin_client):
    port = factories.port()
    response = admin_client.post(reverse("admin:catalog_port_change", args=[port.pk]), inline_post(port, 4))
    assert response.status_code == 302
    assert PinAssignment.objects.get(port=port).position == 4


def test_pin_beyond_the_port_on_a_new_port_is_a_form_error(admin_client):
    """On the add page the pins are validated before the port exists: still a form error, never a 500."""
    port = factories.port(name="template")
    data = inline_post(port, 9) | {"name": "New port"}
    response = admin_client.post(reverse("admin:catalog_port_add"), data)
    assert response.status_code == 200
    assert "Position 9 is beyond the 8 positions of this port." in response.text
    assert not Port.objects.filter(name="New port").exists()


def test_the_port_page_draws_the_connector_face_and_follows_the_form(admin_client, shipped_catalog):
    port = Port.objects.get(device__slug="pylontech-us5000", name="A/CAN")
    page = admin_client.get(reverse("admin:catalog_port_change", args=[port.pk]))
    assert 'class="connector-face"' in page.text
    assert reverse("admin:catalog_port_face") in page.text
    form = {
        "connector": "rj45",
        "positions": "8",
        "pin_assignments-TOTAL_FORMS": "3",
        "pin_assignments-0-position": "4",
        "pin_assignments-0-signal": "can_h",
        "pin_assignments-0-label": "CAN-H",
        "pin_assignments-1-position": "5",
        "pin_assignments-1-signal": "can_l",
        "pin_assignments-2-position": "6",
        "pin_assignments-2-signal": "gnd",
        "pin_assignments-2-DELETE": "on",
    }
    face = admin_client.post(reverse("admin:catalog_port_face"), form)
    assert face.status_code == 200
    assert face.text.startswith("<svg")
    assert 'data-position="4"' in face.text
    assert "CAN_H" in face.text
    assert "CAN_L" in face.text
    assert "GND" not in face.text  # the row marked for deletion
    assert face.text.count('class="pin-number"') == 8


def test_the_admin_index_is_branded_and_grouped_by_task(admin_client):
    page = admin_client.get("/admin/").text
    assert "<title>Catalog administration | Configurator admin</title>" in page
    assert "Battery ↔ inverter configurator" in page
    groups = ["Catalog: devices", "Catalog: shared references", "Pairings", "From installers", "Accounts"]
    positions = [page.find(f">{name}<") for name in groups]
    assert -1 not in positions
    assert positions == sorted(positions)
    devices_group = page[positions[0] : positions[1]]
    assert "Pin assignments" in devices_group
    assert "Manufacturers" not in devices_group
