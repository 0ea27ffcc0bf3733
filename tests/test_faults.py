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

from wegweiser import faults

CORPUS = Path(__file__).resolve().parent / "content" / "broken"


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
        "content/site.yml:5:11: Fehler: base_url: 'https://integration.musterstadt.example/"
        "{lang}/' ist hier nicht gültig; erwartet wird eine Webadresse, die mit https://"
        " beginnt und mit / endet, z. B. https://integration.example.de/ (ohne Leerzeichen,"
        " Klammern oder Anführungszeichen; http:// nur für einen Test unter http://localhost/"
        " oder http://127.0.0.1/)."),
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
    "null-title": (
        "offers/sprachcafe.yml:1:8: Fehler: title: Null bedeutet in YAML „kein Wert“, hier"
        " wird aber ein Text erwartet; um das Wort selbst zu schreiben, setzen Sie es in"
        " Anführungszeichen: 'Null'"),
    "clock-change-event": (
        "content/programme/2027-03.yml:5:12: Fehler: events[0].start: 02:30 gibt es am"
        " 2027-03-28 nicht: in dieser Nacht werden die Uhren vorgestellt (Europe/Berlin);"
        " wählen Sie eine andere Uhrzeit"),
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



# --- 8: a stuck swap never blocks later builds -------------------------------------------


def namespaces_available() -> bool:
    """Mounts in a private user and mount namespace: a tmpfs, a read-only bind."""
    try:
        return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


needs_mounts = pytest.mark.skipif(not namespaces_available(),
                                  reason="unshare -rm (user namespaces) is not available")


def in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["unshare", "-rm", "sh", "-ec", script], capture_output=True,
                          text=True, timeout=600)


def build_command(root: Path, *args: str) -> str:
    return (f"'{sys.executable}' '{REPO / 'build.py'}' --root '{root}' --today {TODAY}"
            f" build {' '.join(args)}")


def test_site_that_is_a_file_is_refused(minimal_project: Path) -> None:
    (minimal_project / "site").write_text("kein Ordner", encoding="utf-8")
    result = run_build(minimal_project, "build")
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2:] == [
        f"error: {minimal_project / 'site'} is a file, not a folder; move the file away or"
        " choose another output folder with --out",
        f"Stopped: the build failed; {minimal_project / 'site'} is unchanged."]
    assert (minimal_project / "site").read_text(encoding="utf-8") == "kein Ordner"
    assert sorted(p.name for p in minimal_project.iterdir() if p.name.startswith(".")) == []


