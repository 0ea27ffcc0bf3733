"""Hostile plain text in real headless Chromium: no dialog opens, no request leaves the host.

Every text field of every content type, the settings (site name, language names, licence)
and every string of the English catalog hold a payload that mkdocs would turn into a live
`javascript:` link, an event handler (attribute list) or a third-party image, plus raw HTML
with an event handler. The fixture project is built and served at 127.0.0.1; every German
and English page is opened, its headings clicked, and its DOM searched for handlers and
unsafe link targets (hostile_checks.mjs).
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import textwrap
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL, REPO, Quiet, free_port, run_build, write_files

NODE = shutil.which("node")
PAYLOAD = ("<img src=x onerror=alert(1)> [L](javascript:alert(2))"
           " ![I](https://evil.example/i.png) { onclick=alert(3) }")
HOSTILE_URL = "https://x.example/)[Z](javascript:alert(4)"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (NODE and Path("/usr/bin/chromium").exists()
                            and (REPO / "node_modules" / "playwright-core").exists()),
                       reason="needs node, /usr/bin/chromium and npm's playwright-core"),
]

P = f"'{PAYLOAD}'"  # single-quoted YAML
# (file, text in the minimal project, its hostile replacement): every text field.
REPLACEMENTS = [
    ("content/site.yml", "name: Kommunales Integrationszentrum Musterstadt", f"name: {P}"),
    ("content/site.yml", "short_name: KI Musterstadt", f"short_name: {P}"),
    ("content/site.yml", "organisation: Stadt Musterstadt", f"organisation: {P}"),
    ("content/site.yml", "city: Musterstadt", f"city: {P}"),
    ("content/site.yml", "{code: en, name: English}", f"{{code: en, name: {P}}}"),
    ("content/site.yml", "name: Sprache, icon", f"name: {P}, description: {P}, icon"),
    ("content/site.yml", "name: Beratung, icon", f"name: {P}, icon"),
    ("content/site.yml", "{id: erwachsene, name: Erwachsene}", f"{{id: erwachsene, name: {P}}}"),
    ("content/site.yml", "{id: familien, name: Familien}", f"{{id: familien, name: {P}}}"),
    ("content/site.yml", "districts: [Mitte, Nord]", f"districts: [{P}, Nord]"),
    ("content/contacts/ki.yml", "name: Kommunales Integrationszentrum", f"name: {P}"),
    ("content/contacts/ki.yml", "organisation: Stadt Musterstadt", f"organisation: {P}"),
    ("content/contacts/ki.yml", "street: Marktplatz 1", f"street: {P}"),
    ("content/contacts/ki.yml", "district: Mitte", f"district: {P}"),
    ("content/contacts/ki.yml", "label: Zentrale", f"label: {P}"),
    ("content/contacts/ki.yml", "languages: [de, en, ar]", textwrap.dedent(f"""\
        languages: [de, en, ar]
        accessibility: {P}
        persons:
          - {{name: {P}, area: {P}}}""")),
    ("content/contacts/ki.yml", "weekly:", f"note: {P}\nweekly:"),
    ("content/contacts/service-point.yml", "name: Service-Point", f"name: {P}"),
    ("offers/sprachcafe.yml", "title: Sprachcafé", f"title: {P}"),
    ("offers/sprachcafe.yml", "summary: Deutsch sprechen in entspannter Runde.",
     f"summary: {P}"),
    ("offers/sprachcafe.yml", "Ohne Anmeldung, einfach vorbeikommen.", PAYLOAD),
    ("offers/sprachcafe.yml", "district: Mitte", textwrap.dedent(f"""\
        district: {P}
        accessibility: {P}
        links:
          - {{title: {P}, url: '{HOSTILE_URL}'}}""")),
    ("offers/sprachcafe.yml", "place: service-point", f"place: service-point\ntext: {P}"),
    ("offers/familienberatung.yml", "text: 5 Euro pro Termin", f"text: {P}"),
    ("offers/familienberatung.yml", "how: Telefonisch unter 0123 456-005.", f"how: {P}"),
    ("content/programme/2026-12.yml", "title: Infoabend Einbürgerung",
     f"title: {P}\ntopic: {P}\nroom: {P}\nnote: {P}"),
    ("content/programme/2026-12.yml", "title: Offene Beratung", f"title: {P}"),
    ("content/notices.yml", "title: Eingeschränkt erreichbar", f"title: {P}"),
    ("content/notices.yml", "text: Das KI ist derzeit nur telefonisch erreichbar.",
     f"text: {P}"),
    ("content/pages/ueber-uns.md", "title: Über uns", f"title: {P}\ndescription: {P}"),
    ("content/pages/ueber-uns.md", "fördert die Teilhabe.", PAYLOAD),
]
LICENCE = f"data_licence: {{name: {P}, url: '{HOSTILE_URL}'}}\nbrochure: {{title: {P}}}\n"


def hostile_files() -> dict[str, str]:
    files = {name: textwrap.dedent(text) for name, text in MINIMAL.items()}
    for name, old, new in REPLACEMENTS:
        assert old in files[name], (name, old)
        indent = files[name].split(old, 1)[0].rsplit("\n", 1)[-1]
        files[name] = files[name].replace(old, new.replace("\n", "\n" + indent), 1)
    files["content/site.yml"] += LICENCE
    return files


def poison_catalog(path: Path) -> None:
    """Every English string becomes the payload (strings with {placeholders} keep theirs)."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id and "{" not in str(message.id):
            message.string = f"{PAYLOAD} {message.id}"
    with path.open("wb") as f:
        write_po(f, catalog)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("hostile-browser")
    write_files(root, hostile_files())
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    settings = root / "content" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "https://integration.musterstadt.example/", base), encoding="utf-8")
    translations = run_build(root, "translations")
    assert translations.returncode == 0, translations.stdout + translations.stderr
    poison_catalog(root / "translations" / "en.po")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, site
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def report(served: tuple[str, Path]) -> dict[str, Any]:
    base, site = served
    paths = [""] + sorted(p.relative_to(site).as_posix().removesuffix("index.html")
                          for lang in ("de", "en") for p in (site / lang).rglob("index.html"))
    result = subprocess.run([NODE, str(Path(__file__).with_name("hostile_checks.mjs")), base,
                             *paths], capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_page_was_opened(report: dict[str, Any]) -> None:
    assert report["errors"] == []
    assert report["pages"] > 25


def test_no_dialog_opens(report: dict[str, Any]) -> None:
    assert report["dialogs"] == []


def test_no_request_leaves_the_host(report: dict[str, Any]) -> None:
    assert report["external"] == []


def test_no_event_handler_or_unsafe_link_target(report: dict[str, Any]) -> None:
    assert report["unsafe"] == []


def test_the_payload_is_shown_as_text(served: tuple[str, Path]) -> None:
    """Plain text stays the text it was: on the offer page, the open-data page, in English."""
    import lxml.html

    _, site = served
    for page in ("de/angebote/sprachcafe/index.html", "de/offene-daten/index.html",
                 "en/offene-daten/index.html", "en/index.html"):
        tree = lxml.html.fromstring((site / page).read_bytes())
        assert PAYLOAD in tree.xpath("string(//article)"), page
