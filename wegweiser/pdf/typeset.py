"""WeasyPrint for the brochure and the flyer: local fonts, nothing fetched, tagged PDF/UA-1.

Additions to what WeasyPrint 70 writes, each checked by tests/pdf/test_brochure.py or
tests/pdf/test_tagged_pdf.py:

- /Lang on structure elements. WeasyPrint writes the document language (/Lang in the
  catalog) only, so a German passage in an Arabic brochure would be read aloud with
  Arabic rules. `tag_element_languages` gives the elements of HTML elements with their
  own `lang` attribute a /Lang.
- /ActualText on Arabic-script text. Noto Naskh Arabic draws letters as shared skeletons
  plus dots, so one glyph stands for several letters and the glyph-to-text map (ToUnicode)
  cannot say which: copied or read-aloud text came out wrong (ة as ت). The marked content
  of such text now carries the text itself, in logical order (tagging.actual_text); so does
  other right-to-left text whose glyphs may come in visual order (" 30" of a page
  reference read "30 ", "KOMM-" read "-KOMM").
- The text at line breaks (tagging.actual_text and keep_spoken_text): WeasyPrint drops the
  space at the end of a line and adds a hyphen at a hyphenation point, so a screen reader
  heard "anderesangegeben" and "Integrations-zentrum". A lost space now follows its line
  as an empty marked-content sequence with /ActualText " "; a hyphenated line carries its
  text without the hyphen as /ActualText (no soft hyphens either); a space between two
  elements, which WeasyPrint draws as nothing, reads as a space.
- Running heads and page numbers as /Artifact /Pagination: WeasyPrint 70 tags the text of
  page-margin boxes and hangs it under structure elements the tree never reaches (PDF/UA
  wants it either in the tree or an artifact); `mark_pagination_artifacts`. Dot leaders
  (the contents' leader(".")) are /Artifact /Layout the same way (tagging.leader_boxes): they
  were 80 % of the contents' tagged text.
- One link annotation per link: `one_link_per_element` drops the copies WeasyPrint adds
  for every box inside an <a> (a QR code's <svg>, a page number made by ::after).
- The structure tree (tagging.tag_content, see that module): a link's /Contents describes
  its target in the reader's language instead of an anchor id; a ::after inside a link is
  a Span, not a Link of its own; elements that a page break (or a line break) cut into
  pieces are one element again (a chapter one Sect, an offer one Art with its QR Figure, a
  list one L); a <dl> is a list of items pairing Lbl (term) and LBody (definition); a
  Figure's /BBox is in PDF points.

These, and `cache_page_references` below, replace internals of WeasyPrint and pydyf, not
their public API. They were written for the versions in `PATCHED_FOR` (those of uv.lock);
with any other version installed, `apply_patches` stops the build with one line saying so,
instead of writing PDFs that silently lack what the patches add.

Speed: a worker process decodes the font files once (`font_config`), not once per PDF;
`cache_page_references` makes tagging linear in the number of pages; and a brochure is laid
out once for both of its PDFs (the screen PDF is the print PDF cut: `trim`).
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import pikepdf
import pydyf
import pyphen
import weasyprint
from weasyprint import anchors as weasy_anchors
from weasyprint import document as weasy_document
from weasyprint.formatting_structure import boxes as weasy_boxes
from weasyprint.pdf import stream as pdf_stream
from weasyprint.pdf import tags as pdf_tags
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from wegweiser import fonts
from wegweiser.cache import digest_of, memo_bytes
from wegweiser.pdf import tagging
from wegweiser.resources import NODE_CACHE

PDF_VARIANT = "pdf/ua-1"


FAMILY = re.compile(r'"([^"]+)"')
PRINT_PREFIX = "Wegweiser"


def print_family(face: fonts.FontFace) -> str:
    """A family name of one font file, e.g. "Wegweiser Noto Sans latin-ext".

    WeasyPrint 70 keys embedded fonts by family, weight and style, not by file: two
    files under one family name (the @fontsource subsets, or an installed system copy of
    Noto) would share one embedded font and print wrong glyphs. One name per file, never
    used by an installed font, keeps them apart.
    """
    slug = face.family.lower().replace(" ", "-")
    subset = face.file.name.removeprefix(f"{slug}-").removesuffix(
        f"-{face.weight}-{face.style}.woff2")
    return f"{PRINT_PREFIX} {face.family} {subset}"


@cache
def print_font_css() -> str:
    """@font-face rules for the @fontsource files in node_modules (file: URLs)."""
    return "".join(
        "@font-face {\n"
        f"  font-family: '{print_family(face)}'; font-style: {face.style};"
        f" font-weight: {face.weight};\n"
        f"  src: url('{face.file.as_uri()}') format('woff2');\n"
        f"  unicode-range: {face.unicode_range};\n}}\n"
        for face in fonts.print_faces())


def subset_order(name: str) -> int:
    """Latin before its extensions and other scripts, as fonts.FAMILIES lists them."""
    subset = name.rsplit(" ", 1)[-1]
    order = [s for family in fonts.FAMILIES for s in family.subsets]
    return order.index(subset) if subset in order else len(order)


def print_stack(stack: str) -> str:
    """A font stack of fonts.py with each family replaced by its files' print families."""
    names = []
    for family in FAMILY.findall(stack):
        faces = [f for f in fonts.font_faces() if f.family == family]
        names += sorted({print_family(f) for f in faces}, key=subset_order)
    generic = stack.rsplit(",", 1)[-1].strip()
    return ", ".join([*(f'"{n}"' for n in dict.fromkeys(names)), generic])


