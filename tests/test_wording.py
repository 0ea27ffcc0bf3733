"""Messages for editors: German by default, English with --messages en or WEGWEISER_MESSAGES.

The rest of the suite reads the messages in English (conftest.py sets WEGWEISER_MESSAGES);
here the real command line runs without it, on cases of the broken corpus.
"""

from __future__ import annotations

import os
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import MINIMAL, REPO, TODAY, write_files

from wegweiser import wording

CORPUS = REPO / "tests" / "content" / "broken"
PO = REPO / "wegweiser" / "locale" / "de" / "LC_MESSAGES" / "wegweiser.po"
POT = REPO / "wegweiser" / "locale" / "wegweiser.pot"

# Case of the broken corpus -> the German line `check` prints for it.
GERMAN = {
    "unknown-key": "offers/sprachcafe.yml:17:1: Fehler: distrikt: Unbekanntes Feld 'distrikt'."
                   " Meinten Sie 'district'? (Hier erlaubt: accessibility, audience,",
    "missing-required": "offers/sprachcafe.yml:1:1: Fehler: Das Pflichtfeld 'summary' fehlt."
                        " Ergänzen Sie eine Zeile 'summary: ...'.",
    "wrong-type-list": "offers/sprachcafe.yml:8:11: Fehler: audience: Erwartet wird eine Liste"
                       " (Zeilen, die mit '- ' beginnen), gefunden wurde aber 'erwachsene'.",
    "wrong-type-boolean-yes": "offers/familienberatung.yml:11:14: Fehler: in_brochure: Erwartet"
                              " wird true oder false, gefunden wurde aber 'no'. Schreiben Sie"
                              " true (ja) oder false (nein).",
    "impossible-date": "offers/sprachcafe.yml:18:16: Fehler: last_reviewed: '2026-02-30' ist"
                       " kein Datum, das es gibt; erwartet wird ein Datum in der Form"
                       " JJJJ-MM-TT, z. B. 2026-11-05.",
    "unknown-contact": "offers/sprachcafe.yml:10:11: Fehler: provider: Unbekannte Anlaufstelle"
                       " 'kii'. Meinten Sie 'ki'? Erlaubt sind die Dateinamen aus"
                       " content/contacts/ (ohne .yml): ki, service-point",
    "duplicate-key": "offers/sprachcafe.yml:18:1: Fehler: Das Feld 'category' steht zweimal da"
                     " (zuerst in Zeile 7). Löschen Sie eines davon.",
    "syntax-tab": "offers/sprachcafe.yml:12:1: Fehler: Hier wird mit einem Tabulatorzeichen"
                  " eingerückt. Rücken Sie nur mit Leerzeichen ein.",
    "non-utf8": "offers/sprachcafe.yml:1:17: Fehler: Die Datei ist nicht als UTF-8 gespeichert"
                " (das Byte 0xe9 kann nicht gelesen werden). Speichern Sie sie erneut mit der"
                " Kodierung UTF-8.",
    "event-outside-month": "content/programme/2026-12.yml:4:11: Fehler: events[0].date:"
                           " 2027-01-07 liegt nicht im Monat 2026-12; diese Datei enthält nur"
                           " das Programm für 2026-12. Tragen Sie den Termin in die Datei seines"
                           " Monats ein.",
}
STOPPED_DE = ("Abgebrochen: Bitte beheben Sie die Fehler oben. Es wurde nichts erstellt; site/ ist"
              " unverändert.")


def run(root: Path, *args: str, language: str | None = None) -> subprocess.CompletedProcess[str]:
    """build.py as an editor runs it: WEGWEISER_MESSAGES only if `language` is given."""
    env = {k: v for k, v in os.environ.items() if k != wording.ENVIRONMENT}
    if language:
        env[wording.ENVIRONMENT] = language
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--today", TODAY, *args],
        capture_output=True, text=True, cwd=root, env=env)


def broken(case: str, root: Path) -> Path:
    write_files(root, MINIMAL)
    shutil.copytree(CORPUS / case, root, dirs_exist_ok=True)
    return root


@pytest.mark.parametrize("case", sorted(GERMAN))
def test_check_speaks_german_by_default(case: str, tmp_path: Path) -> None:
    result = run(broken(case, tmp_path), "check")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith(GERMAN[case]) for line in lines), result.stdout
    assert "1 Fehler und 0 Warnungen in 1 Datei" in lines
    assert lines[-1] == STOPPED_DE
    assert " error" not in result.stdout and "Traceback" not in result.stderr


