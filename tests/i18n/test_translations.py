"""The gettext catalogs: extraction, updates with fuzzy and obsolete entries, coverage."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import write_po
from conftest import MINIMAL, REPO, run_build, write_files

from wegweiser.content.po import read_catalog
from wegweiser.content.tree import load_content
from wegweiser.i18n import catalogs
from wegweiser.i18n.localisation import Translator
from wegweiser.i18n.messages import Message, coverage_texts, extract, ui_messages
from wegweiser.model import Language, Settings
from wegweiser.problems import Problems
from wegweiser.resources import PACKAGE, SHIPPED_INTERFACE

SHIPPED = sorted((REPO / "translations").glob("*.po*")) + sorted(
    (REPO / "wegweiser" / "locale" / "interface").glob("*.po*"))


def read(path: Path) -> Catalog:
    catalog = read_catalog(path)
    assert catalog is not None
    return catalog


def translate(path: Path, texts: dict[tuple[str, str], str], fuzzy: set[str] = frozenset()) -> None:
    """What a translator does in Poedit: fill in msgstr (and leave some fuzzy)."""
    catalog = read(path)
    for (ctx, german), text in texts.items():
        message = catalog.get(german, context=ctx)
        assert message is not None, (ctx, german)
        message.string = text
        if ctx in fuzzy:
            message.flags.add("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=79, include_previous=True)


def update(root: Path) -> subprocess.CompletedProcess[str]:
    result = run_build(root, "translations")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def msgfmt_check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )


def test_every_text_is_extracted_with_context_and_place(minimal_project: Path):
    update(minimal_project)
    pot = read(minimal_project / "translations" / "messages.pot")
    where = {(m.context, m.id): m.locations for m in pot if m.id}
    assert where[("offer/sprachcafe#title", "Sprachcafé")] == [("offers/sprachcafe.yml", 1)]
    assert where[
        (
            "offer/sprachcafe#description",
            "Jeden Dienstag treffen sich Menschen, die Deutsch üben möchten.",
        )
    ] == [("offers/sprachcafe.yml", 4)]
    assert where[("offer/sprachcafe#description", "Ohne Anmeldung, einfach vorbeikommen.")] == [
        ("offers/sprachcafe.yml", 6)
    ]
    assert ("offer/familienberatung#cost_text", "5 Euro pro Termin") in where
    assert ("offer/familienberatung#registration_how", "Telefonisch unter 0123 456-005.") in where
    assert ("contact/ki#phones.label", "Zentrale") in where
    assert where[("programme/2026-12/offene-beratung#title", "Offene Beratung")] == [
        ("content/programme/2026-12.yml", 12)
    ]  # one entry for all the Tuesdays
    assert ("programme/2026-12/info-abend#title", "Infoabend Einbürgerung") in where
    assert ("notice/schliessung#text", "Das KI ist derzeit nur telefonisch erreichbar.") in where
    assert where[
        ("page/ueber-uns#body", "Das Kommunale Integrationszentrum fördert die Teilhabe.")
    ] == [("content/pages/ueber-uns.md", 5)]
    assert ("category/sprache#name", "Sprache") in where
    assert ("audience/familien#name", "Familien") in where
    assert not [ctx for ctx, _ in where if ctx == "ui"]  # interface texts come with the package
    interface = read(SHIPPED_INTERFACE / "interface.pot")
    ui = [m.locations for m in interface if m.id]
    assert ui and all(f.startswith("wegweiser/") for locations in ui for f, _ in locations)
    assert all(m.context == "ui" for m in interface if m.id)
    assert not (minimal_project / "translations" / "interface").exists()  # en, ar are shipped
    for lang in ("en", "ar"):
        catalog = read(minimal_project / "translations" / f"{lang}.po")
        assert str(catalog.locale) == lang and len(catalog) == len(pot)
        assert msgfmt_check(minimal_project / "translations" / f"{lang}.po").returncode == 0


def test_changed_german_makes_the_entry_fuzzy_with_the_previous_text(minimal_project: Path):
    update(minimal_project)
    po = minimal_project / "translations" / "en.po"
    first, second = (
        "Jeden Dienstag treffen sich Menschen, die Deutsch üben möchten.",
        "Ohne Anmeldung, einfach vorbeikommen.",
    )
    translate(
        po,
        {
            ("offer/sprachcafe#title", "Sprachcafé"): "Language café",
            ("offer/sprachcafe#description", first): "Every Tuesday, people meet.",
            ("offer/sprachcafe#description", second): "No registration, just drop in.",
        },
    )
    edit(
        minimal_project / "offers" / "sprachcafe.yml",
        "title: Sprachcafé",
        "title: Sprachcafé am Dienstag",
    )
    edit(
        minimal_project / "offers" / "sprachcafe.yml",
        "einfach vorbeikommen.",
        "kommen Sie einfach vorbei.",
    )
    result = update(minimal_project)
    assert "translations/en.po: updated (2 fuzzy, 0 obsolete)" in result.stdout
    catalog = read(po)
    title = catalog.get("Sprachcafé am Dienstag", context="offer/sprachcafe#title")
    assert (title.string, title.fuzzy, title.previous_id) == ("Language café", True, ["Sprachcafé"])
    kept = catalog.get(first, context="offer/sprachcafe#description")
    assert (kept.string, kept.fuzzy) == ("Every Tuesday, people meet.", False)
    changed = catalog.get(
        "Ohne Anmeldung, kommen Sie einfach vorbei.", context="offer/sprachcafe#description"
    )
    assert (changed.string, changed.fuzzy, changed.previous_id) == (
        "No registration, just drop in.",
        True,
        [second],
    )
    assert '#| msgid "Sprachcafé"' in po.read_text(encoding="utf-8")
    assert not catalog.obsolete
    assert msgfmt_check(po).returncode == 0
    again = update(minimal_project)  # the previous German survives the next update
    assert "translations/en.po: unchanged (2 fuzzy, 0 obsolete)" in again.stdout
    assert '#| msgid "Sprachcafé"' in po.read_text(encoding="utf-8")


def test_removed_offer_makes_its_entries_obsolete(minimal_project: Path):
    update(minimal_project)
    po = minimal_project / "translations" / "en.po"
    translate(po, {("offer/familienberatung#title", "Familienberatung"): "Family counselling"})
    (minimal_project / "offers" / "familienberatung.yml").unlink()
    update(minimal_project)
    catalog = read(po)
    assert catalog.get("Familienberatung", context="offer/familienberatung#title") is None
    gone = catalog.obsolete[("Familienberatung", "offer/familienberatung#title")]
    assert gone.string == "Family counselling"
    assert '#~ msgctxt "offer/familienberatung#title"' in po.read_text(encoding="utf-8")
    # untranslated texts of the offer simply disappear; nothing else became obsolete
    assert list(catalog.obsolete) == [("Familienberatung", "offer/familienberatung#title")]
    assert msgfmt_check(po).returncode == 0
    # the offer comes back: its translation is taken up again, as it was
    write_files(
        minimal_project, {"offers/familienberatung.yml": MINIMAL["offers/familienberatung.yml"]}
    )
    update(minimal_project)
    back = read(po).get("Familienberatung", context="offer/familienberatung#title")
    assert (back.string, back.fuzzy) == ("Family counselling", False)


def test_a_newly_configured_language_gets_its_catalog(minimal_project: Path):
    update(minimal_project)
    folder = minimal_project / "translations"
    edit(
        minimal_project / "content" / "site.yml",
        "  - {code: ar, name: العربية, dir: rtl}\n",
        "  - {code: ar, name: العربية, dir: rtl}\n  - {code: tr, name: Türkçe}\n",
    )
    result = update(minimal_project)
    assert "translations/tr.po: updated (0 fuzzy, 0 obsolete, new)" in result.stdout
    tr = read(folder / "tr.po")
    assert (str(tr.locale), tr.plural_forms) == ("tr", get_plural("tr").plural_forms)
    assert msgfmt_check(folder / "tr.po").returncode == 0


def test_only_dates_changed_means_no_file_is_written(
    minimal_project: Path, monkeypatch: pytest.MonkeyPatch
):
    content = load_content(minimal_project, date(2026, 11, 23), Problems())
    assert content is not None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    catalogs.update_catalogs(content, minimal_project, Problems())
    folder = minimal_project / "translations"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795090000")  # a day later
    report = catalogs.update_catalogs(content, minimal_project, Problems())
    assert all(": unchanged (" in line for line in report), report
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert b"POT-Creation-Date: 2026-11-18 11:06+0000" in before["messages.pot"]


def test_coverage_is_counted_over_the_current_texts(minimal_project: Path):
    write_warn_below(minimal_project, 95)
    update(minimal_project)
    folder = minimal_project / "translations"
    total = sum(1 for m in read(folder / "messages.pot") if m.id)
    ui = sum(1 for m in read(SHIPPED_INTERFACE / "interface.pot") if m.id)  # all shipped
    translate(
        folder / "en.po",
        {
            ("offer/sprachcafe#title", "Sprachcafé"): "Language café",
            (
                "offer/sprachcafe#summary",
                "Deutsch sprechen in entspannter Runde.",
            ): "Speak German in a relaxed group.",
            ("category/sprache#name", "Sprache"): "Language",
            ("audience/familien#name", "Familien"): "Families",
        },
        fuzzy={"audience/familien#name"},
    )
    result = run_build(minimal_project, "translations", "--status")
    assert result.returncode == 0
    rows = {
        line.split()[0]: line.split()[-4:]
        for line in result.stdout.splitlines()
        if re.match(r"^(en|ar) ", line)
    }
    # what a reader meets: the content's texts and the interface's, which come translated
    assert rows["en"] == [str(ui + 3), "1", str(total - 4), f"{100 * (ui + 3) / (ui + total):.1f}%"]
    assert rows["ar"] == [str(ui), "0", str(total), f"{100 * ui / (ui + total):.1f}%"]
    assert (
        "translations/en.po: warning: only" in result.stdout
        and "(warn_below: 95 in content/site.yml)" in result.stdout
    )
    assert "messages.pot: " not in result.stdout  # --status writes nothing


def test_coverage_is_written_with_the_decimal_mark_of_the_messages(
        minimal_project: Path) -> None:
    """German messages write "88,4 %", as German does; English ones "88.4%"."""
    write_warn_below(minimal_project, 95)
    update(minimal_project)
    translate(minimal_project / "translations" / "en.po",
              {("offer/sprachcafe#title", "Sprachcafé"): "Language café"})
    german = run_build(minimal_project, "--messages", "de", "translations", "--status")
    [warning] = [line for line in german.stdout.splitlines() if line.startswith("translations/en")]
    [row] = [line for line in german.stdout.splitlines() if line.startswith("en ")]
    percent = re.search(r"nur (\d+,\d) % der Texte", warning)
    assert percent and row.endswith(f" {percent.group(1)}%"), (warning, row)
    english = run_build(minimal_project, "translations", "--status")
    assert f"only {percent.group(1).replace(',', '.')} % of the texts" in english.stdout


def write_warn_below(root: Path, percent: int) -> None:
    site = root / "content" / "site.yml"
    site.write_text(
        site.read_text(encoding="utf-8") + f"translations:\n  warn_below: {percent}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_catalogs_pass_msgfmt_check(path: Path):
    result = msgfmt_check(path)
    assert result.returncode == 0, result.stderr
    if path.suffix == ".po":
        catalog = read(path)
        assert catalog.locale is not None and catalog.plural_forms
        assert catalog.charset == "utf-8"


def test_shipped_catalogs_cover_what_the_issue_promises(shipped_project: Path):
    """All UI strings, categories and audiences everywhere; offers' titles and summaries."""
    update(shipped_project)
    folder = shipped_project / "translations"
    pot = [m for m in read(folder / "messages.pot") if m.id]
    pot += [m for m in read(SHIPPED_INTERFACE / "interface.pot") if m.id]
    promised = [
        m
        for m in pot
        if m.context == "ui"
        or m.context.startswith(("category/", "audience/"))
        or re.match(r"offer/[^#]+#(title|summary)$", m.context)
    ]
    assert len([m for m in promised if m.context == "ui"]) > 150
    for lang in ("en", "ar", "fa", "uk", "ru", "tr"):
        translator = Translator.load(shipped_project, Language(lang, lang), "de")
        missing = [
            (m.context, m.id)
            for m in promised
            if not (found := translator.entry(m.context, m.id)) or found.fuzzy
        ]
        assert not missing, (lang, missing[:5])
    english = Translator.load(shipped_project, Language("en", "English"), "de")
    assert all(english.entry(m.context, m.id) for m in pot)
    assert not (folder / "interface").exists()  # every shipped language has the package's


