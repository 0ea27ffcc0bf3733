"""The monthly programme: one file per month, recurring slots expanded to dates.

Recurrences are expanded with dateutil's rrule, the same rules the iCalendar feed
publishes as RRULE; public holidays come from the `holidays` package.
"""

from __future__ import annotations

import calendar
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, available_timezones

import holidays
from dateutil import rrule

from wegweiser import paths
from wegweiser.content.checks import refers
from wegweiser.content.load import Document
from wegweiser.content.schema import format_path
from wegweiser.model import (
    WEEKDAYS,
    ContactPoint,
    Content,
    Occurrence,
    ProgrammeMonth,
    Recurrence,
    RecurringSlot,
    Settings,
    confirmed,
)
from wegweiser.problems import Problems
from wegweiser.wording import _

RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def build_months(docs: dict[str, Document], settings: Settings, contacts: set[str],
                 problems: Problems) -> list[ProgrammeMonth]:
    """Every programme month, expanded and checked; problems are collected."""
    months = [build_month(month, doc, settings, contacts, problems)
              for month, doc in sorted(docs.items())]
    for month in months:
        check_rooms(month, problems)
        check_poster(month, problems)
        check_flyer(month, problems)
    return months


# What the poster's smallest size holds (flyer.POSTER_FITS): 2 columns of about 60 lines of
# 14 pt on A3, each line about 30 characters wide.
POSTER_LINES = 120
POSTER_CHARS_PER_LINE = 30


