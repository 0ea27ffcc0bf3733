"""The Wegweiser brochure: real PDFs rendered by WeasyPrint, read back with poppler and pikepdf."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po
from conftest import MINIMAL, REPO, TODAY, actual_texts, run_build, text_sizes, write_files
from fontTools.ttLib import TTFont

from wegweiser import fonts
from wegweiser.cache import cache_root, pages_file
from wegweiser.content.tree import load_content
from wegweiser.i18n.bidi import isolate_ltr_runs, mark_latin_runs
from wegweiser.pdf import brochure, typeset
from wegweiser.problems import Problems

EXTRA = {
    "offers/elternabend.yml": """\
        title: Elternabend für neue Familien
        summary: Informationen über Schule und Kita, mit Übersetzung.
        description: |
          Wir erklären das Schulsystem. Auch auf Türkçe (ğüşİ) und Українська.

          Ein Test: <script>alert("x")</script> und <b>fett</b>.
        category: beratung
        audience: [familien]
        languages: [de, ar, tr, uk]
        provider: ki
        contacts: [service-point, elternschule]
        cost: {free: true}
        registration: {required: true, how: Telefonisch unter 0123 456-005.}
        last_reviewed: 2026-09-01
        example_values: [cost, languages]
        """,
    "content/contacts/elternschule.yml": """\
        name: Elternschule
        organisation: Familienbildung Musterstadt
        address: {street: Schulweg 9, postcode: 01069, city: Musterstadt}
        phones:
          - {number: 0123 456-777}
        email: elternschule@musterstadt.example
        last_reviewed: 2026-10-01
        example_values: [address, email]
        """,
    "offers/abgelaufen.yml": """\
        title: Sommerferienkurs
        summary: Ein Kurs, der schon vorbei ist.
        description: Vorbei.
        category: sprache
        audience: [erwachsene]
        languages: [de]
        provider: ki
        cost: {free: true}
        registration: {required: false}
        last_reviewed: 2026-09-01
        valid_until: 2026-08-31
        """,
}
ARABIC = {  # context: (German, Arabic)
    "offer/sprachcafe#title": ("Sprachcafé", "مقهى اللغة"),
    "offer/sprachcafe#summary": ("Deutsch sprechen in entspannter Runde.",
                                 "تحدث الألمانية في جو مريح."),
    "category/sprache#name": ("Sprache", "اللغة"),
    "offer/elternabend#registration_how": (
        "Telefonisch unter 0123 456-005.",
        "بالهاتف على الرقم 0123 456-005 أو في 01067 Musterstadt."),
    "ui": ("Inhalt", "المحتويات"),
}
IN_BROCHURE = ("Sprachcafé", "Elternabend für neue Familien")
NOT_IN_BROCHURE = ("Familienberatung", "Sommerferienkurs")  # in_brochure: false; expired
A5 = (419.53, 595.28)  # points


def write_arabic_catalog(root: Path) -> None:
    catalog = Catalog(locale="ar")
    for ctx, (german, arabic) in ARABIC.items():
        catalog.add(german, arabic, context=ctx)
    (root / "translations").mkdir(exist_ok=True)
    with (root / "translations" / "ar.po").open("wb") as f:
        write_po(f, catalog)


def load(root: Path):
    content = load_content(root, date.fromisoformat(TODAY), Problems())
    assert content is not None
    return content


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("brochure")
    write_files(root, {**MINIMAL, **EXTRA})
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    write_arabic_catalog(root)
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> tuple[Path, brochure.Summary]:
    """The brochures of the fixture project, rendered once for the module."""
    out = project / "out"
    summary = brochure.write_brochures(load(project), project, project / "build", out,
                                       log=lambda line: None)
    return out, summary


def pdf(built: tuple[Path, brochure.Summary], name: str) -> Path:
    return built[0] / name


def page_text(path: Path, page: int, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-f", str(page), "-l", str(page), str(path),
                           "-"], capture_output=True, text=True, check=True).stdout


def page_count(path: Path) -> int:
    with pikepdf.open(path) as document:
        return len(document.pages)


# --- the HTML (fast) ---------------------------------------------------------------------

class Text(HTMLParser):
    """The text and the elements of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.skip += tag in ("style", "title", "svg")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title", "svg")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def parsed(html: str) -> Text:
    parser = Text()
    parser.feed(html)
    return parser


def test_html_escapes_markup_from_content(project: Path) -> None:
    content = load(project)
    page = parsed(brochure.render_html(content, project, content.settings.language("de")))
    assert not [t for t, _ in page.tags if t in ("script", "b")]
    assert '<script>alert("x")</script>' in "".join(page.text)


def test_untranslated_text_is_marked_german(project: Path) -> None:
    content = load(project)
    page = parsed(brochure.render_html(content, project, content.settings.language("ar")))
    html, = [attrs for tag, attrs in page.tags if tag == "html"]
    assert (html["lang"], html["dir"]) == ("ar", "rtl")
    fallbacks = [attrs for _, attrs in page.tags if "fallback" in (attrs.get("class") or "")]
    assert fallbacks and all((a.get("lang"), a.get("dir")) == ("de", "ltr") for a in fallbacks)
    assert "مقهى اللغة" in "".join(page.text)


