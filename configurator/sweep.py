"""Ask the engine about one pair the way the wizard and the API ask (each bus, 1, 2 and the most packs) and judge
every answer against the rules an installer relies on (configurator.invariants). Used by ``manage.py
check_answers`` over the whole catalog and by publishing a draft device over its pairs."""

from __future__ import annotations

from collections.abc import Iterator

from configurator.domain import Options, configure
from configurator.forms import OptionsForm
from configurator.invariants import Answer
from configurator.services import LoadedPair

__all__ = ["BUSES", "pair_answers"]

BUSES = ("best", "can", "rs485")


def pair_answers(pair: LoadedPair) -> Iterator[Answer]:
    """Every answer the pair gives, through the options form as a request would reach it. A refusal with the
    engine's verdict (an incompatible pair) carries that verdict, so that it is judged too."""
    adapters = {p.adapter.slug: p.adapter for p in pair.pairings if p.adapter is not None}
    for bus in BUSES:
        for packs in sorted({1, 2, pair.choices.max_packs}):
            data = {"inverter": pair.inverter.slug, "battery": pair.battery.slug, "bus": bus, "packs": packs}
            form = OptionsForm.for_pair(pair, data)
            result = form.configuration(pair)
            refused = result is None
            if refused and form.incompatible_reason:
                result = configure(pair.battery, pair.inverter, pair.pairings, Options(bus=bus))
            adapter = adapters.get(result.adapter.slug) if result and result.adapter else None
            yield Answer(pair.battery, pair.inverter, adapter, bus, packs, result, refused, pair.pairings)
