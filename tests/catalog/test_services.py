"""Importing and exporting catalog files against the database."""

import shutil
from pathlib import Path

import pytest
from django.apps import apps

from catalog.exporting import catalog_export
from catalog.importing import CatalogFileError, catalog_import
from catalog.models import Device, DocumentedPairing, PinAssignment
from catalog.rules import TEAM_ACTOR
from tests.conftest import FIXTURES_DIR, SHIPPED_DEVICE_FILES, SHIPPED_PAIRING_FILES


def catalog_rows() -> dict[str, list]:
    """Every row of every catalog table, to compare the database before and after."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("catalog").get_models()
    }


def copy_fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES_DIR, target)
    return target


def test_import_into_an_empty_database_loads_every_file(empty_catalog):
    report = catalog_import(paths=[FIXTURES_DIR], actor=TEAM_ACTOR)
    assert report.created["devices"] == len(SHIPPED_DEVICE_FILES) == Device.objects.count()
    assert report.created["documented pairings"] == len(SHIPPED_PAIRING_FILES) == DocumentedPairing.objects.count()
    assert Device.objects.filter(slug="weco-5k3-xp", kind="battery").exists()
    pairing = DocumentedPairing.objects.get(slug="weco-5k3-xp--solis-s5-eh1p-l")
    crimp = [
        (c.signal, c.battery_pin.position, c.inverter_pin.position)
        for c in pairing.conductors.select_related("battery_pin", "inverter_pin")
    ]
    assert crimp == [("gnd", 3, 2), ("can_l", 2, 5), ("can_h", 1, 4)]


def test_second_import_changes_nothing(shipped_catalog):
    before = catalog_rows()
    report = catalog_import(paths=[FIXTURES_DIR], actor=TEAM_ACTOR)
    assert not report.changed
    assert "nothing changed" in report.summary()
    assert catalog_rows() == before


def test_import_updates_and_deletes_what_a_file_changed(shipped_catalog, tmp_path):
    fixtures = copy_fixtures(tmp_path)
    device_file = fixtures / "devices" / "pylontech" / "pylontech-us5000.yaml"
    text = device_file.read_text()
    text = text.replace("    - {position: 6, signal: can_gnd, label: CAN-GND}\n", "", 1)
    text = text.replace("model: US5000", "model: US5000C")
    device_file.write_text(text)

    report = catalog_import(paths=[fixtures], actor=TEAM_ACTOR)

    assert report.updated["devices"] == 1
    assert report.deleted["pin assignments"] == 1
    assert Device.objects.get(slug="pylontech-us5000").model == "US5000C"
    us5000 = PinAssignment.objects.filter(port__device__slug="pylontech-us5000", position=6)
    assert list(us5000.values_list("port__name", flat=True)) == ["B/RS485"]


def test_broken_file_aborts_the_whole_import(db, tmp_path):
    fixtures = copy_fixtures(tmp_path)
    broken = fixtures / "devices" / "weco" / "weco-5k3-xp.yaml"
    broken.write_text(broken.read_text().replace("{position: 3, signal: gnd", "{position: 12, signal: gnd"))
    before = catalog_rows()

    with pytest.raises(CatalogFileError) as caught:
        catalog_import(paths=[fixtures], actor=TEAM_ACTOR)

    message = str(caught.value)
    assert "weco-5k3-xp.yaml:" in message
    assert "device.ports[0].pins[2].position: position 12 is beyond the 8 positions" in message
    assert catalog_rows() == before


def test_dry_run_reports_without_writing(empty_catalog):
    report = catalog_import(paths=[FIXTURES_DIR], actor=TEAM_ACTOR, dry_run=True)
    assert report.created["devices"] == len(SHIPPED_DEVICE_FILES)
    assert "would change" in report.summary()
    assert not Device.objects.exists()


def test_a_single_device_file_can_refer_to_what_the_database_holds(shipped_catalog, tmp_path):
    device_file = tmp_path / "extra.yaml"
    device_file.write_text(
        "device:\n  slug: weco-9k9\n  manufacturer: weco\n  kind: battery\n  model: 9K9\n  voltage_class: lv\n"
        "  source: {document: 000_630895463bb398d7.txt, section: 'WeCo: 5K3 XP / 4K4 LT'}\n"
    )
    report = catalog_import(paths=[device_file], actor=TEAM_ACTOR)
    assert report.created["devices"] == 1


def test_export_reproduces_the_shipped_files_exactly(shipped_catalog, tmp_path):
    written = catalog_export(outdir=tmp_path)
    shipped = sorted(p.relative_to(FIXTURES_DIR) for p in FIXTURES_DIR.rglob("*.yaml"))
    assert sorted(p.relative_to(tmp_path) for p in written) == shipped
    for relative in shipped:
        assert (tmp_path / relative).read_text() == (FIXTURES_DIR / relative).read_text(), relative


def test_a_database_constraint_the_file_checks_miss_is_reported_with_its_file_and_meaning(shipped_catalog, tmp_path):
    twin = tmp_path / "twin.yaml"
    twin.write_text(
        "device:\n  slug: us5000-twin\n  manufacturer: pylontech\n  kind: battery\n  model: US5000\n"
        "  voltage_class: lv\n  source: {document: 000_630895463bb398d7.txt, section: 'PylonTech: US5000'}\n"
    )
    before = catalog_rows()
    with pytest.raises(CatalogFileError) as caught:
        catalog_import(paths=[twin], actor=TEAM_ACTOR)
    assert str(caught.value).endswith(
        "twin.yaml:1: device: rejected by the database: another device already has the same manufacturer, model "
        "(catalog_device_unique_manufacturer_model)"
    )
    assert catalog_rows() == before
