"""The catalog's management commands, as a distributor or a script runs them."""

import stat
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from catalog.models import Device
from tests.conftest import FIXTURES_DIR, SHIPPED_DEVICE_FILES


def test_import_catalog_then_again_says_nothing_changed(empty_catalog):
    first, second = StringIO(), StringIO()
    call_command("import_catalog", stdout=first)
    call_command("import_catalog", stdout=second)
    assert f"created {len(SHIPPED_DEVICE_FILES)} devices" in first.getvalue()
    assert "already up to date, nothing changed" in second.getvalue()


def test_import_catalog_fails_naming_file_line_and_key(empty_catalog, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("manufacturers:\n- slug: Not A Slug\n  name: X\n")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(bad), stderr=err)
    assert "bad.yaml:2: manufacturers[0].slug: 'Not A Slug' is not a key of lower-case letters" in err.getvalue()
    assert not Device.objects.exists()


def test_check_catalog_passes_on_the_shipped_files():
    out = StringIO()
    call_command("check_catalog", str(FIXTURES_DIR), stdout=out)
    assert "0 errors" in out.getvalue()


def test_ensure_admin_creates_one_admin_with_a_private_password(db, tmp_path):
    password_file = tmp_path / "pw"
    out = StringIO()
    call_command("ensure_admin", password_file=password_file, stdout=out)
    call_command("ensure_admin", password_file=password_file, stdout=out)

    admins = get_user_model().objects.filter(is_superuser=True)
    assert admins.count() == 1
    password = password_file.read_text().strip()
    assert admins.get().check_password(password)
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password not in out.getvalue()