def poster_lines(month: ProgrammeMonth) -> int:
    """About how many lines the month takes on the poster in its smallest size: its
    introduction, per day its heading and the space below it, per date its title and its
    languages."""
    days = {o.day for o in month.occurrences}
    return 2 * len(days) + intro_lines(month, POSTER_CHARS_PER_LINE) + sum(
        1 + len(o.title) // POSTER_CHARS_PER_LINE + bool(o.languages) for o in month.occurrences)


def intro_lines(month: ProgrammeMonth, chars_per_line: int) -> int:
    """The lines of the month's introduction, printed under the heading."""
    return sum(1 + len(p) // chars_per_line for p in month.intro.split("\n\n") if p.strip())


def check_poster(month: ProgrammeMonth, problems: Problems) -> None:
    """A month too long for the one-page poster gets none; say so before the build."""
    lines = poster_lines(month)
    if lines > POSTER_LINES:
        problems.warning(month.source, _(
            "the programme of {month} has too many dates for the one-page poster (about"
            " {lines} lines, {limit} fit); the build makes the flyer only",
            month=month.month, lines=str(lines), limit=str(POSTER_LINES)))


# What the flyer's smallest size holds (flyer.FLYER_FITS): 2 columns of about 60 lines of
# 8 pt on A4 beside the heading and the venue, each line about 60 characters wide, less
# what a column leaves empty because a day is not split between columns (12 dates on 12
# days with topic, host and 7 languages, about 96 lines, fit in every shipped language;
# 14 such dates do not). A language's name with its separator is about 11 characters.
FLYER_LINES = 100
# The one-column table (the flyer's first size) holds the shipped months (about 65 of these
# lines) in every language, a 12-date month (about 96) in none: a month above this is set
# in two columns at once instead of being laid out as a table in vain (1.5 s a flyer).
FLYER_TABLE_LINES = 80
FLYER_CHARS_PER_LINE = 60
LANGUAGE_NAME_CHARS = 11


def flyer_lines(month: ProgrammeMonth) -> int:
    """About how many lines the month takes on the flyer in its smallest size: its
    introduction; per day its heading and the space below it; per date its time and title,
    topic, note, registration, host and languages, each as long as its German text."""
    days = {o.day for o in month.occurrences}
    return 2 * len(days) + intro_lines(month, FLYER_CHARS_PER_LINE) + sum(
        map(flyer_date_lines, month.occurrences))


def flyer_date_lines(o: Occurrence) -> int:
    texts = [f"00:00–00:00 {o.title}", o.topic, o.note, o.registration_how and
             f"Mit Anmeldung: {o.registration_how}", f"Angeboten von: {o.host}"]
    lines = sum(1 + len(text) // FLYER_CHARS_PER_LINE for text in texts if text)
    return lines + -(-len(o.languages) * LANGUAGE_NAME_CHARS // FLYER_CHARS_PER_LINE)


def check_flyer(month: ProgrammeMonth, problems: Problems) -> None:
    """A month too long for one A4 page even in the flyer's smallest size is printed on two:
    say so before the build."""
    lines = flyer_lines(month)
    if lines > FLYER_LINES:
        problems.warning(month.source, _(
            "the programme of {month} has too many dates for the one-page flyer (about {lines}"
            " lines in the smallest type, {limit} fit); the flyer will have two pages: shorten"
            " titles, topics and notes or move dates to another month",
            month=month.month, lines=str(lines), limit=str(FLYER_LINES)))


def exists_in(day: date, moment: time, zone: ZoneInfo) -> bool:
    """False for a wall-clock time the zone skips; it comes back changed from UTC."""
    local = datetime.combine(day, moment, tzinfo=zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == \
        local.replace(tzinfo=None)


@cache
def public_holidays(state: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("DE", subdiv=state, years=year, language="de"))


def build_month(month: str, doc: Document, settings: Settings, contacts: set[str],
                problems: Problems) -> ProgrammeMonth:
    data = doc.data
    year, number = int(month[:4]), int(month[5:])
    first = date(year, number, 1)
    last = date(year, number, calendar.monthrange(year, number)[1])
    context = _Context(month, doc, settings, contacts, problems, first, last)
    context.refer(("venue",))
    occurrences: list[Occurrence] = []
    for i, event in enumerate(data.get("events", [])):
        occurrences.extend(context.single(i, event))
    slots = []
    for i, entry in enumerate(data.get("recurring", [])):
        slot, expanded = context.recurring(i, entry)
        slots.append(slot)
        occurrences.extend(expanded)
    occurrences.sort(key=lambda o: (o.day, o.start, o.title))
    return ProgrammeMonth(month, data["venue"], doc.where(), tuple(occurrences), tuple(slots),
                          data.get("intro", ""))


class _Context:
    """The state needed while one month file is expanded and checked."""

    def __init__(self, month: str, doc: Document, settings: Settings, contacts: set[str],
                 problems: Problems, first: date, last: date):
        self.month, self.doc, self.contacts, self.problems = month, doc, contacts, problems
        self.first, self.last = first, last
        self.domain = uid_domain(settings)
        self.holidays = public_holidays(settings.state, first.year)
        self.ids: dict[str, tuple[Any, ...]] = {}
        # an unknown zone is reported with the settings; its times are not checked then
        self.zone = ZoneInfo(settings.timezone) if settings.timezone in available_timezones() \
            else None

    def refer(self, path: tuple[Any, ...]) -> None:
        refers(self.doc, path, self.contacts, "contact", self.problems)

    def uid(self, entry_id: str) -> str:
        return f"{self.month}-{entry_id}@{self.domain}"

    def occurrence(self, entry: dict[str, Any], path: tuple[Any, ...], day: date,
                   **changes: Any) -> Occurrence:
        registration = entry.get("registration", {})
        values: dict[str, Any] = dict(
            uid=self.uid(entry["id"]), entry_id=entry["id"], day=day,
            start=time.fromisoformat(entry["start"]), end=time.fromisoformat(entry["end"]),
            title=entry["title"], host=entry["host"],
            venue=entry.get("venue", self.doc.data["venue"]), source=self.doc.where(path),
            topic=entry.get("topic", ""), room=entry.get("room", ""),
            languages=tuple(entry.get("languages", [])),
            registration_required=registration.get("required", False),
            registration_how=registration.get("how", ""),
            description=entry.get("description", ""),
        )
        values.update(changes)
        for key in ("start", "end"):
            self.check_clock(values["day"], values[key], path + (key,))
        return Occurrence(**values)

    def check_clock(self, day: date, moment: time, path: tuple[Any, ...]) -> None:
        """A time skipped when the clocks go forward (02:30 on the last Sunday of March in
        Europe/Berlin) would be published as another hour in calendars and JSON-LD."""
        if self.zone is None or exists_in(day, moment, self.zone):
            return
        self.problems.error(self.doc.where(path), _(
            "{time} does not exist on {date}: the clocks go forward that night ({zone}); choose"
            " another time", time=f"{moment:%H:%M}", date=day.isoformat(), zone=self.zone.key),
            format_path(path))

    def check_entry(self, entry: dict[str, Any], path: tuple[Any, ...]) -> None:
        self.ids.setdefault(entry["id"], path)
        self.refer(path + ("host",))
        if "venue" in entry:
            self.refer(path + ("venue",))
        if entry["end"] <= entry["start"]:
            self.problems.error(self.doc.where(path + ("end",)), _(
                "end ({end}) is not after start ({start})", end=entry["end"],
                start=entry["start"]), format_path(path + ("end",)))

    def inside(self, day: date, path: tuple[Any, ...]) -> bool:
        if self.first <= day <= self.last:
            return True
        self.problems.error(self.doc.where(path), _(
            "{date} is not in {month}; this file holds the programme of {month} only",
            date=day.isoformat(), month=self.month), format_path(path))
        return False

    def single(self, i: int, event: dict[str, Any]) -> list[Occurrence]:
        path = ("events", i)
        self.check_duplicate(event["id"], path)
        self.check_entry(event, path)
        day = date.fromisoformat(event["date"])
        if not self.inside(day, path + ("date",)):
            return []
        if day in self.holidays and not event.get("on_holiday"):
            self.problems.warning(self.doc.where(path + ("date",)), _(
                "{date} is a public holiday ({holiday}); write on_holiday: true if the event"
                " really takes place", date=day.isoformat(), holiday=self.holidays[day]),
                format_path(path + ("date",)))
        return [self.occurrence(event, path, day, status=event.get("status", "scheduled"),
                                note=event.get("note", ""))]

    def recurring(self, i: int, entry: dict[str, Any]) -> tuple[RecurringSlot, list[Occurrence]]:
        path = ("recurring", i)
        self.check_duplicate(entry["id"], path)
        self.check_entry(entry, path)
        recurrence = _recurrence(entry["repeat"])
        regular = self.expand(recurrence, path)
        exceptions = self.exceptions(entry, path, regular)
        # An exception on a holiday is the editor's explicit word for that day: no warning.
        skipped = self.holidays_in([d for d in regular if d not in exceptions], entry, path)
        occurrences = []
        for day in regular:
            j, exc = exceptions.get(day, (None, None))
            if day in skipped:
                continue
            if exc is None:
                occurrences.append(self.occurrence(entry, path, day, recurring=True))
            elif exc["status"] == "cancelled":
                here = path + ("exceptions", j)
                occurrences.append(self.occurrence(entry, here, day, recurring=True,
                                                   status="cancelled", note=exc.get("note", "")))
            else:
                occurrences.extend(self.moved(entry, path + ("exceptions", j), day, exc))
        exdates = tuple(sorted({*skipped, *exceptions}))
        slot = RecurringSlot(entry["id"], recurrence, tuple(regular), exdates,
                             start=time.fromisoformat(entry["start"]),
                             end=time.fromisoformat(entry["end"]), holidays=tuple(sorted(skipped)))
        return slot, occurrences

    def exceptions(self, entry: dict[str, Any], path: tuple[Any, ...],
                   regular: list[date]) -> dict[date, tuple[int, dict[str, Any]]]:
        """The exceptions by regular date; unknown and repeated dates are errors."""
        found: dict[date, tuple[int, dict[str, Any]]] = {}
        for j, exc in enumerate(entry.get("exceptions", [])):
            here = path + ("exceptions", j, "date")
            day = date.fromisoformat(exc["date"])
            if day in found:
                line = self.doc.where(path + ("exceptions", found[day][0], "date")).line
                self.problems.error(self.doc.where(here), _(
                    "{date} has two exceptions (first on line {line}); keep one",
                    date=exc["date"], line=line), format_path(here))
            elif day not in regular:
                dates = ", ".join(d.isoformat() for d in regular) or _("none")
                self.problems.error(self.doc.where(here), _(
                    "{date} is not a date of this slot (its dates in {month}: {dates})",
                    date=exc["date"], month=self.month, dates=dates), format_path(here))
            else:
                found[day] = (j, exc)
            if exc["status"] == "cancelled" and "moved_to" in exc:
                there = path + ("exceptions", j, "moved_to")
                self.problems.warning(self.doc.where(there), _(
                    "moved_to is ignored because the status is cancelled; write status: moved"
                    " to move the date"), format_path(there))
        return found

    def moved(self, entry: dict[str, Any], path: tuple[Any, ...], day: date,
              exc: dict[str, Any]) -> list[Occurrence]:
        target = exc["moved_to"]
        new_day = date.fromisoformat(target["date"])
        if not self.inside(new_day, path + ("moved_to", "date")):
            return []
        start = time.fromisoformat(target.get("start", entry["start"]))
        end = time.fromisoformat(target.get("end", entry["end"]))
        if end <= start:
            self.problems.error(self.doc.where(path + ("moved_to",)), _(
                "the moved date ends ({end}) before it starts ({start})",
                end=f"{end:%H:%M}", start=f"{start:%H:%M}"), format_path(path + ("moved_to",)))
        if new_day in self.holidays:
            here = path + ("moved_to", "date")
            self.problems.warning(self.doc.where(here), _(
                "{date} is a public holiday ({holiday})", date=new_day.isoformat(),
                holiday=self.holidays[new_day]), format_path(here))
        return [self.occurrence(entry, path, new_day, start=start, end=end, status="moved",
                                moved_from=day, note=exc.get("note", ""), recurring=True)]

    def expand(self, recurrence: Recurrence, path: tuple[Any, ...]) -> list[date]:
        weekday = RRULE_DAYS[WEEKDAYS.index(recurrence.weekday)]
        start = datetime.combine(self.first, time())
        until = datetime.combine(self.last, time())
        if recurrence.every == "month":
            rule = rrule.rrule(rrule.MONTHLY, dtstart=start, until=until,
                               byweekday=weekday(recurrence.week_of_month))
        elif recurrence.every == "2 weeks":
            assert recurrence.first is not None
            if recurrence.first.weekday() != WEEKDAYS.index(recurrence.weekday):
                here = path + ("repeat", "first")
                self.problems.error(self.doc.where(here), _(
                    "{date} is not a {weekday}", date=recurrence.first,
                    weekday=recurrence.weekday), format_path(here))
                return []
            if recurrence.first > self.last:
                here = path + ("repeat", "first")
                self.problems.error(self.doc.where(here), _(
                    "{date} is after {month}; the slot would have no dates in this month",
                    date=recurrence.first, month=self.month), format_path(here))
                return []
            rule = rrule.rrule(rrule.WEEKLY, interval=2, until=until,
                               dtstart=datetime.combine(recurrence.first, time()))
        else:
            rule = rrule.rrule(rrule.WEEKLY, dtstart=start, until=until, byweekday=weekday)
        return [d.date() for d in rule if d >= start]

    def holidays_in(self, regular: list[date], entry: dict[str, Any],
                    path: tuple[Any, ...]) -> set[date]:
        """Regular dates on public holidays: left out (warned), unless the editor keeps them."""
        found = {d for d in regular if d in self.holidays}
        if entry.get("on_holidays", "skip") == "keep":
            return set()
        for day in sorted(found):
            self.problems.warning(self.doc.where(path + ("repeat",)), _(
                "{date} is a public holiday ({holiday}); the slot '{id}' is left out that day"
                " (write on_holidays: keep to hold it anyway)", date=day.isoformat(),
                holiday=self.holidays[day], id=entry["id"]), format_path(path + ("repeat",)))
        return found

    def check_duplicate(self, entry_id: str, path: tuple[Any, ...]) -> None:
        if entry_id in self.ids:
            line = self.doc.where(self.ids[entry_id] + ("id",)).line
            self.problems.error(self.doc.where(path + ("id",)), _(
                "the id '{id}' is used twice in this month (first on line {line})",
                id=entry_id, line=line), format_path(path + ("id",)))


def _recurrence(repeat: dict[str, Any]) -> Recurrence:
    first = repeat.get("first")
    return Recurrence(repeat["weekday"], repeat["every"], repeat.get("week_of_month", 0),
                      date.fromisoformat(first) if first else None)


def check_rooms(month: ProgrammeMonth, problems: Problems) -> None:
    """Two dates in the same room at overlapping times are a warning (not an error: a
    room may be big enough, but usually one of the two times is a typing mistake)."""
    by_room: dict[tuple[str, str, date], list[Occurrence]] = defaultdict(list)
    for o in month.occurrences:
        if o.status != "cancelled":
            by_room[(o.venue, o.room, o.day)].append(o)
    for (_venue, room, _day), items in sorted(by_room.items()):
        items.sort(key=lambda o: (o.start, o.end))
        for n, later in enumerate(items[1:], 1):
            earlier = next((a for a in items[:n] if a.end > later.start), None)
            if earlier is None:
                continue
            fields = dict(title=later.title, date=later.day.isoformat(),
                          times=f"{later.start:%H:%M}-{later.end:%H:%M}", other=earlier.title,
                          other_times=f"{earlier.start:%H:%M}-{earlier.end:%H:%M}", room=room)
            problems.warning(later.source, _(
                "'{title}' on {date} ({times}) overlaps '{other}' ({other_times}) in the same"
                " room '{room}'", **fields) if room else _(
                "'{title}' on {date} ({times}) overlaps '{other}' ({other_times}) in the same"
                " place (no room given)", **fields))


def check_closures(months: list[ProgrammeMonth], contacts: dict[str, ContactPoint],
                   problems: Problems) -> None:
    """A date on a day its venue is closed (holidays of the venue, a closure for building
    works) is a warning: usually the date was copied from the month before."""
    for month in months:
        for o in month.occurrences:
            venue = contacts.get(o.venue)
            closure = venue and closed_on(venue, o.day)
            if o.status != "cancelled" and closure:
                problems.warning(o.source, _(
                    "'{title}' on {date}: {venue} is closed that day ({reason}); cancel the"
                    " date or choose another day", title=o.title, date=o.day.isoformat(),
                    venue=o.venue, reason=closure))


def closed_on(venue: ContactPoint, day: date) -> str:
    """Why the venue is closed on that day, or '' if it isn't."""
    hours = venue.opening_hours
    if hours.temporarily_closed:
        return hours.temporarily_closed
    for exception in hours.exceptions:
        if exception.closed and exception.start <= day <= exception.end:
            return exception.note or f"{exception.start.isoformat()} – {exception.end.isoformat()}"
    return ""


def this_month(content: Content) -> date:
    """The first day of the build's month: where the programme and the flyers start."""
    return content.today.replace(day=1)


def flyer_months(content: Content) -> list[ProgrammeMonth]:
    """The months a notice board needs: this month and every later month with a file."""
    return [m for m in content.programme if m.first_day >= this_month(content)]


UPCOMING = 5  # dates of the programme on the home page


def upcoming(content: Content, count: int = UPCOMING) -> list[Occurrence]:
    """The home page's list: the next `count` dates that take place from the build's day on,
    with the cancelled dates among them. A reader who knows a weekly slot must see that it
    falls out, struck through as on the month page, rather than find it missing."""
    dates = sorted((o for m in content.programme for o in m.occurrences
                    if o.day >= content.today), key=lambda o: (o.day, o.start))
    shown: list[Occurrence] = []
    taking_place = 0
    for o in dates:
        if taking_place == count or len(shown) == 2 * count:  # a month of cancellations
            break
        shown.append(o)
        taking_place += o.status != "cancelled"
    return shown


def page_url(settings: Settings, language: str, month: str) -> str:
    """Where the website shows a month (feeds and flyers link it)."""
    return paths.absolute(settings.base_url, paths.in_language(language, paths.month(month)))


def uid_domain(settings: Settings) -> str:
    """The part after @ of the programme's UIDs (iCalendar feeds, open data).

    A UID must exist and stay the same while a date does, so a calendar app updates the
    event in place; RFC 5545 suggests the publisher's domain on the right, to keep it
    unique. While site.yml marks base_url as an example value, that domain is no fact and
    is not published: the right part is then a digest of base_url below the reserved
    .invalid domain (RFC 6761), stable as long as base_url is. Once the mark is removed
    the UIDs change once, and a calendar that refreshes the feed replaces its events.
    """
    if not confirmed(settings, "base_url"):
        digest = uuid.uuid5(uuid.NAMESPACE_URL, settings.base_url).hex[:16]
        return f"{digest}.invalid"
    return urlsplit(settings.base_url).hostname or "localhost"

