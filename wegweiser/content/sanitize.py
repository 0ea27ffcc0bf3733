"""Editors' Markdown to a safe subset of HTML, for the website and the PDFs alike.

Content comes from many hands, so the Markdown of descriptions, pages, notices and month
intros is rendered by Python-Markdown with raw HTML switched off, then cleaned by nh3 (the
Rust html sanitiser ammonia) with an allow-list: text structure, emphasis, lists, tables
and links. No scripts, styles, iframes, images or event handlers survive, and a link keeps
its target only if it is https:, mailto: or tel: (http: is not encrypted; `check` names
it). Images are dropped: the site shows no editor images and the PDF fetches nothing, so
`![x](../../etc/passwd)` reads no file.

The website passes the result through mkdocs' Markdown once more; `inert` turns the
characters Markdown or attr_list would act on into character references, so that second
pass cannot add emphasis, links or attributes (`{: onclick=...}`) to the cleaned HTML.
Plain text (titles, names, translated strings) goes through `markdown_text` wherever it
enters a page, a heading line as much as an HTML block: escaped for HTML and made inert
for Markdown, so `[x](javascript:...)` or `![x](https://...)` in a title stays text.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markdown.extensions import Extension
from markupsafe import Markup, escape

TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "hr", "a",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"https", "mailto", "tel"}
# `<br>` is the one tag editors use (address lines); it becomes a Markdown line break.
BR = re.compile(r"<br\s*/?>[ \t]*", re.IGNORECASE)
# Text between tags (character references stay as they are).
TEXT = re.compile(r"(<[^>]*>|&#?\w+;)")
MARKDOWN_ACTIVE = str.maketrans({ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]()#+!|:~^="})
# A link whose target was removed is shown as its text; a paragraph left empty goes.
DEAD_LINK = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.DOTALL)
EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
# Line breaks in plain text would end a heading or an HTML block; in HTML they are spaces.
LINE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
# At the start of a line `- x` and `1. x` begin lists (`+` is inert already); the marker
# becomes a character reference.
LIST_MARKER = re.compile(r"^([ \t]*)(-|\d+[.)])")
# An http: link in editors' Markdown: [x](http://...), <http://...> or [r]: http://...
INSECURE_LINK = re.compile(r"(?:\]\(\s*<?|<|^[ \t]*\[[^\]\n]+\]:[ \t]*<?)(http://[^\s)>]*)",
                           re.IGNORECASE | re.MULTILINE)
HEADING = re.compile(r"^<h([1-6])>(.*)</h\1>$")
NESTING = re.compile(r"<(/?)(blockquote|ul|ol|table|pre)\b", re.IGNORECASE)


class NoRawHtml(Extension):
    """Raw HTML in editors' text stays text: `<script>` shows as `<script>`."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def safe_html(text: str) -> str:
    """One piece of editors' Markdown as sanitised HTML (tags from TAGS only)."""
    rendered = markdown.markdown(BR.sub("  \n", text), extensions=[NoRawHtml(), "tables"],
                                 output_format="html")
    return clean_html(rendered)


def clean_html(fragment: str) -> str:
    """Any HTML fragment reduced to the allow-list; unsafe link targets are removed."""
    cleaned = nh3.clean(fragment, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                        url_relative="deny", clean_content_tags={"script", "style"},
                        attribute_filter=_safe_attribute)
    return EMPTY_PARAGRAPH.sub("", DEAD_LINK.sub(r"\1", cleaned))


def _safe_attribute(tag: str, name: str, value: str) -> str | None:
    if tag == "a" and name == "href" and value.split(":", 1)[0].lower() not in URL_SCHEMES:
        return None  # relative and unknown targets: nh3 checks schemes, this checks the rest
    return value


def inert(fragment: str) -> str:
    """HTML whose text a second Markdown pass leaves alone (tags and references kept)."""
    return "".join(part if TEXT.fullmatch(part) else part.translate(MARKDOWN_ACTIVE)
                   for part in TEXT.split(fragment))


def markdown_text(text: str) -> Markup:
    """Plain text for any place of a Markdown page: HTML-escaped (Markup keeps its tags),
    every character Markdown, attr_list or emoji act on written as a character reference,
    line breaks as spaces. The site templates' filter `plain`."""
    inline = LINE_BREAK.sub(" ", inert(str(escape(text))))
    return Markup(LIST_MARKER.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}"
                                            f"&#{ord(m.group(2)[-1])};", inline))


def safe_url(url: str) -> str:
    """A link target from content or settings if its scheme is allowed (https:, mailto:,
    tel:), else "" (the same allow-list as links in editors' Markdown)."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in URL_SCHEMES or any(ch.isspace() or ord(ch) < 32 for ch in url):
        return ""
    return url


def insecure_link(text: str) -> tuple[int, str] | None:
    """The first http: link of a Markdown text (its index and address): the sanitiser
    removes its target, so `check` asks for https:// instead."""
    found = INSECURE_LINK.search(text)
    return (found.start(1), found.group(1)) if found else None


def markdown_blocks(fragment: str) -> list[str]:
    """Sanitised HTML split for a Markdown page: top-level headings become Markdown headings
    (so the theme lists them in the page's table of contents), the rest stays HTML blocks."""
    blocks: list[str] = []
    html_lines: list[str] = []
    depth = 0
    for line in fragment.splitlines():
        heading = HEADING.match(line) if depth == 0 else None
        if heading:
            if html_lines:
                blocks.append("\n".join(html_lines))
                html_lines = []
            blocks.append(f"{'#' * int(heading.group(1))} {heading.group(2)}")
            continue
        for closing, _ in NESTING.findall(line):
            depth += -1 if closing else 1
        if line.strip():
            html_lines.append(line)
    if html_lines:
        blocks.append("\n".join(html_lines))
    return blocks
