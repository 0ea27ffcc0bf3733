"""The compliance gates, run on the shipped site (built once per session, see conftest.py).

- axe-core, WCAG 2.1 A and AA: zero violations on every page type in every language
  (language picker, home, offers, a category, an offer, contact points, a contact point,
  the programme, a month, an editorial page, each legal page, open data, the 404 page);
- no request to anything but the site itself while those pages load in Chromium;
- the Nu HTML Checker: zero errors in every HTML file of the site;
- every PDF tagged (StructTreeRoot, MarkInfo /Marked true), with title and language, all
  fonts embedded (pdffonts), and bookmarks in the brochures (pikepdf, poppler).

Links and anchors are crawled in test_site_browser.py; the .ics feeds are parsed and
expanded in tests/exports/test_feeds.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from conftest import run_browser_script

REPO = Path(__file__).resolve().parents[2]
JAVA = shutil.which("java")
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

pytestmark = pytest.mark.slow


def first(folder: Path) -> str:
    """The first sub-folder (a page) of a section, by name."""
    return sorted(p.name for p in folder.iterdir() if (p / "index.html").is_file())[0]


def page_types(site: Path, lang: str) -> dict[str, str]:
    """One page of every type in one language, as paths below the site's root."""
    root = site / lang
    months = sorted(p.name for p in (root / "programm").iterdir() if p.name[:2] == "20")
    legal = ["impressum", "datenschutz", "barrierefreiheit", "leichte-sprache",
             "gebaerdensprache"]
    editorial = [p.name for p in sorted(root.iterdir()) if (p / "index.html").is_file()
                 and p.name not in {*legal, "angebote", "anlaufstellen", "programm", "themen",
                                    "offene-daten", "search"}]
    types = {
        "home": "", "offers": "angebote/", "category": f"themen/{first(root / 'themen')}/",
        "offer": f"angebote/{first(root / 'angebote')}/", "contacts": "anlaufstellen/",
        "contact": f"anlaufstellen/{first(root / 'anlaufstellen')}/",
        "programme": "programm/", "month": f"programm/{months[0]}/",
        "editorial": f"{editorial[0]}/", "open data": "offene-daten/", "404": "404.html",
    }
    types.update({f"legal {name}": f"{name}/" for name in legal if (root / name).is_dir()})
    return {name: f"{lang}/{path}" for name, path in types.items()}


def languages(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if (p / "404.html").is_file())


@pytest.fixture(scope="module")
def browser_report(shipped_site: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
                   ) -> dict[str, Any]:
    base, site = shipped_site
    paths = [""] + [p for lang in languages(site) for p in page_types(site, lang).values()]
    listing = tmp_path_factory.mktemp("compliance") / "paths.json"
    listing.write_text(json.dumps(paths), encoding="utf-8")
    result = run_browser_script("compliance.mjs", base, str(listing))
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["paths"] = paths
    return report


def test_every_page_type_in_every_language_was_checked(browser_report: dict[str, Any],
                                                       shipped_site: tuple[str, Path]) -> None:
    _, site = shipped_site
    assert len(languages(site)) == 7
    assert browser_report["failed"] == {}
    assert sorted(browser_report["axe"]) == sorted(browser_report["paths"])
    assert len(browser_report["paths"]) == 1 + 7 * 16


def test_axe_finds_no_wcag_21_aa_violations(browser_report: dict[str, Any]) -> None:
    violations = {path: v for path, v in browser_report["axe"].items() if v}
    assert violations == {}, json.dumps(violations, indent=1, ensure_ascii=False)


def test_pages_request_nothing_but_the_site(browser_report: dict[str, Any]) -> None:
    assert browser_report["requests"] > len(browser_report["paths"])
    assert browser_report["external"] == []
    assert browser_report["errors"] == []


def test_nu_html_checker_finds_no_errors(shipped_site: tuple[str, Path]) -> None:
    _, site = shipped_site
    result = subprocess.run([JAVA, "-jar", str(VNU), "--errors-only", "--format", "json",
                             "--skip-non-html", str(site)], capture_output=True, text=True,
                            timeout=300)
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages]
    assert errors == [], "\n".join(errors[:40])
    checked = sum(1 for _ in site.rglob("*.html"))
    assert checked > 300


# --- PDFs ---------------------------------------------------------------------------------


def pdfs(site: Path) -> list[Path]:
    return sorted((site / "downloads").glob("*.pdf"))


def unembedded_fonts(path: Path) -> list[str]:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [line for line in lines if line.split()[-5] != "yes"]


def test_every_pdf_is_tagged_titled_and_embeds_its_fonts(shipped_site: tuple[str, Path]
                                                         ) -> None:
    import pikepdf

    _, site = shipped_site
    found = pdfs(site)
    assert len([p for p in found if p.name.startswith("wegweiser-")]) == 14  # 7 x 2
    assert any(p.name.startswith("programm-") for p in found)
    for path in found:
        variant = path.stem.endswith(("-print", "-aushang"))  # print PDF, poster
        lang = path.stem.split("-")[-2 if variant else -1]
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert "/StructTreeRoot" in root, path.name
            assert bool(root.MarkInfo.Marked) is True, path.name
            assert str(root.Lang) == lang, path.name
            assert str(pdf.docinfo.get("/Title", "")).strip(), path.name
            assert root.get("/ViewerPreferences", {}).get("/DisplayDocTitle") in (True, None)
            if path.name.startswith("wegweiser-"):
                with pdf.open_outline() as outline:
                    assert len(outline.root) >= 3, path.name
        assert unembedded_fonts(path) == [], path.name
