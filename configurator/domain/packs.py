"""DIP switch settings for every pack of a parallel stack, every bank of the battery.

Each switch gets its state from, in order: a 1 or 0 of the bank's last-pack pattern (on the last pack of a
stack) or of its all-packs pattern; its function (address bits from the pack's address; protocol bits from the
protocol's pattern on the master; termination switches from the termination plan); a pattern's "x" (LEAVE, never
OFF); else it is UNKNOWN: set it from the manual.
"""

from __future__ import annotations

from configurator.domain.errors import TooManyPacks
from configurator.domain.findings import Code, Finding, Severity, finding
from configurator.domain.result import LEAVE, OFF, ON, UNKNOWN, BankSetting, PackSetting, SwitchState
from configurator.domain.types import DipBankSpec
from configurator.domain.vocabulary import DipFunction

__all__ = ["compute_pack_settings", "pack_limit"]

MARKS = {"1": ON, "0": OFF, "x": LEAVE}


def _address_bits(bank: DipBankSpec):
    return [s for s in bank.switches if s.function == DipFunction.ADDRESS_BIT and s.bit is not None]


def _bank_limit(bank: DipBankSpec) -> int | None:
    limits = [bank.max_packs] if bank.max_packs else []
    bits = _address_bits(bank)
    if bank.master_address is not None and bits:
        highest = 2 ** (max(s.bit for s in bits) + 1) - 1
        first = bank.first_slave_address if bank.first_slave_address is not None else bank.master_address + 1
        limits.append(highest - first + 2)  # the master plus every slave address that fits the bits
    return min(limits) if limits else None


def pack_limit(max_packs: int | None, banks: tuple[DipBankSpec, ...] | DipBankSpec | None) -> int | None:
    """The most packs the sources allow: the device's limit and every bank's (its own, or its address range)."""
    if isinstance(banks, DipBankSpec):
        banks = (banks,)
    limits = [n for n in (max_packs, *(_bank_limit(bank) for bank in banks or ())) if n]
    return min(limits) if limits else None


def _address(bank: DipBankSpec, index: int) -> int | None:
    if bank.master_address is None or not _address_bits(bank):
        return None
    first = bank.first_slave_address if bank.first_slave_address is not None else bank.master_address + 1
    return bank.master_address if index == 1 else first + index - 2


def _mark(pattern: str, position: int) -> str | None:
    """The pattern's state for a switch: ON, OFF, LEAVE; None where the pattern does not reach it."""
    if len(pattern) < position:
        return None
    return MARKS.get(pattern[position - 1].lower(), UNKNOWN)


def _bank(
    bank: DipBankSpec, index: int, last: bool, protocol_pattern: str | None, terminated: bool
) -> tuple[BankSetting, list[Finding]]:
    by_position = {s.position: s for s in bank.switches}
    address = _address(bank, index)
    states, notes = [], []
    for n in range(1, bank.switch_count + 1):
        switch = by_position.get(n)
        function = switch.function if switch else DipFunction.OTHER
        label = switch.label if switch else ""
        marked = None  # what the bank's pattern says: ON/OFF fix the switch, an x leaves it to its function
        if last and bank.last_pack_pattern:
            marked = _mark(bank.last_pack_pattern, n)
        if marked is None and bank.all_packs_pattern:
            marked = _mark(bank.all_packs_pattern, n)
        state = marked if marked in (ON, OFF) else None
        if state is None and switch is not None:
            if function == DipFunction.ADDRESS_BIT and address is not None and switch.bit is not None:
                state = ON if address >> switch.bit & 1 else OFF
            elif function == DipFunction.PROTOCOL_BIT and index > 1:
                state = OFF  # the protocol is set on the master only; the others keep these switches OFF
            elif function == DipFunction.PROTOCOL_BIT and protocol_pattern is not None:
                # "": the battery does not pick this pair's protocol by DIP, so its protocol switches stay OFF
                state = _mark(protocol_pattern, n) if protocol_pattern else OFF
            elif function == DipFunction.TERMINATION:
                state = ON if terminated else OFF
            elif function == DipFunction.UNUSED:
                state = OFF
        state = state or marked  # an x with nothing else to go by: leave it as it is
        states.append(SwitchState(n, str(function), label, state or UNKNOWN))
    unknown = {s.function for s in states if s.state == UNKNOWN}
    if DipFunction.PROTOCOL_BIT in unknown:
        notes.append(finding(Code.PACKS_PROTOCOL_UNKNOWN, Severity.WARNING, bank=bank.name))
    if DipFunction.ADDRESS_BIT in unknown or (bank.master_address is not None and not _address_bits(bank)):
        notes.append(finding(Code.PACKS_ADDRESS_UNKNOWN, Severity.WARNING, bank=bank.name))
    if DipFunction.BAUD in unknown:
        notes.append(finding(Code.PACKS_BAUD_UNKNOWN, Severity.WARNING, bank=bank.name))
    if unknown - {DipFunction.PROTOCOL_BIT, DipFunction.ADDRESS_BIT, DipFunction.BAUD}:
        notes.append(finding(Code.PACKS_BANK_UNKNOWN, Severity.WARNING, bank=bank.name, note=bank.note))
    if last and bank.last_pack_pattern:
        notes.append(finding(Code.PACKS_LAST_OWN, bank=bank.name))
    return BankSetting(bank.name, tuple(states), bank.numbering_stated), notes


def _has_rule(bank: DipBankSpec) -> bool:
    """Whether the sources give any setting for this bank (a pattern or switch functions)."""
    return bool(bank.all_packs_pattern or bank.last_pack_pattern or bank.switches)


def compute_pack_settings(
    packs: int,
    banks: tuple[DipBankSpec, ...] | DipBankSpec | None,
    *,
    max_packs: int | None = None,
    protocol_pattern: str | None = "",
    terminated_packs: frozenset[int] = frozenset(),
) -> tuple[PackSetting, ...]:
    """One entry per pack, pack 1 being the one wired to the inverter.

    ``protocol_pattern``: the master's protocol setting (a pattern over the bank); None where the sources do not
    give it for this pair (the master's protocol switches are UNKNOWN). ``terminated_packs``: the packs whose
    termination switches go ON (the ends of the battery's bus segments). Raises TooManyPacks.
    """
    if isinstance(banks, DipBankSpec):
        banks = (banks,)
    banks = tuple(banks or ())
    if packs < 1:
        raise TooManyPacks("A stack has at least one pack.", code="no_pack")
    limit = pack_limit(max_packs, banks)
    if limit is not None and packs > limit:
        raise TooManyPacks(
            f"This battery takes at most {limit} packs in parallel; {packs} were asked for.",
            code="packs_over_limit",
            limit=limit,
            packs=packs,
        )
    result = []
    for index in range(1, packs + 1):
        role = "master" if index == 1 else "slave"
        last = index == packs and packs > 1
        if not banks:
            result.append(PackSetting(index, role, last, None, notes=(finding(Code.PACKS_NO_TABLE),)))
            continue
        settings, notes = [], []
        for bank in banks:
            if not _has_rule(bank):
                notes.append(finding(Code.PACKS_BANK_UNKNOWN, Severity.WARNING, bank=bank.name, note=bank.note))
                continue
            setting, found = _bank(bank, index, last, protocol_pattern, index in terminated_packs)
            settings.append(setting)
            notes.extend(found)
        address = next((a for bank in banks if (a := _address(bank, index)) is not None), None)
        result.append(PackSetting(index, role, last, address, tuple(settings), tuple(dict.fromkeys(notes))))
    return tuple(result)