def test_qr_codes_have_a_text_alternative(project: Path) -> None:
    content = load(project)
    html = brochure.render_html(content, project, content.settings.language("en"))
    titles = re.findall(r"<svg[^>]*>\s*<title>([^<]+)</title>", html)
    assert len(titles) == 3  # two offers in the brochure and the back cover
    assert "https://integration.musterstadt.example/en/angebote/sprachcafe/" in html


def covering_faces() -> list[tuple[set[int], range | None, str]]:
    faces = []
    for face in fonts.font_faces():
        cmap = set(TTFont(face.file).getBestCmap())
        faces.append((cmap, unicode_ranges(face.unicode_range), face.file.name))
    return faces


def unicode_ranges(text: str) -> list[range]:
    ranges = []
    for part in text.split(","):
        low, _, high = part.strip().removeprefix("U+").partition("-")
        ranges.append(range(int(low, 16), int(high or low, 16) + 1))
    return ranges


@cache
def glyphs() -> set[int]:
    """Every code point one of our font files has a glyph for, within its unicode-range."""
    covered = set()
    for cmap, ranges, _ in covering_faces():
        covered |= {c for c in cmap if any(c in r for r in ranges)}
    return covered


BIDI_CONTROLS = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def missing_glyphs(text: str) -> set[str]:
    """Characters without a glyph; bidi controls (pdftotext adds them) print nothing."""
    return {c for c in text
            if not c.isspace() and c not in BIDI_CONTROLS and ord(c) not in glyphs()}


@pytest.mark.slow
def test_shipped_text_of_every_language_has_glyphs(shipped_project: Path) -> None:
    """Every character the shipped brochures print is in one of our font files."""
    content = load(shipped_project)
    for language in content.settings.languages:
        text = "".join(parsed(brochure.render_html(content, shipped_project, language)).text)
        assert not missing_glyphs(text + "-"), language.code  # "-": the hyphenation mark


# --- the PDFs ----------------------------------------------------------------------------

