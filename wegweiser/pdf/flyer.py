"""The monthly programme flyer: one A4 page per month and language for the notice board
(a long month in smaller type and two columns), and a poster of the same month (A3, read
from 2 m: headline 48 pt, nothing under 14 pt).

A table of the month's dates (cancelled dates struck through and marked, moved dates at
their new day with a note), the venue with its opening hours, and a QR code to the
programme online. Rendered by WeasyPrint as tagged PDF (PDF/UA-1) with the site's fonts.
"""

from __future__ import annotations

import calendar
import shutil
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import segno
from markupsafe import Markup, escape

from wegweiser import fonts, paths, resources, workers
from wegweiser.cache import flyer_key
from wegweiser.content.programme import (
    FLYER_LINES,
    FLYER_TABLE_LINES,
    POSTER_LINES,
    flyer_lines,
    flyer_months,
    page_url,
    poster_lines,
    this_month,
)
from wegweiser.i18n.bidi import isolate_latin_runs, isolate_ltr_runs
from wegweiser.i18n.languages import autonym
from wegweiser.i18n.localisation import Localisation, Localized, context
from wegweiser.markup import Fallbacks, environment
from wegweiser.model import ContactPoint, Content, Language, Occurrence, ProgrammeMonth
from wegweiser.pdf import typeset

TEMPLATE_DIR = resources.templates("flyer")
TEMPLATES = environment("flyer")


@dataclass(frozen=True)
class PosterFit:
    """A size and a column count the poster is tried with, largest first."""

    body: float  # points
    columns: int

    @property
    def headline(self) -> float:
        return max(48.0, self.body * 3)


# Tried in turn until the month fits on one A3 page; the last is the smallest the poster
# may be set in (14 pt body). A month that does not fit even so gets no poster (`check`
# warns about it: programme.poster_fits).
POSTER_FITS = (PosterFit(20, 1), PosterFit(17, 1), PosterFit(17, 2), PosterFit(14, 2))


@dataclass(frozen=True)
class FlyerFit:
    """A body size and a layout the flyer is tried with: one column is the table of dates,
    two columns the same dates as a list (host and languages under the title)."""

    body: float  # points, before typeset.font_size raises it to SMALLEST_PT
    columns: int


# Tried in turn until the month fits on one A4 page; the last is the smallest the flyer may
# be set in (8 pt, typeset.SMALLEST_PT, for body and details alike). A month that does not
# fit even so is printed on two pages in that size (`check` warns about it:
# programme.check_flyer).
FLYER_FITS = (FlyerFit(9.5, 1), FlyerFit(9, 2), FlyerFit(8, 2))


class FlyerSizes(tuple[str, ...]):
    """A flyer's HTML in each of FLYER_FITS. Like a poster's, the first that gives one page
    is kept; unlike a poster, a flyer is never left out: if none fits, the last is kept."""


@dataclass(frozen=True)
class Row:
    """One date of the table, in the reader's language."""

    time: str
    title: Localized
    topic: Localized | None
    host: Localized
    languages: tuple[tuple[str, str], ...]  # (code, name in that language)
    status: str
    note: str  # what changed, e.g. "fällt aus" or "verschoben vom 30. Dezember 2026"
    reason: Localized | None  # the editor's note
    registration: Localized | None
    place: str = ""  # where, when not at the month's venue


@dataclass(frozen=True)
class Day:
    label: str  # e.g. "Dienstag, 1. Dezember 2026"
    rows: tuple[Row, ...]
    date: str = ""  # the end of the label that must not wrap, e.g. "1. Dezember 2026"

    @property
    def lead(self) -> str:
        """The label before `date`, e.g. "Dienstag, "."""
        return self.label.removesuffix(self.date)


@dataclass(frozen=True)
class Venue:
    name: Localized
    address: str
    phones: tuple[str, ...]
    email: str
    hours: tuple[tuple[str, str], ...]  # (weekday, "09:00–12:30, 13:30–16:00")
    closures: tuple[str, ...]
    note: Localized | None


@dataclass(frozen=True)
class Labels:
    """The flyer's fixed words in the reader's language."""

    date: str
    time: str
    what: str
    host: str
    languages: str
    registration: str
    venue: str
    hours: str
    closed: str
    phone: str
    email: str
    qr: str
    online: str


def build_labels(loc: Localisation) -> Labels:
    return Labels(
        date=loc.ui("Datum"), time=loc.ui("Uhrzeit"), what=loc.ui("Thema"),
        host=loc.ui("Angeboten von"), languages=loc.ui("Sprachen"),
        registration=loc.ui("Mit Anmeldung"), venue=loc.ui("Ort"),
        hours=loc.ui("Öffnungszeiten"), closed=loc.ui("Geschlossen"), phone=loc.ui("Telefon"),
        email=loc.ui("E-Mail"), qr=loc.ui("QR-Code zum Programm im Internet"),
        online=loc.ui("Das Programm im Internet, auch als Kalender zum Abonnieren:"),
    )


