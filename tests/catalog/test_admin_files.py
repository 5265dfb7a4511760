"""Catalog files out of the admin: the whole catalog, a manufacturer's or chosen devices, in the exact format
of fixtures/ (the whole download equals the shipped files, byte for byte)."""

import io
import zipfile

import pytest
from django.urls import reverse

from catalog.models import Device, Manufacturer
from tests.conftest import FIXTURES_DIR

pytestmark = pytest.mark.usefixtures("shipped_catalog")


def files_of(response) -> dict[str, str]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name.removeprefix("catalog/"): archive.read(name).decode() for name in archive.namelist()}


def test_the_whole_catalog_downloads_as_the_shipped_files(admin_client):
    changelist = admin_client.get(reverse("admin:catalog_device_changelist"))
    assert reverse("admin:catalog_download") in changelist.text
    files = files_of(admin_client.get(reverse("admin:catalog_download")))
    shipped = {str(path.relative_to(FIXTURES_DIR)): path.read_text() for path in FIXTURES_DIR.rglob("*.yaml")}
    assert files == shipped


def test_a_manufacturer_downloads_with_its_devices_and_pairings(admin_client):
    weco = Manufacturer.objects.get(slug="weco")
    response = admin_client.post(
        reverse("admin:catalog_manufacturer_changelist"),
        {"action": "download_manufacturers", "_selected_action": [weco.pk]},
    )
    files = files_of(response)
    devices = sorted(path for path in files if path.startswith("devices/"))
    assert devices == sorted(f"devices/weco/{d.slug}.yaml" for d in Device.objects.filter(manufacturer=weco))
    assert "pairings/weco-5k3-xp--deye-hybrid.yaml" in files
    assert not any(path.startswith("pairings/pylontech-us5000--") for path in files)
    assert {"documents.yaml", "manufacturers.yaml", "protocols.yaml"} <= set(files)


def test_chosen_devices_download(admin_client):
    device = Device.objects.get(slug="deye-hybrid")
    response = admin_client.post(
        reverse("admin:catalog_device_changelist"),
        {"action": "download_devices", "_selected_action": [device.pk]},
    )
    files = files_of(response)
    assert [path for path in files if path.startswith("devices/")] == ["devices/deye/deye-hybrid.yaml"]
    assert files["devices/deye/deye-hybrid.yaml"] == (FIXTURES_DIR / "devices/deye/deye-hybrid.yaml").read_text()