def test_leftovers_that_are_files_or_read_only_are_removed(tmp_path: Path) -> None:
    from wegweiser import publish

    site = tmp_path / "site"
    (tmp_path / ".site.staging").write_text("eine Datei", encoding="utf-8")
    locked = tmp_path / ".site.old" / "gesperrt"
    locked.mkdir(parents=True)
    (locked / "seite.html").write_text("alt", encoding="utf-8")
    locked.chmod(0o500)
    with publish.staging(site) as stage:
        (stage / "index.html").write_text("neu", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@needs_mounts
def test_leftover_that_cannot_be_removed_is_moved_aside(minimal_project: Path) -> None:
    """A mount point inside the leftover: nobody can remove it; the build goes on."""
    leftover = minimal_project / ".site.staging" / "eingehängt"
    leftover.mkdir(parents=True)
    result = in_namespace(f"mount -t tmpfs none '{leftover}'\n"
                          f"{build_command(minimal_project)}\n"
                          f"{build_command(minimal_project)}")
    assert result.returncode == 0, result.stdout + result.stderr
    stuck = minimal_project / ".site.stuck-1"
    assert (f"warning: {minimal_project / '.site.staging'} cannot be removed (Device or"
            f" resource busy: {leftover}); it was moved to {stuck}: remove that by hand"
            ) in result.stdout.splitlines()
    assert (f"warning: {stuck} is left over from an earlier build and cannot be removed"
            f" (Device or resource busy: {stuck / 'eingehängt'}); remove it by hand"
            ) in result.stdout.splitlines()  # the second build says it again, and builds
    assert result.stdout.count("Built ") == 2
    assert (minimal_project / "site" / "index.html").is_file()
    assert not (minimal_project / ".site.staging").exists()


@needs_mounts
def test_previous_site_that_cannot_be_removed_is_moved_aside(minimal_project: Path) -> None:
    held = minimal_project / "site" / "eingehängt"
    held.mkdir(parents=True)
    result = in_namespace(f"mount -t tmpfs none '{held}'\n"
                          f"{build_command(minimal_project)}\n"
                          f"{build_command(minimal_project)}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Built ") == 2
    assert f"it was moved to {minimal_project / '.site.stuck-1'}" in result.stdout
    assert (minimal_project / "site" / "de" / "index.html").is_file()
    assert not (minimal_project / ".site.staging").exists()


# --- 16: a read-only folder, a full disk, no memory ----------------------------------------


@needs_mounts
def test_read_only_output_folder(minimal_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("alt", encoding="utf-8")
    result = in_namespace(f"mount --bind '{out}' '{out}'\n"
                          f"mount -o remount,bind,ro '{out}'\n"
                          f"{build_command(minimal_project, '--out', str(out / 'site'))}"
                          " || echo exit=$?")
    assert result.stdout.splitlines()[-3:] == [
        f"error: cannot write beside {out / 'site'}: Read-only file system: {out / '.site.lock'}",
        f"Stopped: the build failed; {out / 'site'} is unchanged.", "exit=1"]
    assert sorted(p.name for p in out.iterdir()) == ["site"]
    assert (out / "site" / "index.html").read_text(encoding="utf-8") == "alt"


@pytest.mark.slow
@needs_mounts
def test_full_disk(minimal_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = in_namespace(f"mount -t tmpfs -o size=1m none '{out}'\n"
                          f"mkdir '{out / 'site'}'\n"
                          f"echo alt > '{out / 'site' / 'index.html'}'\n"
                          f"{build_command(minimal_project, '--out', str(out / 'site'))}"
                          " || echo exit=$?\n"
                          f"ls -A '{out}'\n"
                          f"cat '{out / 'site' / 'index.html'}'")
    lines = result.stdout.splitlines()
    assert "Traceback" not in result.stdout + result.stderr
    assert lines[-5].startswith(f"error: the disk is full (No space left on device: {out}/")
    assert lines[-5].endswith("); free some space, then build again")
    assert lines[-4:] == [f"Stopped: the build failed; {out / 'site'} is unchanged.", "exit=1",
                          "site", "alt"]  # nothing but the previous site is left


@pytest.mark.slow
def test_memory_exhaustion(minimal_project: Path, tmp_path: Path) -> None:
    import resource

    def limit_memory() -> None:  # enough to start and check, too little for the renderers
        resource.setrlimit(resource.RLIMIT_AS, (200_000_000, 200_000_000))

    site = minimal_project / "site"
    site.mkdir()
    (site / "index.html").write_text("alt", encoding="utf-8")
    env = dict(os.environ, WEGWEISER_CACHE=str(tmp_path / "cache"))
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root",
                             str(minimal_project), "--today", TODAY, "build"],
                            capture_output=True, text=True, env=env, preexec_fn=limit_memory)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    error = result.stdout.splitlines()[-2]
    assert error in (
        "error: the build ran out of memory; close other programs or build on a machine with"
        " more memory",
        "error: a worker process of the build ended unexpectedly, most often because the"
        " memory ran out (A process in the process pool was terminated abruptly while the"
        " future was running or pending.)"), result.stdout
    assert result.stdout.splitlines()[-1] == f"Stopped: the build failed; {site} is unchanged."
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert not (minimal_project / ".site.staging").exists()


# --- 12: SIGTERM to the main process alone ---------------------------------------------


def session_members(session: int) -> list[int]:
    """The processes of a session (the build and every worker it started)."""
    members = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            members.append(int(stat_file.parent.name))
    return members


@pytest.mark.slow
def test_sigterm_to_the_main_process_ends_its_workers(minimal_project: Path,
                                                     tmp_path: Path) -> None:
    import hashlib
    import signal
    import time

    def snapshot(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert run_build(minimal_project, "build").returncode == 0
    before = snapshot(minimal_project / "site")
    offer = minimal_project / "offers" / "sprachcafe.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("title: Sprachcafé",
                                                               "title: Sprachtreff"))
    cache = tmp_path / "empty-cache"  # so the brochures are rendered, in worker processes
    env = dict(os.environ, WEGWEISER_CACHE=str(cache))
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--root",
                                str(minimal_project), "--today", TODAY, "build"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=env, start_new_session=True)
    # the main process, two brochure workers and at least one layout forked from a worker
    deadline = time.monotonic() + 120
    while not ((cache / "brochure").is_dir() and len(session_members(process.pid)) > 3):
        assert process.poll() is None and time.monotonic() < deadline, "no brochure layouts"
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGTERM)  # the main process only, as `timeout` does
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM, stdout + stderr
    assert "Traceback" not in stdout + stderr
    assert stdout.splitlines()[-1] == ("Interrupted: nothing was published;"
                                       f" {minimal_project / 'site'} is unchanged.")
    deadline = time.monotonic() + 10
    while session_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_members(process.pid) == []  # no worker renders on alone
    assert snapshot(minimal_project / "site") == before
    assert not (minimal_project / ".site.staging").exists()


