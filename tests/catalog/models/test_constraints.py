"""Bad data cannot be stored: each rule is enforced by the database itself, not only by forms."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import (
    Device,
    DeviceProtocol,
    DipSwitch,
    DipSwitchBank,
    DocumentedPairing,
    Note,
    PairingConductor,
    PinAssignment,
    Port,
    Protocol,
    Source,
)
from tests import factories

pytestmark = pytest.mark.django_db


def assert_rejected(constraint: str, create) -> None:
    """The database refuses the row, naming exactly this constraint (or trigger guard)."""
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        create()
    assert caught.value.__cause__.diag.constraint_name == constraint


def test_device_model_unique_per_manufacturer():
    first = factories.device(model="Box")
    assert_rejected(
        "catalog_device_unique_manufacturer_model",
        lambda: factories.device(maker=first.manufacturer, model="Box"),
    )


def test_only_adapters_have_no_voltage_class():
    assert_rejected("catalog_device_voltage_class_applies", lambda: factories.device(voltage_class="n_a"))


def test_max_packs_only_on_batteries():
    assert_rejected("catalog_device_max_packs_battery_only", lambda: factories.device(kind="inverter", max_packs=4))


def test_rj45_has_eight_positions():
    assert_rejected("catalog_port_connector_positions", lambda: factories.port(positions=6))


def test_only_terminal_blocks_and_other_connectors_may_leave_their_size_unstated():
    assert_rejected("catalog_port_count_known_for_modular_connectors", lambda: factories.port(positions=None))
    block = factories.port(connector="terminal_block", positions=None, pins={14: "can_h"})
    pin = block.pin_assignments.get()
    pin.full_clean()  # a position on a block of unknown size is not "beyond" it
    assert pin.position == 14


def test_port_buses_are_known():
    assert_rejected("catalog_port_buses_known", lambda: factories.port(buses=["ethernet"]))


def test_port_names_unique_per_device():
    port = factories.port()
    assert_rejected("catalog_port_unique_device_name", lambda: factories.port(on=port.device, name=port.name))


def test_pin_position_within_the_port():
    port = factories.port()
    assert_rejected(
        "catalog_pinassignment_position_within_port",
        lambda: PinAssignment.objects.create(port=port, position=9, signal="can_h", source=port.source),
    )


def test_port_cannot_shrink_below_its_pins():
    port = factories.port(connector="terminal_block", positions=16, pins={12: "gnd"})
    port.positions = 10
    assert_rejected("catalog_port_positions_cover_pins", port.save)


def test_pin_position_unique_per_port():
    port = factories.port(pins={4: "can_h"})
    assert_rejected(
        "catalog_pinassignment_unique_port_position",
        lambda: PinAssignment.objects.create(port=port, position=4, signal="can_l", source=port.source),
    )


def test_pin_has_position_or_terminal():
    port = factories.port()
    assert_rejected(
        "catalog_pinassignment_position_or_terminal",
        lambda: PinAssignment.objects.create(port=port, signal="can_l", source=port.source),
    )


def test_source_needs_a_section():
    assert_rejected(
        "catalog_source_section_not_empty",
        lambda: Source.objects.create(document=factories.source().document, section=""),
    )


def test_protocol_bitrate_plausible():
    assert_rejected(
        "catalog_protocol_bitrate_plausible",
        lambda: Protocol.objects.create(slug="x", name="X", bus="can", bitrate=5, source=factories.source()),
    )


def test_dip_selection_is_a_pattern():
    protocol = Protocol.objects.create(slug="p", name="P", bus="can", source=factories.source())
    assert_rejected(
        "catalog_deviceprotocol_dip_pattern",
        lambda: DeviceProtocol.objects.create(
            device=factories.device(), protocol=protocol, method="dip", value="on-off", source=protocol.source
        ),
    )


def make_bank(**fields) -> DipSwitchBank:
    return DipSwitchBank.objects.create(device=factories.device(), name="DIP", source=factories.source(), **fields)


def test_dip_pattern_length_matches_the_bank():
    assert_rejected(
        "catalog_dipswitchbank_last_pack_pattern_fits", lambda: make_bank(switch_count=8, last_pack_pattern="0001")
    )


def test_dip_switch_within_the_bank():
    bank = make_bank(switch_count=4)
    assert_rejected(
        "catalog_dipswitch_position_within_bank",
        lambda: DipSwitch.objects.create(bank=bank, position=5, function="unused"),
    )


def test_address_switches_say_which_bit():
    bank = make_bank(switch_count=4)
    assert_rejected(
        "catalog_dipswitch_bit_for_bit_functions",
        lambda: DipSwitch.objects.create(bank=bank, position=1, function="address_bit"),
    )


def test_two_switches_cannot_set_the_same_bit():
    bank = make_bank(switch_count=4)
    DipSwitch.objects.create(bank=bank, position=1, function="address_bit", bit=0)
    assert_rejected(
        "catalog_dipswitch_unique_bank_function_bit",
        lambda: DipSwitch.objects.create(bank=bank, position=2, function="address_bit", bit=0),
    )


def make_pairing(**fields) -> DocumentedPairing:
    battery = factories.device()
    inverter = factories.device(kind="inverter")
    values = {"slug": "a--b", "battery": battery, "inverter": inverter, "bus": "can", "documented_by": "battery_maker"}
    return DocumentedPairing.objects.create(source=factories.source(), **{**values, **fields})


def test_pairing_is_over_can_or_rs485():
    assert_rejected("catalog_documentedpairing_link_bus", lambda: make_pairing(bus="rs232"))


def test_pairing_joins_two_devices():
    """A battery cannot be its own inverter: the kind guard refuses it before the two-devices check."""
    battery = factories.device()
    assert_rejected(
        "catalog_documentedpairing_devices_of_their_kind", lambda: make_pairing(battery=battery, inverter=battery)
    )


@pytest.mark.parametrize("role", ["battery", "inverter"])
def test_pairing_sides_are_devices_of_their_kind(role):
    adapter = factories.device(kind="adapter", voltage_class="n_a")
    assert_rejected("catalog_documentedpairing_devices_of_their_kind", lambda: make_pairing(**{role: adapter}))


def test_paired_device_keeps_its_kind_in_the_database():
    pairing = make_pairing()
    battery = pairing.battery
    assert_rejected(
        "catalog_device_kind_fixed_while_paired",
        lambda: Device.objects.filter(pk=battery.pk).update(kind="adapter", voltage_class="n_a"),
    )
    battery.refresh_from_db()
    assert battery.kind == "battery"


def test_paired_device_kind_change_is_a_field_error():
    battery = make_pairing().battery
    battery.kind = "inverter"
    with pytest.raises(ValidationError) as caught:
        battery.full_clean()
    assert "kind" in caught.value.message_dict


def test_unpaired_device_may_change_kind():
    device = factories.device()
    Device.objects.filter(pk=device.pk).update(kind="inverter")
    device.refresh_from_db()
    assert device.kind == "inverter"


def test_conductor_has_one_end_at_least():
    pairing = make_pairing()
    assert_rejected(
        "catalog_pairingconductor_one_end_at_least",
        lambda: PairingConductor.objects.create(pairing=pairing, signal="can_h"),
    )


def test_note_belongs_to_device_xor_pairing():
    assert_rejected(
        "catalog_note_on_device_xor_pairing", lambda: Note.objects.create(text="loose", source=factories.source())
    )


def test_full_clean_reports_the_same_rules_as_field_errors():
    """The admin and the importer call full_clean(): the rules above surface as readable errors there."""
    port = factories.port()
    pin = PinAssignment(port=port, position=9, signal="can_h", source=port.source)
    with pytest.raises(ValidationError) as caught:
        pin.full_clean()
    assert caught.value.message_dict["position"] == ["Position 9 is beyond the 8 positions of this port."]

    device = Device(
        manufacturer=factories.manufacturer(),
        kind="inverter",
        model="X",
        slug="x",
        voltage_class="lv",
        max_packs=3,
        source=factories.source(),
    )
    with pytest.raises(ValidationError, match="Only batteries have a maximum pack count"):
        device.full_clean()


def test_port_clean_refuses_shrinking_below_its_pins():
    port = factories.port(connector="terminal_block", positions=16, pins={12: "gnd"})
    port.positions = 10
    with pytest.raises(ValidationError) as caught:
        Port.full_clean(port)
    assert "at least that many positions" in str(caught.value)
