"""Reading the content tree: find the files, load them strictly, validate, build the model."""

from __future__ import annotations

import os
import re
import stat
from datetime import date, time
from pathlib import Path
from typing import Any

from wegweiser.characters import refused_character
from wegweiser.content import checks, markdown_cost, programme, schema, translations
from wegweiser.content.load import (
    MAX_PAGE_BYTES,
    Document,
    Sources,
    parse_yaml,
    read_text,
    text_problem,
    to_document,
)
from wegweiser.model import (
    WEEKDAYS,
    Address,
    AreaSettings,
    Audience,
    BrochureSettings,
    Category,
    ContactPoint,
    Content,
    DataLicence,
    HoursException,
    Language,
    Link,
    Notice,
    Offer,
    OpeningHours,
    Page,
    Person,
    Phone,
    ProgrammeSettings,
    Settings,
    TimeSlot,
    WeeklyHours,
    WhereWhen,
)
from wegweiser.problems import Location, Problems, relative
from wegweiser.wording import N_, _

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.DOTALL)


def load_content(root: Path, today: date, problems: Problems) -> Content | None:
    """The whole content tree as a model, or None if it has errors (all in `problems`)."""
    sources = read_sources(root, problems)
    if sources.site is None:
        return None  # without valid settings nothing can be checked against them
    settings = build_settings(sources.site.data)
    markdown_cost.check_sources(sources, problems)
    translations.check_catalogs(root, settings, problems)
    # Files that failed their schema are left out here; the others are still checked, so
    # an editor sees every problem of the content in one run.
    checks.check_references(sources, settings, problems)
    checks.check_dates(sources, settings, today, problems)
    checks.check_brochure_size(sources, today, problems)
    months = programme.build_months(sources.programme, settings, set(sources.contact_ids),
                                    problems)
    contacts = tuple(build_contact(i, d) for i, d in sorted(sources.contacts.items()))
    programme.check_closures(months, {c.id: c for c in contacts}, problems)
    if problems.errors:
        return None
    offers = sorted((build_offer(i, d) for i, d in sources.offers.items()), key=lambda o: o.id)
    notices = sources.notices.data["notices"] if sources.notices else []
    return Content(
        settings=settings,
        today=today,
        offers=tuple(o for o in offers if o.published_on(today)),
        unpublished=tuple(o for o in offers if not o.published_on(today)),
        contacts=contacts,
        programme=tuple(months),
        notices=tuple(build_notice(n) for n in notices),
        pages=tuple(sorted((build_page(i, d, body) for i, (d, body) in sources.pages.items()),
                           key=lambda p: (p.order, p.id))),
        files=sources.files,
        sources=sources,
    )


def read_sources(root: Path, problems: Problems) -> Sources:
    """Load and schema-check every content file; problems are collected, never raised."""
    report_special_files(root, problems)
    content = root / "content"
    site_file, notices_file = content / "site.yml", content / "notices.yml"
    sources = Sources(
        site=load_file(site_file, root, "site", problems) if site_file.is_file() else None,
        notices=load_file(notices_file, root, "notices", problems)
        if notices_file.is_file() else None,
        offers=load_dir(root / "offers", root, "offer", ID, problems),
        contacts=load_dir(content / "contacts", root, "contact", ID, problems),
        programme=load_dir(content / "programme", root, "programme", MONTH, problems),
        pages=load_pages(content / "pages", root, problems),
    )
    if not site_file.is_file():
        problems.error(Location(relative(site_file, root)),
                       _("the settings file is missing; every site needs content/site.yml"))
    sources.contact_ids = frozenset(content_ids(content / "contacts", ID))
    folders = (root / "offers", content / "contacts", content / "programme", content / "pages")
    sources.files = (site_file.is_file() + notices_file.is_file()
                     + sum(len(content_files(folder)) for folder in folders))
    for folder in folders:
        report_stray_files(folder, root, problems)
    return sources


def content_files(folder: Path) -> list[Path]:
    """The files of a content folder that are read: *.yml and *.yaml, or *.md for pages."""
    if not folder.is_dir():
        return []
    suffixes = (".md",) if folder.name == "pages" else (".yml", ".yaml")
    # links are listed whatever they point at, so that loading refuses them by name
    files = [p for p in folder.iterdir() if p.suffix in suffixes
             and (p.is_symlink() or p.is_file())]
    return sorted(files, key=lambda p: (p.stem, p.suffix != ".yml"))  # .yml wins a tie


def content_ids(folder: Path, name: re.Pattern[str]) -> set[str]:
    return {p.stem for p in content_files(folder) if name.match(p.stem)}


