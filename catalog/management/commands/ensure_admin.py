import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a superuser exists. When none does, create 'admin' with a random password, written to "
        "the file given by --password-file (readable only by you) and never printed to logs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--password-file",
            type=Path,
            default=Path(settings.BASE_DIR) / ".admin-password",
            help="Where the generated password is stored (default: .admin-password in the project folder).",
        )

    def handle(self, *args, username, password_file, **options):
        user_model = get_user_model()
        existing = user_model.objects.filter(is_superuser=True).order_by("pk").first()
        if existing is not None:
            hint = f"its password is in {password_file}" if password_file.exists() else "use your own password"
            self.stdout.write(
                f"Admin login: user '{existing.get_username()}' ({hint}; "
                f"reset it with: .venv/bin/python manage.py changepassword {existing.get_username()})"
            )
            return
        password = secrets.token_urlsafe(18)
        user_model.objects.create_superuser(username=username, email="", password=password)
        password_file.write_text(password + "\n", encoding="utf-8")
        password_file.chmod(0o600)
        self.stdout.write(
            f"Created admin login: user '{username}'; its password is in {password_file} "
            f"(show it with: cat {password_file.name})"
        )
