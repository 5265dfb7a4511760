"""A device entered in the admin or the API starts as a draft installers do not see; publishing runs the catalog
checks and the answer checks over its pairs first, and refuses with the problems listed, changing nothing."""

import pytest
from django.urls import reverse

from catalog.models import Account, Device, DocumentedPairing, PinAssignment
from configurator.publishing import publish_problems
from tests import factories
from tests.conftest import FIXTURES_DIR

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def weco_user():
    return factories.admin_user("weco-editor", Account.Kind.DISTRIBUTOR, "weco")


def _draft_battery(**fields) -> Device:
    """A WeCo battery with a CAN port on RJ45 whose pin table is said to be partial, and no pins yet."""
    from catalog.models import Manufacturer

    fields.setdefault("model", "5K9 Draft")
    battery = factories.device(
        kind="battery", maker=Manufacturer.objects.get(slug="weco"), is_published=False, **fields
    )
    factories.port(on=battery, name="CAN", role="inverter_link", pinout="partial")
    return battery


def _listed_to_installers(client, device: Device) -> bool:
    page = client.get(reverse("wizard_battery"), {"inverter": "deye-hybrid"}).text
    return f'data-slug="{device.slug}"' in page


def test_a_device_added_in_the_admin_is_a_draft(client, weco_user):
    client.force_login(weco_user)
    page = client.get(reverse("admin:catalog_device_add"))
    from tests.security.conftest import admin_form_data

    data = admin_form_data(page)
    data.update(
        slug="weco-new-draft",
        manufacturer=str(page.context["adminform"].form.fields["manufacturer"].queryset.get().pk),
        kind="battery",
        model="New Draft",
        voltage_class="lv",
        source=str(Device.objects.get(slug="weco-5k3-xp").source_id),
        is_published="on",  # not a field of the form: publishing is its own action
    )
    saved = client.post(reverse("admin:catalog_device_add"), data)
    assert saved.status_code == 302, saved.content[:2000]
    assert Device.objects.get(slug="weco-new-draft").is_published is False
    client.logout()
    assert not _listed_to_installers(client, Device.objects.get(slug="weco-new-draft"))


def test_publishing_a_half_entered_device_is_refused_with_the_problem_and_changes_nothing(client, weco_user):
    battery = _draft_battery()
    client.force_login(weco_user)
    url = reverse("admin:catalog_device_publish", args=[battery.pk])
    change_page = client.get(reverse("admin:catalog_device_change", args=[battery.pk])).text
    assert url in change_page  # the "Publish…" button of a draft
    refused = client.post(url)
    assert refused.status_code == 409
    assert "Not published: 1 problem to mend first. Nothing was changed." in refused.text
    assert "port &#x27;CAN&#x27; lists no pins although its pin table is marked" in refused.text
    battery.refresh_from_db()
    assert battery.is_published is False

    port = battery.ports.get()
    for position, signal in ((4, "can_h"), (5, "can_l")):
        PinAssignment.objects.create(port=port, position=position, signal=signal, source=port.source)
    published = client.post(url)
    assert published.status_code == 302
    battery.refresh_from_db()
    assert battery.is_published is True
    assert battery.history.latest().history_user == weco_user  # who published it, in the device's history
    client.logout()
    assert _listed_to_installers(client, battery)


def test_the_publish_action_publishes_what_passes_and_names_what_does_not(client, weco_user):
    half = _draft_battery()
    whole = _draft_battery(slug="weco-whole", model="5K9 Whole")
    whole_port = whole.ports.get()
    PinAssignment.objects.create(port=whole_port, position=4, signal="can_h", source=whole_port.source)
    PinAssignment.objects.create(port=whole_port, position=5, signal="can_l", source=whole_port.source)
    client.force_login(weco_user)
    data = {"action": "publish_devices", "_selected_action": [half.pk, whole.pk]}
    page = client.post(reverse("admin:catalog_device_changelist"), data, follow=True).text
    assert "WeCo 5K9 Whole: published." in page
    assert "WeCo 5K9 Draft: not published, 1 problem, first: port &#x27;CAN&#x27; lists no pins" in page
    assert list(Device.objects.filter(pk__in=[half.pk, whole.pk], is_published=True)) == [whole]
    page = client.post(
        reverse("admin:catalog_device_changelist"), {**data, "action": "unpublish_devices"}, follow=True
    ).text
    assert "WeCo 5K9 Whole: back to draft." in page
    assert not Device.objects.filter(pk=whole.pk, is_published=True).exists()


def test_an_api_device_is_a_draft_unless_published_and_then_checked(client):
    import yaml

    from catalog.tokens import api_token_create

    account = factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    _row, token = api_token_create(account=account, name="sync")
    api = factories.api_client(token)
    data = yaml.safe_load((FIXTURES_DIR / "devices/weco/weco-5k3-xp.yaml").read_text())["device"]
    new = {**data, "slug": "weco-5k3-api", "model": "5K3 API"}
    created = api.post("/api/v1/devices/", new, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["is_published"] is False
    assert "weco-5k3-api" not in factories.api_client(None).get("/api/v1/devices/?page_size=200").text

    half = {**new, "slug": "weco-5k3-half", "model": "5K3 Half", "published": True}
    half["ports"] = [{**half["ports"][0], "pins": []}]
    refused = api.post("/api/v1/devices/", half, format="json")
    assert refused.status_code == 400
    problems = refused.json()["error"]["fields"]["published"]
    assert any("lists no pins" in problem for problem in problems)
    assert not Device.objects.filter(slug="weco-5k3-half").exists()  # nothing kept

    published = api.patch("/api/v1/devices/weco-5k3-api/", {"published": True}, format="json")
    assert published.status_code == 200, published.content
    assert Device.objects.get(slug="weco-5k3-api").is_published is True


def test_every_shipped_device_passes_the_entry_checks():
    """The catalog as shipped would publish: the file and completeness checks find nothing on any device."""
    from catalog.querysets import devices_full
    from configurator.publishing import _completeness_problems, _file_problems

    problems = {device.slug: _file_problems(device) + _completeness_problems(device) for device in devices_full()}
    assert {slug: found for slug, found in problems.items() if found} == {}


@pytest.mark.parametrize("slug", ["weco-5k3-xp", "solis-rhi-48es-5g"])
def test_a_shipped_device_passes_the_answer_checks_over_all_its_pairs(slug):
    assert publish_problems(device=Device.objects.get(slug=slug)) == []


def test_the_answer_checks_pair_a_draft_with_every_published_counterpart():
    """A draft battery is swept with each published inverter, its documented pairings attached (000's WeCo crimp
    table for the Solis RHI), never with drafts."""
    from configurator.services import device_pairs

    factories.device(kind="inverter", slug="draft-inverter", is_published=False)
    pairs = device_pairs(slug="weco-5k3-xp")
    inverters = {pair.inverter.slug for pair in pairs}
    assert inverters == set(Device.objects.filter(kind="inverter", is_published=True).values_list("slug", flat=True))
    documented = {pair.inverter.slug for pair in pairs if pair.pairings}
    assert "solis-rhi-48es-5g" in documented
    assert documented == set(
        DocumentedPairing.objects.filter(battery__slug="weco-5k3-xp").values_list("inverter__slug", flat=True)
    )
