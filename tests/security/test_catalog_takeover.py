"""A distributor cannot take over another maker's rows through a catalog file, whatever path carries the file
(admin upload, import command): a row is judged as it is stored now and as it would be written. Every refusal
names the file's line and key, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.models import Document, DocumentedPairing, Manufacturer
from configurator.services import configuration_build
from tests.conftest import FIXTURES_DIR
from tests.security.conftest import FOREIGN, device_state

PAIRING = "byd-battery-box-premium-hvm--solis-rhi-3p-hves-5g"


def upload(client, name: str, text: str):
    return client.post(reverse("admin:catalog_upload"), {"file": SimpleUploadedFile(name, text.encode())})


def apply(client, name: str, text: str):
    """The "Apply" button, posted directly (a crafted request skips the check step)."""
    return client.post(reverse("admin:catalog_upload"), {"apply": "1", "name": name, "text": text})


def line_of(text: str, fragment: str) -> int:
    return next(n for n, row in enumerate(text.splitlines(), start=1) if fragment in row)


def hijacked_device_file() -> str:
    text = (FIXTURES_DIR / "devices/pylontech/pylontech-us5000.yaml").read_text()
    text = text.replace("manufacturer: pylontech", "manufacturer: weco", 1)
    return text.replace("description: Use the CAN cable provided by Pylontech.", "description: Now WeCo's.", 1)


def rewired_pairing_file() -> str:
    return (
        "pairing:\n"
        f"  slug: {PAIRING}\n"
        "  battery: weco-5k3-xp\n"
        "  inverter: solis-rhi-3p-hves-5g\n"
        "  bus: can\n"
        "  documented_by: battery_maker\n"
        "  source: {document: 002_c222e5cb0cff1dc1.txt, section: WECO 5K3 XP}\n"
    )


def retitled_document_file() -> str:
    return "documents:\n- key: 000_630895463bb398d7.txt\n  title: 'WeCo says: any battery works'\n"


@pytest.mark.parametrize("submit", [upload, apply], ids=["check", "apply"])
def test_an_upload_cannot_move_another_makers_device_to_the_uploader(client, attacker, submit):
    before = device_state(FOREIGN)
    text = hijacked_device_file()
    client.force_login(attacker)
    response = submit(client, "pylontech-us5000.yaml", text)
    assert response.status_code == 200
    assert f"pylontech-us5000.yaml:{line_of(text, 'slug: pylontech-us5000')}" in response.text
    assert "device.slug" in response.text
    assert "already exists and belongs to another manufacturer" in response.text
    assert device_state(FOREIGN) == before
    assert Manufacturer.objects.get(devices__slug=FOREIGN).slug == "pylontech"


@pytest.mark.parametrize("submit", [upload, apply], ids=["check", "apply"])
def test_an_upload_cannot_rewire_another_makers_pairing(client, attacker, submit):
    pairing = DocumentedPairing.objects.get(slug=PAIRING)
    before = (pairing.battery_id, pairing.inverter_id, pairing.documented_by, pairing.source_id)
    client.force_login(attacker)
    response = submit(client, f"{PAIRING}.yaml", rewired_pairing_file())
    assert response.status_code == 200
    assert f"{PAIRING}.yaml:2" in response.text  # the slug's line
    assert "already exists and belongs to another manufacturer" in response.text
    pairing.refresh_from_db()
    assert (pairing.battery_id, pairing.inverter_id, pairing.documented_by, pairing.source_id) == before
    verdict = configuration_build(battery="byd-battery-box-premium-hvm", inverter="solis-rhi-3p-hves-5g").verdict
    assert verdict == "documented"


@pytest.mark.parametrize("submit", [upload, apply], ids=["check", "apply"])
def test_an_upload_cannot_retitle_a_shared_document(client, attacker, submit):
    before = Document.objects.get(key="000_630895463bb398d7.txt").title
    client.force_login(attacker)
    response = submit(client, "documents.yaml", retitled_document_file())
    assert response.status_code == 200
    assert "documents.yaml:2" in response.text
    assert "only the team may change it" in response.text
    assert Document.objects.get(key="000_630895463bb398d7.txt").title == before


def test_a_distributor_may_add_a_new_document_but_not_a_manufacturer(client, attacker):
    """Documents are added by whoever transcribes from them; manufacturers by the team, which links them to a
    distributor's account (catalog.rules)."""
    document = "documents:\n- key: weco-datasheet-2026.pdf\n  title: WeCo datasheet 2026\n"
    client.force_login(attacker)
    response = apply(client, "new.yaml", document + "manufacturers:\n- slug: weco-oem\n  name: WeCo OEM line\n")
    assert response.status_code == 200
    assert "new.yaml:5" in response.text
    assert "only the team adds manufacturers" in response.text
    assert not Document.objects.filter(key="weco-datasheet-2026.pdf").exists()  # nothing of the file was kept
    assert not Manufacturer.objects.filter(slug="weco-oem").exists()
    response = apply(client, "new.yaml", document)
    assert response.status_code == 302, response.text[:3000]
    assert Document.objects.filter(key="weco-datasheet-2026.pdf").exists()


def test_an_identical_shared_row_in_a_distributors_file_is_no_change(client, attacker):
    """Re-uploading an export (which carries the shared documents) is allowed: nothing in them changes."""
    client.force_login(attacker)
    response = upload(client, "documents.yaml", (FIXTURES_DIR / "documents.yaml").read_text())
    assert response.status_code == 200
    assert "already up to date" in response.text


def test_the_import_command_as_a_distributor_refuses_the_takeover_with_file_and_line(attacker, tmp_path, capsys):
    path = tmp_path / "pylontech-us5000.yaml"
    text = hijacked_device_file()
    path.write_text(text)
    before = device_state(FOREIGN)
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), "--as-user", attacker.username)
    assert f"pylontech-us5000.yaml:{line_of(text, 'slug: pylontech-us5000')}" in capsys.readouterr().err
    assert device_state(FOREIGN) == before


def test_the_import_command_as_a_distributor_applies_its_own_device(attacker, tmp_path):
    path = tmp_path / "weco-5k3-xp.yaml"
    path.write_text((FIXTURES_DIR / "devices/weco/weco-5k3-xp.yaml").read_text().replace("model: ", "model: New ", 1))
    call_command("import_catalog", str(path), "--as-user", attacker.username)
    assert Manufacturer.objects.get(slug="weco").devices.filter(model__startswith="New ").count() == 1


def test_a_german_distributor_is_refused_in_german_and_nothing_is_written(client, attacker):
    """The refusal is the same rule in the reader's language (catalog.rules): still the line, still nothing written."""
    before = device_state(FOREIGN)
    text = hijacked_device_file()
    client.force_login(attacker)
    response = client.post(
        reverse("admin:catalog_upload"),
        {"file": SimpleUploadedFile("pylontech-us5000.yaml", text.encode())},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    assert f"pylontech-us5000.yaml:{line_of(text, 'slug: pylontech-us5000')}" in response.text
    assert "existiert bereits und gehört einem anderen Hersteller" in response.text
    assert "Katalogdatei hochladen" in response.text
    assert device_state(FOREIGN) == before
