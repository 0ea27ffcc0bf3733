#!/usr/bin/env python3
"""Benchmark: synthetic content at city scale, the real commands, median/min/max.

    .venv/bin/python benchmarks/bench.py city            # the "city" scenario
    .venv/bin/python benchmarks/bench.py large --runs 1  # 1,000 offers and the growth curve
    .venv/bin/python benchmarks/bench.py city --baseline main~3   # before/after, one run
    .venv/bin/python benchmarks/bench.py city --only cold,next-day,month --runs 3
    .venv/bin/python benchmarks/bench.py tiny --runs 2 --no-append   # a smoke test

Generates a project in a temporary folder, runs `build.py` on it as an editor would and
appends the figures, with the machine they ran on, to benchmarks/results.md.

The measures, in the order they run (--only, or --measures, picks some; default all):

    check      `build.py check`
    cold       a full build with no build/ and no site/
    unchanged  a rebuild with nothing changed
    offer      one offer edited (its title), then a build: every language's brochure lays
               out that offer's part and the indexes again
    catalog    one translation changed (an English title in en.po), then a build
    next-day   a build with --today one day later than the build before it, nothing else
               changed; the day moves on by one with every run
    month      one month of the programme added (content/programme/YYYY-MM.yml after the
               last one, written as the generated months are), then a build: its flyers
               and posters are rendered
    mkdocs     plain mkdocs on the pages the build generated (one language, a reference)

Each row has the median, min and max of its runs and the peak memory of the whole process
tree (the build and its workers): the sum of their RSS, sampled every 20 ms, which counts a
page a worker shares with a process forked from it in each, and in brackets the sum of
their PSS, sampled every 0.2 s, which divides a shared page among its sharers: what the
machine needs. A measure runs on the state the one before left, so --only cold,next-day
measures the day after a cold build (without cold, an unmeasured build comes first). Each
edit also checks that it changed what it claims, from the build's own output: offer renders
the brochures, catalog renders the English one, next-day takes the brochures from the
cache, month publishes the new month's flyer; for this tree a failed check stops the
run, for a --baseline tree it is printed as a warning (an older commit may differ).

--baseline REV measures an earlier commit in the same run: a git worktree of REV (sharing
this checkout's .venv and node_modules) builds its own copy of the same project, and the
two take turns in every run, so a busy machine slows both alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-23"
LANGUAGES = [
    ("de", "Deutsch", "ltr"), ("en", "English", "ltr"), ("ar", "العربية", "rtl"),
    ("fa", "فارسی", "rtl"), ("uk", "Українська", "ltr"), ("ru", "Русский", "ltr"),
    ("tr", "Türkçe", "ltr"), ("fr", "Français", "ltr"), ("es", "Español", "ltr"),
    ("it", "Italiano", "ltr"), ("pl", "Polski", "ltr"), ("ro", "Română", "ltr"),
]
CATEGORIES = ["sprache", "bildung", "familie", "arbeit", "beratung", "wohnen", "gesundheit",
              "engagement"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
TEXT = ("Dieses Angebot unterstützt Menschen, die neu in der Stadt sind, bei Fragen zu Sprache, "
        "Arbeit, Wohnen und Alltag. Die Beratung ist vertraulich und kostenlos.")


@dataclass
class Scale:
    offers: int
    contacts: int
    languages: int
    months: int = 12
    events: int = 25
    pages: int = 15


SCENARIOS = {
    "city": Scale(offers=150, contacts=60, languages=10),
    "large": Scale(offers=1000, contacts=300, languages=12),
    "tiny": Scale(offers=6, contacts=4, languages=2, months=2, events=6, pages=2),
}
FIRST_MONTH = (2026, 11)  # the generated programme starts in the month of TODAY


def write_project(root: Path, scale: Scale) -> None:
    """A complete, valid project of the given size."""
    (root / "offers").mkdir(parents=True)
    for folder in ("contacts", "programme", "pages"):
        (root / "content" / folder).mkdir(parents=True)
    langs = "\n".join(f"  - {{code: {c}, name: {n}, dir: {d}}}"
                      for c, n, d in LANGUAGES[: scale.languages])
    cats = "\n".join(f"  - {{id: {c}, name: {c.title()}, icon: material/star}}" for c in CATEGORIES)
    (root / "content" / "site.yml").write_text(f"""\
