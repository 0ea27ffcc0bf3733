"""Open data in site/data/: the HSDS 3.0 export, CSV tables, and the programme as JSON.

    data/hsds/<lang>/services.json       every offer as a full HSDS service (organization,
                                         service_at_locations with their locations, schedules,
                                         languages, attributes), in the HSDS API list form
    data/hsds/<lang>/organizations.json  every organisation with all its contact points
    data/csv/*.csv, datapackage.json     the German records as HSDS tables (Tabular Data
                                         Package: one CSV per object, ids as foreign keys)
    data/programme.json                  the dates of the monthly programme

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

from wegweiser.exports import hsds
from wegweiser.i18n.localisation import Localisation
from wegweiser.model import Content, Language, confirmed

Json = dict[str, Any]

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
    records = [write_hsds(content, root, language, out) for language in content.settings.languages]
    tables = hsds_tables(*records[0])  # the source language's (German) records, made once
    for name, rows in tables.items():
        write_text(out / "csv" / f"{name}.csv", csv_text(TABLES[name], rows))
    write_json(out / "csv" / "datapackage.json", datapackage(content, tables))
    write_json(out / "programme.json", programme(content))
    return 2 * len(records) + len(tables) + 2


def write_hsds(content: Content, root: Path, language: Language,
               out: Path) -> tuple[list[Json], list[Json]]:
    """One language's services.json and organizations.json; returns their records."""
    texts = Localisation.load(root, content.settings, language)
    services = hsds.services(content, texts)
    organizations = hsds.organizations(content, texts)
    folder = out / "hsds" / language.code
    write_json(folder / "services.json", hsds.page(services), indent=None)
    write_json(folder / "organizations.json", hsds.page(organizations), indent=None)
    return services, organizations


def write_json(path: Path, data: Any, indent: int | None = 2) -> None:
    """Keys sorted, so a build repeats the file byte for byte. `indent=None`: one line, for
    the large HSDS files; json indents in pure Python, several times slower than its C
    encoder, and programs read those files."""
    separators = (",", ":") if indent is None else None
    write_text(path, json.dumps(data, ensure_ascii=False, indent=indent, separators=separators,
                                sort_keys=True) + "\n")


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
        "name": "hsds-" + package_host(content),
        "title": f"{content.settings.name}: Angebote und Anlaufstellen (HSDS 3.0)",
        "licenses": licences(content),
        "resources": [{
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [{"name": c, "type": "number" if c in numbers else "string"}
                                  for c in TABLES[name]], "primaryKey": "id"},
        } for name in tables],
    }


def package_host(content: Content) -> str:
    """The site's host for the package's name; not while base_url is an example value."""
    host = urlsplit(content.settings.base_url).hostname
    return host if host and confirmed(content.settings, "base_url") else "wegweiser"


def licences(content: Content) -> list[Json]:
    licence = content.settings.data_licence
    if licence is None:
        return []
    return [{k: v for k, v in (("title", licence.name), ("path", licence.url)) if v}]


# -- programme ----------------------------------------------------------------------------


def programme(content: Content) -> Json:
    """Every date of the monthly programme, in German, with host and venue."""
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
