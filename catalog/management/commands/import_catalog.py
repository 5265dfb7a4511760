from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from catalog.history import catalog_author
from catalog.importing import CatalogFileError, catalog_import
from catalog.models import Account
from catalog.rules import TEAM_ACTOR, actor_for_account, actor_for_user


class Command(BaseCommand):
    help = (
        "Import catalog YAML files (files or folders; default: the shipped fixtures/). Every file is validated "
        "first; any error aborts the whole import and nothing is written. A second import changes nothing. "
        "With --as-user or --as-account the import gets that user's or account's rights (a distributor writes "
        "only its makers' rows)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="Files or folders (default: fixtures/).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change, write nothing.")
        who = parser.add_mutually_exclusive_group()
        who.add_argument(
            "--as-user",
            metavar="USERNAME",
            help="Import with this admin user's catalog rights (default: the team's, for the operator).",
        )
        who.add_argument(
            "--as-account",
            metavar="NAME",
            help="Import with this partner account's catalog rights, named as the author in the history and the "
            "change feed (as its API token would be).",
        )

    def handle(self, *args, paths, dry_run, as_user, as_account, **options):
        paths = paths or [Path(settings.CATALOG_FIXTURES_DIR)]
        actor, author = TEAM_ACTOR, None
        if as_user is not None:
            user = get_user_model().objects.filter(username=as_user).first()
            if user is None:
                raise CommandError(f"No user '{as_user}'.")
            actor = actor_for_user(user)
        if as_account is not None:
            account = Account.objects.filter(name=as_account).first()
            if account is None:
                raise CommandError(f"No partner account '{as_account}'.")
            actor, author = actor_for_account(account), account.pk
        try:
            with transaction.atomic(), catalog_author(author):
                report = catalog_import(paths=paths, actor=actor, relative_to=Path.cwd(), dry_run=dry_run)
        except CatalogFileError as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(exc.errors)} error(s); nothing was imported.") from exc
        self.stdout.write(report.summary())
