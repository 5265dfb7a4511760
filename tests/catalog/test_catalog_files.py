"""The catalog files on their own: no database."""

import re
from pathlib import Path

import pytest
import yaml

from catalog.catalog_files import (
    CatalogError,
    CatalogFileError,
    _validator,
    expand_paths,
    load_catalog_files,
    validate_catalog,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHIPPED = expand_paths([FIXTURES])

DEVICE = """\
device:
  slug: acme-box
  manufacturer: acme
  kind: battery
  model: Box
  voltage_class: lv
  source: {document: doc.txt, section: Pins}
  ports:
  - name: CAN
    connector: rj45
    role: inverter_link
    pins:
    - {position: 4, signal: can_h}
    - {position: 5, signal: can_l}
"""
CONTEXT = """\
documents:
- key: doc.txt
  title: A document
manufacturers:
- slug: acme
  name: Acme
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def errors_for(tmp_path: Path, device_text: str) -> list[str]:
    files = load_catalog_files([write(tmp_path, "context.yaml", CONTEXT), write(tmp_path, "device.yaml", device_text)])
    return [str(error) for error in validate_catalog(files)]


def test_shipped_catalog_has_files():
    assert len(SHIPPED) >= 5


@pytest.fixture(scope="module")
def shipped_errors() -> list[CatalogError]:
    """The schema and semantic checks over all shipped files read together, run once for the module."""
    return validate_catalog(load_catalog_files(SHIPPED))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_shipped_file_is_valid(path, shipped_errors):
    assert [str(error) for error in shipped_errors if error.path == str(path)] == []


def test_valid_device_passes(tmp_path):
    assert errors_for(tmp_path, DEVICE) == []


def test_position_beyond_connector_is_reported_with_line_and_key(tmp_path):
    errors = errors_for(tmp_path, DEVICE.replace("{position: 5, signal: can_l}", "{position: 9, signal: can_l}"))
    assert len(errors) == 1
    assert errors[0].startswith(f"{tmp_path / 'device.yaml'}:14: device.ports[0].pins[1].position:")
    assert "beyond the 8 positions" in errors[0]


def test_duplicate_position_is_reported(tmp_path):
    errors = errors_for(tmp_path, DEVICE.replace("{position: 5, signal: can_l}", "{position: 4, signal: can_l}"))
    assert ["position 4 is listed twice" in e for e in errors] == [True]


def test_unknown_signal_fails_the_schema(tmp_path):
    errors = errors_for(tmp_path, DEVICE.replace("signal: can_l", "signal: canl"))
    assert len(errors) == 1
    assert ":14: device.ports[0].pins[1].signal: 'canl' is not a valid choice: one of can_h, can_l" in errors[0]


def test_unknown_manufacturer_and_document_are_reported(tmp_path):
    text = DEVICE.replace("manufacturer: acme", "manufacturer: nobody").replace("document: doc.txt", "document: x.txt")
    errors = errors_for(tmp_path, text)
    assert any(":3: device.manufacturer: unknown manufacturer 'nobody'" in e for e in errors)
    assert any("device.source.document: unknown document 'x.txt'" in e for e in errors)


def test_device_file_must_be_named_after_its_slug(tmp_path):
    files = load_catalog_files(
        [write(tmp_path, "context.yaml", CONTEXT), write(tmp_path, "devices/acme/other-name.yaml", DEVICE)]
    )
    errors = [str(error) for error in validate_catalog(files)]
    assert any("must be named acme-box.yaml" in e for e in errors)


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "broken.yaml", "device:\n  slug: [unclosed\n  kind: battery\n")
    with pytest.raises(CatalogFileError) as caught:
        load_catalog_files([path])
    assert str(caught.value).startswith(f"{path}:3: not valid YAML")


def test_duplicate_keys_are_refused(tmp_path):
    path = write(tmp_path, "dup.yaml", "documents:\n- key: a\n  key: b\n  title: t\n")
    with pytest.raises(CatalogFileError, match="found the key 'key' twice"):
        load_catalog_files([path])


def test_dip_pattern_must_fit_the_bank(tmp_path):
    text = DEVICE + "  dip_banks:\n  - name: DIP\n    switch_count: 6\n    last_pack_pattern: '0000010'\n"
    errors = errors_for(tmp_path, text)
    assert any("device.dip_banks[0].last_pack_pattern: '0000010' has 7 switches, the bank has 6" in e for e in errors)


def test_the_format_guide_examples_pass_the_schema():
    """fixtures/README.md is what distributors copy from: its examples must stay valid."""
    guide = (FIXTURES / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```yaml\n(.*?)```", guide, re.DOTALL)
    assert len(examples) == 2
    validator = _validator()
    for example in examples:
        assert [error.message for error in validator.iter_errors(yaml.safe_load(example))] == []


PAIRING_CONTEXT = (
    DEVICE
    + """\
  - name: RS485
    connector: rj45
    role: inverter_link
    buses: [rs485]
    pins:
    - {position: 1, signal: rs485_n}
    - {position: 2, signal: rs485_p}
"""
)
INVERTER = """\
device:
  slug: acme-inverter
  manufacturer: acme
  kind: inverter
  model: Inverter
  voltage_class: lv_hv
  source: {document: doc.txt, section: Pins}
  ports:
  - name: BMS
    connector: terminal_block
    role: battery_link
    buses: [can]
    pinout: partial
    pins:
    - {terminal: CAN_H, signal: can_h}
    - {terminal: CAN_L, signal: can_l}
"""
PAIRING = """\
pairing:
  slug: acme-box--acme-inverter
  battery: acme-box
  inverter: acme-inverter
  bus: can
  battery_end: {port: CAN}
  inverter_end: {port: BMS}
  documented_by: battery_maker
  source: {document: doc.txt, section: Pins}
  crimp:
  - {signal: can_h, battery: 4, inverter: CAN_H}
  - {signal: can_l, battery: 5, inverter: CAN_L}
"""


def pairing_errors(tmp_path: Path, pairing_text: str) -> list[str]:
    files = load_catalog_files(
        [
            write(tmp_path, "context.yaml", CONTEXT),
            write(tmp_path, "battery.yaml", PAIRING_CONTEXT),
            write(tmp_path, "inverter.yaml", INVERTER),
            write(tmp_path, "pairing.yaml", pairing_text),
        ]
    )
    return [str(error) for error in validate_catalog(files)]


def test_a_terminal_block_may_leave_its_size_unstated_and_a_device_may_be_lv_or_hv(tmp_path):
    assert pairing_errors(tmp_path, PAIRING) == []


def test_a_pairing_on_a_bus_its_port_does_not_carry_is_reported(tmp_path):
    errors = pairing_errors(tmp_path, PAIRING.replace("battery_end: {port: CAN}", "battery_end: {port: RS485}"))
    assert any(
        "pairing.battery_end.port: port 'RS485' of 'acme-box' carries RS485, not the pairing's CAN" in e
        for e in errors
    )


def test_a_crimp_conductor_landing_on_a_pin_of_another_meaning_is_reported(tmp_path):
    swapped = PAIRING.replace(
        "{signal: can_h, battery: 4, inverter: CAN_H}", "{signal: can_h, battery: 5, inverter: CAN_H}"
    )
    errors = pairing_errors(tmp_path, swapped)
    assert any("pairing.crimp[0].battery: a can_h conductor lands on position 5, which is can_l" in e for e in errors)


def test_grounds_of_either_kind_may_be_joined(tmp_path):
    battery = PAIRING_CONTEXT.replace(
        "    - {position: 5, signal: can_l}\n",
        "    - {position: 5, signal: can_l}\n    - {position: 3, signal: can_gnd}\n",
    )
    inverter = INVERTER + "    - {terminal: GND, signal: gnd}\n"
    pairing = PAIRING + "  - {signal: gnd, battery: 3, inverter: GND}\n"
    files = load_catalog_files(
        [
            write(tmp_path, "context.yaml", CONTEXT),
            write(tmp_path, "battery.yaml", battery),
            write(tmp_path, "inverter.yaml", inverter),
            write(tmp_path, "pairing.yaml", pairing),
        ]
    )
    assert validate_catalog(files) == []
