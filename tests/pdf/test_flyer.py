"""The monthly flyer: one A4 page, the right dates in the text, right-to-left for Arabic."""

from __future__ import annotations

import os
import re
import subprocess
import textwrap
from dataclasses import replace
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from conftest import (
    ENGLISH,
    MINIMAL,
    MONTH,
    TODAY,
    actual_texts,
    run_build,
    text_sizes,
    write_files,
)
from tagged import Marked, read_tagged

from wegweiser.content.tree import load_content
from wegweiser.i18n.localisation import Localisation
from wegweiser.model import Content
from wegweiser.pdf import flyer as flyer_module
from wegweiser.pdf import typeset
from wegweiser.pdf.brochure import name_words
from wegweiser.pdf.flyer import (
    FLYER_FITS,
    TEMPLATE_DIR,
    build_flyer,
    even_split,
    flyer_months,
    flyer_sheets,
    poster_sheets,
    write_flyers,
)
from wegweiser.problems import Problems

FLYER_ENGLISH = ENGLISH + r'''
msgctxt "ui"
msgid "fällt aus"
msgstr "cancelled"
'''


def write_project(root: Path) -> Path:
    write_files(root, MINIMAL)
    text = textwrap.dedent(MONTH).replace("languages: [de, ar]",
                                               "languages: [de, uk, ar], venue: ki").replace(
        "how: Telefonisch anmelden.}", "how: Telefonisch oder an ki@musterstadt.example.}")
    (root / "content" / "programme" / "2026-12.yml").write_text(text, "utf-8")
    (root / "translations").mkdir()
    (root / "translations" / "en.po").write_text(FLYER_ENGLISH, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")


def load(root: Path, today: str = TODAY) -> Content:
    problems = Problems()
    content = load_content(root, date.fromisoformat(today), problems)
    assert content is not None, problems.report()
    return content


@pytest.fixture(scope="module")
def flyers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The flyers of the fixture month, rendered once for the tests that read them."""
    tmp = tmp_path_factory.mktemp("flyers")
    root = write_project(tmp / "project")
    paths = write_flyers(load(root), root, tmp / "build", tmp / "out")
    return {p.name: p for p in paths if not p.name.endswith("-aushang.pdf")}  # not posters


def text_of(pdf: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def figures(node: object) -> list[pikepdf.Dictionary]:
    """The Figure elements of a PDF's structure tree."""
    if isinstance(node, pikepdf.Array):
        return [f for child in node for f in figures(child)]
    if not isinstance(node, pikepdf.Dictionary):
        return []
    own = [node] if node.get("/S") == "/Figure" else []
    return own + figures(node.get("/K"))


def blocks(pdf: Path) -> list[str]:
    """The table rows and paragraphs of the page: -layout text split at blank lines."""
    text = text_of(pdf, "-layout")
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def row_of(rows: list[str], label: str) -> str:
    return next(row for row in rows if label in row)


def info(pdf: Path) -> dict[str, str]:
    lines = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}


def words(pdf: Path) -> list[tuple[float, str]]:
    """Each word with its left edge, from pdftotext -bbox."""
    html = text_of(pdf, "-bbox")
    found = []
    for line in html.splitlines():
        if "<word " in line:
            x = float(line.split('xMin="')[1].split('"')[0])
            found.append((x, line.split(">")[1].split("<")[0]))
    return found


@pytest.mark.slow
def test_one_a4_page_per_language_with_title_and_language(flyers: dict[str, Path]) -> None:
    assert sorted(flyers) == ["programm-2026-12-ar.pdf", "programm-2026-12-de.pdf",
                              "programm-2026-12-en.pdf"]
    for name, pdf in flyers.items():
        meta = info(pdf)
        assert meta["Pages"] == "1", name
        assert meta["Page size"] == "595.276 x 841.89 pts (A4)"
        assert meta["Tagged"] == "yes"
        lang = name.removesuffix(".pdf").rsplit("-", 1)[1]
        with pikepdf.open(pdf) as document:
            assert str(document.Root.Lang) == lang
            assert "/StructTreeRoot" in document.Root
            alts = [str(f.Alt) for f in figures(document.Root.StructTreeRoot)]
            assert alts and alts[0].endswith(f"/{lang}/programm/2026-12/"), alts  # the QR code
    title = info(flyers["programm-2026-12-de.pdf"])["Title"]
    assert title == "Service-Point – Programm Dezember 2026"


