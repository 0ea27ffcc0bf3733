"""The programme model: recurring slots expanded to dates, holidays, exceptions, checks."""

from __future__ import annotations

import textwrap
from datetime import date, time
from pathlib import Path

from conftest import TODAY

from wegweiser.content.tree import load_content
from wegweiser.model import Content, ProgrammeMonth
from wegweiser.problems import Problem, Problems

FILE = "content/programme/2026-12.yml"


def write_month(root: Path, text: str, month: str = "2026-12") -> str:
    text = textwrap.dedent(text)
    (root / "content" / "programme" / f"{month}.yml").write_text(text, encoding="utf-8")
    return text


def load(root: Path) -> tuple[Content | None, Problems]:
    problems = Problems()
    return load_content(root, date.fromisoformat(TODAY), problems), problems


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line number (from 1) of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def month_of(content: Content | None, month: str = "2026-12") -> ProgrammeMonth:
    assert content is not None
    return next(m for m in content.programme if m.month == month)


def dates(month: ProgrammeMonth, entry: str, status: str | None = None) -> list[str]:
    return [o.day.isoformat() for o in month.occurrences
            if o.entry_id == entry and (status is None or o.status == status)]


def at(problems: list[Problem], line: int) -> list[str]:
    """Messages of the problems in the month file at `line`."""
    return [f"{p.path}: {p.message}" for p in problems
            if p.location.file == FILE and p.location.line == line]


SLOTS = """\
    venue: service-point
    recurring:
      - id: weekly
        title: Jede Woche
        host: ki
        start: 09:00
        end: 10:00
        room: Raum 1
        repeat: {weekday: tuesday, every: week}
      - id: fortnightly
        title: Jede zweite Woche
        host: ki
        start: 09:00
        end: 10:00
        room: Raum 2
        repeat: {weekday: friday, every: 2 weeks, first: 2026-11-13}
      - id: first-thursday
        title: Erster Donnerstag
        host: ki
        start: 13:30
        end: 15:30
        repeat: {weekday: thursday, every: month, week_of_month: 1}
      - id: last-wednesday
        title: Letzter Mittwoch
        host: ki
        start: 14:00
        end: 16:00
        repeat: {weekday: wednesday, every: month, week_of_month: -1}
"""


def test_rules_weekly_fortnightly_first_and_last_weekday(minimal_project: Path) -> None:
    write_month(minimal_project, SLOTS)
    content, problems = load(minimal_project)
    month = month_of(content)
    assert dates(month, "weekly") == ["2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22",
                                      "2026-12-29"]
    # counted on from `first` in November: 13.11., 27.11., 11.12.; 25.12. is a holiday
    assert dates(month, "fortnightly") == ["2026-12-11"]
    assert dates(month, "first-thursday") == ["2026-12-03"]
    assert dates(month, "last-wednesday") == ["2026-12-30"]
    slot = next(s for s in month.slots if s.id == "fortnightly")
    assert slot.dates == (date(2026, 12, 11), date(2026, 12, 25))
    assert slot.holidays == (date(2026, 12, 25),) and slot.exdates == (date(2026, 12, 25),)
    assert (slot.start, slot.end) == (time(9), time(10))
    first = next(o for o in month.occurrences if o.entry_id == "weekly")
    assert first.uid == "2026-12-weekly@integration.musterstadt.example"
    assert first.recurring and first.room == "Raum 1" and first.venue == "service-point"


def test_holiday_is_skipped_with_a_warning_at_the_repeat_line(minimal_project: Path) -> None:
    text = write_month(minimal_project, SLOTS)
    _, problems = load(minimal_project)
    line = line_of(text, "every: 2 weeks")
    assert at(problems.warnings, line) == [
        "recurring[1].repeat: 2026-12-25 is a public holiday (Erster Weihnachtstag); the slot"
        " 'fortnightly' is left out that day (write on_holidays: keep to hold it anyway)"]
    assert not problems.errors


def test_holiday_kept_when_the_editor_says_so(minimal_project: Path) -> None:
    text = SLOTS.replace("first: 2026-11-13}", "first: 2026-11-13}\n        on_holidays: keep")
    write_month(minimal_project, text)
    content, problems = load(minimal_project)
    assert dates(month_of(content), "fortnightly") == ["2026-12-11", "2026-12-25"]
    assert not problems.items
    slot = next(s for s in month_of(content).slots if s.id == "fortnightly")
    assert slot.holidays == () and slot.exdates == ()