@dataclass(frozen=True)
class Flyer:
    language: Language
    title: str
    labels: Labels
    heading: Localized
    subtitle: str
    days: tuple[Day, ...]
    venue: Venue
    url: str
    qr: str  # data: URI of an SVG
    stand: str
    created: str

    def t(self, text: Localized) -> Markup:
        """A text of the flyer or poster: e-mails and web addresses linked and isolated;
        German standing in for a translation marked (markup.Fallbacks), else, in right-to-left
        text, Latin runs isolated so "(Service-Point Integration)" keeps its brackets paired."""
        html = isolate_ltr_runs(escape(text), links=True)
        marks = Fallbacks(self.language, always_dir=True)
        if marks.fell_back(text):
            return marks.mark(text, html)
        return isolate_latin_runs(html) if self.language.rtl else html


def write_flyers(content: Content, root: Path, build: Path, out: Path) -> list[Path]:
    """downloads/programm-YYYY-MM-<lang>.pdf for every language and month from today on.

    A flyer whose HTML is unchanged is copied from the cache in `build`, so a build with
    unchanged content renders no PDF; the others are rendered in parallel processes."""
    font_css = typeset.print_font_css()
    cache = build / "flyers"
    sources: dict[Path, tuple[Path, str]] = {}  # target: (cached PDF, HTML)
    for month in flyer_months(content):
        # a month `check` found too long is set in the smallest size at once and gets no
        # poster, as its warning says, instead of trying every size in vain
        flyer_fits, poster_fits = fits_of(month)
        for language in content.settings.languages:
            loc = Localisation.load(root, content.settings, language)
            flyer = build_flyer(content, month, loc)
            html = flyer_htmls(flyer, font_css, flyer_fits)
            target = out / paths.flyer(month.month, language.code)
            sources[target] = (cache / f"{flyer_key(''.join(html))}.pdf", html)
            if poster_fits:
                posters = poster_htmls(flyer, font_css)
                target = out / paths.poster(month.month, language.code)
                sources[target] = (cache / f"{flyer_key(''.join(posters))}.pdf", posters)
    render_missing({pdf: html for pdf, html in sources.values() if not pdf.exists()})
    for target, (pdf, _) in sources.items():
        if not pdf.exists():  # a poster that fits no size (check warns about the month)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target)
    used = {pdf for pdf, _ in sources.values()}
    for old in cache.glob("*.pdf") if cache.is_dir() else []:
        if old not in used:
            old.unlink()  # flyers of past months or of changed content
    return [target for target in sources if target.exists()]


def render_pdf(html: str | tuple[str, ...], path: Path) -> None:
    """Render into a temporary name first: a killed build leaves no half PDF in the cache.

    A tuple holds a poster's HTML in each of POSTER_FITS: the first that gives one page is
    kept; if none does, no PDF is written. FlyerSizes: the same, but the last is kept."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    candidates = (html,) if isinstance(html, str) else html
    for number, candidate in enumerate(candidates, 1):
        last = number == len(candidates) and isinstance(html, str | FlyerSizes)
        if typeset.write_pdf(candidate, TEMPLATE_DIR, partial) == 1 or last:
            partial.replace(path)
            return
    partial.unlink()


def render_missing(missing: dict[Path, str | tuple[str, ...]]) -> None:
    """The PDFs no earlier build rendered, one process per core."""
    workers.run_jobs(lambda path: render_pdf(missing[path], path), list(missing))


def flyer_html(flyer: Flyer, font_css: str, fit: FlyerFit = FLYER_FITS[0]) -> str:
    stack = typeset.print_stack(fonts.STACK_ARABIC if flyer.language.rtl else fonts.STACK_LATIN)
    css = TEMPLATES.get_template("flyer.css").render(
        font_stack=stack, size=typeset.font_sizes(False), body=fit.body, columns=fit.columns)
    return TEMPLATES.get_template("flyer.html.j2").render(flyer=flyer, css=font_css + css,
                                                          columns=fit.columns)


def fits_of(month: ProgrammeMonth) -> tuple[tuple[FlyerFit, ...], bool]:
    """The flyer's sizes worth trying for a month, and whether it gets a poster: by the
    estimates `check` warns with (programme.flyer_lines, programme.poster_lines)."""
    lines = flyer_lines(month)
    if lines > FLYER_LINES:
        flyer_fits = FLYER_FITS[-1:]
    else:
        flyer_fits = FLYER_FITS if lines <= FLYER_TABLE_LINES else FLYER_FITS[1:]
    return flyer_fits, poster_lines(month) <= POSTER_LINES


def flyer_htmls(flyer: Flyer, font_css: str,
                fits: tuple[FlyerFit, ...] = FLYER_FITS) -> FlyerSizes:
    """The flyer's HTML in each of `fits`, largest first."""
    return FlyerSizes(flyer_html(flyer, font_css, fit) for fit in fits)


