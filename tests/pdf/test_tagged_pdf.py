"""The brochure as a screen reader gets it (issue 15, items 13-16): links, languages, the text
at line breaks and a structure that follows the content, on the shipped content in German
and Arabic, read back from the PDFs with pikepdf (tests/pdf/tagged.py) and poppler."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser

import pikepdf
import pytest
from conftest import REPO, TODAY
from tagged import Element, Marked, Tagged, read_tagged

from wegweiser.content.tree import load_content
from wegweiser.pdf import brochure, typeset
from wegweiser.problems import Problems

CODES = ("de", "ar")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The shipped content's brochures in German and Arabic, rendered once for the module,
    with the HTML they were made from."""
    content = load_content(REPO, date.fromisoformat(TODAY), Problems())
    assert content is not None
    languages = tuple(lang for lang in content.settings.languages if lang.code in CODES)
    content = replace(content, settings=replace(content.settings, languages=languages))
    out = tmp_path_factory.mktemp("tagged")
    brochure.write_brochures(content, REPO, out / "build", out, log=lambda line: None)
    html = {}
    for language in languages:
        view = brochure.Brochure.prepare(content, REPO, language)
        html[language.code] = "\n".join(brochure.render_template(view, template)
                                        for template in ("brochure.html.j2", "notes.html.j2"))
    return out, content, html


@pytest.fixture(scope="module")
def tagged(shipped) -> dict[str, Tagged]:  # type: ignore[no-untyped-def]
    return {code: read_tagged(shipped[0] / f"wegweiser-{code}.pdf") for code in CODES}


def links_of(element: Element) -> list[Element]:
    return [e for e in element.walk() if e.role == "Link"]


def contents_page(document: Tagged) -> Element:
    """The list of the table of contents: the first list whose items are all links."""
    return next(e for e in document.elements("L")
                if all(links_of(item) for item in e.kids if isinstance(item, Element)))


def words(text: str) -> list[str]:
    return text.split()


# --- 13 links ------------------------------------------------------------------------------

ANCHOR_ID = re.compile(r"^(offer|contact|category|page)-[a-z0-9-]+$|^[a-z]+-[a-z-]+$")


@pytest.mark.parametrize("code", CODES)
def test_links_describe_their_target_in_the_readers_language(tagged, code: str) -> None:
    """/Contents of every link is its text (and page number) as read, never an anchor's id
    or a bare URI such as tel:+49..."""
    document = tagged[code]
    links = links_of(document.root)
    assert len(links) > 50
    for link in links:
        figures = [e for e in link.walk() if e.role == "Figure"]
        shown = " ".join(link.text.split()) or str(figures[0].dictionary.Alt)  # a QR code
        for annotation in link.annotations():
            described = " ".join(str(annotation.Contents).split())
            assert shown and described.endswith(shown), (described, shown)
            assert not ANCHOR_ID.match(described), described
            assert not described.startswith(("tel:", "mailto:", "https:")), described
    entries = [link for item in contents_page(document).kids for link in links_of(item)]
    if code == "ar":  # the chapters named in Arabic, the page number after them
        assert all(re.search("[\u0600-\u06ff].* [0-9\u0660-\u0669]+$",
                             str(e.annotations()[0].Contents)) for e in entries)
    refs = [str(a.Contents) for link in links for a in link.annotations()
            if "/Dest" in a and str(a.Dest).startswith("contact-")
            and str(a.Dest) != "contact-index"]
    assert refs and all(" – " in ref for ref in refs)  # "Service-Point – Seite 31": whose page