SMALLEST_PT = 8.0  # no text in print smaller than this, in any language
# Naskh reads smaller than Latin at the same size: Arabic and Persian are set this much larger.
ARABIC_SCRIPT_SCALE = 1.175


def font_size(points: float, scale: float = 1.0) -> str:
    """A CSS font size: the design's size in points, raised to SMALLEST_PT, then scaled."""
    return f"{max(points, SMALLEST_PT) * scale:.2f}pt"


def font_sizes(arabic_script: bool) -> Callable[[float], str]:
    """`font_size` for the print CSS of a document in Arabic script or not."""
    return partial(font_size, scale=ARABIC_SCRIPT_SCALE if arabic_script else 1.0)


class LocalFetcher(URLFetcher):
    """Only local files and data: URLs; a PDF build never asks a third party for anything.
    A woff2 font comes as the TrueType font it holds (`truetype`)."""

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("file:") and url.endswith(".woff2"):
            return URLFetcherResponse(url, truetype(Path(url2pathname(urlsplit(url).path))))
        return super().fetch(url, headers)


def truetype(woff2_file: Path) -> bytes:
    """A woff2 font decoded once per installation, kept by a hash of its bytes in
    node_modules/.cache: WeasyPrint decodes woff2 in pure Python (2 s for the print fonts'
    24 files) in every process that lays out a PDF. The same bytes, so the same PDFs."""
    key = f"woff2 {digest_of(woff2_file)}"
    try:
        return memo_bytes(NODE_CACHE / "fonts", key, lambda: fonts.truetype(woff2_file), ".ttf")
    except OSError:  # node_modules read-only: decoded each time, as WeasyPrint would
        return fonts.truetype(woff2_file)


def local_fetcher() -> URLFetcher:
    return LocalFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)


@cache
def font_config() -> FontConfiguration:
    """One per process: WeasyPrint registers each @font-face file once and skips the faces
    it already has, so every further PDF starts without that cost."""
    return FontConfiguration()


@cache
def read_fonts() -> None:
    """The print fonts into this process's `font_config`, before a document needs them:
    processes forked from this one (workers.run_apart) start with them read."""
    weasyprint.CSS(string=print_font_css(), url_fetcher=local_fetcher(),
                   font_config=font_config())


@cache
def read_hyphenation(code: str) -> None:
    """A language's hyphenation patterns into pyphen's cache of this process, where
    WeasyPrint finds them: the German ones take 0.5 to 1 s to read, in every layout process
    of every language (German names and streets are in all of them) unless read before it
    is forked."""
    if pyphen.language_fallback(code):
        pyphen.Pyphen(lang=code, cache=True)


