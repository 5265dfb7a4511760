"""DIP switches per pack: binary addresses, protocol bits on the master, last-pack patterns, pack limits."""

import pytest

from configurator.domain.errors import TooManyPacks
from configurator.domain.packs import compute_pack_settings
from configurator.domain.types import DipBankSpec, DipSwitchSpec

# 001: switches 1-4 address (switch 1 least significant), 5-6 protocol; address 0 is the host.
GENERIC = DipBankSpec(
    "DIP", 6, master_address=0, first_slave_address=1, max_packs=16,
    switches=(
        *(DipSwitchSpec(n, "address_bit", n - 1) for n in range(1, 5)),
        DipSwitchSpec(5, "protocol_bit", 0),
        DipSwitchSpec(6, "protocol_bit", 1),
    ),
)  # fmt: skip
# 003: the battery wired to the inverter is ID 1; up to 15 packs.
SOK = DipBankSpec(
    "DIP", 4, master_address=1, first_slave_address=2, max_packs=15,
    switches=tuple(DipSwitchSpec(n, "address_bit", n - 1) for n in range(1, 5)),
)  # fmt: skip
WECO = DipBankSpec("DIP", 8, all_packs_pattern="00000000", last_pack_pattern="00000100")

# The 16 address rows of 001's table: switches #1..#4, ON = 1.
TABLE_001 = {
    0: "0000", 1: "1000", 2: "0100", 3: "1100", 4: "0010", 5: "1010", 6: "0110", 7: "1110",
    8: "0001", 9: "1001", 10: "0101", 11: "1101", 12: "0011", 13: "1011", 14: "0111", 15: "1111",
}  # fmt: skip


def test_001_every_address_row_of_the_table():
    packs = compute_pack_settings(16, GENERIC)
    for pack in packs:
        assert pack.address == pack.index - 1
        assert pack.pattern[:4] == TABLE_001[pack.address], pack.address
        assert pack.pattern[4:] == "00"  # slaves and a host without a protocol choice keep 5-6 OFF
    assert [p.role for p in packs[:2]] == ["master", "slave"]
    assert packs[-1].last
    assert not packs[0].last


@pytest.mark.parametrize(
    ("protocol_pattern", "switches_5_6"),
    [("xxxx00", "00"), ("xxxx01", "01"), ("xxxx10", "10"), ("xxxx11", "11")],  # Luxpower/SRNE, Pylon, Victron, Growatt
)
def test_001_protocol_bits_go_on_the_host_only(protocol_pattern, switches_5_6):
    host, slave = compute_pack_settings(2, GENERIC, protocol_pattern=protocol_pattern)
    assert host.pattern == "0000" + switches_5_6
    assert slave.pattern == "100000"


def test_003_binary_rule_master_is_id_1_and_13_is_switches_1_3_4():
    packs = compute_pack_settings(13, SOK)
    assert (packs[0].address, packs[0].pattern) == (1, "1000")
    assert packs[12].address == 13
    assert [s.position for s in packs[12].switches if s.on] == [1, 3, 4]


def test_too_many_packs_is_a_clear_error_not_a_truncated_list():
    with pytest.raises(TooManyPacks, match="at most 15 packs"):
        compute_pack_settings(16, SOK)
    with pytest.raises(TooManyPacks, match="at most 16 packs"):
        compute_pack_settings(17, GENERIC)
    with pytest.raises(TooManyPacks, match="at most 4 packs"):
        compute_pack_settings(5, None, max_packs=4)


def test_pattern_banks_set_every_pack_alike_and_the_last_slave_apart():
    packs = compute_pack_settings(3, WECO)
    assert [p.pattern for p in packs] == ["00000000", "00000000", "00000100"]
    assert compute_pack_settings(1, WECO)[0].pattern == "00000000"


def test_001_protocol_bits_unknown_for_the_inverter_are_unknown_not_off():
    """All OFF on 5-6 means Luxpower in 001's table: a host whose inverter's row is unknown must not read OFF."""
    host, slave = compute_pack_settings(2, GENERIC, protocol_pattern=None)
    assert host.pattern == "0000??"
    assert host.unknown_positions == (5, 6)
    assert [s.on for s in host.switches[4:]] == [False, False]  # not ON, and not OFF either:
    assert [s.setting for s in host.switches[4:]] == ["unknown", "unknown"]
    assert "set them per the battery's manual" in host.note
    assert slave.pattern == "100000"


def test_an_x_in_a_pattern_is_leave_as_it_is_never_off():
    bank = DipBankSpec("DIP", 4, all_packs_pattern="1x0x", last_pack_pattern="1x1x")
    first, last = compute_pack_settings(2, bank)
    assert (first.pattern, last.pattern) == ("1x0x", "1x1x")
    assert first.leave_positions == (2, 4)
    assert first.on_positions == (1,)