def report_stray_files(folder: Path, root: Path, problems: Problems) -> None:
    """A file that is silently skipped (Sprachcafe.YML, notes.txt) would be a lost offer."""
    if not folder.is_dir():
        return
    read = set(content_files(folder))
    expected = "*.md" if folder.name == "pages" else "*.yml"
    for path in sorted(folder.iterdir()):
        if path in read or path.name.startswith(".") or not (path.is_file() or path.is_dir()):
            continue  # not a file at all: an error of report_special_files (or a broken link)
        fields = dict(expected=expected, folder=relative(folder, root))
        problems.warning(Location(relative(path, root), 1, 1), _(
            "this folder is not read: only {expected} files directly in {folder}/ are content",
            **fields) if path.is_dir() else _(
            "this file is not read: only {expected} files directly in {folder}/ are content",
            **fields))


def regular_file(path: Path, root: Path, problems: Problems) -> bool:
    """Only regular files inside the content folders are content. A link is not followed,
    wherever it points: committed to the repository it could publish any file of the build
    machine or of the project itself (.git/config), or never end (/dev/zero)."""
    file = relative(path, root)
    if path.is_symlink():
        if special_kind(path) is None:  # a link to a pipe or device: report_special_files
            problems.error(Location(file, 1, 1), _(
                "this file is a link to {target}; only real files are content: put the file"
                " itself here instead of the link", target=link_target(path, root)))
        return False
    if path.resolve() != root.resolve() / path.relative_to(root):
        problems.error(Location(file, 1, 1), _(
            "this file is in a folder that is a link; only real folders of the project hold"
            " content: put the folder itself here instead of the link"))
        return False
    return True


def link_target(path: Path, root: Path) -> str:
    """Where a link points, as editors see it; a place outside the project is not named."""
    target = path.resolve()
    if target.is_relative_to(root.resolve()):
        return f"'{target.relative_to(root.resolve()).as_posix()}'"
    return _("a file outside the project folder")


PROJECT_FOLDERS = ("content", "offers", "translations")  # what a build reads and hashes
SPECIAL_KINDS = {stat.S_IFIFO: N_("a named pipe"), stat.S_IFCHR: N_("a device"),
                 stat.S_IFBLK: N_("a device"), stat.S_IFSOCK: N_("a socket")}


def report_special_files(root: Path, problems: Problems) -> None:
    """Anything in the content folders that is neither a file nor a folder is refused before
    anything is read: reading a named pipe or a link to /dev/zero would never end."""
    for name in PROJECT_FOLDERS:
        report_special(root / name, root, problems)
        for directory, folders, files in os.walk(root / name):
            for entry in (*folders, *files):
                report_special(Path(directory, entry), root, problems)


