from pathlib import Path

from django.core.management.base import BaseCommand

from catalog.exporting import catalog_export


class Command(BaseCommand):
    help = "Write the catalog as YAML files in the layout and canonical format of fixtures/."

    def add_arguments(self, parser):
        parser.add_argument("outdir", type=Path)

    def handle(self, *args, outdir, **options):
        written = catalog_export(outdir=outdir)
        self.stdout.write(f"wrote {len(written)} file(s) to {outdir}")
