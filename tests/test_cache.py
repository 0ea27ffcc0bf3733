"""The build cache: outputs are reused only while every input they are made from is unchanged.

End-to-end: a small project is built once; each test copies it (with build/ and site/),
changes one input and builds again, then reads the published HTML and PDF text.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
import pytest
from conftest import MINIMAL, REPO, TODAY, run_build, write_files

from wegweiser import cache

LANGUAGES = ("de", "en", "ar")


class Text(HTMLParser):
    """The visible text and the <html lang> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def page(site: Path, path: str) -> Text:
    parser = Text()
    parser.feed((site / path).read_text(encoding="utf-8"))
    return parser


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(root: Path) -> str:
    result = run_build(root, "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def built_by_mkdocs(output: str) -> int:
    found = re.search(r"Website: (\d+) of \d+ languages built by mkdocs", output)
    assert found, output
    return int(found.group(1))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_project(tmp_path_factory.mktemp("cached"), MINIMAL)
    build(root)
    return root


def new_project(root: Path, files: dict[str, str]) -> Path:
    """`files` as a project with the shipped mkdocs.yml and its catalogs, not yet built."""
    write_files(root, files)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    assert run_build(root, "translations").returncode == 0
    return root


def copy_of(built: Path, tmp_path: Path) -> Path:
    """A copy of a built project: sources, build/ (the cache) and site/."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy, symlinks=True)
    return copy


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    return copy_of(built, tmp_path)


@pytest.mark.slow
def test_nothing_changed_renders_nothing_and_publishes_the_same_site(project: Path) -> None:
    before = digests(project / "site")
    output = build(project)
    assert built_by_mkdocs(output) == 0
    assert "Unchanged, from the cache: brochures, flyers, admin, open data, feeds, report."\
        in output
    assert digests(project / "site") == before


@pytest.mark.slow
def test_a_changed_offer_reaches_every_language_and_the_brochure(project: Path) -> None:
    offer = project / "offers" / "sprachcafe.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "title: Sprachcafé", "title: Sprachcafé am Abend", 1), encoding="utf-8")
    output = build(project)
    assert built_by_mkdocs(output) == len(LANGUAGES)
    for code in LANGUAGES:
        text = " ".join(page(project / "site", f"{code}/angebote/sprachcafe/index.html").parts)
        assert "Sprachcafé am Abend" in text, code
    assert "Sprachcafé am Abend" in pdf_text(project / "site/downloads/wegweiser-de.pdf")


@pytest.mark.slow
def test_a_changed_catalog_rebuilds_only_its_language(project: Path) -> None:
    before = digests(project / "site")
    catalog = project / "translations" / "en.po"
    text = catalog.read_text(encoding="utf-8")
    entry = 'msgctxt "offer/sprachcafe#title"\nmsgid "Sprachcafé"\nmsgstr ""'
    assert entry in text
    catalog.write_text(text.replace(entry, entry[:-2] + '"Language café"'), encoding="utf-8")
    output = build(project)
    assert built_by_mkdocs(output) == 1
    after = digests(project / "site")
    offer = "angebote/sprachcafe/index.html"
    assert "Language café" in " ".join(page(project / "site", f"en/{offer}").parts)
    for code in ("de", "ar"):  # the other languages: the very same files
        assert {k: v for k, v in after.items() if k.startswith(f"{code}/")} == \
            {k: v for k, v in before.items() if k.startswith(f"{code}/")}
        assert "Language café" not in " ".join(page(project / "site", f"{code}/{offer}").parts)


@pytest.mark.slow
def test_a_deleted_offer_leaves_nothing_behind(project: Path) -> None:
    (project / "offers" / "familienberatung.yml").unlink()
    build(project)
    site = project / "site"
    for code in LANGUAGES:
        assert not (site / code / "angebote" / "familienberatung").exists(), code
        assert "familienberatung" not in (site / code / "sitemap.xml").read_text("utf-8")
        assert "Familienberatung" not in " ".join(page(site, f"{code}/angebote/index.html")
                                                  .parts)
    assert "Familienberatung" not in pdf_text(site / "downloads" / "wegweiser-de.pdf")


@pytest.mark.slow
def test_languages_never_mix(project: Path) -> None:
    catalog = project / "translations" / "ar.po"  # one language changed, the others reused
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(project)
    for code in LANGUAGES:
        pages = list((project / "site" / code).rglob("*.html"))
        assert pages
        assert {page(p.parent, p.name).lang for p in pages} == {code}


def report_pages(root: Path) -> dict[str, int]:
    """The pages build/report.html gives each brochure file."""
    html = (root / "build" / "report.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="brochure"><td><code>([^<]+)</code></td>'
                      r'<td class="number">[^<]*</td><td class="number">(\d+)</td>', html)
    return {file: int(pages) for file, pages in rows}


def pdf_pages(site: Path) -> dict[str, int]:
    """The brochures' real page counts, read from the PDFs."""
    import pikepdf

    found = {}
    for path in sorted((site / "downloads").glob("wegweiser-*.pdf")):
        with pikepdf.open(path) as pdf:
            found[f"downloads/{path.name}"] = len(pdf.pages)
    return found


@pytest.mark.slow
def test_the_report_gives_cached_brochures_the_pages_of_their_pdfs(project: Path) -> None:
    """The pages come from the renderer, kept beside each cached PDF: a brochure taken
    from the cache reports them as well as one rendered now (the report opens no PDF)."""
    catalog = project / "translations" / "en.po"
    entry = 'msgctxt "offer/sprachcafe#title"\nmsgid "Sprachcafé"\nmsgstr ""'
    catalog.write_text(catalog.read_text(encoding="utf-8").replace(  # a text of its own:
        entry, entry[:-2] + '"Language café, counted"'), encoding="utf-8")  # shared cache
    output = build_on(project, TODAY)
    assert "Brochures: 1 language rendered, 2 unchanged from the cache." in output
    real = pdf_pages(project / "site")
    assert len(real) == 2 * len(LANGUAGES) and report_pages(project) == real


@pytest.mark.slow
def test_the_report_of_a_new_day_keeps_the_pages_of_the_cached_brochure_stage(
        project: Path) -> None:
    build_on(project, TODAY)  # other tests may have pruned its entries from the shared cache
    output = build_on(project, "2026-11-25")  # the report shows the day: it is made again
    assert "brochures" in from_cache(output) and "report" not in from_cache(output)
    real = pdf_pages(project / "site")
    assert len(real) == 2 * len(LANGUAGES) and report_pages(project) == real
    printed = run_build(project, "report", today="2026-11-25").stdout
    for file, pages in real.items():
        assert re.search(rf"{file}: [\d,]+ [kM]B, {pages} Seiten", printed), (file, printed)


# --- a new day: only the outputs that show something of the day are made again

DAY = "2026-11-22"  # the winter café is published until the 23rd
DATED = {**MINIMAL, "offers/wintercafe.yml": """\
    title: Wintercafé
    summary: Warm drinks and German practice.
    description: Every day until the 23rd.
    category: sprache
    audience: [erwachsene]
    languages: [de]
    provider: ki
    cost: {free: true}
    registration: {required: false}
    last_reviewed: 2026-09-01
    valid_until: 2026-11-23
    """}


def build_on(root: Path, day: str) -> str:
    result = run_build(root, "--messages", "en", "build", today=day)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def from_cache(output: str) -> set[str]:
    found = re.search(r"Unchanged, from the cache: (.*)\.", output)
    return set(found.group(1).split(", ")) if found else set()


def cold_build(project: Path, day: str, folder: Path,
               monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same sources built once on `day`, with no cache at all: the reference."""
    cold = folder / "cold"
    shutil.copytree(project, cold, symlinks=True, ignore=shutil.ignore_patterns("build", "site"))
    with monkeypatch.context() as m:
        m.setenv("WEGWEISER_CACHE", str(folder / "empty-cache"))
        output = build_on(cold, day)
    assert built_by_mkdocs(output) == len(LANGUAGES) and not from_cache(output)
    return cold / "site"


@pytest.fixture(scope="module")
def dated_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_project(tmp_path_factory.mktemp("dated"), DATED)
    build_on(root, DAY)
    return root


@pytest.fixture
def dated_project(dated_built: Path, tmp_path: Path) -> Path:
    return copy_of(dated_built, tmp_path)


@pytest.mark.slow
def test_a_new_day_showing_nothing_new_comes_from_the_cache(
        dated_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = dated_project / "site" / "downloads"
    written = {p.name: p.stat().st_mtime_ns for p in downloads.glob("*.pdf")}
    output = build_on(dated_project, "2026-11-23")  # the winter café's last day
    assert built_by_mkdocs(output) == 0
    assert {p.name: p.stat().st_mtime_ns for p in downloads.glob("*.pdf")} == written
    assert from_cache(output) == {"brochures", "flyers", "admin", "open data", "feeds"}
    after = digests(dated_project / "site")
    sitemap = (dated_project / "site/de/sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2026-11-23</lastmod>" in sitemap and "2026-11-22" not in sitemap
    for feed in ("programme.ics", "ar/programme.ics"):  # the day's stamp on the cached feed
        ics = (dated_project / "site" / feed).read_bytes().decode()
        stamps = set(re.findall(r"^DTSTAMP:(.*)\r$", ics, re.MULTILINE))
        assert stamps == {"20261123T000000Z"}, (feed, stamps)
    assert after == digests(cold_build(dated_project, "2026-11-23", tmp_path, monkeypatch))


@pytest.mark.slow
def test_an_expired_offer_renders_again_exactly_what_listed_it(
        dated_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = build_on(dated_project, "2026-11-24")  # the winter café has expired
    assert built_by_mkdocs(output) == len(LANGUAGES)
    # not the brochures nor the open data
    assert from_cache(output) == {"flyers", "admin", "feeds"}
    site = dated_project / "site"
    assert not (site / "de" / "angebote" / "wintercafe").exists()
    assert "Wintercafé" not in pdf_text(site / "downloads" / "wegweiser-de.pdf")
    assert digests(site) == digests(cold_build(dated_project, "2026-11-24", tmp_path,
                                               monkeypatch))


def next_dates(home: Path) -> list[str]:
    """The days of the home page's list of next dates, as the page writes them."""
    document = lxml.html.fromstring(home.read_bytes())
    return [" ".join(p.text_content().split()).rsplit(", ", 1)[0]
            for p in document.xpath('//ul[@class="ww-events"]//p[@class="ww-event__when"]')]


@pytest.mark.slow
def test_a_date_leaving_the_home_page_is_written_without_mkdocs(
        dated_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_on(dated_project, "2026-12-01")  # a new month: the programme starts from December
    site = dated_project / "site"
    before = digests(site)
    assert next_dates(site / "de/index.html")[:2] == ["Dienstag, 1. Dezember 2026",
                                                      "Donnerstag, 3. Dezember 2026"]
    output = build_on(dated_project, "2026-12-02")  # Tuesday the 1st is past
    assert built_by_mkdocs(output) == 0
    assert from_cache(output) == {"brochures", "flyers", "admin", "open data", "feeds"}
    assert next_dates(site / "de/index.html") == [
        "Donnerstag, 3. Dezember 2026", "Dienstag, 8. Dezember 2026",
        "Dienstag, 15. Dezember 2026", "Dienstag, 22. Dezember 2026",
        "Dienstag, 29. Dezember 2026"]
    assert next_dates(site / "en/index.html")[0] == "Thursday, December 3, 2026"
    after = digests(site)
    changed = {name for name in after if before.get(name) != after[name]}
    # the home pages, the sitemaps (their day), the feeds' stamp and the report; not the
    # search index (the home page's dates are not in it), no other page, no PDF
    assert changed and all(
        re.fullmatch(r"(\w+/)?(index\.html|sitemap\.xml|programme\.ics)(\.gz)?|bericht/.*",
                     name) for name in changed), changed
    cold = cold_build(dated_project, "2026-12-02", tmp_path, monkeypatch)
    for name in [f"{code}/index.html{gz}" for code in LANGUAGES for gz in ("", ".gz")]:
        assert (site / name).read_bytes() == (cold / name).read_bytes(), name
    assert after == digests(cold)


# --- the mechanism, without a whole build


def test_an_entry_is_not_trusted_after_a_file_changed(tmp_path: Path) -> None:
    entry = cache.Entry(tmp_path / "site")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("one", encoding="utf-8")
    entry.seal(render="k")
    assert entry.read() == {"render": "k"}
    (tmp_path / "site" / "index.html").write_text("two!", encoding="utf-8")
    assert entry.read() is None
    entry.seal(render="k")
    (tmp_path / "site" / "extra.html").write_text("", encoding="utf-8")
    assert entry.read() is None


def test_an_entry_being_replaced_is_not_trusted(tmp_path: Path) -> None:
    entry = cache.Entry(tmp_path / "site")
    (tmp_path / "site").mkdir()
    entry.seal(render="old")
    entry.forget()  # what happens first when a language is built again
    assert entry.read() is None
    fresh = tmp_path / "site.new"
    fresh.mkdir()
    (fresh / "index.html").write_text("new", encoding="utf-8")
    entry.replace(fresh)
    assert entry.read() is None  # until sealed
    entry.seal(render="new")
    assert entry.read() == {"render": "new"}


def test_a_template_change_changes_the_code_key(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "wegweiser"
    shutil.copytree(Path(cache.__file__).parent / "templates", package / "templates")
    monkeypatch.setattr(cache, "PACKAGE", package)
    cache.code_digest.cache_clear()
    try:
        before = cache.inputs_key(tmp_path, ["content"])
        template = next(package.rglob("*.j2"))
        template.write_text(template.read_text(encoding="utf-8") + " ", encoding="utf-8")
        cache.code_digest.cache_clear()
        assert cache.inputs_key(tmp_path, ["content"]) != before
    finally:
        cache.code_digest.cache_clear()


def test_inputs_key_follows_content_dated_facts_and_environment(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_files(tmp_path, {"content/site.yml": "name: A\n"})
    key = cache.inputs_key(tmp_path, ["content"], "facts")
    assert cache.inputs_key(tmp_path, ["content"], "facts") == key
    assert cache.inputs_key(tmp_path, ["content"], "other facts") != key
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1")  # the day: only in the facts that show it
    assert cache.inputs_key(tmp_path, ["content"], "facts") == key
    monkeypatch.setenv("WEGWEISER_MESSAGES", "xx")  # a variable that changes wording
    assert cache.inputs_key(tmp_path, ["content"], "facts") != key
    monkeypatch.undo()
    (tmp_path / "content" / "site.yml").write_text("name: B\n", encoding="utf-8")
    assert cache.inputs_key(tmp_path, ["content"], "facts") != key
    os.remove(tmp_path / "content" / "site.yml")
    assert cache.inputs_key(tmp_path, ["content"], "facts") != key


def test_a_stage_runs_once_per_key_and_is_restored_exactly(tmp_path: Path) -> None:
    stages = cache.StageCache(tmp_path / "cache")
    calls: list[str] = []

    def stage_writing(text: str, stage: Path) -> None:
        calls.append(text)
        (stage / "downloads").mkdir(parents=True, exist_ok=True)
        (stage / "downloads" / "a.pdf").write_text(text, encoding="utf-8")

    for run, (key, text) in enumerate([("k1", "one"), ("k1", "ignored"), ("k2", "two")]):
        stage = tmp_path / f"stage{run}"
        (stage / "de").mkdir(parents=True)
        (stage / "de" / "index.html").write_text("site", encoding="utf-8")  # not the stage's
        stages.run("brochures", key, stage, lambda s=stage, t=text: stage_writing(t, s))
        assert (stage / "downloads" / "a.pdf").read_text(encoding="utf-8") == \
            ("two" if key == "k2" else "one")
    assert calls == ["one", "two"]
    assert stages.reused == ["brochures"]
    recorded = cache.Entry(tmp_path / "cache" / "brochures" / "k1")
    assert sorted(p.name for p in recorded.files.rglob("*") if p.is_file()) == ["a.pdf"]


def test_a_reused_stage_gives_back_the_facts_it_returned(tmp_path: Path) -> None:
    """A later stage needs them whether the stage ran or came from the cache (the
    brochures' page counts for the report)."""
    counted = {"downloads/wegweiser-de.pdf": 12}
    for run, returns in enumerate([counted, None]):  # a second run would say nothing
        stages = cache.StageCache(tmp_path / "cache")
        stage = tmp_path / f"stage{run}"
        stage.mkdir()
        ran = stages.run("brochures", "k1", stage, lambda r=returns: r)
        assert ran == (run == 0)
        assert stages.facts == {"brochures": counted}
    assert stages.recorded("brochures", "k1") == counted
    assert stages.recorded("brochures", "k2") is None