@pytest.mark.parametrize("code", CODES)
def test_one_link_per_contents_and_index_entry_and_no_link_inside_a_link(tagged,
                                                                         code: str) -> None:
    document = tagged[code]
    entries = [item for item in contents_page(document).kids if isinstance(item, Element)]
    assert len(entries) >= 10
    index_entries = [item for e in document.elements("L") for item in e.kids
                     if isinstance(item, Element) and item.role == "LI"
                     and len(links_of(item)) == 1 and "/Dest" in links_of(item)[0].annotations()[0]]
    for item in entries + index_entries:
        (link,) = links_of(item)  # an entry broken over two lines: one link, two areas
        assert len({str(a.Contents) for a in link.annotations()}) == 1, link.text
    in_links = []
    for link in links_of(document.root):
        assert link.annotations(), link.text  # no Link element without its annotation
        assert not [e for e in link.walk() if e is not link and e.role == "Link"], link.text
        in_links += [a.objgen for a in link.annotations()]
    annotations = [a.objgen for a in document.annotations if a.get("/Subtype") == "/Link"]
    assert sorted(in_links) == sorted(annotations)  # each link annotation in one Link
    for page in document.document.pages:
        assert "/Annots" not in page or page.get("/Tabs") == "/S"  # tab order: structure


@pytest.mark.parametrize("code", CODES)
def test_dot_leaders_of_the_contents_are_artifacts(tagged, code: str) -> None:
    document = tagged[code]
    toc = contents_page(document)
    text = toc.text
    assert text.count(".") <= len(words(text)) // 4, text  # a dot in a title, not leaders
    page = toc.page
    dots = "".join(a.shown for a in document.artifacts[page] if a.properties.get("/Type")
                   == "/Layout")
    assert dots.count(".") > 200 and not dots.replace(".", "").strip()
    for entry in (item for item in toc.kids if isinstance(item, Element)):
        assert re.search(r"\S [0-9\u0660-\u0669\u06f0-\u06f9]+$", entry.text.strip()), \
            entry.text


# --- 14 languages --------------------------------------------------------------------------

LATIN = re.compile(r"[A-Za-zÄÖÜäöüß]")


def test_german_names_in_arabic_text_are_marked_german(tagged) -> None:
    """Every run of Latin letters in the Arabic brochure belongs to an element with /Lang
    de (names, streets, web addresses made of German words), and Arabic text to none."""
    document = tagged["ar"]
    assert document.lang == "ar"
    german, wrong = 0, []
    for element in document.elements():
        for kid in element.kids:
            if isinstance(kid, Marked) and LATIN.search(kid.text):
                german += element.lang == "de"
                if element.lang != "de":
                    wrong.append(kid.text)
            elif isinstance(kid, Marked) and re.search("[\u0600-\u06ff]", kid.text):
                assert element.lang == "ar", kid.text
    assert not wrong
    assert german > 100


def test_no_language_changes_in_the_german_brochure(tagged) -> None:
    assert {e.lang for e in tagged["de"].elements()} == {"de"}


# --- 15 the text at line breaks -------------------------------------------------------------