def test_coverage_counts_the_texts_translations_extracts(shipped_project: Path) -> None:
    """Coverage takes the interface texts from interface.pot (kept equal to the templates
    by the test below) and the content's from the documents kept with the model; the
    result is what `build.py translations` extracts from the code and the files."""
    content = load_content(shipped_project, date(2026, 11, 23), Problems())
    assert content is not None and content.sources is not None

    def texts(found: list[Message]) -> set[tuple[str, str]]:
        return {(m.context, m.text) for m in found}

    extracted = texts(extract(content, shipped_project))
    assert texts(coverage_texts(content, shipped_project)) == extracted
    assert texts(coverage_texts(replace(content, sources=None), shipped_project)) == extracted


def test_shipped_interface_catalogs_hold_every_interface_text():
    """Fails when a template gets a ui("...") text the package's catalogs lack: run
    `.venv/bin/python -m wegweiser.i18n.catalogs` and translate what is new."""
    texts = {m.text for m in ui_messages(PACKAGE, Problems())}
    assert {m.id for m in read(SHIPPED_INTERFACE / "interface.pot") if m.id} == texts
    for path in sorted(SHIPPED_INTERFACE.glob("*.po")):
        catalog = read(path)
        assert {m.id for m in catalog if m.id} == texts, path.name
        assert not [m.id for m in catalog if m.id and (m.fuzzy or not m.string)], path.name


