"""Checks across files: references, uniqueness and dates, after each file passed its schema."""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from typing import Any
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError

from wegweiser import paths
from wegweiser.content.load import Document, Sources
from wegweiser.content.schema import format_path
from wegweiser.model import Settings
from wegweiser.problems import Location, Problems
from wegweiser.resources import icon_file
from wegweiser.wording import N_, _, number

# Ids that would replace a generated page: an offer or contact point `index` would be
# written over the overview angebote/index.md or anlaufstellen/index.md (site/pages.py),
# a category `index` over the folder of the topic pages. Pages are moved aside instead.
RESERVED_IDS = {"offer": paths.OFFERS, "contact": paths.CONTACTS, "category": paths.CATEGORIES}


# What an id refers to: the message when it is unknown ({hint} is "did you mean ...? ").
UNKNOWN = {
    "contact": N_("unknown contact point '{value}'; {hint}expected one of the file names in"
                  " content/contacts/ (without .yml): {choices}"),
    "category": N_("unknown category '{value}'; {hint}expected one of the categories in"
                   " content/site.yml: {choices}"),
    "audience": N_("unknown audience '{value}'; {hint}expected one of the audiences in"
                   " content/site.yml: {choices}"),
    "district": N_("{label} '{value}' is unknown; {hint}expected one of the districts in"
                   " content/site.yml: {choices}"),
}


def check_references(sources: Sources, settings: Settings, problems: Problems) -> None:
    """Every id an editor refers to exists, and lists that must be unique are."""
    site = sources.site
    assert site is not None
    contacts = set(sources.contact_ids)  # a file with its own errors is not "unknown"
    for key in ("contact", "service_point"):
        if key in site.data:
            refers(site, (key,), contacts, "contact", problems)
    for key, field in (("languages", "code"), ("categories", "id"), ("audiences", "id")):
        _unique(site, key, field, problems)
    _check_site_languages(site, problems)
    _check_directions(site, problems)
    _check_imprint(site, problems)
    _check_reserved_categories(site, problems)
    _check_timezone(site, problems)
    _check_site_examples(site, problems)
    if sources.notices:
        _unique(sources.notices, "notices", "id", problems)
    for doc in sources.offers.values():
        _check_offer_references(doc, settings, contacts, problems)
    for doc in [*sources.offers.values(), *sources.contacts.values()]:
        _check_languages(doc, problems)
        _check_example_fields(doc, problems)
    _check_category_icons(site, problems)
    for kind, docs in (("offer", sources.offers), ("contact", sources.contacts)):
        for id, doc in docs.items():
            _check_placeholders(doc, placeholders(kind, id), problems)


def _check_offer_references(doc: Document, settings: Settings, contacts: set[str],
                            problems: Problems) -> None:
    d = doc.data
    refers(doc, ("category",), {c.id for c in settings.categories}, "category", problems)
    audiences = {a.id for a in settings.audiences}
    for i in range(len(d["audience"])):
        refers(doc, ("audience", i), audiences, "audience", problems)
    refers(doc, ("provider",), contacts, "contact", problems)
    for i in range(len(d.get("contacts", []))):
        refers(doc, ("contacts", i), contacts, "contact", problems)
    if "place" in d.get("where_when", {}):
        refers(doc, ("where_when", "place"), contacts, "contact", problems)
    if "district" in d and settings.districts:
        refers(doc, ("district",), set(settings.districts), "district", problems,
               label=district_label(settings))


def district_label(settings: Settings) -> str:
    """What the KI calls one of its districts (area.district_label: "Stadt" in a Kreis),
    as the site does, so the message names what the editor sees on the site."""
    if settings.area.district_label:
        return settings.area.district_label
    return _("district") if settings.area.is_city else _("town or municipality")


def check_dates(sources: Sources, settings: Settings, today: date, problems: Problems) -> None:
    """Date ranges run forwards, and offers about to expire are announced."""
    warn_from = today + timedelta(days=settings.expiry_warning_days)
    for doc in sources.offers.values():
        d = doc.data
        if "valid_from" in d and "valid_until" in d and d["valid_until"] < d["valid_from"]:
            problems.error(doc.where(("valid_until",)),
                           _("{until} is before valid_from ({start}); the offer would never"
                             " be published",
                             until=d["valid_until"], start=d["valid_from"]), "valid_until")
        until = d.get("valid_until")
        if until and date.fromisoformat(until) < today:
            problems.warning(doc.where(("valid_until",)),
                             _("the offer expired on {until} and is not published",
                               until=until),
                             "valid_until")
        elif until and date.fromisoformat(until) <= warn_from:
            problems.warning(doc.where(("valid_until",)),
                             _("the offer expires on {until}; extend valid_until or let it end",
                               until=until),
                             "valid_until")
        _check_weekly(doc, ("where_when", "schedule"), problems)
    for doc in sources.contacts.values():
        hours = doc.data.get("opening_hours", {})
        _check_weekly(doc, ("opening_hours", "weekly"), problems)
        for i, exc in enumerate(hours.get("exceptions", [])):
            path = ("opening_hours", "exceptions", i)
            if exc["until"] < exc["from"]:
                problems.error(doc.where(path + ("until",)), _(
                    "the exception ends ({until}) before it begins ({start})",
                    until=exc["until"], start=exc["from"]), format_path(path))
            _check_weekly(doc, path + ("hours",), problems)
    for i, notice in enumerate(sources.notices.data["notices"] if sources.notices else []):
        if notice.get("until") and notice["until"] < notice["from"]:
            assert sources.notices is not None
            path = ("notices", i, "until")
            problems.error(sources.notices.where(path), _(
                "the notice ends ({until}) before it begins ({start})",
                until=notice["until"], start=notice["from"]), format_path(path))


