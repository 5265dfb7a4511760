"""Who may do what in the catalog admin. A distributor (WeCo) reads everything and changes only WeCo's rows;
a reviewer reads; the team changes everything. Direct POSTs that bypass the screens are refused the same way."""

import pytest
from django.urls import reverse

from catalog.models import (
    Account,
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    DocumentedPairing,
    Manufacturer,
    Note,
    PairingConductor,
    PinAssignment,
    Port,
    Protocol,
    Setting,
)
from tests import factories

pytestmark = pytest.mark.usefixtures("shipped_catalog", "weco_switch")


@pytest.fixture
def weco_switch():
    """WeCo's banks are set by whole patterns and list no single switch: give one a labelled switch."""
    bank = DipSwitchBank.objects.filter(device__slug="weco-5k3-xp").first()
    DipSwitch.objects.create(bank=bank, position=1, function="other", label="1")


OWN, OTHER = "weco-5k3-xp", "pylontech-us5000"


@pytest.fixture
def as_role(client, admin_user):
    def login(role: str):
        if role == "superuser":
            client.force_login(admin_user)
        elif role == "distributor":
            client.force_login(factories.admin_user("distributor", Account.Kind.DISTRIBUTOR, "weco"))
        else:
            client.force_login(factories.admin_user("reviewer", Account.Kind.REVIEWER))
        return client

    return login


def rows():
    """One row per manufacturer-owned model: WeCo's (the distributor's own) and another maker's."""
    pairs = {}
    for model, path in [
        (Device, "slug"),
        (Port, "device__slug"),
        (PinAssignment, "port__device__slug"),
        (DeviceProtocol, "device__slug"),
        (DipSwitchBank, "device__slug"),
        (DipSwitch, "bank__device__slug"),
        (Setting, "device__slug"),
        (Note, "device__slug"),
        (DocumentedPairing, "battery__slug"),
        (PairingConductor, "pairing__battery__slug"),
    ]:
        own = model.objects.filter(**{f"{path}__startswith": "weco-"}).order_by("pk").first()
        other = (
            model.objects.exclude(**{f"{path}__startswith": "weco-"})
            .filter(**{f"{path}__in": OTHER_DEVICES})
            .order_by("pk")
            .first()
        )
        assert own is not None, model
        assert other is not None, model
        pairs[model._meta.model_name] = (own, other)
    return pairs


# Devices of other makers that have every kind of row (DIP banks, protocols, settings, notes, pairings).
OTHER_DEVICES = ["generic-lfp-bms", "sok-battery", OTHER, "pylontech-force-h2", "sol-ark-inverter"]
MODELS = [
    "device",
    "port",
    "pinassignment",
    "deviceprotocol",
    "dipswitchbank",
    "dipswitch",
    "setting",
    "note",
    "documentedpairing",
    "pairingconductor",
]


def editable(response) -> bool:
    return 'name="_save"' in response.text


@pytest.mark.parametrize("model", ["device", "port", "pinassignment", "documentedpairing", "manufacturer", "protocol"])
@pytest.mark.parametrize("role", ["superuser", "distributor", "reviewer"])
def test_everyone_in_the_admin_reads_every_list(as_role, role, model):
    assert as_role(role).get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [("superuser", True, True), ("distributor", True, False), ("reviewer", False, False)],
)
@pytest.mark.parametrize("model", MODELS)
def test_change_pages_are_editable_only_in_scope(as_role, role, own, other, model):
    client = as_role(role)
    own_row, other_row = rows()[model]
    for row, expected in ((own_row, own), (other_row, other)):
        page = client.get(reverse(f"admin:catalog_{model}_change", args=[row.pk]))
        assert page.status_code == 200
        assert editable(page) is expected, (model, row)


def test_a_direct_post_outside_the_scope_is_refused_and_changes_nothing(as_role):
    client = as_role("distributor")
    pin = rows()["pinassignment"][1]
    url = reverse("admin:catalog_pinassignment_change", args=[pin.pk])
    response = client.post(url, {"port": pin.port_id, "position": 1, "signal": "vcc", "label": "hacked"})
    assert response.status_code == 403
    pin.refresh_from_db()
    assert pin.label != "hacked"
    delete = client.post(reverse("admin:catalog_device_delete", args=[rows()["device"][1].pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Device.objects.filter(slug=OTHER).exists()


@pytest.mark.parametrize("model", MODELS)
def test_delete_is_refused_outside_the_scope_and_offered_inside_it(as_role, model):
    client = as_role("distributor")
    own, other = rows()[model]
    refused = client.post(reverse(f"admin:catalog_{model}_delete", args=[other.pk]), {"post": "yes"})
    assert refused.status_code == 403
    assert type(other).objects.filter(pk=other.pk).exists()
    offered = client.get(reverse(f"admin:catalog_{model}_delete", args=[own.pk]))
    assert offered.status_code == 200  # the confirmation page (or the list of protected rows)


@pytest.mark.parametrize("model", MODELS)
def test_a_reviewer_deletes_nothing(as_role, model):
    own, _other = rows()[model]
    assert (
        as_role("reviewer").post(reverse(f"admin:catalog_{model}_delete", args=[own.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert type(own).objects.filter(pk=own.pk).exists()


def test_a_distributor_deletes_its_own_row(as_role):
    client = as_role("distributor")
    note = Note.objects.filter(device__slug__startswith="weco-").first()
    response = client.post(reverse("admin:catalog_note_delete", args=[note.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()


def test_a_distributor_changes_its_own_pins(as_role):
    client = as_role("distributor")
    pin = PinAssignment.objects.filter(port__device__slug=OWN, position=1).first()
    url = reverse("admin:catalog_pinassignment_change", args=[pin.pk])
    data = {"port": pin.port_id, "position": pin.position, "terminal": "", "signal": pin.signal}
    data |= {"label": "CAN H (new print)", "channel": "", "note": "", "source": pin.source_id}
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    pin.refresh_from_db()
    assert pin.label == "CAN H (new print)"


def test_a_distributor_adds_devices_only_for_its_manufacturers(as_role):
    client = as_role("distributor")
    page = client.get(reverse("admin:catalog_device_add"))
    assert page.status_code == 200
    choices = page.context["adminform"].form.fields["manufacturer"].queryset
    assert list(choices.values_list("slug", flat=True)) == ["weco"]
    # Shared rows: a distributor may add new protocols (as drafts), sections and documents, never change one;
    # manufacturers are added by the team.
    for model in ("protocol", "source", "document"):
        assert client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200
    assert client.get(reverse("admin:catalog_manufacturer_add")).status_code == 403
    maker = Manufacturer.objects.get(slug="deye")
    assert (
        client.get(reverse("admin:catalog_manufacturer_change", args=[maker.pk])).context["has_change_permission"]
        is False
    )


@pytest.mark.parametrize("model", ["device", "port", "manufacturer", "protocol", "source"])
def test_a_reviewer_adds_nothing(as_role, model):
    assert as_role("reviewer").get(reverse(f"admin:catalog_{model}_add")).status_code == 403


def test_partner_accounts_and_tokens_are_the_teams_business(as_role):
    client = as_role("distributor")
    assert client.get(reverse("admin:catalog_account_changelist")).status_code == 403
    assert client.get(reverse("admin:catalog_apitoken_changelist")).status_code == 403


def test_protocols_stay_read_only_for_distributors(as_role):
    client = as_role("distributor")
    protocol = Protocol.objects.first()
    page = client.get(reverse("admin:catalog_protocol_change", args=[protocol.pk]))
    assert page.status_code == 200
    assert not editable(page)
