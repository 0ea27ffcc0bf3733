"""The tagged structure of the PDFs: what WeasyPrint 70 tags by page, made to follow the content.

Patches of WeasyPrint internals (applied by typeset.patch_renderer, for the versions of
typeset.PATCHED_FOR; the module docstring of typeset lists them) and their helpers:

- `tag_content` wraps the building of the structure tree:
  - `link_description`: a link annotation's /Contents says where it leads, in the
    reader's language (the link's text, its page number, its `title`), not the anchor's
    id; `Tree.describe_whole_links` gives every piece of a broken link the whole of it.
  - a ::after inside a link is a Span, not a Link of its own.
  - `Tree.merge_fragments`: WeasyPrint builds the tree page by page, so a chapter, an
    offer or a list broken across pages became one element per page. Fragments of one
    HTML element that follow each other become one element again.
  - `Tree.pair_definitions`: a <dl> became a list with the term and each definition as
    separate items; now an item is the term (Lbl) with its definition (LBody).
  - `figure_box`: a Figure's /BBox in PDF units (points from the bottom left), not CSS
    pixels from the top.
- `keep_spoken_text`: the text a line break takes away (the space at the end of a line,
  which WeasyPrint drops) or adds (a hyphen at a hyphenation point) is noted on the text
  box, so its marked content can carry the text as it is read (`actual_text`, used by
  typeset.add_actual_text).
- `keep_spaces_between_lines` (after layout, typeset.render): a line broken at a space
  between two boxes reads with that space, which WeasyPrint skips at the next line's start.
- `leader_boxes`: the dots of a leader(), for typeset.mark_pagination_artifacts to draw as
  artifacts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise
from unicodedata import bidirectional

import pydyf
from weasyprint import pdf as weasy_pdf
from weasyprint.formatting_structure import boxes as weasy_boxes
from weasyprint.layout import inline as weasy_inline
from weasyprint.pdf import tags as pdf_tags

SOFT_HYPHEN = "\xad"


# --- what is read at a line break ---------------------------------------------------------

def drawn_text(box: weasy_boxes.TextBox) -> str:
    """The text whose glyphs a box draws: that of its Pango layout, which keeps the space
    WeasyPrint takes off the box's text at the end of a line."""
    return getattr(getattr(box, "pango_layout", None), "text", None) or box.text


def spoken_text(box: weasy_boxes.TextBox) -> str:
    """The text of a box as read aloud or copied: with the space a line break took away,
    without a hyphen it added, without soft hyphens."""
    text = getattr(box, "spoken_text", None) or drawn_text(box)
    return text.replace(SOFT_HYPHEN, "")


def line_end_text(original: str, shown: str, hyphen: str) -> str | None:
    """What the first line of a split text box reads, if not what it shows."""
    if shown == original:
        return None
    if shown.endswith(hyphen) and shown.removesuffix(hyphen) == original.rstrip(SOFT_HYPHEN):
        return shown.removesuffix(hyphen)  # a hyphenation point: no hyphen, no space
    if original.startswith(shown) and not original[len(shown):].strip():
        return shown + " "  # broken at a space
    return None


def keep_spoken_text() -> None:
    """Note on each text box split at a line break, or emptied of its only space at the
    end of a line, what it reads (see `spoken_text`)."""
    split, strip = weasy_inline.split_text_box, weasy_inline.remove_last_whitespace
    if getattr(split, "keeps_spoken_text", False):
        return

    def split_text_box(context, box, available_width, skip, *args, **kwargs):  # type: ignore[no-untyped-def]
        new_box, resume, preserved = split(context, box, available_width, skip, *args, **kwargs)
        if new_box is not None:
            consumed = None
            if resume is not None:
                consumed = box.text.encode()[skip or 0:resume].decode(errors="ignore")
            new_box.spoken_text = consumed and line_end_text(
                consumed, new_box.text, box.style["hyphenate_character"])
            skipped = box.text.encode()[:skip or 0].decode(errors="ignore")
            # Only spaces before it: a line started here, after the space it broke at.
            new_box.after_line_break_space = bool(skipped) and not skipped.strip(" ")
        return new_box, resume, preserved

    def remove_last_whitespace(context, line):  # type: ignore[no-untyped-def]
        last = line
        while isinstance(last, (weasy_boxes.LineBox, weasy_boxes.InlineBox)) and last.children:
            last = last.children[-1]
        before = last.text if isinstance(last, weasy_boxes.TextBox) else None
        strip(context, line)
        # A box keeps the glyphs of its space (its Pango layout is not redone), unless it
        # was nothing but space: then it draws nothing and the space is gone.
        if before and not last.text:
            last.spoken_text = " "

    split_text_box.keeps_spoken_text = True  # type: ignore[attr-defined]
    weasy_inline.split_text_box = split_text_box
    weasy_inline.remove_last_whitespace = remove_last_whitespace


