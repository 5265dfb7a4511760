"""Bring the verdict matrix to the committed catalog now (the worker does it after every catalog change)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from configurator.verdict_matrix import matrix_refresh


class Command(BaseCommand):
    help = (
        "Compute the verdict matrix (every published battery x inverter) for the committed catalog: the pairs the "
        "changes since its last refresh concern, or all of them with --full. The worker does this by itself after "
        "every catalog change; run it by hand after restoring a database, or to time a full refresh."
    )

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Compute every pair, not only the changed ones.")

    def handle(self, *args, full: bool, **options):
        done = matrix_refresh(full=full)
        scope = "all pairs" if done.full else "the changed pairs"
        self.stdout.write(
            f"Verdict matrix at catalog version {done.version}: {done.pairs} cells computed ({scope}) "
            f"in {done.seconds:.1f} s."
        )
