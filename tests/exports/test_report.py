"""The content-health report: as text from `build.py report`, as HTML in build/report.html."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import TODAY, run_build, write_files

from wegweiser.content.tree import load_content
from wegweiser.exports import report
from wegweiser.i18n import catalogs
from wegweiser.model import Content
from wegweiser.problems import Problems

# today is 2026-11-23: reviewed 2025-06-30 is older than 12 months, 2026-12-10 is 17 days
# away, 2026-11-01 is past; the archive is named by no offer and no programme entry.
NEEDS_CARE = {
    "offers/veraltet.yml": """\
        title: Veraltetes Angebot
        summary: Lange nicht geprüft.
        description: Text.
        category: beratung
        audience: [familien]
        languages: [de]
        provider: ki
        cost: {free: true}
        registration: {required: false}
        last_reviewed: 2025-06-30
        """,
    "offers/bald-vorbei.yml": """\
        title: Wintersprechstunde
        summary: Nur bis Mitte Dezember.
        description: Text.
        category: beratung
        audience: [familien]
        languages: [de]
        provider: ki
        cost: {free: true}
        registration: {required: false}
        valid_until: 2026-12-10
        last_reviewed: 2026-10-01
        """,
    "offers/vorbei.yml": """\
        title: Sommerkurs
        summary: Vorbei.
        description: Text.
        category: sprache
        audience: [erwachsene]
        languages: [de]
        provider: ki
        cost: {free: true}
        registration: {required: false}
        valid_until: 2026-11-01
        last_reviewed: 2026-10-01
        """,
    "content/contacts/archiv.yml": """\
        name: Altes Archiv
        organisation: Stadt Musterstadt
        address: {street: Kellerweg 9, postcode: 01067, city: Musterstadt}
        phones: [{number: 0123 99}]
        last_reviewed: 2026-10-01
        """,
}


@pytest.fixture
def project(minimal_project: Path) -> Path:
    write_files(minimal_project, NEEDS_CARE)
    return minimal_project


def load(root: Path, today: str = TODAY) -> Content:
    problems = Problems()
    content = load_content(root, date.fromisoformat(today), problems)
    assert content is not None, problems.report("text")
    return content


class Tables(HTMLParser):
    """The report's sections: heading text and the cells of every finding row."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: dict[str, list[list[str]]] = {}
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self._heading: str | None = None
        self._current = ""
        self._row: list[str] | None = None
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta" and a.get("name"):
            self.meta[a["name"] or ""] = a.get("content") or ""
        elif tag == "a":
            self.links.append(a.get("href") or "")
        elif tag == "h2":
            self._heading = ""
        elif tag == "tr" and a.get("class") == "finding":
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._heading is not None:
            self._current = self._heading.strip()
            self.sections[self._current] = []
            self._heading = None
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row.append(self._cell.strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.sections[self._current].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading += data
        if self._cell is not None:
            self._cell += data


def parsed(html: str) -> Tables:
    tables = Tables()
    tables.feed(html)
    return tables


def section(tables: Tables, start: str) -> list[list[str]]:
    return next(rows for title, rows in tables.sections.items() if title.startswith(start))


def test_the_command_prints_every_finding(project: Path) -> None:
    result = run_build(project, "report")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout.split("## Übersetzungen")[0]
    assert ("offers/veraltet.yml: Veraltetes Angebot: zuletzt geprüft am 30.06.2025"
            " (vor 16 Monaten)") in out
    assert "offers/bald-vorbei.yml: Wintersprechstunde: läuft am 10.12.2026 ab (in 17 Tagen)" in out
    assert "offers/vorbei.yml: Sommerkurs: abgelaufen am 01.11.2026" in out
    assert "content/contacts/archiv.yml: Altes Archiv: kein Angebot" in out
    assert "content/programme/2026-11.yml: Programm 2026-11: fehlt (dieser Monat)" in out
    assert "downloads/wegweiser-de.pdf: nicht gebaut" in result.stdout
    # the others are fine: not listed
    assert "sprachcafe.yml" not in out and "familienberatung.yml" not in out
    assert "content/contacts/ki.yml: Kommunales" not in out


def test_the_html_report_lists_each_finding(project: Path, tmp_path: Path) -> None:
    content = load(project)
    site = tmp_path / "site"
    site.mkdir()
    html = report.write_report(content, project, site).read_text(encoding="utf-8")
    tables = parsed(html)
    assert tables.meta["robots"].startswith("noindex")
    assert [r[:2] for r in section(tables, "Länger als 12 Monate")] == [
        ["offers/veraltet.yml", "Veraltetes Angebot"]]
    expiring = {(r[0], r[2]) for r in section(tables, "Angebote, die in den nächsten 30 Tagen")}
    assert expiring == {("offers/bald-vorbei.yml", "läuft am 10.12.2026 ab (in 17 Tagen)"),
                        ("offers/vorbei.yml",
                         "abgelaufen am 01.11.2026, nicht mehr auf der Website")}
    assert [r[:2] for r in section(tables, "Anlaufstellen, auf die nichts")] == [
        ["content/contacts/archiv.yml", "Altes Archiv"]]
    assert section(tables, "Angebote ohne Kontaktweg") == []
    assert "<script" not in html and not [link for link in tables.links if "//" in link]


def test_an_offer_nobody_can_reach(minimal_project: Path) -> None:
    """The contact schema asks for a way to reach every contact point; the report still
    checks, since a provider's only route may be a person's phone that was removed."""
    content = load(minimal_project)
    silent = [replace(c, phones=(), email="", website="") for c in content.contacts]
    found = report.offers_without_route(replace(content, contacts=tuple(silent))).findings
    assert [(f.file, f.what) for f in found] == [
        ("offers/familienberatung.yml", "Familienberatung"),
        ("offers/sprachcafe.yml", "Sprachcafé")]
    assert report.offers_without_route(content).findings == ()


def test_a_healthy_project_has_nothing_open(minimal_project: Path, tmp_path: Path) -> None:
    content = load(minimal_project, today="2026-12-05")  # December and January to come
    write_files(minimal_project, {"content/programme/2027-01.yml": """\
        venue: service-point
        events:
          - {id: neujahr, date: 2027-01-14, start: 18:00, end: 19:00, title: Empfang, host: ki}
        """})
    content = load(minimal_project, today="2026-12-05")
    result = report.build_report(content, minimal_project, tmp_path)
    assert result.open_points == 0
    assert "offene Punkte: 0" in report.as_text(result)


def test_a_missing_next_month_is_reported(minimal_project: Path, tmp_path: Path) -> None:
    content = load(minimal_project, today="2026-12-05")
    found = report.missing_programme(content).findings
    assert [(f.file, f.detail) for f in found] == [
        ("content/programme/2027-01.yml", "fehlt (nächster Monat)")]


def test_translation_coverage_worst_files_first(minimal_project: Path, tmp_path: Path) -> None:
    catalog = Catalog(locale="en")
    catalog.add("Sprachcafé", "Language café", context="offer/sprachcafe#title")
    catalog.add("Deutsch sprechen in entspannter Runde.", "Speak German in a relaxed group.",
                context="offer/sprachcafe#summary")
    catalog.add("Familienberatung", "Family counselling", context="offer/familienberatung#title",
                flags=["fuzzy"])
    (minimal_project / "translations").mkdir()
    with (minimal_project / "translations" / "en.po").open("wb") as f:
        write_po(f, catalog)
    coverage = {c.code: c for c in report.translation_coverage(load(minimal_project),
                                                                minimal_project)}
    assert set(coverage) == {"en", "ar"}
    en = {f.file: f for f in coverage["en"].files}
    assert (en["offers/sprachcafe.yml"].translated, en["offers/sprachcafe.yml"].total) == (2, 4)
    assert en["offers/familienberatung.yml"].translated == 0  # fuzzy counts as not translated
    percents = [f.percent for f in coverage["en"].files]
    assert percents == sorted(percents) and percents[-2:] == [50, 100]
    assert en["Oberfläche"].percent == 100  # the interface texts come translated
    interface = en["Oberfläche"].total
    assert coverage["ar"].translated == interface and coverage["en"].translated == interface + 2
    # the same figures as `build.py translations --status`
    status = {c.language: c for c in catalogs.coverage_of(load(minimal_project),
                                                          minimal_project, Problems())}
    for code in ("en", "ar"):
        assert (coverage[code].translated, coverage[code].total, coverage[code].percent) == (
            status[code].translated, status[code].total, status[code].percent)


def test_brochure_size_and_the_pages_the_renderer_counted(minimal_project: Path,
                                                          tmp_path: Path) -> None:
    """The pages are those the brochure stage recorded; the file is never opened to count
    them (here it is no PDF at all). The size is the file's."""
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    (downloads / "wegweiser-de.pdf").write_bytes(b"not a PDF " * 300)
    content = load(minimal_project)
    pages = {"downloads/wegweiser-de.pdf": 3}
    found = {b.file: b for b in report.brochures(content, tmp_path, pages)}
    de, en = found["downloads/wegweiser-de.pdf"], found["downloads/wegweiser-en.pdf"]
    assert (de.pages, de.size, de.size_text) == (3, 3000, "3 kB")
    assert (en.size, en.pages, en.size_text) == (None, None, "nicht gebaut")
    text = report.as_text(report.build_report(content, minimal_project, tmp_path, pages))
    assert "downloads/wegweiser-de.pdf: 3 kB, 3 Seiten" in text
    assert "wegweiser-de-print.pdf" not in text  # a print variant only where one was built
    unrecorded = report.as_text(report.build_report(content, minimal_project, tmp_path))
    assert "downloads/wegweiser-de.pdf: 3 kB\n" in unrecorded + "\n"  # size only


@pytest.mark.slow
def test_the_build_writes_the_report_outside_the_published_site(project: Path) -> None:
    result = run_build(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / "site" / "report.html").exists()  # internal: not published
    html = (project / "build" / "report.html").read_text(encoding="utf-8")
    assert parsed(html).meta["robots"].startswith("noindex")
    assert "Altes Archiv" in html
    for page in (project / "site").rglob("*.html"):
        if page.name != "report.html":
            assert "report.html" not in page.read_text(encoding="utf-8"), page
