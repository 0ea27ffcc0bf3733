"""New content files: `build.py new offer <id>`, `new contact <id>`, `new month YYYY-MM`.

Each new file starts with the schema line and has every required field, filled so that
`build.py check` passes at once; texts an editor must replace say so, and `check` warns
while they are left in place. An existing file
is never overwritten. A new month takes the recurring slots of the month before it,
with `repeat.first` of fortnightly slots moved onto the new month.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date

from wegweiser.content.checks import NEW_CONTACT, placeholders
from wegweiser.content.load import parse_yaml, read_text, to_document
from wegweiser.content.schema import expectation
from wegweiser.editors.schemas import read_choices, read_site_data, schema_line
from wegweiser.problems import Problems, relative
from wegweiser.wording import _

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
EXIT_OK, EXIT_EXISTS, EXIT_USAGE = 0, 1, 2


class _Dumper(yaml.SafeDumper):
    """Writes dates, times and postcodes plainly (09:00, 2026-12-11), as editors do; the
    build reads them by the schema. Words YAML 1.1 reads as true/false stay quoted."""


_Dumper.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag.endswith(("bool", "null"))]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}
_Dumper.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(0|[1-9][0-9]*)$"),
                              list("-+0123456789"))
_Dumper.add_representer(str, lambda d, s: d.represent_scalar(
    "tag:yaml.org,2002:str", s, style="|" if "\n" in s.strip() else None))
_Dumper.add_representer(list, lambda d, items: d.represent_sequence(
    "tag:yaml.org,2002:seq", items,
    flow_style=all(isinstance(i, (str, int)) for i in items) and bool(items)))


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88)


def offer_text(root: Path, id: str, today: date) -> str:
    choices = read_choices(root)
    site = read_site_data(root)
    categories = [c for c, _name in choices.categories] or ["kategorie"]
    audiences = [a for a, _name in choices.audiences] or ["zielgruppe"]
    new = placeholders("offer", id)
    return f"""\
{schema_line("offer", root / "offers" / f"{id}.yml", root)}
# Neues Angebot. Ersetzen Sie die Beispieltexte; VS Code zeigt zu jedem Feld eine Hilfe.
# Prüfen mit: python3 build.py check

title: {new["title",]}
summary: {new["summary",]}
description: |
  {new["description",]}
# Kategorie, eine von: {", ".join(categories)}
category: {categories[0]}
# Zielgruppen, aus: {", ".join(audiences)}
audience: [{audiences[0]}]
languages: [de]
# Träger: Kurzname einer Anlaufstelle (Dateiname in content/contacts/ ohne .yml)
provider: {site.get("contact") or (choices.contacts or ("anlaufstelle",))[0]}
cost:
  free: true
registration:
  required: false
last_reviewed: {today.isoformat()}
"""


def contact_text(root: Path, id: str, today: date) -> str:
    site = read_site_data(root)
    new = placeholders("contact", id)
    return f"""\
{schema_line("contact", root / "content" / "contacts" / f"{id}.yml", root)}
# Neue Anlaufstelle. Ersetzen Sie die Beispieltexte; VS Code zeigt zu jedem Feld eine Hilfe.
# Nötig ist mindestens ein Weg: phones, email oder website. Prüfen mit: python3 build.py check

name: {new["name",]}
organisation: {site.get("organisation", "Organisation")}
address:
  street: {new["address", "street"]}
  postcode: {ki_postcode(root, site)}
  city: {likely_city(site)}
email: {new["email",]}
languages: [de]
last_reviewed: {today.isoformat()}
"""


def likely_city(site: dict[str, Any]) -> str:
    """The town of a new contact point: the KI's city; in a Kreis or a Städteregion
    `city` names the area ("Kreis Mettmann"), which is no postal town, so the editor
    writes the town in place of the placeholder."""
    area = site.get("area")
    kind = area.get("kind", "Stadt") if isinstance(area, dict) else "Stadt"
    if kind != "Stadt" or "city" not in site:
        return NEW_CONTACT["address", "city"]
    return str(site["city"])


def ki_postcode(root: Path, site: dict[str, Any]) -> str:
    """The postcode of the KI's own contact point, a likely one for a new place."""
    path = root / "content" / "contacts" / f"{site.get('contact', '')}.yml"
    data = load_data(root, path, "contact") if path.is_file() else {}
    return str(data.get("address", {}).get("postcode", NEW_CONTACT["address", "postcode"]))


