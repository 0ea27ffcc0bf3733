"""The programme as iCalendar feeds (RFC 5545): programme.ics in German, one per language.

A recurring slot is one VEVENT with an RRULE that ends with its month (each month file is
its own series, UID `<month>-<id>@<domain>`), so a calendar app updates it in place on the
next refresh. Exceptions follow the usual practice of calendar programs:

- a date left out because of a public holiday is an EXDATE: it never existed;
- a cancelled date is an override (same UID, RECURRENCE-ID) with STATUS:CANCELLED and
  "Fällt aus" in the title, not an EXDATE: the subscriber sees that it was cancelled, as
  on the website, instead of a date that silently disappears;
- a moved date is an override with the new time. Neither override is also an EXDATE:
  an EXDATE removes the instance the override refers to, and clients then drop the
  override too.
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vDuration, vRecur

from wegweiser import paths
from wegweiser.content.programme import page_url
from wegweiser.i18n.languages import autonym
from wegweiser.i18n.localisation import Localisation, Localized
from wegweiser.model import WEEKDAYS, Content, Occurrence, ProgrammeMonth, RecurringSlot, confirmed

PRODID = "-//Wegweiser//Programm//DE"
# The stamp of a feed as cached: no build's day (a line of its own is replaced by the day's)
UNSTAMPED = datetime(1970, 1, 1, tzinfo=UTC)
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def write_feeds(content: Content, root: Path, out: Path) -> list[Path]:
    """out/programme.ics (source language) and out/<lang>/programme.ics for every language."""
    written = write_unstamped(content, root, out)
    stamp_feeds(written, feed_stamp(content.today))
    return written


def write_unstamped(content: Content, root: Path, out: Path) -> list[Path]:
    """The feeds with UNSTAMPED as every DTSTAMP: what the build caches, as they show the
    build's day nowhere else; `stamp_feeds` writes the day in."""
    written = []
    for language in content.settings.languages:
        loc = Localisation.load(root, content.settings, language)
        data = programme_calendar(content, loc).to_ical()
        targets = [out / paths.feed(language.code)]
        if language == content.settings.source_language:
            targets.append(out / paths.feed())
        for path in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written.append(path)
    return written


def feed_paths(content: Content, out: Path) -> list[Path]:
    """The feeds `write_unstamped` writes below `out`."""
    return [out / paths.feed(), *(out / paths.feed(lang.code)
                                  for lang in content.settings.languages)]


def stamp_feeds(feeds: list[Path], stamp: datetime) -> None:
    """Every DTSTAMP of `feeds` as `stamp`. A feed may be a link into the build's cache: it
    is replaced, never written in place."""
    unstamped, stamped = (f"\r\nDTSTAMP:{s:%Y%m%dT%H%M%SZ}\r\n".encode()
                          for s in (UNSTAMPED, stamp))
    for path in feeds:
        data = path.read_bytes().replace(unstamped, stamped)
        path.unlink()
        path.write_bytes(data)


def feed_stamp(today: date) -> datetime:
    """DTSTAMP: SOURCE_DATE_EPOCH, else the build's content date, never the wall clock,
    so two builds of the same content give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.combine(today, time(), tzinfo=UTC)


def programme_calendar(content: Content, loc: Localisation) -> Calendar:
    settings = content.settings
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name(content, loc))
    cal.add("x-wr-timezone", settings.timezone)
    cal.add("refresh-interval", vDuration(timedelta(days=1)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    # always a VTIMEZONE: RFC 5545 wants at least one component, even without dates
    first = content.programme[0].first_day if content.programme else content.today
    last = content.programme[-1].first_day if content.programme else content.today
    cal.add_component(Timezone.from_tzid(settings.timezone, first_date=date(first.year, 1, 1),
                                         last_date=date(last.year + 1, 1, 1)))
    for month in content.programme:
        for event in month_events(content, month, loc):
            cal.add_component(event)
    return cal


def calendar_name(content: Content, loc: Localisation) -> str:
    """The programme's name (programme.name), else "<its usual venue> – Programm"."""
    if content.settings.programme.name:
        return loc.programme_name(content.settings)
    point = content.settings.service_point
    name = loc.field(content.contact(point), "name") if point else content.settings.short_name
    return f"{name} – {loc.ui('Programm')}"


def month_events(content: Content, month: ProgrammeMonth, loc: Localisation
                 ) -> Iterator[Event]:
    """Single events, then each slot's series with its overrides."""
    writer = _EventWriter(content, month, loc)
    for occurrence in month.occurrences:
        if not occurrence.recurring:
            yield writer.event(occurrence)
    for slot in month.slots:
        own = [o for o in month.occurrences if o.recurring and o.entry_id == slot.id]
        if not own:
            continue  # every date fell on a holiday
        yield writer.series(slot, own[0])
        for occurrence in own:
            if occurrence.status != "scheduled":
                yield writer.override(slot, occurrence)


