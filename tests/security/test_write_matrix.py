"""Role x write path: every way to change the catalog (admin change, add, delete, bulk delete, inline rows,
history revert, file upload, API POST/PUT/PATCH/DELETE) refuses a write of another maker's device
("pylontech-us5000") under the attacker's own manufacturer (WeCo), for every role that may not write it; the
row is unchanged after each attempt. The team's own writes go through (the rule refuses only what it should)."""

import pytest
from django.urls import reverse

from catalog.models import Device, Manufacturer, Port
from tests import factories
from tests.conftest import FIXTURES_DIR
from tests.security.conftest import FOREIGN, OWN, admin_form_data, device_state
from tests.security.test_catalog_takeover import apply, hijacked_device_file

ADMIN_ROLES = ["distributor", "inactive distributor", "reviewer", "partner"]
TOKEN_ROLES = ["distributor", "read-only distributor", "partner", "reviewer", "inactive distributor"]


def foreign():
    return Device.objects.get(slug=FOREIGN)


def admin_change(client):
    device = foreign()
    page_data = {"slug": FOREIGN, "manufacturer": Manufacturer.objects.get(slug="weco").pk, "model": "Taken"}
    return client.post(reverse("admin:catalog_device_change", args=[device.pk]), page_data)


def admin_add(client):
    page = client.get(reverse("admin:catalog_device_add"))
    if page.status_code != 200:
        return page
    data = admin_form_data(page)
    data.update(
        slug=FOREIGN,
        manufacturer=str(Manufacturer.objects.get(slug="weco").pk),
        kind="battery",
        model="Taken",
        voltage_class="lv",
        source=str(foreign().source_id),
    )
    return client.post(reverse("admin:catalog_device_add"), data)


def admin_delete(client):
    return client.post(reverse("admin:catalog_device_delete", args=[foreign().pk]), {"post": "yes"})


def admin_bulk_delete(client):
    data = {"action": "delete_selected", "_selected_action": [foreign().pk], "post": "yes"}
    return client.post(reverse("admin:catalog_device_changelist"), data)


def admin_inline(client):
    """The attacker's own device's change page, with its first port row pointing at Pylontech's port."""
    own = Device.objects.get(slug=OWN)
    page = client.get(reverse("admin:catalog_device_change", args=[own.pk]))
    if page.status_code != 200 or not page.context.get("inline_admin_formsets"):
        return client.post(reverse("admin:catalog_device_change", args=[own.pk]), {})
    data = admin_form_data(page)
    data["ports-0-id"] = str(foreign().ports.first().pk)
    data["ports-0-name"] = "Taken"
    return client.post(reverse("admin:catalog_device_change", args=[own.pk]), data)


def admin_revert(client):
    device = foreign()
    version = device.history.order_by("history_id").first()
    url = reverse("admin:catalog_device_simple_history", args=[device.pk, version.history_id])
    return client.post(url, {"slug": FOREIGN, "manufacturer": Manufacturer.objects.get(slug="weco").pk})


def admin_upload(client):
    return apply(client, "pylontech-us5000.yaml", hijacked_device_file())


def admin_unpublish(client):
    """The changelist's "return to draft" action on the foreign device."""
    data = {"action": "unpublish_devices", "_selected_action": [foreign().pk]}
    return client.post(reverse("admin:catalog_device_changelist"), data)


def admin_publish(client):
    """The foreign device as a draft (as its maker left it), and the attacker's Publish button."""
    Device.objects.filter(slug=FOREIGN).update(is_published=False)
    return client.post(reverse("admin:catalog_device_publish", args=[foreign().pk]))


ADMIN_PATHS = [
    admin_change,
    admin_add,
    admin_delete,
    admin_bulk_delete,
    admin_inline,
    admin_revert,
    admin_upload,
    admin_unpublish,
    admin_publish,
]


FORBIDDEN = {
    admin_change,
    admin_delete,
    admin_revert,
    admin_publish,
}  # a direct POST on the foreign row itself: 403 for every role