# the versions whose internals the patches below replace (tests/test_setup.py: = uv.lock)
PATCHED_FOR = {"weasyprint": "70.0", "pydyf": "0.13.0"}


class UnpatchableRenderer(SystemExit):
    """WeasyPrint or pydyf is not the version the patches were written for."""


def installed_renderer() -> dict[str, str]:
    return {"weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__}


def apply_patches() -> None:
    """The patches, once the renderer is known to be the one they were written for."""
    found = installed_renderer()
    wrong = [f"{name} {found[name]} (written for {version})"
             for name, version in PATCHED_FOR.items() if found[name] != version]
    if wrong:
        raise UnpatchableRenderer(
            f"wegweiser/pdf/typeset.py patches internals of {', '.join(wrong)}: install the locked"
            " versions (`python3 build.py` does) or update the patches and PATCHED_FOR.")
    patch_renderer()


@cache
def patch_renderer() -> None:
    """Once a process: a patch wraps what an earlier one put in place (marked content, the
    structure tree), so applying them again would wrap them twice."""
    tag_element_languages()
    add_actual_text()
    cache_page_references()
    one_link_per_element()
    tagging.patch_tagging()
    mark_pagination_artifacts()


def render(html: str, base: Path, extra_css: str = "") -> weasyprint.Document:
    """Lay out `html`: local files only, fonts shared within the process."""
    apply_patches()
    fetcher = local_fetcher()
    stylesheets = [weasyprint.CSS(string=extra_css, url_fetcher=fetcher,
                                  font_config=font_config())] if extra_css else []
    document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher
                               ).render(stylesheets=stylesheets, font_config=font_config())
    tagging.keep_spaces_between_lines(page._page_box for page in document.pages)
    return document


ROOT_DIRECTION = re.compile(r"<html\b[^>]*\sdir=\"(\w+)\"")


def write_pdf(html: str, base: Path, target: Path, extra_css: str = "",
              notes_html: str = "") -> int:
    """Lay out `html` and write it as tagged PDF/UA-1 to `target`; returns the page count.

    With `notes_html`, its pages go in before the last page until the count is a multiple
    of 4 (see `fill_last_sheet`)."""
    with collection_paused():
        return write_document(render(html, base, extra_css), html, base, target, extra_css,
                              notes_html)


def write_document(document: weasyprint.Document, html: str, base: Path, target: Path,
                   extra_css: str = "", notes_html: str = "") -> int:
    """`document`, the layout of `html`, written as by `write_pdf`."""
    direction = ROOT_DIRECTION.search(html)
    raw = target.with_name(target.name + ".raw")
    with collection_paused():
        if notes_html:
            document = fill_last_sheet(document, notes_html, base, extra_css)
        target.parent.mkdir(parents=True, exist_ok=True)
        document.write_pdf(raw, pdf_variant=PDF_VARIANT)
        pages = len(document.pages)
    set_viewer_preferences(raw, target, rtl=bool(direction) and direction[1] == "rtl")
    return pages


def anchor_pages(document: weasyprint.Document) -> dict[str, int]:
    """The number of the page each anchor (an element's id) of `document` starts on; an
    element broken over pages has its anchor on each of them."""
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            pages.setdefault(anchor, number)
    return pages


def set_viewer_preferences(raw: Path, target: Path, rtl: bool) -> None:
    """`raw` saved as `target`, opening with its bookmarks shown (/PageMode /UseOutlines);
    a right-to-left document also pages from right to left (/Direction /R2L), so a viewer
    shows its spreads as they are bound."""
    with pikepdf.open(raw) as pdf:
        if "/Outlines" in pdf.Root:
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
        if rtl:
            preferences = pdf.Root.get("/ViewerPreferences") or pikepdf.Dictionary()
            preferences.Direction = pikepdf.Name.R2L
            pdf.Root.ViewerPreferences = preferences
        # deterministic_id: the file ID is a hash of the content, so builds stay reproducible
        pdf.save(target, deterministic_id=True)
    raw.unlink()