def poster_htmls(flyer: Flyer, font_css: str) -> tuple[str, ...]:
    """The poster's HTML in each size of POSTER_FITS, largest first."""
    stack = typeset.print_stack(fonts.STACK_ARABIC if flyer.language.rtl else fonts.STACK_LATIN)
    return tuple(
        TEMPLATES.get_template("poster.html.j2").render(flyer=flyer, css=font_css + (
            TEMPLATES.get_template("poster.css").render(
                font_stack=stack, body=fit.body, headline=fit.headline,
                subtitle=round(fit.body * 1.6, 1), columns=fit.columns)))
        for fit in POSTER_FITS)


def build_flyer(content: Content, month: ProgrammeMonth, loc: Localisation) -> Flyer:
    formats = loc.formats
    venue = content.contact(month.venue)
    name = loc.field(venue, "name")
    subtitle = loc.ui("Programm {month}").format(month=formats.month(month.first_day))
    url = page_url(content.settings, loc.language.code, month.month)
    days: dict[date, list[Row]] = {}
    for occurrence in month.occurrences:
        row = build_row(content, occurrence, loc)
        if occurrence.venue != month.venue:
            elsewhere = content.contact(occurrence.venue)
            row = replace(row, place=f"{loc.field(elsewhere, 'name')},"
                                     f" {elsewhere.address.one_line()}")
        days.setdefault(occurrence.day, []).append(row)
    # "Stand" is the month the flyer is made in, the first it lists: the flyer stays the
    # same file from day to day while its content does not change.
    stand = this_month(content)
    return Flyer(
        language=loc.language,
        title=f"{name} – {subtitle}",
        labels=build_labels(loc),
        heading=name,
        subtitle=subtitle,
        days=tuple(build_day(d, rows, loc) for d, rows in days.items()),
        venue=build_venue(venue, month, loc),
        url=url,
        qr=segno.make(url, error="m").svg_data_uri(scale=4, border=0),
        stand=loc.ui("Stand: {date}").format(date=formats.month(stand)),
        created=f"{stand.isoformat()}T00:00:00+00:00",
    )


def build_day(day: date, rows: list[Row], loc: Localisation) -> Day:
    """A day's label; its date part (the label's end, where the locale puts it there) is
    kept on one line, so the year does not wrap on its own."""
    label, short = loc.formats.weekday_date(day), loc.formats.date(day)
    return Day(label, tuple(rows), short if label.endswith(short) else "")


def build_row(content: Content, o: Occurrence, loc: Localisation) -> Row:
    formats = loc.formats
    note = ""
    if o.status == "cancelled":
        note = loc.ui("fällt aus")
    elif o.status == "moved" and o.moved_from:
        note = loc.ui("verschoben vom {date}").format(date=formats.date(o.moved_from))
    registration = None
    if o.registration_required:
        registration = loc.field(o, "registration_how")
    return Row(
        # no break inside "10:00 ص"; the dash still lets a long range wrap (UAX #14)
        time=formats.time_range(o.start, o.end).replace(" ", "\u00a0"),
        title=loc.field(o, "title"),
        topic=loc.field(o, "topic") if o.topic and o.topic != o.title else None,
        host=loc.field(content.contact(o.host), "name"),
        languages=tuple((code, autonym(code, loc.languages)) for code in o.languages),
        status=o.status,
        note=note,
        reason=translated_only(loc.field(o, "note")) if o.note else None,
        registration=registration,
    )


def build_venue(venue: ContactPoint, month: ProgrammeMonth, loc: Localisation) -> Venue:
    formats = loc.formats
    hours = tuple(
        (formats.weekday(day), ", ".join(formats.time_range(s.opens, s.closes) for s in slots))
        for day, slots in venue.opening_hours.weekly.days)
    first = month.first_day
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    closures = tuple(
        f"{formats.date(e.start)} – {formats.date(e.end)}" if e.end != e.start
        else formats.date(e.start)
        for e in venue.opening_hours.exceptions
        if e.closed and e.start <= last and e.end >= first)
    note = venue.opening_hours.note
    return Venue(
        name=loc.field(venue, "name"),
        address=venue.address.one_line(),
        phones=tuple(p.number for p in venue.phones),
        email=venue.email,
        hours=hours,
        closures=closures,
        note=translated_only(loc.text(context(venue, "opening_hours.note"), note)) if note
        else None,
    )


def translated_only(text: Localized) -> Localized | None:
    """Free text that is not translated yet is left off the flyer rather than shown in
    German: a notice board has no room for the "not translated yet" note."""
    return None if text.fallback else text

