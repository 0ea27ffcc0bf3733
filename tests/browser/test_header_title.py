"""The header's site title on a phone, where it is too long for the header: in headless
Chromium at 390 px, on a left-to-right and a right-to-left page."""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from conftest import MINIMAL, REPO, Quiet, free_port, run_browser_script, run_build, write_files

pytestmark = pytest.mark.slow

TITLE = "Kommunales Integrationszentrum Kreis Mettmann"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A project whose long name has no Arabic translation: the Arabic pages show it in
    German, left to right inside a right-to-left header."""
    root = tmp_path_factory.mktemp("title")
    write_files(root, {**MINIMAL, "content/site.yml": MINIMAL["content/site.yml"].replace(
        "name: Kommunales Integrationszentrum Musterstadt", f"name: {TITLE}")})
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", free_port()),
                                 functools.partial(Quiet, directory=str(root / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def test_a_german_title_is_cut_at_its_end_on_a_right_to_left_page(base: str) -> None:
    """Its first words stay: "Kommunales Integr…", not "…trum Kreis Mettmann"."""
    result = run_browser_script("header_title.mjs", f"{base}de/", f"{base}ar/", timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    for lang in ("de", "ar"):
        title = report[f"{base}{lang}/"]
        assert title == {"text": TITLE, "first": True, "last": False}, lang
