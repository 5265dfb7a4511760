"""The catalog's vocabularies are the engine's: one list of values and labels (configurator/domain/vocabulary.py)."""

import pytest

from catalog import choices
from configurator.domain import vocabulary

PAIRS = [
    (choices.DeviceKind, vocabulary.DeviceKind),
    (choices.VoltageClass, vocabulary.VoltageClass),
    (choices.Bus, vocabulary.Bus),
    (choices.Connector, vocabulary.Connector),
    (choices.PortRole, vocabulary.PortRole),
    (choices.Pinout, vocabulary.Pinout),
    (choices.Signal, vocabulary.Signal),
    (choices.Termination, vocabulary.TerminationKind),
    (choices.SelectionMethod, vocabulary.SelectionMethod),
    (choices.DipFunction, vocabulary.DipFunction),
    (choices.DocumentedBy, vocabulary.DocumentedBy),
    (choices.SettingSide, vocabulary.SettingSide),
    (choices.NoteKind, vocabulary.NoteKind),
]


@pytest.mark.parametrize(("catalog", "engine"), PAIRS, ids=[engine.__name__ for _, engine in PAIRS])
def test_each_catalog_choice_is_an_engine_value_with_its_own_label(catalog, engine):
    assert catalog.values == [member.value for member in engine]
    assert catalog.labels == [vocabulary.LABELS[engine][member] for member in engine]


def test_a_value_shared_by_two_vocabularies_keeps_each_ones_label():
    assert choices.VoltageClass.UNKNOWN.label == "Not stated"
    assert choices.Pinout.UNKNOWN.label == "Pin table missing in the source"
    assert choices.Termination.UNKNOWN.label == "Unknown"


def test_the_files_and_the_database_read_firmware_conditions_alike():
    import json

    from catalog.firmware import FIRMWARE_REGEX
    from tests.conftest import FIXTURES_DIR

    pairing = json.loads((FIXTURES_DIR / "schema" / "pairing.schema.json").read_text())
    device = json.loads((FIXTURES_DIR / "schema" / "device.schema.json").read_text())
    assert pairing["properties"]["battery_firmware"]["pattern"] == FIRMWARE_REGEX
    assert pairing["properties"]["inverter_firmware"]["pattern"] == FIRMWARE_REGEX
    assert device["$defs"]["device_protocol"]["properties"]["firmware"]["pattern"] == FIRMWARE_REGEX