@pytest.mark.slow
def test_german_flyer_lists_the_dates_with_moved_and_cancelled(flyers: dict[str, Path]) -> None:
    pdf = flyers["programm-2026-12-de.pdf"]
    rows = blocks(pdf)
    # the weekday on the label's first line, the date (kept on one line) on the next
    day = r"(\w+tag|Mittwoch), (?:\S+ )*?(\d+\. Dezember) 2026"
    labels = [", ".join(found) for row in rows for found in re.findall(day, row)]
    assert labels == [
        "Dienstag, 1. Dezember", "Donnerstag, 3. Dezember", "Dienstag, 8. Dezember",
        "Donnerstag, 10. Dezember", "Freitag, 11. Dezember", "Donnerstag, 17. Dezember",
        "Dienstag, 22. Dezember", "Dienstag, 29. Dezember", "Mittwoch, 30. Dezember"]
    moved = row_of(rows, "17. Dezember 2026")
    assert "14:00–16:00 Offene Beratung" in moved and "verschoben vom 15. Dezember 2026" in moved
    cancelled = row_of(rows, "29. Dezember 2026")
    assert "10:00–12:00 Offene Beratung" in cancelled and "fällt aus" in cancelled
    assert "Weihnachtsschließung." in cancelled
    parents = row_of(rows, "10. Dezember")
    assert "Elterncafé" in parents and "fällt aus" in parents
    assert "Die Leitung ist erkrankt." in parents
    text = " ".join(text_of(pdf).split())
    assert "Ort: Kommunales Integrationszentrum, Marktplatz 1, 01067 Musterstadt" in text
    # Cyrillic glyphs intact (one font per subset); the word may be hyphenated in its
    # narrow column, and the text reads the hyphen of a line break as nothing
    assert "Українська" in text_of(pdf).replace("\n", "")
    assert "Bahnhofstraße 2, 01067 Musterstadt" in text
    # the address as in the brochure (no "https://", no trailing slash), broken only
    # between its parts, here before "." or "-" or after "/"
    joined = "".join(text_of(pdf).split())
    assert "integration.musterstadt.example/de/programm/2026-12" in joined
    assert "https://integration.musterstadt.example/de/programm" not in joined


@pytest.mark.slow
def test_english_flyer_is_translated_where_translations_exist(flyers: dict[str, Path]) -> None:
    rows = blocks(flyers["programm-2026-12-en.pdf"])
    cancelled = row_of(rows, "December 29, 2026")
    assert "Open advice" in cancelled and "cancelled" in cancelled
    assert "6:00 PM" in row_of(rows, "Infoabend")  # not translated yet: German


@pytest.mark.slow
def test_arabic_flyer_runs_right_to_left(flyers: dict[str, Path]) -> None:
    pdf = flyers["programm-2026-12-ar.pdf"]
    # Arabic runs are stored in reading order as /ActualText (pdftotext shows them reversed)
    assert any("ديسمبر" in text for text in actual_texts(pdf))
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    embedded = [line.split()[0].split("+")[1] for line in fonts.splitlines()[2:]]
    assert any("Noto-Naskh-Arabic" in name for name in embedded)
    assert all(name.startswith("Wegweiser-Noto-") for name in embedded), embedded  # no fallback
    # the columns are mirrored: the host is left of the time, in German it is right of it
    for name, host_left_of_time in (("programm-2026-12-ar.pdf", True),
                                    ("programm-2026-12-de.pdf", False)):
        found = words(flyers[name])
        # "Kommunales In-" of a hyphenated line reads "Kommunales In": one word for poppler
        host = next(x for x, word in found if word.split()[0] == "Kommunales")
        time = next(x for x, word in found if word.startswith("10:00"))
        assert (host < time) is host_left_of_time, name


