"""Translations of the catalog editors' notes (catalog.models.NoteTranslation): one row per note and language,
kept by the database's constraints, carried by the catalog files and the API, recorded in the history, and
written only by whoever may write the note (the security tests: tests/security/test_note_translations.py)."""

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalog.catalog_files import dump_catalog_file
from catalog.choices import NoteLanguage
from catalog.exporting import device_record
from catalog.importing import catalog_import
from catalog.models import Device, Note, NoteTranslation
from catalog.querysets import devices_full
from catalog.rules import TEAM_ACTOR
from configurator.messages import CATALOG_LANGUAGE
from tests import factories
from tests.conftest import FIXTURES_DIR
from tests.security.conftest import admin_form_data

pytestmark = pytest.mark.usefixtures("shipped_catalog")

OWN = "weco-5k3-xp"
GERMAN = "Die Quelle schreibt die Muster ohne Angabe, welches Ende Schalter 1 ist."


def note(slug: str = OWN) -> Note:
    return Device.objects.get(slug=slug).catalog_notes.order_by("position").first()


def record(slug: str = OWN) -> dict:
    return device_record(devices_full(Device.objects.filter(slug=slug)).get())


@pytest.fixture
def untranslated():
    """The WeCo note without the translations the shipped catalog gives it."""
    NoteTranslation.objects.filter(note=note()).delete()


def import_text(tmp_path, name: str, text: str, actor=TEAM_ACTOR):
    path = tmp_path / name
    path.write_text(text)
    return catalog_import(paths=[path], actor=actor)


def test_notes_translate_into_every_site_language_but_the_catalogs_own():
    offered = {code.split("-")[0] for code, _name in settings.LANGUAGES} - {CATALOG_LANGUAGE}
    assert set(NoteLanguage.values) == offered


def test_one_translation_per_note_and_language_in_an_offered_language_never_empty(untranslated):
    target = note()
    NoteTranslation.objects.create(note=target, language="de", text=GERMAN)
    for values in ({"language": "de", "text": "Noch einmal"}, {"language": "pt", "text": "Outra"}, {"language": "it"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            NoteTranslation.objects.create(note=target, **{"text": "", **values})
    with pytest.raises(ValidationError) as refused:
        NoteTranslation(note=target, language="de", text="Noch einmal").full_clean()
    assert "already has a translation in this language" in str(refused.value)
    assert list(target.translations.values_list("language", "text")) == [("de", GERMAN)]


def test_a_catalog_file_carries_translations_and_a_second_import_changes_nothing(tmp_path, untranslated):
    data = record()
    data["notes"][0]["translations"] = {"de": GERMAN, "fr": "La source ne dit pas quel bout est l'interrupteur 1."}
    report = import_text(tmp_path, f"{OWN}.yaml", dump_catalog_file({"device": data}))
    assert report.created["note translations"] == 2
    assert dict(note().translations.values_list("language", "text"))["de"] == GERMAN
    assert record()["notes"][0]["translations"] == data["notes"][0]["translations"]  # the export writes them back

    again = import_text(tmp_path, f"{OWN}.yaml", dump_catalog_file({"device": data}))
    assert (again.created, again.updated, again.deleted) == ({}, {}, {})

    del data["notes"][0]["translations"]["fr"]
    data["notes"][0]["translations"]["de"] = "Geändert."
    report = import_text(tmp_path, f"{OWN}.yaml", dump_catalog_file({"device": data}))
    assert (report.updated["note translations"], report.deleted["note translations"]) == (1, 1)
    assert list(note().translations.values_list("language", "text")) == [("de", "Geändert.")]


def test_a_file_with_a_language_not_offered_or_an_empty_translation_is_refused_with_its_line(tmp_path, untranslated):
    from catalog.catalog_files import CatalogFileError

    data = record()
    for translations, fragment in (({"pt": "Outra"}, "pt"), ({"de": ""}, "de")):
        data["notes"][0]["translations"] = translations
        text = dump_catalog_file({"device": data})
        with pytest.raises(CatalogFileError) as refused:
            import_text(tmp_path, f"{OWN}.yaml", text)
        [error] = refused.value.errors
        line = next(n for n, row in enumerate(text.splitlines(), start=1) if f"{fragment}:" in row)
        assert (error.path.rsplit("/", 1)[-1], error.line) == (f"{OWN}.yaml", line), str(error)
    assert not note().translations.exists()


def test_the_shipped_catalog_translates_the_weco_dip_numbering_warning():
    """The files under fixtures/ ship translations (the one note a WeCo installer meets first)."""
    shipped = yaml.safe_load((FIXTURES_DIR / "devices/weco/weco-5k3-xp.yaml").read_text())["device"]["notes"][0]
    assert set(shipped["translations"]) == set(NoteLanguage.values)
    assert dict(note().translations.values_list("language", "text")) == shipped["translations"]


def test_the_api_reads_and_writes_a_notes_translations(tokens, untranslated):
    api = factories.api_client(tokens["distributor"])
    notes = record()["notes"]
    notes[0]["translations"] = {"it": "La fonte non dice quale estremità è l'interruttore 1."}
    response = api.patch(f"/api/v1/devices/{OWN}/", {"notes": notes}, format="json")
    assert response.status_code == 200, response.content[:500]
    assert response.json()["notes"][0]["translations"] == notes[0]["translations"]
    assert note().translations.get().history.get().history_account.name == "WeCo distribution"
    legacy = factories.api_client().get(f"/api/v1/devices/{OWN}/").json()
    assert legacy["notes"][0]["translations"] == notes[0]["translations"]

    notes[0]["translations"] = {"xx": "?"}
    refused = api.patch(f"/api/v1/devices/{OWN}/", {"notes": notes}, format="json")
    assert refused.status_code == 400
    assert "translations" in str(refused.json())
    assert note().translations.get().language == "it"


def test_the_admin_edits_translations_on_the_notes_page_and_the_history_names_the_editor(client, untranslated):
    editor = factories.admin_user("weco-editor", "distributor", "weco")
    client.force_login(editor)
    device_page = client.get(reverse("admin:catalog_device_change", args=[Device.objects.get(slug=OWN).pk]))
    url = reverse("admin:catalog_note_change", args=[note().pk])
    assert url in device_page.text  # the device's note rows link to the note's own page
    page = client.get(url)
    assert page.status_code == 200
    data = admin_form_data(page)
    data.update({"translations-TOTAL_FORMS": "1", "translations-0-language": "es"})
    data["translations-0-text"] = "La fuente no dice qué extremo es el interruptor 1."
    assert client.post(url, data).status_code == 302
    saved = note().translations.get()
    assert (saved.language, saved.history.get().history_user) == ("es", editor)

    data = admin_form_data(client.get(url))
    data.update({"translations-TOTAL_FORMS": "2", "translations-1-language": "es", "translations-1-text": "Otra"})
    again = client.post(url, data)
    assert again.status_code == 200  # the form again, with the error: one translation per language
    assert "Please correct the duplicate data for language" in again.text
    assert note().translations.count() == 1
    listing = client.get(reverse("admin:catalog_note_changelist"), {"translations__language": "es"})
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
