"""Shared fixtures: throwaway projects written into tmp_path, and the build run for real."""

from __future__ import annotations

import fcntl
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"  # the build date the fixtures are written for
# Rendered PDFs are cached by the hash of their inputs; the test projects of one session
# share the cache, so a brochure of identical content is rendered once per session.
os.environ.setdefault("WEGWEISER_CACHE", tempfile.mkdtemp(prefix="wegweiser-cache-"))
if os.environ.get("PYTEST_XDIST_WORKER"):  # a build prunes what it did not use: one per process
    os.environ["WEGWEISER_CACHE"] = os.path.join(os.environ["WEGWEISER_CACHE"],
                                                 os.environ["PYTEST_XDIST_WORKER"])
# Messages are German by default; the tests read them in English (the wording in the code),
# also in the build.py processes they start. tests/test_wording.py checks the German wording.
os.environ.setdefault("WEGWEISER_MESSAGES", "en")

MINIMAL = {
    "content/site.yml": """\
        name: Kommunales Integrationszentrum Musterstadt
        short_name: KI Musterstadt
        organisation: Stadt Musterstadt
        city: Musterstadt
        base_url: https://integration.musterstadt.example/
        contact: ki
        service_point: service-point
        languages:
          - {code: de, name: Deutsch}
          - {code: en, name: English}
          - {code: ar, name: العربية, dir: rtl}
        categories:
          - {id: sprache, name: Sprache, icon: material/translate}
          - {id: beratung, name: Beratung, icon: material/account-voice}
        audiences:
          - {id: erwachsene, name: Erwachsene}
          - {id: familien, name: Familien}
        districts: [Mitte, Nord]
        brochure:
          edition: 2026-11
          publisher: Stadt Musterstadt, Der Bürgermeister
          publisher_address: {street: Marktplatz 1, postcode: 01067, city: Musterstadt}
          responsible: Maria Muster, Leitung des Kommunalen Integrationszentrums
          printer: Druckhaus Muster, Musterweg 1, 01067 Musterstadt
          print_run: 2500
        """,
    "content/contacts/ki.yml": """\
        name: Kommunales Integrationszentrum
        organisation: Stadt Musterstadt
        address: {street: Marktplatz 1, postcode: 01067, city: Musterstadt, district: Mitte}
        phones:
          - {number: 0123 456-005, label: Zentrale}
        email: ki@musterstadt.example
        opening_hours:
          weekly:
            monday: [{opens: 09:00, closes: 12:00}]
            thursday: [{opens: 09:00, closes: 12:00}, {opens: 14:00, closes: 18:30}]
        languages: [de, en, ar]
        last_reviewed: 2026-10-01
        """,
    "content/contacts/service-point.yml": """\
        name: Service-Point
        organisation: Stadt Musterstadt
        address: {street: Bahnhofstraße 2, postcode: 01067, city: Musterstadt}
        website: https://musterstadt.example/service-point
        opening_hours:
          by_appointment: true
        last_reviewed: 2026-10-01
        """,
    "offers/sprachcafe.yml": """\
        title: Sprachcafé
        summary: Deutsch sprechen in entspannter Runde.
        description: |
          Jeden Dienstag treffen sich Menschen, die Deutsch üben möchten.

          Ohne Anmeldung, einfach vorbeikommen.
        category: sprache
        audience: [erwachsene]
        languages: [de, en]
        provider: ki
        where_when:
          place: service-point
          schedule:
            tuesday: [{opens: 18:30, closes: 20:00}]
        cost: {free: true}
        registration: {required: false}
        district: Mitte
        last_reviewed: 2026-09-01
        """,
    "offers/familienberatung.yml": """\
        title: Familienberatung
        summary: Beratung für Familien in mehreren Sprachen.
        description: Beratung zu Kita, Schule und Alltag.
        category: beratung
        audience: [familien]
        languages: [de, ar]
        provider: ki
        cost: {free: false, text: 5 Euro pro Termin}
        registration: {required: true, how: Telefonisch unter 0123 456-005.}
        last_reviewed: 2026-09-01
        in_brochure: false
        """,
    "content/programme/2026-12.yml": """\
        venue: service-point
        events:
          - id: info-abend
            date: 2026-12-03
            start: 18:00
            end: 19:30
            title: Infoabend Einbürgerung
            host: ki
            languages: [de]
        recurring:
          - id: offene-beratung
            title: Offene Beratung
            host: ki
            start: 10:00
            end: 12:00
            repeat: {weekday: tuesday, every: week}
        """,
    "content/notices.yml": """\
        notices:
          - id: schliessung
            severity: warning
            title: Eingeschränkt erreichbar
            text: Das KI ist derzeit nur telefonisch erreichbar.
            from: 2026-11-01
            until: 2027-01-31
        """,
    "content/pages/ueber-uns.md": """\
        ---
        title: Über uns
        order: 1
        ---
        Das Kommunale Integrationszentrum fördert die Teilhabe.
        """,
}


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def minimal_project(tmp_path: Path) -> Path:
    """A small valid project: two offers, two contact points, one month, one page."""
    write_files(tmp_path, MINIMAL)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


