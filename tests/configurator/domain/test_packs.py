"""DIP switches per pack: binary addresses, protocol bits on the master, last-pack patterns, pack limits."""

import pytest

from configurator.domain.errors import TooManyPacks
from configurator.domain.findings import Code
from configurator.domain.packs import compute_pack_settings, pack_limit
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


def pattern(pack) -> str:
    return "".join(bank.pattern for bank in pack.banks)


def codes(pack) -> list[str]:
    return [note.code for note in pack.notes]


# The 16 address rows of 001's table: switches #1..#4, ON = 1.
TABLE_001 = {
    0: "0000", 1: "1000", 2: "0100", 3: "1100", 4: "0010", 5: "1010", 6: "0110", 7: "1110",
    8: "0001", 9: "1001", 10: "0101", 11: "1101", 12: "0011", 13: "1011", 14: "0111", 15: "1111",
}  # fmt: skip


def test_001_every_address_row_of_the_table():
    packs = compute_pack_settings(16, GENERIC)
    for pack in packs:
        assert pack.address == pack.index - 1
        assert pattern(pack)[:4] == TABLE_001[pack.address], pack.address
        assert pattern(pack)[4:] == "00"  # slaves and a host without a protocol choice keep 5-6 OFF
    assert [p.role for p in packs[:2]] == ["master", "slave"]
    assert packs[-1].last
    assert not packs[0].last


@pytest.mark.parametrize(
    ("protocol_pattern", "switches_5_6"),
    [("xxxx00", "00"), ("xxxx01", "01"), ("xxxx10", "10"), ("xxxx11", "11")],  # Luxpower/SRNE, Pylon, Victron, Growatt
)
def test_001_protocol_bits_go_on_the_host_only(protocol_pattern, switches_5_6):
    host, slave = compute_pack_settings(2, GENERIC, protocol_pattern=protocol_pattern)
    assert pattern(host) == "0000" + switches_5_6
    assert pattern(slave) == "100000"


def test_003_binary_rule_master_is_id_1_and_13_is_switches_1_3_4():
    packs = compute_pack_settings(13, SOK)
    assert (packs[0].address, pattern(packs[0])) == (1, "1000")
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
    assert [pattern(p) for p in packs] == ["00000000", "00000000", "00000100"]
    assert pattern(compute_pack_settings(1, WECO)[0]) == "00000000"


def test_001_protocol_bits_unknown_for_the_inverter_are_unknown_not_off():
    """All OFF on 5-6 means Luxpower in 001's table: a host whose inverter's row is unknown must not read OFF."""
    host, slave = compute_pack_settings(2, GENERIC, protocol_pattern=None)
    assert pattern(host) == "0000??"
    assert host.banks[0].positions("unknown") == (5, 6)
    assert [s.on for s in host.switches[4:]] == [False, False]  # not ON, and not OFF either:
    assert [s.state for s in host.switches[4:]] == ["unknown", "unknown"]
    assert codes(host) == [Code.PACKS_PROTOCOL_UNKNOWN]
    assert pattern(slave) == "100000"


def test_an_x_in_a_pattern_is_leave_as_it_is_never_off():
    bank = DipBankSpec("DIP", 4, all_packs_pattern="1x0x", last_pack_pattern="1x1x")
    first, last = compute_pack_settings(2, bank)
    assert (pattern(first), pattern(last)) == ("1x0x", "1x1x")
    assert first.banks[0].positions("leave") == (2, 4)
    assert first.banks[0].positions("on") == (1,)


def test_an_address_bank_with_a_last_pack_pattern_sets_the_last_pack_apart():
    """The last pack's pattern gives what it fixes (here: switch 5, its terminator) over the address bits' x."""
    bank = DipBankSpec(
        "ADDR", 5, master_address=0, last_pack_pattern="xxxx1",
        switches=(*(DipSwitchSpec(n, "address_bit", n - 1) for n in range(1, 5)), DipSwitchSpec(5, "other")),
    )  # fmt: skip
    _first, middle, last = compute_pack_settings(3, bank)
    assert pattern(last) == "01001"  # address 2, and the last pack's own switch 5 ON
    assert pattern(middle) == "1000?"  # switch 5 is not given for the other packs: unknown, never OFF
    assert Code.PACKS_LAST_OWN in codes(last)


def test_termination_switches_follow_the_termination_plan():
    bank = DipBankSpec(
        "DIP", 5, master_address=1,
        switches=(*(DipSwitchSpec(n, "address_bit", n - 1) for n in range(1, 5)), DipSwitchSpec(5, "termination")),
    )  # fmt: skip
    packs = compute_pack_settings(3, bank, terminated_packs=frozenset({1, 3}))
    assert [pack.switches[4].state for pack in packs] == ["on", "off", "on"]
    alone = compute_pack_settings(3, bank, terminated_packs=frozenset({3}))
    assert [pack.switches[4].state for pack in alone] == ["off", "off", "on"]


def test_a_baud_switch_is_unknown_and_said_so():
    bank = DipBankSpec(
        "DIP", 2, master_address=0, switches=(DipSwitchSpec(1, "address_bit", 0), DipSwitchSpec(2, "baud"))
    )
    (pack,) = compute_pack_settings(1, bank)
    assert pattern(pack) == "0?"
    assert Code.PACKS_BAUD_UNKNOWN in codes(pack)


def test_every_bank_of_the_battery_is_read():
    second = DipBankSpec("SW2", 3, all_packs_pattern="1x0")
    first, last = compute_pack_settings(2, (SOK, second))
    assert [bank.name for bank in first.banks] == ["DIP", "SW2"]
    assert [bank.pattern for bank in last.banks] == ["0100", "1x0"]
    assert pack_limit(None, (SOK, DipBankSpec("SW3", 2, max_packs=4))) == 4  # every bank's limit counts


def test_a_master_address_without_address_switches_sets_no_address():
    bank = DipBankSpec("DIP", 4, master_address=1, switches=(DipSwitchSpec(4, "other"),))
    first, second = compute_pack_settings(2, bank)
    assert (first.address, second.address) == (None, None)  # no switch sets it: no address is claimed
    assert Code.PACKS_ADDRESS_UNKNOWN in codes(second)
    assert pack_limit(None, bank) is None
    assert pattern(first) == "????"


def test_a_bank_without_any_rule_is_said_unknown_not_drawn():
    (pack,) = compute_pack_settings(1, DipBankSpec("DIP SWITCH", 8, note="Settings not in this section."))
    assert pack.banks == ()
    assert codes(pack) == [Code.PACKS_BANK_UNKNOWN]
