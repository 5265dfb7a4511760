"""DIP switch settings for every pack of a parallel stack."""

from __future__ import annotations

from configurator.domain.errors import TooManyPacks
from configurator.domain.result import LEAVE, OFF, ON, UNKNOWN, PackSetting, SwitchState
from configurator.domain.types import DipBankSpec

__all__ = ["compute_pack_settings", "pack_limit"]


def pack_limit(max_packs: int | None, bank: DipBankSpec | None) -> int | None:
    limits = [n for n in (max_packs, bank.max_packs if bank else None) if n]
    if bank is not None and bank.master_address is not None:
        bits = [s for s in bank.switches if s.function == "address_bit"]
        if bits:
            highest = 2 ** len(bits) - 1
            first = bank.first_slave_address if bank.first_slave_address is not None else bank.master_address + 1
            limits.append(highest - first + 2)  # the master plus every slave address that fits the bits
    return min(limits) if limits else None


MARKS = {"1": ON, "0": OFF, "x": LEAVE}


def _switch(position: int, setting: str, function: str, label: str = "") -> SwitchState:
    return SwitchState(position, setting == ON, function, label, setting)


def _from_pattern(bank: DipBankSpec, pattern: str) -> tuple[SwitchState, ...]:
    labels = {s.position: s for s in bank.switches}
    return tuple(
        _switch(
            n,
            MARKS.get(pattern[n - 1].lower(), UNKNOWN),
            labels[n].function if n in labels else "other",
            labels[n].label if n in labels else "",
        )
        for n in range(1, bank.switch_count + 1)
    )


def _from_address(bank: DipBankSpec, address: int, protocol_pattern: str | None) -> tuple[SwitchState, ...]:
    """``protocol_pattern``: the master's protocol setting (a pattern over the whole bank), None where the sources
    do not give it for this pair (its switches are then UNKNOWN), "" for a pack that keeps them OFF."""
    states = []
    by_position = {s.position: s for s in bank.switches}
    for n in range(1, bank.switch_count + 1):
        switch = by_position.get(n)
        if switch is None:
            states.append(_switch(n, OFF, "unused"))
            continue
        if switch.function == "address_bit":
            setting = ON if address >> switch.bit & 1 else OFF
        elif switch.function == "protocol_bit" and protocol_pattern is None:
            setting = UNKNOWN
        elif switch.function == "protocol_bit" and len(protocol_pattern) >= n:
            setting = MARKS.get(protocol_pattern[n - 1].lower(), UNKNOWN)
        else:
            setting = OFF
        states.append(_switch(n, setting, switch.function, switch.label))
    return tuple(states)


def compute_pack_settings(
    packs: int, bank: DipBankSpec | None, *, max_packs: int | None = None, protocol_pattern: str | None = ""
) -> tuple[PackSetting, ...]:
    """One entry per pack, pack 1 being the one wired to the inverter.

    Address banks give the master its address and the protocol bits of ``protocol_pattern`` (None: not known for
    this pair, so the master's protocol switches are UNKNOWN, never OFF; slaves keep them OFF); pattern banks give
    every pack the all-packs pattern and the last slave its own, an "x" in a pattern meaning "leave as is".
    Raises TooManyPacks.
    """
    if packs < 1:
        raise TooManyPacks("A stack has at least one pack.")
    limit = pack_limit(max_packs, bank)
    if limit is not None and packs > limit:
        raise TooManyPacks(f"This battery takes at most {limit} packs in parallel; {packs} were asked for.")
    result = []
    for index in range(1, packs + 1):
        role = "master" if index == 1 else "slave"
        last = index == packs and packs > 1
        if bank is None:
            result.append(PackSetting(index, role, last, None, note="The catalog has no DIP switch table for it."))
            continue
        if bank.master_address is not None:
            first = bank.first_slave_address if bank.first_slave_address is not None else bank.master_address + 1
            address = bank.master_address if index == 1 else first + index - 2
            pattern = protocol_pattern if index == 1 else ""
            note = ""
            if pattern is None and any(s.function == "protocol_bit" for s in bank.switches):
                note = "Protocol switches (?): not known for this inverter; set them per the battery's manual."
            result.append(PackSetting(index, role, last, address, _from_address(bank, address, pattern), note))
        elif bank.all_packs_pattern or bank.last_pack_pattern:
            pattern = bank.last_pack_pattern if last and bank.last_pack_pattern else bank.all_packs_pattern
            if not pattern:
                result.append(PackSetting(index, role, last, None, note="Leave this pack's switches as delivered."))
                continue
            note = "The last slave gets its own setting." if last and bank.last_pack_pattern else ""
            result.append(PackSetting(index, role, last, None, _from_pattern(bank, pattern), note))
        else:
            note = "The catalog does not give this bank's settings." + (f" {bank.note}" if bank.note else "")
            result.append(PackSetting(index, role, last, None, note=note))
    return tuple(result)
