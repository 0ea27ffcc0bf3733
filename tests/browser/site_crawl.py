"""Crawl a built site on disk: every internal link and anchor of every HTML page must resolve.

Used for the minimal fixture (tests/site/test_site.py) and the shipped site (browser tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

LINKING = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
           ("source", "src"), ("iframe", "src"))


@dataclass
class CrawlResult:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)
    external: set[str] = field(default_factory=set)  # hosts linked to (not loaded)


@cache
def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


@cache
def anchors(path: Path) -> frozenset[str]:
    doc = parse(path)
    return frozenset(doc.xpath("//@id") + doc.xpath("//a/@name"))


def target_file(site: Path, base_path: str, url_path: str) -> Path | None:
    """The file a URL path below the site's base path names, as a static server serves it."""
    if not url_path.startswith(base_path):
        return None
    relative = unquote(url_path[len(base_path):])
    path = site / relative
    if url_path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def crawl(site: Path, base_url: str) -> CrawlResult:
    """Check every internal href/src of every page; `base_url` is where `site` is served."""
    result = CrawlResult()
    base = urlsplit(base_url)
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html" or "admin" in page.relative_to(site).parts:
            continue  # the 404 page is served at any address; admin/ is the editor app
        result.pages += 1
        rel = page.relative_to(site).as_posix()
        page_url = urljoin(base_url, rel.removesuffix("index.html"))
        for tag, attr in LINKING:
            for element in parse(page).iter(tag):
                value = element.get(attr)
                if not value or value.startswith(("mailto:", "tel:", "data:", "javascript:")):
                    continue
                url = urlsplit(urljoin(page_url, value))
                if url.scheme not in ("http", "https"):
                    continue
                if url.netloc != base.netloc:
                    result.external.add(f"{tag}:{url.netloc}")
                    continue
                result.links += 1
                target = target_file(site, base.path, url.path)
                where = f"{rel}: {tag} {attr}={value}"
                if target is None or not target.is_file():
                    result.broken.append(f"{where} (no file)")
                elif url.fragment and target.suffix == ".html" and \
                        unquote(url.fragment) not in anchors(target):
                    result.broken.append(f"{where} (no anchor)")
    return result
