"""The monthly programme flyer: one A4 page per month and language for the notice board
(a long month in smaller type and two columns), and a poster of the same month (A3, read
from 2 m: headline 48 pt, nothing under 14 pt).

A table of the month's dates (cancelled dates struck through and marked, moved dates at
their new day with a note), the venue with its opening hours, and a QR code to the
programme online. Rendered by WeasyPrint as tagged PDF (PDF/UA-1) with the site's fonts.
"""

from __future__ import annotations

import calendar
import os
import re
import shutil
from dataclasses import dataclass, replace
from datetime import date
from itertools import accumulate
from pathlib import Path

import segno
from markupsafe import Markup, escape

from wegweiser import fonts, paths, resources, workers
from wegweiser.cache import KEEP_ENTRIES, flyer_key, least_recently_used
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
from wegweiser.content.sanitize import safe_html
from wegweiser.i18n.bidi import isolate_latin_runs, isolate_ltr_runs, mark_latin_runs, sub_text
from wegweiser.i18n.languages import autonym, latin_stands_out
from wegweiser.i18n.localisation import Localisation, Localized, context
from wegweiser.markup import Fallbacks, environment
from wegweiser.model import (
    ContactPoint,
    Content,
    Language,
    Occurrence,
    ProgrammeMonth,
    confirmed,
)
from wegweiser.pdf import typeset
from wegweiser.pdf.brochure import name_words, unhyphenated
from wegweiser.wording import _

TEMPLATE_DIR = resources.templates("flyer")
TEMPLATES = environment("flyer")


@dataclass(frozen=True)
class Paper:
    """A sheet's size and margins in mm. The CSS takes them from here, and a split of the
    days into columns is measured against them."""

    width: float
    height: float
    margins: tuple[float, float, float]  # top, sides, bottom

    def css(self, tall: bool = False) -> str:
        """The @page rule's size and margins; `tall`: ten sheets high, to measure on."""
        top, sides, bottom = self.margins
        height = self.height * (10 if tall else 1)
        return f"size: {self.width}mm {height}mm; margin: {top}mm {sides}mm {bottom}mm"

    @property
    def text_height(self) -> float:
        """The height inside the margins, in CSS px (what WeasyPrint's anchors are in)."""
        return (self.height - self.margins[0] - self.margins[2]) * PX_PER_MM

    @property
    def top(self) -> float:
        return self.margins[0] * PX_PER_MM


PX_PER_MM = 96 / 25.4
A4 = Paper(210, 297, (11, 13, 9))
A3 = Paper(297, 420, (15, 16, 14))


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

Columns = tuple[tuple["Day", ...], ...]