@pytest.mark.slow
def test_one_screen_and_one_print_pdf_per_language(built) -> None:
    names = sorted(p.name for p in built[0].iterdir())
    assert names == sorted(f"wegweiser-{c}{v}.pdf" for c in ("de", "en", "ar")
                           for v in ("", "-print"))
    assert sorted(r.language for r in built[1].rendered) == ["ar", "de", "en"]
    assert all(r.pages and r.pages > 4 for r in built[1].rendered)


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ar"])
def test_contents_page_numbers_are_where_chapters_start(built, code: str) -> None:
    path = pdf(built, f"wegweiser-{code}.pdf")
    entries = []
    controls = "".join(BIDI_CONTROLS)  # pdftotext marks right-to-left lines and runs
    for line in page_text(path, 3, "-layout").splitlines():
        line = line.translate({ord(c): None for c in controls})
        ltr = re.match(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", line)  # title ..... 4
        rtl = re.match(r"^\s*(\d+)\s*\.{3,}\s*(\S.*?)\s*$", line)  # 4 ..... Beratung
        arabic = re.match(r"^\s*(\S.*?)\s+(\d+)\s*\.{3,}\s*$", line)  # [Arabic] 4 .....
        if ltr or rtl or arabic:
            title, number = (ltr or arabic).groups() if (ltr or arabic) else rtl.groups()[::-1]
            entries.append((title, int(number)))
    assert len(entries) == 5  # how to use, two categories, two indexes
    for title, number in entries:
        # chapters follow on the same page where there is room: the title is on that page
        def lines(page: int) -> list[str]:
            return [line.translate({ord(c): None for c in controls}).strip()
                    for line in page_text(path, page).splitlines()]
        assert title in lines(number), (title, number)
        if number > 4:
            assert title not in lines(number - 1)


@pytest.mark.slow
def test_every_offer_for_the_brochure_and_no_other(built) -> None:
    text = subprocess.run(["pdftotext", str(pdf(built, "wegweiser-de.pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    for title in IN_BROCHURE:
        assert title in text
    for title in NOT_IN_BROCHURE:
        assert title not in text
    with pikepdf.open(pdf(built, "wegweiser-de.pdf")) as document, \
            document.open_outline() as outline:
        chapters = {item.title: [child.title for child in item.children]
                    for item in outline.root}
    assert chapters["Sprache"] == ["Sprachcafé"]
    assert chapters["Beratung"] == ["Elternabend für neue Familien"]
    assert "Anlaufstellen von A bis Z" in chapters


@pytest.mark.slow
def test_fonts_are_ours_embedded_and_subset(built) -> None:
    for path in sorted(built[0].iterdir()):
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]
        assert rows
        for row in rows:
            name, *_, emb, sub, uni, _obj, _gen = row.split()
            assert re.match(r"^[A-Z]{6}\+Wegweiser-Noto-", name), (path.name, name)
            assert (emb, sub, uni) == ("yes", "yes", "yes"), (path.name, row)


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "en", "ar"])
def test_every_printed_character_has_a_glyph(built, code: str) -> None:
    text = subprocess.run(["pdftotext", str(pdf(built, f"wegweiser-{code}.pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert not missing_glyphs(text)


@pytest.mark.slow
def test_tagged_pdf_with_title_language_and_bookmarks(built) -> None:
    with pikepdf.open(pdf(built, "wegweiser-ar.pdf")) as document:
        root = document.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "ar"
        # the title in the brochure's language (Wegweiser's interface catalog for ar)
        assert str(document.docinfo.Title) == "دليل الاندماج في Musterstadt"
        with document.open_metadata() as xmp:
            assert xmp.get("dc:title") == "دليل الاندماج في Musterstadt"
            assert xmp.get("pdfuaid:part") == "1"
        with document.open_outline() as outline:
            assert len(outline.root) >= 4
        languages = structure_languages(root.StructTreeRoot)
    assert "de" in languages  # untranslated passages carry their own language


def structure_languages(node: pikepdf.Object) -> set[str]:
    found, stack = set(), [node]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Dictionary):
            if "/Lang" in item:
                found.add(str(item.Lang))
            kids = item.get("/K")
            stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids else [])
    return found


@pytest.mark.slow
def test_links_are_active_in_the_screen_pdf(built) -> None:
    with pikepdf.open(pdf(built, "wegweiser-en.pdf")) as document:
        uris = {str(a.A.URI) for page in document.pages for a in page.get("/Annots", [])
                if "/A" in a and "/URI" in a.A}
    assert "https://integration.musterstadt.example/en/angebote/sprachcafe/" in uris
    assert "tel:+49123456005" in uris


@pytest.mark.slow
def test_arabic_text_is_stored_in_logical_order(built) -> None:
    """Arabic text carries its letters in reading order; pdftotext then finds each letter.

    poppler's pdftotext shows a right-to-left run in visual order (reversed), so the
    letters are checked there and the order in the PDF itself.
    """
    path = pdf(built, "wegweiser-ar.pdf")
    texts = actual_texts(path)
    assert "مقهى اللغة" in texts
    assert "تحدث الألمانية في جو مريح." in texts
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    assert "مقهى اللغة"[::-1] in raw  # every letter right, ة not read as ت


@pytest.mark.slow
def test_phone_numbers_and_times_are_not_reversed(built) -> None:
    raw = subprocess.run(["pdftotext", "-raw", str(pdf(built, "wegweiser-ar.pdf")), "-"],
                         capture_output=True, text=True, check=True).stdout
    assert "0123 456-005" in raw
    assert "456-005 0123" not in raw and "500-654" not in raw
    times = re.findall(r"\d{1,2}:\d{2}", raw)
    assert "6:30" in times and "8:00" in times  # 18:30–20:00 as Arabic writes it
    assert "03:6" not in raw and "00:8" not in raw


@pytest.mark.slow
def test_index_entries_give_the_page_of_their_offer(built) -> None:
    path = pdf(built, "wegweiser-de.pdf")
    index = outline_pages(path)["Anlaufstellen von A bis Z"]  # chapters may share a page
    refs = [(title, number) for title, number in
            re.findall(r"^ +(\S.*?) (\d+)$", page_text(path, index, "-layout"), re.MULTILINE)
            if title in IN_BROCHURE]  # not a street such as "Marktplatz 1" of a card
    assert refs
    for title, number in refs:
        assert title in page_text(path, int(number)), (title, number)


@pytest.mark.slow
def test_right_to_left_brochure_is_bound_on_the_right(built) -> None:
    """An Arabic brochure starts on a left page; page numbers stay on the outer edge."""
    for code, outer_left in (("de", False), ("ar", True)):
        box = subprocess.run(["pdftotext", "-bbox", "-f", "3", "-l", "3",
                              str(pdf(built, f"wegweiser-{code}.pdf")), "-"],
                             capture_output=True, text=True, check=True).stdout
        words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">3<', box)
        x, y = map(float, words[-1])
        assert y > A5[1] * 0.9
        assert (x < A5[0] / 2) == outer_left, code


@pytest.mark.slow
def test_print_variant_has_bleed_and_marks(built, tmp_path: Path) -> None:
    with pikepdf.open(pdf(built, "wegweiser-de-print.pdf")) as document:
        page = document.pages[1]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
    assert trim[2] - trim[0] == pytest.approx(A5[0], abs=0.5)
    assert trim[3] - trim[1] == pytest.approx(A5[1], abs=0.5)
    assert bleed[2] - bleed[0] == pytest.approx(A5[0] + 2 * 3 * 72 / 25.4, abs=0.5)
    # the crop marks lie in the slug outside the bleed (tests/pdf/test_print.py), so the screen
    # variant, cut to the trim box, has none of them
    assert not dark_pixels_in_corner(pdf(built, "wegweiser-de.pdf"), tmp_path / "screen")


@pytest.mark.slow
def test_screen_variant_is_the_print_layout_cut_to_the_trim_box(built) -> None:
    """Both PDFs come from one layout: same pages and text; the screen one is A5 exactly."""
    with pikepdf.open(pdf(built, "wegweiser-de-print.pdf")) as printed, \
            pikepdf.open(pdf(built, "wegweiser-de.pdf")) as screen:
        assert len(screen.pages) == len(printed.pages)
        for shown, trimmed in zip(screen.pages, printed.pages, strict=True):
            box = [float(v) for v in shown.MediaBox]
            assert box == [float(v) for v in trimmed.TrimBox]
            assert box[2] - box[0] == pytest.approx(A5[0], abs=0.5)
            assert "/BleedBox" not in shown
        assert screen.Root.StructTreeRoot.K is not None  # still a tagged PDF
    for page in (1, 3, 7):
        assert page_text(pdf(built, "wegweiser-de.pdf"), page) == \
            page_text(pdf(built, "wegweiser-de-print.pdf"), page)


def test_qr_codes_are_made_once_and_kept(project: Path, tmp_path: Path) -> None:
    content = load(project)
    german = content.settings.languages[0]
    first = brochure.render_html(content, project, german, tmp_path / "qr")
    kept = sorted((tmp_path / "qr").iterdir())
    assert len(kept) == len([o for o in content.offers if o.in_brochure]) + 1  # and the back
    assert brochure.render_html(content, project, german, tmp_path / "qr") == first
    assert brochure.render_html(content, project, german) == first  # as made without a cache
    assert sorted((tmp_path / "qr").iterdir()) == kept


def dark_pixels_in_corner(path: Path, png: Path) -> bool:
    """Any dark pixel in the top-left 3 x 3 mm of page 2, rendered at 254 dpi (10 px/mm)."""
    from PIL import Image  # Pillow: a WeasyPrint dependency

    subprocess.run(["pdftoppm", "-r", "254", "-f", "2", "-l", "2", "-gray", "-png",
                    "-singlefile", str(path), str(png)], check=True)
    with Image.open(png.with_suffix(".png")) as image:
        low, _high = image.convert("L").crop((0, 0, 30, 30)).getextrema()
        return low < 128


@pytest.mark.slow
def test_unchanged_brochures_come_from_the_cache(project: Path, built) -> None:
    out = project / "again"
    summary = brochure.write_brochures(load(project), project, project / "build", out,
                                       log=lambda line: None)
    assert summary.rendered == [] and sorted(summary.cached) == ["ar", "de", "en"]
    assert (out / "wegweiser-ar.pdf").read_bytes() == pdf(built, "wegweiser-ar.pdf").read_bytes()


def test_the_cache_keeps_the_most_recently_used_renderings_of_a_language(
        tmp_path: Path) -> None:
    """Switching back and forth between states, or projects sharing a cache, finds their
    brochures; older ones go with their print variant and page count, per language."""
    def rendering(code: str, n: int) -> list[Path]:
        screen, printed = brochure.cache_paths(tmp_path, code, f"{n:020x}")
        files = [screen, printed, pages_file(screen)]
        for path in files:
            path.write_text("1")
            os.utime(path, (1_700_000_000 + n, 1_700_000_000 + n))
        return files

    german = [rendering("de", n) for n in range(5)]
    plain_german = [rendering("de-x-ls", n) for n in range(2)]
    brochure.prune_cache(tmp_path, "de")
    assert [all(p.exists() for p in files) for files in german] == [False, False, True, True,
                                                                    True]
    assert not any(p.exists() for files in german[:2] for p in files)
    assert all(p.exists() for files in plain_german for p in files)


def laid_out_again(project: Path, cache: Path, code: str, anchors: dict[str, int],
                   root: Path | None = None) -> tuple[brochure.Rendered, Path]:
    """One language's brochure of `root` (default: `project`) rendered into an empty cache
    that holds only `anchors`, as the anchors' pages of its last layout."""
    root = root or project
    cache.mkdir(parents=True)
    brochure.write_layout(cache, root, code, anchors)
    result = brochure.Work(load(root), root, cache).make_brochure(code)
    return result, brochure.cache_paths(cache, code, result.key)[0]


def last_anchors(project: Path, code: str) -> dict[str, int]:
    return brochure.read_layout(cache_root(project / "build") / "brochure", project, code)[0]


ONCE = dict.fromkeys(brochure.PARTS, 1)
# A first build: the parts that print page numbers twice (the second time with the pages
# the first found), the back cover, which prints none, once.
FIRST = {"front": 2, "body": 2, "back": 2, "cover": 1}


def per_part(result: brochure.Rendered) -> dict[str, int]:
    """How often each kind of brochure.PARTS was laid out, at most (the shipped brochure's
    chapters are one part, "body-1"; the notes pages left aside)."""
    counts = {kind: 0 for kind in brochure.PARTS}
    for name, count in result.layouts.items():
        kind = name.split("-")[0]
        if kind in counts:
            counts[kind] = max(counts[kind], count)
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ar"])
def test_page_numbers_of_the_last_layout_make_one_layout_of_the_same_brochure(
        project: Path, built, tmp_path: Path, code: str) -> None:
    """The contents, the indexes and the contact references print page numbers the build
    wrote into the text: a first build lays each part out twice (the second time with the
    pages the first found); with the last layout's pages, once. Both give the same file."""
    first = next(r for r in built[1].rendered if r.language == code)
    assert per_part(first) == FIRST
    again, screen = laid_out_again(project, tmp_path / "brochure", code,
                                   last_anchors(project, code))
    assert per_part(again) == ONCE and again.key == first.key
    assert screen.read_bytes() == pdf(built, f"wegweiser-{code}.pdf").read_bytes()


@pytest.mark.slow
def test_page_numbers_that_moved_are_laid_out_again(project: Path, built,
                                                     tmp_path: Path) -> None:
    """Pages kept from a layout that no longer holds (every anchor one page later) never
    reach print: each part is laid out again until the numbers it prints are its pages."""
    moved, screen = laid_out_again(project, tmp_path / "brochure", "de",
                                   {a: p + 1 for a, p in last_anchors(project, "de").items()})
    assert per_part(moved) == FIRST
    assert screen.read_bytes() == pdf(built, "wegweiser-de.pdf").read_bytes()
    contents = page_text(screen, 3, "-layout")  # the contents: "Sprache ..... 4"
    listed = {m[1]: int(m[2]) for m in re.finditer(r"^\s*(\S.*?) \.{3,}\s+(\d+)$", contents, re.M)}
    outline = outline_pages(screen)
    assert len(listed) >= 5 and all(outline[title] == page for title, page in listed.items())


@pytest.mark.slow
def test_page_numbers_found_are_kept_when_the_pdfs_were_cached(project: Path, built,
                                                              tmp_path: Path) -> None:
    """Kept pages that moved cost a layout once: after it, the cached PDFs are used and
    the pages found replace the kept ones."""
    kept = cache_root(project / "build") / "brochure"
    cache = tmp_path / "brochure"
    cache.mkdir()
    first = next(r for r in built[1].rendered if r.language == "de")
    screen, printed = brochure.cache_paths(kept, "de", first.key)
    for path in (screen, printed, pages_file(screen)):
        shutil.copy(path, cache)
    anchors, starts = brochure.read_layout(kept, project, "de")
    brochure.write_layout(cache, project, "de", {a: p + 1 for a, p in anchors.items()}, starts)
    work = brochure.Work(load(project), project, cache)
    corrected = work.make_brochure("de")
    assert (corrected.pages, per_part(corrected), corrected.key) == (None, ONCE, first.key)
    assert brochure.read_layout(cache, project, "de") == (anchors, starts)
    assert work.make_brochure("de").layouts == {}


@pytest.mark.slow
def test_an_edited_offer_lays_out_its_part_and_equals_a_brochure_built_from_nothing(
        project: Path, built, tmp_path: Path) -> None:
    """An offer's text changed (not its title, which the indexes print): the chapters are
    laid out once; the contents, the indexes and the back cover, whose text and pages did
    not change, come from the cache as PDFs (parts/) and are bound with it. The PDF is the
    one a build from nothing makes of the edited content, byte for byte (text, tags,
    links, outline, fonts and page count)."""
    edited = tmp_path / "edited"
    shutil.copytree(project, edited, ignore=shutil.ignore_patterns("build", "out"))
    offer = edited / "offers" / "sprachcafe.yml"
    text = offer.read_text(encoding="utf-8")
    assert "Deutsch sprechen" in text
    offer.write_text(text.replace("Deutsch sprechen", "Deutsch reden", 1), encoding="utf-8")
    first = next(r for r in built[1].rendered if r.language == "de")
    kept = cache_root(project / "build") / "brochure"
    cache = edited / "build" / "cache" / "brochure"
    cache.mkdir(parents=True)
    for path in kept.glob("wegweiser-de-*"):
        shutil.copy(path, cache)
    shutil.copytree(kept / "parts", cache / "parts", ignore=lambda _, names: [
        name for name in names if not name.startswith("de-")])
    anchors, starts = brochure.read_layout(kept, project, "de")
    brochure.write_layout(cache, edited, "de", anchors, starts)
    incremental = brochure.Work(load(edited), edited, cache).make_brochure("de")
    assert per_part(incremental) == {"front": 0, "body": 1, "back": 0, "cover": 0}
    assert incremental.key != first.key
    scratch, screen = laid_out_again(edited, tmp_path / "scratch", "de", {}, edited)
    assert per_part(scratch)["body"] == 2 and scratch.key == incremental.key
    changed = brochure.cache_paths(cache, "de", incremental.key)[0]
    assert changed.read_bytes() == screen.read_bytes()
    assert "Deutsch reden" in pdf_text(changed)


def footer_numbers(path: Path) -> dict[int, tuple[int, str]]:
    """The page number printed at the foot of each page (in any digits), with the side of
    the page it is on, by page: from pdftotext -bbox."""
    found: dict[int, tuple[int, str]] = {}
    pages = re.split(r"<page ", pdf_text(path, "-bbox"))[1:]
    for index, page in enumerate(pages, start=1):
        width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        for x0, y0, x1, word in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', page):
            if float(y0) > 0.9 * height and all(c.isdigit() for c in word):
                side = "right" if float(x0) > width / 2 else "left"
                assert float(x1) < width / 2 or side == "right", (index, word)
                found[index] = int("".join(str(unicodedata.digit(c)) for c in word)), side
    return found


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ar"])
def test_page_numbers_run_on_across_the_parts_on_the_outer_edge(built, code: str) -> None:
    """Each part is laid out on its own (brochure.PARTS): its pages still carry their
    numbers in the joined PDF, each on the outer edge of its side of the spread (a left-to-
    right brochure starts on a right page, a right-to-left one on a left page)."""
    path = pdf(built, f"wegweiser-{code}.pdf")
    numbers = footer_numbers(path)
    notes = len(re.findall(r"programm$", pdf_text(path), re.M))
    assert len(numbers) == page_count(path) - 2 - notes
    first_side = "left" if code == "ar" else "right"
    other = {"left": "right", "right": "left"}[first_side]
    assert {page: numbers[page] for page in numbers} == {
        page: (page, first_side if page % 2 else other) for page in numbers}


@pytest.mark.slow
def test_a_changed_translation_renders_only_its_language(project: Path, built) -> None:
    ARABIC["offer/sprachcafe#summary"] = ("Deutsch sprechen in entspannter Runde.",
                                          "نتحدث الألمانية معًا.")
    write_arabic_catalog(project)
    summary = brochure.write_brochures(load(project), project, project / "build",
                                       project / "changed", log=lambda line: None)
    assert [r.language for r in summary.rendered] == ["ar"]
    assert sorted(summary.cached) == ["de", "en"]


@pytest.mark.slow
def test_the_build_command_writes_the_brochures(minimal_project: Path) -> None:
    first = run_build(minimal_project, "build")
    assert first.returncode == 0, first.stdout + first.stderr
    downloads = minimal_project / "site" / "downloads"
    assert (downloads / "wegweiser-ar.pdf").stat().st_size > 10_000
    assert (downloads / "wegweiser-ar-print.pdf").exists()
    before = (downloads / "wegweiser-ar.pdf").read_bytes()
    second = run_build(minimal_project, "build")
    assert second.returncode == 0, second.stdout + second.stderr
    reused = next(line for line in second.stdout.splitlines() if "from the cache" in line)
    assert "brochures" in reused  # nothing changed: no brochure rendered again
    assert (downloads / "wegweiser-ar.pdf").read_bytes() == before


def test_print_font_families_are_one_per_file() -> None:
    families = [typeset.print_family(face) for face in fonts.font_faces()]
    weights = [face.weight for face in fonts.font_faces()]
    assert len(set(zip(families, weights, strict=True))) == len(families)


def test_kept_page_references_follow_added_pages() -> None:
    import pydyf

    typeset.cache_page_references()
    document = pydyf.PDF()
    for _ in range(3):
        document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    references = document.page_references
    assert len(references) == 3 and document.page_references is references  # not rebuilt
    document.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert document.page_references[:3] == references
    assert len(document.page_references) == 4


# --- print and accessibility (issue 15) ----------------------------------------------------

def pdf_text(path: Path, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
def test_contact_points_in_full_once_and_referred_to_from_offers(built) -> None:
    """The KI's full entry (phone label, opening hours) is printed once, in the contact
    index; under an offer it is its name, first phone and the page of that entry."""
    path = pdf(built, "wegweiser-de.pdf")
    text = pdf_text(path)
    assert text.count("Zentrale") == 1 and text.count("Montag") == 1
    refs = re.findall(r"Kommunales Integrationszentrum, 0123 456-005 Seite (\d+)", text)
    assert len(refs) == 2  # under both offers
    (page,) = set(refs)
    assert "Zentrale" in page_text(path, int(page))


def qr_codes(path: Path, page: int, tmp_path: Path) -> list[str]:
    """The QR codes on one page, decoded by zbarimg from a 150 dpi rendering."""
    png = tmp_path / f"qr-{path.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "150", "-f", str(page), "-l", str(page), "-gray",
                    "-png", "-singlefile", str(path), str(png)], check=True)
    found = subprocess.run(["zbarimg", "--raw", "-q", str(png.with_suffix(".png"))],
                           capture_output=True, text=True).stdout
    return found.split()


def outline_pages(path: Path) -> dict[str, int]:
    """Every bookmark's title with its page number."""
    with pikepdf.open(path) as document, document.open_outline() as outline:
        numbers = {page.objgen: n for n, page in enumerate(document.pages, start=1)}
        found, stack = {}, list(outline.root)
        while stack:
            item = stack.pop()
            found[item.title] = numbers[item.destination[0].objgen]
            stack.extend(item.children)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ar"])
def test_one_qr_code_per_offer_on_its_page_with_its_address(built, code: str,
                                                            tmp_path: Path) -> None:
    path = pdf(built, f"wegweiser-{code}.pdf")
    base = "https://integration.musterstadt.example/"
    codes = {n: qr_codes(path, n, tmp_path) for n in range(1, page_count(path) + 1)}
    found = [url for urls in codes.values() for url in urls]
    offers = {"sprachcafe": "مقهى اللغة" if code == "ar" else "Sprachcafé",
              "elternabend": "Elternabend für neue Familien"}
    assert sorted(found) == sorted([f"{base}{code}/", *(f"{base}{code}/angebote/{o}/"
                                                        for o in offers)])
    headings = outline_pages(path)
    for offer, title in offers.items():
        url = f"{base}{code}/angebote/{offer}/"
        page = headings[title]
        assert url in codes[page], (offer, page)
        printed = re.sub(r"[\s\u202a-\u202e]", "", page_text(path, page))  # bidi marks too
        assert url.removeprefix("https://").rstrip("/") in printed


@pytest.mark.slow
def test_qr_code_links_have_the_size_of_the_code(built) -> None:
    side = 20 * 72 / 25.4
    with pikepdf.open(pdf(built, "wegweiser-de.pdf")) as document:
        rects = [[float(v) for v in a.Rect] for page in document.pages
                 for a in page.get("/Annots", [])
                 if "/A" in a and "/angebote/" in str(a.A.get("/URI", ""))]
    assert len(rects) == 2
    for x0, y0, x1, y1 in rects:
        assert abs(x1 - x0) == pytest.approx(side, abs=1)
        assert abs(y1 - y0) == pytest.approx(side, abs=1)


@pytest.mark.slow
def test_page_count_fills_whole_sheets_with_notes_pages(built) -> None:
    """Every PDF has a multiple of 4 pages; what fills the last sheet are notes pages
    before the back cover, and no page is left blank."""
    padded = 0
    for path in sorted(built[0].iterdir()):
        count = page_count(path)
        assert count % 4 == 0, (path.name, count)
        texts = [page_text(path, n) for n in range(1, count + 1)]
        assert all(text.strip() for text in texts), path.name
        code = path.name.removeprefix("wegweiser-").removesuffix(".pdf").removesuffix("-print")
        back = re.sub(r"[\s\u202a-\u202e]", "", texts[-1])
        assert f"integration.musterstadt.example/{code}" in back  # the back cover stays last
        notes = [n for n, text in enumerate(texts, start=1) if "Notizen" in text]
        assert notes == list(range(count - len(notes), count)), path.name
        padded += bool(notes)
    # chapters share pages, so the fixture's brochures fill whole sheets without notes pages;
    # tests/pdf/test_print.py checks notes pages on the shipped brochures, which need them
    assert not padded


@pytest.mark.slow
def test_no_text_under_8_pt_and_arabic_script_set_larger(built) -> None:
    sizes = {code: text_sizes(pdf(built, f"wegweiser-{code}-print.pdf"))
             for code in ("de", "en", "ar")}
    assert all(min(found) >= 7.99 for found in sizes.values()), {
        code: min(found) for code, found in sizes.items()}
    body = {code: max(set(found), key=found.count) for code, found in sizes.items()}
    assert body["de"] == pytest.approx(9.5)  # the most frequent size: running text
    assert 1.15 <= body["ar"] / body["de"] <= 1.2


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                  r"(.*)</word>")


def words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, x0, y0, x1, y1, text) of every word pdftotext finds, in points from the top."""
    found, page = [], 0
    for line in pdf_text(path, "-bbox").splitlines():
        page += "<page " in line
        if word := WORD.search(line):
            found.append((page, *map(float, word.groups()[:4]), word[5]))
    return found


def link_rects(path: Path, part: str) -> list[tuple[int, float, float, float, float]]:
    """(page, x0, y0, x1, y1) of the links whose URI holds `part`, measured from the top."""
    rects = []
    with pikepdf.open(path) as document:
        for number, page in enumerate(document.pages, start=1):
            height = float(page.MediaBox[3])
            for a in page.get("/Annots", []):
                if "/A" in a and part in str(a.A.get("/URI", "")):
                    x0, y0, x1, y1 = map(float, a.Rect)
                    rects.append((number, min(x0, x1), height - max(y0, y1), max(x0, x1),
                                  height - min(y0, y1)))
    return rects


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ar"])
def test_text_stays_in_the_margins_and_off_the_qr_codes(built, code: str) -> None:
    path = pdf(built, f"wegweiser-{code}.pdf")
    edge = 13.5 * 72 / 25.4  # the outer margin is 14 mm, the covers are padded by 16 mm
    found = words(path)
    assert found
    for page, x0, _y0, x1, _y1, _text in found:
        assert edge <= x0 and x1 <= A5[0] - edge, (page, x0, x1)
    codes = link_rects(path, "/angebote/")
    assert codes
    for number, cx0, cy0, cx1, cy1 in codes:
        for page, x0, y0, x1, y1, _text in found:
            overlaps = x0 < cx1 and cx0 < x1 and y0 < cy1 and cy0 < y1
            assert not (page == number and overlaps), (page, x0, y0, x1, y1)


@pytest.mark.slow
def test_phone_numbers_in_right_to_left_running_text_read_left_to_right(built) -> None:
    """"بالهاتف على الرقم 0123 456-005 ...": the number's parts in their order, left to right
    (without isolation the bidi algorithm shows 456-005 left of 0123)."""
    found = words(pdf(built, "wegweiser-ar.pdf"))
    lines = {(page, round(y0)) for page, _x0, y0, _x1, _y1, text in found if "الرقم" in text}
    assert lines
    for page, top in lines:
        line = {text: x0 for p, x0, y0, _x1, _y1, text in found
                if p == page and round(y0) == top}
        assert line["0123"] < line["456-005"], line


def test_ltr_runs_are_isolated_in_right_to_left_text_only(project: Path) -> None:
    content = load(project)
    arabic = brochure.render_html(content, project, content.settings.language("ar"))
    assert '<bdi dir="ltr"><span class="number">0123 456-005</span></bdi>' in arabic
    assert ('<bdi dir="ltr"><span class="number">01067</span> <span lang="de">Musterstadt'
            '</span></bdi>') in arabic
    german = brochure.render_html(content, project, content.settings.language("de"))
    assert '<bdi dir="ltr"><span class="number">0123 456-005</span></bdi>' not in german
    assert '<span class="number">0123 456-005</span>' in german  # kept on one line
    # A contact's name and phone under an offer, separated by the language's comma.
    assert '</span>، <bdi dir="ltr" class="phone">' in arabic
    assert '</span>, <bdi dir="ltr" class="phone">' in german


def test_isolated_runs() -> None:
    html = isolate_ltr_runs('اتصل 0214 406-5246 أو <a href="mailto:a@b.de">a@b.de</a>، '
                            'www.example.de/x. 51373 Leverkusen <bdi>0214 1</bdi> 18:30 2026')
    assert html.count("<bdi") == 5
    assert '<bdi dir="ltr">www.example.de/x</bdi>.' in html
    assert 'href="mailto:a@b.de"' in html and "18:30 2026" in html


def test_latin_runs_are_marked_german_outside_links() -> None:
    html = mark_latin_runs('مركز (Kommunales Integrationszentrum) في Hauptstraße 105، &amp; '
                           '<a href="https://x.de">x.de</a> KOMM-AN NRW.', "de")
    assert html == ('مركز (<span lang="de">Kommunales Integrationszentrum</span>) في '
                    '<span lang="de">Hauptstraße</span> 105، &amp; <a href="https://x.de">x.de</a>'
                    ' <span lang="de">KOMM-AN NRW</span>.')


@pytest.mark.slow
def test_right_to_left_pdfs_page_from_right_to_left_and_all_open_with_bookmarks(built) -> None:
    for path in sorted(built[0].iterdir()):
        with pikepdf.open(path) as document:
            root = document.Root
            direction = root.ViewerPreferences.get("/Direction")
            assert direction == ("/R2L" if path.name.startswith("wegweiser-ar") else None)
            assert root.PageMode == "/UseOutlines"
            assert bool(root.ViewerPreferences.DisplayDocTitle)  # kept from WeasyPrint


def marked_content(page: pikepdf.Page) -> tuple[list[int], int]:
    """The MCIDs a page's content marks, and its number of /Pagination artifacts."""
    mcids, pagination = [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) != "BDC" or not isinstance(operands[1], pikepdf.Dictionary):
            continue
        if "/MCID" in operands[1]:
            mcids.append(int(operands[1].MCID))
        elif str(operands[0]) == "/Artifact" and operands[1].get("/Type") == "/Pagination":
            pagination += 1
    return mcids, pagination


def reachable(root: pikepdf.Object) -> set[tuple[int, int]]:
    """The structure elements the tree reaches from its root."""
    seen, stack = set(), [root]
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Array):
            stack.extend(item)
        elif isinstance(item, pikepdf.Dictionary) and item.objgen not in seen:
            seen.add(item.objgen)
            if "/K" in item:
                stack.append(item.K)
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("code", ["de", "ar"])
def test_running_heads_and_page_numbers_are_pagination_artifacts(built, code: str) -> None:
    path = pdf(built, f"wegweiser-{code}.pdf")
    notes = len(re.findall(r"programm$", pdf_text(path), re.M))  # each notes page links it
    with pikepdf.open(path) as document:
        tree = document.Root.StructTreeRoot
        elements = reachable(tree.K)
        parents = tree.ParentTree.Nums
        numbered = 0
        for index, page in enumerate(document.pages):
            mcids, pagination = marked_content(page)
            numbered += pagination > 0
            assert int(parents[2 * index]) == index
            mapped = parents[2 * index + 1]
            assert len(mapped) == len(mcids), index
            assert all(mapped[m].objgen in elements for m in mcids), index
    assert numbered == len(document.pages) - 2 - notes  # all but the covers and notes