EXCEPTIONS = """\
    venue: service-point
    recurring:
      - id: beratung
        title: Offene Beratung
        host: ki
        start: 09:00
        end: 12:00
        repeat: {weekday: tuesday, every: week}
        exceptions:
          - date: 2026-12-29
            status: cancelled
            note: Weihnachtsschließung.
          - date: 2026-12-15
            status: moved
            moved_to: {date: 2026-12-17, start: 14:00, end: 16:00}
            note: Wegen einer Fortbildung.
"""


def test_cancelled_date_stays_visible_and_moved_date_moves(minimal_project: Path) -> None:
    text = write_month(minimal_project, EXCEPTIONS)
    content, problems = load(minimal_project)
    assert not problems.items
    month = month_of(content)
    assert dates(month, "beratung") == ["2026-12-01", "2026-12-08", "2026-12-17", "2026-12-22",
                                        "2026-12-29"]
    cancelled = next(o for o in month.occurrences if o.status == "cancelled")
    assert cancelled.day == date(2026, 12, 29) and cancelled.note == "Weihnachtsschließung."
    assert cancelled.source.line == line_of(text, "date: 2026-12-29")
    moved = next(o for o in month.occurrences if o.status == "moved")
    assert (moved.day, moved.start, moved.end) == (date(2026, 12, 17), time(14), time(16))
    assert moved.moved_from == date(2026, 12, 15) and moved.uid == cancelled.uid
    slot = month.slots[0]
    assert slot.exdates == (date(2026, 12, 15), date(2026, 12, 29)) and slot.holidays == ()


def test_exception_on_a_holiday_replaces_the_holiday_warning(minimal_project: Path) -> None:
    # a moved exception under the fortnightly slot, for its holiday 25.12.
    lines = SLOTS.splitlines()
    index = next(i for i, line in enumerate(lines) if "every: 2 weeks" in line) + 1
    block = ["    exceptions:", "      - date: 2026-12-25", "        status: moved",
             "        moved_to: {date: 2026-12-23}"]
    text = "\n".join(lines[:index] + [f"    {b}" for b in block] + lines[index:]) + "\n"
    write_month(minimal_project, text)
    content, problems = load(minimal_project)
    assert not problems.items, problems.report()
    month = month_of(content)
    assert dates(month, "fortnightly") == ["2026-12-11", "2026-12-23"]


PROBLEMS = """\
    venue: service-point
    events:
      - id: outside
        date: 2027-01-05
        start: 10:00
        end: 11:00
        title: Im Januar
        host: ki
      - id: backwards
        date: 2026-12-07
        start: 12:00
        end: 11:00
        title: Endet vor dem Anfang
        host: ki
      - id: stranger
        date: 2026-12-09
        start: 10:00
        end: 11:00
        title: Unbekannte Stelle
        host: niemand
      - id: first-in-room
        date: 2026-12-10
        start: 10:00
        end: 12:00
        room: Raum 1
        title: Zuerst im Raum
        host: ki
      - id: second-in-room
        date: 2026-12-10
        start: 11:30
        end: 13:00
        room: Raum 1
        title: Zugleich im Raum
        host: ki
      - id: other-room
        date: 2026-12-10
        start: 11:00
        end: 12:00
        room: Raum 2
        title: Anderer Raum
        host: ki
    recurring:
      - id: beratung
        title: Offene Beratung
        host: ki
        start: 09:00
        end: 12:00
        repeat: {weekday: tuesday, every: week}
        exceptions:
          - date: 2026-12-02
            status: cancelled
          - date: 2026-12-08
            status: cancelled
          - date: 2026-12-08
            status: cancelled
          - date: 2026-12-15
            status: moved
            moved_to: {date: 2027-01-02}
      - id: falsch
        title: Falscher Wochentag
        host: ki
        start: 09:00
        end: 12:00
        repeat: {weekday: friday, every: 2 weeks, first: 2026-12-10}
"""


