"""The brochure's parts, each a tagged PDF of its own, bound into one PDF.

A part is laid out and written by WeasyPrint alone (brochure.py keeps it between builds),
so binding works on the PDFs: their pages in order, one structure tree (each part's
Document element's kids under the first's, the parent tree's keys renumbered), one outline,
one name tree of link destinations, and one font per face: WeasyPrint subsets a font per
document keeping the glyph ids of the font file (retain-gids), so the subsets of one face
are joined glyph by glyph into one font program, with the union of their widths and of
their glyph-to-text maps.

A link from one part to an anchor in another cannot be resolved while its part is laid out
alone; the part's HTML carries it as a link to `ELSEWHERE` + anchor (`link_elsewhere`),
which binding turns into the destination by name.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

ELSEWHERE = "wegweiser-part:"  # a link to an anchor in another part, until bound
HREF = re.compile(r'href="#([^"]+)"')
ID = re.compile(r'\sid="([^"]+)"')
UNICODE_ENTRY = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def link_elsewhere(html: str) -> str:
    """`html` with its links to anchors it does not hold pointed at `ELSEWHERE`."""
    held = set(ID.findall(html))
    return HREF.sub(lambda link: link[0] if link[1] in held else f'href="{ELSEWHERE}{link[1]}"',
                    html)


def bind(parts: Iterable[Path], target: Path) -> int:
    """The PDFs `parts` (the first gives the catalog: language, metadata, viewer
    preferences) bound into `target`; returns its page count."""
    paths = list(parts)
    with pikepdf.open(paths[0]) as book:
        destinations = named_destinations(book)
        for path in paths[1:]:
            with pikepdf.open(path) as part:
                add_part(book, part, destinations)
        if "/Names" not in book.Root:
            book.Root.Names = pikepdf.Dictionary()
        book.Root.Names.Dests = pikepdf.Dictionary(Names=pikepdf.Array(
            [item for name in sorted(destinations) for item in (pikepdf.String(name),
                                                                  destinations[name])]))
        number_parents(book)
        resolve_links(book)
        join_fonts(book)
        book.save(target, deterministic_id=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)  # as WeasyPrint writes
        return len(book.pages)


def named_destinations(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """The flat name tree WeasyPrint writes: anchor -> [page /XYZ x y 0]."""
    names = pdf.Root.get("/Names", {}).get("/Dests", {}).get("/Names", [])
    return {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}


def add_part(book: pikepdf.Pdf, part: pikepdf.Pdf, destinations: dict[str, pikepdf.Object]
             ) -> None:
    """`part`'s pages, structure, outline and destinations appended to `book`'s."""
    offset = next_parent_key(book)
    first_page = len(book.pages)
    book.pages.extend(part.pages)  # copies each page with what it refers to, once
    for page in book.pages[first_page:]:
        page.obj.StructParents = int(page.obj.StructParents) + offset
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    add_structure(book, part, offset)
    add_outline(book, part)
    for name, destination in named_destinations(part).items():
        destinations.setdefault(name, copied(book, destination))


def copied(book: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """`value` of another PDF in `book`: an indirect object copied (each once, pages
    included, so references among them hold), a direct array item by item."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([copied(book, item) for item in value])
    return value


def next_parent_key(pdf: pikepdf.Pdf) -> int:
    numbers = pdf.Root.StructTreeRoot.ParentTree.Nums
    return max((int(numbers[i]) for i in range(0, len(numbers), 2)), default=-1) + 1


def add_structure(book: pikepdf.Pdf, part: pikepdf.Pdf, offset: int) -> None:
    """The kids of `part`'s Document element under `book`'s, its parent tree renumbered."""
    document = part.Root.StructTreeRoot.K[0]
    del document["/P"]  # not to copy the part's tree root along
    target = book.Root.StructTreeRoot.K[0]
    for kid in book.copy_foreign(document).K:
        kid.P = target
        target.K.append(kid)
    numbers = book.Root.StructTreeRoot.ParentTree.Nums
    found = part.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(found), 2):
        numbers.append(int(found[i]) + offset)
        numbers.append(copied(book, found[i + 1]))


def number_parents(book: pikepdf.Pdf) -> None:
    """The parent tree's keys as WeasyPrint numbers them in one document: the pages in
    order, then their annotations."""
    numbers = book.Root.StructTreeRoot.ParentTree.Nums
    found = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    pages = [page.obj for page in book.pages]
    holders = [*((page, "/StructParents") for page in pages),
               *((annotation, "/StructParent") for page in pages
                 for annotation in page.get("/Annots", []) if "/StructParent" in annotation)]
    if len(holders) != len(found):
        raise ValueError(f"the parent tree has {len(found)} keys, pages and annotations "
                         f"{len(holders)}: not a structure tree WeasyPrint wrote")
    renumbered = []
    for key, (holder, name) in enumerate(holders):
        renumbered += [key, found[int(holder[name])]]
        holder[name] = key
    book.Root.StructTreeRoot.ParentTree.Nums = pikepdf.Array(renumbered)


