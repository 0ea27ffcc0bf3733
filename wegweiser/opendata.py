"""Open data in site/data/: the HSDS 3.0 export, CSV tables, and the programme as JSON.

    data/hsds/<lang>/services.json       every offer as a full HSDS service (organization,
                                         service_at_locations with their locations, schedules,
                                         languages, attributes), in the HSDS API list form
    data/hsds/<lang>/organizations.json  every organisation with all its contact points
    data/csv/*.csv, datapackage.json     the German records as HSDS tables (Tabular Data
                                         Package: one CSV per object, ids as foreign keys)
    data/programme.json                  the dates of the Service-Point programme

HSDS has no per-field translation, so each language has its own files with the same ids;
texts the catalogs do not hold yet are German there, as on the website.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import hsds
from .i18n import Localisation, Localized
from .markup import theme_text
from .model import Content, Language
from .sanitize import markdown_text, safe_url

Json = dict[str, Any]

TEMPLATES = Environment(loader=PackageLoader("wegweiser", "templates/site"),
                        undefined=StrictUndefined, autoescape=True, keep_trailing_newline=True,
                        trim_blocks=True, lstrip_blocks=True)
TEMPLATES.filters["plain"] = markdown_text  # as for every page (sitepages.py)

# The HSDS tables: file name, the columns in the specification's order. Nested objects are
# rows of their own table, linked to their parent by the foreign key columns named here.
TABLES: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "alternate_name", "description", "email", "website"),
    "services": ("id", "organization_id", "name", "description", "url", "email", "status",
                 "application_process", "fees_description", "eligibility_description",
                 "assured_date", "last_modified"),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "locations": ("id", "location_type", "organization_id", "name", "description", "latitude",
                  "longitude"),
    "addresses": ("id", "location_id", "address_1", "city", "region", "state_province",
                  "postal_code", "country", "address_type"),
    "phones": ("id", "location_id", "contact_id", "number", "type", "description"),
    "contacts": ("id", "location_id", "name", "title", "email"),
    "schedules": ("id", "service_id", "location_id", "service_at_location_id", "valid_from",
                  "valid_to", "freq", "interval", "byday", "opens_at", "closes_at",
                  "description", "notes"),
    "languages": ("id", "service_id", "location_id", "name", "code"),
    "accessibility": ("id", "location_id", "description"),
    "attributes": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity"),
    "taxonomy_terms": ("id", "code", "name", "description", "taxonomy", "language"),
}
CHILD_TABLES = {  # key of a nested object or array -> its table
    "organization": "organizations", "service_at_locations": "service_at_location",
    "location": "locations", "locations": "locations", "addresses": "addresses",
    "phones": "phones", "contacts": "contacts", "schedules": "schedules",
    "languages": "languages", "accessibility": "accessibility", "attributes": "attributes",
    "taxonomy_term": "taxonomy_terms",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FOREIGN_KEYS = {  # a parent's table -> the column its children use to point at it
    "services": "service_id", "locations": "location_id", "contacts": "contact_id",
    "service_at_location": "service_at_location_id", "organizations": "organization_id",
}


def write_data(content: Content, root: Path, out: Path) -> int:
    """Every open-data file into `out` (site/data); returns the number of files written."""
    written = 0
    for language in content.settings.languages:
        texts = Localisation.load(root, content.settings, language)
        folder = out / "hsds" / language.code
        write_json(folder / "services.json", hsds.page(hsds.services(content, texts)))
        write_json(folder / "organizations.json",
                   hsds.page(hsds.organizations(content, texts)))
        written += 2
    german = Localisation.load(root, content.settings, content.settings.source_language)
    tables = hsds_tables(hsds.services(content, german), hsds.organizations(content, german))
    for name, rows in tables.items():
        write_text(out / "csv" / f"{name}.csv", csv_text(TABLES[name], rows))
    write_json(out / "csv" / "datapackage.json", datapackage(content, tables))
    write_json(out / "programme.json", programme(content))
    return written + len(tables) + 2


def write_json(path: Path, data: Any) -> None:
    write_text(path, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


# -- tables -------------------------------------------------------------------------------


def hsds_tables(services: list[Json], organizations: list[Json]) -> dict[str, list[Json]]:
    """The nested HSDS objects as flat tables, one row per object, sorted by id."""
    rows: dict[str, dict[str, Json]] = {name: {} for name in TABLES}
    for service in services:
        flatten(service, "services", {}, rows)
    for organization in organizations:
        flatten(organization, "organizations", {}, rows)
    return {name: [found[i] for i in sorted(found)] for name, found in rows.items()}


def flatten(obj: Json, table: str, keys: dict[str, str], rows: dict[str, dict[str, Json]]) -> None:
    """One object's row (with the foreign keys its table has), then its children's rows."""
    row = {k: v for k, v in obj.items() if not isinstance(v, (dict, list))}
    row.update({k: v for k, v in keys.items() if k in TABLES[table] and k not in row})
    rows[table].setdefault(obj["id"], row)
    # children point at their direct parent only: a location's opening hours are not the
    # schedule of every service offered there
    child_keys = {FOREIGN_KEYS[table]: obj["id"]} if table in FOREIGN_KEYS else {}
    for key, value in obj.items():
        if key not in CHILD_TABLES:
            continue
        for child in value if isinstance(value, list) else [value]:
            flatten(child, CHILD_TABLES[key], child_keys, rows)


def csv_text(columns: tuple[str, ...], rows: list[Json]) -> str:
    """UTF-8 CSV with a header row and CRLF line ends (RFC 4180), as HSDS asks."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="raise")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def spreadsheet_safe(value: Any) -> Any:
    """A text cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a
    leading ' as OWASP recommends: "=HYPERLINK(...)" in a title stays text in Excel and
    LibreOffice. Numbers stay numbers; the JSON files keep every value as it is."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def datapackage(content: Content, tables: dict[str, list[Json]]) -> Json:
    """A Frictionless Tabular Data Package descriptor for the CSV tables."""
    numbers = {"latitude", "longitude", "interval"}
    return {
        "profile": "tabular-data-package",
        "name": "hsds-" + (urlsplit(content.settings.base_url).hostname or "wegweiser"),
        "title": f"{content.settings.name}: Angebote und Anlaufstellen (HSDS 3.0)",
        "licenses": licences(content),
        "resources": [{
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": c, "type": "number" if c in numbers else "string"}
                                  for c in TABLES[name]], "primaryKey": "id"},
        } for name in tables],
    }


def licences(content: Content) -> list[Json]:
    licence = content.settings.data_licence
    if not licence:
        return []
    return [{k: v for k, v in (("title", licence.get("name", "")),
                               ("path", licence.get("url", ""))) if v}]


# -- programme ----------------------------------------------------------------------------


def programme(content: Content) -> Json:
    """Every date of the Service-Point programme, in German, with host and venue."""
    def place(contact_id: str) -> Json:
        contact = content.contact(contact_id)
        return {"id": contact_id, "name": contact.name, "address": contact.address.one_line()}

    occurrences = [{
        "uid": o.uid, "date": o.day.isoformat(), "start": f"{o.start:%H:%M}",
        "end": f"{o.end:%H:%M}", "title": o.title, "topic": o.topic, "status": o.status,
        "moved_from": o.moved_from.isoformat() if o.moved_from else None, "note": o.note,
        "host": place(o.host), "venue": place(o.venue), "room": o.room,
        "languages": list(o.languages), "registration_required": o.registration_required,
        "registration_how": o.registration_how, "description": o.description,
        "recurring": o.recurring,
    } for month in content.programme for o in month.occurrences]
    return {
        "publisher": content.settings.name,
        "timezone": content.settings.timezone,
        "language": content.settings.source_language.code,
        "licenses": licences(content),
        "months": [m.month for m in content.programme],
        "occurrences": sorted(occurrences, key=lambda o: (o["date"], o["start"], o["uid"])),
    }


# -- the website page ---------------------------------------------------------------------


class PageTexts:
    """The page's own strings as plain text for Markdown, counting those still German."""

    def __init__(self, texts: Localisation):
        self.texts, self.fallbacks = texts, 0
        self.german_texts: set[str] = set()  # the theme repeats headings (contents)

    def ui(self, german: str) -> Markup:
        return self.marked(self.texts.ui(german))

    def field(self, item: object, name: str) -> Markup:
        return self.marked(self.texts.field(item, name))

    def marked(self, found: Localized) -> Markup:
        """Plain text; German in another language's page is marked so (WCAG 3.1.2)."""
        self.fallbacks += found.fallback
        text = markdown_text(found)
        if found.fallback and found.lang != self.texts.language.code:
            self.german_texts.add(theme_text(str(found)))
            return Markup('<span lang="{}" dir="ltr">{}</span>').format(found.lang, text)
        return text

    def german(self, text: str) -> Markup:
        """A value that exists in German only (the licence's name), marked in other languages."""
        source = self.texts.translator.source
        if self.texts.language.code == source:
            return markdown_text(text)
        return Markup('<span lang="{}" dir="ltr">{}</span>').format(source, markdown_text(text))

    def meta(self, german: str) -> str:
        """A string for the front matter, which the theme prints without escaping."""
        return theme_text(str(self.texts.ui(german)))


def render_page(content: Content, root: Path, language: Language) -> str:
    """The page offene-daten.md: what is published, under which licence, how to use it."""
    texts = Localisation.load(root, content.settings, language)
    base = urlsplit(content.settings.base_url).path.rstrip("/")
    licence = content.settings.data_licence
    values = dict(content=content, lang=language, data=f"{base}/data",
                  languages=content.settings.languages, tables=list(TABLES), licence=licence,
                  licence_url=safe_url(licence.get("url", "")),
                  services=len(hsds.exported_offers(content)), contacts=len(content.contacts))
    template = TEMPLATES.get_template("open-data.md.j2")
    counted = PageTexts(texts)
    template.render(**values, t=counted, untranslated="", german=[])  # a first pass counts the gaps
    note = texts.ui("Teile dieser Seite sind noch nicht übersetzt und werden auf Deutsch"
                    " angezeigt.") if counted.fallbacks else ""
    return template.render(**values, t=PageTexts(texts), untranslated=markdown_text(note),
                           german=sorted(counted.german_texts))