# The brochure is laid out in parts of at most 32 offers (brochure.body_parts), so its
# memory no longer grows with it; its time does: 1,000 offers are some 1,500 A5 pages in
# each language, several minutes of layout each on two cores. The limit keeps a build's
# time within reach of a CI run.
MAX_BROCHURE_OFFERS = 1_000


def check_brochure_size(sources: Sources, today: date, problems: Problems) -> None:
    """Refuses, before anything renders, a brochure too long to print and lay out."""
    printed = [doc for doc in sources.offers.values() if doc.data.get("in_brochure", True)
               and _published(doc.data, today)]
    if len(printed) > MAX_BROCHURE_OFFERS:
        problems.error(Location("offers/"), _(
            "the brochure would hold {count} offers; at most {limit} fit one printed"
            " brochure (some 1,500 pages in each language); mark the offers that need not be"
            " printed with in_brochure: false", count=number(len(printed)),
            limit=number(MAX_BROCHURE_OFFERS)))


def _published(data: dict[str, Any], today: date) -> bool:
    start, until = data.get("valid_from"), data.get("valid_until")
    return (not start or date.fromisoformat(start) <= today) and (
        not until or today <= date.fromisoformat(until))


def _check_weekly(doc: Document, path: tuple[Any, ...], problems: Problems) -> None:
    weekly: Any = doc.data
    for key in path:
        weekly = weekly.get(key) if isinstance(weekly, dict) else None
    for day, slots in (weekly or {}).items():
        for i, slot in enumerate(slots):
            if slot["closes"] <= slot["opens"]:
                here = path + (day, i, "closes")
                problems.error(doc.where(here), _(
                    "closes ({closes}) is not after opens ({opens})",
                    closes=slot["closes"], opens=slot["opens"]), format_path(here))


def refers(doc: Document, path: tuple[Any, ...], known: set[str], kind: str,
           problems: Problems, **fields: str) -> None:
    """The id at `path` is one of `known`, else an error that suggests the closest id and
    lists them all (the offers', the programme's and the settings' references alike)."""
    value: Any = doc.data
    for key in path:
        value = value[key]
    if value not in known:
        close = difflib.get_close_matches(str(value), sorted(known), n=1)
        hint = _("did you mean '{choice}'? ", choice=close[0]) if close else ""
        choices = ", ".join(sorted(known)) or _("there are none yet")
        problems.error(doc.where(path), _(UNKNOWN[kind], value=value, hint=hint,
                                          choices=choices, **fields), format_path(path))


def _unique(doc: Document, key: str, field: str, problems: Problems) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(doc.data.get(key, [])):
        value = item[field]
        if value in seen:
            line = doc.where((key, seen[value], field)).line
            problems.error(doc.where((key, i, field)), _(
                "'{value}' is used twice (first on line {line}); each {field} must be unique",
                value=value, line=line, field=field),
                format_path((key, i, field)))
        seen.setdefault(value, i)


def _check_site_languages(site: Document, problems: Problems) -> None:
    """The site's languages drive Babel's date and number formats: they must be known."""
    for i, language in enumerate(site.data["languages"]):
        for key in ("code", "formats"):
            code = language.get(key)
            if code and not _known_locale(code):
                problems.error(site.where(("languages", i, key)), _(
                    "'{code}' is not a language code the build knows; use a code such as de,"
                    " en, ar, fa, uk, ru or tr", code=code), format_path(("languages", i, key)))


def _check_directions(site: Document, problems: Problems) -> None:
    """A language written right to left needs dir: rtl, or its pages are laid out mirrored
    wrong (CLDR knows the direction of every language it has)."""
    for i, language in enumerate(site.data["languages"]):
        order = _character_order(language.get("formats") or language["code"])
        written = language.get("dir", "ltr")
        if order and order != written:
            path = ("languages", i, "dir") if "dir" in language else ("languages", i)
            problems.warning(site.where(path), _(
                "'{code}' is written right to left; add dir: rtl to this language, or its"
                " pages are laid out the wrong way round", code=language["code"])
                if order == "rtl" else _(
                "'{code}' is written left to right; remove dir: rtl from this language",
                code=language["code"]), format_path(path))


