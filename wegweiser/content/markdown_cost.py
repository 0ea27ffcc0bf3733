"""Bounds on what one Markdown text may cost the renderers, checked before anything renders.

Python-Markdown, mkdocs and WeasyPrint are fast on ordinary text but not on every text:
repeated link brackets (`[a](` a few thousand times) take seconds to minutes, and lists or
quotes nested a few hundred levels deep exhaust Python's recursion limit in the renderer or
in the PDF layout. The limits below are far above any real description or page (the
longest shipped page has 3,600 characters, 4 links and 2 levels), and they keep the
rendering of a single text within about a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from wegweiser.content.load import Document, Sources
from wegweiser.content.schema import format_path
from wegweiser.problems import Location, Problems
from wegweiser.wording import _, number

MAX_CHARACTERS = 50_000
MAX_BRACKETS = 300  # '[' opens a link, an image or a reference: each costs a search
MAX_NESTING = 12  # lists and quotes inside each other
# What opens a level at the start of a line: a quote or list marker, or 4 columns of
# indentation (Python-Markdown nests by 4); blank space between markers is counted too,
# so the count is an upper bound.
LEADING = re.compile(r"[ \t]+|>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)")


def cost_problem(text: str) -> tuple[int, str] | None:
    """(line within the text, message) if rendering `text` could take too long, else None."""
    if len(text) > MAX_CHARACTERS:
        return 1, _("the text has {count} characters; at most {limit} fit in one text; split"
                    " it or shorten it", count=number(len(text)), limit=number(MAX_CHARACTERS))
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        return 1, _("the text has {count} '[' (links); at most {limit} are allowed in one text",
                    count=number(brackets), limit=MAX_BRACKETS)
    for line, row in enumerate(text.split("\n"), start=1):
        if nesting(row) > MAX_NESTING:
            return line, _("lists or quotes are nested more than {limit} levels deep here;"
                           " a text needs only a few levels", limit=MAX_NESTING)
    return None


def nesting(row: str) -> int:
    """An upper bound of the list and quote levels a line is in."""
    levels = columns = position = 0
    while (found := LEADING.match(row, position)) and found.end() > position:
        if found.group().isspace():
            columns += len(found.group().expandtabs(4))
        else:
            levels += 1
        position = found.end()
    return levels + columns // 4


def check_sources(sources: Sources, problems: Problems) -> None:
    """The Markdown texts of the YAML files: descriptions, notices, month intros."""
    for doc, path in markdown_fields(sources):
        found = cost_problem(_at(doc.data, path))
        if found:
            problems.error(doc.where(path), found[1], format_path(path))


def check_page_body(body: str, file: str, first_line: int, problems: Problems) -> bool:
    """A page's Markdown; False (with the problem at its line) if it costs too much."""
    found = cost_problem(body)
    if found:
        problems.error(Location(file, first_line + found[0] - 1, 1), found[1])
    return found is None


def markdown_fields(sources: Sources) -> Iterator[tuple[Document, tuple[Any, ...]]]:
    for doc in sources.offers.values():
        yield doc, ("description",)
    for doc in sources.programme.values():
        if "intro" in doc.data:
            yield doc, ("intro",)
    if sources.notices:
        for i in range(len(sources.notices.data["notices"])):
            yield sources.notices, ("notices", i, "text")


def _at(data: Any, path: tuple[Any, ...]) -> str:
    for key in path:
        data = data[key]
    return data if isinstance(data, str) else ""