def edge_text(box: weasy_boxes.Box, last: bool) -> weasy_boxes.TextBox | None:
    """The first (or last) text box of a line, inside its inline boxes; None if the line
    begins (ends) with something else, such as an image."""
    kids = [kid for kid in getattr(box, "children", ()) if kid.is_in_normal_flow()]
    for kid in reversed(kids) if last else kids:
        if isinstance(kid, weasy_boxes.TextBox):
            return kid
        return edge_text(kid, last) if isinstance(kid, weasy_boxes.InlineBox) else None
    return None


def keep_spaces_between_lines(page_boxes: Iterable[weasy_boxes.PageBox]) -> None:
    """A line broken at a space between two boxes (after a name's <span>, before the text
    that follows it) leaves the space at the start of the next line, where WeasyPrint skips
    it: the last text of the line before reads with it, if it has no space of its own.
    Lines are paired by their element, so a paragraph's last line on a page pairs with its
    first on the next."""
    last_text: dict[object, weasy_boxes.TextBox | None] = {}
    for page_box in page_boxes:
        for line in page_box.descendants():
            if not isinstance(line, weasy_boxes.LineBox) or line.element is None:
                continue
            first, before = edge_text(line, last=False), last_text.get(line.element)
            if getattr(first, "after_line_break_space", False) and before is not None \
                    and not spoken_text(before).endswith(" "):
                before.spoken_text = spoken_text(before) + " "
            last_text[line.element] = edge_text(line, last=True)


ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def actual_text(box: weasy_boxes.Box) -> tuple[str | None, bool]:
    """The /ActualText of a box's marked content, if it needs one, and whether a space
    follows it that print leaves out (the space of a line break, tagging.spoken_text).

    Arabic-script text always has one (its glyphs can't say which letters they are), and
    so has right-to-left text drawn in visual order (`in_visual_order`); other text where
    a line break changed more than its last space (a hyphen added), and a space between
    two elements, which WeasyPrint draws as nothing at all."""
    if not isinstance(getattr(box, "text", None), str):
        return None, False
    text, spoken = drawn_text(box), spoken_text(box)
    if spoken and not spoken.strip():
        return " ", False
    space_after = spoken.endswith(" ") and not text.endswith(" ")
    read = spoken.removesuffix(" ") if space_after else spoken
    if read != text or in_visual_order(box, text) or ARABIC_SCRIPT.search(text):
        return spoken, False
    return None, space_after


def in_visual_order(box: weasy_boxes.Box, text: str) -> bool:
    """Whether the glyphs of right-to-left text may come in another order than its
    letters: unless it begins and ends with a left-to-right letter ("KOMM-" draws "-KOMM")."""
    ends = text.strip()
    return box.style["direction"] == "rtl" and not (
        ends and bidirectional(ends[0]) == "L" and bidirectional(ends[-1]) == "L")


def leader_boxes(page_box: weasy_boxes.PageBox) -> dict[int, str]:
    """The id of every dot of a leader() on the page (the contents' dot leaders). The text
    after a leader reads with a space before it, where the dots were."""
    found = {}
    for box in page_box.descendants():
        kids = getattr(box, "children", [])
        for leader, after in pairwise([*kids, None]):
            if getattr(leader, "is_leader", False):
                found.update((id(dot), "") for dot in leader.descendants())
                if isinstance(after, weasy_boxes.TextBox):
                    after.spoken_text = " " + after.text
    return found