class _EventWriter:
    """Turns occurrences of one month into VEVENTs in one language."""

    def __init__(self, content: Content, month: ProgrammeMonth, loc: Localisation):
        self.content, self.month, self.loc = content, month, loc
        self.zone = ZoneInfo(content.settings.timezone)
        # the month's page, unless site.yml marks base_url as an example value: a calendar
        # app would offer the example address as the event's link
        self.url = page_url(content.settings, loc.language.code, month.month) \
            if confirmed(content.settings, "base_url") else ""

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    def event(self, o: Occurrence) -> Event:
        event = Event()
        event.add("uid", o.uid)
        event.add("dtstamp", UNSTAMPED)
        event.add("dtstart", self.at(o.day, o.start))
        event.add("dtend", self.at(o.day, o.end))
        title = self.loc.field(o, "title")
        if o.status == "cancelled":
            title = Localized(f"{self.loc.ui('Fällt aus')}: {title}", title.lang, title.fallback)
        self.add_text(event, "summary", title)
        event.add("description", self.description(o))
        self.add_text(event, "location", self.location(o))
        if self.url:
            event.add("url", self.url)
        event.add("status", "CANCELLED" if o.status == "cancelled" else "CONFIRMED")
        if o.topic:
            event.add("categories", [self.loc.field(o, "topic")])
        venue = self.content.contact(o.venue)
        if venue.coordinates and confirmed(venue, "coordinates"):
            event.add("geo", venue.coordinates)
        return event

    def series(self, slot: RecurringSlot, sample: Occurrence) -> Event:
        """The slot's regular dates: DTSTART on the first, RRULE until the month's end."""
        assert slot.start is not None and slot.end is not None
        regular = replace(sample, day=slot.dates[0], start=slot.start, end=slot.end,
                          status="scheduled", moved_from=None, note="")
        event = self.event(regular)
        event.add("rrule", self.rule(slot))
        if slot.holidays:
            event.add("exdate", [self.at(d, slot.start) for d in slot.holidays])
        return event

    def override(self, slot: RecurringSlot, o: Occurrence) -> Event:
        """A cancelled or moved date of a series: same UID, RECURRENCE-ID of the regular date."""
        assert slot.start is not None
        event = self.event(o)
        event.add("recurrence-id", self.at(o.moved_from or o.day, slot.start))
        return event

    def rule(self, slot: RecurringSlot) -> vRecur:
        rec = slot.recurrence
        day = ICAL_DAYS[WEEKDAYS.index(rec.weekday)]
        first = self.month.first_day
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        end_of_month = self.at(last, time(23, 59, 59))
        until = end_of_month.astimezone(UTC)  # UTC, as RFC 5545 asks with a TZID
        if rec.every == "month":
            return vRecur(freq="MONTHLY", byday=f"{rec.week_of_month}{day}", until=until)
        if rec.every == "2 weeks":
            return vRecur(freq="WEEKLY", interval=2, byday=day, until=until)
        return vRecur(freq="WEEKLY", byday=day, until=until)

    def add_text(self, event: Event, name: str, text: str) -> None:
        lang = text.lang if isinstance(text, Localized) else self.loc.language.code
        event.add(name, str(text), parameters={"LANGUAGE": lang})

    def location(self, o: Occurrence) -> Localized:
        venue = self.content.contact(o.venue)
        name = self.loc.field(venue, "name")
        address = venue.address.one_line() if confirmed(venue, "address") else ""
        parts = [name, self.loc.field(o, "room") if o.room else "", address]
        return Localized(", ".join(p for p in parts if p), name.lang, name.fallback)

    def description(self, o: Occurrence) -> str:
        loc, formats = self.loc, self.loc.formats
        lines = []
        if o.status == "cancelled":
            lines.append(loc.ui("Dieser Termin fällt aus."))
        elif o.status == "moved" and o.moved_from:
            lines.append(loc.ui("Verschoben vom {date}.").format(date=formats.date(o.moved_from)))
        if o.note:
            lines.append(loc.field(o, "note"))
        if o.topic:
            lines.append(f"{loc.ui('Thema')}: {loc.field(o, 'topic')}")
        host = self.content.contact(o.host)
        lines.append(f"{loc.ui('Angeboten von')}: {loc.field(host, 'name')}")
        if o.languages:
            names = ", ".join(autonym(c, loc.languages) for c in o.languages)
            lines.append(f"{loc.ui('Sprachen')}: {names}")
        if o.registration_required:
            how = loc.field(o, "registration_how")
            lines.append(f"{loc.ui('Anmeldung erforderlich')}: {how}")
        else:
            lines.append(loc.ui("Ohne Anmeldung"))
        body = loc.field(o, "description") if o.description else ""
        link = f"\n\n{self.url}" if self.url else ""
        return "\n".join(lines) + (f"\n\n{body}" if body else "") + link