def test_problems_name_the_exact_file_and_line(minimal_project: Path) -> None:
    text = write_month(minimal_project, PROBLEMS)
    content, problems = load(minimal_project)
    assert content is None
    errors = problems.errors
    assert at(errors, line_of(text, "date: 2027-01-05")) == [
        "events[0].date: 2027-01-05 is not in 2026-12; this file holds the programme of 2026-12"
        " only"]
    assert at(errors, line_of(text, "end: 11:00", 2)) == [
        "events[1].end: end (11:00) is not after start (12:00)"]
    assert at(errors, line_of(text, "host: niemand")) == [
        "events[2].host: unknown contact point 'niemand'; expected one of the file names in"
        " content/contacts/ (without .yml): ki, service-point"]
    assert at(errors, line_of(text, "date: 2026-12-02")) == [
        "recurring[0].exceptions[0].date: 2026-12-02 is not a date of this slot (its dates in"
        " 2026-12: 2026-12-01, 2026-12-08, 2026-12-15, 2026-12-22, 2026-12-29)"]
    assert at(errors, line_of(text, "date: 2026-12-08", 2)) == [
        "recurring[0].exceptions[2].date: 2026-12-08 has two exceptions (first on line"
        f" {line_of(text, 'date: 2026-12-08')}); keep one"]
    assert at(errors, line_of(text, "moved_to: {date: 2027-01-02}")) == [
        "recurring[0].exceptions[3].moved_to.date: 2027-01-02 is not in 2026-12; this file"
        " holds the programme of 2026-12 only"]
    assert at(errors, line_of(text, "first: 2026-12-10")) == [
        "recurring[1].repeat.first: 2026-12-10 is not a friday"]
    assert len(errors) == 7, problems.report()


def test_overlap_in_the_same_room_is_a_warning(minimal_project: Path) -> None:
    text = PROBLEMS.split("    recurring:")[0]
    text = text.replace("date: 2027-01-05", "date: 2026-12-05").replace(
        "end: 11:00\n        title: Endet", "end: 13:00\n        title: Endet").replace(
        "host: niemand", "host: ki")
    text = write_month(minimal_project, text)
    content, problems = load(minimal_project)
    assert content is not None and not problems.errors
    assert [str(p.location) for p in problems.warnings] == [
        f"{FILE}:{line_of(text, '- id: second-in-room')}:5"]
    assert problems.warnings[0].message == (
        "'Zugleich im Raum' on 2026-12-10 (11:30-13:00) overlaps 'Zuerst im Raum'"
        " (10:00-12:00) in the same room 'Raum 1'")


def test_cancelled_event_does_not_overlap(minimal_project: Path) -> None:
    write_month(minimal_project, """\
        venue: service-point
        events:
          - {id: a, date: 2026-12-10, start: 10:00, end: 12:00, title: A, host: ki}
          - {id: b, date: 2026-12-10, start: 11:00, end: 12:00, title: B, host: ki,
             status: cancelled}
        """)
    content, problems = load(minimal_project)
    assert content is not None and not problems.items
    assert [o.status for o in month_of(content).occurrences] == ["scheduled", "cancelled"]


def test_shipped_months_are_valid(shipped_project: Path) -> None:
    content, problems = load(shipped_project)
    assert content is not None and not problems.errors
    december = month_of(content)
    assert dates(december, "kinderbetreuung") == ["2026-12-11"]  # 25.12. is a holiday
    assert dates(december, "kim-offene-beratung", "cancelled") == ["2026-12-29"]
    assert dates(december, "gewalterfahrungen", "moved") == ["2026-12-16"]


def test_single_event_on_a_holiday_warns_unless_marked(minimal_project: Path) -> None:
    text = write_month(minimal_project, """\
        venue: service-point
        events:
          - {id: fest, date: 2026-12-25, start: 10:00, end: 12:00, title: Fest, host: ki}
          - {id: feier, date: 2026-12-26, start: 10:00, end: 12:00, title: Feier, host: ki,
             on_holiday: true}
        """)
    content, problems = load(minimal_project)
    assert content is not None and not problems.errors
    assert [(p.location.line, p.message) for p in problems.warnings] == [
        (line_of(text, "id: fest"), "2026-12-25 is a public holiday (Erster Weihnachtstag);"
         " write on_holiday: true if the event really takes place")]
    assert dates(month_of(content), "fest") == ["2026-12-25"]
