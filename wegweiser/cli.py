"""The command line behind build.py: check, build, and the commands added by later stages."""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from . import catalogs, faults, publish, report, site, wording
from .content import load_content
from .model import Content
from .problems import BuildError, Problems
from .wording import _, _n

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# The days a build can publish for: programme months are named 19xx or 20xx, and the dates
# computed from the day (expiry warnings, review dates) must stay within Python's calendar.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2099, 12, 31)


def build_today(value: str | None) -> date:
    """The day the build publishes for: --today, else SOURCE_DATE_EPOCH, else today.

    ValueError if it is not a date or lies outside FIRST_DAY..LAST_DAY."""
    if value:
        day = date.fromisoformat(value)
    elif os.environ.get("SOURCE_DATE_EPOCH"):
        try:
            day = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=UTC).date()
        except (OverflowError, OSError) as e:
            raise ValueError(str(e)) from None
    else:
        day = date.today()
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{day} is out of range")
    return day


def add_shared_options(p: argparse.ArgumentParser, defaults: bool = True) -> None:
    """Options that may stand before or after the command (`build.py check --strict`)."""
    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS  # a subcommand must not reset them

    p.add_argument("--root", type=Path, default=default(Path.cwd()),
                   help="project folder (default: here)")
    p.add_argument("--today", default=default(None),
                   help="publish as of this date, YYYY-MM-DD (default: today)")
    p.add_argument("--strict", action="store_true", default=default(False),
                   help="treat warnings as errors")
    p.add_argument("--format", choices=("text", "github", "json"), default=default("text"),
                   help="how problems are printed (github: annotations in GitHub Actions)")
    p.add_argument("--messages", choices=wording.LANGUAGES, default=default(None),
                   help=f"language of the messages (default: ${wording.ENVIRONMENT}, else de)")


def shared_options() -> argparse.ArgumentParser:
    """A parent for subcommands, `add_parser(..., parents=[shared_options()])`."""
    shared = argparse.ArgumentParser(add_help=False)
    add_shared_options(shared, defaults=False)
    return shared


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the Wegweiser site and"
                                " brochures. Without a command: build.")
    add_shared_options(p)
    commands = p.add_subparsers(dest="command")
    commands.add_parser("check", parents=[shared_options()],
                        help="validate the content only (fast)")
    b = commands.add_parser("build", parents=[shared_options()],
                            help="validate and build site/ (the default)")
    b.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
    commands.add_parser("test", help="run the test suite (arguments go to pytest)")
    commands.add_parser("upgrade", help="newest allowed versions into the lock files, then"
                        " the suite; the old locks come back if it fails")
    t = commands.add_parser("translations", help="update translations/*.po from the content")
    t.add_argument("--status", action="store_true",
                   help="only show how much of each language is translated")
    t.add_argument("--drop-obsolete", action="store_true",
                   help="remove entries of texts that are gone (kept as #~ otherwise)")
    commands.add_parser("report", parents=[shared_options()],
                        help="content health: stale reviews, expiring offers, translations")
    add_editor_commands(commands)
    return p


def add_editor_commands(commands: argparse._SubParsersAction) -> None:
    """new, serve and schemas: the editors' tools (scaffold.py, serve.py, editor.py)."""
    n = commands.add_parser("new", parents=[shared_options()],
                            help="start a file: new offer ID | new contact ID | new month YYYY-MM")
    n.add_argument("kind", choices=("offer", "contact", "month"))
    n.add_argument("name", help="the id (file name without .yml), or the month YYYY-MM")
    s = commands.add_parser("serve", parents=[shared_options()],
                            help="preview one language on http://127.0.0.1, rebuilt on save")
    s.add_argument("--lang", help="language code (default: the first in content/site.yml)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    commands.add_parser("schemas", parents=[shared_options()],
                        help="export the JSON Schemas for VS Code to schemas/")


