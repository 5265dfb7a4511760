"""Sweep the catalog's answers against the rules an installer relies on (configurator.invariants)."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.core.management.base import BaseCommand, CommandError

from configurator.invariants import KINDS, answer_violations
from configurator.services import catalog_pairs
from configurator.sweep import pair_answers


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
            for answer in pair_answers(pair):
                requests += 1
                refused += answer.refused
                result = answer.result
                if answer.bus == "best" and answer.packs == 1 and result and result.bus and not answer.refused:
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