# --- links ------------------------------------------------------------------------------

def generated_text(box: weasy_boxes.Box) -> str:
    """The text of ::before and ::after content inside `box` (a page number), no leaders."""
    if getattr(box, "is_leader", False):
        return ""
    if isinstance(box, weasy_boxes.TextBox):
        return box.text if (box.element_tag or "").endswith(("::before", "::after")) else ""
    return " ".join(generated_text(child) for child in getattr(box, "children", ()))


def link_description(box: weasy_boxes.Box) -> str:
    """"Sprachcafé 12", "Service-Point – Seite 35": the link's text and generated page
    number, after the `title` the template gives it (e.g. whom a page reference is for)."""
    element = box.element
    shown = " ".join(f"{''.join(element.itertext())} {generated_text(box)}".split())
    title = " ".join((element.get("title") or "").split())
    return " – ".join(part for part in (title, shown) if part)


# --- the structure tree -------------------------------------------------------------------

def reference_number(reference: bytes) -> int:
    return int(reference.split()[0])


class Tree:
    """The structure elements of one PDF being written, by reference."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self.replaced: dict[bytes, bytes] = {}

    def element(self, kid: object) -> pydyf.Dictionary | None:
        """The structure element a kid refers to; None for MCIDs and annotation refs."""
        if not isinstance(kid, bytes):
            return None
        item = self.pdf.objects[reference_number(kid)]
        return item if isinstance(item, dict) and item.get("Type") == "/StructElem" else None

    def adopt(self, parent: pydyf.Dictionary, kids: list) -> None:  # type: ignore[type-arg]
        for kid in kids:
            if (child := self.element(kid)) is not None:
                child["P"] = parent.reference
        parent["K"].extend(kids)

    def absorb(self, survivor: pydyf.Dictionary, fragment: pydyf.Dictionary) -> None:
        """`fragment`'s kids appended to `survivor`'s; marked content of another page is
        referred to with its page."""
        kids = [pydyf.Dictionary({"Type": "/MCR", "Pg": fragment["Pg"], "MCID": kid})
                if isinstance(kid, int) and fragment["Pg"] != survivor["Pg"] else kid
                for kid in fragment["K"]]
        self.adopt(survivor, kids)
        self.replaced[fragment.reference] = survivor.reference

    def merge_fragments(self, element: pydyf.Dictionary) -> None:
        """Consecutive kids made from one HTML element become one, all the way down."""
        kids = pydyf.Array()
        for kid in element["K"]:
            previous = self.element(kids[-1]) if kids else None
            current = self.element(kid)
            if previous is not None and current is not None and same_source(previous, current):
                self.absorb(previous, current)
            else:
                kids.append(kid)
        element["K"] = kids
        for kid in kids:
            if (child := self.element(kid)) is not None:
                self.merge_fragments(child)
                if source_tag(child) == "dl":
                    self.pair_definitions(child)

    def pair_definitions(self, items: pydyf.Dictionary) -> None:
        """A <dl>'s list: one LI per term, its Lbl the term, its LBody the definition."""
        kids, current = pydyf.Array(), None
        for kid in items["K"]:
            item = self.element(kid)
            tag = source_tag(item) if item is not None else None
            if tag == "dt":
                current = item
                for body in map(self.element, item["K"]):
                    if body is not None and body["S"] == "/LBody":
                        body["S"] = "/Lbl"
                kids.append(kid)
            elif tag == "dd" and current is not None:
                self.adopt(current, list(item["K"]))
                self.replaced[item.reference] = current.reference
            else:
                kids.append(kid)
        items["K"] = kids

    def describe_whole_links(self, links: list[pydyf.Dictionary]) -> None:
        """A link broken across lines or pages has an annotation per piece: each gets the
        description of the whole (the longest: the piece with the page number has it all)."""
        for link in links:
            if link.reference in self.replaced:
                continue
            annotations = [self.pdf.objects[reference_number(objr["Obj"])]
                           for objr in map(self.object, link["K"])
                           if isinstance(objr, dict) and objr.get("Type") == "/OBJR"]
            if len(annotations) > 1:
                whole = max((a["Contents"] for a in annotations), key=lambda text: len(text.string))
                for annotation in annotations:
                    annotation["Contents"] = whole

    def object(self, kid: object) -> object:
        return self.pdf.objects[reference_number(kid)] if isinstance(kid, bytes) else kid

    def update_parent_tree(self, numbers: pydyf.Array) -> None:
        """The parent tree points to the elements that stayed."""
        def final(reference: bytes) -> bytes:
            while reference in self.replaced:
                reference = self.replaced[reference]
            return reference

        for index in range(1, len(numbers), 2):
            value = numbers[index]
            if isinstance(value, pydyf.Array):
                numbers[index] = pydyf.Array(
                    final(v) if isinstance(v, bytes) else v for v in value)
            elif isinstance(value, bytes):
                numbers[index] = final(value)