@dataclass(frozen=True)
class Sheet:
    """A flyer or a poster in one of its sizes: everything but how its days are split.

    Two columns are two lists side by side, split where they come out even: measured by
    laying the days out in one column on a sheet ten times as tall (`split`). WeasyPrint
    balances CSS columns by laying the page out again and again (an Arabic flyer of the
    city's benchmark: 9.5 s, now under 1 s); they remain only for a month too long for one
    page, which flows on."""

    kind: str  # "flyer" or "poster": templates <kind>.html.j2 and <kind>.css
    flyer: Flyer
    style: tuple[tuple[str, object], ...]  # the CSS template's values for this size
    columns: int
    font_css: str

    @property
    def paper(self) -> Paper:
        return A3 if self.kind == "poster" else A4

    @property
    def day_gap(self) -> float:
        """The space below a day in mm, none below a list's last."""
        return 4.0 if self.kind == "poster" else 1.5

    def html(self, columns: Columns | None = None, measure: bool = False,
             flow: int = 1) -> str:
        """The sheet with the days in `columns` (default: all in one), `flow` CSS columns
        each; `measure` gives each day an id and sets it on a tall sheet."""
        rtl = self.flyer.language.rtl
        css = TEMPLATES.get_template(f"{self.kind}.css").render(
            page=self.paper.css(tall=measure), flow=flow, day_gap=self.day_gap,
            start="right" if rtl else "left", end="left" if rtl else "right",
            **dict(self.style))
        return TEMPLATES.get_template(f"{self.kind}.html.j2").render(
            flyer=self.flyer, css=self.font_css + css, columns=columns or (self.flyer.days,),
            table=self.columns == 1 and self.kind == "flyer", measure=measure)

    def split(self) -> tuple[Columns, bool]:
        """The days in two columns as even as they come, and whether the sheet then fits
        on one page, from one layout of the days in one column of the same width."""
        days = self.flyer.days
        page = typeset.render(self.html((days, ()), measure=True), TEMPLATE_DIR).pages[0]
        tops = [page.anchors[f"day-{n}"][1] for n in range(1, len(days) + 1)]
        ends = [*tops[1:], page.anchors["days-end"][1]]
        heights = [end - top for top, end in zip(tops, ends, strict=True)]
        rest = page.anchors["sheet-end"][1] - self.paper.top - sum(heights)
        first = even_split(heights)
        # each height has the space below its day, which a list's last day has not
        longest = max(sum(heights[:first]), sum(heights[first:])) - self.day_gap * PX_PER_MM
        columns = (days[:first], days[first:])
        return columns, rest + longest <= self.paper.text_height + FIT_TOLERANCE

    def laid_out(self, last: bool) -> str | None:
        """The HTML to render, or None where measuring showed it does not fit one page.
        The `last` size is rendered whatever its length, its days flowing on in CSS
        columns where the even split is longer than a page."""
        if self.columns == 1:
            return self.html()
        columns, fits = self.split()
        if fits:
            return self.html(columns)
        return self.html(flow=self.columns) if last else None


# The measure is exact to rounding; the rendering's page count decides in the end.
FIT_TOLERANCE = 0.5  # CSS px


def even_split(heights: list[float]) -> int:
    """How many of the days go into the first column so that the longer of two columns is
    as short as it can be; of two equal splits, the one with the longer first column."""
    total = sum(heights)
    running = [0.0, *accumulate(heights)]
    return min(range(1, len(heights) + 1) if heights else [0],
               key=lambda n: (max(running[n], total - running[n]), -running[n]))


class Sizes(tuple[Sheet, ...]):
    """A flyer's or poster's sheet in each size to try, largest first: the first that
    gives one page is kept. A poster that fits none is left out; a flyer is never left
    out (`keep_last`): if none fits, the last is kept."""

    keep_last: bool = False

    @property
    def source(self) -> str:
        """What the cached PDF is keyed by: every size's HTML with all days in one column."""
        return "".join(sheet.html() for sheet in self)


class FlyerSizes(Sizes):
    keep_last = True


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
    place: Localized | None = None  # where, when not at the month's venue
    place_address: str = ""  # its address, unless that is an example value


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
    """The month's venue as printed: a detail given as an example value (not confirmed) is
    left out, as in the brochure, and `details_online` says where the current ones are."""

    name: Localized
    address: str
    phones: tuple[str, ...]
    email: str
    hours: tuple[tuple[str, str], ...]  # (weekday, "09:00–12:30, 13:30–16:00")
    closures: str  # the days it is closed in the month, listed
    note: Localized | None
    details_online: str = ""  # the venue's web page, where a detail is left out


# The details of a venue the flyer and the poster print; an example value among them is
# left out (README "Example values in print").
PRINTED_VENUE_FIELDS = frozenset({"address", "phones", "email", "opening_hours"})


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
    unconfirmed: str
    comma: str  # between a place's name and its address (Arabic "، ")


