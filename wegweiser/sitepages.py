"""The pages of the website: which exist (the same paths in every language) and their Markdown.

Each template sets `title` and `description` at its top; they become the page's front
matter (the title of the browser tab and the meta description).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import jsonld
from .i18n import Localisation
from .markup import View, theme_text
from .model import Content, Occurrence, ProgrammeMonth
from .sanitize import markdown_text, safe_url

TEMPLATES = Environment(
    loader=PackageLoader("wegweiser", "templates/site"),
    undefined=StrictUndefined,
    autoescape=True,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
# Plain text enters a Markdown page only through `plain`; link targets through `safe_url`.
TEMPLATES.filters.update(plain=markdown_text, safe_url=safe_url)
RESERVED = {"index", "angebote", "themen", "anlaufstellen", "programm", "404", "assets",
            "search", "seiten", "offene-daten"}
UPCOMING = 5  # dates of the programme on the home page
OPEN_DATA = "open-data"  # the open-data page, written by the opendata stage


@dataclass(frozen=True)
class PageSpec:
    """One page: where it lives below the language root, its template and its data."""

    path: str  # e.g. angebote/sprachpaten.md
    template: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The page's URL below the language root, as mkdocs writes it (directory URLs)."""
        stem = self.path.removesuffix(".md")
        if stem == "index":
            return ""
        return stem.removesuffix("/index") + "/"

    @property
    def prefix(self) -> str:
        """Relative URL from the page back to the language root."""
        return "../" * self.url.count("/")


def page_path(page_id: str) -> str:
    """Editorial pages live at the root; an id that names a section goes below seiten/."""
    return f"seiten/{page_id}.md" if page_id in RESERVED else f"{page_id}.md"


def plan_pages(content: Content) -> list[PageSpec]:
    """Every page of a language, in the order of the sitemap."""
    specs = [PageSpec("index.md", "home.md.j2"), PageSpec("angebote/index.md", "offers.md.j2")]
    specs += [PageSpec(f"themen/{c.id}.md", "category.md.j2", {"category": c})
              for c in content.settings.categories if content.offers_in(c.id)]
    specs += [PageSpec(f"angebote/{o.id}.md", "offer.md.j2", {"offer": o})
              for o in content.offers]
    specs.append(PageSpec("anlaufstellen/index.md", "contacts.md.j2"))
    specs += [PageSpec(f"anlaufstellen/{c.id}.md", "contact.md.j2", {"contact": c})
              for c in content.contacts]
    specs.append(PageSpec("programm/index.md", "programme.md.j2"))
    specs += [PageSpec(f"programm/{m.month}.md", "month.md.j2", {"month": m})
              for m in content.programme]
    specs += [PageSpec(page_path(p.id), "page.md.j2", {"page": p}) for p in content.pages]
    if find_spec("wegweiser.opendata") is not None:
        specs.append(PageSpec("offene-daten.md", OPEN_DATA))
    return specs


def flyer_months(content: Content) -> set[str]:
    """Months whose printable programme (downloads/programm-YYYY-MM-<lang>.pdf) is built."""
    if find_spec("wegweiser.flyer") is None:
        return set()
    from .flyer import flyer_months as months

    return {m.month for m in months(content)}


def upcoming(content: Content, count: int = UPCOMING) -> list[Occurrence]:
    dates = [o for m in content.programme for o in m.occurrences
             if o.day >= content.today and o.status != "cancelled"]
    return sorted(dates, key=lambda o: (o.day, o.start))[:count]


def month_sections(content: Content) -> list[tuple[str, str, list[ProgrammeMonth]]]:
    """Current month, next month, later months and the archive of past months."""
    this = content.today.replace(day=1)
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
    import material

    folder = Path(material.__file__).parent / "templates" / ".icons"
    path = folder / f"{name}.svg"
    svg = path.read_text(encoding="utf-8") if path.is_file() else ""
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))


@dataclass
class PageWriter:
    """Renders the pages of one language into Markdown with front matter."""

    content: Content
    loc: Localisation
    site_url: str  # absolute URL of the language root, e.g. https://.../de/
    root: Path  # the project folder (the open-data stage reads its catalogs from there)

    def common(self) -> dict[str, Any]:
        c = self.content
        return {
            "content": c, "settings": c.settings, "loc": self.loc, "lang": self.loc.language,
            "have_feeds": find_spec("wegweiser.feeds") is not None,
            "have_brochure": find_spec("wegweiser.brochure") is not None,
        }

    def page_data(self, spec: PageSpec) -> dict[str, Any]:
        """What a template needs beyond the common values."""
        c, loc = self.content, self.loc
        contact_url = self.site_url + "anlaufstellen/{id}/"
        data = dict(spec.data)
        if spec.template == "home.md.j2":
            data.update(notices=sorted(c.active_notices(), key=lambda n: n.start, reverse=True),
                        categories=self.categories(), upcoming=upcoming(c),
                        contact=c.contact(c.settings.contact), icons=self.icons())
        elif spec.template == "offers.md.j2":
            data.update(categories=self.categories(), **self.filter_values())
        elif spec.template == "category.md.j2":
            data["offers"] = c.offers_in(spec.data["category"].id)
        elif spec.template == "offer.md.j2":
            offer = spec.data["offer"]
            data["contacts"] = [c.contact(i) for i in (offer.contacts or (offer.provider,))]
            data["jsonld"] = jsonld.script(jsonld.government_service(
                offer, c, self.site_url + spec.url, contact_url, loc))
        elif spec.template == "contact.md.j2":
            contact = spec.data["contact"]
            data["offers"] = self.offers_by_contact.get(contact.id, [])
            data["jsonld"] = jsonld.script(jsonld.place(contact, self.site_url + spec.url, loc,
                                                        c.settings.organisation))
        elif spec.template == "programme.md.j2":
            names = {"current": loc.ui("Dieser Monat"), "next": loc.ui("Nächster Monat"),
                     "later": loc.ui("Spätere Monate"), "archive": loc.ui("Archiv")}
            data["sections"] = [(names[k], a, ms) for k, a, ms in month_sections(c)]
        elif spec.template == "month.md.j2":
            month = spec.data["month"]
            data["days"], data["moved_away"] = month_days(month)
            data["venue"] = c.contact(month.venue)
            data["flyer"] = month.month in flyer_months(c)
            data["jsonld"] = jsonld.script(jsonld.events(month.occurrences, c, contact_url, loc))
        return data

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

    def render(self, spec: PageSpec) -> str:
        """The page's Markdown file: front matter, a note on untranslated parts, the body."""
        if spec.template == OPEN_DATA:
            from .opendata import render_page

            return render_page(self.content, self.root, self.loc.language)
        view = View(self.loc, spec.prefix, self.content.settings.source_language.dir)
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
            text = view.ui("Teile dieser Seite sind noch nicht übersetzt und werden auf Deutsch angezeigt.")  # noqa: E501
            note = f'<p class="ww-untranslated">{text}</p>\n\n'
        heading_end = body.find("\n", body.find("# ")) + 1 if body.lstrip().startswith("# ") \
            else 0
        return f"---\n{front}---\n\n{body[:heading_end]}\n{note}{body[heading_end:]}"
