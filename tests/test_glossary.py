"""The glossary of the field's words (locale/glossary.yaml): every entry in every language the product is being
translated into, and in step with what the product prints in English today, so that no colour, verdict, basis,
terminator or signal word can reach a page or a sheet without its translations."""

import pytest

from configurator.choices import VerdictChoice
from configurator.domain.colours import COLOUR_STANDARDS
from configurator.domain.vocabulary import LABELS, SIGNAL_NAMES, TerminationKind
from configurator.drawings import WIRE_COLOURS
from configurator.presentation import BASIS_TEXT
from tests.catalogs import GLOSSARY

LANGUAGES = ["en", "de", "it", "es", "fr"]  # the installers' languages (sources: Italian, German, Spanish, US)
SECTIONS = [name for name in GLOSSARY if name != "languages"]


def english(section: str) -> dict[str, str]:
    return {key: words["en"] for key, words in GLOSSARY[section].items()}


def test_the_glossary_names_the_five_languages():
    assert GLOSSARY["languages"] == LANGUAGES


@pytest.mark.parametrize("section", SECTIONS)
def test_every_entry_has_a_word_in_every_language(section):
    for key, words in GLOSSARY[section].items():
        assert list(words) == LANGUAGES, f"{section}.{key}: {list(words)}"
        for language, word in words.items():
            assert isinstance(word, str), f"{section}.{key}.{language} is not text: {word!r}"
            assert word.strip(), f"{section}.{key}.{language} is empty"
            assert word == word.strip(), f"{section}.{key}.{language} has spaces around it: {word!r}"


def test_every_conductor_colour_the_sheet_can_print_has_its_words():
    printed = {colour for standard in COLOUR_STANDARDS.values() for colour in standard.values()}
    assert set(GLOSSARY["colours"]) == printed | set(WIRE_COLOURS)
    assert english("colours") == {colour: colour for colour in GLOSSARY["colours"]}


def test_a_striped_conductor_is_named_by_its_two_colours_in_every_language():
    colours = GLOSSARY["colours"]
    for colour, words in colours.items():
        if "/" not in colour:
            continue
        base, stripe = colour.split("/")
        for language in LANGUAGES:
            assert words[language] == f"{colours[base][language]}/{colours[stripe][language]}", (colour, language)


def test_verdicts_basis_and_terminators_are_the_words_the_product_prints():
    assert english("verdicts") == {choice.value: choice.label for choice in VerdictChoice}
    assert english("basis") == {str(basis): text for basis, text in BASIS_TEXT.items()}
    assert english("termination_kinds") == {str(kind): label for kind, label in LABELS[TerminationKind].items()}


def test_every_signal_printed_with_words_has_its_translations():
    worded = {str(signal): name for signal, name in SIGNAL_NAMES.items() if any(c.islower() for c in name)}
    assert english("signals") == worded
