from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.services import CatalogFileError, catalog_import


class Command(BaseCommand):
    help = (
        "Import catalog YAML files (files or folders; default: the shipped fixtures/). Every file is validated "
        "first; any error aborts the whole import and nothing is written. A second import changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Files or folders (default: fixtures/).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")

    def handle(self, *args, paths, dry_run, **options):
        paths = paths or [Path(settings.CATALOG_FIXTURES_DIR)]
        try:
            report = catalog_import(paths=paths, relative_to=Path.cwd(), dry_run=dry_run)
        except CatalogFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        self.stdout.write(report.summary())