def add_outline(book: pikepdf.Pdf, part: pikepdf.Pdf) -> None:
    """`part`'s bookmarks after `book`'s, at the top level."""
    if "/Outlines" not in part.Root or "/First" not in part.Root.Outlines:
        return
    outline = part.Root.Outlines
    first, last = book.copy_foreign(outline.First), book.copy_foreign(outline.Last)
    if "/Outlines" not in book.Root:
        book.Root.Outlines = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines,
                                                                   Count=0))
    root = book.Root.Outlines
    item = first
    while True:
        item.Parent = root
        if item.objgen == last.objgen:
            break
        item = item.Next
    if "/Last" in root:
        root.Last.Next, first.Prev = first, root.Last
    else:
        root.First = first
    root.Last = last
    root.Count = int(root.get("/Count", 0)) + int(outline.get("/Count", 0))


def resolve_links(book: pikepdf.Pdf) -> None:
    """Links to `ELSEWHERE` pointed at their anchor's destination by name."""
    for page in book.pages:
        for annotation in page.obj.get("/Annots", []):
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            if uri.startswith(ELSEWHERE):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(uri.removeprefix(ELSEWHERE))


# --- fonts -----------------------------------------------------------------------------------


def join_fonts(book: pikepdf.Pdf) -> None:
    """One font per face: the parts' subsets of a face (same /BaseFont) joined into the
    first, every part's resources pointed at it."""
    faces: dict[str, pikepdf.Object] = {}
    for resources in {page.obj.Resources.objgen: page.obj.Resources
                      for page in book.pages}.values():
        fonts = resources.get("/Font", {})
        for name, font in list(fonts.items()):
            face = faces.setdefault(str(font.BaseFont), font)
            if face.objgen != font.objgen:
                join_font(face, font)
                fonts[name] = face


def join_font(face: pikepdf.Object, other: pikepdf.Object) -> None:
    """`other`'s glyphs, widths and glyph-to-text map added to `face`'s (same font file,
    subset keeping glyph ids)."""
    cid, other_cid = face.DescendantFonts[0], other.DescendantFonts[0]
    program, other_program = cid.FontDescriptor.FontFile2, other_cid.FontDescriptor.FontFile2
    joined = join_glyphs(program.read_bytes(), other_program.read_bytes())
    program.write(joined)  # compressed when saved
    program.Length1 = len(joined)
    cid.W = widths_array(widths(cid.W) | widths(other_cid.W))
    # a glyph may stand for several texts (an Arabic skeleton, a mirrored bracket): the
    # first drawn wins, as when WeasyPrint writes one document
    to_unicode = unicode_map(other.ToUnicode.read_bytes()) | unicode_map(
        face.ToUnicode.read_bytes())
    face.ToUnicode.write(unicode_cmap(to_unicode))


def join_glyphs(font: bytes, other: bytes) -> bytes:
    """A TrueType subset with the glyphs of both; both keep the font file's glyph ids, up to
    the highest they use, and may name them differently, so glyphs go by id."""
    subsets = (TTFont(io.BytesIO(data), recalcTimestamp=False) for data in (font, other))
    base, added = sorted(subsets, key=lambda subset: subset["maxp"].numGlyphs, reverse=True)
    names, added_names = base.getGlyphOrder(), added.getGlyphOrder()
    glyphs, metrics = base["glyf"], base["hmtx"]
    for gid, name in enumerate(added_names):
        glyph = added["glyf"][name]
        if glyph.numberOfContours and not glyphs[names[gid]].numberOfContours:
            for component in getattr(glyph, "components", ()):  # a composite's parts, by id
                component.glyphName = names[added.getGlyphID(component.glyphName)]
            glyphs[names[gid]] = glyph
            metrics[names[gid]] = added["hmtx"][name]
    written = io.BytesIO()
    base.save(written)
    return written.getvalue()


def widths(array: pikepdf.Array) -> dict[int, float]:
    """A CIDFont's /W as glyph id -> width (both of its forms: c [w ...] and c1 c2 w)."""
    found: dict[int, float] = {}
    items, i = list(array), 0
    while i < len(items):
        first = int(items[i])
        if isinstance(items[i + 1], pikepdf.Array):
            found |= {first + n: float(w) for n, w in enumerate(items[i + 1])}
            i += 2
        else:
            found |= dict.fromkeys(range(first, int(items[i + 1]) + 1), float(items[i + 2]))
            i += 3
    return found


def widths_array(found: dict[int, float]) -> pikepdf.Array:
    """/W in the form c [w ...], one run per consecutive glyph ids."""
    array: list[object] = []
    previous = None
    for gid in sorted(found):
        if gid - 1 == previous:
            array[-1].append(number(found[gid]))  # type: ignore[attr-defined]
        else:
            array += [gid, [number(found[gid])]]
        previous = gid
    return pikepdf.Array(array)


def number(width: float) -> int | float:
    return int(width) if width == int(width) else width


def unicode_map(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar entries: glyph id -> UTF-16BE hex of its text."""
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.DOTALL):
        for glyph, text in UNICODE_ENTRY.findall(block):
            found.setdefault(int(glyph, 16), text.decode())
    return found


def unicode_cmap(found: dict[int, str]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes one, for `found`."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo", b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0",
             b">> def", b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    entries = sorted(found.items())
    for i in range(0, len(entries), 100):  # at most 100 entries a block
        batch = entries[i:i + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{glyph:04x}> <{text}>".encode() for glyph, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)