@pytest.mark.slow
def test_bookmarks_hold_imprint_contents_and_back_cover(built) -> None:
    path = pdf(built, "wegweiser-de.pdf")
    with pikepdf.open(path) as document, document.open_outline() as outline:
        titles = [item.title for item in outline.root]
    pages = outline_pages(path)
    assert titles[:3] == ["Impressum", "Inhalt", "So benutzen Sie diese Broschüre"]
    assert titles[-1] == "So erreichen Sie uns"
    assert (pages["Impressum"], pages["Inhalt"]) == (2, 3)
    assert pages["So erreichen Sie uns"] == page_count(path)


@pytest.mark.slow
def test_imprint_names_publisher_responsible_printer_run_and_edition(built) -> None:
    imprint = " ".join(page_text(pdf(built, "wegweiser-de.pdf"), 2).split())
    for part in ("Herausgeber Stadt Musterstadt, Der Bürgermeister Marktplatz 1 01067 Musterstadt",
                 "Verantwortlich (V.i.S.d.P.) Maria Muster, Leitung des Kommunalen",
                 "Druck Druckhaus Muster, Musterweg 1, 01067 Musterstadt",
                 "Auflage: 2.500 Exemplare", "Stand November 2026"):
        assert part in imprint, part


def test_check_warns_about_a_missing_imprint_field_and_the_schema_checks_them(
        minimal_project: Path) -> None:
    settings = minimal_project / "content" / "site.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  print_run: 2500\n", ""), encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert "warning: brochure.print_run: the brochure's imprint lacks 'print_run'" in result.stdout
    assert result.returncode == 0
    settings.write_text(text.replace("postcode: 01067, city: Musterstadt}\n  responsible",
                                     "postcode: 1067, city: Musterstadt}\n  responsible"),
                        encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert "brochure.publisher_address.postcode: '1067' is not valid here; expected a" \
        " five-digit postcode" in result.stdout
    assert result.returncode == 1


@pytest.mark.slow
def test_example_values_are_not_printed_as_facts(built) -> None:
    """Values marked in example_values are left out of print, with a pointer to the web."""
    text = " ".join(pdf_text(pdf(built, "wegweiser-de.pdf")).split())
    assert "elternschule@musterstadt.example" not in text and "Schulweg 9" not in text
    assert "0123 456-777" in text  # the confirmed phone number stays
    assert "Weitere Angaben werden noch bestätigt und stehen im Internet:" \
        " integration.musterstadt.example/de/anlaufstellen/elternschule" in text
    assert "Kosten wird noch bestätigt, aktuell im Internet" in text
    assert "Sprachen wird noch bestätigt" in text
    assert "Türkisch" not in text  # only the example languages of Elternabend had it


def test_renderer_patches_are_applied_once() -> None:
    from weasyprint.pdf import stream, tags

    typeset.apply_patches()
    marked, tree = stream.Stream.marked, tags._build_box_tree
    typeset.apply_patches()
    assert (stream.Stream.marked, tags._build_box_tree) == (marked, tree)
