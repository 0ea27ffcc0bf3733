"""The build: the stages after validation, in order, each with the key of its inputs.

The site comes first (it is what readers see and what a broken mkdocs.yml stops), then the
PDFs and the exports; every stage writes into one staging folder, which replaces site/ only
when all of them succeeded (publish.py). A stage whose key is unchanged is copied from the
cache (cache.StageCache) instead of running again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from wegweiser import cache, faults, paths, publish, resources
from wegweiser.content import dated, programme
from wegweiser.exports import feeds
from wegweiser.i18n import catalogs
from wegweiser.model import Content
from wegweiser.problems import Problems
from wegweiser.site import build as website
from wegweiser.site.pages import OpenData, SiteFacts
from wegweiser.wording import N_, _, _n


@dataclass(frozen=True)
class Run:
    """One build: the model, the project, the cache folder and the staging folder, and what
    the stages that ran before found out (cache.StageCache.facts)."""

    content: Content
    root: Path
    build_dir: Path
    stage: Path
    facts: dict[str, Any] = field(default_factory=dict)


# The PDF renderers import WeasyPrint (0.5 to 1 s): only when a stage has something to render,
# so `check` and a build with nothing changed stay fast.


def render_brochures(run: Run) -> dict[str, int]:
    """The brochures; returns their page counts, which the report shows."""
    from wegweiser.pdf import brochure

    return brochure.write_brochures(run.content, run.root, run.build_dir,
                                    run.stage / paths.DOWNLOADS).pages


def render_flyers(run: Run) -> None:
    from wegweiser.pdf import flyer

    flyer.write_flyers(run.content, run.root, run.build_dir, run.stage)


def write_admin(run: Run) -> None:
    from wegweiser.editors import cms

    cms.write_admin(run.root, run.stage)  # the form editor at /admin/


def write_open_data(run: Run) -> None:
    from wegweiser.exports import opendata

    opendata.write_data(run.content, run.root, run.stage / "data")


def write_feeds(run: Run) -> None:
    feeds.write_unstamped(run.content, run.root, run.stage)  # programme.ics


def write_report(run: Run) -> None:
    from wegweiser.exports import report

    # the brochures' sizes from the staging folder, their pages as the brochure stage said
    report.write_report(run.content, run.root, run.stage, run.facts.get("brochures") or {})


# The stages' names as the build's summary says them (the keys stay English: the cache and
# the benchmark read them).
STAGE_NAMES = {"content": N_("content"), "site": N_("site"), "brochures": N_("brochures"),
               "flyers": N_("flyers"), "admin": N_("admin"), "open data": N_("open data"),
               "feeds": N_("feeds"), "report": N_("report"), "status": N_("status")}

# The cached stages after the site, in the order they run.
STAGES: tuple[tuple[str, Callable[[Run], None]], ...] = (
    ("brochures", render_brochures),
    ("flyers", render_flyers),
    ("admin", write_admin),
    ("open data", write_open_data),
    ("feeds", write_feeds),
    ("report", write_report),
)


def site_facts(content: Content) -> SiteFacts:
    """What the stages after the site publish, so that its pages link exactly that."""
    from wegweiser.exports import hsds, opendata

    return SiteFacts(
        flyer_months=frozenset(m.month for m in programme.flyer_months(content)),
        brochure=True, feeds=True,
        open_data=OpenData(tuple(opendata.TABLES), len(hsds.exported_offers(content))))


def build(content: Content, root: Path, out: Path, problems: Problems, started: float) -> None:
    """Every output into a staging folder, swapped in for `out`; a summary at the end."""
    build_dir = root / "build"
    clock = cache.Stopwatch({"content": time.perf_counter() - started})
    with publish.staging(out) as stage:
        with clock.stage("site"):
            pages = website.write_site(content, root, build_dir, stage, site_facts(content))
        # Each stage is reused while its inputs are unchanged (cache.py); within a stage,
        # a brochure or flyer whose own HTML is unchanged is not rendered again either.
        stages = cache.StageCache(cache.cache_root(build_dir) / "stages")
        run = Run(content, root, build_dir, stage, stages.facts)
        keys = stage_keys(content, root)
        for name, action in STAGES:
            with clock.stage(name):
                stages.run(name, keys[name], stage, lambda action=action: action(run))
            faults.raise_if_terminated()
        with clock.stage("feeds"):  # cached without the day, which they show as DTSTAMP
            feeds.stamp_feeds(feeds.feed_paths(content, stage), feeds.feed_stamp(content.today))
        with clock.stage("status"):  # translations.json and warnings on low coverage
            write_status(content, root, stage, problems, stages.folder / "status",
                         keys["status"])
        faults.raise_if_terminated()  # a stop signal whose exception was lost: no swap
    say_summary(content, out, problems, pages, stages.reused, clock, started)


def say_summary(content: Content, out: Path, problems: Problems, pages: int,
                reused: list[str], clock: cache.Stopwatch, started: float) -> None:
    if reused:
        print(_("Unchanged, from the cache: {stages}.",
                stages=", ".join(_(STAGE_NAMES[name]) for name in reused)))
    seconds = time.perf_counter() - started
    print(_("Built {folder}: {files} read, {pages}, {warnings}, {seconds} s.", folder=out,
            files=_n("{n} file", "{n} files", content.files),
            pages=_n("{n} page", "{n} pages", pages),
            warnings=_n("{n} warning", "{n} warnings", len(problems.warnings)),
            seconds=f"{seconds:.1f}"))
    print(_("Time per stage: {stages}", stages=", ".join(
        f"{_(STAGE_NAMES[name])} {seconds:.1f} s" for name, seconds in clock.seconds.items())))


def brochure_pages(content: Content, root: Path) -> dict[str, int]:
    """The page counts of the brochures as the last build of this very content recorded
    them, by file in the site; {} if site/ holds the brochures of other content."""
    stages = cache.StageCache(cache.cache_root(root / "build") / "stages")
    return stages.recorded("brochures", stage_keys(content, root)["brochures"]) or {}


def stage_keys(content: Content, root: Path) -> dict[str, str]:
    """The key of each cached stage: the project files it reads, fonts, code and the dated
    facts it shows (content/dated.py), not the day itself.

    The code digest covers the renderers' code and versions; `cache.fonts_key` the font
    files."""
    from wegweiser.editors import cms

    everything = ("content", "offers", "translations")
    font_files = cache.fonts_key()
    decap = cache.digest_of(root / cms.DECAP_DIST.parent / "package.json",
                            resources.CHECKOUT / cms.DECAP_DIST.parent
                            / "package.json")
    project = cache.inputs_key(root, everything)  # read once, not per stage
    brochures = dated.brochures(content)
    return {
        "brochures": cache.stage_key(project, "brochures", font_files, brochures),
        "flyers": cache.inputs_key(root, ("content", "translations"), font_files,
                                   dated.flyers(content)),
        "admin": cache.stage_key(project, "admin", decap),
        "open data": cache.stage_key(project, "open data", dated.open_data(content)),
        "feeds": cache.stage_key(project, "feeds", dated.feeds(content)),
        # it reads the brochures and counts reviews and expiry from the day
        "report": cache.stage_key(project, "brochures", font_files, brochures,
                                  dated.day(content)),
        "status": cache.stage_key(project, "status"),
    }


def write_status(content: Content, root: Path, stage: Path, problems: Problems,
                 folder: Path, key: str) -> None:
    """catalogs.write_status, with the coverage figures kept by the key of their inputs."""
    saved = folder / f"{key}.json"
    try:
        figures = [catalogs.Coverage(**f) for f in json.loads(saved.read_text("utf-8"))]
    except (OSError, ValueError, TypeError):
        figures = None
    errors = len(problems.errors)
    found = catalogs.write_status(content, root, stage, problems, figures)
    if figures is None and len(problems.errors) == errors:  # a broken catalog: ask again
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        saved.write_text(json.dumps([asdict(f) for f in found]), encoding="utf-8")
