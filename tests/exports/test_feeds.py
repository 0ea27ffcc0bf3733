"""The iCalendar feeds: valid RFC 5545, and expanded they give exactly the model's dates."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from conftest import ENGLISH, MONTH, TODAY, run_build
from icalendar import Calendar, Event

from wegweiser.content.tree import load_content
from wegweiser.exports.feeds import write_feeds
from wegweiser.model import Content
from wegweiser.problems import Problems

BERLIN = ZoneInfo("Europe/Berlin")
DOMAIN = "integration.musterstadt.example"




@pytest.fixture
def project(minimal_project: Path) -> Path:
    path = minimal_project / "content" / "programme" / "2026-12.yml"
    path.write_text(textwrap.dedent(MONTH), encoding="utf-8")
    (minimal_project / "translations").mkdir()
    (minimal_project / "translations" / "en.po").write_text(ENGLISH, encoding="utf-8")
    return minimal_project


def load(root: Path) -> Content:
    problems = Problems()
    content = load_content(root, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    return content


def feeds(root: Path, out: Path) -> dict[str, bytes]:
    write_feeds(load(root), root, out)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.ics"))}


def events(ics: bytes) -> list[Event]:
    return list(Calendar.from_ical(ics).walk("VEVENT"))


def expanded(ics: bytes) -> list[tuple[datetime, str, str]]:
    """What a calendar app shows: every instance with its UID and status."""
    found = recurring_ical_events.of(Calendar.from_ical(ics)).between(date(2026, 1, 1),
                                                                      date(2028, 1, 1))
    return sorted((e["DTSTART"].dt, str(e["UID"]), str(e["STATUS"])) for e in found)


def model_dates(content: Content) -> list[tuple[datetime, str, str]]:
    return sorted(
        (datetime.combine(o.day, o.start, tzinfo=BERLIN), o.uid,
         "CANCELLED" if o.status == "cancelled" else "CONFIRMED")
        for month in content.programme for o in month.occurrences)


def test_feed_expands_to_exactly_the_models_dates(project: Path, tmp_path: Path) -> None:
    ics = feeds(project, tmp_path / "out")["programme.ics"]
    content = load(project)
    assert expanded(ics) == model_dates(content)
    shown = [d.date().isoformat() for d, _, status in expanded(ics) if status == "CONFIRMED"]
    assert shown == ["2026-12-01", "2026-12-03", "2026-12-03", "2026-12-08", "2026-12-11",
                     "2026-12-17", "2026-12-22", "2026-12-30"]
    assert "2026-12-25" not in str(expanded(ics))  # the holiday is left out


def test_calendar_header_and_timezone(project: Path, tmp_path: Path) -> None:
    ics = feeds(project, tmp_path / "out")["programme.ics"]
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n") and ics.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in ics.split(b"\r\n"))  # folded, RFC 5545 3.1
    cal = Calendar.from_ical(ics)
    assert cal["VERSION"] == "2.0" and cal["PRODID"] == "-//Wegweiser//Programm//DE"
    assert cal["X-WR-CALNAME"] == "Service-Point – Programm"
    zones = list(cal.walk("VTIMEZONE"))
    assert [z["TZID"] for z in zones] == ["Europe/Berlin"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    for event in events(ics):
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert event["DTSTAMP"].dt == datetime(2026, 11, 23, tzinfo=UTC)


def test_recurrence_rules_and_exceptions(project: Path, tmp_path: Path) -> None:
    ics = feeds(project, tmp_path / "out")["programme.ics"]
    series = {str(e["UID"]).split("@")[0]: e for e in events(ics) if "RRULE" in e}
    rules = {uid: e["RRULE"].to_ical().decode() for uid, e in series.items()}
    assert rules == {
        "2026-12-offene-beratung": "FREQ=WEEKLY;UNTIL=20261231T225959Z;BYDAY=TU",
        "2026-12-kita": "FREQ=WEEKLY;UNTIL=20261231T225959Z;INTERVAL=2;BYDAY=FR",
        "2026-12-einbuergerung": "FREQ=MONTHLY;UNTIL=20261231T225959Z;BYDAY=1TH",
        "2026-12-gewalt": "FREQ=MONTHLY;UNTIL=20261231T225959Z;BYDAY=-1WE",
    }
    assert series["2026-12-kita"]["DTSTART"].dt == datetime(2026, 12, 11, 9, 30, tzinfo=BERLIN)
    exdates = [d.dt for d in series["2026-12-kita"]["EXDATE"].dts]
    assert exdates == [datetime(2026, 12, 25, 9, 30, tzinfo=BERLIN)]  # Erster Weihnachtstag
    # cancelled and moved dates are overrides, not EXDATEs
    assert "EXDATE" not in series["2026-12-offene-beratung"]


def test_moved_and_cancelled_dates(project: Path, tmp_path: Path) -> None:
    ics = feeds(project, tmp_path / "out")["programme.ics"]
    uid = f"2026-12-offene-beratung@{DOMAIN}"
    overrides = {e["RECURRENCE-ID"].dt: e for e in events(ics) if "RECURRENCE-ID" in e}
    assert all(str(e["UID"]) == uid for e in overrides.values())
    moved = overrides[datetime(2026, 12, 15, 10, tzinfo=BERLIN)]
    assert moved["DTSTART"].dt == datetime(2026, 12, 17, 14, tzinfo=BERLIN)
    assert moved["DTEND"].dt == datetime(2026, 12, 17, 16, tzinfo=BERLIN)
    assert moved["STATUS"] == "CONFIRMED"
    assert "Verschoben vom 15. Dezember 2026." in moved["DESCRIPTION"]
    cancelled = overrides[datetime(2026, 12, 29, 10, tzinfo=BERLIN)]
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["SUMMARY"] == "Fällt aus: Offene Beratung"
    assert "Weihnachtsschließung." in cancelled["DESCRIPTION"]
    single = next(e for e in events(ics) if str(e["UID"]) == f"2026-12-absage@{DOMAIN}")
    assert single["STATUS"] == "CANCELLED" and single["SUMMARY"] == "Fällt aus: Elterncafé"
    assert single["DESCRIPTION"].startswith("Dieser Termin fällt aus.\nDie Leitung ist erkrankt.")


def test_event_text_location_and_link(project: Path, tmp_path: Path) -> None:
    ics = feeds(project, tmp_path / "out")["programme.ics"]
    info = next(e for e in events(ics) if str(e["UID"]) == f"2026-12-info-abend@{DOMAIN}")
    assert info["SUMMARY"] == "Infoabend" and info["SUMMARY"].params["LANGUAGE"] == "de"
    assert info["LOCATION"] == "Service-Point, Bahnhofstraße 2, 01067 Musterstadt"
    assert info["URL"] == "https://integration.musterstadt.example/de/programm/2026-12/"
    description = str(info["DESCRIPTION"])
    assert "Thema: Einbürgerung" in description
    assert "Angeboten von: Kommunales Integrationszentrum" in description
    assert "Sprachen: Deutsch, العربية" in description
    beratung = next(e for e in events(ics) if "RRULE" in e and "offene-beratung" in e["UID"])
    assert beratung["LOCATION"] == "Service-Point, Raum 1, Bahnhofstraße 2, 01067 Musterstadt"
    assert "Anmeldung erforderlich: Telefonisch anmelden." in beratung["DESCRIPTION"]


def test_a_feed_per_language_with_translated_titles(project: Path, tmp_path: Path) -> None:
    found = feeds(project, tmp_path / "out")
    assert sorted(found) == ["ar/programme.ics", "de/programme.ics", "en/programme.ics",
                             "programme.ics"]
    assert found["programme.ics"] == found["de/programme.ics"]
    english = {str(e["UID"]): e for e in events(found["en/programme.ics"])
               if "RECURRENCE-ID" not in e}
    advice = english[f"2026-12-offene-beratung@{DOMAIN}"]
    assert advice["SUMMARY"] == "Open advice" and advice["SUMMARY"].params["LANGUAGE"] == "en"
    assert advice["URL"] == "https://integration.musterstadt.example/en/programm/2026-12/"
    # not translated yet: German, and the feed says so
    info = english[f"2026-12-info-abend@{DOMAIN}"]
    assert info["SUMMARY"] == "Infoabend" and info["SUMMARY"].params["LANGUAGE"] == "de"
    cancelled = next(e for e in events(found["en/programme.ics"]) if "RECURRENCE-ID" in e
                     and e["STATUS"] == "CANCELLED")
    assert cancelled["SUMMARY"] == "Cancelled: Open advice"
    # every language expands to the same dates
    german = expanded(found["programme.ics"])
    assert all(expanded(ics) == german for ics in found.values())


def test_two_builds_give_the_same_bytes(project: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    first = feeds(project, tmp_path / "one")
    second = feeds(project, tmp_path / "two")
    assert first == second
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    stamped = feeds(project, tmp_path / "three")["programme.ics"]
    assert b"DTSTAMP:20261118T" in stamped
    assert [e["UID"] for e in events(stamped)] == [e["UID"] for e in events(first["programme.ics"])]


def test_shipped_programme_expands_like_the_model(shipped_project: Path, tmp_path: Path) -> None:
    ics = feeds(shipped_project, tmp_path / "out")["programme.ics"]
    content = load(shipped_project)
    assert expanded(ics) == model_dates(content)
    cancelled = [d.date().isoformat() for d, _, status in expanded(ics) if status == "CANCELLED"]
    assert cancelled == ["2026-12-10", "2026-12-29"]


def test_feed_without_programme_is_still_a_valid_calendar(minimal_project: Path,
                                                          tmp_path: Path) -> None:
    (minimal_project / "content" / "programme" / "2026-12.yml").unlink()
    ics = feeds(minimal_project, tmp_path / "out")["programme.ics"]
    cal = Calendar.from_ical(ics)
    assert [c.name for c in cal.subcomponents] == ["VTIMEZONE"] and not expanded(ics)


@pytest.mark.slow
def test_build_publishes_feeds_and_flyers(project: Path) -> None:
    result = run_build(project, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    for path in ("programme.ics", "de/programme.ics", "en/programme.ics", "ar/programme.ics"):
        assert (site / path).is_file(), path
    ics = (site / "programme.ics").read_bytes()
    assert expanded(ics) == model_dates(load(project))
    # the programme page's schema.org Events: the dates the website shows
    page = (site / "de" / "programm" / "2026-12" / "index.html").read_text(encoding="utf-8")
    shown = sorted(
        (datetime.fromisoformat(e["startDate"]), e["eventStatus"].rsplit("/", 1)[1])
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page,
                                re.DOTALL)
        for e in json.loads(block)["@graph"] if e["@type"] == "Event")
    feed = sorted((start, status) for start, _, status in expanded(ics))
    assert [s for s, status in shown if status != "EventCancelled"] == [
        s for s, status in feed if status == "CONFIRMED"]
    assert [s for s, status in shown if status == "EventCancelled"] == [
        s for s, status in feed if status == "CANCELLED"]
    flyers = sorted(p.name for p in (site / "downloads").glob("programm-*.pdf"))
    assert flyers == sorted(f"programm-2026-12-{lang}{poster}.pdf" for lang in ("ar", "de", "en")
                            for poster in ("", "-aushang"))  # flyer and poster
    again = run_build(project, "build")
    assert again.returncode == 0, again.stdout + again.stderr
    assert (site / "programme.ics").read_bytes() == ics


def test_example_values_are_not_published_as_facts(project: Path, tmp_path: Path) -> None:
    """An address or coordinates marked as an example stay out of LOCATION and GEO."""
    venue = project / "content" / "contacts" / "service-point.yml"
    venue.write_text(venue.read_text(encoding="utf-8")
                     + "coordinates: {lat: 51.03, lon: 6.98}\n", encoding="utf-8")
    confirmed = events(feeds(project, tmp_path / "before")["programme.ics"])
    assert all("Bahnhofstraße 2" in str(e["LOCATION"]) and "GEO" in e for e in confirmed)

    venue.write_text(venue.read_text(encoding="utf-8")
                     + "example_values: [address, coordinates]\n", encoding="utf-8")
    examples = events(feeds(project, tmp_path / "after")["programme.ics"])
    assert examples and all(str(e["LOCATION"]).startswith("Service-Point") for e in examples)
    assert not any("Bahnhofstraße" in str(e["LOCATION"]) or "GEO" in e for e in examples)
