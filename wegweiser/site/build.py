"""The website: plain Markdown pages and one mkdocs.yml per language, built by mkdocs.

Pages are generated from the model with Jinja templates into build/<lang>/docs; each
language's mkdocs.yml INHERITs the project's base mkdocs.yml. No mkdocs plugins or hooks
of our own, so any renderer that reads mkdocs.yml can take over. Around the languages'
sites the build writes the language picker at /, sitemap.xml with hreflang alternates,
robots.txt and the font files.

Each language's site is kept in build/<lang>/site (a cache.Entry) and linked into the
output: a language whose inputs did not change is neither generated nor built again, and
one whose generated pages, theme and configuration did not change is not built by mkdocs.
What shows the build's day (the sitemaps' <lastmod>, the home page's next dates) is
written into the linked output afterwards, so no mkdocs build depends on the day.
Languages are generated and built in parallel processes, one per core.
"""

from __future__ import annotations

import gzip
import importlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from wegweiser import cache, fonts, paths, workers
from wegweiser.content import dated
from wegweiser.i18n.localisation import Localisation, Localized
from wegweiser.markup import theme_safe
from wegweiser.model import Content, Language, confirmed
from wegweiser.problems import BuildError
from wegweiser.resources import ASSETS
from wegweiser.site import theme
from wegweiser.site.pages import OPEN_DATA, TEMPLATES, PageSpec, PageWriter, SiteFacts, plan_pages
from wegweiser.wording import _, _n

LEGAL_ROLES = ("imprint", "privacy", "accessibility", "easy-language", "sign-language")


@dataclass(frozen=True)
class SiteUrls:
    """Where the site lives: the absolute base URL from the settings and its path.

    `published` is False while site.yml marks base_url as an example value: the pages
    still link each other by relative paths, but nothing machines read as the site's
    address (canonical and alternate links, sitemaps, robots.txt's Sitemap line) is written.
    """

    base: str  # e.g. https://www.example.de/integration/
    published: bool = True

    @classmethod
    def of(cls, content: Content) -> SiteUrls:
        base = content.settings.base_url
        return cls(base if base.endswith("/") else base + "/",
                   confirmed(content.settings, "base_url"))

    @property
    def path(self) -> str:
        return urlsplit(self.base).path or "/"

    def language(self, code: str) -> str:
        return f"{self.base}{code}/"