def _character_order(code: str) -> str:
    """'rtl' or 'ltr' as CLDR says; '' for a code it doesn't know (e.g. de-x-ls)."""
    try:
        order = Locale.parse(code.replace("-", "_")).character_order
    except (UnknownLocaleError, ValueError):
        return ""
    return "rtl" if order == "right-to-left" else "ltr"


def _check_category_icons(site: Document, problems: Problems) -> None:
    """An icon name the theme doesn't have would show no icon at all."""
    for i, category in enumerate(site.data["categories"]):
        name = category["icon"]
        if not icon_file(name).is_file():
            path = ("categories", i, "icon")
            problems.warning(site.where(path), _(
                "the theme has no icon '{name}'; look up a name at"
                " https://pictogrammers.com/library/mdi/ and write it as material/<name>",
                name=name), format_path(path))


# The texts `build.py new` writes for an editor to replace (scaffold.py writes these).
# Left in place they would be published as facts.
NEW_OFFER = {
    ("summary",): "Eine kurze Zusammenfassung in einfachen Worten (höchstens 300 Zeichen).",
    ("description",): "Die ausführliche Beschreibung des Angebots. Absätze trennen Sie durch"
                      " eine Leerzeile.",
}
NEW_CONTACT = {
    ("address", "street"): "Straße und Hausnummer",
    ("address", "postcode"): "00000",
    ("address", "city"): "Ort",
    ("email",): "bitte-eintragen@example.org",
}


def placeholders(kind: str, id: str) -> dict[tuple[str, ...], str]:
    if kind == "offer":
        return {("title",): f"Neues Angebot {id}", **NEW_OFFER}
    return {("name",): f"Neue Anlaufstelle {id}", **NEW_CONTACT}


def _check_placeholders(doc: Document, texts: dict[tuple[str, ...], str],
                        problems: Problems) -> None:
    for path, text in texts.items():
        value: Any = doc.data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and value.strip() == text:
            problems.warning(doc.where(path), _(
                "'{value}' is the placeholder written by `new`; replace it with the real"
                " value", value=text), format_path(path))


def reserved_id(kind: str) -> str:
    return _("the id 'index' is reserved: it would replace the website's page {page}; choose"
             " another name that says what it is, e.g. index-beratung", page=RESERVED_IDS[kind])


def _check_reserved_categories(site: Document, problems: Problems) -> None:
    for i, category in enumerate(site.data["categories"]):
        if category["id"] == "index":
            path = ("categories", i, "id")
            problems.error(site.where(path), reserved_id("category"), format_path(path))


# Characters RFC 3986 does not allow in an address; braces would also end up in templates.


def _check_timezone(site: Document, problems: Problems) -> None:
    """Programme times are local times of this zone: the zone must exist."""
    name = site.data.get("timezone")
    if name is not None and name not in available_timezones():
        problems.error(site.where(("timezone",)), _(
            "'{name}' is not a time zone the build knows; write Europe/Berlin (or another"
            " name of the time zone database such as Europe/Vienna)", name=name), "timezone")


def _known_locale(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _check_languages(doc: Document, problems: Problems) -> None:
    for i, code in enumerate(doc.data.get("languages", [])):
        if not _known_locale(code):
            problems.warning(doc.where(("languages", i)), _(
                "'{code}' is not a known language code; check the spelling (e.g. de, en, ar,"
                " fa, uk, ru, tr)", code=code), format_path(("languages", i)))


# What the imprint of a printed brochure must name (Landespressegesetz NRW § 8); the
# formats are in site.schema.json.
IMPRINT = ("publisher", "publisher_address", "responsible", "printer", "print_run", "edition")


def _check_imprint(site: Document, problems: Problems) -> None:
    brochure = site.data.get("brochure", {})
    for name in IMPRINT:
        if name not in brochure:
            problems.warning(site.where(("brochure",), key=True), _(
                "the brochure's imprint lacks '{name}'; the press law (LPresseG NRW § 8) asks"
                " for publisher with address, the person responsible, printer, print run and"
                " edition: add '{name}' under brochure:", name=name),
                format_path(("brochure", name)))


def _check_site_examples(site: Document, problems: Problems) -> None:
    """Settings marked as example values (site.yml: example_values) are left out of what
    machines read; said once, so nobody wonders where the site's address went."""
    names = site.data.get("example_values", [])
    if names:
        problems.warning(site.where(("example_values",), key=True), _(
            "{names} marked as example value: the machine-readable outputs (structured data,"
            " sitemap.xml, robots.txt, calendar feeds, open data) leave it out until the mark"
            " is removed; the website itself works as usual. The brochures, flyers and posters"
            " still print the address and link to it in their QR codes: do not send them to"
            " print before it is decided", names=", ".join(names)),
            "example_values")


def _check_example_fields(doc: Document, problems: Problems) -> None:
    for i, name in enumerate(doc.data.get("example_values", [])):
        if name not in doc.data or name == "example_values":
            problems.warning(doc.where(("example_values", i)), _(
                "'{name}' is marked as an example value but the file has no such field",
                name=name),
                format_path(("example_values", i)))
