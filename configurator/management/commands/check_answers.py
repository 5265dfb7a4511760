"""Sweep the catalog's answers against the rules an installer relies on (configurator.invariants)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.management.base import BaseCommand, CommandError

from configurator.domain import Options, configure
from configurator.forms import OptionsForm
from configurator.invariants import KINDS, Answer, answer_violations
from configurator.services import catalog_pairs

BUSES = ("best", "can", "rs485")


class Command(BaseCommand):
    help = (
        "Ask the engine about every published battery with every published inverter, on each bus (best, CAN, "
        "RS485) and at 1, 2 and the most packs, the way the wizard and the API ask, and count the answers that "
        "break a rule an installer relies on (a bus replaced, a cable across unknown pins, a terminator off the "
        "bus, ...). Run it after editing the catalog."
    )

    def add_arguments(self, parser):
        parser.add_argument("--examples", type=int, default=1, help="Examples to print per kind (default 1).")
        parser.add_argument(
            "--fail", action="store_true", help="Exit with an error when any answer breaks a rule (for CI)."
        )

    def handle(self, *args, examples: int, fail: bool, **options):
        counts: Counter[str] = Counter()
        settings: Counter[str] = Counter()
        shown: dict[str, list[str]] = defaultdict(list)
        pairs = requests = refused = 0
        for pair in catalog_pairs():
            pairs += 1
            adapters = {p.adapter.slug: p.adapter for p in pair.pairings if p.adapter is not None}
            for bus in BUSES:
                for packs in sorted({1, 2, pair.choices.max_packs}):
                    requests += 1
                    form = OptionsForm.for_pair(
                        pair,
                        {"inverter": pair.inverter.slug, "battery": pair.battery.slug, "bus": bus, "packs": packs},
                    )
                    result = form.configuration(pair)
                    refused_now = result is None
                    if refused_now:
                        refused += 1
                        if form.incompatible_reason:  # refused with the engine's verdict: judge that verdict
                            result = configure(pair.battery, pair.inverter, pair.pairings, Options(bus=bus))
                    adapter = adapters.get(result.adapter.slug) if result and result.adapter else None
                    answer = Answer(
                        pair.battery, pair.inverter, adapter, bus, packs, result, refused_now, pair.pairings
                    )
                    if bus == "best" and packs == 1 and result is not None and result.bus and not refused_now:
                        settings.update(_how_known(result))
                    for violation in answer_violations(answer):
                        counts[violation.kind] += 1
                        if len(shown[violation.kind]) < examples:
                            shown[violation.kind].append(str(violation))
        self.stdout.write(
            f"{pairs} pairs, {requests} requests (bus best/can/rs485, 1, 2 and the most packs); {refused} refused."
        )
        width = max(len(kind) for kind in KINDS)
        for kind, meaning in KINDS.items():
            self.stdout.write(f"{kind.ljust(width)}  {counts[kind]:>6}  {meaning}")
            for example in shown[kind]:
                self.stdout.write(f"{'':{width}}          e.g. {example}")
        total = sum(counts.values())
        self.stdout.write(f"{'total'.ljust(width)}  {total:>6}")
        for side in ("inverter", "battery"):
            self.stdout.write(
                f"{side.capitalize()} settings of the {settings['pairs']} pairs that can be configured (best bus, one "
                f"pack): {settings[side, 'documented']} documented, {settings[side, 'derived']} derived, "
                f"{settings[side, 'nothing']} nothing to set, {settings[side, 'unknown']} not known (said so on the "
                "sheet)."
            )
        if fail and total:
            raise CommandError(f"{total} answer(s) break a rule.")


def _how_known(result) -> list:
    """How each side of one answer is known: the best of its settings lines."""
    kinds: list = ["pairs"]
    for side, lines in (("inverter", result.inverter_settings), ("battery", result.battery_settings)):
        if any(line.finding is None and line.basis == "documented" for line in lines):
            kind = "documented"
        elif any(line.finding is None for line in lines):
            kind = "derived"
        elif any(line.finding is not None and line.finding.code == "setting_nothing" for line in lines):
            kind = "nothing"
        else:
            kind = "unknown"
        kinds.append((side, kind))
    return kinds
