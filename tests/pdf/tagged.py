"""The tagged structure of a PDF as a screen reader gets it: elements, their text, links.

Read with pikepdf only: every marked-content sequence's text (its /ActualText where it has
one, else its glyphs through the font's ToUnicode map), then the structure tree from the
StructTreeRoot down, each element with the text of its marked content in reading order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

BF_CHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
BF_RANGE = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
SECTION = re.compile(rb"begin(bfchar|bfrange)(.*?)end\1", re.DOTALL)


def unicode_map(font: pikepdf.Dictionary) -> dict[int, str]:
    """A Type0 font's two-byte codes with their text, from its ToUnicode CMap."""
    found: dict[int, str] = {}
    for kind, body in SECTION.findall(font.ToUnicode.read_bytes()):
        if kind == b"bfchar":
            for code, text in BF_CHAR.findall(body):
                found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
        else:
            for low, high, text in BF_RANGE.findall(body):
                first = int(text, 16)
                for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                    found[code] = chr(first + offset)
    return found


@dataclass
class Marked:
    """One marked-content sequence: its tag, properties, and what it holds in order: the
    text of its glyphs and the sequences nested in it."""

    tag: str
    properties: dict[str, object]
    pieces: list[str | Marked] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text as read: its /ActualText, else its glyphs' and nested sequences' text."""
        actual = self.properties.get("/ActualText")
        if actual is not None:
            return str(actual)
        return "".join(p if isinstance(p, str) else p.text for p in self.pieces)

    @property
    def shown(self) -> str:
        """The text of the glyphs alone, whatever /ActualText says."""
        return "".join(p if isinstance(p, str) else p.shown for p in self.pieces)


def marked_content(page: pikepdf.Page, maps: dict[tuple[int, int], dict[int, str]]
                   ) -> tuple[dict[int, Marked], list[Marked]]:
    """A page's marked content: by MCID, and the artifacts (in the order drawn)."""
    fonts = page.Resources.get("/Font", {})
    by_mcid: dict[int, Marked] = {}
    artifacts: list[Marked] = []
    stack: list[Marked] = []
    font: dict[int, str] = {}
    for operands, operator in pikepdf.parse_content_stream(page):
        op = str(operator)
        if op in ("BDC", "BMC"):
            properties = operands[1] if op == "BDC" else None
            props = dict(properties.items()) if isinstance(properties, pikepdf.Dictionary) else {}
            current = Marked(str(operands[0]), props)
            if "/MCID" in props:
                by_mcid[int(props["/MCID"])] = current
            elif current.tag == "/Artifact":
                artifacts.append(current)
            if stack:
                stack[-1].pieces.append(current)
            stack.append(current)
        elif op == "EMC":
            stack.pop()
        elif op == "Tf":
            reference = fonts[str(operands[0])]
            key = reference.objgen
            if key not in maps:
                maps[key] = unicode_map(reference)
            font = maps[key]
        elif op in ("Tj", "TJ") and stack:
            strings = operands[0] if op == "TJ" else [operands[0]]
            for part in strings:
                if isinstance(part, pikepdf.String):
                    raw = bytes(part)
                    stack[-1].pieces.append("".join(
                        font.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                        for i in range(0, len(raw), 2)))
    return by_mcid, artifacts


INLINE = {"Span", "Link", "NonStruct", "Lbl", "Quote", "Code", "Reference", "Note", "BibEntry"}


@dataclass
class Element:
    """A structure element with its kids in order: elements, marked content, annotations."""

    role: str
    lang: str | None
    dictionary: pikepdf.Dictionary
    page: int | None
    kids: list[Element | Marked | pikepdf.Dictionary] = field(default_factory=list)

    def walk(self):
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.walk()

    def marked(self) -> list[Marked]:
        """The element's marked content, its descendants' included, in reading order."""
        found = []
        for kid in self.kids:
            if isinstance(kid, Element):
                found += kid.marked()
            elif isinstance(kid, Marked):
                found.append(kid)
        return found

    @property
    def text(self) -> str:
        """The text as read: inline kids run on, block-level kids are set apart by a space."""
        parts = []
        for kid in self.kids:
            if isinstance(kid, Marked):
                parts.append(kid.text)
            elif isinstance(kid, Element):
                parts.append(kid.text if kid.role in INLINE else f" {kid.text} ")
        return "".join(parts)

    def annotations(self) -> list[pikepdf.Dictionary]:
        return [k for k in self.kids if isinstance(k, pikepdf.Dictionary)]


@dataclass
class Tagged:
    """A tagged PDF read back: the root element, page count and every page's artifacts."""

    root: Element
    pages: int
    artifacts: list[list[Marked]]
    annotations: list[pikepdf.Dictionary]
    lang: str
    page_heights: list[float]
    document: pikepdf.Pdf

    def elements(self, role: str | None = None) -> list[Element]:
        return [e for e in self.root.walk() if role is None or e.role == role]


def read_tagged(path: Path) -> Tagged:
    document = pikepdf.open(path)  # kept open: the elements are its objects
    if True:
        numbers = {page.objgen: n for n, page in enumerate(document.pages)}
        maps: dict[tuple[int, int], dict[int, str]] = {}
        content = [marked_content(page, maps) for page in document.pages]

        def element(item: pikepdf.Dictionary, page: int | None, lang: str) -> Element:
            if "/Pg" in item:
                page = numbers[item.Pg.objgen]
            lang = str(item.Lang) if "/Lang" in item else lang
            node = Element(str(item.S)[1:], lang, item, page)
            kids = item.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None \
                else []
            for kid in kids:
                if isinstance(kid, int):
                    node.kids.append(content[page][0][kid])
                elif kid.get("/Type") == "/MCR":
                    on = numbers[kid.Pg.objgen] if "/Pg" in kid else page
                    node.kids.append(content[on][0][int(kid.MCID)])
                elif kid.get("/Type") == "/OBJR":
                    node.kids.append(kid.Obj)
                else:
                    node.kids.append(element(kid, page, lang))
            return node

        lang = str(document.Root.Lang)
        root = element(document.Root.StructTreeRoot.K, None, lang) \
            if isinstance(document.Root.StructTreeRoot.K, pikepdf.Dictionary) else \
            element(document.Root.StructTreeRoot.K[0], None, lang)
        annotations = [a for page in document.pages for a in page.get("/Annots", [])]
        return Tagged(root, len(document.pages), [c[1] for c in content], annotations, lang,
                      [float(page.MediaBox[3]) for page in document.pages], document)
