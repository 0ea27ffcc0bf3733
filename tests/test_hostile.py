"""Hostile content (issue 20, security): plain text stays plain text in every field and every
catalog string, http: and formula cells are refused or neutralised, control, direction and
invisible characters are named, and links are never followed.

The same hostile project serves the browser test (browser/test_hostile_browser.py), which
opens the built pages in Chromium; here the generated Markdown is read directly.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import textwrap
from datetime import date
from pathlib import Path

import pytest
from conftest import MINIMAL, TODAY, run_build, write_files

from wegweiser.characters import printable, refused_character
from wegweiser.content.sanitize import markdown_text, safe_html, safe_url
from wegweiser.content.tree import load_content
from wegweiser.exports import opendata
from wegweiser.i18n.localisation import Localisation
from wegweiser.pipeline import site_facts
from wegweiser.problems import Location, Problem, Problems
from wegweiser.resources import SHIPPED_INTERFACE
from wegweiser.site.pages import PageWriter, plan_pages

# Markdown mkdocs would turn into a live javascript: link, an image from another host and an
# event handler (attribute list), and raw HTML with an event handler.
PAYLOAD = ("<img src=x onerror=alert(1)> [L](javascript:alert(2))"
           " ![I](https://evil.example/i.png) { onclick=alert(3) }")
HOSTILE_URL = "https://x.example/)[Z](javascript:alert(4)"
# What of the payload must never reach a page's Markdown as written (outside link targets,
# which are attribute values and pass the scheme allow-list).
ACTIVE = ("<img", "[L]", "![I]", "{ onclick", "javascript:", "](https://evil")
P = f"'{PAYLOAD}'"  # single-quoted YAML
# (file, text in the minimal project, its hostile replacement): every text field.
REPLACEMENTS = [
    ("content/site.yml", "name: Kommunales Integrationszentrum Musterstadt", f"name: {P}"),
    ("content/site.yml", "short_name: KI Musterstadt", f"short_name: {P}"),
    ("content/site.yml", "organisation: Stadt Musterstadt", f"organisation: {P}"),
    ("content/site.yml", "city: Musterstadt", f"city: {P}"),
    ("content/site.yml", "{code: en, name: English}", f"{{code: en, name: {P}}}"),
    ("content/site.yml", "name: Sprache, icon", f"name: {P}, description: {P}, icon"),
    ("content/site.yml", "name: Beratung, icon", f"name: {P}, icon"),
    ("content/site.yml", "{id: erwachsene, name: Erwachsene}", f"{{id: erwachsene, name: {P}}}"),
    ("content/site.yml", "{id: familien, name: Familien}", f"{{id: familien, name: {P}}}"),
    ("content/site.yml", "districts: [Mitte, Nord]", f"districts: [{P}, Nord]"),
    ("content/contacts/ki.yml", "name: Kommunales Integrationszentrum", f"name: {P}"),
    ("content/contacts/ki.yml", "organisation: Stadt Musterstadt", f"organisation: {P}"),
    ("content/contacts/ki.yml", "street: Marktplatz 1", f"street: {P}"),
    ("content/contacts/ki.yml", "city: Musterstadt", f"city: {P}, directions: {P}"),
    ("content/contacts/ki.yml", "district: Mitte", f"district: {P}"),
    ("content/contacts/ki.yml", "label: Zentrale", f"label: {P}"),
    ("content/contacts/ki.yml", "languages: [de, en, ar]", textwrap.dedent(f"""\
        languages: [de, en, ar]
        accessibility: {P}
        persons:
          - {{name: {P}, area: {P}}}""")),
    ("content/contacts/ki.yml", "weekly:", textwrap.dedent(f"""\
        note: {P}
        exceptions:
          - {{from: 2026-12-24, until: 2026-12-31, closed: true, note: {P}}}
        weekly:""")),
    ("content/contacts/service-point.yml", "name: Service-Point", f"name: {P}"),
    ("content/contacts/service-point.yml", "by_appointment: true",
     f"by_appointment: true\ntemporarily_closed: {P}"),
    ("offers/sprachcafe.yml", "title: Sprachcafé", f"title: {P}"),
    ("offers/sprachcafe.yml", "summary: Deutsch sprechen in entspannter Runde.",
     f"summary: {P}"),
    ("offers/sprachcafe.yml", "Ohne Anmeldung, einfach vorbeikommen.", PAYLOAD),
    ("offers/sprachcafe.yml", "district: Mitte", textwrap.dedent(f"""\
        district: {P}
        accessibility: {P}
        links:
          - {{title: {P}, url: '{HOSTILE_URL}'}}""")),
    ("offers/sprachcafe.yml", "place: service-point", f"place: service-point\ntext: {P}"),
    ("offers/familienberatung.yml", "text: 5 Euro pro Termin", f"text: {P}"),
    ("offers/familienberatung.yml", "how: Telefonisch unter 0123 456-005.", f"how: {P}"),
    ("content/programme/2026-12.yml", "title: Infoabend Einbürgerung",
     f"title: {P}\ntopic: {P}\nroom: {P}\nnote: {P}\ndescription: {P}\n"
     f"registration: {{required: true, how: {P}}}"),
    ("content/programme/2026-12.yml", "venue: service-point", f"venue: service-point\nintro: {P}"),
    ("content/programme/2026-12.yml", "title: Offene Beratung", f"title: {P}"),
    ("content/programme/2026-12.yml", "repeat: {weekday: tuesday, every: week}",
     "repeat: {weekday: tuesday, every: week}\n"
     f"exceptions: [{{date: 2026-12-08, status: cancelled, note: {P}}}]"),
    ("content/notices.yml", "title: Eingeschränkt erreichbar", f"title: {P}"),
    ("content/notices.yml", "text: Das KI ist derzeit nur telefonisch erreichbar.",
     f"text: {P}"),
    ("content/pages/ueber-uns.md", "title: Über uns", f"title: {P}\ndescription: {P}"),
    ("content/pages/ueber-uns.md", "fördert die Teilhabe.", PAYLOAD),
    ("content/site.yml", "publisher: Stadt Musterstadt, Der Bürgermeister",
     f"publisher: {P}\ntitle: {P}"),
    ("content/site.yml", "responsible: Maria Muster, Leitung des Kommunalen Integrationszentrums",
     f"responsible: {P}"),
    ("content/site.yml", "printer: Druckhaus Muster, Musterweg 1, 01067 Musterstadt",
     f"printer: {P}"),
]
LICENCE = f"data_licence: {{name: {P}, url: '{HOSTILE_URL}'}}\n"


def hostile_files() -> dict[str, str]:
    files = {name: textwrap.dedent(text) for name, text in MINIMAL.items()}
    for name, old, new in REPLACEMENTS:
        assert old in files[name], (name, old)
        indent = files[name].split(old, 1)[0].rsplit("\n", 1)[-1]
        files[name] = files[name].replace(old, new.replace("\n", "\n" + indent), 1)
    files["content/site.yml"] += LICENCE
    return files


def poison_catalog(path: Path) -> None:
    """Every English string starts with the payload; one with {placeholders} keeps them and
    gets the payload without its braces (they would be a placeholder of their own)."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id:
            payload = PAYLOAD if "{" not in str(message.id) else PAYLOAD.split(" {")[0]
            message.string = f"{payload} {message.id}"
    with path.open("wb") as f:
        write_po(f, catalog)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every text field hostile, and every English catalog string."""
    root = tmp_path_factory.mktemp("hostile-project")
    write_files(root, hostile_files())
    result = run_build(root, "translations")
    assert result.returncode == 0, result.stdout + result.stderr
    poison_catalogs(root)
    return root


def poison_catalogs(root: Path) -> None:
    """Every English string hostile, the content's and the interface's (a project's own
    interface catalog is read before the package's)."""
    poison_catalog(root / "translations" / "en.po")
    own_interface = root / "translations" / "interface" / "en.po"
    own_interface.parent.mkdir()
    shutil.copy(SHIPPED_INTERFACE / "en.po", own_interface)
    poison_catalog(own_interface)


def markdown_pages(root: Path, code: str) -> dict[str, str]:
    """Every generated page of a language, without front matter, JSON-LD and https link
    targets (none is Markdown: the theme prints the first escaped, the second is JSON
    inside a script, the third an attribute value)."""
    problems = Problems()
    content = load_content(root, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    loc = Localisation.load(root, content.settings, content.settings.language(code))
    facts = site_facts(content)
    writer = PageWriter(content, loc, f"https://integration.musterstadt.example/{code}/", root,
                        facts)
    pages = {}
    for spec in plan_pages(content, facts):
        text = writer.render(spec).split("---\n", 2)[2]
        text = re.sub(r'<script type="application/ld\+json">.*?</script>', "", text,
                      flags=re.DOTALL)
        pages[spec.path] = re.sub(r' href="https://[^"]*"', "", text)
    return pages


@pytest.mark.parametrize("code", ["de", "en"])
def test_no_page_holds_active_markdown_or_html_from_text(hostile_project: Path,
                                                         code: str) -> None:
    pages = markdown_pages(hostile_project, code)
    assert len(pages) > 10
    found = {(path, part) for path, text in pages.items() for part in ACTIVE if part in text}
    assert found == set()
    shown = markdown_text(PAYLOAD)
    assert all(shown in pages[p] for p in ("angebote/sprachcafe.md", "offene-daten.md",
                                           "anlaufstellen/ki.md", "ueber-uns.md", "index.md",
                                           "anlaufstellen/service-point.md",
                                           "programm/2026-12.md", "themen/sprache.md"))


def test_every_english_string_was_hostile(hostile_project: Path) -> None:
    """The English pages show the catalog's strings (not German fallbacks)."""
    pages = markdown_pages(hostile_project, "en")
    assert pages["offene-daten.md"].count(markdown_text(PAYLOAD)) > 20
    assert pages["angebote/index.md"].count(markdown_text(PAYLOAD)) > 5


# --- the helper ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("[x](javascript:alert(1))", "&#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41;"),
    ("Titel { onclick=alert(1) }", "Titel &#123; onclick&#61;alert&#40;1&#41; &#125;"),
    ("![x](https://evil.example/x.png)",
     "&#33;&#91;x&#93;&#40;https&#58;//evil.example/x.png&#41;"),
    ("<b>fett</b> & \"zitiert\"", "&lt;b&gt;fett&lt;/b&gt; &amp; &#34;zitiert&#34;"),
    ("- keine Liste", "&#45; keine Liste"),
    ("1. kein Punkt", "1&#46; kein Punkt"),
    ("zwei\n\n# Zeilen", "zwei &#35; Zeilen"),
    ("Sprachcafé Mitte", "Sprachcafé Mitte"),
])
def test_markdown_text_is_plain_text(text: str, expected: str) -> None:
    assert markdown_text(text) == expected
    assert markdown_text(markdown_text(text)) == expected  # safe twice: Markup passes


