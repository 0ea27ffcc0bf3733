"""What the site's page templates call: escaped, bidi-safe, language-marked HTML snippets.

The pages are Markdown with HTML blocks, so every content value is escaped for HTML and
made inert for Markdown (sanitize.markdown_text; editors' Markdown is rendered and
sanitised) before it reaches the page, in a heading line as much as in an HTML block; a
value that is still German inside another language's page is marked `lang="de"` and
counted, so the page can say that parts are not translated yet.

Every output kind (site, brochure, flyer, report) renders its templates with one Jinja
environment made by `environment`: every value escaped, an undefined name an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from wegweiser import resources
from wegweiser.content.sanitize import inert, markdown_blocks, markdown_text, safe_html
from wegweiser.i18n import bidi, languages
from wegweiser.i18n.localisation import Localisation, Localized
from wegweiser.model import Language, Phone, TimeSlot

# In editors' sanitised HTML: existing links and code keep their text; other tags are skipped.
NOT_LINKED = re.compile(r"<a\b.*?</a>|<code>.*?</code>|<pre>.*?</pre>|<[^>]*>", re.DOTALL)
# What a reader taps: an https address, an e-mail address, a phone number with 7 to 15
# digits that starts with 0 or + (so years, times, postcodes and dates stay text).
LINKABLE = re.compile(
    r"(?P<url>https://[^\s<>\"]+[^\s<>\".,;:!?)])"
    r"|(?<![\w@.+-])(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)(?![\w@])"
    r"|(?<![\w@./:+-])(?P<phone>(?:\+|0)\d[\d /-]{5,18}\d)(?![\w@]|[./:]\d)")

MARKDOWN_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)(?:[ \t]*\{[^}\n]*\})?[ \t]*#*$", re.MULTILINE)
MARKED_SPAN = re.compile(r'<span ((?:lang|dir)="[^"]*"(?: (?:lang|dir)="[^"]*")?)>([^<]*)</span>')


def environment(kind: str, keep_trailing_newline: bool = False) -> Environment:
    """The Jinja environment of one output kind, templates/<kind>: autoescape on for every
    template (a value that is HTML already comes as Markup, e.g. from View or Fallbacks),
    undefined names an error, block tags on lines of their own leave no blank lines."""
    return Environment(loader=FileSystemLoader(resources.templates(kind)),
                       undefined=StrictUndefined, autoescape=True, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=keep_trailing_newline)


@dataclass
class Fallbacks:
    """German standing in for a missing translation in one page or document: marked with
    its language (WCAG 3.1.2), and counted, so the page can say it is partly untranslated.
    The site, the open-data page and the brochure mark it this one way."""

    page: Language
    source_dir: str = "ltr"  # writing direction of the source language (German)
    always_dir: bool = False  # print: the direction on every marked text, not only on a change
    css_class: str = ""
    count: int = 0
    texts: set[str] = field(default_factory=set)

    def fell_back(self, found: str) -> bool:
        return isinstance(found, Localized) and found.fallback and found.lang != self.page.code

    def attributes(self, lang: str) -> Markup:
        """lang (and dir, where the page runs the other way) of text in the source language."""
        marks = Markup('lang="{}"').format(lang)
        if self.always_dir or self.source_dir != self.page.dir:
            marks += Markup(' dir="{}"').format(self.source_dir)
        if self.css_class:
            marks += Markup(' class="{}"').format(self.css_class)
        return marks

    def source_attribute(self, source: str) -> Markup:
        """` lang="de"` for a value that exists in the source language only (a street, a
        person's name), in another language's page; it is not counted: no catalog offers it."""
        if self.page.code == source:
            return Markup("")
        return Markup(' lang="{}"').format(source)

    def mark(self, found: str, html: Markup, tag: str = "span") -> Markup:
        """`html`, the text of `found`, inside `tag` marked German if `found` fell back."""
        if not isinstance(found, Localized) or not self.fell_back(found):
            return html
        self.count += 1
        self.texts.add(str(found))  # the theme marks them where it repeats them (theme.py)
        return Markup("<{0} {1}>{2}</{0}>").format(Markup(tag), self.attributes(found.lang), html)


@dataclass
class View:
    """The helpers of one page: its language, its place in the site, its fallbacks."""

    loc: Localisation
    prefix: str  # relative URL from this page to the language's root, e.g. "../../"
    source_dir: str = "ltr"  # writing direction of the source language (German)
    fallbacks: Fallbacks = field(init=False)

    def __post_init__(self) -> None:
        self.fallbacks = Fallbacks(self.loc.language, self.source_dir)

    @property
    def lang(self) -> str:
        return self.loc.language.code

    def url(self, path: str = "") -> str:
        """A link to a page of the same language, e.g. url("angebote/sprachpaten/")."""
        return f"{self.prefix}{path}" if (self.prefix or path) else "./"

    def site_url(self, path: str) -> str:
        """A link to a file at the root of the whole site, e.g. site_url("programme.ics")."""
        return f"{self.prefix}../{path}" if not self.prefix.startswith("/") else \
            f"{self.prefix.rstrip('/').rsplit('/', 1)[0]}/{path}"

    @property
    def fallback_attributes(self) -> Markup:
        """lang (and dir, in a right-to-left page) of text that fell back to the source."""
        return self.fallbacks.attributes(self.loc.translator.source)

    def t(self, value: str) -> Markup:
        """A translated text for the page: plain text (markdown_text), marked German where it
        fell back."""
        return self.fallbacks.mark(value, markdown_text(self.isolate(escape(value))))

    def isolate(self, text: str) -> Markup:
        """In a right-to-left page, phone numbers and e-mail addresses in (escaped) text, and
        Latin runs inside right-to-left text, so "(Kommunales Integrationszentrum)" keeps its
        brackets paired when the line wraps."""
        if self.loc.language.dir != "rtl":
            return Markup(text)
        return bidi.isolate_for_page(str(text))

    @property
    def german_attributes(self) -> Markup:
        """` lang="de"` for a value that exists in German only, in another language's page."""
        return self.fallbacks.source_attribute(self.loc.translator.source)

    def german(self, text: str, bracketed: bool = False) -> Markup:
        """A value that exists in German only (a person's role, an organisation, a room, a
        district): plain text, marked as German in another language (WCAG 3.1.2). It is not
        counted as untranslated: no catalog offers it. `bracketed` puts it in brackets, which
        in a right-to-left page belong to the German unit, so they pair when lines wrap."""
        plain = markdown_text(text)
        if not self.german_attributes:
            return Markup("({})").format(plain) if bracketed else plain
        if bracketed and self.loc.language.dir == "rtl":
            return Markup('<span {} class="ww-latin">({})</span>').format(
                self.fallback_attributes, plain)
        marked = Markup("<span {}>{}</span>").format(self.fallback_attributes, plain)
        return Markup("({})").format(marked) if bracketed else marked

    def ui(self, german: str, **values: str) -> Markup:
        """A string of the templates themselves, marked German where it fell back; a
        {placeholder} filled with a value (a setting) is marked as the value is."""
        if not values:
            return self.t(self.loc.ui(german))
        return Markup("").join(self.t(run) for run in self.loc.ui_runs(german, **values))

    def field(self, item: object, name: str, german: str | None = None) -> Markup:
        return self.t(self.loc.field(item, name, german))

    def fields(self, items: Iterable[object], name: str) -> list[Markup]:
        """The same field of several objects, e.g. the names of an offer's audiences."""
        return [self.field(item, name) for item in items]

    def md(self, item: object, name: str, german: str | None = None) -> Markup:
        """A Markdown field, paragraph by paragraph, for a Markdown position of the page.

        Each paragraph is rendered and sanitised here (sanitize.py); the page receives HTML
        blocks and plain Markdown headings that mkdocs cannot turn back into markup.
        """
        parts: list[str] = []
        german_run: list[str] = []  # consecutive untranslated paragraphs share one <div>
        for block in self.loc.blocks(item, name, german):
            html = linkify(safe_html(block))
            text = "\n\n".join(markdown_blocks(inert(self.isolate(html))))
            if block.fallback and block.lang != self.lang:
                german_run.append(text)
                continue
            parts.extend(self._german(german_run))
            german_run = []
            parts.append(text)
        parts.extend(self._german(german_run))
        return Markup("\n\n".join(parts))

    def _german(self, paragraphs: list[str]) -> list[str]:
        if not paragraphs:
            return []
        self.fallbacks.count += 1
        body = "\n\n".join(paragraphs)
        self.fallbacks.texts.update(m.group(1) for m in MARKDOWN_HEADING.finditer(body))
        return [f"<div {self.fallback_attributes} markdown>\n\n{body}\n\n</div>"]

    def ltr(self, text: str) -> Markup:
        """Phone numbers, e-mail addresses, URLs: always left to right, isolated."""
        return bidi.isolated(markdown_text(text), "ltr")

    def tel(self, number: str) -> Markup:
        """A phone number: left to right and never broken across lines."""
        return bidi.isolated(markdown_text(number), "ltr", bidi.TEL_CLASS)

    def iso(self, text: str) -> Markup:
        """Dates and times: isolated, with the direction their own script gives them."""
        return bidi.isolated(markdown_text(text))

    def date(self, day: date) -> Markup:
        return self.iso(self.loc.formats.date(day))

    def weekday_date(self, day: date) -> Markup:
        return self.iso(self.loc.formats.weekday_date(day))

    def time(self, moment: time) -> Markup:
        return self.iso(self.loc.formats.time(moment))

    def number(self, value: int) -> str:
        """A count in the language's digits (Persian: ۶)."""
        return self.loc.formats.number(value)

    def time_range(self, start: time, end: time) -> Markup:
        return Markup("{}\u2013{}").format(self.time(start), self.time(end))

    def weekday_date_time(self, day: date, start: time, end: time) -> Markup:
        """A date and its times, joined as the language joins them (ar "، ", not ", ")."""
        pattern = escape(self.loc.formats.date_time_pattern())
        return pattern.format(date=self.weekday_date(day), time=self.time_range(start, end))

    def time_ranges(self, slots: Sequence[TimeSlot]) -> Markup:
        """Opening hours of one day as the language lists them: "09:00–12:00 und 14:00–18:30"."""
        pattern = escape(self.loc.formats.list_pattern(len(slots)))
        return pattern.format(*(self.time_range(s.opens, s.closes) for s in slots))

    def language_name(self, code: str) -> Markup:
        """The name of a language for this page's reader, marked with the language it is in."""
        name = languages.language_name(code, self.loc.language, self.loc.languages)
        return Markup('<span lang="{}">{}</span>').format(name.lang, name)

    def option(self, value: str, label: Markup) -> Markup:
        """An <option> of a select, which holds text only: the language a label is marked
        with (a German fallback, a language's name) moves onto the option."""
        found = MARKED_SPAN.fullmatch(str(label))
        attributes, text = (found.group(1), found.group(2)) if found else ("", str(label))
        return Markup('<option value="{}"{}>{}</option>').format(
            value, Markup(" " + attributes if attributes else ""), Markup(text))

    def language_names(self, codes: tuple[str, ...]) -> Markup:
        return self.join(self.language_name(c) for c in codes)

    def join(self, items: Iterable[str]) -> Markup:
        """Items of a list with the language's separator (Arabic and Persian: "، ")."""
        pattern = self.loc.formats.locale.list_patterns["standard"]["middle"]
        separator = pattern.replace("{0}", "").replace("{1}", "")
        return Markup(escape(separator)).join(items)


def linkify(fragment: str) -> str:
    """Addresses, e-mail addresses and phone numbers in sanitised HTML become links, each
    isolated left to right (a number in Arabic text keeps the order of its groups)."""
    parts, last = [], 0
    for match in NOT_LINKED.finditer(fragment):
        parts += [LINKABLE.sub(_link, fragment[last:match.start()]), match.group()]
        last = match.end()
    parts.append(LINKABLE.sub(_link, fragment[last:]))
    return "".join(parts)


def _link(match: re.Match[str]) -> str:
    text = match.group()
    if match.group("url"):
        return f'<a href="{text}">{bidi.isolated(text, "ltr")}</a>'
    if match.group("email"):
        return f'<a href="mailto:{text}">{bidi.isolated(text, "ltr")}</a>'
    digits = re.sub(r"[ /-]", "", text)
    if not 7 <= len(digits.lstrip("+")) <= 15 or re.search(r"[ /-]{2}", text):
        return text
    return f'<a href="{Phone(text).uri}">{bidi.isolated(text, "ltr", bidi.TEL_CLASS)}</a>'


# mkdocs' templates print configuration and front matter values without escaping them.
THEME_UNSAFE = re.compile(r"[<>\"]|&(?=#?\w+;)")
THEME_ESCAPES = {"<": "&lt;", ">": "&gt;", '"': "&quot;", "&": "&amp;"}
# Values of the generated mkdocs.yml that are file paths, not text for the page.
THEME_PATHS = ("INHERIT", "docs_dir", "site_dir", "custom_dir")


def theme_text(value: str) -> str:
    """A content value for a place where the theme prints it as HTML: `<`, `>` and `"`
    escaped (and `&` where it would start a character reference), so a title cannot become
    markup; a plain `&` stays, as the theme escapes some values again (tooltips)."""
    return THEME_UNSAFE.sub(lambda m: THEME_ESCAPES[m.group()[0]], value)


def theme_safe(value: Any) -> Any:
    """Every text of a generated mkdocs.yml (nav titles are keys) through `theme_text`."""
    if isinstance(value, dict):
        return {theme_safe(k): v if k in THEME_PATHS else theme_safe(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [theme_safe(item) for item in value]
    return theme_text(value) if isinstance(value, str) else value
