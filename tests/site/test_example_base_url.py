"""site.yml's example_values: base_url marked as an example is published to no machine.

The minimal fixture is built twice, with and without `example_values: [base_url]`; the
machine-readable outputs (JSON-LD, sitemaps, robots.txt, canonical and alternate links,
.ics feeds, the open data) are read from the real output and searched for the host.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlsplit

import icalendar
import lxml.html
import pytest
from conftest import MINIMAL, REPO, run_build, write_files

pytestmark = pytest.mark.slow

HOST = "integration.musterstadt.example"
LICENCE = ("data_licence: {name: Datenlizenz Deutschland – Namensnennung,"
           " url: 'https://www.govdata.de/dl-de/by-2-0'}\n")


def build(tmp_path_factory: pytest.TempPathFactory, marked: bool) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("marked" if marked else "unmarked")
    files = {name: textwrap.dedent(text) for name, text in MINIMAL.items()}
    files["content/site.yml"] += LICENCE + ("example_values: [base_url]\n" if marked else "")
    write_files(root, files)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site", result.stdout + result.stderr


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build(tmp_path_factory, marked=True)


@pytest.fixture(scope="module")
def unmarked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build(tmp_path_factory, marked=False)


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def jsonld_blocks(site: Path) -> list[str]:
    blocks = []
    for path in html_pages(site):
        doc = lxml.html.fromstring(path.read_bytes())
        for text in doc.xpath("//script[@type='application/ld+json']/text()"):
            json.loads(text)  # every block stays valid JSON
            blocks.append(text)
    return blocks


def head_links(site: Path) -> list[str]:
    """href of every canonical and alternate link in a page's head."""
    return [href for path in html_pages(site)
            for href in lxml.html.fromstring(path.read_bytes()).xpath(
                "//head/link[@rel='canonical' or @rel='alternate']/@href")]


def calendars(site: Path) -> list[icalendar.Calendar]:
    feeds = sorted(site.rglob("*.ics"))
    assert feeds
    return [icalendar.Calendar.from_ical(path.read_bytes()) for path in feeds]


def data_files(site: Path) -> dict[str, str]:
    found = {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
             for pattern in ("data/**/*.json", "data/**/*.csv") for path in site.glob(pattern)}
    for name, text in found.items():
        if name.endswith(".json"):
            json.loads(text)
    return found


def machine_outputs(site: Path) -> dict[str, str]:
    """What machines read as facts, by where it comes from."""
    outputs = {f"jsonld {i}": text for i, text in enumerate(jsonld_blocks(site))}
    outputs |= {path.relative_to(site).as_posix(): path.read_text(encoding="utf-8")
                for path in sorted(site.rglob("sitemap.xml"))}
    outputs["robots.txt"] = (site / "robots.txt").read_text(encoding="utf-8")
    outputs["head links"] = "\n".join(head_links(site))
    for i, cal in enumerate(calendars(site)):
        outputs[f"calendar {i}"] = cal.to_ical().decode()
    outputs |= data_files(site)
    return outputs


