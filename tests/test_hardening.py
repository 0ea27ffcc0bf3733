"""Hostile content: every field type shown as text in HTML and PDF, Markdown sanitised, and
no content file reaching outside the project.

One fixture puts `<script>alert('<field>')</script>` into each field type at once and is
built once; the HTML of every page is parsed and the PDFs' text extracted.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import lxml.html
import pytest
from conftest import MINIMAL, REPO, run_build

from wegweiser.content.sanitize import safe_html


def payload(field: str) -> str:
    return f"<script>alert('{field}')</script>"


# Where each field type sits in the fixture (file, the text replaced, its hostile value).
HOSTILE = {
    "title": ("offers/sprachcafe.yml", "title: Sprachcafé", 'title: "{}"'),
    "summary": ("offers/sprachcafe.yml", "summary: Deutsch sprechen in entspannter Runde.",
                'summary: "{}"'),
    "markdown": ("offers/sprachcafe.yml", "Ohne Anmeldung, einfach vorbeikommen.", "{}"),
    "url": ("content/contacts/service-point.yml",
            "website: https://musterstadt.example/service-point",
            """website: 'https://musterstadt.example/"><script>alert(''url'')</script>'"""),
    "email": ("content/contacts/ki.yml", "email: ki@musterstadt.example", 'email: "{}@x.example"'),
    "phonelabel": ("content/contacts/ki.yml", "label: Zentrale", 'label: "{}"'),
    "noticetitle": ("content/notices.yml", "title: Eingeschränkt erreichbar", 'title: "{}"'),
    "noticetext": ("content/notices.yml", "text: Das KI ist derzeit nur telefonisch erreichbar.",
                   'text: "{}"'),
    "pagetitle": ("content/pages/ueber-uns.md", "title: Über uns", 'title: "{}"'),
    "programmetitle": ("content/programme/2026-12.yml", "title: Infoabend Einbürgerung",
                       'title: "{}"'),
    "categoryname": ("content/site.yml", "name: Sprache, icon", 'name: "{}", icon'),
}
# Markdown that tries to become markup, links or file reads.
MARKDOWN_ATTACKS = textwrap.dedent("""\

    [klick](javascript:alert('md-link')) [daten](data:text/html,alert) [datei](file:///etc/passwd)
    <img src=x onerror="alert('img')"> <iframe src="https://evil.example/"></iframe>
    ![passwort](../../../../etc/passwd) [oben](../../../etc/passwd)
    *betont* {: onclick="alert('attr')" }
    <https://musterstadt.example/sicher> [anruf](tel:+491234567)
    """)
# Fields the PDFs print (notices and editorial pages are web-only; the programme is on the
# flyer, everything else in the brochure).
IN_PDF = {"title", "summary", "markdown", "email", "phonelabel", "categoryname",
          "programmetitle"}
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


def hostile_files() -> dict[str, str]:
    files = {name: textwrap.dedent(text) for name, text in MINIMAL.items()}
    for field, (name, old, new) in HOSTILE.items():
        assert old in files[name], (field, old)
        value = new.format(payload(field)) if "{}" in new else new
        files[name] = files[name].replace(old, value, 1)
    name = "offers/sprachcafe.yml"
    files[name] = files[name].replace(payload("markdown"), payload("markdown") + "\n"
                                      + textwrap.indent(MARKDOWN_ATTACKS, "  "))
    return files


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "project"
    root.mkdir()
    for name, text in hostile_files().items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def pages(site: Path) -> list[tuple[Path, lxml.html.HtmlElement]]:
    return [(p, lxml.html.fromstring(p.read_bytes())) for p in sorted(site.rglob("*.html"))]


def shown_text(tree: lxml.html.HtmlElement) -> str:
    """The page's text as a reader sees it: without scripts."""
    copy = lxml.html.fromstring(lxml.html.tostring(tree))
    for script in copy.iter("script", "style"):
        script.drop_tree()
    return copy.text_content()


# --- HTML ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_no_content_becomes_a_script(hostile_site: Path) -> None:
    for path, tree in pages(hostile_site):
        for script in tree.iter("script"):
            code = script.text or ""
            if script.get("type") == "application/ld+json":
                json.loads(code)  # content stays inside JSON strings
                assert "</script" not in code.lower()
                continue
            assert "alert(" not in code, f"{path}: content in a script: {code[:80]}"


@pytest.mark.slow
def test_no_event_handlers_or_unsafe_links(hostile_site: Path) -> None:
    for path, tree in pages(hostile_site):
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"{path}: {name}={value}"
                if name in ("href", "src") and ":" in value.split("/")[0]:
                    assert value.lower().startswith(SAFE_SCHEMES), f"{path}: {name}={value}"
            assert element.tag not in ("iframe", "object", "embed"), path
            if element.tag == "img":
                assert "passwd" not in element.get("src", ""), path


@pytest.mark.slow
@pytest.mark.parametrize("field", sorted(HOSTILE))
def test_each_field_type_is_shown_as_text(hostile_site: Path, field: str) -> None:
    shown = [path for path, tree in pages(hostile_site) if payload(field) in shown_text(tree)]
    assert shown, f"{payload(field)} is nowhere shown as text"
    assert any("/de/" in p.as_posix() for p in shown)


@pytest.mark.slow
def test_markdown_attacks_are_defused_on_the_offer_page(hostile_site: Path) -> None:
    page = hostile_site / "de" / "angebote" / "sprachcafe" / "index.html"
    tree = lxml.html.fromstring(page.read_bytes())
    hrefs = [a.get("href") for a in tree.iter("a") if a.get("href")]
    assert "https://musterstadt.example/sicher" in hrefs
    assert "tel:+491234567" in hrefs
    assert not [h for h in hrefs if "passwd" in h or h.startswith(("javascript", "data"))]
    text = shown_text(tree)
    for word in ("klick", "daten", "datei", "oben", "betont"):
        assert word in text  # the link text stays, the target goes
    assert "<img src=x" in text  # raw HTML shown as text
    assert not tree.xpath("//*[@onclick]")


# --- PDF ----------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


@pytest.mark.slow
def test_pdfs_print_the_fields_as_text(hostile_site: Path) -> None:
    pdfs = sorted((hostile_site / "downloads").glob("*-de*.pdf"))
    assert any(p.name.startswith("wegweiser-") for p in pdfs)
    assert any(p.name.startswith("programm-") for p in pdfs)
    text = "".join(pdf_text(p) for p in pdfs)
    missing = [f for f in sorted(IN_PDF) if re.sub(r"\s+", "", payload(f)) not in text]
    assert not missing
    assert "root:x:0" not in text


@pytest.mark.slow
def test_pdfs_hold_no_script_and_only_safe_links(hostile_site: Path) -> None:
    import pikepdf

    for path in sorted((hostile_site / "downloads").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Dictionary):
                    assert "/JS" not in obj and "/JavaScript" not in obj, path
                    if obj.get("/S") == "/URI":
                        uri = str(obj.get("/URI"))
                        assert uri.lower().startswith(SAFE_SCHEMES), (path.name, uri)


# --- the sanitiser itself -------------------------------------------------------------------


@pytest.mark.parametrize("markdown, forbidden", [
    ("[x](javascript:alert(1))", "javascript"),
    ("[x](JaVaScRiPt&#58;alert(1))", "alert(1)\""),
    ("[x](<javascript:alert(1)>)", "href"),
    ("[x][r]\n\n[r]: javascript:alert(1)", "href"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "href"),
    ("[x](vbscript:msgbox)", "href"),
    ("[x](../../etc/passwd)", "href"),
    ("![x](../../etc/passwd)", "<img"),
    ("<script>alert(1)</script>", "<script"),
    ("<iframe src=https://x.example></iframe>", "<iframe"),
    ("<a href=https://x.example onclick=alert(1)>x</a>", "<a "),
    ("<style>body{display:none}</style>", "<style"),
    ("<svg onload=alert(1)>", "<svg"),
])
def test_sanitiser_removes(markdown: str, forbidden: str) -> None:
    assert forbidden not in safe_html(markdown)


@pytest.mark.parametrize("markdown, kept", [
    ("[x](https://a.example/)", 'href="https://a.example/"'),
    ("[x](mailto:a@b.example)", 'href="mailto:a@b.example"'),
    ("[x](tel:+49214406)", 'href="tel:+49214406"'),
    ("<https://a.example/>", 'href="https://a.example/"'),
    ("**fett** und *kursiv*", "<strong>fett</strong>"),
    ("- eins\n- zwei", "<li>eins</li>"),
    ("Zeile<br>Zeile", "<br>"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"),
])
def test_sanitiser_keeps(markdown: str, kept: str) -> None:
    assert kept in safe_html(markdown)


# --- nothing outside the project -----------------------------------------------------------


REFERENCES = [
    ("offers/sprachcafe.yml", "provider: ki", "provider: ../../etc/passwd"),
    ("offers/sprachcafe.yml", "place: service-point", "place: /etc/passwd"),
    ("offers/sprachcafe.yml", "category: sprache", "category: ../sprache"),
    ("content/programme/2026-12.yml", "venue: service-point", "venue: ../../../etc/passwd"),
    ("content/programme/2026-12.yml", "host: ki", "host: ..\\\\..\\\\windows"),
    ("content/site.yml", "contact: ki", "contact: ../contacts/ki"),
    ("content/site.yml", "icon: material/translate", "icon: ../../../../etc/passwd"),
    ("content/site.yml", "{code: en, name: English}", "{code: ../en, name: English}"),
]


@pytest.mark.parametrize("name, old, new", REFERENCES, ids=[r[2] for r in REFERENCES])
def test_references_cannot_name_paths(minimal_project: Path, name: str, old: str,
                                      new: str) -> None:
    path = minimal_project / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1, result.stdout
    assert re.search(rf"^{re.escape(name)}:\d+:\d+: (error|Fehler): ", result.stdout, re.M)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("link", ["offers/geheim.yml", "content/pages/geheim.md"])
def test_a_link_to_a_file_outside_is_not_read(minimal_project: Path, tmp_path_factory:
                                              pytest.TempPathFactory, link: str) -> None:
    outside = tmp_path_factory.mktemp("outside") / Path(link).name
    source = "offers/sprachcafe.yml" if link.endswith(".yml") else "content/pages/ueber-uns.md"
    outside.write_text((minimal_project / source).read_text(encoding="utf-8")
                       .replace("Sprachcafé", "GEHEIM").replace("Über uns", "GEHEIM"),
                       encoding="utf-8")
    (minimal_project / link).symlink_to(outside)
    result = run_build(minimal_project, "check")
    assert result.returncode == 1, result.stdout
    assert re.search(rf"^{re.escape(link)}:1:1: (error|Fehler): ", result.stdout, re.M)
    assert "GEHEIM" not in result.stdout + result.stderr


def test_a_linked_folder_outside_is_not_read(minimal_project: Path,
                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside-offers")
    shutil.move(str(minimal_project / "offers"), outside / "offers")
    (minimal_project / "offers").symlink_to(outside / "offers")
    result = run_build(minimal_project, "check")
    assert result.returncode == 1
    assert re.search(r"^offers/sprachcafe.yml:1:1: (error|Fehler): ", result.stdout, re.M)
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.slow
def test_build_writes_only_inside_the_project(hostile_site: Path) -> None:
    """After the hostile build nothing new exists beside the project, and no link."""
    project = hostile_site.parent
    assert sorted(p.name for p in project.parent.iterdir()) == ["project"]
    assert not [p for p in project.rglob("*") if p.is_symlink()]