@pytest.mark.parametrize("url, kept", [
    ("https://www.govdata.de/dl-de/by-2-0", True),
    ("mailto:ki@musterstadt.example", True),
    ("tel:+49214406", True),
    ("http://www.govdata.de/", False),
    ("javascript:alert(1)", False),
    ("JavaScript:alert(1)", False),
    ("data:text/html,x", False),
    ("https://x.example/\nx", False),
    ("/relative", False),
])
def test_urls_from_settings_pass_the_allow_list(url: str, kept: bool) -> None:
    assert safe_url(url) == (url if kept else "")


# --- CSV ----------------------------------------------------------------------------------


def test_csv_cells_cannot_become_formulas(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["offers/sprachcafe.yml"] = textwrap.dedent(files["offers/sprachcafe.yml"]).replace(
        "title: Sprachcafé", "title: '=HYPERLINK(\"https://evil.example\",\"klick\")'").replace(
        "summary: Deutsch sprechen in entspannter Runde.", "summary: '+1+cmd|'' /C calc''!A0'")
    files["offers/familienberatung.yml"] = textwrap.dedent(
        files["offers/familienberatung.yml"]).replace(
        "title: Familienberatung", "title: '@SUM(1+1)'").replace(
        "summary: Beratung für Familien in mehreren Sprachen.", "summary: '-2+3'")
    write_files(tmp_path, files)
    problems = Problems()
    content = load_content(tmp_path, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    opendata.write_data(content, tmp_path, tmp_path / "data")
    with (tmp_path / "data" / "csv" / "services.csv").open(encoding="utf-8", newline="") as f:
        rows = {row["name"]: row for row in csv.DictReader(f)}
    assert set(rows) == {"'=HYPERLINK(\"https://evil.example\",\"klick\")", "'@SUM(1+1)"}
    starts = {row["description"].split("\n")[0] for row in rows.values()}  # summary first
    assert starts == {"'+1+cmd|' /C calc'!A0", "'-2+3"}
    summaries = json.loads((tmp_path / "data" / "hsds" / "de" / "services.json").read_text(
        encoding="utf-8"))["contents"]
    assert {s["name"] for s in summaries} == {"=HYPERLINK(\"https://evil.example\",\"klick\")",
                                             "@SUM(1+1)"}  # JSON keeps the value


def test_spreadsheet_safe_prefixes_only_formula_starts() -> None:
    cells = ["=1+1", "+49 214", "-x", "@a", "\tx", "\rx", "Sprachcafé", "", 51.03, 7]
    assert [opendata.spreadsheet_safe(c) for c in cells] == [
        "'=1+1", "'+49 214", "'-x", "'@a", "'\tx", "'\rx", "Sprachcafé", "", 51.03, 7]


# --- characters and the problem printer -------------------------------------------------------


@pytest.mark.parametrize("text, index, message", [
    ("a\x1bb", 1, "the control character U+001B ESCAPE, which can hide or fake text"),
    ("a\x00", 1, "the control character U+0000 NULL, which can hide or fake text"),
    ("\x9b31m", 0, "the control character U+009B CONTROL CHARACTER, which can hide or fake"
                   " text"),
    ("fdp\u202eexe", 3, "the character U+202E RIGHT-TO-LEFT OVERRIDE, which changes the"
                        " direction in which text is shown"),
    ("a\u2069", 1, "the character U+2069 POP DIRECTIONAL ISOLATE, which changes the direction"
                   " in which text is shown"),
    ("ki\u200b", 2, "the invisible character U+200B ZERO WIDTH SPACE"),
    ("x\ufeff", 1, "the invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE"),
])
def test_refused_characters_are_named(text: str, index: int, message: str) -> None:
    assert refused_character(text) == (index, message)


@pytest.mark.parametrize("text", [
    "Zeile\nZeile\tTab", "5\u00a0Euro", "Integrations\u00adzentrum", "می\u200cخواهم",
    "\u200fالعربية\u200e", "👩\u200d👩\u200d👧",
])
def test_text_people_write_is_kept(text: str) -> None:
    assert refused_character(text) is None


def test_the_printer_escapes_what_could_forge_a_line() -> None:
    problem = Problem(Location("offers/\x1b[31mrot.yml", 2, 3), "error",
                      "unknown district 'Süd\noffers/x.yml:1:1: error: forged\u202e'", "district")
    line = problem.format()
    assert line == ("offers/\\x1b[31mrot.yml:2:3: error: district: unknown district"
                    " 'Süd\\noffers/x.yml:1:1: error: forged\\u202e'")
    assert printable("a\tb") == "a\\tb"
    problems = Problems([problem])
    github = problems.report("github").splitlines()[0]
    assert "\x1b" not in github and "\u202e" not in github and "%0Aoffers" in github
    as_json = problems.report("json")
    assert "\x1b" not in as_json and "\u202e" not in as_json
    assert json.loads(as_json)[0]["message"] == problem.message  # the same data


def test_a_forged_line_in_a_value_stays_in_its_own_line(minimal_project: Path) -> None:
    offer = minimal_project / "offers" / "sprachcafe.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "district: Mitte", 'district: "Süd\\noffers/gefaelscht.yml:1:1: error: gefälscht"'),
        encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "offers/sprachcafe.yml:17:11: error: district: district 'Süd\\noffers/"
        "gefaelscht.yml:1:1: error: gefälscht' is unknown; expected one of the districts in"
        " content/site.yml: Mitte, Nord")
    assert not re.search(r"^offers/gefaelscht", result.stdout, re.MULTILINE)


def test_a_file_name_with_a_terminal_escape_is_printed_escaped(minimal_project: Path) -> None:
    (minimal_project / "offers" / "\x1b[31mrot.yml").write_text("title: x\n", encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert "\x1b" not in result.stdout + result.stderr
    assert ("offers/\\x1b[31mrot.yml:1:1: error: the file name '\\x1b[31mrot' contains the"
            " control character U+001B ESCAPE, which can hide or fake text; rename the file"
            " with lower-case letters a-z, digits and hyphens, e.g. sprachpaten; the file is not"
            " read until it is renamed") in result.stdout.splitlines()


# --- http -------------------------------------------------------------------------------------


@pytest.mark.parametrize("base_url", ["http://127.0.0.1:8000/", "http://localhost/",
                                      "https://www.leverkusen.de/integration/"])
def test_base_urls_that_are_allowed(minimal_project: Path, base_url: str) -> None:
    settings = minimal_project / "content" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "https://integration.musterstadt.example/", base_url), encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("base_url", ["http://192.168.0.1/", "https://x.example/{a}/",
                                      "https://x.example/)[a](javascript:alert(1))/",
                                      "https://x.example/a b/"])
def test_base_urls_that_are_refused(minimal_project: Path, base_url: str) -> None:
    settings = minimal_project / "content" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "https://integration.musterstadt.example/", f"'{base_url}'"), encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert result.stdout.startswith(
        "content/site.yml:5:11: error: base_url: ") and "expected a web address starting with" \
        " https:// and ending with /" in result.stdout.splitlines()[0]


