"""The shipped site, built once per test session for its base URL on a local server."""

from __future__ import annotations

import functools
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD_DAY = "2026-11-23"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The shipped content built for and served at http://127.0.0.1:<port>/, so absolute
    URLs (canonical, hreflang) point at the site under test as they would in production."""
    root = tmp_path_factory.mktemp("shipped")
    for name in ("content", "offers", "translations"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    settings = root / "content" / "site.yml"
    lines = [f"base_url: {base}" if line.startswith("base_url:") else line
             for line in settings.read_text(encoding="utf-8").splitlines()]
    settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(root),
                             "--today", BUILD_DAY, "build"],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    server = ThreadingHTTPServer(("127.0.0.1", port),
                                 functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield base, site
    finally:
        server.shutdown()