def build_labels(loc: Localisation) -> Labels:
    return Labels(
        date=loc.ui("Datum"), time=loc.ui("Uhrzeit"), what=loc.ui("Thema"),
        host=loc.ui("Angeboten von"), languages=loc.ui("Sprachen"),
        registration=loc.ui("Mit Anmeldung"), venue=loc.ui("Ort"),
        hours=loc.ui("Öffnungszeiten"), closed=loc.ui("Geschlossen"), phone=loc.ui("Telefon"),
        email=loc.ui("E-Mail"), qr=loc.ui("QR-Code zum Programm im Internet"),
        online=loc.ui("Das Programm im Internet, auch als Kalender zum Abonnieren:"),
        unconfirmed=loc.ui("Weitere Angaben werden noch bestätigt und stehen im Internet:"),
        comma=loc.formats.comma,
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
    source: str = "de"  # the language of the content's names, streets and addresses
    names_stand_out: bool = False  # whether they are Latin among this language's script
    names: re.Pattern[str] | None = None  # words of proper names, not to be hyphenated
    # The month's introduction, paragraph by paragraph, as on its web page: what the
    # editors say of the month (a closure, or that its dates are only examples).
    intro: tuple[Localized, ...] = ()

    def t(self, text: Localized) -> Markup:
        """A text of the flyer or poster: e-mails and web addresses linked and isolated,
        broken only between their parts, phone numbers kept on one line; German standing in
        for a translation marked (markup.Fallbacks), else isolated and marked as the brochure
        does it (`isolated`); proper names never hyphenated (brochure.unhyphenated)."""
        return self.shown(text, escape(text))

    def paragraph(self, text: Localized) -> Markup:
        """A paragraph of Markdown (the intro), sanitised as everywhere (sanitize.py)."""
        return self.shown(text, Markup(safe_html(text)), "div")

    def shown(self, text: Localized, html: Markup, tag: str = "span") -> Markup:
        html = unbroken_runs(isolate_ltr_runs(html, links=True))
        marks = Fallbacks(self.language, always_dir=True)
        html = marks.mark(text, html, tag) if marks.fell_back(text) else self.isolated(html)
        return unhyphenated(sub_text(html, lambda part, _isolated, linked:
                                     address_parts(part) if linked else part), self.names)

    def isolated(self, html: Markup) -> Markup:
        """Right to left: Latin runs isolated, so "(Service-Point Integration)" keeps its
        brackets paired; where Latin stands out from the language's script, its runs and
        addresses marked as German, for screen readers (as in the brochure)."""
        if self.language.rtl:
            html = isolate_latin_runs(html)
        if not self.names_stand_out:
            return html
        html = mark_latin_runs(html, self.source)  # leaves links out: marked here
        return Markup(str(html).replace("<a href=", f'<a lang="{self.source}" href='))

    @property
    def source_lang(self) -> Markup:
        """` lang="de"` for a street or an address, in another language's flyer."""
        return Fallbacks(self.language).source_attribute(self.source)

    def address(self, address: str) -> Markup:
        """An e-mail or web address of the template, broken only between its parts; a web
        address as printed in the brochure, without "https://" and the trailing slash."""
        return Markup(address_parts(str(escape(paths.printed(address)))))


# Where a web address may break: after "/" (not inside "//"), before "." and "-"; an
# e-mail address only after its "@".
WEB_ADDRESS_BREAK = re.compile(r"(?<=/)(?!/)|(?=[.-])")
EMAIL_BREAK = re.compile(r"(?<=@)")


def address_parts(address: str) -> str:
    """An address (escaped already) as parts that are never broken, with a break allowed
    between them: a part broken at its hyphen ("stadt-" at a line end) or anywhere else
    would read as part of the address, or as hyphenation."""
    email = "@" in address and "/" not in address
    parts = [part for part in (EMAIL_BREAK if email else WEB_ADDRESS_BREAK).split(address)
             if part]
    return "<wbr>".join(f'<span class="unbroken">{part}</span>' for part in parts)


def unbroken_runs(html: Markup) -> Markup:
    """Phone numbers and postcodes with their place, which bidi.isolate_ltr_runs has
    isolated (the runs in a <bdi> outside a link), kept on one line: "02104 99-" at a line
    end and "1234" on the next reads as two numbers."""
    return sub_text(html, lambda text, isolated, linked:
                    f'<span class="unbroken">{text}</span>' if isolated and not linked else text)


def write_flyers(content: Content, root: Path, build: Path, out: Path) -> list[Path]:
    """downloads/programm-YYYY-MM-<lang>.pdf for every language and month from today on.

    A flyer whose HTML is unchanged is copied from the cache in `build`, so a build with
    unchanged content renders no PDF; the others are rendered in parallel processes. A
    poster that fits no size is named in the build's output, and its cache remembers that
    (a .none file), so it is not tried again until its HTML changes."""
    font_css = typeset.print_font_css()
    cache = build / "flyers"
    sources: dict[Path, tuple[Path, Sizes]] = {}  # target: (cached PDF, sizes to try)
    posters: dict[Path, tuple[str, str]] = {}  # target: (month, language)
    for month in flyer_months(content):
        # a month `check` found too long is set in the smallest size at once and gets no
        # poster, as its warning says, instead of trying every size in vain
        flyer_fits, poster_fits = fits_of(month)
        for language in content.settings.languages:
            loc = Localisation.load(root, content.settings, language)
            flyer = build_flyer(content, month, loc)
            sizes: Sizes = flyer_sheets(flyer, font_css, flyer_fits)
            sources[out / paths.flyer(month.month, language.code)] = (
                cache / f"{flyer_key(sizes.source)}.pdf", sizes)
            if poster_fits:
                target = out / paths.poster(month.month, language.code)
                sizes = poster_sheets(flyer, font_css)
                sources[target] = (cache / f"{flyer_key(sizes.source)}.pdf", sizes)
                posters[target] = (month.month, language.code)
    render_missing({pdf: sizes for pdf, sizes in sources.values()
                    if not pdf.exists() and not fits_no_size(pdf).exists()})
    cached = {target: pdf for target, (pdf, sizes) in sources.items()}
    for target, pdf in cached.items():
        if pdf.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(pdf, target)
    prune_cache(cache, [p for pdf in cached.values() for p in (pdf, fits_no_size(pdf))])
    report_left_out([posters[t] for t in posters if not cached[t].exists()])
    return [target for target in sources if target.exists()]


def prune_cache(cache: Path, used: list[Path]) -> None:
    """Flyers of past months or of changed content go, the least recently used first: the
    cache keeps KEEP_ENTRIES times what this build used, so switching back and forth
    between two states, or projects sharing a cache, does not lay them out again."""
    used = [path for path in used if path.exists()]
    for path in used:
        os.utime(path)
    found = [*cache.glob("*.pdf"), *cache.glob("*.none")] if cache.is_dir() else []
    for old in least_recently_used(found, KEEP_ENTRIES * len(used)):
        old.unlink()


def fits_no_size(pdf: Path) -> Path:
    """Beside where a poster's PDF would be cached: the mark that it fits no size."""
    return pdf.with_suffix(".none")


def report_left_out(posters: list[tuple[str, str]]) -> None:
    """Posters the estimate let through (`check` did not warn) that fit no size: typically
    a month of short dates in a script set larger (Arabic, Persian)."""
    by_month: dict[str, list[str]] = {}
    for month, code in posters:
        by_month.setdefault(month, []).append(code)
    for month, codes in by_month.items():
        print(_("No poster for {month} in {languages}: its dates do not fit one A3 page even"
                " in the smallest type; the flyer is made as always.",
                month=month, languages=", ".join(codes)), flush=True)


def render_pdf(sizes: Sizes, path: Path) -> None:
    """The first size that gives one page, else the last if `sizes.keep_last`, else
    nothing but the mark that it fits no size; rendered into a temporary name first, so a
    killed build leaves no half PDF in the cache. Only the size kept is written as PDF:
    a poster of a long month tried its one-column sizes in vain, each written in full."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    for number, sheet in enumerate(sizes, 1):
        last = sizes.keep_last and number == len(sizes)
        with typeset.collection_paused():
            html = sheet.laid_out(last)
            document = None if html is None else typeset.render(html, TEMPLATE_DIR)
            if document is not None and (len(document.pages) == 1 or last):
                typeset.write_document(document, html, TEMPLATE_DIR, partial)
                partial.replace(path)
                return
    partial.unlink(missing_ok=True)  # left by a killed build
    fits_no_size(path).touch()


def render_missing(missing: dict[Path, Sizes]) -> None:
    """The PDFs no earlier build rendered, one process per core."""
    workers.run_jobs(lambda path: render_pdf(missing[path], path), list(missing))


def fits_of(month: ProgrammeMonth) -> tuple[tuple[FlyerFit, ...], bool]:
    """The flyer's sizes worth trying for a month, and whether it gets a poster: by the
    estimates `check` warns with (programme.flyer_lines, programme.poster_lines)."""
    lines = flyer_lines(month)
    if lines > FLYER_LINES:
        flyer_fits = FLYER_FITS[-1:]
    else:
        flyer_fits = FLYER_FITS if lines <= FLYER_TABLE_LINES else FLYER_FITS[1:]
    return flyer_fits, poster_lines(month) <= POSTER_LINES


def flyer_sheets(flyer: Flyer, font_css: str,
                 fits: tuple[FlyerFit, ...] = FLYER_FITS) -> FlyerSizes:
    """The flyer's sheet in each of `fits`, largest first."""
    stack = typeset.print_stack(fonts.STACK_ARABIC if flyer.language.rtl else fonts.STACK_LATIN)
    return FlyerSizes(
        Sheet("flyer", flyer, (("font_stack", stack), ("size", typeset.font_sizes(False)),
                               ("body", fit.body)), fit.columns, font_css)
        for fit in fits)


def poster_sheets(flyer: Flyer, font_css: str) -> Sizes:
    """The poster's sheet in each size of POSTER_FITS, largest first."""
    stack = typeset.print_stack(fonts.STACK_ARABIC if flyer.language.rtl else fonts.STACK_LATIN)
    return Sizes(
        Sheet("poster", flyer, (("font_stack", stack), ("body", fit.body),
                                ("headline", fit.headline),
                                ("subtitle", round(fit.body * 1.6, 1))), fit.columns, font_css)
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
            row = replace(row, place=loc.field(elsewhere, "name"),
                          place_address=elsewhere.address.one_line()
                          if confirmed(elsewhere, "address")
                          else "")
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
        venue=build_venue(content, venue, month, loc),
        url=url,
        qr=segno.make(url, error="m").svg_data_uri(scale=4, border=0),
        stand=loc.ui("Stand: {date}").format(date=formats.month(stand)),
        created=f"{stand.isoformat()}T00:00:00+00:00",
        source=content.settings.source_language.code,
        names_stand_out=latin_stands_out(loc.language),
        names=name_words(content),
        intro=tuple(loc.blocks(month, "intro")),
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


def build_venue(content: Content, venue: ContactPoint, month: ProgrammeMonth,
                loc: Localisation) -> Venue:
    """The venue's details as printed: those given as example values left out, as the
    brochure's contact index does, with its web page named instead."""
    def shown(name: str) -> bool:
        return confirmed(venue, name)

    hours, closures, note = opening_times(venue, month, loc) if shown("opening_hours") \
        else ((), "", None)
    left_out = not all(shown(name) for name in PRINTED_VENUE_FIELDS)
    return Venue(
        name=loc.field(venue, "name"),
        address=venue.address.one_line() if shown("address") else "",
        phones=tuple(p.number for p in venue.phones) if shown("phones") else (),
        email=venue.email if shown("email") else "",
        hours=hours,
        closures=closures,
        note=note,
        details_online=paths.absolute(content.settings.base_url, paths.in_language(
            loc.language.code, paths.contact(venue.id))) if left_out else "",
    )


def opening_times(venue: ContactPoint, month: ProgrammeMonth, loc: Localisation
                  ) -> tuple[tuple[tuple[str, str], ...], str, Localized | None]:
    """The venue's weekly hours, its closures in the month (one text) and its note on
    them."""
    formats = loc.formats
    hours = formats.weekly_hours(venue.opening_hours.weekly)
    first = month.first_day
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    closures = formats.and_list([
        f"{formats.date(e.start)} – {formats.date(e.end)}" if e.end != e.start
        else formats.date(e.start)
        for e in venue.opening_hours.exceptions
        if e.closed and e.start <= last and e.end >= first])
    note = venue.opening_hours.note
    return hours, closures, (
        translated_only(loc.text(context(venue, "opening_hours.note"), note)) if note else None)


def translated_only(text: Localized) -> Localized | None:
    """Free text that is not translated yet is left off the flyer rather than shown in
    German: a notice board has no room for the "not translated yet" note."""
    return None if text.fallback else text

