"""An inverter used by documented pairings cannot become a battery (or anything else): the database refuses it,
and the API, the upload and the admin say so on the field."""

import pytest
from django.urls import reverse

from catalog.models import Device
from tests import factories
from tests.conftest import FIXTURES_DIR
from tests.security.conftest import admin_form_data
from tests.security.test_catalog_takeover import upload

PAIRED = "deye-hybrid"  # an inverter in many documented pairings

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def kind() -> str:
    return Device.objects.get(slug=PAIRED).kind


def test_the_api_refuses_the_kind_change_on_the_field(tokens):
    response = factories.api_client(tokens["staff"]).patch(
        f"/api/v1/devices/{PAIRED}/", {"kind": "battery"}, format="json"
    )
    assert response.status_code == 400
    assert "documented pairing(s)" in " ".join(response.json()["error"]["fields"]["kind"])
    assert kind() == "inverter"


def test_the_upload_refuses_the_kind_change_with_its_line(admin_client):
    text = (FIXTURES_DIR / f"devices/deye/{PAIRED}.yaml").read_text()
    text = text.replace("kind: inverter", "kind: battery", 1)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "kind: battery" in row)
    response = upload(admin_client, f"{PAIRED}.yaml", text)
    assert f"{PAIRED}.yaml:{line}" in response.text
    assert "device.kind" in response.text
    assert kind() == "inverter"


def test_the_admin_form_refuses_the_kind_change(admin_client):
    device = Device.objects.get(slug=PAIRED)
    url = reverse("admin:catalog_device_change", args=[device.pk])
    data = admin_form_data(admin_client.get(url))
    data["kind"] = "battery"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "kind" in response.context["adminform"].form.errors
    assert kind() == "inverter"