def test_the_check_says_once_that_machines_leave_the_address_out(marked, unmarked) -> None:
    site_yml = textwrap.dedent(MINIMAL["content/site.yml"])
    where = f"content/site.yml:{len(site_yml.splitlines()) + 2}:"  # after the licence
    lines = [line for line in marked[1].splitlines() if "example value" in line]
    assert len(lines) == 1, marked[1]
    assert lines[0].startswith(where) and "warning" in lines[0] and "base_url" in lines[0]
    assert "do not send them to print" in lines[0]  # the PDFs print it, in QR codes too
    assert "example value" not in unmarked[1]
    result = run_build(marked[0].parent, "--messages", "de", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    german = [line for line in result.stdout.splitlines() if "Beispielwert" in line]
    assert len(german) == 1, result.stdout
    assert german[0].startswith(where)
    assert "base_url ist als Beispielwert markiert" in german[0]
    assert "maschinenlesbaren Ausgaben" in german[0]
    assert "erst in Druck" in german[0]


def test_without_the_mark_machines_get_the_address(unmarked) -> None:
    site, _ = unmarked
    outputs = machine_outputs(site)
    for kind in ("jsonld 0", "sitemap.xml", "robots.txt", "head links", "calendar 0",
                 "data/csv/services.csv"):
        assert HOST in outputs[kind], kind
    assert any(HOST in text for name, text in outputs.items() if name.endswith(".json")
               and name.startswith("data/"))
    assert f"Sitemap: https://{HOST}/sitemap.xml" in outputs["robots.txt"]


def test_marked_address_reaches_no_machine(marked) -> None:
    site, _ = marked
    outputs = machine_outputs(site)
    assert any(name.startswith("jsonld") for name in outputs)
    assert any(name.startswith("data/") and name.endswith(".json") for name in outputs)
    assert any(name.startswith("data/") and name.endswith(".csv") for name in outputs)
    leaks = [name for name, text in outputs.items() if HOST in text]
    assert leaks == []


def test_marked_address_is_nowhere_in_the_website(marked) -> None:
    """Not even in the pages for people: the site links itself by relative paths only.
    (The printed brochure, for people, may name the address.)"""
    site, _ = marked
    leaks = [path.relative_to(site).as_posix() for path in sorted(site.rglob("*"))
             if path.is_file() and path.suffix not in (".pdf", ".gz", ".woff2", ".png")
             and HOST.encode() in path.read_bytes()]
    assert leaks == []


def test_no_sitemap_and_robots_without_sitemap_line(marked) -> None:
    site, _ = marked
    assert sorted(site.rglob("sitemap.xml*")) == []
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert robots.startswith("User-agent: *\nAllow: /")
    assert "Sitemap" not in robots


def test_structured_data_keeps_everything_but_the_addresses(marked, unmarked) -> None:
    def offer_jsonld(site: Path) -> dict:
        page = site / "de" / "angebote"
        path = next(p for p in sorted(page.rglob("index.html")) if p.parent != page)
        doc = lxml.html.fromstring(path.read_bytes())
        return json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])

    with_url, without = offer_jsonld(unmarked[0]), offer_jsonld(marked[0])
    assert with_url["url"].startswith(f"https://{HOST}/de/angebote/")
    assert "url" not in without and "@id" not in without
    assert "url" not in without["provider"]
    assert without["name"] == with_url["name"]
    assert without["provider"]["name"] == with_url["provider"]["name"]


def test_calendar_events_keep_a_uid_but_no_url(marked, unmarked) -> None:
    def events(site: Path) -> list[icalendar.Event]:
        return [e for cal in calendars(site) for e in cal.walk("VEVENT")]

    kept, plain = events(marked[0]), events(unmarked[0])
    assert kept and len(kept) == len(plain)
    assert all(e.get("url") for e in plain)
    assert not any(e.get("url") for e in kept)
    for event, other in zip(kept, plain, strict=True):
        uid, other_uid = str(event["uid"]), str(other["uid"])
        assert other_uid.endswith(f"@{HOST}")
        # same event, same left part; the right part no address (RFC 6761 .invalid)
        assert uid.split("@")[0] == other_uid.split("@")[0]
        assert uid.endswith(".invalid")
    # UIDs stay the same from build to build
    programme = json.loads((marked[0] / "data" / "programme.json").read_text(encoding="utf-8"))
    assert {o["uid"] for o in programme["occurrences"]} <= {str(e["uid"]) for e in kept}


def test_pages_still_link_each_other(marked) -> None:
    """Every internal link of the German pages leads to a file of the output."""
    site, _ = marked
    checked = 0
    for path in sorted((site / "de").rglob("index.html")):
        doc = lxml.html.fromstring(path.read_bytes())
        for href in doc.xpath("//a/@href"):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = (path.parent / unquote(parts.path)) if not parts.path.startswith("/") \
                else site / unquote(parts.path).lstrip("/")
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), (path.relative_to(site), href)
            checked += 1
    assert checked > 50