def special_kind(path: Path) -> str | None:
    """What a path (or the link's target) is if it is neither a file nor a folder."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # missing, or a link to nothing: it is never read
    return SPECIAL_KINDS.get(stat.S_IFMT(mode))


def report_special(path: Path, root: Path, problems: Problems) -> None:
    kind = special_kind(path)
    if kind is None:
        return
    problems.error(Location(path.relative_to(root).as_posix(), 1, 1), _(
        "this is {kind}, not a file; the content folders may hold only ordinary files and"
        " folders: remove it", kind=_(kind)) if not path.is_symlink() else _(
        "this is a link to {kind} ({target}), not a file; the content folders may hold only"
        " ordinary files and folders: remove it", kind=_(kind), target=os.readlink(path)))


def load_file(path: Path, root: Path, kind: str, problems: Problems) -> Document | None:
    file = relative(path, root)
    text = read_text(path, file, problems) if regular_file(path, root, problems) else None
    node = parse_yaml(text, file, problems) if text is not None else None
    if node is None:
        return None
    doc = to_document(node, file, schema.expectation(kind), problems)
    if doc is None or not schema.validate(doc, kind, problems):
        return None
    return doc


def load_dir(folder: Path, root: Path, kind: str, name: re.Pattern[str],
             problems: Problems) -> dict[str, Document]:
    """Every YAML file of a folder, by id (the file name); both .yml and .yaml are read."""
    docs: dict[str, Document] = {}
    seen: dict[str, Path] = {}
    for path in content_files(folder):
        file = relative(path, root)
        if not name.match(path.stem):
            expected = _("YYYY-MM, e.g. 2026-11") if name is MONTH else _(
                "lower-case letters a-z, digits and hyphens, e.g. sprachpaten")
            problems.error(Location(file, 1, 1), bad_file_name(path.stem, expected))
            continue
        if path.stem == "index" and kind in checks.RESERVED_IDS:
            problems.error(Location(file, 1, 1), checks.reserved_id(kind))
            continue
        if path.stem in seen:
            problems.error(Location(file, 1, 1), _(
                "the id '{id}' is used twice (also {other}); the id is the file name, so rename"
                " or remove one of the files", id=path.stem, other=relative(seen[path.stem], root)))
            continue
        seen[path.stem] = path
        doc = load_file(path, root, kind, problems)
        if doc is not None:
            docs[path.stem] = doc
    return docs


def bad_file_name(stem: str, expected: str) -> str:
    """Why a file is not read; a character nobody sees in the name is named."""
    refused = refused_character(stem)
    if refused:
        return _("the file name '{name}' contains {character}; rename the file with {expected};"
                 " the file is not read until it is renamed", name=stem,
                 character=refused[1], expected=expected)
    return _("the file name '{name}' is not valid; name the file with {expected}; the file"
             " is not read until it is renamed", name=stem, expected=expected)


def load_pages(folder: Path, root: Path, problems: Problems) -> dict[str, tuple[Document, str]]:
    """Editorial pages: YAML front matter between '---' lines, then Markdown."""
    pages: dict[str, tuple[Document, str]] = {}
    for path in content_files(folder):
        file = relative(path, root)
        if not ID.match(path.stem):
            problems.error(Location(file, 1, 1), bad_file_name(
                path.stem, _("lower-case letters a-z, digits and hyphens, e.g. ueber-uns.md")))
            continue
        text = read_text(path, file, problems, limit=MAX_PAGE_BYTES) \
            if regular_file(path, root, problems) else None
        page = split_page(text, file, problems) if text is not None else None
        if page is not None:
            pages[path.stem] = page
    return pages


def split_page(text: str, file: str, problems: Problems) -> tuple[Document, str] | None:
    """The front matter (checked against the page schema) and the Markdown body."""
    match = FRONT_MATTER.match(text)
    if not match:
        opened = text.startswith("---")
        problems.error(Location(file, 1, 1), _(
            "the front matter is not closed; add a line '---' after its last 'key: value' line")
            if opened else _("the page has no front matter; start it with a line '---', a line"
                             " 'title: ...' and another line '---'"))
        return None
    if not (match.group(1) or "").strip():
        problems.error(Location(file, 1, 1), _("the front matter between the '---' lines is"
                                               " empty; it needs at least 'title: ...'"))
        return None
    node = parse_yaml(match.group(1), file, problems, line_offset=1)
    doc = to_document(node, file, schema.expectation("page"), problems, line_offset=1) \
        if node is not None else None
    if doc is None or not schema.validate(doc, "page", problems) \
            or refused_in_body(text, match.end(), file, problems):
        return None
    body = text[match.end():].lstrip("\n")
    first_line = text.count("\n", 0, len(text) - len(body)) + 1
    if not markdown_cost.check_page_body(body, file, first_line, problems):
        return None
    return doc, body.strip() + "\n"


def refused_in_body(text: str, start: int, file: str, problems: Problems) -> bool:
    """A page's Markdown is no YAML: the same characters and links are refused here."""
    problem = text_problem(text[start:])
    if problem is None:
        return False
    needle, message = problem
    index = text.index(needle, start)
    line = text.count("\n", 0, index) + 1
    problems.error(Location(file, line, index - text.rfind("\n", 0, index)), message)
    return True


def build_settings(data: dict[str, Any]) -> Settings:
    return Settings(
        name=data["name"],
        short_name=data.get("short_name", data["name"]),
        organisation=data["organisation"],
        city=data["city"],
        base_url=data["base_url"],
        contact=data["contact"],
        service_point=data.get("service_point", ""),
        languages=tuple(Language(l["code"], l["name"], l.get("dir", "ltr"), l.get("formats", ""),
                                 tuple(sorted(l.get("names", {}).items())))
                        for l in data["languages"]),
        categories=tuple(Category(c["id"], c["name"], c["icon"], c.get("description", ""))
                         for c in data["categories"]),
        audiences=tuple(Audience(a["id"], a["name"]) for a in data["audiences"]),
        districts=tuple(data.get("districts", [])),
        area=AreaSettings(**data.get("area", {})),
        programme=ProgrammeSettings(**data.get("programme", {})),
        brochure=build_brochure_settings(data.get("brochure", {})),
        data_licence=DataLicence(**data["data_licence"]) if "data_licence" in data else None,
        example_values=frozenset(data.get("example_values", [])),
        **given_settings(data),
    )