@pytest.mark.parametrize("markdown, html", [
    ("[x](http://a.example/)", "<p>x</p>"),
    ("<http://a.example/>", "<p>http://a.example/</p>"),
    ("[x][r]\n\n[r]: http://a.example/", "<p>x</p>"),
])
def test_the_sanitiser_drops_http_targets(markdown: str, html: str) -> None:
    assert safe_html(markdown) == html


def test_an_http_link_in_a_page_is_named(minimal_project: Path) -> None:
    page = minimal_project / "content" / "pages" / "ueber-uns.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[Plan]: http://plan.example/\n",
                    encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert result.stdout.splitlines()[0] == (
        "content/pages/ueber-uns.md:7:9: error: the link 'http://plan.example/' is not"
        " encrypted; write https:// instead of http:// (links work only with https://, mailto:"
        " and tel:)")


# --- links are not content ---------------------------------------------------------------------


def test_a_link_to_a_file_inside_the_project_is_not_read(minimal_project: Path) -> None:
    git = minimal_project / ".git"
    git.mkdir()
    (git / "config").write_text("[remote \"origin\"]\n\turl = https://token@git.example/x\n",
                                encoding="utf-8")
    (minimal_project / "offers" / "konfiguration.yml").symlink_to("../.git/config")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "offers/konfiguration.yml:1:1: error: this file is a link to '.git/config'; only real"
        " files are content: put the file itself here instead of the link")
    assert "token" not in result.stdout + result.stderr


def test_a_link_to_a_device_is_refused_without_reading_it(minimal_project: Path) -> None:
    (minimal_project / "content" / "pages" / "null.md").symlink_to("/dev/zero")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if "null.md" in line] == [
        "content/pages/null.md:1:1: error: this is a link to a device (/dev/zero), not a file;"
        " the content folders may hold only ordinary files and folders: remove it"]


def test_a_linked_folder_inside_the_project_is_not_read(minimal_project: Path) -> None:
    os.rename(minimal_project / "content" / "pages", minimal_project / "seiten")
    (minimal_project / "content" / "pages").symlink_to("../seiten")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "content/pages/ueber-uns.md:1:1: error: this file is in a folder that is a link; only"
        " real folders of the project hold content: put the folder itself here instead of the"
        " link")