def run_editor_command(args: argparse.Namespace, root: Path, today: date) -> int:
    from . import editor, scaffold, serve

    if args.command == "new":
        return scaffold.run_new(root, args.kind, args.name, today)
    if args.command == "serve":
        return serve.run(root, today, args.lang, args.port)
    changed, _schemas = editor.export_schemas(root)
    pointed = editor.point_content_files(root)
    print(_("Exported {schemas} to schemas/ ({changed} changed); schema line set in {files}.",
            schemas=_n("{n} schema", "{n} schemas", len(editor.KINDS)), changed=len(changed),
            files=_n("{n} content file", "{n} content files", len(pointed))))
    return EXIT_OK


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        return run_tests(argv[1:])
    if argv[:1] == ["upgrade"]:
        from . import bootstrap

        return bootstrap.upgrade(argv[1:])
    args = parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):  # a value the editor wrote can never crash a report
        if isinstance(stream, io.TextIOWrapper):  # not when called with redirected output
            stream.reconfigure(errors="backslashreplace")
    wording.use(args.messages)  # before anything is read: every message is worded once
    try:
        today = build_today(args.today)
    except ValueError:
        parser().print_usage()
        print("build.py: " + _("error: --today must be a date written YYYY-MM-DD between"
                               " {first} and {last}, not '{value}'", first=FIRST_DAY,
                               last=LAST_DAY, value=args.today
                               or "SOURCE_DATE_EPOCH=" + os.environ.get("SOURCE_DATE_EPOCH", "")))
        return EXIT_USAGE
    root = args.root.resolve()
    if not root.is_dir():
        print("build.py: " + _("error: the project folder {folder} does not exist", folder=root))
        return EXIT_USAGE
    if args.command in ("new", "serve", "schemas"):
        return run_editor_command(args, root, today)
    started = time.perf_counter()
    problems = Problems()
    content = load_content(root, today, problems)
    # With --format json stdout holds only the problems, for tools; the words go to stderr.
    say = partial(print, file=sys.stderr if args.format == "json" else sys.stdout)
    if problems.items or args.format == "json":
        print(problems.report(args.format))
    if content is None or (args.strict and problems.warnings):
        if args.strict and not problems.errors:
            say(_("Stopped: --strict treats warnings as errors."))
        else:
            say(_("Stopped: fix the errors above. Nothing was built; site/ is unchanged."))
        return EXIT_CONTENT
    if args.command == "translations":
        return catalogs.run(content, root, args.status, problems, args.drop_obsolete)
    if args.command == "report":
        return report.run(content, root, root / "site")
    if args.command == "check":
        seconds = time.perf_counter() - started
        say(_("Content is valid: {files} read, {offers} published, {warnings}, {seconds} s.",
              files=_n("{n} file", "{n} files", content.files),
              offers=_n("{n} offer", "{n} offers", len(content.offers)),
              warnings=_n("{n} warning", "{n} warnings", len(problems.warnings)),
              seconds=f"{seconds:.1f}"))
        return EXIT_OK
    out = (getattr(args, "out", None) or root / "site").resolve()
    if args.today or "SOURCE_DATE_EPOCH" not in os.environ:  # mkdocs dates (sitemap, gzip)
        midnight = datetime(today.year, today.month, today.day, tzinfo=UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    return build_safely(content, root, out, problems, started)


def build_safely(content: Content, root: Path, out: Path, problems: Problems,
                 started: float) -> int:
    """`build`, with every way it can fail said in words; site/ stays as it was."""
    try:
        with faults.ending_workers_on_terminate():
            return build(content, root, out, problems, started)
    except (KeyboardInterrupt, faults.Terminated, BuildError, OSError, MemoryError,
            ImportError, BrokenProcessPool) as e:
        if isinstance(e, KeyboardInterrupt | faults.Terminated) or faults.terminated():
            print(_("Interrupted: nothing was published; {folder} is unchanged.", folder=out),
                  flush=True)
            if not isinstance(e, KeyboardInterrupt):  # a worker it ended may fail first
                faults.exit_as_terminated()
            return EXIT_INTERRUPTED
        reason = str(e) if isinstance(e, BuildError) else faults.explain(e)
        if reason is None:
            raise
        print(_("error: {problem}\nStopped: the build failed; {folder} is unchanged.",
                problem=reason, folder=out))
        return EXIT_CONTENT


def build(content: Content, root: Path, out: Path, problems: Problems, started: float) -> int:
    from . import cache, cms, feeds, opendata

    build_dir = root / "build"
    clock = cache.Stopwatch({"content": time.perf_counter() - started})
    with publish.staging(out) as stage:
        with clock.stage("site"):
            pages = site.write_site(content, root, build_dir, stage)
        # Each stage is reused while its inputs are unchanged (cache.py); within a stage,
        # a brochure or flyer whose own HTML is unchanged is not rendered again either.
        stages = cache.StageCache(cache.cache_root(build_dir) / "stages")
        keys = stage_keys(content, root)
        for name, action in (
            ("brochures", lambda: render_brochures(content, root, build_dir,
                                                   stage / "downloads")),
            ("flyers", lambda: render_flyers(content, root, build_dir, stage)),
            ("admin", lambda: cms.write_admin(root, stage)),  # the form editor at /admin/
            ("open data", lambda: opendata.write_data(content, root, stage / "data")),
            ("feeds", lambda: feeds.write_feeds(content, root, stage)),  # programme.ics
            ("report", lambda: report.write_report(content, root, stage)),  # reads brochures
        ):
            with clock.stage(name):
                stages.run(name, keys[name], stage, action)
            faults.raise_if_terminated()
        with clock.stage("status"):  # translations.json and warnings on low coverage
            write_status(content, root, stage, problems, stages.folder / "status",
                         keys["status"])
        faults.raise_if_terminated()  # a stop signal whose exception was lost: no swap
    if stages.reused:
        print(_("Unchanged, from the cache: {stages}.", stages=", ".join(stages.reused)))
    seconds = time.perf_counter() - started
    print(_("Built {folder}: {files} read, {pages}, {warnings}, {seconds} s.", folder=out,
            files=_n("{n} file", "{n} files", content.files),
            pages=_n("{n} page", "{n} pages", pages),
            warnings=_n("{n} warning", "{n} warnings", len(problems.warnings)),
            seconds=f"{seconds:.1f}"))
    print(_("Time per stage: {stages}", stages=clock.summary()))
    return EXIT_OK


# The PDF renderers import WeasyPrint (0.5 to 1 s): only when a stage has something to render,
# so `check` and a build with nothing changed stay fast.


def render_brochures(content: Content, root: Path, build: Path, downloads: Path) -> None:
    from . import brochure

    brochure.write_brochures(content, root, build, downloads)


def render_flyers(content: Content, root: Path, build: Path, stage: Path) -> None:
    from . import flyer

    flyer.write_flyers(content, root, build, stage)


def stage_keys(content: Content, root: Path) -> dict[str, str]:
    """The key of each cached stage: the project files it reads, fonts, code and date.

    The code digest covers the renderers' code and versions; `fonts.digest` the font files."""
    from . import cache, cms, fonts

    everything = ("content", "offers", "translations")
    font_files = fonts.digest()
    decap = cache.digest_of(root / cms.DECAP_DIST.parent / "package.json",
                            Path(cms.__file__).parent.parent / cms.DECAP_DIST.parent
                            / "package.json")
    project = cache.inputs_key(root, content.today, everything)  # read once, not per stage

    def key(*extra: str) -> str:
        return hashlib.sha256("\0".join((project, *extra)).encode()).hexdigest()

    return {
        "brochures": key("brochures", font_files),
        "flyers": cache.inputs_key(root, content.today, ("content", "translations"), font_files),
        "admin": key("admin", decap),
        "open data": key("open data"),
        "feeds": key("feeds"),
        "report": key("brochures", font_files),  # it reads the brochures
        "status": key("status"),
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


def run_tests(args: list[str]) -> int:
    import pytest

    return pytest.main(args)
