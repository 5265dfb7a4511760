"""The message catalogs (locale/<language>/LC_MESSAGES/django.po): complete for every language the site offers,
faithful to what the code marks, and safe to print.

A shipped language is complete or it is not shipped: a msgid without a translation, or one marked fuzzy, fails here,
and so does a string the code marks that the catalogs do not hold yet (``make messages`` adds it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, pgettext

from configurator.choices import VerdictChoice
from configurator.messages import COLOUR_WORDS, SIGNAL_WORDS
from configurator.presentation import BASIS_TEXT
from tests.catalogs import GLOSSARY, catalog

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [code for code, _name in settings.LANGUAGES if not code.startswith("en")]

# What must survive translation unchanged: named parameters ({name}, %(name)s) and markup.
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]|</?[a-z]+[^>]*>")


def forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) for each form of an entry: the plural forms are checked against msgid_plural."""
    if entry.msgid_plural:
        return [(entry.msgid if n == 0 else entry.msgid_plural, text) for n, text in entry.msgstr_plural.items()]
    return [(entry.msgid, entry.msgstr)]


def test_the_site_offers_english_and_four_translations():
    assert TRANSLATED == ["de", "it", "es", "fr"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalog(language)
    assert len(po) > 500
    missing = [entry.msgid for entry in po if not all(text.strip() for _source, text in forms(entry))]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert missing == []
    assert fuzzy == []
    assert not po.metadata_is_fuzzy  # a fuzzy header is skipped by msgfmt: the catalog would lose its charset


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_markup_survive_translation(language):
    wrong = []
    for entry in catalog(language):
        for source, text in forms(entry):
            if set(PLACEHOLDER.findall(source)) != set(PLACEHOLDER.findall(text)):
                wrong.append((source, text))
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_adds_a_quote_or_a_backslash(language):
    """The sheet's page footer puts our words inside a CSS string: a translation may not close it."""
    wrong = [
        text
        for entry in catalog(language)
        for source, text in forms(entry)
        if ('"' in text and '"' not in source) or "\\" in text
    ]
    assert wrong == []


def test_the_catalogs_hold_every_string_the_code_marks(tmp_path):
    """makemessages over a copy of the sources finds nothing the catalogs lack: every new or changed string has
    its translations before it ships."""
    copy = tmp_path / "src"
    for name in ("configurator", "catalog", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    languages = [arg for code in TRANSLATED for arg in ("-l", code)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete", *languages, "-v0"],
        cwd=copy,
        check=True,
        env={**_environment(), "DJANGO_DEBUG": "true"},
    )
    for language in TRANSLATED:
        fresh = polib.pofile(str(copy / "locale" / language / "LC_MESSAGES" / "django.po"))
        untranslated = [entry.msgid for entry in fresh if not entry.translated() or "fuzzy" in entry.flags]
        assert untranslated == [], f"{language}: run `make messages` and translate these"
        assert len(fresh) == len(catalog(language)), f"{language}: the catalog holds strings the code no longer marks"


def _environment() -> dict[str, str]:
    import os

    return {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogs_are_the_ones_django_reads(language):
    with translation.override(language):
        assert gettext("Battery") == catalog(language).find("Battery").msgstr
        assert gettext("Battery") != "Battery"


def test_the_catalogs_choice_labels_are_listed_for_translation():
    """The engine's labels (Django-free) reach the catalogs through catalog/labels.py: the list is exactly them."""
    from catalog.labels import CHOICE_LABELS
    from configurator.domain.vocabulary import LABELS

    assert set(CHOICE_LABELS) == {label for labels in LABELS.values() for label in labels.values()}
    with translation.override("de"):
        from catalog.choices import Termination

        assert Termination.BUILT_IN.label == GLOSSARY["termination_kinds"]["built_in"]["de"]


# --- the glossary (locale/glossary.yaml) is what the catalogs say -----------------------------------------------


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_colour_words_are_the_glossarys(language):
    with translation.override(language):
        for colour in COLOUR_WORDS:
            assert pgettext("conductor colour", colour) == GLOSSARY["colours"][colour][language]


@pytest.mark.parametrize("language", TRANSLATED)
def test_verdicts_bases_and_worded_signals_are_the_glossarys(language):
    with translation.override(language):
        for verdict in VerdictChoice:
            assert str(verdict.label) == GLOSSARY["verdicts"][verdict.value][language]
        for basis, text in BASIS_TEXT.items():
            assert str(text) == GLOSSARY["basis"][str(basis)][language]
        for signal, text in SIGNAL_WORDS.items():
            assert str(text) == GLOSSARY["signals"][signal][language]