# Settings whose defaults the model takes from the schema: a field and its place in site.yml.
DEFAULTED_SETTINGS = {
    "state": ("state",),
    "timezone": ("timezone",),
    "review_after_months": ("review_after_months",),
    "expiry_warning_days": ("expiry_warning_days",),
    "translations_warn_below": ("translations", "warn_below"),
}


def given_settings(data: dict[str, Any]) -> dict[str, Any]:
    """The settings of DEFAULTED_SETTINGS that site.yml gives; the rest keep their defaults."""
    given = {}
    for name, (*parents, key) in DEFAULTED_SETTINGS.items():
        group = data
        for parent in parents:
            group = group.get(parent, {})
        if key in group:
            given[name] = group[key]
    return given


def build_brochure_settings(data: dict[str, Any]) -> BrochureSettings:
    address = data.get("publisher_address")
    return BrochureSettings(**{**data, "publisher_address": Address(**address) if address
                               else None})


def parse_time(text: str) -> time:
    return time.fromisoformat(text)


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def build_weekly(data: dict[str, list[dict[str, str]]] | None) -> WeeklyHours:
    data = data or {}
    return WeeklyHours(tuple(
        (day, tuple(TimeSlot(parse_time(s["opens"]), parse_time(s["closes"])) for s in data[day]))
        for day in WEEKDAYS if data.get(day)
    ))


def build_phone(data: dict[str, str] | None) -> Phone | None:
    return Phone(data["number"], data.get("label", "")) if data else None


def build_contact(id: str, doc: Document) -> ContactPoint:
    d = doc.data
    hours = d.get("opening_hours", {})
    coords = d.get("coordinates")
    return ContactPoint(
        id=id,
        name=d["name"],
        organisation=d["organisation"],
        address=Address(**d["address"]),
        last_reviewed=date.fromisoformat(d["last_reviewed"]),
        source=doc.where(),
        coordinates=(coords["lat"], coords["lon"]) if coords else None,
        phones=tuple(Phone(p["number"], p.get("label", "")) for p in d.get("phones", [])),
        email=d.get("email", ""),
        website=d.get("website", ""),
        opening_hours=OpeningHours(
            weekly=build_weekly(hours.get("weekly")),
            by_appointment=hours.get("by_appointment", False),
            temporarily_closed=hours.get("temporarily_closed", ""),
            note=hours.get("note", ""),
            exceptions=tuple(
                HoursException(date.fromisoformat(e["from"]), date.fromisoformat(e["until"]),
                               e.get("closed", False), build_weekly(e.get("hours")),
                               e.get("note", ""))
                for e in hours.get("exceptions", [])),
        ),
        languages=tuple(d.get("languages", [])),
        accessibility=d.get("accessibility", ""),
        persons=tuple(Person(p["name"], p["area"], build_phone(p.get("phone")), p.get("email", ""))
                      for p in d.get("persons", [])),
        example_values=frozenset(d.get("example_values", [])),
        public_body=d.get("public_body", False),
    )


def build_offer(id: str, doc: Document) -> Offer:
    d = doc.data
    ww = d.get("where_when", {})
    return Offer(
        id=id,
        title=d["title"],
        summary=d["summary"],
        description=d["description"],
        category=d["category"],
        audience=tuple(d["audience"]),
        languages=tuple(d["languages"]),
        provider=d["provider"],
        cost_free=d["cost"]["free"],
        cost_text=d["cost"].get("text", ""),
        registration_required=d["registration"]["required"],
        registration_how=d["registration"].get("how", ""),
        last_reviewed=date.fromisoformat(d["last_reviewed"]),
        source=doc.where(),
        contacts=tuple(d.get("contacts", [])),
        where_when=WhereWhen(ww.get("place", ""), build_weekly(ww.get("schedule")),
                             ww.get("text", "")),
        district=d.get("district", ""),
        accessibility=d.get("accessibility", ""),
        links=tuple(Link(l["title"], l["url"]) for l in d.get("links", [])),
        valid_from=parse_date(d.get("valid_from")),
        valid_until=parse_date(d.get("valid_until")),
        in_brochure=d.get("in_brochure", True),
        example_values=frozenset(d.get("example_values", [])),
    )


def build_notice(d: dict[str, Any]) -> Notice:
    return Notice(d["id"], d["severity"], d["title"], d["text"], date.fromisoformat(d["from"]),
                  parse_date(d.get("until")))


def build_page(id: str, doc: Document, body: str) -> Page:
    d = doc.data
    return Page(id=id, title=d["title"], body=body, source=doc.where(),
                description=d.get("description", ""), order=d.get("order", 100),
                in_brochure=d.get("in_brochure", False), role=d.get("role", ""))