name: Kommunales Integrationszentrum Benchstadt
organisation: Stadt Benchstadt
city: Benchstadt
base_url: https://integration.benchstadt.example/
contact: kontakt-0
service_point: kontakt-1
languages:
{langs}
categories:
{cats}
audiences:
  - {{id: erwachsene, name: Erwachsene}}
  - {{id: familien, name: Familien}}
districts: [Mitte, Nord, Süd, Ost, West]
""", encoding="utf-8")
    for i in range(scale.contacts):
        (root / "content" / "contacts" / f"kontakt-{i}.yml").write_text(f"""\
name: Beratungsstelle {i}
organisation: Träger {i % 20}
address: {{street: Hauptstraße {i + 1}, postcode: {51000 + i:05d}, city: Benchstadt}}
phones: [{{number: 0214 406-{1000 + i}}}]
opening_hours:
  weekly:
    {WEEKDAYS[i % 5]}: [{{opens: 09:00, closes: 12:00}}, {{opens: 13:00, closes: 16:00}}]
languages: [de, en]
last_reviewed: 2026-06-01
""", encoding="utf-8")
    for i in range(scale.offers):
        (root / "offers" / f"angebot-{i}.yml").write_text(f"""\
title: Angebot Nummer {i}
summary: Kurze Beschreibung des Angebots {i} in einfacher Sprache.
description: |
  {TEXT}

  Absatz zwei von Angebot {i}: {TEXT}
category: {CATEGORIES[i % len(CATEGORIES)]}
audience: [erwachsene]
languages: [de, en, ar]
provider: kontakt-{i % scale.contacts}
where_when: {{place: kontakt-{(i + 1) % scale.contacts}}}
cost: {{free: true}}
registration: {{required: false}}
district: {["Mitte", "Nord", "Süd", "Ost", "West"][i % 5]}
last_reviewed: 2026-06-01
""", encoding="utf-8")
    for m in range(scale.months):
        write_month(root, scale, m)
    for i in range(scale.pages):
        (root / "content" / "pages" / f"seite-{i}.md").write_text(
            f"---\ntitle: Seite {i}\norder: {i}\n---\n{TEXT}\n\n{TEXT}\n", encoding="utf-8")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")


def month_id(m: int) -> str:
    """The m-th month of the generated programme, from FIRST_MONTH on: "2026-11"."""
    index = FIRST_MONTH[0] * 12 + FIRST_MONTH[1] - 1 + m
    return f"{index // 12}-{index % 12 + 1:02d}"


def write_month(root: Path, scale: Scale, m: int) -> str:
    """The m-th month's programme file, with `scale.events` dates; its id."""
    month = month_id(m)
    events = "\n".join(f"""\
  - id: termin-{e}
    date: {month}-{1 + e % 28:02d}
    start: {9 + e % 8:02d}:00
    end: {10 + e % 8:02d}:00
    title: Sprechstunde {e}
    host: kontakt-{e % scale.contacts}
    room: Raum {e}
    on_holiday: true""" for e in range(scale.events))
    (root / "content" / "programme" / f"{month}.yml").write_text(
        f"venue: kontakt-1\nevents:\n{events}\n", encoding="utf-8")
    return month


