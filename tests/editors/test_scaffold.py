"""`build.py new offer|contact|month`: valid files at once, never overwriting."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

from conftest import run_build

from wegweiser.content.tree import load_content
from wegweiser.problems import Problems


def test_new_offer_passes_check_unchanged(minimal_project: Path) -> None:
    result = run_build(minimal_project, "new", "offer", "sprachkurs-nord")
    assert result.returncode == 0, result.stdout
    path = minimal_project / "offers" / "sprachkurs-nord.yml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/offer.schema.json"
    assert "category: sprache" in text and "provider: ki" in text
    check = run_build(minimal_project, "check")
    assert check.returncode == 0, check.stdout
    assert "3 offers published" in check.stdout
    placeholders = [line for line in check.stdout.splitlines() if "placeholder" in line]
    assert [line.split(":")[:2] for line in placeholders] == [
        ["offers/sprachkurs-nord.yml", str(n)] for n in (5, 6, 7)]  # title, summary, description


def test_placeholders_left_in_place_are_named(minimal_project: Path) -> None:
    run_build(minimal_project, "new", "contact", "stadtteilbuero")
    path = minimal_project / "content/contacts/stadtteilbuero.yml"
    text = path.read_text(encoding="utf-8").replace("postcode: 01067", "postcode: 00000")
    path.write_text(text, encoding="utf-8")
    check = run_build(minimal_project, "check")
    assert check.returncode == 0, check.stdout  # warnings: the file is valid
    named = [line for line in check.stdout.splitlines() if "placeholder" in line]
    assert len(named) == 4
    for value in ("Neue Anlaufstelle stadtteilbuero", "Straße und Hausnummer", "00000",
                  "bitte-eintragen@example.org"):
        assert any(value in line for line in named), value

    path.write_text(text.replace("bitte-eintragen@example.org", "buero@musterstadt.example"),
                    encoding="utf-8")
    assert not any("bitte-eintragen" in line
                   for line in run_build(minimal_project, "check").stdout.splitlines())


def test_new_contact_passes_check_unchanged(minimal_project: Path) -> None:
    result = run_build(minimal_project, "new", "contact", "stadtteilbuero")
    assert result.returncode == 0, result.stdout
    text = (minimal_project / "content/contacts/stadtteilbuero.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/contact.schema.json")
    assert "postcode: 01067" in text  # taken from the KI's own contact point
    check = run_build(minimal_project, "check")
    assert check.returncode == 0, check.stdout


def test_a_new_contact_in_a_kreis_leaves_the_town_to_the_editor(minimal_project: Path) -> None:
    """A Kreis's `city` names the area ("Kreis Mettmann"), no postal town: the new file has
    a placeholder that check names, and says how to check as README does."""
    site = minimal_project / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "\ncity: Musterstadt\n",
        "\ncity: Kreis Mettmann\narea: {kind: Kreis, where: im Kreis Mettmann}\n"),
        encoding="utf-8")
    result = run_build(minimal_project, "new", "contact", "buero-ratingen")
    assert result.returncode == 0, result.stdout
    assert "python3 build.py check" in result.stdout
    text = (minimal_project / "content/contacts/buero-ratingen.yml").read_text(encoding="utf-8")
    assert "  city: Ort\n" in text and "Kreis Mettmann" not in text.split("address:")[1]
    assert "python3 build.py check" in text and "python build.py" not in text
    check = run_build(minimal_project, "check")
    assert check.returncode == 0, check.stdout
    assert any("address.city" in line and "placeholder" in line
               for line in check.stdout.splitlines()), check.stdout


def test_existing_file_is_never_overwritten(minimal_project: Path) -> None:
    path = minimal_project / "offers" / "sprachcafe.yml"
    before = path.read_text(encoding="utf-8")
    result = run_build(minimal_project, "new", "offer", "sprachcafe")
    assert result.returncode == 1
    assert "offers/sprachcafe.yml: error: the file already exists" in result.stdout
    assert path.read_text(encoding="utf-8") == before
    month = run_build(minimal_project, "new", "month", "2026-12")
    assert month.returncode == 1


def test_bad_names_are_refused(minimal_project: Path) -> None:
    for args in (("offer", "Sprach_Cafe"), ("month", "2026-13"), ("contact", "ä")):
        result = run_build(minimal_project, "new", *args)
        assert result.returncode == 2, args
        assert "is not a valid name" in result.stdout
    assert sorted(p.name for p in (minimal_project / "offers").iterdir()) == [
        "familienberatung.yml", "sprachcafe.yml"]


FORTNIGHTLY = """\
    venue: service-point
    recurring:
      - id: offene-beratung
        title: Offene Beratung
        host: ki
        start: 10:00
        end: 12:00
        repeat: {weekday: tuesday, every: week}
        exceptions:
          - {date: 2026-12-22, status: cancelled}
      - id: kita-sprechstunde
        title: Sprechstunde Kita
        host: ki
        start: 09:30
        end: 12:00
        languages: [de, en]
        repeat:
          weekday: friday
          every: 2 weeks
          first: 2026-12-11
      - id: einbuergerung
        title: Einbürgerung
        host: ki
        start: 13:30
        end: 15:30
        repeat: {weekday: thursday, every: month, week_of_month: 1}
    events:
      - {id: info-abend, date: 2026-12-03, start: 18:00, end: 19:30, title: Infoabend, host: ki}
    """


def test_new_month_copies_the_recurring_slots(minimal_project: Path) -> None:
    (minimal_project / "content/programme/2026-12.yml").write_text(
        textwrap.dedent(FORTNIGHTLY), encoding="utf-8")
    result = run_build(minimal_project, "new", "month", "2027-01")
    assert result.returncode == 0, result.stdout
    text = (minimal_project / "content/programme/2027-01.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/programme.schema.json")
    assert "first: 2027-01-08" in text  # 2026-12-11 + 2 x 14 days, still a Friday
    assert "start: 09:30" in text and "languages: [de, en]" in text
    assert "exceptions" not in text and "info-abend" not in text
    check = run_build(minimal_project, "check")
    assert check.returncode == 0, check.stdout

    content = load_content(minimal_project, date(2026, 11, 23), Problems())
    assert content is not None
    january = next(m for m in content.programme if m.month == "2027-01")
    dates = {(o.entry_id, o.day.isoformat()) for o in january.occurrences}
    assert ("kita-sprechstunde", "2027-01-08") in dates
    assert ("kita-sprechstunde", "2027-01-22") in dates
    assert ("einbuergerung", "2027-01-07") in dates
    assert sum(1 for i, _ in dates if i == "offene-beratung") == 4  # Tuesdays 5, 12, 19, 26


def test_first_month_without_an_earlier_one(minimal_project: Path) -> None:
    (minimal_project / "content/programme/2026-12.yml").unlink()
    result = run_build(minimal_project, "new", "month", "2027-02")
    assert result.returncode == 0, result.stdout
    path = minimal_project / "content/programme/2027-02.yml"
    text = path.read_text(encoding="utf-8")
    assert "venue: service-point" in text and "events: []" in text
    check = run_build(minimal_project, "check")
    assert check.returncode == 0, check.stdout

    # the commented example, used as its comment says, is a valid month
    head, example = text.replace("events: []\n", "").split("# events:\n")
    used = head + "events:\n" + "".join(line.removeprefix("# ") + "\n"
                                        for line in example.splitlines())
    path.write_text(used, encoding="utf-8")
    content = load_content(minimal_project, date(2026, 11, 23), Problems())
    assert content is not None
    [february] = [m for m in content.programme if m.month == "2027-02"]
    assert [o.day.isoformat() for o in february.occurrences if o.entry_id == "infoabend"] \
        == ["2027-02-04"]
    assert [o.day.day for o in february.occurrences if o.entry_id == "offene-beratung"] \
        == [2, 9, 16, 23]