def test_interface_catalog_for_a_language_the_package_lacks(minimal_project: Path):
    """Tigrinya has no interface catalog in the package: the project gets one, seeded from
    interface texts its content catalog held before they were kept apart."""
    edit(minimal_project / "content" / "site.yml", "  - {code: ar, name: العربية, dir: rtl}\n",
         "  - {code: ar, name: العربية, dir: rtl}\n  - {code: ti, name: ትግርኛ}\n")
    folder = minimal_project / "translations"
    folder.mkdir()
    older = Catalog(locale="ti")
    older.add("Alle Angebote", "ኩሎም ኣገልግሎታት", context="ui")
    older.add("Sprachcafé", "ካፌ ቋንቋ", context="offer/sprachcafe#title")
    with (folder / "ti.po").open("wb") as f:
        write_po(f, older)
    result = update(minimal_project)
    assert "translations/interface/ti.po: updated" in result.stdout
    assert not (folder / "interface" / "en.po").exists()
    interface = read(folder / "interface" / "ti.po")
    assert {m.context for m in interface if m.id} == {"ui"}
    assert len([m for m in interface if m.id]) == len(
        [m for m in read(SHIPPED_INTERFACE / "interface.pot") if m.id])
    content = read(folder / "ti.po")
    assert all(m.context != "ui" for m in content if m.id)
    assert content.get("Sprachcafé", context="offer/sprachcafe#title").string == "ካፌ ቋንቋ"
    translator = Translator.load(minimal_project, Language("ti", "ትግርኛ"), "de")
    assert translator.ui("Alle Angebote") == "ኩሎም ኣገልግሎታት"
    assert translator.ui("Suche").fallback  # not translated yet: German, marked

    # the interface texts left in the content catalog are obsolete there; on request gone
    assert ("Alle Angebote", "ui") in content.obsolete
    run_build(minimal_project, "translations", "--drop-obsolete")
    assert not read(folder / "ti.po").obsolete
    assert Translator.load(minimal_project, Language("ti", "ትግርኛ"), "de").ui(
        "Alle Angebote") == "ኩሎም ኣገልግሎታት"


