"""The Service-Point programme: one file per month, recurring slots expanded to dates.

Recurrences are expanded with dateutil's rrule, the same rules the iCalendar feed
publishes as RRULE; public holidays come from the `holidays` package.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, time
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import holidays
from dateutil import rrule

from .load import Document
from .model import WEEKDAYS, Occurrence, ProgrammeMonth, Recurrence, RecurringSlot, Settings
from .problems import Problems
from .schema import format_path

RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def build_months(docs: dict[str, Document], settings: Settings, contacts: set[str],
                 problems: Problems) -> list[ProgrammeMonth]:
    """Every programme month, expanded and checked; problems are collected."""
    months = [build_month(month, doc, settings, contacts, problems)
              for month, doc in sorted(docs.items())]
    for month in months:
        check_rooms(month, docs[month.month], problems)
    return months


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
        self.domain = urlsplit(settings.base_url).hostname or "localhost"
        self.holidays = public_holidays(settings.state, first.year)
        self.ids: dict[str, tuple[Any, ...]] = {}

    def refer(self, path: tuple[Any, ...]) -> None:
        value: Any = self.doc.data
        for key in path:
            value = value[key]
        if value not in self.contacts:
            self.problems.error(self.doc.where(path), f"unknown contact point '{value}'; it must"
                                " be a file name from content/contacts/", format_path(path))

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
        return Occurrence(**values)

    def check_entry(self, entry: dict[str, Any], path: tuple[Any, ...]) -> None:
        self.ids.setdefault(entry["id"], path)
        self.refer(path + ("host",))
        if "venue" in entry:
            self.refer(path + ("venue",))
        if entry["end"] <= entry["start"]:
            self.problems.error(self.doc.where(path + ("end",)), f"end ({entry['end']}) is not"
                                f" after start ({entry['start']})", format_path(path + ("end",)))

    def inside(self, day: date, path: tuple[Any, ...]) -> bool:
        if self.first <= day <= self.last:
            return True
        self.problems.error(self.doc.where(path), f"{day.isoformat()} is not in {self.month};"
                            f" this file holds the programme of {self.month} only",
                            format_path(path))
        return False

    def single(self, i: int, event: dict[str, Any]) -> list[Occurrence]:
        path = ("events", i)
        self.check_duplicate(event["id"], path)
        self.check_entry(event, path)
        day = date.fromisoformat(event["date"])
        if not self.inside(day, path + ("date",)):
            return []
        if day in self.holidays and not event.get("on_holiday"):
            self.problems.warning(self.doc.where(path + ("date",)), f"{day.isoformat()} is a"
                                  f" public holiday ({self.holidays[day]}); write on_holiday: true"
                                  " if the event really takes place", format_path(path + ("date",)))
        return [self.occurrence(event, path, day, status=event.get("status", "scheduled"))]

    def recurring(self, i: int, entry: dict[str, Any]) -> tuple[RecurringSlot, list[Occurrence]]:
        path = ("recurring", i)
        self.check_duplicate(entry["id"], path)
        self.check_entry(entry, path)
        recurrence = _recurrence(entry["repeat"])
        regular = self.expand(recurrence, path)
        skipped = self.holidays_in(regular, entry, path)
        exceptions = {e["date"]: (j, e) for j, e in enumerate(entry.get("exceptions", []))}
        occurrences = []
        for day in regular:
            if day in skipped:
                continue
            j, exc = exceptions.pop(day.isoformat(), (None, None))
            if exc is None:
                occurrences.append(self.occurrence(entry, path, day, recurring=True))
            elif exc["status"] == "cancelled":
                occurrences.append(self.occurrence(entry, path, day, recurring=True,
                                                   status="cancelled", note=exc.get("note", "")))
            else:
                moved = self.moved(entry, path + ("exceptions", j), day, exc)
                occurrences.extend(moved)
        for when, (j, _) in exceptions.items():
            here = path + ("exceptions", j, "date")
            dates = ", ".join(d.isoformat() for d in regular) or "none"
            self.problems.error(self.doc.where(here), f"{when} is not a date of this slot"
                                f" (its dates in {self.month}: {dates})", format_path(here))
        exdates = tuple(sorted({*skipped, *(o.moved_from or o.day for o in occurrences
                                            if o.status != "scheduled")}))
        return RecurringSlot(entry["id"], recurrence, tuple(regular), exdates), occurrences

    def moved(self, entry: dict[str, Any], path: tuple[Any, ...], day: date,
              exc: dict[str, Any]) -> list[Occurrence]:
        target = exc["moved_to"]
        new_day = date.fromisoformat(target["date"])
        if not self.inside(new_day, path + ("moved_to", "date")):
            return []
        start = time.fromisoformat(target.get("start", entry["start"]))
        end = time.fromisoformat(target.get("end", entry["end"]))
        if end <= start:
            self.problems.error(self.doc.where(path + ("moved_to",)), "the moved date ends"
                                " before it starts", format_path(path + ("moved_to",)))
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
                self.problems.error(self.doc.where(here), f"{recurrence.first} is not a"
                                    f" {recurrence.weekday}", format_path(here))
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
            self.problems.warning(self.doc.where(path + ("repeat",)), f"{day.isoformat()} is a"
                                  f" public holiday ({self.holidays[day]}); the slot"
                                  f" '{entry['id']}' is left out that day (write on_holidays:"
                                  " keep to hold it anyway)", format_path(path + ("repeat",)))
        return found

    def check_duplicate(self, entry_id: str, path: tuple[Any, ...]) -> None:
        if entry_id in self.ids:
            line = self.doc.where(self.ids[entry_id] + ("id",)).line
            self.problems.error(self.doc.where(path + ("id",)), f"the id '{entry_id}' is used"
                                f" twice in this month (first on line {line})",
                                format_path(path + ("id",)))


def _recurrence(repeat: dict[str, Any]) -> Recurrence:
    first = repeat.get("first")
    return Recurrence(repeat["weekday"], repeat["every"], repeat.get("week_of_month", 0),
                      date.fromisoformat(first) if first else None)


def check_rooms(month: ProgrammeMonth, doc: Document, problems: Problems) -> None:
    """Two dates in the same room at overlapping times are a warning."""
    by_room: dict[tuple[str, str, date], list[Any]] = defaultdict(list)
    for o in month.occurrences:
        if o.status != "cancelled":
            by_room[(o.venue, o.room, o.day)].append(o)
    for items in by_room.values():
        items.sort(key=lambda o: o.start)
        for a, b in zip(items, items[1:]):
            if b.start < a.end:
                problems.warning(b.source, f"'{b.title}' on {b.day.isoformat()} overlaps"
                                 f" '{a.title}' ({a.start:%H:%M}-{a.end:%H:%M}) in the same room")