def source_tag(element: pydyf.Dictionary | None) -> str | None:
    source = getattr(element, "source", None)
    return source.tag if source is not None and isinstance(source.tag, str) else None


def same_source(first: pydyf.Dictionary, second: pydyf.Dictionary) -> bool:
    """Both made from the same HTML element (page or line fragments of it)."""
    source = getattr(first, "source", None)
    return source is not None and source is getattr(second, "source", None) \
        and first["S"] == second["S"]


def figure_box(figure: pydyf.Dictionary, page_height: float, scale: float = 0.75) -> None:
    """A Figure's /BBox from CSS pixels (origin top left) to PDF points (bottom left)."""
    x1, y1, x2, y2 = figure["A"]["BBox"]
    figure["A"]["BBox"] = pydyf.Array(
        (x1 * scale, (page_height - y2) * scale, x2 * scale, (page_height - y1) * scale))


def tag_content() -> None:
    """Remember which HTML element each structure element comes from, name a link's target,
    nest no link element in another; then merge fragments, pair definitions and put figure
    boxes in PDF units once the whole tree is built."""
    build, add_tags = pdf_tags._build_box_tree, weasy_pdf.add_tags
    if getattr(add_tags, "follows_content", False):
        return

    def build_box_tree(box, parent, pdf, page_number, *args, **kwargs):  # type: ignore[no-untyped-def]
        if getattr(box, "link_annotation", None) and box.element is not None:
            box.link_annotation["Contents"] = pydyf.String(link_description(box))
        for structure in build(box, parent, pdf, page_number, *args, **kwargs):
            if getattr(structure, "source", None) is None:
                structure.source = box.element
                structure.page_number = page_number
            if structure["S"] == "/Link" and parent.get("S") == "/Link":
                structure["S"] = "/Span"  # a ::after of a link: the link is its parent
            if structure["S"] == "/Figure" and "A" in structure:
                pdf.__dict__.setdefault("figures", []).append(structure)
            if structure["S"] == "/Link":
                pdf.__dict__.setdefault("links", []).append(structure)
            yield structure

    def tag(pdf, document, *args, **kwargs):  # type: ignore[no-untyped-def]
        add_tags(pdf, document, *args, **kwargs)
        tree = Tree(pdf)
        root = pdf.objects[reference_number(pdf.catalog["StructTreeRoot"])]
        tree.merge_fragments(tree.element(root["K"][0]))
        parent_tree = pdf.objects[reference_number(root["ParentTree"])]
        tree.update_parent_tree(parent_tree["Nums"])
        tree.describe_whole_links(pdf.__dict__.pop("links", []))
        for figure in pdf.__dict__.pop("figures", []):
            figure_box(figure, document.pages[figure.page_number].height)

    tag.follows_content = True  # type: ignore[attr-defined]
    pdf_tags._build_box_tree = build_box_tree
    weasy_pdf.add_tags = tag


def patch_tagging() -> None:
    """For typeset.patch_renderer: the patches of this module."""
    keep_spoken_text()
    tag_content()