def test_holiday_warning_and_valid_summary_in_german(minimal_project: Path) -> None:
    month = minimal_project / "content" / "programme" / "2026-12.yml"
    month.write_text(month.read_text(encoding="utf-8").replace("2026-12-03", "2026-12-25"),
                     encoding="utf-8")
    result = run(minimal_project, "check")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "content/programme/2026-12.yml:4:11: Warnung: events[0].date: 2026-12-25 ist ein Feiertag"
        " (Erster Weihnachtstag). Findet die Veranstaltung wirklich statt, schreiben Sie"
        " on_holiday: true.")
    assert lines[1] == "0 Fehler und 1 Warnung in 1 Datei"
    assert lines[2].startswith("Der Inhalt ist in Ordnung: 8 Dateien gelesen, 2 Angebote"
                               " veröffentlicht, 1 Warnung, ")
    strict = run(minimal_project, "check", "--strict").stdout.splitlines()
    assert strict[-1] == "Abgebrochen: Mit --strict zählen Warnungen als Fehler."


def test_messages_option_and_environment_choose_english(tmp_path: Path) -> None:
    root = broken("unknown-contact", tmp_path)
    english = ("offers/sprachcafe.yml:10:11: error: provider: unknown contact point 'kii'; did"
               " you mean 'ki'? expected one of the file names in content/contacts/ (without"
               " .yml): ki, service-point")
    for result in (run(root, "--messages", "en", "check"), run(root, "check", "--messages", "en"),
                   run(root, "check", language="en"), run(root, "check", language="en_GB.UTF-8")):
        lines = result.stdout.splitlines()
        assert english in lines, result.stdout
        assert "1 error and 0 warnings in 1 file" in lines
        assert lines[-1] == "Stopped: fix the errors above. Nothing was built; site/ is unchanged."
    # the option wins over the environment, and German can be asked for explicitly
    assert GERMAN["unknown-contact"] in run(root, "check", "--messages", "de",
                                            language="en").stdout
    assert GERMAN["unknown-contact"] in run(root, "check", language="fr").stdout  # the default


def test_unknown_messages_language_is_a_usage_error(tmp_path: Path) -> None:
    result = run(tmp_path, "check", "--messages", "fr")
    assert result.returncode == 2
    assert "--messages: invalid choice: 'fr'" in result.stderr


def test_other_output_follows_the_language(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL)
    result = run(tmp_path, "new", "offer", "sprachcafe")
    assert result.stdout.strip() == ("offers/sprachcafe.yml: Fehler: Die Datei gibt es schon; sie"
                                     " wurde nicht verändert. Öffnen Sie sie zum Bearbeiten, oder"
                                     " wählen Sie einen anderen Namen.")
    result = run(tmp_path, "check", "--today", "2026-13-01")
    assert ("build.py: Fehler: --today muss ein Datum in der Form JJJJ-MM-TT zwischen 1900-01-01"
            " und 2099-12-31 sein, nicht '2026-13-01'") in result.stdout


# --- the catalog


def german_catalog() -> dict[object, object]:
    with PO.open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id and not m.fuzzy}


def placeholders(text: object) -> set[str]:
    texts = text if isinstance(text, tuple) else (text,)
    return {name for t in texts for _, name, _, _ in string.Formatter().parse(str(t))
            if name is not None}


def test_every_message_has_a_german_wording() -> None:
    """Fails when a message is added to the code (or a schema's errorMessage) untranslated:
    run `.venv/bin/python -m wegweiser.wording` and translate what it lists."""
    catalog = german_catalog()
    extracted = {message for _, _, message, _ in wording.extract()}
    assert len(extracted) > 100
    missing = sorted(str(m) for m in extracted if not catalog.get(m)
                     or (isinstance(catalog[m], tuple) and not all(catalog[m])))
    assert missing == []
    for message in extracted:
        assert placeholders(catalog[message]) == placeholders(message), message


def test_template_is_up_to_date() -> None:
    with POT.open("rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    assert template == {message for _, _, message, _ in wording.extract()}


def test_catalog_passes_msgfmt_check(tmp_path: Path) -> None:
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", str(tmp_path / "de.mo"),
                             str(PO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_placeholders_are_checked_by_msgfmt(tmp_path: Path) -> None:
    """The python-brace-format flag makes msgfmt refuse a translation that drops a field."""
    broken_po = tmp_path / "de.po"
    text = PO.read_text(encoding="utf-8")
    assert "#, python-brace-format" in text
    broken_po.write_text(text.replace("Unbekanntes Feld '{key}'", "Unbekanntes Feld", 1),
                         encoding="utf-8")
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(broken_po)],
                            capture_output=True, text=True)
    assert result.returncode != 0


def test_in_process_language_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(wording.ENVIRONMENT, raising=False)
    try:
        assert wording.language() == "de"
        assert wording._n("{n} file", "{n} files", 2) == "2 Dateien"
        assert wording.number(50000) == "50.000"
        wording.use("en")
        assert wording._n("{n} file", "{n} files", 1) == "1 file"
        assert wording.number(50000) == "50,000"
    finally:
        wording.use(None)