SHEET = 4  # pages of one folded sheet in a saddle-stitched booklet


def fill_last_sheet(document: weasyprint.Document, notes_html: str, base: Path,
                    extra_css: str) -> weasyprint.Document:
    """The document with notes pages before its last page (the back cover), so that the
    print shop's page count is a multiple of 4 and no blank page is left to chance."""
    missing = -len(document.pages) % SHEET
    if not missing:
        return document
    notes = render(notes_html, base, extra_css)
    if len(notes.pages) < missing:
        raise ValueError(f"notes_html gives {len(notes.pages)} pages, {missing} are needed")
    pages = [*document.pages[:-1], *notes.pages[:missing], document.pages[-1]]
    return document.copy(pages)


@contextmanager
def collection_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint works: it makes millions of objects
    that live until the PDF is written, and Python's collector walking them again and
    again took a fifth of a brochure's time. It runs again once the PDF is written."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def write_variants(document: weasyprint.Document, html: str, base: Path, printed: Path,
                   screen: Path, print_css: str, notes_html: str = "") -> int:
    """The print PDF (with `print_css`: bleed and crop marks) and the screen PDF of
    `document`, the layout of `html` with `print_css`; returns the page count.
    `notes_html`: as in `write_pdf`.

    The screen PDF is the print PDF with each page cut to its trim box (MediaBox = TrimBox):
    the same pages, links, tags and fonts, without the bleed and the marks outside the
    trim. Laying out once halves the time of a brochure."""
    pages = write_document(document, html, base, printed, print_css, notes_html)
    trim(printed, screen)
    return pages


def trim(printed: Path, screen: Path) -> None:
    """The screen PDF of the print PDF `printed`: each page cut to its trim box."""
    with pikepdf.open(printed) as pdf:
        for page in pdf.pages:
            page.MediaBox = page.TrimBox
            del page.BleedBox
        # deterministic_id: the file ID is a hash of the content, so builds stay reproducible
        pdf.save(screen, deterministic_id=True)


def cache_page_references() -> None:
    """pydyf rebuilds the tuple of every page's reference on each `page_references` read,
    and WeasyPrint's tagging reads it once per structure element: quadratic in pages
    (1.5 s of a 240-page brochure). Pages are only ever added, so the tuple is kept until
    the page count changes."""
    original = pydyf.PDF.page_references.fget
    if getattr(original, "cached", False):
        return

    def page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
        count = len(pdf.pages["Kids"])
        known = pdf.__dict__.get("_page_references")
        if known is None or known[0] != count:
            known = pdf.__dict__["_page_references"] = (count, original(pdf))
        return known[1]

    page_references.cached = True  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(page_references)


def tag_element_languages() -> None:
    """Give structure elements of `lang`-marked HTML elements a /Lang of their own."""
    original = getattr(pdf_tags, "_build_box_tree", None)
    if original is None or getattr(original, "adds_lang", False):
        return

    def build_box_tree(box, parent, *args, **kwargs):  # type: ignore[no-untyped-def]
        element = getattr(box, "element", None)
        lang = element.get("lang") if element is not None and hasattr(element, "get") else None
        own = lang and getattr(box, "element_tag", None) not in ("html", "body")
        for structure in original(box, parent, *args, **kwargs):
            if own and "Lang" not in structure:
                structure["Lang"] = pydyf.String(lang)
            yield structure

    build_box_tree.adds_lang = True  # type: ignore[attr-defined]
    pdf_tags._build_box_tree = build_box_tree