class SourceText(HTMLParser):
    """The words of the HTML, elements set apart (a line break may fall between them)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "title", "head")
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "title", "head")
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.skip <= 0:
            self.parts.append(data)


def source_words(html: str) -> set[str]:
    parser = SourceText()
    parser.feed(html)
    # elements joined without a space in the source (a<wbr>b, <b>x</b>y) may join in print
    joined = re.sub(r"<(?!/?(p|li|dt|dd|div|h\d|td|th|br|tr|figcaption|ul|ol|dl)\b)[^>]*>",
                    "", re.sub(r"<(style|head)\b.*?</\1>", "", html, flags=re.DOTALL))
    return set("".join(parser.parts).split()) | set(re.sub(r"<[^>]*>", " ", joined).split())


GENERATED = re.compile(r"^([0-9\u0660-\u0669\u06f0-\u06f9]+|•)$")  # page numbers, bullets


@pytest.mark.parametrize("code", CODES)
def test_words_are_not_glued_or_split_at_line_breaks(tagged, shipped, code: str) -> None:
    """Each word of the tagged text (/ActualText where there is one) is a word of the HTML:
    nothing glued where a line broke at a space, no hyphen where it broke inside a word."""
    document, known = tagged[code], source_words(shipped[2][code])
    blocks = [e for e in document.elements() if e.role in ("P", "H1", "H2", "H3", "LBody",
                                                           "Lbl", "TD", "TH", "Caption")]
    found = [w.strip(".,:;!?()«»„“\"'،؛") for block in blocks for w in words(block.text)]
    glued = [w for w in found if w and w not in known and not GENERATED.match(w)
             and not any(w in k for k in known)]
    assert len(found) > 1500
    assert not glued
    marked = [m for e in document.elements() for m in e.kids if isinstance(m, Marked)]
    assert not [m.text for m in marked if "\xad" in m.text]
    line_ends = [m for m in marked if m.text.endswith(" ") and not m.shown.endswith(" ")]
    assert len(line_ends) > 50  # a space that print leaves out is in the text
    if code == "de":  # hyphenated in print, whole in the text
        hyphenated = [m for m in marked if m.shown.endswith("-") and m.text == m.shown[:-1]]
        assert hyphenated


# --- 16 a structure that follows the content ------------------------------------------------

def in_brochure(shipped) -> list:  # type: ignore[type-arg]
    return [o for o in shipped[1].offers if o.in_brochure]


@pytest.mark.parametrize("code", CODES)
def test_an_offer_is_one_article_holding_its_qr_code(tagged, shipped, code: str) -> None:
    articles = tagged[code].elements("Art")
    assert len(articles) == len(in_brochure(shipped))
    for article in articles:
        figures = [e for e in article.walk() if e.role == "Figure"]
        headings = [e for e in article.walk() if e.role == "H2"]
        assert len(figures) == 1 and len(headings) == 1, article.text[:60]
        assert figures[0].dictionary.get("/Alt")


@pytest.mark.parametrize("code", CODES)
def test_chapters_and_lists_stay_whole_across_pages(tagged, shipped, code: str) -> None:
    """One Sect per chapter however many pages it has; a list broken by a page is one L."""
    document = tagged[code]
    chapters = [e for e in document.root.kids if isinstance(e, Element) and e.role == "Sect"
                and any(k.role == "H1" for k in e.kids if isinstance(k, Element))]
    for chapter in chapters:
        assert [k.role for k in chapter.kids if isinstance(k, Element)].count("H1") == 1
    assert len(chapters) >= 10
    spans = [e for e in chapters if len(pages_of(e)) > 1]
    assert spans  # chapters do break across pages
    # Each list of the HTML is one L, wherever the pages break (whether one does break a
    # list depends on the content; test_a_list_broken_by_a_page_... makes sure of one).
    assert len(document.elements("L")) == len(re.findall(r"<(?:ul|ol|dl)\b", shipped[2][code]))
    for parent in document.elements():
        kids = [k for k in parent.kids if isinstance(k, Element)]
        for first, second in zip(kids, kids[1:], strict=False):
            assert not (first.role == second.role == "L" and first.page != second.page), \
                first.text[:60]


def pages_of(element: Element) -> set[int]:
    return {e.page for e in element.walk() if e.page is not None}


@pytest.mark.parametrize("code", CODES)
def test_facts_pair_each_label_with_its_value(tagged, code: str) -> None:
    """An offer's facts (languages, audience, cost, registration) are a list of items, each
    a label (Lbl) with its value (LBody): as a definition list reads."""
    labels = {"de": {"Sprachen", "Für wen", "Kosten", "Anmeldung"}}
    for article in tagged[code].elements("Art"):
        facts = next(k for k in article.kids if isinstance(k, Element) and k.role == "L")
        items = [item for item in facts.kids if isinstance(item, Element)]
        assert len(items) >= 4
        for item in items:
            assert [k.role for k in item.kids if isinstance(k, Element)] == ["Lbl", "LBody"]
        found = {" ".join(item.kids[0].text.split()) for item in items}
        if code in labels:
            assert labels[code] <= found, found


@pytest.mark.parametrize("code", CODES)
def test_figure_boxes_are_in_pdf_units_where_the_figure_is(tagged, code: str) -> None:
    """A QR code's Figure /BBox (points, origin bottom left) is where its link is."""
    document = tagged[code]
    figures = document.elements("Figure")
    assert figures
    for figure in figures:
        box = [float(v) for v in figure.dictionary.A.BBox]
        link = next(e for e in document.elements("Link") if any(k is figure for k in e.kids))
        x1, y1, x2, y2 = (float(v) for v in link.annotations()[0].Rect)
        rect = [min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)]
        assert box == pytest.approx(rect, abs=1.0), (box, rect)
        assert 0 <= box[1] < box[3] <= document.page_heights[figure.page]


