"""The pages of the website: which exist (the same paths in every language) and their Markdown.

Each template sets `title` and `description` at its top; they become the page's front
matter (the title of the browser tab and the meta description).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup

from wegweiser import paths
from wegweiser.content.programme import this_month, upcoming
from wegweiser.content.sanitize import markdown_text, safe_url
from wegweiser.i18n.localisation import Localisation
from wegweiser.markup import View, environment, theme_text
from wegweiser.model import Content, Occurrence, ProgrammeMonth, confirmed
from wegweiser.resources import icon_file
from wegweiser.site import jsonld

# The site's one environment: the pages, the theme's partial and the files at the root.
TEMPLATES = environment("site", keep_trailing_newline=True)
# Plain text enters a Markdown page only through `plain`; link targets through `safe_url`;
# the theme prints its interface strings unescaped, so a translator's `<` goes through
# `theme_text`.
TEMPLATES.filters.update(plain=markdown_text, safe_url=safe_url, theme_text=theme_text)
TEMPLATES.globals["paths"] = paths
OPEN_DATA = "open-data.md.j2"  # the page on the open data
NEXT_DATES = "next-dates.html.j2"  # the home page's next dates
# Where the home page shows what depends on the build's day: mkdocs builds the page with
# these marks (HTML comments, which Markdown passes through), and the build writes the
# day's list and note into its output (site/build.py, date_home), so the mkdocs build of
# a language does not depend on the day.
UPCOMING_MARK = "<!-- wegweiser:upcoming -->"
UNTRANSLATED_MARK = "<!-- wegweiser:untranslated -->"


@dataclass(frozen=True)
class OpenData:
    """What the open-data stage publishes, for its page: the CSV tables and the offers."""

    tables: tuple[str, ...]  # data/csv/<table>.csv
    services: int  # offers in the HSDS export (published and expired)


@dataclass(frozen=True)
class SiteFacts:
    """What the other stages publish, so the site can link it; the pipeline knows it."""

    flyer_months: frozenset[str] = frozenset()  # downloads/programm-YYYY-MM-<lang>.pdf
    brochure: bool = False  # downloads/wegweiser-<lang>.pdf
    feeds: bool = False  # programme.ics
    open_data: OpenData | None = None  # data/


@dataclass(frozen=True)
class PageKind:
    """A kind of page: its template and what that template needs beyond the common values."""

    template: str
    values: Callable[[PageWriter, PageSpec], dict[str, Any]]


@dataclass(frozen=True)
class PageSpec:
    """One page: where it lives below the language root, its kind and what it shows."""

    path: str  # e.g. angebote/sprachpaten.md
    kind: PageKind
    data: dict[str, Any] = field(default_factory=dict)  # e.g. {"offer": Offer}

    @property
    def template(self) -> str:
        return self.kind.template

    @property
    def url(self) -> str:
        """The page's URL below the language root, as mkdocs writes it (directory URLs)."""
        return paths.page(self.path)

    @property
    def prefix(self) -> str:
        """Relative URL from the page back to the language root."""
        return "../" * self.url.count("/")


def plan_pages(content: Content, facts: SiteFacts) -> list[PageSpec]:
    """Every page of a language, in the order of the sitemap."""
    src = paths.source
    specs = [PageSpec(src(""), HOME), PageSpec(src(paths.OFFERS), OFFERS)]
    specs += [PageSpec(src(paths.category(c.id)), CATEGORY, {"category": c})
              for c in content.settings.categories if content.offers_in(c.id)]
    specs += [PageSpec(src(paths.offer(o.id)), OFFER, {"offer": o}) for o in content.offers]
    specs.append(PageSpec(src(paths.CONTACTS), CONTACTS))
    specs += [PageSpec(src(paths.contact(c.id)), CONTACT, {"contact": c})
              for c in content.contacts]
    specs.append(PageSpec(src(paths.PROGRAMME), PROGRAMME))
    specs += [PageSpec(src(paths.month(m.month)), MONTH, {"month": m})
              for m in content.programme]
    specs += [PageSpec(src(paths.editorial(p.id)), EDITORIAL, {"page": p})
              for p in content.pages]
    if facts.open_data is not None:
        specs.append(PageSpec(src(paths.OPEN_DATA), OPEN_DATA_PAGE))
    return specs


def month_sections(content: Content) -> list[tuple[str, str, list[ProgrammeMonth]]]:
    """Current month, next month, later months and the archive of past months."""
    this = this_month(content)
    following = (this.replace(year=this.year + 1, month=1) if this.month == 12
                 else this.replace(month=this.month + 1))
    by_day = {m.first_day: m for m in content.programme}
    return [
        ("current", "aktuell", [by_day[this]] if this in by_day else []),
        ("next", "naechster-monat", [by_day[following]] if following in by_day else []),
        ("later", "spaeter", [m for d, m in sorted(by_day.items()) if d > following]),
        ("archive", "archiv", [m for d, m in sorted(by_day.items(), reverse=True) if d < this]),
    ]