def fill_catalogs(tree: Tree) -> None:
    """Complete catalogs: every entry translated (marked with its language code)."""
    from babel.messages.pofile import read_po, write_po

    run(tree, "translations")
    for po in sorted((tree.root / "translations").glob("*.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            if message.id and not message.string:
                message.string = f"[{po.stem}] {message.id}"
        with po.open("wb") as f:
            write_po(f, catalog)


class PeakMemory:
    """Samples the summed RSS of a process tree from /proc every 20 ms, and its summed PSS
    every 0.2 s (reading smaps_rollup costs the kernel more)."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_pss, self.running = pid, 0, 0, True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        samples = 0
        while self.running:
            rss = tree_rss(self.pid)
            self.peak = max(self.peak, sum(rss.values()))
            if samples % 10 == 0:
                self.peak_pss = max(self.peak_pss, sum(map(pss, rss)))
            samples += 1
            time.sleep(0.02)

    def stop(self) -> int:
        self.running = False
        self.thread.join()
        return self.peak


def pss(pid: int) -> int:
    """A process's proportional set size: each page it shares divided among its sharers."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            return next(int(line.split()[1]) * 1024 for line in rollup
                        if line.startswith("Pss:"))
    except (OSError, StopIteration, ValueError):
        return 0


def tree_rss(pid: int) -> dict[int, int]:
    """The RSS of `pid` and of every process below it, by process."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(stat[1]), []).append(int(entry.name))
            rss[int(entry.name)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    found, todo = {}, [pid]
    while todo:
        current = todo.pop()
        found[current] = rss.get(current, 0)
        todo.extend(children.get(current, []))
    return found


STAGES = re.compile(r"^Time per stage: (.*)$", re.MULTILINE)


def stage_seconds(output: str) -> dict[str, float]:
    """The build's own per-stage figures ("Time per stage: site 12.3 s, ...") if it prints them."""
    found = STAGES.search(output)
    if not found:
        return {}
    pairs = (part.rsplit(" ", 2) for part in found.group(1).split(", "))
    return {name: float(seconds) for name, seconds, _ in pairs}


class Measured(tuple):
    """(seconds, peak bytes of RSS) plus the peak PSS, the stage figures and the output the
    build printed."""

    pss: int
    stages: dict[str, float]
    output: str


@dataclass
class Tree:
    """A checkout of the code under test and its own copy of the project; `today` is the
    day its builds run for (next-day moves it on), `months` the programme files it has."""

    name: str
    repo: Path
    root: Path
    today: str = TODAY
    months: int = 0


def run(tree: Tree, *args: str) -> Measured:
    """Seconds and peak memory of one build.py command; fails loudly if it fails."""
    return timed([str(tree.repo / "build.py"), "--root", str(tree.root), "--today", tree.today,
                  *args], f"build.py {' '.join(args)}")


def timed(arguments: list[str], what: str) -> tuple[float, int]:
    """Seconds, peak memory and the printed stage times of one Python process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, *arguments], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env={**os.environ, "WEGWEISER_MESSAGES": "en"})  # "Time per stage" is read
    memory = PeakMemory(process.pid)
    output, _ = process.communicate()
    peak = memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"{what} failed:\n{output[-3000:]}")
    result = Measured((time.perf_counter() - started, peak))
    result.pss = memory.peak_pss
    result.stages = stage_seconds(output)
    result.output = output
    return result


def plain_mkdocs(tree: Tree) -> tuple[float, int]:
    """The reference: mkdocs alone on the pages our build generated, one language."""
    root = tree.root
    config = root / "build" / "de" / "mkdocs.yml"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d",
                    str(root / "plain-mkdocs")], check=True, capture_output=True)
    return time.perf_counter() - started, 0


SHORT = {"cold full build": "cold", "rebuild, nothing changed": "unchanged",
         "rebuild, one offer changed": "offer", "rebuild, one catalog changed": "catalog",
         "next day, nothing changed": "next-day",
         "rebuild, one month of the programme added": "month",
         "plain mkdocs build (de only, reference)": "mkdocs"}


def short(label: str) -> str:
    return SHORT.get(label, label)


def measure_trees(label: str, action, runs: int, trees: list[Tree]) -> dict[str, dict]:
    """Rows by tree name; the trees take turns within each run."""
    results: dict[str, list] = {tree.name: [] for tree in trees}
    for _ in range(runs):
        for tree in trees:
            results[tree.name].append(action(tree))
    return {name: summarise(label, found, name) for name, found in results.items()}


def summarise(label: str, results: list, tree: str) -> dict[str, float]:
    times = [seconds for seconds, _ in results]
    stages: dict[str, list[float]] = {}
    for result in results:
        for name, value in getattr(result, "stages", {}).items():
            stages.setdefault(name, []).append(value)
    row = {"label": label, "median": statistics.median(times), "min": min(times),
           "max": max(times), "peak_mib": max(peak for _, peak in results) / 2**20,
           "pss_mib": max(getattr(result, "pss", 0) for result in results) / 2**20,
           "runs": len(results),
           "stages": ", ".join(f"{name} {statistics.median(values):.1f}"
                               for name, values in stages.items())}
    print(f"  {tree}: {label}: median {row['median']:.2f} s ({len(results)} runs)"
          f" {row['stages']}", file=sys.stderr, flush=True)
    return row


def touch_offer(root: Path, n: int) -> None:
    path = root / "offers" / "angebot-0.yml"
    text = re.sub(r"^title: .*$", f"title: Angebot Nummer 0, Fassung {n}",
                  path.read_text(encoding="utf-8"), count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")


def touch_catalog(root: Path, n: int) -> None:
    """A new English title for offer 1, different in every run."""
    path = root / "translations" / "en.po"
    text, changed = re.subn(r'msgstr "\[en\] Angebot Nummer 1( v\d+)?"',
                            f'msgstr "[en] Angebot Nummer 1 v{n}"', path.read_text("utf-8"))
    if changed != 1:
        raise SystemExit(f"the benchmark could not change {path} ({changed} matches)")
    path.write_text(text, encoding="utf-8")


CACHED = re.compile(r"^Unchanged, from the cache: (.*)\.$", re.MULTILINE)
BROCHURES = re.compile(r"^Brochures: (\d+) languages? rendered", re.MULTILINE)


def brochures_rendered(output: str) -> set[str]:
    """The languages whose brochure the build rendered (its "brochure en: ..." lines)."""
    return set(re.findall(r"^  brochure ([\w-]+): ", output, re.MULTILINE))


def brochures_cached(output: str) -> bool:
    """Whether the build took every brochure from the cache (the stage or each language)."""
    stages = CACHED.search(output)
    if stages and "brochures" in stages.group(1).split(", "):
        return True
    counted = BROCHURES.search(output)
    return counted is not None and counted.group(1) == "0"


def expect(tree: Tree, claim: str, holds: bool) -> None:
    """A scenario's check that it changed what it claims: fatal for this tree, a warning
    for a baseline (an older commit may build differently, which is what is measured)."""
    if holds:
        print(f"  checked: {tree.name or 'this tree'}: {claim}", file=sys.stderr, flush=True)
        return
    if tree.repo == REPO:
        raise SystemExit(f"the benchmark's edit did not do what it claims: {claim}")
    print(f"  warning: {tree.name}: not so: {claim}", file=sys.stderr, flush=True)


def next_day(day: str) -> str:
    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def prepare(tmp: Path, scale: Scale, baseline: str | None) -> list[Tree]:
    """The project, generated once, and a copy of it for each tree to measure."""
    source = tmp / "project"
    write_project(source, scale)
    fill_catalogs(Tree("this tree", REPO, source))
    trees = []
    if baseline:
        repo = tmp / "baseline"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(repo),
                        baseline], check=True)
        for shared in (".venv", "node_modules"):
            (repo / shared).symlink_to(REPO / shared)
        revision = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                                  capture_output=True, text=True, check=True).stdout.strip()
        trees.append(Tree(f"before ({baseline} = {revision})", repo, tmp / "before"))
    trees.append(Tree("after" if baseline else "", REPO, tmp / "after"))
    for tree in trees:
        tree.months = scale.months
        shutil.copytree(source, tree.root)
        run(tree, "check")  # a first run may set up packages (bootstrap.py): not measured
    return trees


def remove_worktrees(trees: list[Tree]) -> None:
    for tree in trees:
        if tree.repo != REPO:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force",
                            str(tree.repo)], check=False)


MEASURES = ("check", "cold", "unchanged", "offer", "catalog", "next-day", "month", "mkdocs")


def bench_scale(scale: Scale, runs: int, name: str, slow_runs: int,
                baseline: str | None = None,
                measures: tuple[str, ...] = MEASURES) -> dict[str, list[dict[str, float]]]:
    """The measures of the issue, for each tree; rows by tree name."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        trees = prepare(Path(tmp), scale, baseline)
        try:
            return measure_scale(trees, runs, slow_runs, measures, scale)
        finally:
            remove_worktrees(trees)


def measure_scale(trees: list[Tree], runs: int, slow_runs: int,
                  measures: tuple[str, ...], scale: Scale) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {tree.name: [] for tree in trees}

    def add(found: dict[str, dict]) -> None:
        for tree, row in found.items():
            rows[tree].append(row)

    def measure(label: str, action, times: int, trees: list[Tree]) -> dict[str, dict]:
        return measure_trees(label, action, times, trees) if short(label) in measures else {}

    def cold(tree: Tree) -> tuple[float, int]:
        for folder in ("build", "site"):
            shutil.rmtree(tree.root / folder, ignore_errors=True)
        return run(tree, "build")

    counter = iter(range(1, 1000))

    def one_offer(tree: Tree) -> Measured:
        touch_offer(tree.root, next(counter))
        result = run(tree, "build")
        expect(tree, "one offer edited: the brochures were rendered",
               not brochures_cached(result.output))
        return result

    def one_catalog(tree: Tree) -> Measured:
        touch_catalog(tree.root, next(counter))
        result = run(tree, "build")
        expect(tree, "en.po changed: the English brochure was rendered",
               "en" in brochures_rendered(result.output))
        return result

    def one_day_later(tree: Tree) -> Measured:
        tree.today = next_day(tree.today)
        result = run(tree, "build")
        expect(tree, f"next day ({tree.today}): the brochures came from the cache",
               brochures_cached(result.output))
        return result

    def month_added(tree: Tree) -> Measured:
        month = write_month(tree.root, scale, tree.months)
        tree.months += 1
        result = run(tree, "build")
        flyer = tree.root / "site" / "downloads" / f"programm-{month}-de.pdf"
        expect(tree, f"month {month} added: {flyer.name} was published", flyer.exists())
        return result

    add(measure("check", lambda tree: run(tree, "check"), runs, trees))
    add(measure("cold full build", cold, slow_runs, trees))
    if "cold" not in measures and set(measures) - {"check"}:
        for tree in trees:  # what the other measures change is a built project: not measured
            run(tree, "build")
    add(measure("rebuild, nothing changed", lambda tree: run(tree, "build"), runs, trees))
    add(measure("rebuild, one offer changed", one_offer, slow_runs, trees))
    add(measure("rebuild, one catalog changed", one_catalog, runs, trees))
    add(measure("next day, nothing changed", one_day_later, runs, trees))
    add(measure("rebuild, one month of the programme added", month_added, slow_runs, trees))
    add(measure("plain mkdocs build (de only, reference)", plain_mkdocs, runs, trees))
    for tree in trees:
        size = sum(p.stat().st_size for p in (tree.root / "site").rglob("*") if p.is_file())
        rows[tree.name].append({"label": "output size", "median": size / 2**20, "min": 0,
                                "max": 0, "peak_mib": 0, "runs": 1, "unit": "MiB"})
    return rows


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() \
            else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def report(name: str, scale: Scale, rows: list[dict[str, float]]) -> str:
    head = (f"\n## {name}: {scale.offers} offers, {scale.contacts} contact points,"
            f" {scale.languages} languages ({date.today()}, {cpu_model()}, {platform.machine()},"
            f" {os.cpu_count()} cores, Python {platform.python_version()})\n\n"
            "| measure | runs | median | min | max | peak memory | stages, median s |\n"
            "|---|---|---|---|---|---|---|\n")
    lines = []
    for r in rows:
        if r.get("unit") == "MiB":
            lines.append(f"| {r['label']} | | {r['median']:.1f} MiB | | | | |")
        else:
            pss = f" (PSS {r['pss_mib']:.0f})" if r.get("pss_mib") else ""
            lines.append(f"| {r['label']} | {r['runs']} | {r['median']:.2f} s |"
                         f" {r['min']:.2f} s | {r['max']:.2f} s | {r['peak_mib']:.0f} MiB{pss} |"
                         f" {r.get('stages', '')} |")
    return head + "\n".join(lines) + "\n"


SITE_ONLY = """
import sys, time
from datetime import date
from pathlib import Path
sys.path.insert(0, {repo!r})
try:
    from wegweiser.content.tree import load_content
    from wegweiser.site.build import write_site
except ImportError:  # a baseline from before the package by stage (#18)
    from wegweiser.content import load_content
    from wegweiser.site import write_site
from wegweiser.problems import Problems
root = Path({root!r})
started = time.perf_counter()
content = load_content(root, date.fromisoformat({today!r}), Problems())
loaded = time.perf_counter()
out = root / "site-only"
out.mkdir(exist_ok=True)
try:  # the pages that link the other stages' output, as in a full build
    from wegweiser.pipeline import site_facts
    facts = (site_facts(content),)
except ImportError:  # a baseline from before pipeline.py found them itself
    facts = ()
write_site(content, root, root / "build", out, *facts)
built = time.perf_counter()
print(f"Time per stage: content {{loaded - started:.1f}} s, site {{built - loaded:.1f}} s")
"""


def site_only(tree: Tree) -> tuple[float, int]:
    """Content and website only (no PDFs): how the website's cost grows with the offers."""
    script = SITE_ONLY.format(repo=str(tree.repo), root=str(tree.root), today=TODAY)
    return timed(["-c", script], "site only")


def bench_site_curve(scale: Scale, runs: int, name: str) -> dict[str, list[dict]]:
    """check, a cold website build (no brochures) and a plain mkdocs build, per size."""
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        trees = prepare(Path(tmp), scale, None)
        tree = trees[0]

        def cold(tree: Tree) -> tuple[float, int]:
            for folder in ("build", "site-only"):
                shutil.rmtree(tree.root / folder, ignore_errors=True)
            return site_only(tree)

        rows = [measure_trees("check", lambda tree: run(tree, "check"), runs, trees)[tree.name],
                measure_trees("cold website only (no PDFs)", cold, runs, trees)[tree.name],
                measure_trees("plain mkdocs build (de only, reference)", plain_mkdocs, runs,
                              trees)[tree.name]]
    return {tree.name: rows}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("scenario", choices=[*SCENARIOS, "curve", "site-curve"],
                   help="site-curve: the website alone at 250, 500 and 1,000 offers")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--slow-runs", type=int,
                   help="runs of the cold build and the one-offer rebuild (default: --runs)")
    p.add_argument("--label", default="", help="a note for the heading")
    p.add_argument("--baseline", metavar="REV",
                   help="also measure this git revision, taking turns with this tree")
    p.add_argument("--no-append", action="store_true",
                   help="print the tables only, leave benchmarks/results.md as it is")
    p.add_argument("--measures", "--only", default=",".join(MEASURES),
                   help=f"a selection of: {','.join(MEASURES)} (default: all)")
    args = p.parse_args()
    unknown = set(args.measures.split(",")) - set(MEASURES)
    if unknown:
        p.error(f"unknown measures {','.join(sorted(unknown))}; choose from {','.join(MEASURES)}")
    if args.scenario in ("curve", "site-curve"):
        scales = {f"{args.scenario} {n}": Scale(offers=n, contacts=n // 3, languages=2,
                                                months=1) for n in (250, 500, 1000)}
    else:
        scales = {args.scenario: SCENARIOS[args.scenario]}
    out = []
    for name, scale in scales.items():
        if args.scenario == "site-curve":
            by_tree = bench_site_curve(scale, args.runs, name.replace(" ", "-"))
        else:
            by_tree = bench_scale(scale, args.runs, name.replace(" ", "-"),
                                  args.slow_runs or args.runs, args.baseline,
                                  tuple(args.measures.split(",")))
        for tree, rows in by_tree.items():
            out.append(report(" ".join(filter(None, (name, tree, args.label))), scale, rows))
            print(out[-1], flush=True)
    if not args.no_append:
        with (REPO / "benchmarks" / "results.md").open("a", encoding="utf-8") as f:
            f.write("".join(out))


if __name__ == "__main__":
    main()
