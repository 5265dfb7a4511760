"""Every catalog change is recorded once, with who made it; the History page shows what changed; a revert
restores the row exactly, under the same permissions as editing."""

import pytest
from django.urls import reverse

from catalog.models import Account, PinAssignment
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def pin_data(pin: PinAssignment, **changes) -> dict:
    data = {
        "port": pin.port_id,
        "position": pin.position,
        "terminal": pin.terminal,
        "signal": pin.signal,
        "label": pin.label,
        "channel": "" if pin.channel is None else pin.channel,
        "note": pin.note,
        "source": pin.source_id,
    }
    return {**data, **changes}


def fields(pin: PinAssignment) -> dict:
    return {f.attname: getattr(pin, f.attname) for f in PinAssignment._meta.concrete_fields}


@pytest.fixture
def pin():
    return PinAssignment.objects.filter(port__device__slug="deye-hybrid", position=4).get()


def test_one_record_per_save_with_its_author(admin_client, admin_user, pin):
    before = pin.history.count()
    others = PinAssignment.history.exclude(id=pin.pk).count()
    response = admin_client.post(
        reverse("admin:catalog_pinassignment_change", args=[pin.pk]), pin_data(pin, label="CAN-H (rev 2)")
    )
    assert response.status_code == 302
    assert pin.history.count() == before + 1
    latest = pin.history.first()
    assert (latest.label, latest.history_type, latest.history_user) == ("CAN-H (rev 2)", "~", admin_user)
    assert PinAssignment.history.exclude(id=pin.pk).count() == others  # nothing else was recorded


def test_the_history_page_shows_what_changed(admin_client, pin):
    old_label = pin.label
    admin_client.post(reverse("admin:catalog_pinassignment_change", args=[pin.pk]), pin_data(pin, label="NEW"))
    page = admin_client.get(reverse("admin:catalog_pinassignment_history", args=[pin.pk]))
    assert page.status_code == 200
    assert "NEW" in page.text
    assert old_label in page.text


def test_a_revert_restores_the_row_exactly(admin_client, pin):
    original = fields(pin)
    version = pin.history.first()  # the state before the change
    admin_client.post(
        reverse("admin:catalog_pinassignment_change", args=[pin.pk]),
        pin_data(pin, label="WRONG", note="typo"),
    )
    pin.refresh_from_db()
    assert pin.label == "WRONG"
    url = reverse("admin:catalog_pinassignment_simple_history", args=[pin.pk, version.history_id])
    form = admin_client.get(url)
    assert form.status_code == 200
    reverted = admin_client.post(url, pin_data(version.instance))
    assert reverted.status_code == 302
    pin.refresh_from_db()
    assert fields(pin) == original
    assert pin.history.count() == version.instance.history.count()  # the revert is itself one record


def test_a_distributor_cannot_revert_another_makers_row(client, pin):
    client.force_login(factories.admin_user("dist", Account.Kind.DISTRIBUTOR, "weco"))
    version = pin.history.first()
    url = reverse("admin:catalog_pinassignment_simple_history", args=[pin.pk, version.history_id])
    response = client.post(url, pin_data(pin, label="HACKED"))
    assert response.status_code == 403
    pin.refresh_from_db()
    assert pin.label != "HACKED"


def test_pins_added_on_a_port_page_are_named_in_the_ports_history(admin_client):
    """The port's own fields do not change when pins are added in its inline table: its history says which
    pins were added instead of an empty "Changed" row, and never prints "None"."""
    from tests.security.conftest import admin_form_data

    port = factories.port(pins={4: "can_h"})
    url = reverse("admin:catalog_port_change", args=[port.pk])
    data = admin_form_data(admin_client.get(url))
    prefix = "pin_assignments"
    row = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(row + 1),
            f"{prefix}-{row}-position": "5",
            f"{prefix}-{row}-signal": "can_l",
            f"{prefix}-{row}-source": str(port.source_id),
            f"{prefix}-{row}-port": str(port.pk),
        }
    )
    saved = admin_client.post(url, data)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    page = admin_client.get(reverse("admin:catalog_port_history", args=[port.pk])).text
    assert "Added pin assignment" in page
    assert "None" not in page.split('id="change-history"')[1]
    assert "style=" not in page  # the site's CSP refuses inline styles


def test_a_change_made_outside_the_admin_says_who_is_not_recorded(client, admin_client, pin):
    PinAssignment.objects.filter(pk=pin.pk).update(label="x")  # no history: the page still shows the created row
    page = admin_client.get(reverse("admin:catalog_pinassignment_history", args=[pin.pk])).text
    assert "not recorded (API or file import)" in page