def add_actual_text() -> None:
    """Marked content of text boxes carries /ActualText where needed (tagging.actual_text); a
    space lost at a line break follows the text as an empty sequence with /ActualText " ",
    so the glyphs of the line stay the text of the line for every reader."""
    stream_class = pdf_stream.Stream
    if getattr(stream_class.marked, "adds_actual_text", False):
        return

    @contextmanager
    def marked(self, box, tag) -> Iterator[None]:  # type: ignore[no-untyped-def]
        text, space_after = tagging.actual_text(box) if self._tags is not None else (None, False)
        if text is None:
            with original(self, box, tag):
                yield
                if space_after:
                    space = pydyf.Dictionary({"ActualText": pydyf.String(" ")})
                    pydyf.Stream.begin_marked_content(self, "Span", space)
                    pydyf.Stream.end_marked_content(self)
            return
        mcid = len(self._tags)
        self._tags[box] = {"tag": tag, "mcid": mcid}
        properties = pydyf.Dictionary({"MCID": mcid, "ActualText": pydyf.String(text)})
        pydyf.Stream.begin_marked_content(self, tag, properties)
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(self)

    original = stream_class.marked
    marked.adds_actual_text = True  # type: ignore[attr-defined]
    stream_class.marked = marked


def one_link_per_element() -> None:
    """A link annotation for the outermost box of a link only.

    WeasyPrint 70 gives every box inside an <a> its own annotation with the same target
    (the <svg> of a QR code, the ::after of a page reference): two or three links over one
    spot, each a Link element of its own in the tagged PDF. The boxes inside inherit the
    link; their annotations are dropped as they are gathered."""
    original = weasy_anchors.gather_anchors
    if getattr(original, "one_per_element", False):
        return

    def gather_anchors(box, anchors, links, *args, **kwargs):  # type: ignore[no-untyped-def]
        parent_link = kwargs.get("parent_link", args[4] if len(args) > 4 else None)
        original(box, anchors, links, *args, **kwargs)
        if parent_link is not None and box.link in (None, parent_link):
            links[:] = [entry for entry in links if entry[3] is not box]

    gather_anchors.one_per_element = True  # type: ignore[attr-defined]
    weasy_anchors.gather_anchors = gather_anchors
    weasy_document.gather_anchors = gather_anchors


def margin_subtypes(page_box: weasy_boxes.PageBox) -> dict[int, str]:
    """The id of every box in the page's margin boxes, with its artifact subtype."""
    found = {}
    for margin in page_box.children:
        if isinstance(margin, weasy_boxes.MarginBox):
            subtype = "/Header" if margin.at_keyword.startswith("@top") else "/Footer"
            found.update((id(box), subtype) for box in margin.descendants())
    return found


def artifact_properties(subtype: str) -> pydyf.Dictionary:
    """A running head or page number (subtype /Header, /Footer), else a layout artifact."""
    if subtype:
        return pydyf.Dictionary({"Type": "/Pagination", "Subtype": subtype})
    return pydyf.Dictionary({"Type": "/Layout"})


def mark_pagination_artifacts() -> None:
    """The text of page-margin boxes (running heads, page numbers) is drawn as
    /Artifact <</Type /Pagination /Subtype /Header or /Footer>> and left out of the tree;
    so are dot leaders, as /Artifact <</Type /Layout>>: they are not text to read."""
    page_class, stream_class = weasy_document.Page, pdf_stream.Stream
    if getattr(page_class.paint, "marks_pagination", False):
        return
    paint, marked, build_box_tree = page_class.paint, stream_class.marked, pdf_tags._build_box_tree

    def paint_page(self, stream, scale=1):  # type: ignore[no-untyped-def]
        page_box = self._page_box
        stream.pagination = {**margin_subtypes(page_box), **tagging.leader_boxes(page_box)}
        return paint(self, stream, scale)

    @contextmanager
    def mark(self, box, tag) -> Iterator[None]:  # type: ignore[no-untyped-def]
        subtype = getattr(self, "pagination", {}).get(id(box))
        if self._tags is None or subtype is None:
            with marked(self, box, tag):
                yield
            return
        pydyf.Stream.begin_marked_content(self, "Artifact", artifact_properties(subtype))
        try:
            yield
        finally:
            pydyf.Stream.end_marked_content(self)

    def skip_margin_boxes(box, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not isinstance(box, weasy_boxes.MarginBox) and not getattr(box, "is_leader", False):
            yield from build_box_tree(box, *args, **kwargs)

    paint_page.marks_pagination = True  # type: ignore[attr-defined]
    page_class.paint = paint_page
    stream_class.marked = mark
    pdf_tags._build_box_tree = skip_margin_boxes
