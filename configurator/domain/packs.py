"""DIP switch settings for every pack of a parallel stack."""

from __future__ import annotations

from configurator.domain.errors import TooManyPacks
from configurator.domain.result import PackSetting, SwitchState
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


def _from_pattern(bank: DipBankSpec, pattern: str) -> tuple[SwitchState, ...]:
    labels = {s.position: s for s in bank.switches}
    return tuple(
        SwitchState(
            position=n,
            on=pattern[n - 1] == "1",
            function=labels[n].function if n in labels else "other",
            label=labels[n].label if n in labels else "",
        )
        for n in range(1, bank.switch_count + 1)
    )


def _from_address(bank: DipBankSpec, address: int, protocol_pattern: str) -> tuple[SwitchState, ...]:
    states = []
    by_position = {s.position: s for s in bank.switches}
    for n in range(1, bank.switch_count + 1):
        switch = by_position.get(n)
        if switch is None:
            states.append(SwitchState(n, False, "unused"))
            continue
        if switch.function == "address_bit":
            on = bool(address >> switch.bit & 1)
        elif switch.function == "protocol_bit":
            on = len(protocol_pattern) >= n and protocol_pattern[n - 1] == "1"
        else:
            on = False
        states.append(SwitchState(n, on, switch.function, switch.label))
    return tuple(states)


def compute_pack_settings(
    packs: int, bank: DipBankSpec | None, *, max_packs: int | None = None, protocol_pattern: str = ""
) -> tuple[PackSetting, ...]:
    """One entry per pack, pack 1 being the one wired to the inverter.

    Address banks give the master its address and the protocol bits of ``protocol_pattern`` (slaves keep them
    OFF); pattern banks give every pack the all-packs pattern and the last slave its own. Raises TooManyPacks.
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
            result.append(PackSetting(index, role, last, address, _from_address(bank, address, pattern)))
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
