from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalog.catalog_files import CatalogFileError, load_catalog_files, validate_catalog


class Command(BaseCommand):
    help = (
        "Check catalog YAML files against the JSON Schema and the semantic rules, without a database. "
        "Reports every error with its file, line and key."
    )

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Files or folders (default: fixtures/).")

    def handle(self, *args, paths, **options):
        paths = paths or [Path(settings.CATALOG_FIXTURES_DIR)]
        try:
            files = load_catalog_files(paths, relative_to=Path.cwd())
            errors = validate_catalog(files)
        except CatalogFileError as exc:
            errors = exc.errors
            files = []
        for error in errors:
            self.stderr.write(str(error))
        if errors:
            raise CommandError(f"{len(errors)} error(s) in the catalog files.")
        self.stdout.write(f"{len(files)} file(s) checked: 0 errors.")
