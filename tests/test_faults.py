"""Faults that are no content file of the corpus: special files, usage, the editor's language.

Each case runs the real command line and asserts the exact line an editor reads, in English
(the tests' default) and, where the wording matters most, in German.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, TODAY, run_build, write_files

CORPUS = Path(__file__).resolve().parent / "broken"


def check(root: Path, *args: str, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    return run_build(root, "check", *args, today=today)


def in_german(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root),
                           "--today", TODAY, "--messages", "de", *args],
                          capture_output=True, text=True, cwd=root)


def with_case(root: Path, case: str) -> Path:
    shutil.copytree(CORPUS / case, root, dirs_exist_ok=True)
    return root


# --- 9: only regular files are content -------------------------------------------------


def test_named_pipe_is_refused_before_it_is_read(minimal_project: Path) -> None:
    os.mkfifo(minimal_project / "offers" / "rohr.yml")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(minimal_project), "--today",
         TODAY, "check"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "offers/rohr.yml:1:1: error: this is a named pipe, not a file; the content folders"
        " may hold only ordinary files and folders: remove it")


def test_link_to_a_device_is_refused_in_every_content_folder(minimal_project: Path) -> None:
    (minimal_project / "translations").mkdir()
    for name in ("offers/null.yml", "content/pages/null.md", "translations/en.po"):
        os.symlink("/dev/zero", minimal_project / name)
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(minimal_project), "--today",
         TODAY, "build"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    message = ("error: this is a link to a device (/dev/zero), not a file; the content"
               " folders may hold only ordinary files and folders: remove it")
    for name in ("content/pages/null.md", "offers/null.yml", "translations/en.po"):
        assert f"{name}:1:1: {message}" in result.stdout.splitlines()
    assert not (minimal_project / "site").exists()


def test_special_file_message_in_german(minimal_project: Path) -> None:
    os.mkfifo(minimal_project / "offers" / "rohr.yml")
    result = in_german(minimal_project, "check")
    assert result.stdout.splitlines()[0] == (
        "offers/rohr.yml:1:1: Fehler: dies ist eine benannte Pipe, keine Datei; in den"
        " Inhaltsordnern dürfen nur gewöhnliche Dateien und Ordner liegen: entfernen Sie es")


# --- 13: --today is a usage error outside the calendar a build can compute ---------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2100-01-01"])
def test_today_out_of_range_is_a_usage_error(minimal_project: Path, day: str) -> None:
    result = check(minimal_project, today=day)
    assert result.returncode == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == (
        "build.py: error: --today must be a date written YYYY-MM-DD between 1900-01-01 and"
        f" 2099-12-31, not '{day}'")


def test_source_date_epoch_out_of_range_is_a_usage_error(minimal_project: Path) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="99999999999999")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root",
                             str(minimal_project), "check"], capture_output=True, text=True,
                            env=env)
    assert result.returncode == 2
    assert result.stdout.splitlines()[-1].endswith(
        "not 'SOURCE_DATE_EPOCH=99999999999999'")


def test_today_message_in_german(minimal_project: Path) -> None:
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root",
                             str(minimal_project), "--today", "9999-12-31", "--messages", "de",
                             "check"], capture_output=True, text=True)
    assert result.stdout.splitlines()[-1] == (
        "build.py: Fehler: --today muss ein Datum in der Form JJJJ-MM-TT zwischen 1900-01-01"
        " und 2099-12-31 sein, nicht '9999-12-31'")


# --- 13, 14, 7, 15: the corpus cases in German ----------------------------------------------


GERMAN = {
    "lone-surrogate-value": (
        "offers/sprachcafe.yml:1:8: Fehler: der Text enthält \\uD800, die Hälfte eines"
        " Zeichenpaars, die sich weder speichern noch anzeigen lässt; löschen Sie das"
        " \\u-Escape oder schreiben Sie das Zeichen selbst"),
    "unknown-timezone": (
        "content/site.yml:19:11: Fehler: timezone: 'Europe/Musterstadt' ist keine Zeitzone,"
        " die der Build kennt; schreiben Sie Europe/Berlin (oder einen anderen Namen aus der"
        " Zeitzonen-Datenbank, z. B. Europe/Vienna)"),
    "base-url-braces": (
        "content/site.yml:5:11: Fehler: base_url: die Adresse enthält '{', das in einer"
        " Webadresse nicht vorkommen kann; schreiben Sie die Adresse der Website genau so, wie"
        " der Browser sie anzeigt"),
    "markdown-nested-300": (
        "content/pages/ueber-uns.md:7:1: Fehler: Listen oder Zitate sind hier mehr als 12"
        " Ebenen tief ineinander verschachtelt; ein Text braucht nur wenige Ebenen"),
    "markdown-link-brackets": (
        "offers/sprachcafe.yml:3:14: Fehler: description: der Text hat 2.000 '[' (Links); in"
        " einem Text sind höchstens 300 erlaubt"),
    "reserved-offer-id": (
        "offers/index.yml:1:1: Fehler: die ID 'index' ist reserviert: sie würde die Seite"
        " angebote/ der Website ersetzen; wählen Sie einen anderen Namen, der sagt, worum es"
        " geht, z. B. index-beratung"),
    "catalog-placeholder-renamed": (
        "translations/en.po:10:1: Fehler: die Übersetzung verwendet {datum}, den der deutsche"
        " Text nicht hat; übernehmen Sie die Platzhalter unverändert ({date})"),
    "catalog-plural-forms": (
        "translations/en.po:4:1: Fehler: die Kopfzeile 'Plural-Forms: nplurals=2; plural=(n !="
        " 1;' lässt sich nicht auswerten; schreiben Sie sie wie 'nplurals=2; plural=(n != 1);'"
        " (die Form für Ihre Sprache steht im gettext-Handbuch)"),
    "catalog-syntax": (
        "translations/en.po:14:1: Fehler: der Text muss in doppelten Anführungszeichen \"...\""
        " stehen, mit \\\" für ein Anführungszeichen darin; ein schließendes Anführungszeichen"
        " fehlt oder steht falsch"),
}


@pytest.mark.parametrize("case", sorted(GERMAN))
def test_corpus_message_in_german(case: str, minimal_project: Path) -> None:
    result = in_german(with_case(minimal_project, case), "check")
    assert result.returncode == 1
    assert GERMAN[case] in result.stdout.splitlines(), result.stdout


# --- 10: the length of one Markdown text ---------------------------------------------------


def test_overlong_markdown_text_is_refused(minimal_project: Path) -> None:
    page = minimal_project / "content" / "pages" / "ueber-uns.md"
    page.write_text(page.read_text(encoding="utf-8") + "| a | b |\n|---|---|\n"
                    + "| Zelle | Zelle |\n" * 4000, encoding="utf-8")  # 72,000 characters
    result = check(minimal_project)
    assert result.returncode == 1
    assert ("content/pages/ueber-uns.md:5:1: error: the text has 72,076 characters; at most"
            " 50,000 fit in one text; split it or shorten it") in result.stdout.splitlines()


def test_catalog_markdown_is_bounded_too(minimal_project: Path) -> None:
    write_files(minimal_project, {"translations/en.po": f"""\
        msgctxt "offer/sprachcafe#description"
        msgid "Ohne Anmeldung, einfach vorbeikommen."
        msgstr "{'[a](' * 400}"
        """})
    result = check(minimal_project)
    assert ("translations/en.po:3:1: error: the text has 400 '[' (links); at most 300 are"
            " allowed in one text") in result.stdout.splitlines()

