"""The website: plain Markdown pages and one mkdocs.yml per language, built by mkdocs.

Pages are generated from the model with Jinja templates into build/<lang>/docs; each
language's mkdocs.yml INHERITs the project's base mkdocs.yml. No mkdocs plugins or hooks
of our own, so any renderer that reads mkdocs.yml can take over.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from .model import Content, Language

TEMPLATES = Environment(
    loader=PackageLoader("wegweiser", "templates/site"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


def write_language(content: Content, language: Language, root: Path, build: Path,
                   out: Path) -> Path:
    """Markdown pages and mkdocs.yml of one language; returns the mkdocs.yml path."""
    docs = build / language.code / "docs"
    pages = {
        "index.md": TEMPLATES.get_template("home.md.j2").render(content=content, lang=language),
    }
    for offer in content.offers:
        pages[f"angebote/{offer.id}.md"] = TEMPLATES.get_template("offer.md.j2").render(
            content=content, lang=language, offer=offer)
    for path, text in pages.items():
        write_if_changed(docs / path, text)
    config = {
        "INHERIT": os.path.relpath(root / "mkdocs.yml", build / language.code),
        "site_url": f"{content.settings.base_url}{language.code}/",
        "site_name": content.settings.name,
        "docs_dir": "docs",
        "site_dir": str(out / language.code),
        "theme": {"language": language.code},
    }
    config_file = build / language.code / "mkdocs.yml"
    write_if_changed(config_file, yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return config_file


def write_if_changed(path: Path, text: str) -> None:
    """Unchanged files keep their mtime, so later stages can skip them."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def run_mkdocs(configs: list[Path]) -> None:
    """One `mkdocs build` process per language, as many at once as there are cores."""
    def build(config: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "-f",
                               str(config)], capture_output=True, text=True)

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(build, configs))
    failed = [(c, r) for c, r in zip(configs, results) if r.returncode != 0]
    if failed:
        details = "\n".join(f"{c}:\n{r.stderr}" for c, r in failed)
        raise RuntimeError(f"mkdocs failed:\n{details}")


def write_site(content: Content, root: Path, build: Path, out: Path) -> int:
    """The whole website into `out`; returns the number of pages written."""
    configs = [write_language(content, lang, root, build, out)
               for lang in content.settings.languages[:1]]
    run_mkdocs(configs)
    return sum(1 for _ in out.rglob("*.html"))