def write_language(content: Content, language: Language, root: Path, build: Path,
                   out: Path, facts: SiteFacts) -> Path:
    """Markdown pages, theme folder and mkdocs.yml of one language; returns the config."""
    folder = build / language.code
    docs = folder / "docs"
    urls = SiteUrls.of(content)
    loc = Localisation.load(root, content.settings, language)
    writer = PageWriter(content, loc, urls.language(language.code), root, facts)
    specs = plan_pages(content, facts)
    pages = {spec.path: writer.render(spec) for spec in specs}
    pages["assets/wegweiser/site.css"] = site_css()
    pages["assets/wegweiser/filter.js"] = (ASSETS / "filter.js").read_text(encoding="utf-8")
    pages["assets/wegweiser/reader.js"] = (ASSETS / "reader.js").read_text(encoding="utf-8")
    pages["sw.js"] = service_worker(language, specs)
    for path, text in pages.items():
        write_if_changed(docs / path, text)
    remove_stale(docs, set(pages))
    theme.write_theme(folder / "theme", loc)
    config = theme_safe(language_config(content, loc, specs, root, folder, out, urls, facts))
    config_file = folder / "mkdocs.yml"
    write_if_changed(config_file, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return config_file


def service_worker(language: Language, specs: list[PageSpec]) -> str:
    """sw.js at the language's root: offline reading of its pages (README "Offline")."""
    pages = ["./", "404.html", *(spec.url for spec in specs if spec.url)]
    version = cache.service_worker_version(pages)
    return TEMPLATES.get_template("sw.js.j2").render(code=language.code, pages=pages,
                                                     version=version)


def language_config(content: Content, loc: Localisation, specs: list[PageSpec], root: Path,
                    folder: Path, out: Path, urls: SiteUrls, facts: SiteFacts) -> dict[str, Any]:
    language = loc.language
    settings = content.settings
    return {
        "INHERIT": os.path.relpath(root / "mkdocs.yml", folder),
        "site_url": urls.language(language.code),
        "site_name": str(loc.field(settings, "name")),
        "site_description": str(loc.ui("Angebote, Anlaufstellen und Termine für Menschen, die neu zugewandert sind.")),  # noqa: E501
        "docs_dir": "docs",
        "site_dir": str(out / language.code),
        "theme": {"language": language.code, "direction": language.dir,
                  "custom_dir": "theme"},
        "nav": navigation(content, loc, specs),
        "extra_css": ["assets/wegweiser/site.css"],
        "extra_javascript": ["assets/wegweiser/filter.js", "assets/wegweiser/reader.js"],
        "extra": {
            "generator": False,
            "alternate": [{"name": lang.name, "lang": lang.code, "dir": lang.dir,
                           "link": f"{urls.path}{lang.code}/"} for lang in settings.languages],
            "wegweiser": theme_values(content, loc, specs, urls, facts.brochure),
        },
    }


def nav_entries(loc: Localisation, specs: list[PageSpec]) -> list[tuple[Localized, str]]:
    """A shallow navigation: the sections, then the editorial pages without a legal role."""
    nav = [(loc.ui("Start"), paths.source("")),
           (loc.ui("Angebote"), paths.source(paths.OFFERS)),
           (loc.ui("Anlaufstellen"), paths.source(paths.CONTACTS)),
           (loc.ui("Programm"), paths.source(paths.PROGRAMME))]
    for spec in specs:
        page = spec.data.get("page")
        if page is not None and not page.role:
            nav.append((loc.field(page, "title"), spec.path))
    return nav


def navigation(content: Content, loc: Localisation, specs: list[PageSpec]) -> list[Any]:
    return [{str(title): path} for title, path in nav_entries(loc, specs)]


def german_labels(content: Content, loc: Localisation, specs: list[PageSpec]) -> dict[str, Any]:
    """Navigation labels and the site's name that fell back to German, which the theme
    marks with these attributes (WCAG 3.1.2)."""
    code = loc.language.code
    texts = [title for title, _ in nav_entries(loc, specs)]
    texts.append(loc.field(content.settings, "name"))
    source = content.settings.source_language
    return {"texts": sorted({str(t) for t in texts
                             if t.fallback and t.lang != code}),
            "lang": source.code, "dir": source.dir if source.dir != loc.language.dir else ""}


def footer_extra(specs: list[PageSpec], loc: Localisation) -> list[dict[str, str]]:
    """Footer links after the legal pages: the open-data page, if that stage exists."""
    if not any(spec.template == OPEN_DATA for spec in specs):
        return []
    title = loc.ui("Offene Daten")
    return [{"path": paths.OPEN_DATA, "title": str(title),
             "lang": title.lang if title.fallback else ""}]


def theme_values(content: Content, loc: Localisation, specs: list[PageSpec],
                 urls: SiteUrls, brochure: bool) -> dict[str, Any]:
    """What the override templates show: footer links, 404 texts, the sites' paths."""
    code = loc.language.code
    by_role = {spec.data["page"].role: spec for spec in specs
               if "page" in spec.data and spec.data["page"].role}
    links = []
    for role in LEGAL_ROLES:
        if role in by_role:
            title = loc.field(by_role[role].data["page"], "title")
            links.append({"path": by_role[role].url, "title": str(title),
                          "lang": title.lang if title.fallback else ""})
    values: dict[str, Any] = {
        "canonical": urls.published,
        "german": german_labels(content, loc, specs),
        "sites_path": urls.path,
        "root_path": f"{urls.path}{code}/",
        "footer_label": str(loc.ui("Rechtliches und Barrierefreiheit")),
        "footer_links": links + footer_extra(specs, loc),
        "publisher": publisher(content, loc),
        "not_found": {
            "title": str(loc.ui("Seite nicht gefunden")),
            "text": str(loc.ui("Diese Seite gibt es nicht (mehr). Vielleicht hilft die Suche oder die Startseite weiter.")),  # noqa: E501
            "home": str(loc.ui("Zur Startseite")),
        },
    }
    if brochure:
        title = loc.ui("Wegweiser als PDF")
        values["brochure"] = {"path": paths.brochure(code), "title": str(title),
                              "lang": title.lang if title.fallback else ""}
    return values


def publisher(content: Content, loc: Localisation) -> list[dict[str, str]]:
    """The footer's last line: the organisation (German only) and the site's name, each
    with the language it is in where that is not the page's (WCAG 3.1.2)."""
    source = content.settings.source_language.code
    name = loc.field(content.settings, "name")
    parts = [(content.settings.organisation, source), (str(name), name.lang)]
    return [{"text": text, "lang": lang if lang != loc.language.code else ""}
            for text, lang in parts]


def site_css() -> str:
    """The site's styles with the @font-face rules; fonts live at /assets/fonts/."""
    css = (ASSETS / "site.css").read_text(encoding="utf-8")
    # the stylesheet is at /<lang>/assets/wegweiser/site.css
    return fonts.font_css("../../../assets/fonts/") + "\n" + css


def write_if_changed(path: Path, text: str) -> None:
    """Unchanged files keep their mtime, so later stages can skip them."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def remove_stale(docs: Path, keep: set[str]) -> None:
    """Pages of offers or months that no longer exist must not be built again."""
    for path in docs.rglob("*"):
        if path.is_file() and path.relative_to(docs).as_posix() not in keep:
            path.unlink()


def site_inputs(language: Language) -> list[str]:
    """The project files a language's pages are made from (besides code and dated facts)."""
    return ["content", "offers", f"translations/{language.code}.po", "mkdocs.yml"]


def mkdocs_subprocess(config: Path, site_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                             str(config), "-d", str(site_dir)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"mkdocs failed:\n{config}:\n{result.stderr}")  # the CLI exits 1


PRECOMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml")
MKDOCS_MODULES = ("mkdocs.commands.build", "mkdocs.config", "mkdocs.contrib.search",
                  "material", "material.extensions.emoji", "pymdownx.emoji", "markdown")


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def mkdocs_in_process(config: Path, site_dir: Path) -> None:
    """`mkdocs build --quiet -f config -d site_dir` in this (worker) process: the modules
    are imported once before the workers start, not once per language."""
    from mkdocs.commands import build
    from mkdocs.config import load_config

    logger, collected = logging.getLogger("mkdocs"), Collected()
    logger.addHandler(collected)
    logger.setLevel(logging.ERROR)
    logger.propagate = False
    try:
        settings = load_config(config_file=str(config), site_dir=str(site_dir))
        settings.plugins.on_startup(command="build", dirty=False)
        try:
            build.build(settings, dirty=False)
        finally:
            settings.plugins.on_shutdown()
    except (Exception, SystemExit) as e:  # mkdocs ends a failed build with SystemExit
        details = "\n".join([*collected.lines, f"{type(e).__name__}: {e}"])
        raise BuildError(f"mkdocs failed:\n{config}:\n{details}") from None
    finally:
        logger.removeHandler(collected)


def render_language(config: Path, inputs: str | None = None, in_process: bool = False) -> bool:
    """build/<lang>/site from the config, by mkdocs unless the same input was built before.

    Returns True if mkdocs ran. The output is linked into the config's site_dir."""
    folder = config.parent
    entry = cache.Entry(folder / "site")
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    key = cache.mkdocs_key(settings, folder)
    state = entry.read()
    ran = state is None or state.get("render") != key
    if ran:
        entry.forget()
        fresh = folder / "site.new"
        shutil.rmtree(fresh, ignore_errors=True)
        (mkdocs_in_process if in_process else mkdocs_subprocess)(config, fresh)
        if not settings["extra"]["wegweiser"]["canonical"]:
            without_sitemap(fresh)
        compact_search_index(fresh)
        precompress(fresh)
        entry.replace(fresh)
    entry.seal(render=key, inputs=inputs)
    cache.link_tree(entry.files, Path(settings["site_dir"]))
    return ran


def without_sitemap(site_dir: Path) -> None:
    """mkdocs writes each language's sitemap.xml from site_url; while base_url is an
    example value there is no address to list, so the sitemaps are left out."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / name).unlink(missing_ok=True)


def compact_search_index(site_dir: Path) -> None:
    """mkdocs writes the search index with \\u escapes: three times the bytes in Arabic or
    Ukrainian. The same JSON in UTF-8, as the theme's search worker reads it."""
    path = site_dir / "search" / "search_index.json"
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                        encoding="utf-8")