# --- 11: a brochure too large to lay out is refused by check ------------------------------


def test_brochure_larger_than_the_limit_is_refused(minimal_project: Path) -> None:
    offer = (minimal_project / "offers" / "sprachcafe.yml").read_text(encoding="utf-8")
    for i in range(1000):  # with sprachcafe: 1,001 offers in the brochure
        (minimal_project / "offers" / f"angebot-{i}.yml").write_text(offer, encoding="utf-8")
    result = check(minimal_project)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "offers/: error: the brochure would hold 1,001 offers; at most 1,000 fit one printed"
        " brochure (some 1,500 pages in each language); mark the offers that need not be"
        " printed with in_brochure: false")
    (minimal_project / "offers" / "angebot-0.yml").write_text(
        offer + "in_brochure: false\n", encoding="utf-8")
    assert check(minimal_project).returncode == 0


def test_a_library_that_cannot_be_mapped_for_want_of_memory_is_said_in_words() -> None:
    """Under a memory limit WeasyPrint's cffi loader fails with the loader's words in an
    OSError without errno; that is the machine, not a bug."""
    error = OSError("cannot load library 'libpango-1.0.so.0': libpango-1.0.so.0: failed to map"
                    " segment from shared object.  Additionally, ctypes.util.find_library()"
                    " did not manage to locate a library called 'pango-1.0-0'")
    assert faults.explain(error) == faults.explain(MemoryError())
    assert faults.explain(OSError("cannot load library 'pango-1.0-0'")) is None  # not installed


def test_a_library_the_loader_cannot_open_under_a_memory_limit_is_memory() -> None:
    """Under `ulimit -v` the loader sometimes says it cannot open a library that exists;
    without a limit the same words mean the library is missing (not the machine's memory)."""
    words = ("cannot load library 'libpango-1.0.so.0': libpango-1.0.so.0: cannot open shared"
             " object file: No such file or directory")
    code = ("import resource, sys; from wegweiser import faults\n"
            "if len(sys.argv) > 1: resource.setrlimit(resource.RLIMIT_AS, (2**34, 2**34))\n"
            f"print(faults.explain(OSError({words!r})) is not None)")
    without = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                             text=True, check=True)
    limited = subprocess.run([sys.executable, "-c", code, "limit"], cwd=REPO,
                             capture_output=True, text=True, check=True)
    assert (without.stdout.strip(), limited.stdout.strip()) == ("False", "True")
