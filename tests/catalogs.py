"""The message catalogs as the tests read them (locale/<language>/LC_MESSAGES/django.po)."""

from __future__ import annotations

import re

import polib
import yaml
from django.conf import settings

# The field's words per language, which the catalogs use (tests/test_glossary.py checks the file itself).
GLOSSARY = yaml.safe_load((settings.BASE_DIR / "locale" / "glossary.yaml").read_text(encoding="utf-8"))

# Where a msgid is cut into the runs of our own words: its named parameters and its markup.
CUTS = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]|<[^>]+>")


def catalog(language: str) -> polib.POFile:
    return polib.pofile(str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po"))


def english_phrases(language: str, *, words: int) -> set[str]:
    """Our English, cut at its parameters and markup, in runs of ``words`` words or more: none may be left on a
    page or a sheet in ``language`` (catalog text, which stays as its source prints it, is not in the catalogs).
    Strings that read the same in ``language`` ("LV (48 V)") are not English left."""
    phrases = set()
    for entry in catalog(language):
        if entry.msgstr == entry.msgid:
            continue
        for source in filter(None, [entry.msgid, entry.msgid_plural]):
            for part in CUTS.split(source):
                part = " ".join(part.split()).strip(" .,:;()'?")
                if len(part.split()) >= words:
                    phrases.add(part)
    return phrases
