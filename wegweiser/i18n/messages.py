"""Every translatable text of a project, with the stable context and the place it is written.

The texts come from the model, through the same `context()` and `paragraphs()` that the
renderers use, so what is extracted is exactly what is looked up. Line numbers come from
the loader's marks; the strings of the templates (`ui("...")`) are found with Babel's
extraction machinery.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from babel.messages.extract import extract_from_dir
from jinja2 import Environment, TemplateSyntaxError, nodes

from wegweiser.content.load import Document, Sources
from wegweiser.content.po import read_po_file
from wegweiser.content.tree import read_sources
from wegweiser.i18n.localisation import UI, context, paragraphs, source_text, value_at
from wegweiser.model import ContactPoint, Content, Offer, Page, ProgrammeMonth
from wegweiser.problems import Location, Problems
from wegweiser.resources import PACKAGE, SHIPPED_INTERFACE

KEYWORDS = {"ui": None}  # ui("German text") in templates, loc.ui("...") in Python and templates


@dataclass(frozen=True, order=True)
class Message:
    """One German text to translate: where it is written, its context and its wording."""

    file: str
    line: int
    context: str
    text: str


def extract(content: Content, root: Path, problems: Problems | None = None) -> list[Message]:
    """All texts of the content and the templates, sorted by file and line, no duplicates."""
    found = content_texts(content, root)
    found.extend(ui_messages(PACKAGE, problems if problems is not None else Problems()))
    return sorted(set(found))


def coverage_texts(content: Content, root: Path) -> list[Message]:
    """The texts translation coverage counts: the same as `extract`, with the interface
    texts taken from the package's catalog template (`shipped_interface_texts`)."""
    return sorted({*content_texts(content, root), *shipped_interface_texts()})


def content_texts(content: Content, root: Path) -> list[Message]:
    """The texts of the content, from the documents it was loaded from (read again only
    for a model that does not keep them)."""
    sources = content.sources or read_sources(root, Problems())
    return ContentTexts(root, sources).of(content)


@cache
def shipped_interface_texts() -> tuple[Message, ...]:
    """The templates' ui() texts as locale/interface/interface.pot lists them: reading it
    takes 10 ms, extracting them from the package's code and templates 1.5 s. A test keeps
    the two alike (test_shipped_interface_catalogs_hold_every_interface_text)."""
    template = read_po_file(SHIPPED_INTERFACE / "interface.pot")
    return tuple(Message(file, line or 0, m.context or UI, str(m.id))
                 for m in template if m.id for file, line in m.locations)


# --- content ------------------------------------------------------------------------------


