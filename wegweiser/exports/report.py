"""Content health: what a KI's staff should look at once a month to keep the portal true.

`build.py report` prints it; every build writes it to build/report.html, for the staff
only: it is internal, so it is not published with the site. Nothing here fails a build:
these are reminders, not errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

from wegweiser import paths
from wegweiser.i18n.catalogs import Coverage, build_template, coverage, creation_time
from wegweiser.i18n.localisation import Translator
from wegweiser.i18n.messages import coverage_texts
from wegweiser.markup import environment
from wegweiser.model import ContactPoint, Content, Offer

TEMPLATES = environment("report")


@dataclass(frozen=True)
class Finding:
    file: str  # the content file to open, e.g. offers/sprachcafe.yml
    what: str  # the offer's or contact point's name
    detail: str


@dataclass(frozen=True)
class Section:
    title: str
    hint: str  # what to do about it
    findings: tuple[Finding, ...]
    all_clear: str


@dataclass(frozen=True)
class FileCoverage:
    file: str
    translated: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.translated / self.total) if self.total else 100


@dataclass(frozen=True)
class LanguageCoverage:
    code: str
    name: str
    overall: Coverage  # counted as `build.py translations --status` counts: each text once
    files: tuple[FileCoverage, ...]  # the worst first

    @property
    def translated(self) -> int:
        return self.overall.translated

    @property
    def total(self) -> int:
        return self.overall.total

    @property
    def percent(self) -> float:
        return self.overall.percent


@dataclass(frozen=True)
class BrochureFile:
    code: str
    file: str
    size: int | None  # bytes; None: not built
    pages: int | None

    @property
    def size_text(self) -> str:
        if self.size is None:
            return "nicht gebaut"
        if self.size < 1_000_000:
            return f"{round(self.size / 1000)} kB"
        return f"{self.size / 1_000_000:.1f} MB".replace(".", ",")


@dataclass(frozen=True)
class Report:
    site: str
    today: date
    sections: tuple[Section, ...]
    coverage: tuple[LanguageCoverage, ...]
    brochures: tuple[BrochureFile, ...]

    @property
    def open_points(self) -> int:
        return sum(len(s.findings) for s in self.sections)


def build_report(content: Content, root: Path, site: Path,
                 pages: Mapping[str, int] | None = None) -> Report:
    """Everything the report shows; `site` is where the brochures of this build are,
    `pages` their page counts by file as the brochure stage recorded them."""
    return Report(
        site=content.settings.name, today=content.today,
        sections=(stale_reviews(content), expiring_offers(content), orphaned_contacts(content),
                  offers_without_route(content), missing_programme(content)),
        coverage=tuple(translation_coverage(content, root)),
        brochures=tuple(brochures(content, site, pages or {})),
    )


def write_report(content: Content, root: Path, site: Path,
                 pages: Mapping[str, int] | None = None) -> Path:
    """build/report.html (not into the site: it is internal); returns its path. `site` is
    the (staging) folder whose brochures it lists, `pages` their page counts."""
    path = root / "build" / "report.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(as_html(build_report(content, root, site, pages)), encoding="utf-8")
    return path


# -- the checks ---------------------------------------------------------------------------


def all_offers(content: Content) -> list[Offer]:
    return sorted((*content.offers, *content.unpublished), key=lambda o: o.id)


def stale_reviews(content: Content) -> Section:
    months = content.settings.review_after_months
    cutoff = content.today - relativedelta(months=months)
    items: list[Offer | ContactPoint] = [*all_offers(content), *content.contacts]
    findings = [Finding(item.source.file, name_of(item),
                        f"zuletzt geprüft am {item.last_reviewed:%d.%m.%Y}"
                        f" (vor {months_between(item.last_reviewed, content.today)} Monaten)")
                for item in items if item.last_reviewed < cutoff]
    return Section(f"Länger als {months} Monate nicht geprüft",
                   "Angaben prüfen und last_reviewed auf das heutige Datum setzen.",
                   tuple(sorted(findings, key=lambda f: f.detail)),
                   "Alle Angebote und Anlaufstellen sind aktuell geprüft.")


def expiring_offers(content: Content) -> Section:
    warn = content.settings.expiry_warning_days
    horizon = content.today + timedelta(days=warn)
    findings = []
    for offer in all_offers(content):
        until, start = offer.valid_until, offer.valid_from
        if until is not None and until < content.today:
            findings.append(Finding(offer.source.file, offer.title,
                                    f"abgelaufen am {until:%d.%m.%Y}, nicht mehr auf der Website"))
        elif until is not None and until <= horizon:
            days = (until - content.today).days
            findings.append(Finding(offer.source.file, offer.title,
                                    f"läuft am {until:%d.%m.%Y} ab (in {days} Tagen)"))
        if start is not None and start > content.today:
            findings.append(Finding(offer.source.file, offer.title,
                                    f"noch nicht veröffentlicht, erscheint ab {start:%d.%m.%Y}"))
    return Section(f"Angebote, die in den nächsten {warn} Tagen ablaufen, abgelaufen oder noch"
                   " nicht veröffentlicht sind",
                   "Verlängern (valid_until) oder die Datei löschen, wenn es das Angebot nicht"
                   " mehr gibt; Termine in der Zukunft nur prüfen.", tuple(findings),
                   "Kein Angebot läuft bald ab.")


def referenced_contacts(content: Content) -> set[str]:
    """Contact points that an offer, the programme or the settings name."""
    found = {content.settings.contact, content.settings.service_point}
    for offer in all_offers(content):
        found.update({offer.provider, offer.where_when.place, *offer.contacts})
    for month in content.programme:
        found.add(month.venue)
        found.update(x for o in month.occurrences for x in (o.host, o.venue))
    return found - {""}


def orphaned_contacts(content: Content) -> Section:
    used = referenced_contacts(content)
    findings = [Finding(c.source.file, c.name, "kein Angebot und kein Programmtermin nennt sie")
                for c in content.contacts if c.id not in used]
    return Section("Anlaufstellen, auf die nichts verweist",
                   "Bei einem Angebot eintragen (provider, contacts oder where_when.place) oder"
                   " die Datei löschen.", tuple(findings),
                   "Jede Anlaufstelle gehört zu einem Angebot oder zum Programm.")


def reachable(contact: ContactPoint) -> bool:
    persons = any(p.phone or p.email for p in contact.persons)
    return bool(contact.phones or contact.email or contact.website or persons)


def offers_without_route(content: Content) -> Section:
    findings = []
    for offer in content.offers:
        ids = {offer.provider, offer.where_when.place, *offer.contacts} - {""}
        if not any(reachable(content.contact(i)) for i in ids):
            findings.append(Finding(offer.source.file, offer.title,
                                    "weder Telefon noch E-Mail noch Website über Träger,"
                                    " Anlaufstellen oder Ort"))
    return Section("Angebote ohne Kontaktweg",
                   "Eine Anlaufstelle mit Telefon, E-Mail oder Website eintragen.",
                   tuple(findings), "Jedes Angebot ist telefonisch, per E-Mail oder online"
                   " erreichbar.")


def missing_programme(content: Content) -> Section:
    have = {m.month for m in content.programme}
    this_month = content.today.replace(day=1)
    findings = []
    for first, label in ((this_month, "dieser Monat"),
                         (this_month + relativedelta(months=1), "nächster Monat")):
        month = f"{first:%Y-%m}"
        if month not in have:
            findings.append(Finding(f"content/programme/{month}.yml", f"Programm {month}",
                                    f"fehlt ({label})"))
    return Section(content.settings.programme.name or "Programm",
                   "Die Datei für den Monat anlegen.",
                   tuple(findings), "Das Programm für diesen und den nächsten Monat ist da.")


def name_of(item: Offer | ContactPoint) -> str:
    return item.title if isinstance(item, Offer) else item.name


def months_between(earlier: date, later: date) -> int:
    delta = relativedelta(later, earlier)
    return delta.years * 12 + delta.months


# -- translations -------------------------------------------------------------------------


def translation_coverage(content: Content, root: Path) -> list[LanguageCoverage]:
    """Per language and per source file: how many of its texts the catalog translates.

    The texts are the ones `build.py translations` extracts; the templates' own strings
    count as one file, "Oberfläche".
    """
    messages = coverage_texts(content, root)
    template = build_template(messages, content.settings, creation_time())
    texts_of = defaultdict(set)  # a text written twice in one file is one text to translate
    for m in messages:
        texts_of["Oberfläche" if m.file.startswith("wegweiser/") else m.file].add(
            (m.context, m.text))
    source = content.settings.source_language.code
    found = []
    for language in content.settings.languages[1:]:
        translator = Translator.load(root, language, source)
        files = sorted((FileCoverage(file, translated_in(translator, texts), len(texts))
                        for file, texts in texts_of.items()),
                       key=lambda f: (f.percent, -f.total, f.file))
        found.append(LanguageCoverage(language.code, language.name,
                                      coverage(template, translator), tuple(files)))
    return found


def translated_in(translator: Translator, texts: set[tuple[str, str]]) -> int:
    """How many of the texts are translated (a fuzzy entry is not)."""
    entries = (translator.entry(context, text) for context, text in texts)
    return sum(1 for e in entries if e is not None and not e.fuzzy)


# -- brochures ----------------------------------------------------------------------------


def brochures(content: Content, site: Path, pages: Mapping[str, int]) -> list[BrochureFile]:
    """Each language's brochure, and its print variant where one was built. The pages are
    those the renderer counted (`pages`, by file): no PDF is opened to count them."""
    found = []
    for language in content.settings.languages:
        for variant in ("", "print"):
            name = paths.brochure(language.code, printed=variant == "print")
            path = site / name
            if path.is_file():
                found.append(BrochureFile(language.code, name, path.stat().st_size,
                                          pages.get(name)))
            elif not variant:
                found.append(BrochureFile(language.code, name, None, None))
    return found


# -- output -------------------------------------------------------------------------------


def as_text(report: Report, worst: int = 5) -> str:
    lines = [f"Inhaltsbericht {report.site}, Stand {report.today:%d.%m.%Y},"
             f" offene Punkte: {report.open_points}", ""]
    for section in report.sections:
        lines.append(f"## {section.title} ({len(section.findings)})")
        if not section.findings:
            lines.append(f"   {section.all_clear}")
        for f in section.findings:
            lines.append(f"   {f.file}: {f.what}: {f.detail}")
        if section.findings:
            lines.append(f"   -> {section.hint}")
        lines.append("")
    lines.append("## Übersetzungen")
    for c in report.coverage:
        lines.append(f"   {c.code} {c.name}: {c.percent:.1f} %"
                     f" ({c.translated} von {c.total} Texten)")
        for f in c.files[:worst]:
            if f.percent < 100:
                lines.append(f"      {f.percent:>3} %  {f.file} ({f.translated}/{f.total})")
    lines += ["", "## Broschüren"]
    for b in report.brochures:
        pages = f", {b.pages} Seiten" if b.pages is not None else ""
        lines.append(f"   {b.file}: {b.size_text}{pages}")
    return "\n".join(lines)


def as_html(report: Report) -> str:
    return TEMPLATES.get_template("report.html.j2").render(report=report)


def run(content: Content, root: Path, site: Path, pages: Mapping[str, int]) -> int:
    """`build.py report`: print the report; the brochures are those of the last build,
    with the pages it recorded (`pipeline.brochure_pages`)."""
    print(as_text(build_report(content, root, site, pages)))
    return 0