def month_days(month: ProgrammeMonth) -> tuple[list[tuple[date, list[Occurrence]]],
                                                dict[date, list[Occurrence]]]:
    """Occurrences by day, and moved ones listed again under the day they left."""
    days: dict[date, list[Occurrence]] = defaultdict(list)
    moved_away: dict[date, list[Occurrence]] = defaultdict(list)
    for o in sorted(month.occurrences, key=lambda o: (o.day, o.start, o.title)):
        days[o.day].append(o)
        if o.moved_from and o.moved_from.strftime("%Y-%m") == month.month:
            moved_away[o.moved_from].append(o)
            days.setdefault(o.moved_from, [])
    return sorted(days.items()), dict(moved_away)


@cache
def category_icon(name: str) -> Markup:
    """The category's icon as inline SVG from the theme's icon set (material/translate)."""
    path = icon_file(name)
    svg = path.read_text(encoding="utf-8") if path.is_file() else ""
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


@dataclass
class PageWriter:
    """Renders the pages of one language into Markdown with front matter."""

    content: Content
    loc: Localisation
    site_url: str  # absolute URL of the language root, e.g. https://.../de/
    root: Path  # the project folder
    facts: SiteFacts = SiteFacts()

    def common(self) -> dict[str, Any]:
        c = self.content
        return {
            "content": c, "settings": c.settings, "loc": self.loc, "lang": self.loc.language,
            "have_feeds": self.facts.feeds,
            "have_brochure": self.facts.brochure,
        }

    def page_data(self, spec: PageSpec) -> dict[str, Any]:
        """What a template needs beyond the common values: its subject, then its kind's."""
        return {**spec.data, **spec.kind.values(self, spec)}

    def nothing(self, spec: PageSpec) -> dict[str, Any]:
        return {}

    def home_values(self, spec: PageSpec) -> dict[str, Any]:
        c = self.content
        return dict(notices=sorted(c.active_notices(), key=lambda n: n.start, reverse=True),
                    categories=self.categories(), upcoming_mark=Markup(UPCOMING_MARK),
                    contact=c.contact(c.settings.contact), icons=self.icons())

    def home_day(self) -> dict[str, str]:
        """What the home page shows of the build's day, by the mark mkdocs left for it: the
        next dates, and the note on untranslated parts if only the dates need it (with the
        page's own fallbacks mkdocs wrote the note already, and there is no mark).

        German fallbacks in the dates are marked inline as on any page; they are not in
        the page's `german` front matter, which the theme reads for the contents and the
        title only, and the dates are neither."""
        view = self.view(PageSpec(paths.source(""), HOME))
        dates = TEMPLATES.get_template(NEXT_DATES).render(
            {**self.common(), "upcoming": upcoming(self.content), "v": view})
        note = untranslated_note(view) if view.fallbacks.count else ""
        return {UPCOMING_MARK: dates.rstrip("\n"), UNTRANSLATED_MARK: note}

    def offers_values(self, spec: PageSpec) -> dict[str, Any]:
        return dict(categories=self.categories(), **self.filter_values())

    def category_values(self, spec: PageSpec) -> dict[str, Any]:
        return {"offers": self.content.offers_in(spec.data["category"].id)}

    def offer_values(self, spec: PageSpec) -> dict[str, Any]:
        c, offer = self.content, spec.data["offer"]
        return {"contacts": [c.contact(i) for i in (offer.contacts or (offer.provider,))],
                "jsonld": jsonld.script(jsonld.service(
                    offer, c, self.page_url(spec), self.contact_url, self.loc))}

    def contact_values(self, spec: PageSpec) -> dict[str, Any]:
        contact = spec.data["contact"]
        return {"offers": self.offers_by_contact.get(contact.id, []),
                "jsonld": jsonld.script(jsonld.place(
                    contact, self.page_url(spec), self.loc,
                    jsonld.public_body(contact, self.content.settings)))}

    def programme_values(self, spec: PageSpec) -> dict[str, Any]:
        loc = self.loc
        names = {"current": loc.ui("Dieser Monat"), "next": loc.ui("Nächster Monat"),
                 "later": loc.ui("Spätere Monate"), "archive": loc.ui("Archiv")}
        return {"sections": [(names[k], a, ms) for k, a, ms in month_sections(self.content)]}

    def month_values(self, spec: PageSpec) -> dict[str, Any]:
        c, month = self.content, spec.data["month"]
        days, moved_away = month_days(month)
        return {"days": days, "moved_away": moved_away, "venue": c.contact(month.venue),
                "flyer": month.month in self.facts.flyer_months,
                "jsonld": jsonld.script(jsonld.events(month.occurrences, c, self.contact_url,
                                                      self.loc))}

    @property
    def published_url(self) -> str:
        """The language root's absolute URL for the structured data, "" while site.yml
        marks base_url as an example value (pages link each other by relative paths)."""
        return self.site_url if confirmed(self.content.settings, "base_url") else ""

    def page_url(self, spec: PageSpec) -> str:
        """A page's absolute URL for the structured data, or ""."""
        return self.published_url and self.published_url + spec.url

    @property
    def contact_url(self) -> str:
        """The address of any contact point's page, with {id} to fill in (JSON-LD), or ""."""
        return self.published_url and self.published_url + paths.contact("{id}")

    def open_data_values(self, spec: PageSpec) -> dict[str, Any]:
        """What the open-data page lists: the files, their counts and the licence."""
        settings, published = self.content.settings, self.facts.open_data
        assert published is not None
        base = urlsplit(settings.base_url).path.rstrip("/")
        licence = settings.data_licence
        return dict(data=f"{base}/{paths.DATA}".rstrip("/"), languages=settings.languages,
                    tables=published.tables, licence=licence,
                    licence_url=safe_url(licence.url) if licence else "",
                    services=published.services, contacts=len(self.content.contacts))

    @cached_property
    def offers_by_contact(self) -> dict[str, list[Any]]:
        """Offers a contact point provides, hosts or is named in, in one pass (not per page)."""
        found: dict[str, list[Any]] = defaultdict(list)
        for o in self.content.offers:
            for contact_id in dict.fromkeys((o.provider, o.where_when.place, *o.contacts)):
                found[contact_id].append(o)
        return found

    def categories(self) -> list[Any]:
        return [cat for cat in self.content.settings.categories if self.content.offers_in(cat.id)]

    def icons(self) -> dict[str, Markup]:
        return {cat.id: category_icon(cat.icon) for cat in self.content.settings.categories}

    def filter_values(self) -> dict[str, Any]:
        offers, settings = self.content.offers, self.content.settings
        used_languages = {code for o in offers for code in o.languages}
        order = [lang.code for lang in settings.languages]
        return {
            "languages": sorted(used_languages, key=lambda c: (c not in order,
                                                               order.index(c) if c in order
                                                               else 0, c)),
            "districts": [d for d in settings.districts if any(o.district == d for o in offers)],
            "audiences": [a for a in settings.audiences if any(a.id in o.audience
                                                                 for o in offers)],
        }

    def view(self, spec: PageSpec) -> View:
        return View(self.loc, spec.prefix, self.content.settings.source_language.dir)

    def render(self, spec: PageSpec) -> str:
        """The page's Markdown file: front matter, a note on untranslated parts, the body."""
        view = self.view(spec)
        template = TEMPLATES.get_template(spec.template)
        module = template.make_module({**self.common(), **self.page_data(spec), "v": view})
        body = str(module)
        meta = {"title": theme_text(str(module.title)),  # the theme prints it unescaped
                "description": theme_text(str(module.description))}
        if view.fallbacks.texts:  # the theme marks them where it repeats them (contents)
            meta["german"] = sorted(theme_text(text) for text in view.fallbacks.texts)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
        note = ""
        if view.fallbacks.count:
            note = untranslated_note(view) + "\n\n"
        elif spec.kind is HOME:  # the day's dates may need it (home_day)
            note = UNTRANSLATED_MARK + "\n\n"
        heading_end = body.find("\n", body.find("# ")) + 1 if body.lstrip().startswith("# ") \
            else 0
        return f"---\n{front}---\n\n{body[:heading_end]}\n{note}{body[heading_end:]}"


def untranslated_note(view: View) -> str:
    text = view.ui("Teile dieser Seite sind noch nicht übersetzt und werden auf Deutsch angezeigt.")  # noqa: E501
    return f'<p class="ww-untranslated">{text}</p>'


HOME = PageKind("home.md.j2", PageWriter.home_values)
OFFERS = PageKind("offers.md.j2", PageWriter.offers_values)
CATEGORY = PageKind("category.md.j2", PageWriter.category_values)
OFFER = PageKind("offer.md.j2", PageWriter.offer_values)
CONTACTS = PageKind("contacts.md.j2", PageWriter.nothing)
CONTACT = PageKind("contact.md.j2", PageWriter.contact_values)
PROGRAMME = PageKind("programme.md.j2", PageWriter.programme_values)
MONTH = PageKind("month.md.j2", PageWriter.month_values)
EDITORIAL = PageKind("page.md.j2", PageWriter.nothing)
OPEN_DATA_PAGE = PageKind(OPEN_DATA, PageWriter.open_data_values)