@pytest.mark.slow
def test_same_html_gives_the_same_bytes_and_is_rendered_once(project: Path,
                                                             tmp_path: Path) -> None:
    content = load(project)
    loc = Localisation.load(project, content.settings, content.settings.languages[0])
    flyer = build_flyer(content, content.programme[0], loc)
    html = flyer_sheets(flyer, typeset.print_font_css())[0].html()
    typeset.write_pdf(html, TEMPLATE_DIR, tmp_path / "a.pdf")
    typeset.write_pdf(html, TEMPLATE_DIR, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    write_flyers(content, project, tmp_path / "build", tmp_path / "one")
    folder = tmp_path / "build" / "flyers"
    cached = {p: p.stat().st_ino for p in folder.iterdir()}  # rendering replaces the file
    # Flyers of past months or other content: the cache keeps three times what a build
    # uses, the least recently used go first.
    stale = [folder / f"{n:024x}.pdf" for n in range(3 * len(cached))]
    for n, path in enumerate(stale):
        path.write_bytes(b"%PDF- a flyer of a past month")
        os.utime(path, (1_700_000_000 + n, 1_700_000_000 + n))
    write_flyers(content, project, tmp_path / "build", tmp_path / "two")
    assert {p: p.stat().st_ino for p in cached} == cached
    assert [p.exists() for p in stale] == [False] * len(cached) + [True] * 2 * len(cached)
    for pdf in (tmp_path / "one" / "downloads").iterdir():
        assert pdf.read_bytes() == (tmp_path / "two" / "downloads" / pdf.name).read_bytes()


@pytest.mark.slow
def test_shipped_months_fit_on_one_page(shipped_project: Path, tmp_path: Path) -> None:
    """With the month's introduction under the heading, as on its web page: the shipped
    December says there that its days and times are only examples, and the flyer and the
    poster say it too, not print them as facts."""
    content = load(shipped_project)
    languages = tuple(lang for lang in content.settings.languages
                      if lang.code in ("de", "en", "ar", "fa", "ru"))
    content = replace(content, settings=replace(content.settings, languages=languages))
    pdfs = write_flyers(content, shipped_project, tmp_path / "build", tmp_path / "out")
    for pdf in pdfs:
        assert info(pdf)["Pages"] == "1", pdf.name
    note = "Die Tage, Uhrzeiten und Sprachen in diesem Programm sind Beispielwerte."
    out = tmp_path / "out" / "downloads"
    for name in ("programm-2026-12-de.pdf", "programm-2026-12-de-aushang.pdf"):
        assert note in " ".join(text_of(out / name).split()), name
    december = next(m for m in content.programme if m.month == "2026-12")
    loc = Localisation.load(shipped_project, content.settings, content.settings.language("ar"))
    [*_, last] = loc.blocks(december, "intro")
    assert not last.fallback  # translated: its words are in the Arabic flyer's text
    shown = " ".join(actual_texts(out / "programm-2026-12-ar.pdf"))
    assert all(word in shown for word in str(last).split()[-4:])


@pytest.mark.parametrize(("today", "months"), [
    ("2026-11-23", ["2026-11", "2026-12"]),
    ("2026-12-01", ["2026-12"]),
    ("2027-01-05", []),
])
def test_flyers_from_the_current_month_on(shipped_project: Path, today: str,
                                          months: list[str]) -> None:
    assert [m.month for m in flyer_months(load(shipped_project, today))] == months


A4_WIDTH = 595.28  # points
MARGIN = 13 * 72 / 25.4  # the flyer's left and right page margin


@pytest.mark.slow
def test_flyer_text_stays_inside_the_margins_and_over_8_pt(flyers: dict[str, Path]) -> None:
    for name, pdf in flyers.items():
        edges = [float(v) for v in re.findall(r'x(?:Min|Max)="([\d.]+)"', text_of(pdf, "-bbox"))]
        assert min(edges) >= MARGIN - 0.5 and max(edges) <= A4_WIDTH - MARGIN + 0.5, name
        assert min(text_sizes(pdf)) >= 7.99, name


@pytest.mark.slow
def test_the_year_stays_with_its_date(flyers: dict[str, Path]) -> None:
    for name, pdf in flyers.items():
        lines = [line.strip() for line in text_of(pdf).splitlines()]
        assert "2026" not in lines and "٢٠٢٦" not in lines, name
        assert any(re.search(r"\b3\. Dezember 2026$", line) for line in lines) \
            or "-de" not in name


@pytest.mark.slow
def test_email_and_web_address_are_links(flyers: dict[str, Path]) -> None:
    for name, pdf in flyers.items():
        with pikepdf.open(pdf) as document:
            uris = {str(a.A.URI) for a in document.pages[0].get("/Annots", []) if "/A" in a}
        assert "mailto:ki@musterstadt.example" in uris, name  # in the registration text
        assert "https://integration.musterstadt.example/" + name.split("-")[-1].removesuffix(
            ".pdf") + "/programm/2026-12/" in uris, (name, uris)


def word_boxes(pdf: Path) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of every word, from pdftotext -bbox."""
    return [tuple(map(float, box)) for box in re.findall(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', text_of(pdf, "-bbox"))]


@pytest.mark.slow
def test_no_word_runs_into_another(flyers: dict[str, Path]) -> None:
    """A long name in a narrow column is hyphenated, not drawn over the next column."""
    for name, pdf in flyers.items():
        boxes = word_boxes(pdf)
        for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
            for bx0, by0, bx1, by1 in boxes[i + 1:]:
                # on one line: middles closer than half a line (Naskh's tall line box
                # reaches into the next line without any ink there)
                middles = abs((ay0 + ay1) - (by0 + by1)) / 2
                same_line = middles < 0.5 * min(ay1 - ay0, by1 - by0)
                assert not (same_line and min(ax1, bx1) - max(ax0, bx0) > 0.5), (
                    name, (ax0, ay0, ax1, ay1), (bx0, by0, bx1, by1))


def test_latin_in_brackets_is_one_unit_in_right_to_left_headings(shipped_project: Path) -> None:
    """"(Service-Point Integration)" in an Arabic heading keeps its brackets paired when the
    line breaks: the bracketed Latin run is isolated as one left-to-right unit, its words
    marked German."""
    content = load(shipped_project)
    arabic = content.settings.language("ar")
    loc = Localisation.load(shipped_project, content.settings, arabic)
    flyer = build_flyer(content, content.programme[0], loc)
    unit = ('<bdi dir="ltr" class="ww-latin">'
            '(<span lang="de">Service-Point Integration</span>)</bdi>')
    for html in (sheet.html() for sheet in (*flyer_sheets(flyer, ""), *poster_sheets(flyer, ""))):
        [heading] = re.findall(r"<h1>(.*?)</h1>", html, flags=re.DOTALL)
        assert unit in heading
    german = build_flyer(content, content.programme[0], Localisation.load(
        shipped_project, content.settings, content.settings.language("de")))
    html = flyer_sheets(german, "")[0].html()
    assert "<bdi" not in re.findall(r"<h1>(.*?)</h1>", html, re.DOTALL)[0]


def test_no_hyphen_breaks_an_address(flyers: dict[str, Path]) -> None:
    """An e-mail or web address broken at a line end carries no hyphen that reads as part of
    it (the Arabic flyer's narrow column breaks ki@musterstadt.example)."""
    for name, pdf in flyers.items():
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert not re.search(r"@[\w.]*-\n", text), name
        assert "ki@musterstadt.example" in re.sub(r"\n", "", text) or "@" not in text, name


# --- a long month: smaller type and two columns, or a warning from `check`

ALL_LANGUAGES = "[de, en, ar, fa, uk, ru, tr]"


def long_month(dates: int) -> str:
    """A month of the shipped venue with `dates` dates on as many days, each with a topic,
    its host and all seven shipped languages, every third with registration by e-mail."""
    days = [d for d in range(1, 32)
            if date(2026, 12, d).weekday() < 5 and d not in (24, 25, 31)][:dates]
    assert len(days) == dates
    events = "".join(textwrap.dedent(f"""\
          - id: termin-{n}
            date: 2026-12-{day:02d}
            start: 09:15
            end: 12:45
            title: {title}
            topic: Arbeit und Anerkennung ausländischer Abschlüsse
            host: {host}
            languages: {ALL_LANGUAGES}
            registration: {{required: {registration}}}
        """) for n, day in enumerate(days, 1) for title, host in [(
            ("Offene Sprechstunde Umgang mit Gewalterfahrungen", "beratung-gewalt"),
            ("Infoveranstaltung mit Arbeitgeberinnen und Arbeitgebern", "ki-leverkusen"),
            ("Offene Sprechstunde Kinderbetreuung", "kinderbetreuung"))[n % 3]]
        for registration in ["true, how: Anmeldung per E-Mail an integration@stadt-leverkusen"
                             ".example" if n % 3 == 0 else "false"])
    return f"venue: service-point-integration\nevents:\n{events}"


def with_month(project: Path, dates: int) -> Path:
    (project / "content" / "programme" / "2026-11.yml").unlink(missing_ok=True)
    (project / "content" / "programme" / "2026-12.yml").write_text(long_month(dates), "utf-8")
    return project


@pytest.mark.slow
def test_twelve_dates_in_seven_languages_fit_one_page(shipped_project: Path,
                                                      tmp_path: Path) -> None:
    project = with_month(shipped_project, 12)
    result = run_build(project, "check")
    assert "one-page flyer" not in result.stdout, result.stdout
    content = load(project)
    assert [lang.code for lang in content.settings.languages] == [
        "de", "en", "ar", "fa", "uk", "ru", "tr"]
    flyers = [p for p in write_flyers(content, project, tmp_path / "build", tmp_path / "out")
              if not p.name.endswith("-aushang.pdf")]
    assert [p.name for p in flyers][:1] == ["programm-2026-12-de.pdf"] and len(flyers) == 7
    for pdf in flyers:
        assert info(pdf)["Pages"] == "1", pdf.name
        assert min(text_sizes(pdf)) >= 7.99, pdf.name  # typeset.SMALLEST_PT
    german = " ".join(text_of(flyers[0]).split())
    assert german.count("09:15–12:45") == 12
    for label in ("Dienstag, 1. Dezember 2026", "Mittwoch, 16. Dezember 2026"):
        assert label in german
    # two columns: host and languages under each title, with their labels
    assert german.count("Angeboten von:") == 12 and german.count("Sprachen: Deutsch") == 12
    # the two columns are two lists, read one after the other, the days in order
    for pdf in flyers:
        lists = day_lists(pdf)
        days = [label for days in lists for label in days]
        assert len(lists) == 2 and len(days) == 12, pdf.name
        assert 4 <= len(lists[0]) <= 8, (pdf.name, lists)
    assert [label.split(",")[1].strip() for label in days_of(flyers[0])] == [
        f"{day}. Dezember 2026" for day in (1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16)]


def day_lists(pdf: Path) -> list[list[str]]:
    """The flyer's lists of days as its structure tree has them: of each list (an L that
    is in no other L), the text of its items' headings."""
    tagged = read_tagged(pdf)
    inner = {id(e) for lst in tagged.elements("L") for e in list(lst.walk())[1:]}
    return [[" ".join(heading.text.split()) for item in lst.kids
             if getattr(item, "role", "") == "LI" for heading in item.walk()
             if heading.role.startswith("H")]
            for lst in tagged.elements("L") if id(lst) not in inner]


def days_of(pdf: Path) -> list[str]:
    return [label for days in day_lists(pdf) for label in days]


def test_even_split_keeps_the_longer_column_as_short_as_it_can_be() -> None:
    assert even_split([1, 1, 1, 1]) == 2
    assert even_split([1, 1, 1]) == 2  # of two equal splits, the longer first column
    assert even_split([5, 1, 1, 1]) == 1
    assert even_split([1, 1, 1, 5]) == 3
    assert even_split([2.5]) == 1
    assert even_split([]) == 0


@pytest.mark.slow
def test_a_split_measured_to_fit_is_one_page_when_rendered(shipped_project: Path,
                                                           tmp_path: Path) -> None:
    """Whether two columns fit on the page is decided from one layout of the days in a
    single column: the rendering of the split agrees, on both sides of the limit."""
    outcomes = set()
    for dates in (12, 14, 16):
        content = load(with_month(shipped_project, dates))
        for code in ("de", "ar"):
            loc = Localisation.load(shipped_project, content.settings,
                                    content.settings.language(code))
            flyer = build_flyer(content, content.programme[0], loc)
            for sheet in flyer_sheets(flyer, typeset.print_font_css(), FLYER_FITS[1:]):
                columns, fits = sheet.split()
                body = dict(sheet.style)["body"]
                target = tmp_path / f"{dates}-{code}-{body}.pdf"
                pages = typeset.write_pdf(sheet.html(columns), TEMPLATE_DIR, target)
                assert (pages == 1) == fits, (dates, code, body, pages)
                outcomes.add(fits)
    assert outcomes == {True, False}


@pytest.mark.slow
def test_a_month_too_long_for_one_page_is_named_by_check(shipped_project: Path,
                                                         tmp_path: Path) -> None:
    project = with_month(shipped_project, 16)
    result = run_build(project, "check")
    [warning] = [line for line in result.stdout.splitlines() if "one-page flyer" in line]
    assert warning.startswith("content/programme/2026-12.yml:1:1: warning: the programme of"
                              " 2026-12 has too many dates for the one-page flyer"), warning
    german = run_build(project, "--messages", "de", "check").stdout
    assert "content/programme/2026-12.yml:1:1: Warnung: Das Programm 2026-12 hat zu viele" \
        " Termine für das einseitige Faltblatt" in german
    # the flyer is still made, in the smallest size, on two pages
    content = load(project)
    content = replace(content, settings=replace(content.settings,
                                                languages=content.settings.languages[:1]))
    [flyer] = [p for p in write_flyers(content, project, tmp_path / "build", tmp_path / "out")
               if not p.name.endswith("-aushang.pdf")]
    assert info(flyer)["Pages"] == "2"
    assert min(text_sizes(flyer)) >= 7.99
    assert " ".join(text_of(flyer).split()).count("09:15–12:45") == 16


@pytest.mark.slow
def test_a_poster_that_fits_no_size_is_named_and_not_tried_again(
        shipped_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """25 short dates pass the estimate `check` warns with, and fit the German poster;
    set in Arabic script they fit no size: the build says so, and does not try again."""
    events = "".join(textwrap.dedent(f"""\
          - id: termin-{day}
            date: 2026-12-{day:02d}
            start: 10:00
            end: 11:00
            title: Sprechstunde {day}
            host: beratung-gewalt
        """) for day in range(1, 26))
    (shipped_project / "content" / "programme" / "2026-11.yml").unlink()
    (shipped_project / "content" / "programme" / "2026-12.yml").write_text(
        f"venue: service-point-integration\nevents:\n{events}", "utf-8")
    assert "one-page poster" not in run_build(shipped_project, "check").stdout
    content = load(shipped_project)
    languages = tuple(lang for lang in content.settings.languages if lang.code in ("de", "ar"))
    content = replace(content, settings=replace(content.settings, languages=languages))
    made = write_flyers(content, shipped_project, tmp_path / "build", tmp_path / "one")
    assert [p.name for p in made] == ["programm-2026-12-de.pdf", "programm-2026-12-de-aushang.pdf",
                                      "programm-2026-12-ar.pdf"]
    assert info(made[1])["Pages"] == "1"
    said = "No poster for 2026-12 in ar: its dates do not fit one A3 page"
    assert said in capsys.readouterr().out

    def render_pdf(*args: object) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(flyer_module, "render_pdf", render_pdf)
    again = write_flyers(content, shipped_project, tmp_path / "build", tmp_path / "two")
    assert [p.name for p in again] == [p.name for p in made]
    assert said in capsys.readouterr().out


# --- the venue's example values, German names in other scripts, line breaks ---------------

VENUE = Path("content") / "contacts" / "service-point-integration.yml"


def with_venue_examples(project: Path, examples: str) -> Path:
    """The shipped project with the month's venue giving `examples` as example values."""
    path = project / VENUE
    text = path.read_text("utf-8")
    marked = re.search(r"^example_values: .*$", text, flags=re.MULTILINE)
    assert marked is not None
    path.write_text(text.replace(marked[0], f"example_values: {examples}"), "utf-8")
    return project


def sheets_of(project: Path, out: Path, codes: tuple[str, ...]) -> dict[str, Path]:
    """Flyers and posters of the project's months in the languages `codes`, by file name."""
    content = load(project)
    languages = tuple(lang for lang in content.settings.languages if lang.code in codes)
    content = replace(content, settings=replace(content.settings, languages=languages))
    return {p.name: p for p in write_flyers(content, project, out / "build", out / "out")
            if p.name.startswith("programm-2026-12-")}


@pytest.mark.slow
def test_example_values_of_the_venue_are_left_out(shipped_project: Path, tmp_path: Path) -> None:
    """A phone number and an e-mail address given as example values are not printed as
    facts (README "Example values in print"): the venue's web page is named instead; what
    is confirmed (the address) is printed."""
    project = with_venue_examples(shipped_project, "[phones, email]")
    sheets = sheets_of(project, tmp_path, ("de", "ar"))
    assert len(sheets) == 4, sorted(sheets)
    for name, pdf in sheets.items():
        text = text_of(pdf)
        joined = re.sub(r"[\s\u202a-\u202e]+", "", text)  # without poppler's bidi marks
        assert "406-5246" not in joined and "service-point@" not in joined, name
        assert "Beispielstraße 1 (Luminaden)" in text, name
        page = "integration-in-leverkusen.de/" + name.split("-")[3].removesuffix(".pdf")
        assert f"{page}/anlaufstellen/service-point-integration" in joined, name
    german = " ".join(text_of(sheets["programm-2026-12-de.pdf"]).split())
    assert "Weitere Angaben werden noch bestätigt und stehen im Internet:" in german


LATIN_LETTER = re.compile(r"[A-Za-zÄÖÜäöüß]")


@pytest.mark.slow
def test_german_names_in_other_scripts_are_marked_german(shipped_project: Path,
                                                          tmp_path: Path) -> None:
    """In the Arabic and Russian flyer and poster every run of Latin letters (names,
    streets, addresses) belongs to an element with a /Lang of its own, German for the
    names and the venue's address, as in the brochure; Arabic text to none."""
    project = with_venue_examples(shipped_project, "[]")  # the address printed too
    sheets = sheets_of(project, tmp_path, ("de", "ar", "ru"))  # de: the source language
    assert len(sheets) == 6, sorted(sheets)
    for name, pdf in ((n, p) for n, p in sheets.items() if "-de" not in n):
        document = read_tagged(pdf)
        page_lang = name.split("-")[3].removesuffix(".pdf")
        german, unmarked = [], []
        for element in document.elements():
            for kid in element.kids:
                if isinstance(kid, Marked) and LATIN_LETTER.search(kid.text):
                    if element.lang == "de":
                        german.append(kid.text)
                    elif element.lang == page_lang:
                        unmarked.append(kid.text)
                elif isinstance(kid, Marked) and re.search("[\u0600-\u06ff]", kid.text):
                    assert element.lang == "ar", (name, kid.text)
        assert not unmarked, (name, unmarked)
        german_text = re.sub(r"\s+", "", "".join(german))
        for found in ("Service-PointIntegration", "Beispielstraße1(Luminaden)", "Leverkusen"):
            assert found in german_text, (name, found)
        if not name.endswith("-aushang.pdf"):  # the poster names no host
            assert "Integrationszentrum" in german_text, name


PHONE = "02104 99-1234"
EMAIL = "integration@stadt-leverkusen.example"


def registrations_month() -> str:
    """Dates whose registration texts put a phone number and an e-mail address at every
    place of a line in turn, with hosts whose names have long words."""
    hosts = ("ki-leverkusen", "beratung-gewalt", "kinderbetreuung", "kim-casemanagement")
    days = (1, 2, 3, 4, 7, 8, 9, 10)
    events = "".join(textwrap.dedent(f"""\
          - id: termin-{n}
            date: 2026-12-{day:02d}
            start: 10:00
            end: 11:00
            title: Sprechstunde
            host: {hosts[n % len(hosts)]}
            languages: [de]
            registration:
              {{required: true, how: {"Bitte " * n}anmelden unter {PHONE} oder an {EMAIL}}}
        """) for n, day in enumerate(days, 1))
    return f"venue: service-point-integration\nevents:\n{events}"


def broken_across_lines(lines: list[str], pattern: re.Pattern[str]) -> list[str]:
    """Matches of `pattern` that a line break splits: the last word of a line (without a
    hyphen at its end) joined to the first of the next."""
    found = []
    for line, following in zip(lines, lines[1:], strict=False):
        if not line.split() or not following.split():
            continue
        left = line.split()[-1]
        joined = left.removesuffix("-") + following.split()[0]
        split_at = len(left.removesuffix("-"))
        found += [f"{left} / {following.split()[0]}" for match in pattern.finditer(joined)
                  if match.start() < split_at < match.end()]
    return found


def address_breaks(lines: list[str], address: str) -> list[str]:
    """Where `address` is broken at a line end: the characters on both sides of each break."""
    breaks = []
    for line, following in zip(lines, lines[1:], strict=False):
        left = line.split()[-1] if line.split() else ""
        right = following.split()[0] if following.split() else ""
        for cut in range(1, len(address)):
            if left.endswith(address[:cut]) and right.startswith(address[cut:]):
                breaks.append(address[cut - 1:cut + 1])
    return breaks


@pytest.mark.slow
def test_names_phones_and_addresses_break_only_where_they_may(shipped_project: Path,
                                                              tmp_path: Path) -> None:
    """In the flyer's narrow columns a proper name is never hyphenated nor broken inside a
    word, a phone number never broken, an e-mail address broken only after "@" (not at
    its hyphen, which would read as hyphenation, nor before a dot)."""
    project = with_venue_examples(shipped_project, "[]")  # phone and e-mail in the footer
    (project / "content" / "programme" / "2026-11.yml").unlink()
    (project / "content" / "programme" / "2026-12.yml").write_text(registrations_month(),
                                                                   "utf-8")
    content = load(project)
    names = name_words(content)
    assert names is not None
    codes = ("de", "ar", "ru", "tr")
    sheets = sheets_of(project, tmp_path, codes)
    for code in codes:
        pdf = sheets[f"programm-2026-12-{code}.pdf"]
        lines = text_of(pdf, "-raw").splitlines()
        assert not broken_across_lines(lines, names), (code, broken_across_lines(lines, names))
        assert sum(line.count(PHONE) for line in lines) == 8, code  # none broken
        joined = re.sub(r"[\s\u202a-\u202e]+", "", text_of(pdf))
        assert joined.count(EMAIL) == 8, code
        breaks = address_breaks(lines, EMAIL)
        assert all(before == "@" for before, _after in breaks), (code, breaks)