class ContentTexts:
    """Collects the translatable fields of the model; line numbers from the documents."""

    def __init__(self, root: Path, sources: Sources):
        self.root, self.sources = root, sources
        self.found: list[Message] = []
        self.lines: dict[str, list[str]] = {}

    def of(self, content: Content) -> list[Message]:
        self.settings(content)
        for offer in (*content.offers, *content.unpublished):
            self.offer(offer, self.sources.offers[offer.id])
        for contact in content.contacts:
            self.contact(contact, self.sources.contacts[contact.id])
        for month in content.programme:
            self.month(month, self.sources.programme[month.month])
        for i, notice in enumerate(content.notices):  # text and intro: Markdown on the site
            self.add(notice, "title", self.sources.notices, ("notices", i, "title"))
            self.add(notice, "text", self.sources.notices, ("notices", i, "text"), blocks=True)
        for page in content.pages:
            self.page(page, *self.sources.pages[page.id])
        return self.found

    def add(
        self,
        item: object,
        name: str,
        doc: Document | None,
        path: tuple[Any, ...],
        german: str | None = None,
        blocks: bool = False,
        line: int = 0,
    ) -> None:
        german = getattr(item, name) if german is None else german
        if doc is None or not source_text(german):
            return
        ctx, line = context(item, name), line or doc.where(path).line
        if not blocks:
            self.found.append(Message(doc.file, line, ctx, source_text(german)))
            return
        for paragraph in paragraphs(german):
            line = self.line_of(doc.file, paragraph, line)
            self.found.append(Message(doc.file, line, ctx, source_text(paragraph)))

    def line_of(self, file: str, paragraph: str, start: int) -> int:
        """The line where a paragraph begins, searched from `start` (folded text: a guess)."""
        probe = paragraph.split("\n", 1)[0].strip()[:30]
        if file not in self.lines:
            self.lines[file] = (self.root / file).read_text(encoding="utf-8").splitlines()
        lines = self.lines[file]
        for number in range(max(start, 1), len(lines) + 1):
            if probe in lines[number - 1]:
                return number
        return start

    def settings(self, content: Content) -> None:
        settings, doc = content.settings, self.sources.site
        for name in ("name", "short_name"):
            self.add(settings, name, doc, (name,))
        self.add(
            settings,
            "brochure.title",
            doc,
            ("brochure", "title"),
            settings.brochure.title,
        )
        for name in ("area.where", "area.district_label", "programme.name", "programme.where"):
            self.add(settings, name, doc, tuple(name.split(".")), value_at(settings, name))
        for i, category in enumerate(settings.categories):
            for name in ("name", "description"):
                self.add(category, name, doc, ("categories", i, name))
        for i, audience in enumerate(settings.audiences):
            self.add(audience, "name", doc, ("audiences", i, "name"))

    def offer(self, offer: Offer, doc: Document) -> None:
        for name in ("title", "summary"):
            self.add(offer, name, doc, (name,))
        self.add(offer, "description", doc, ("description",), blocks=True)
        self.add(offer, "cost_text", doc, ("cost", "text"))
        self.add(offer, "registration_how", doc, ("registration", "how"))
        self.add(offer, "where_when.text", doc, ("where_when", "text"), offer.where_when.text)
        self.add(offer, "accessibility", doc, ("accessibility",))
        for i, link in enumerate(offer.links):
            self.add(offer, "links.title", doc, ("links", i, "title"), link.title)

    def contact(self, contact: ContactPoint, doc: Document) -> None:
        hours = contact.opening_hours
        for name in ("name", "organisation", "accessibility"):
            self.add(contact, name, doc, (name,))
        self.add(
            contact,
            "address.directions",
            doc,
            ("address", "directions"),
            contact.address.directions,
        )
        for name in ("temporarily_closed", "note"):
            self.add(
                contact, f"opening_hours.{name}", doc, ("opening_hours", name), getattr(hours, name)
            )
        for i, exception in enumerate(hours.exceptions):
            self.add(
                contact,
                "opening_hours.exceptions.note",
                doc,
                ("opening_hours", "exceptions", i, "note"),
                exception.note,
            )
        for i, phone in enumerate(contact.phones):
            self.add(contact, "phones.label", doc, ("phones", i, "label"), phone.label)
        for i, person in enumerate(contact.persons):
            self.add(contact, "persons.area", doc, ("persons", i, "area"), person.area)

    def month(self, month: ProgrammeMonth, doc: Document) -> None:
        self.add(month, "intro", doc, ("intro",), blocks=True)
        entries = {
            entry["id"]: (kind, i)
            for kind in ("events", "recurring")
            for i, entry in enumerate(doc.data.get(kind, []))
        }
        for occurrence in month.occurrences:
            path = entries[occurrence.entry_id]
            for name in ("title", "topic", "room", "description"):
                self.add(occurrence, name, doc, (*path, name))
            self.add(occurrence, "registration_how", doc, (*path, "registration", "how"))
            self.add(occurrence, "note", doc, (*path, "exceptions"))

    def page(self, page: Page, doc: Document, body: str) -> None:
        for name in ("title", "description"):
            self.add(page, name, doc, (name,))
        after_front_matter = max((line for line, _ in doc.marks.values()), default=0) + 1
        self.add(page, "body", doc, (), body, blocks=True, line=after_front_matter)


# --- templates and code -------------------------------------------------------------------


def ui_messages(package: Path, problems: Problems) -> list[Message]:
    """The `ui("...")` strings of the templates and the Python code, context "ui"."""
    unreadable: list[tuple[str, int, str]] = []
    method_map = [
        ("templates/**.j2", partial(extract_jinja, unreadable=unreadable)),
        ("**.py", "python"),
    ]
    found = [
        Message(f"{package.name}/{file}", line, UI, source_text(text))
        for file, line, text, _comments, _context in extract_from_dir(
            str(package), method_map, keywords=KEYWORDS
        )
        if isinstance(text, str) and source_text(text)
    ]
    for file, line, why in unreadable:
        name = Path(file).resolve().relative_to(package.parent).as_posix()
        problems.warning(
            Location(name, line),
            f"the template cannot be read ({why}); its ui() texts are left out of the catalogs",
        )
    return found


def extract_jinja(
    fileobj: io.BufferedReader,
    keywords: dict[str, Any],
    comment_tags: Any,
    options: dict[str, Any],
    unreadable: list[tuple[str, int, str]],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """A Babel extractor for Jinja templates: ui("..."), loc.ui("...") and the like.

    Jinja's own extractor knows only plain function names; templates here also call the
    method of the localisation object they receive. A template that does not parse is
    reported, not fatal: the build names it anyway, and translators can go on.
    """
    source = fileobj.read().decode("utf-8")
    try:
        tree = Environment().parse(source)
    except TemplateSyntaxError as e:
        unreadable.append((fileobj.name, e.lineno, e.message or "syntax error"))
        return
    for call in tree.find_all(nodes.Call):
        callee = call.node
        name = (
            callee.name
            if isinstance(callee, nodes.Name)
            else callee.attr
            if isinstance(callee, nodes.Getattr)
            else None
        )
        if name not in keywords or not call.args:
            continue
        first = call.args[0]
        if isinstance(first, nodes.Const) and isinstance(first.value, str):
            yield call.lineno, name, first.value, []