@pytest.mark.parametrize("path", ADMIN_PATHS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_no_admin_path_writes_another_makers_device(client, role_user, role, path):
    """Whatever the path answers (403, the form again with its errors, or the page back with nothing done), the
    foreign device, its ports and pins are unchanged and nothing named by the attacker exists."""
    if path is admin_publish:
        Device.objects.filter(slug=FOREIGN).update(is_published=False)
    before = device_state(FOREIGN)
    ports = sorted(Port.objects.filter(device__slug=FOREIGN).values_list("pk", "name"))
    client.force_login(role_user(role))
    response = path(client)
    assert response.status_code < 500
    if path in FORBIDDEN:
        assert response.status_code == 403
    assert device_state(FOREIGN) == before
    assert sorted(Port.objects.filter(device__slug=FOREIGN).values_list("pk", "name")) == ports
    assert not Device.objects.filter(model="Taken").exists()
    assert not Port.objects.filter(name="Taken").exists()


def device_payload(**changes) -> dict:
    import yaml

    data = yaml.safe_load((FIXTURES_DIR / "devices/pylontech/pylontech-us5000.yaml").read_text())["device"]
    return {**data, **changes}


API_PATHS = {
    "POST": lambda api: api.post("/api/v1/devices/", device_payload(manufacturer="weco"), format="json"),
    "PUT": lambda api: api.put(f"/api/v1/devices/{FOREIGN}/", device_payload(manufacturer="weco"), format="json"),
    "PATCH": lambda api: api.patch(f"/api/v1/devices/{FOREIGN}/", {"manufacturer": "weco"}, format="json"),
    "DELETE": lambda api: api.delete(f"/api/v1/devices/{FOREIGN}/"),
}


@pytest.mark.parametrize("method", list(API_PATHS))
@pytest.mark.parametrize("role", TOKEN_ROLES)
def test_no_api_path_writes_another_makers_device(role_token, role, method):
    before = device_state(FOREIGN)
    response = API_PATHS[method](factories.api_client(role_token(role)))
    assert response.status_code in (401, 403, 404), response.content[:500]
    assert set(response.json()) == {"error"}
    assert device_state(FOREIGN) == before


def test_the_team_writes_through_the_same_rule(client, superuser):
    """The superuser's upload of the same file is applied: the rule refuses scope, not the file."""
    client.force_login(superuser)
    response = apply(client, "pylontech-us5000.yaml", hijacked_device_file())
    assert response.status_code == 302
    assert foreign().manufacturer.slug == "weco"


def _selection_page(client, slug: str):
    from catalog.models import DeviceProtocol

    selection = DeviceProtocol.objects.filter(device__slug=slug).order_by("protocol__slug").first()
    url = reverse("admin:catalog_deviceprotocol_change", args=[selection.pk])
    return selection, url, client.get(url)


def test_extra_settings_of_a_protocol_selection_follow_the_selections_device(client, attacker):
    """The extras inline of a protocol selection: a distributor adds one to its own maker's selection (it lands on
    that device); another maker's selection cannot be changed, nor a foreign extra pulled into its own."""
    from catalog.models import Setting

    client.force_login(attacker)
    own, url, page = _selection_page(client, OWN)
    assert page.status_code == 200
    data = admin_form_data(page)
    data.update(
        {"extras-TOTAL_FORMS": "1", "extras-0-position": "1", "extras-0-name": "Err stop", "extras-0-value": "On"}
    )
    data["extras-0-source"] = str(own.source_id)
    assert client.post(url, data).status_code == 302
    (extra,) = own.extras.all()
    assert (extra.device_id, extra.selection_id, extra.name) == (own.device_id, own.pk, "Err stop")

    foreign_selection, foreign_url, _page = _selection_page(client, "sol-ark-inverter")
    before = list(Setting.objects.values_list("pk", "device_id", "selection_id", "name").order_by("pk"))
    stolen = {**data, "extras-0-name": "Taken"}
    assert client.post(foreign_url, stolen).status_code == 403  # not WeCo's: no change permission
    smuggled = {**data, "extras-INITIAL_FORMS": "1", "extras-0-id": str(foreign_selection.extras.get().pk)}
    smuggled["extras-0-name"] = "Taken"
    client.post(url, smuggled)  # Django's formset never loads a row outside this selection's extras
    assert list(Setting.objects.values_list("pk", "device_id", "selection_id", "name").order_by("pk")) == before
    assert foreign_selection.extras.get().name == "BMS_Err_Stop"