@pytest.fixture
def shipped_project(tmp_path: Path) -> Path:
    """A copy of the shipped content, safe to change."""
    for name in ("content", "offers", "translations"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, tmp_path / name)
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def run_build(root: Path, *args: str, today: str = TODAY) -> subprocess.CompletedProcess[str]:
    """Run the real command line on a project, as an editor would."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), "--root", str(root), "--today", today, *args],
        capture_output=True, text=True, cwd=root,
    )


def actual_texts(path: Path) -> list[str]:
    """The /ActualText of every marked-content sequence of a PDF, in the order written.

    Arabic runs carry their letters in reading order there; poppler's pdftotext prints
    such runs in visual (reversed) order, so tests of Arabic text read them from here.
    """
    import pikepdf

    texts = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                        and "/ActualText" in operands[1]:
                    texts.append(str(operands[1].ActualText))
    return texts


def text_sizes(path: Path) -> list[float]:
    """The size in points of every text-showing operation (font size × text and graphics
    matrices; WeasyPrint draws in CSS pixels under a 0.75 scale)."""
    import pikepdf

    sizes = []
    with pikepdf.open(path) as document:
        for page in document.pages:
            scale, stack, font, text_scale = 1.0, [], 0.0, 1.0
            for operands, operator in pikepdf.parse_content_stream(page):
                op = str(operator)
                if op == "q":
                    stack.append(scale)
                elif op == "Q":
                    scale = stack.pop()
                elif op == "cm":
                    scale *= abs(float(operands[3]))
                elif op == "Tm":
                    text_scale = abs(float(operands[3]))
                elif op == "Tf":
                    font = float(operands[1])
                elif op in ("Tj", "TJ"):
                    sizes.append(round(font * text_scale * scale, 2))
    return sizes


# --- the shipped site for the browser checks



def run_browser_script(script: str, *args: str,
                       timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run tests/browser/<script> (Node driving headless Chromium) on the given arguments.

    The browser keeps the real clock: the suite may run under a faked one (libfaketime,
    see README "Development"), which Chromium does not survive; what is dated is the
    build, not the browser."""
    env = {k: v for k, v in os.environ.items()
           if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}
    return subprocess.run([shutil.which("node") or "node", str(REPO / "tests" / "browser" / script),
                           *args], capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env=env)


def interruptible() -> None:
    """For subprocess.Popen(preexec_fn=...): Ctrl-C as in a terminal. A suite started in the
    background (nohup, `&` in a script) passes SIGINT on as ignored, and Python keeps it so."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def built_once(folder: Path) -> Path:
    """The shipped content built as shipped into `folder`, once for all the session's
    processes (pytest-xdist): the first builds while holding the lock, the others wait
    for it and serve the same files, which no test changes (after a failed build, the next
    process builds again and fails with its own message)."""
    root = folder / "shipped"
    with open(folder / "shipped.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "site").is_dir():
            for name in ("content", "offers", "translations"):
                shutil.copytree(REPO / name, root / name, dirs_exist_ok=True)
            shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
            result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root),
                                     "--today", TODAY, "build"],
                                    capture_output=True, text=True, cwd=root)
            assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The shipped content, built as shipped (its base_url is the production address), served
    at http://127.0.0.1:<port>/: a copy as a reviewer or a mirror has it, which must work
    without a single request to the production host."""
    base_temp = tmp_path_factory.getbasetemp()  # pytest-N/popen-gwK under pytest-xdist
    site = built_once(base_temp.parent if os.environ.get("PYTEST_XDIST_WORKER") else base_temp)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, site
    finally:
        server.shutdown()


NGINX_CONFIG = """\
daemon off;
master_process off;
pid {run}/nginx.pid;
error_log {run}/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        gzip_static on;
        error_page 404 /404.html;
    }}
}}
"""


@pytest.fixture(scope="session")
def nginx_site(shipped_site: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[str]:
    """The shipped site behind Debian's nginx, which sends the .gz file beside a file as it
    is (gzip_static on), as production is advised to (README "Publishing")."""
    _, site = shipped_site
    run = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = run / "nginx.conf"
    config.write_text(NGINX_CONFIG.format(run=run, port=port, site=site), encoding="utf-8")
    server = subprocess.Popen(["/usr/sbin/nginx", "-c", str(config), "-p", str(run)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


# A month of the programme (December 2026) for the feeds, flyers and posters, with the
# English of two of its texts.
MONTH = """\
    venue: service-point
    events:
      - {id: info-abend, date: 2026-12-03, start: 18:00, end: 19:30, title: Infoabend,
         host: ki, topic: Einbürgerung, languages: [de, ar]}
      - {id: absage, date: 2026-12-10, start: 18:00, end: 19:00, title: Elterncafé,
         host: ki, status: cancelled, note: Die Leitung ist erkrankt.}
    recurring:
      - id: offene-beratung
        title: Offene Beratung
        host: ki
        room: Raum 1
        start: 10:00
        end: 12:00
        repeat: {weekday: tuesday, every: week}
        registration: {required: true, how: Telefonisch anmelden.}
        exceptions:
          - {date: 2026-12-29, status: cancelled, note: Weihnachtsschließung.}
          - date: 2026-12-15
            status: moved
            moved_to: {date: 2026-12-17, start: 14:00, end: 16:00}
      - id: kita
        title: Sprechstunde Kita
        host: ki
        start: 09:30
        end: 12:00
        repeat: {weekday: friday, every: 2 weeks, first: 2026-12-11}
      - id: einbuergerung
        title: Sprechstunde Einbürgerung
        host: ki
        start: 13:30
        end: 15:30
        repeat: {weekday: thursday, every: month, week_of_month: 1}
      - id: gewalt
        title: Sprechstunde Gewalt
        host: ki
        start: 14:00
        end: 16:00
        repeat: {weekday: wednesday, every: month, week_of_month: -1}
"""

ENGLISH = r'''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Language: en\n"

msgctxt "programme/2026-12/offene-beratung#title"
msgid "Offene Beratung"
msgstr "Open advice"

msgctxt "ui"
msgid "Fällt aus"
msgstr "Cancelled"
'''
