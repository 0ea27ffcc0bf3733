"""languages.py: one name for each language, in the reader's language and in its own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import MINIMAL, TODAY, write_files

from wegweiser.content.tree import load_content
from wegweiser.i18n.languages import autonym, language_name
from wegweiser.model import Language
from wegweiser.problems import Problems

DE, EN, AR = Language("de", "Deutsch"), Language("en", "English"), Language("ar", "العربية", "rtl")
LS = Language("de-x-ls", "Leichte Sprache", formats="de", names=(("en", "Easy German"),))
KMR = Language("kmr", "Kurmancî", names=(("de", "Kurmandschi"),))
CONFIGURED = (DE, EN, AR, LS, KMR)


def test_a_language_is_named_in_the_readers_language_by_cldr() -> None:
    assert language_name("ar", DE, CONFIGURED) == "Arabisch"
    assert language_name("ckb", DE, CONFIGURED) == "Zentralkurdisch"
    assert language_name("de", AR, CONFIGURED) == "الألمانية"
    assert language_name("ar", DE, CONFIGURED).lang == "de"


def test_a_name_never_holds_a_territory() -> None:
    """Babel's display name of kmr guesses ku_Latn_TR: "Kurdisch (Lateinisch, Türkei)"."""
    assert language_name("kmr", DE, CONFIGURED) == "Kurmandschi"
    assert language_name("kmr", EN, CONFIGURED) == "Kurmancî"  # its own name: none for en
    assert language_name("kmr", EN, ()) == "kmr"
    assert language_name("pt-BR", DE, ()) == "Portugiesisch"
    assert "Türkei" not in autonym("kmr", ())


def test_a_language_cldr_does_not_know_never_fails() -> None:
    assert language_name("prs", DE, ()) == "prs"
    assert autonym("prs", ()) == "prs"
    dari = Language("prs", "دری", "rtl", names=(("de", "Dari"),))
    assert language_name("prs", DE, (dari,)) == "Dari"
    assert language_name("prs", EN, (dari,)) == "دری"
    assert language_name("prs", EN, (dari,)).lang == "prs"
    assert language_name("ar", dari, (dari,)) == "العربية"  # no names for a reader unknown to CLDR


def test_a_private_use_tag_takes_its_configured_names() -> None:
    """de-x-ls is not "Deutsch": the base language would name Leichte Sprache wrongly."""
    assert language_name("de-x-ls", EN, CONFIGURED) == "Easy German"
    assert language_name("de-x-ls", DE, CONFIGURED) == "Leichte Sprache"
    assert language_name("en", LS, CONFIGURED) == "Englisch"  # its formats are German


def test_an_autonym_is_the_configured_name_else_cldrs_capitalised() -> None:
    assert autonym("ar", CONFIGURED) == "العربية"
    assert autonym("ru", ()) == "Русский"
    assert autonym("ckb", ()) == "کوردیی ناوەندی"
    assert autonym("de-x-ls", CONFIGURED) == "Leichte Sprache"


def test_site_yml_gives_names_per_reader_language(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["content/site.yml"] = MINIMAL["content/site.yml"].replace(
        "- {code: ar, name: العربية, dir: rtl}\n",
        "- {code: ar, name: العربية, dir: rtl}\n"
        "          - {code: kmr, name: Kurmancî, names: {de: Kurmandschi, en: Kurmanji}}\n")
    write_files(tmp_path, files)
    problems = Problems()
    content = load_content(tmp_path, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    kmr = content.settings.language("kmr")
    assert language_name("kmr", content.settings.language("en"), content.settings.languages) \
        == "Kurmanji"
    assert dict(kmr.names) == {"de": "Kurmandschi", "en": "Kurmanji"}


def test_names_in_site_yml_are_checked_by_the_schema(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["content/site.yml"] = MINIMAL["content/site.yml"].replace(
        "- {code: en, name: English}\n",
        "- {code: en, name: English, names: {Deutsch: Englisch}}\n")
    write_files(tmp_path, files)
    problems = Problems()
    assert load_content(tmp_path, date.fromisoformat(TODAY), problems) is None
    assert any("names" in p.path for p in problems.errors), problems.report()
