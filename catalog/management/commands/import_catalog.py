from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from catalog.importing import CatalogFileError, catalog_import
from catalog.rules import TEAM_ACTOR, actor_for_user


class Command(BaseCommand):
    help = (
        "Import catalog YAML files (files or folders; default: the shipped fixtures/). Every file is validated "
        "first; any error aborts the whole import and nothing is written. A second import changes nothing. "
        "Run with --as-user, the import gets that admin user's rights (a distributor writes only its makers' rows)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Files or folders (default: fixtures/).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")
        parser.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Import with this admin user's catalog rights (default: the team's, for the operator).",
        )

    def handle(self, *args, paths, dry_run, as_user, **options):
        paths = paths or [Path(settings.CATALOG_FIXTURES_DIR)]
        actor = TEAM_ACTOR
        if as_user is not None:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"No user '{as_user}'.")
            actor = actor_for_user(user)
        try:
            report = catalog_import(paths=paths, actor=actor, relative_to=Path.cwd(), dry_run=dry_run)
        except CatalogFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        self.stdout.write(report.summary())
