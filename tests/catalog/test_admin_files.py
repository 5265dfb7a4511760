"""Catalog files out of the admin: the whole catalog, a manufacturer's or chosen devices, in the exact format
of fixtures/ (the whole download equals the shipped files, byte for byte)."""

import io
import zipfile

import pytest
from django.urls import reverse

from catalog.models import Account, Device, Manufacturer
from tests import factories
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


# --- upload ---------------------------------------------------------------------------------------------------------


def upload(client, name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("admin:catalog_upload"), {"file": SimpleUploadedFile(name, text.encode())})


def changed_device_file(label: str) -> str:
    text = (FIXTURES_DIR / "devices/deye/deye-hybrid.yaml").read_text()
    assert "label: CAN H" in text
    return text.replace("label: CAN H", f"label: {label}", 1)


def test_an_upload_is_checked_then_applied(admin_client):
    checked = upload(admin_client, "deye-hybrid.yaml", changed_device_file("CAN-High"))
    assert checked.status_code == 200
    assert "would change: updated 1 pin assignment" in checked.text
    assert not Device.objects.get(slug="deye-hybrid").ports.filter(pin_assignments__label="CAN-High").exists()
    form = checked.context["apply_form"]
    applied = admin_client.post(
        reverse("admin:catalog_upload"), {"apply": "1", "name": form.initial["name"], "text": form.initial["text"]}
    )
    assert applied.status_code == 302
    assert Device.objects.get(slug="deye-hybrid").ports.filter(pin_assignments__label="CAN-High").exists()


def test_a_broken_upload_names_the_line_and_changes_nothing(admin_client):
    text = changed_device_file("CAN-High").replace("signal: can_h", "signal: can_hi", 1)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "can_hi" in row)
    response = upload(admin_client, "deye-hybrid.yaml", text)
    assert response.status_code == 200
    assert f"deye-hybrid.yaml:{line}" in response.text
    assert "can_hi" in response.text
    assert response.context["apply_form"] is None
    assert not Device.objects.get(slug="deye-hybrid").ports.filter(pin_assignments__label="CAN-High").exists()


def test_not_yaml_is_a_form_error(admin_client):
    response = upload(admin_client, "catalog.exe", "MZ")
    assert "Upload a .yaml or .yml file." in response.text


def test_a_distributor_may_not_upload_another_makers_device(client):
    client.force_login(factories.admin_user("dist", Account.Kind.DISTRIBUTOR, "weco"))
    response = upload(client, "deye-hybrid.yaml", changed_device_file("CAN-High"))
    assert "already exists and belongs to another manufacturer" in response.text
    assert response.context["apply_form"] is None
