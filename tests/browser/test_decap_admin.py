"""The web form editor at /admin/: Decap CMS with decap-server, in headless Chromium."""

from __future__ import annotations

import functools
import json
import os
import socket
import subprocess
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from conftest import Quiet, free_port, run_browser_script, run_build

from wegweiser.editors.cms import write_admin

REPO = Path(__file__).resolve().parents[2]
DECAP_SERVER = REPO / "node_modules" / ".bin" / "decap-server"

# `python3 build.py test` installs node, Chromium and the npm tooling: a missing piece
# fails these tests instead of skipping them
pytestmark = pytest.mark.slow


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port}")


@pytest.fixture
def admin_site(shipped_project: Path):
    """The built admin/ served on 127.0.0.1, decap-server on the project's files."""
    api_port, web_port = free_port(), free_port()
    out = shipped_project / "site"
    write_admin(shipped_project, out, local_backend=f"http://127.0.0.1:{api_port}/api/v1")
    env = dict(os.environ, PORT=str(api_port), BIND_HOST="127.0.0.1",
               GIT_REPO_DIRECTORY=str(shipped_project), MODE="fs")
    server = subprocess.Popen([str(DECAP_SERVER)], cwd=shipped_project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    web = ThreadingHTTPServer(("127.0.0.1", web_port),
                              functools.partial(Quiet, directory=str(out)))
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        wait_for_port(api_port)
        yield f"http://127.0.0.1:{web_port}/admin/"
    finally:
        web.shutdown()
        server.terminate()
        server.wait(timeout=10)


def test_admin_lists_the_shipped_offers_and_saves_valid_files(
        admin_site: str, shipped_project: Path) -> None:
    result = run_browser_script("decap_admin.mjs", admin_site + "#/collections/offers",
                                "Sprachpaten (Web-Editor)", timeout=180)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "failure" not in report, report
    offers = sorted(p.stem for p in (REPO / "offers").glob("*.yml"))
    listed = sorted(href.rsplit("/", 1)[1] for href in report["entries"])
    assert listed == offers
    title = yaml.safe_load((REPO / "offers" / "sprachpaten.yml").read_text())["title"]
    assert title in report["text"]
    # The form of one offer: German labels from the schemas, values from the file.
    for label in ("ZIELGRUPPEN", "TRÄGER", "ZULETZT GEPRÜFT"):
        assert label in report["form"].upper()
    assert title in report["values"]
    assert "2026-11-02" in report["values"]
    assert report["external"] == [], "the editor tried to reach a third party"
    assert report["errors"] == []

    # Saved through decap-server: the file is still valid content, and `schemas` puts
    # back the schema line the web editor leaves out.
    assert report["saved"]
    saved = shipped_project / "offers" / "sprachpaten.yml"
    deadline = time.monotonic() + 15
    while "Sprachpaten (Web-Editor)" not in saved.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the web editor did not save the file"
        time.sleep(0.2)
    assert yaml.safe_load(saved.read_text(encoding="utf-8"))["title"] == "Sprachpaten (Web-Editor)"
    check = run_build(shipped_project, "check")
    assert check.returncode == 0, check.stdout
    assert run_build(shipped_project, "schemas").returncode == 0
    first = saved.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/offer.schema.json"


def test_admin_config_is_generated_from_the_schemas(shipped_project: Path) -> None:
    admin = write_admin(shipped_project, shipped_project / "site")
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    assert "decap-cms.js" in (admin / "index.html").read_text()
    names = [c["name"] for c in config["collections"]]
    assert names == ["offers", "contacts", "programme", "notices", "pages"]
    offers = config["collections"][0]
    schema = json.loads((REPO / "wegweiser/schemas/offer.schema.json").read_text())
    fields = {f["name"]: f for f in offers["fields"]}
    assert list(fields) == list(schema["properties"])
    assert {n for n, f in fields.items() if f["required"]} == set(schema["required"])
    assert fields["provider"]["widget"] == "relation"
    assert fields["category"]["widget"] == "select"
    assert config["backend"]["name"] == "gitlab"
    # the published editor must not send visitors' browsers to localhost:8081
    assert "local_backend" not in config
    assert "8081" not in (admin / "config.yml").read_text(encoding="utf-8")


def test_only_the_preview_editor_talks_to_a_local_decap_server(shipped_project: Path) -> None:
    admin = write_admin(shipped_project, shipped_project / "preview", local_backend=True)
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    assert config["local_backend"] is True


def test_gitlab_project_comes_from_the_settings(shipped_project: Path) -> None:
    site = shipped_project / "content" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "\neditor:\n  repo: stadt/wegweiser\n"
                    "  gitlab_url: https://git.stadt.example\n  app_id: abc123\n",
                    encoding="utf-8")
    admin = write_admin(shipped_project, shipped_project / "site")
    backend = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["backend"]
    assert backend["repo"] == "stadt/wegweiser"
    assert backend["api_root"] == "https://git.stadt.example/api/v4"
    assert backend["auth_type"] == "pkce" and backend["app_id"] == "abc123"


def test_every_collection_form_opens(admin_site: str) -> None:
    result = run_browser_script("decap_forms.mjs", admin_site, timeout=300)
    assert result.stdout.strip(), result.stderr  # the script failed: say how
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert all(report["shown"].values()) and len(report["shown"]) == 6, report["shown"]
    assert report["errors"] == [] and report["external"] == []