def test_poppler_reads_the_structure_tree(shipped) -> None:
    """poppler's own reading of the tree: the Arabic brochure's links, lists and articles."""
    tree = subprocess.run(["pdfinfo", "-struct", str(shipped[0] / "wegweiser-ar.pdf")],
                          capture_output=True, text=True, check=True).stdout
    roles = [line.split()[0] for line in tree.splitlines()[1:] if line.strip()]
    assert roles.count("Art") == len(in_brochure(shipped))
    assert "Lbl" in roles and "Figure:" in roles
    with pikepdf.open(shipped[0] / "wegweiser-ar.pdf") as document:
        assert [k.S for k in document.Root.StructTreeRoot.K] == ["/Document"]


@pytest.mark.parametrize("code", CODES)
def test_artifacts_and_tagged_content_do_not_nest(shipped, code: str) -> None:
    """No artifact inside tagged content, no tagged content inside an artifact, and every
    shown text tagged or an artifact."""
    with pikepdf.open(shipped[0] / f"wegweiser-{code}.pdf") as document:
        for number, page in enumerate(document.pages, start=1):
            stack: list[str] = []
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op in ("BDC", "BMC"):
                    tagged = op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/MCID" in operands[1]
                    kind = "tagged" if tagged else "artifact" \
                        if str(operands[0]) == "/Artifact" else "other"
                    assert not ({kind, *stack} >= {"tagged", "artifact"}), (number, stack)
                    stack.append(kind)
                elif op == "EMC":
                    stack.pop()
                elif op in ("Tj", "TJ"):
                    assert {"tagged", "artifact"} & set(stack), number


def test_latin_names_in_arabic_lines_keep_their_word_order(shipped) -> None:
    """A German name of several words in an Arabic line reads left to right as a whole
    (isolated), whatever spans its words get for hyphenation and language: poppler, which
    prints a line in visual order, finds the words in their own order."""
    pdf = str(shipped[0] / "wegweiser-ar.pdf")
    shown = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True,
                           check=True).stdout
    text = " ".join(shown.split())
    assert text.count("Kommunales Integrationszentrum") >= 10
    assert "Integrationszentrum Kommunales" not in text
    # A street and its number in running text (the imprint page's address), its street
    # marked German: in the line's order, not right to left around the span.
    assert text.count("Hauptstraße 105") >= 3
    assert not re.search(r"105 ?Hauptstraße", text)


def test_a_list_broken_by_a_page_is_one_list_and_names_keep_their_spaces(tmp_path) -> None:
    """Independent of where the shipped content's pages break: a list longer than its page
    is one L, and a line ending at a <span> (a name) reads with the space after it."""
    words = [(f"Name{n}", "Verbindungswort"[:4 + n % 11]) for n in range(40)]
    names = " ".join(f'<span class="name">{name}</span> {word}' for name, word in words)
    items = "".join(f"<li>Punkt {n}</li>" for n in range(60))
    html = (f'<html lang="de"><body><section><h1>Kapitel</h1><p>{names}</p><ul>{items}</ul>'
            "</section></body></html>")
    css = "@page { size: 50mm 60mm; margin: 5mm } body { margin: 0; font-size: 8pt }"
    typeset.write_pdf(html, REPO, tmp_path / "list.pdf", css)
    document = read_tagged(tmp_path / "list.pdf")
    (paragraph,) = document.elements("P")
    assert paragraph.text.split() == [w for pair in words for w in pair]
    (whole,) = document.elements("L")
    assert len(pages_of(whole)) > 1
    assert len([e for e in whole.kids if isinstance(e, Element) and e.role == "LI"]) == 60