def load_data(root: Path, path: Path, kind: str) -> dict[str, Any]:
    problems = Problems()
    file = relative(path, root)
    text = read_text(path, file, problems)
    node = parse_yaml(text, file, problems) if text is not None else None
    doc = to_document(node, file, expectation(kind), problems) if node is not None else None
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def month_text(root: Path, month: str, today: date) -> str:
    year, number = (int(x) for x in month.split("-"))
    start = date(year, number, 1)
    folder = root / "content" / "programme"
    earlier = sorted(p for p in folder.glob("*.yml") if MONTH.match(p.stem) and p.stem < month) \
        if folder.is_dir() else []
    previous = load_data(root, earlier[-1], "programme") if earlier else {}
    site = read_site_data(root)
    name = format_date(start, "MMMM yyyy", locale="de")
    slots = [carry_slot(s, start) for s in previous.get("recurring", [])]
    data: dict[str, Any] = {
        "venue": previous.get("venue") or site.get("service_point") or site.get("contact", ""),
        "intro": f"Das Programm im {name}.",
    }
    data["recurring" if slots else "events"] = slots
    source = (f"# Die regelmäßigen Termine sind aus {earlier[-1].name} übernommen.\n"
              "# Bitte prüfen; Ausnahmen und Einzeltermine (events) neu eintragen.") if slots else (
        "# Einzeltermine unter events eintragen (siehe Anleitung im README).")
    head = "\n".join([schema_line("programme", folder / f"{month}.yml", root),
                      f"# Programm, {name}.", source])
    body = dump(data).replace("\n- id:", "\n\n- id:")  # a blank line between entries
    body = body.replace(":\n\n- id:", ":\n- id:")
    if not slots:
        body += first_month_example(start, data["venue"])
    return f"{head}\n\n{body}"


def first_month_example(start: date, host: str) -> str:
    """With no month to copy from, a commented example of both kinds of entry."""
    first_thursday = start + timedelta(days=(3 - start.weekday()) % 7)
    example = {
        "events": [{"id": "infoabend", "date": first_thursday.isoformat(), "start": "18:00",
                    "end": "19:30", "title": "Infoabend", "host": host}],
        "recurring": [{"id": "offene-beratung", "title": "Offene Beratung", "host": host,
                       "start": "10:00", "end": "12:00",
                       "repeat": {"weekday": "tuesday", "every": "week"}}],
    }
    lines = dump(example).splitlines()
    return ("\n# Beispiel: ein Einzeltermin und ein regelmäßiger Termin (jeden Dienstag).\n"
            "# Zum Verwenden das Zeichen # am Zeilenanfang entfernen und events: [] oben löschen.\n"
            + "".join(f"# {line}\n" for line in lines))


def carry_slot(slot: dict[str, Any], start: date) -> dict[str, Any]:
    """A recurring slot for the new month: its exceptions belonged to the old one."""
    slot = {k: v for k, v in slot.items() if k != "exceptions"}
    repeat = dict(slot.get("repeat", {}))
    if repeat.get("every") == "2 weeks" and repeat.get("first"):
        repeat["first"] = next_fortnight(date.fromisoformat(repeat["first"]), start).isoformat()
    slot["repeat"] = repeat
    return slot


def next_fortnight(anchor: date, start: date) -> date:
    """The first date on or after `start` in the two-week rhythm through `anchor`."""
    if anchor >= start:
        return anchor
    periods = -(-(start - anchor).days // 14)  # ceiling division
    return anchor + timedelta(days=14 * periods)


def target(root: Path, what: str, name: str) -> Path:
    if what == "offer":
        return root / "offers" / f"{name}.yml"
    if what == "contact":
        return root / "content" / "contacts" / f"{name}.yml"
    return root / "content" / "programme" / f"{name}.yml"


def run_new(root: Path, what: str, name: str, today: date) -> int:
    """Write the new file; exit 1 if it exists, 2 if the name is not valid."""
    pattern, example = (MONTH, "2026-12") if what == "month" else (ID, "sprachcafe-opladen")
    if not pattern.match(name):
        rule = "YYYY-MM" if what == "month" else _("lower-case letters a-z, digits and hyphens")
        print("build.py: " + _("error: '{name}' is not a valid name; write {rule}, e.g."
                               " {example}", name=name, rule=rule, example=example))
        return EXIT_USAGE
    path = target(root, what, name)
    file = relative(path, root)
    if path.exists() or path.with_suffix(".yaml").exists():
        print(f"{file}: " + _("error: the file already exists; it was left unchanged. Open it"
                              " to edit, or choose another name."))
        return EXIT_EXISTS
    writers = {"offer": offer_text, "contact": contact_text, "month": month_text}
    text = writers[what](root, name, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(_("Created {file}. Replace the example texts, then run: python3 build.py check",
            file=file))
    return EXIT_OK
