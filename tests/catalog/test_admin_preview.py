"""Publishing: a draft device is invisible to installers and partners, and the admin previews the result the
wizard would give for it before it is published."""

import pytest
from django.urls import reverse

from catalog.models import Device

pytestmark = pytest.mark.usefixtures("shipped_catalog")


@pytest.fixture
def draft():
    Device.objects.filter(slug="weco-5k3-xp").update(is_published=False)
    return Device.objects.get(slug="weco-5k3-xp")


def test_a_draft_is_hidden_from_the_wizard_and_the_api(client, draft):
    assert client.get("/result/", {"inverter": "deye-hybrid", "battery": draft.slug}).status_code == 404
    assert draft.slug not in client.get("/battery/", {"inverter": "deye-hybrid"}).text
    assert client.get(f"/api/v1/devices/{draft.slug}/").status_code == 404


def test_the_admin_previews_a_draft_pair(admin_client, draft):
    change = admin_client.get(reverse("admin:catalog_device_change", args=[draft.pk]))
    preview_url = reverse("admin:catalog_device_preview", args=[draft.pk])
    assert preview_url in change.text
    assert "(draft)" in change.text
    page = admin_client.get(preview_url, {"with": "deye-hybrid"})
    assert page.status_code == 200
    assert "Draft" in page.text
    assert "DOCUMENTED" in page.text
    assert '<tr data-signal="can_h" ' in page.text
    choice = admin_client.get(preview_url)
    assert 'value="deye-hybrid"' in choice.text


def test_a_preview_with_an_unknown_counterpart_says_so(admin_client, draft):
    page = admin_client.get(reverse("admin:catalog_device_preview", args=[draft.pk]), {"with": "nope"})
    assert page.status_code == 200
    assert "No inverter &#x27;nope&#x27; in the catalog." in page.text
    assert "errornote" in page.text
