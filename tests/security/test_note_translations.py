"""A note's translations are its device's (or pairing's) maker's to write, by every path: the admin's note page
and its translation rows, the catalog file upload, the import command run for an account, and the API. A WeCo
distributor cannot add, change or delete the translation of Pylontech's note; each refusal changes nothing. The
team writes any."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalog.catalog_files import dump_catalog_file
from catalog.exporting import device_record
from catalog.models import Account, Device, Note, NoteTranslation
from catalog.querysets import devices_full
from tests import factories
from tests.security.conftest import FOREIGN, OWN, admin_form_data
from tests.security.test_catalog_takeover import apply, upload
from tests.security.test_write_matrix import TOKEN_ROLES

SAID = "Pylontech's own words."


@pytest.fixture
def foreign_note(shipped_catalog) -> Note:
    """Pylontech's note, with a German translation of Pylontech's."""
    note = Device.objects.get(slug=FOREIGN).catalog_notes.first()
    NoteTranslation.objects.create(note=note, language="de", text=SAID)
    return note


def translations() -> list[tuple]:
    return sorted(NoteTranslation.objects.values_list("pk", "note_id", "language", "text"))


def foreign_file(**translated) -> str:
    data = device_record(devices_full(Device.objects.filter(slug=FOREIGN)).get())
    data["notes"][0]["translations"] = translated
    return dump_catalog_file({"device": data})


def test_the_admin_refuses_the_foreign_notes_page_and_a_smuggled_row(client, attacker, foreign_note):
    before = translations()
    client.force_login(attacker)
    url = reverse("admin:catalog_note_change", args=[foreign_note.pk])
    page = client.get(url)
    assert page.status_code == 200  # read only
    data = {"translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0", "translations-0-language": "fr"}
    data["translations-0-text"] = "Repris."
    assert client.post(url, data).status_code == 403

    own = Device.objects.get(slug=OWN).catalog_notes.first()
    own_url = reverse("admin:catalog_note_change", args=[own.pk])
    smuggled = admin_form_data(client.get(own_url))
    smuggled.update({"translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "1"})
    smuggled["translations-0-id"] = str(foreign_note.translations.get().pk)
    smuggled.update({"translations-0-language": "de", "translations-0-text": "Taken"})
    client.post(own_url, smuggled)  # Django's formset never loads a row outside this note's translations
    assert translations() == before


@pytest.mark.parametrize("submit", [upload, apply], ids=["check", "apply"])
def test_an_upload_cannot_translate_another_makers_note(client, attacker, foreign_note, submit):
    before = translations()
    text = foreign_file(de="Übernommen.", fr="Repris.")
    client.force_login(attacker)
    response = submit(client, f"{FOREIGN}.yaml", text)
    assert response.status_code == 200
    assert f"{FOREIGN}.yaml:1: device: note translation &#x27;de: {SAID}" in response.text.replace("&#x27;s", "'s")
    assert "already exists and belongs to another manufacturer" in response.text
    assert translations() == before


def test_an_upload_cannot_add_a_translation_to_another_makers_note(client, attacker, foreign_note):
    foreign_note.translations.all().delete()
    client.force_login(attacker)
    response = apply(client, f"{FOREIGN}.yaml", foreign_file(fr="Repris."))
    assert response.status_code == 200
    assert "your account may not write the note translation of another manufacturer" in response.text
    assert not foreign_note.translations.exists()


def test_an_upload_cannot_delete_another_makers_translation(client, attacker, foreign_note):
    before = translations()
    client.force_login(attacker)
    response = apply(client, f"{FOREIGN}.yaml", foreign_file())  # the file names no translation: a deletion
    assert response.status_code == 200
    assert "may not delete note translation" in response.text
    assert translations() == before


def test_the_import_command_for_a_distributor_account_refuses_with_file_and_line(foreign_note, tmp_path, capsys):
    factories.account("WeCo distribution", Account.Kind.DISTRIBUTOR, "weco")
    before = translations()
    path = tmp_path / f"{FOREIGN}.yaml"
    path.write_text(foreign_file(de=SAID, it="Preso."))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), "--as-account", "WeCo distribution")
    assert f"{FOREIGN}.yaml:" in capsys.readouterr().err
    assert translations() == before


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
@pytest.mark.parametrize("role", TOKEN_ROLES)
def test_no_api_token_below_the_team_translates_another_makers_note(role_token, foreign_note, role, method):
    before = translations()
    data = device_record(devices_full(Device.objects.filter(slug=FOREIGN)).get())
    data["notes"][0]["translations"] = {"de": "Übernommen.", "es": "Tomado."}
    body = data if method == "PUT" else {"notes": data["notes"]}
    api = factories.api_client(role_token(role))
    response = getattr(api, method.lower())(f"/api/v1/devices/{FOREIGN}/", body, format="json")
    assert response.status_code in (401, 403, 404), response.content[:500]
    assert translations() == before


def test_the_team_translates_any_note_through_the_same_rule(client, superuser, foreign_note):
    client.force_login(superuser)
    response = apply(client, f"{FOREIGN}.yaml", foreign_file(de=SAID, fr="Les mots de Pylontech."))
    assert response.status_code == 302
    saved = dict(foreign_note.translations.values_list("language", "text"))
    assert saved == {"de": SAID, "fr": "Les mots de Pylontech."}