def test_a_project_can_change_the_wording_of_a_shipped_language(minimal_project: Path):
    own = Catalog(locale="en")
    own.add("Alle Angebote", "Everything we offer", context="ui")
    (minimal_project / "translations" / "interface").mkdir(parents=True)
    with (minimal_project / "translations" / "interface" / "en.po").open("wb") as f:
        write_po(f, own)
    english = Translator.load(minimal_project, Language("en", "English"), "de")
    assert english.ui("Alle Angebote") == "Everything we offer"
    assert english.ui("Suche") == "Search"  # the rest from the package
    result = update(minimal_project)
    assert "translations/interface/en.po: updated" in result.stdout  # kept up to date


def test_catalogs_of_languages_no_longer_configured_are_named(minimal_project: Path):
    update(minimal_project)
    folder = minimal_project / "translations"
    shutil.copy(folder / "ar.po", folder / "kmr.po")
    result = update(minimal_project)
    assert ("translations/kmr.po: not used, kmr is not a language of content/site.yml"
            " (delete the file if it is no longer needed)") in result.stdout
    assert (folder / "kmr.po").exists()  # never deleted


class Elements(HTMLParser):
    """Each element's attributes and the text directly inside it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None], str]] = []
        self.open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs), ""))
        self.open.append(len(self.found) - 1)

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open:
            i = self.open[-1]
            tag, attrs, text = self.found[i]
            self.found[i] = (tag, attrs, text + data)


@pytest.mark.slow
def test_page_shows_german_with_a_note_where_the_translation_is_outdated(minimal_project: Path):
    """The shipped English catalog brings the UI strings, among them the note."""
    folder = minimal_project / "translations"
    folder.mkdir()
    shutil.copy(REPO / "translations" / "en.po", folder / "en.po")
    edit(minimal_project / "content" / "programme" / "2026-12.yml",
         "    title: Offene Beratung\n", "    title: Offene Beratung\n    room: Großer Saal\n")
    update(minimal_project)
    translate(folder / "en.po", {("offer/sprachcafe#title", "Sprachcafé"): "Language café",
                                 ("programme/2026-12/offene-beratung#room", "Großer Saal"):
                                     "Main hall"})
    edit(
        minimal_project / "offers" / "sprachcafe.yml",
        "title: Sprachcafé",
        "title: Sprachcafé am Dienstag",
    )
    update(minimal_project)
    result = run_build(minimal_project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    page = minimal_project / "site" / "en" / "angebote" / "sprachcafe" / "index.html"
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    found = parser.found
    h1 = next(i for i, (tag, _, _) in enumerate(found) if tag == "h1")
    assert found[h1 + 1][1].get("lang") == "de"
    assert found[h1 + 1][2] == "Sprachcafé am Dienstag"
    note = "Parts of this page have not been translated yet and are shown in German."
    assert any(text.strip() == note for _, _, text in found)
    programme = (minimal_project / "site" / "en" / "programm" / "2026-12" / "index.html")
    assert "Room: Main hall" in " ".join(programme.read_text(encoding="utf-8").split()) \
        .replace("</span>", "").replace('<span lang="en">', "")
    figures = json.loads((minimal_project / "site" / "translations.json").read_text())
    status = run_build(minimal_project, "translations", "--status").stdout
    en = next(line.split()[-4:] for line in status.splitlines() if line.startswith("en "))
    assert [str(figures["en"][k]) for k in ("translated", "fuzzy", "missing")] == en[:3]
    interface = sum(1 for m in read(SHIPPED_INTERFACE / "interface.pot") if m.id)
    assert figures["en"]["fuzzy"] >= 1
    assert figures["ar"]["translated"] == interface  # the package's; none of the content


def test_a_leichte_sprache_catalog_keeps_its_private_use_tag(tmp_path: Path):
    """de-x-ls is valid BCP 47 that Babel cannot parse; plural rules come from `formats`."""
    settings = Settings(
        "KI",
        "Stadt",
        "Musterstadt",
        "https://ki.example/",
        "ki",
        (Language("de", "Deutsch"),),
        (),
        (),
        short_name="KI",
    )
    language = Language("de-x-ls", "Leichte Sprache", formats="de")
    template = catalogs.build_template(
        [Message("offers/a.yml", 1, "offer/a#title", "Sprachcafé")],
        settings,
        datetime(2026, 11, 23, tzinfo=UTC),
    )
    path = tmp_path / "translations" / "de-x-ls.po"
    catalog = catalogs.merge(template, None, catalogs.catalog_for(language, None, template))
    catalog.get("Sprachcafé", context="offer/a#title").string = "Deutsch-Treff"
    assert catalogs.write_if_changed(path, catalog)
    assert msgfmt_check(path).returncode == 0
    text = path.read_text(encoding="utf-8")
    assert '"Language: de-x-ls\\n"' in text and "Plural-Forms: nplurals=2;" in text
    again = read(path)
    rewritten = catalogs.merge(template, again, catalogs.catalog_for(language, again, template))
    assert not catalogs.write_if_changed(path, rewritten)
    translator = Translator.load(tmp_path, language, "de")
    assert translator.text("offer/a#title", "Sprachcafé") == "Deutsch-Treff"


def test_a_broken_catalog_is_reported_and_left_alone(minimal_project: Path):
    update(minimal_project)
    po = minimal_project / "translations" / "en.po"
    broken = po.read_text(encoding="utf-8").replace('msgstr ""\n\n#:', "\n#:", 1)  # no msgstr
    po.write_text(broken, encoding="utf-8")
    result = run_build(minimal_project, "translations")
    assert result.returncode == 1
    # Catalogs are checked with the content, before the command touches any of them.
    assert re.search(
        r"^translations/en\.po:\d+:1: error: this entry needs both a msgid and a msgstr line",
        result.stdout,
        re.MULTILINE,
    ), result.stdout
    assert po.read_text(encoding="utf-8") == broken