def precompress(site_dir: Path) -> None:
    """A .gz beside every text file, for servers that send it as it is (nginx gzip_static);
    fixed mtime and no file name inside, so builds stay byte-identical."""
    for path in sorted(site_dir.rglob("*")):
        if path.suffix in PRECOMPRESSED and path.is_file():
            path.with_name(path.name + ".gz").write_bytes(compressed(path.read_bytes()))


def compressed(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


LASTMOD = re.compile(rb"<lastmod>\d{4}-\d{2}-\d{2}</lastmod>")


def date_sitemap(site_dir: Path, day: date) -> None:
    """mkdocs writes the build's day as every page's <lastmod> in the language's
    sitemap.xml: the one output of mkdocs that shows the day. A language taken from the
    cache gets the day here, so its mkdocs build does not depend on the day. The files in
    `site_dir` are links into the cache: replaced, never written in place."""
    path = site_dir / "sitemap.xml"
    if not path.is_file():
        return
    data = path.read_bytes()
    dated_data = LASTMOD.sub(f"<lastmod>{day.isoformat()}</lastmod>".encode(), data)
    if dated_data != data:
        replace_output(path, dated_data)


def date_home(content: Content, language: Language, root: Path, site_dir: Path,
              facts: SiteFacts) -> None:
    """The home page's next dates (and the note on untranslated parts, if only they need
    it) as of the build's day, written where the page built by mkdocs has their marks, so
    a language taken from the cache shows the day's dates without mkdocs. The dates are
    not in the search index, which mkdocs made without them: every date is on its month's
    page, which is."""
    path = site_dir / "index.html"
    loc = Localisation.load(root, content.settings, language)
    writer = PageWriter(content, loc, SiteUrls.of(content).language(language.code), root, facts)
    text = path.read_text(encoding="utf-8")
    for mark, html in writer.home_day().items():  # a mark is a line of its own
        text = text.replace(mark + "\n", html and html + "\n")
    replace_output(path, text.encode())


def replace_output(path: Path, data: bytes) -> None:
    """A file of a language's output and its .gz with new content: they are links into
    the cache (build/<lang>/site), so they are replaced, never written in place."""
    for target, text in ((path, data), (path.with_name(path.name + ".gz"), compressed(data))):
        target.unlink(missing_ok=True)
        target.write_bytes(text)


@dataclass(frozen=True)
class Languages:
    """What every language's worker needs besides its code; reaches the workers by fork."""

    content: Content
    root: Path
    build: Path
    out: Path
    inputs: dict[str, str]  # the key of each language's inputs
    facts: SiteFacts

    def build_language(self, code: str) -> bool:
        """Generate one language's pages and build them (in a worker process)."""
        language = self.content.settings.language(code)
        config = write_language(self.content, language, self.root, self.build, self.out,
                                self.facts)
        return render_language(config, self.inputs[code], in_process=True)


def build_languages(content: Content, root: Path, build: Path, out: Path,
                    inputs: dict[str, str], facts: SiteFacts) -> list[str]:
    """Every language whose inputs changed, in parallel processes; returns those built."""
    stale = [code for code, key in inputs.items()
             if (cache.Entry(build / code / "site").read() or {}).get("inputs") != key]
    if not stale:
        return []
    for module in MKDOCS_MODULES:  # imported once here, shared by the forked workers
        importlib.import_module(module)
    languages = Languages(content, root, build, out, inputs, facts)
    built = workers.run_jobs(languages.build_language, stale)
    return [code for code in stale if built[code]]


ROOT_FILES = (("index.html", "root.html.j2"), ("404.html", "root-404.html.j2"),
              ("sitemap.xml", "sitemap.xml.j2"), ("robots.txt", "robots.txt.j2"))
ROOT_TEXTS = ("Wählen Sie Ihre Sprache.", "Seite nicht gefunden", "Zur Startseite")


def root_texts(content: Content, root: Path) -> dict[str, dict[str, str]]:
    """Each language's own line for the pages at / (the picker and the 404 page); a text
    not translated yet is left out rather than shown in German once per language."""
    texts: dict[str, dict[str, str]] = {}
    for language in content.settings.languages:
        loc = Localisation.load(root, content.settings, language)
        found = {german: loc.ui(german) for german in ROOT_TEXTS}
        texts[language.code] = {german: str(text) for german, text in found.items()
                                if not text.fallback or text.lang == language.code}
    return texts


def legal_links(content: Content, loc: Localisation,
                specs: list[PageSpec]) -> list[dict[str, str]]:
    """Imprint and privacy page of the source language, linked from the pages at /."""
    legal = {spec.data["page"].role: spec for spec in specs
             if "page" in spec.data and spec.data["page"].role in ("imprint", "privacy")}
    code = content.settings.source_language.code
    return [{"path": paths.in_language(code, legal[role].url),
             "title": str(loc.field(legal[role].data["page"], "title"))}
            for role in ("imprint", "privacy") if role in legal]


def write_root(content: Content, root: Path, out: Path, facts: SiteFacts) -> None:
    """The language picker and the 404 page at /, sitemap.xml with hreflang alternates,
    robots.txt."""
    urls = SiteUrls.of(content)
    languages = content.settings.languages
    source = content.settings.source_language
    loc = Localisation.load(root, content.settings, source)
    specs = plan_pages(content, facts)
    context = {"content": content, "languages": languages, "source": source, "urls": urls,
               "loc": loc, "font_css": fonts.font_css("assets/fonts/"),
               "font_css_absolute": fonts.font_css(f"{urls.path}assets/fonts/"),
               "specs": specs, "texts": root_texts(content, root),
               "legal": legal_links(content, loc, specs)}
    for name, template in ROOT_FILES:
        if name == "sitemap.xml" and not urls.published:
            (out / name).unlink(missing_ok=True)  # absolute addresses only: none to give
            continue
        text = TEMPLATES.get_template(template).render(context)
        (out / name).write_text(text, encoding="utf-8")


def write_site(content: Content, root: Path, build: Path, out: Path,
               facts: SiteFacts | None = None) -> int:
    """The whole website into `out`, linking what `facts` says the other stages publish
    (nothing: the website alone); returns the number of pages written."""
    facts = facts or SiteFacts()
    font_rules = fonts.font_css("")  # the font files' names and ranges, from node_modules
    shown = dated.site(content)  # the day is not in the key: see date_sitemap, date_home
    inputs = {lang.code: cache.inputs_key(root, site_inputs(lang), font_rules, shown)
              for lang in content.settings.languages}
    built = build_languages(content, root, build, out, inputs, facts)
    for code in inputs:
        if not (out / code).exists():  # built ones are linked by their worker already
            cache.link_tree(build / code / "site", out / code)
        date_sitemap(out / code, content.today)
        date_home(content, content.settings.language(code), root, out / code, facts)
    print(_("Website: {built} of {languages} built by mkdocs.", built=len(built),
            languages=_n("{n} language", "{n} languages", len(inputs))), flush=True)
    fonts.copy_fonts(out / "assets" / "fonts")
    write_root(content, root, out, facts)
    return sum(1 for _ in out.rglob("*.html"))
