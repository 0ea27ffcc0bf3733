"""The command line behind build.py: parses the arguments and hands each command its work."""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path

from wegweiser import faults, pipeline, wording
from wegweiser.content.tree import load_content
from wegweiser.exports import report
from wegweiser.i18n import catalogs
from wegweiser.model import Content
from wegweiser.problems import BuildError, Problems
from wegweiser.wording import _, _n

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
    """new, serve and schemas: the editors' tools (editors/: scaffold, serve, schemas)."""
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


# The commands that read no content: the editors' tools (editors/: scaffold, serve, schemas).
def run_new(args: argparse.Namespace, root: Path, today: date) -> int:
    from wegweiser.editors import scaffold

    return scaffold.run_new(root, args.kind, args.name, today)


def run_serve(args: argparse.Namespace, root: Path, today: date) -> int:
    from wegweiser import serve

    return serve.run(root, today, args.lang, args.port)


def run_schemas(args: argparse.Namespace, root: Path, today: date) -> int:
    from wegweiser.editors import schemas

    changed, _schemas = schemas.export_schemas(root)
    pointed = schemas.point_content_files(root)
    print(_("Exported {schemas} to schemas/ ({changed} changed); schema line set in {files}.",
            schemas=_n("{n} schema", "{n} schemas", len(schemas.KINDS)), changed=len(changed),
            files=_n("{n} content file", "{n} content files", len(pointed))))
    return EXIT_OK


@dataclass(frozen=True)
class Checked:
    """A command's view of valid content: the model, its warnings and where it lives."""

    args: argparse.Namespace
    root: Path
    content: Content
    problems: Problems
    started: float
    say: Callable[..., None]  # words for people: stderr when stdout holds JSON


# The commands that need valid content.
def run_translations(c: Checked) -> int:
    return catalogs.run(c.content, c.root, c.args.status, c.problems, c.args.drop_obsolete)


def run_report(c: Checked) -> int:
    return report.run(c.content, c.root, c.root / "site",
                      pipeline.brochure_pages(c.content, c.root))


def run_check(c: Checked) -> int:
    seconds = time.perf_counter() - c.started
    c.say(_("Content is valid: {files} read, {offers} published, {warnings}, {seconds} s.",
            files=_n("{n} file", "{n} files", c.content.files),
            offers=_n("{n} offer", "{n} offers", len(c.content.offers)),
            warnings=_n("{n} warning", "{n} warnings", len(c.problems.warnings)),
            seconds=f"{seconds:.1f}"))
    return EXIT_OK


def run_build(c: Checked) -> int:
    out = (getattr(c.args, "out", None) or c.root / "site").resolve()
    today = c.content.today
    if c.args.today or "SOURCE_DATE_EPOCH" not in os.environ:  # mkdocs dates (sitemap, gzip)
        midnight = datetime(today.year, today.month, today.day, tzinfo=UTC)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    return build_safely(c.content, c.root, out, c.problems, c.started)


WITHOUT_CONTENT: dict[str, Callable[[argparse.Namespace, Path, date], int]] = {
    "new": run_new, "serve": run_serve, "schemas": run_schemas}
WITH_CONTENT: dict[str | None, Callable[[Checked], int]] = {
    "translations": run_translations, "report": run_report, "check": run_check,
    "build": run_build, None: run_build}


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        return run_tests(argv[1:])
    if argv[:1] == ["upgrade"]:
        from wegweiser import bootstrap

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
    if args.command in WITHOUT_CONTENT:
        return WITHOUT_CONTENT[args.command](args, root, today)
    checked = check_content(args, root, today)
    return EXIT_CONTENT if checked is None else WITH_CONTENT[args.command](checked)


def check_content(args: argparse.Namespace, root: Path, today: date) -> Checked | None:
    """The model, with every problem printed; None (and why) if a command must not go on."""
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
        return None
    return Checked(args, root, content, problems, started, say)


def build_safely(content: Content, root: Path, out: Path, problems: Problems,
                 started: float) -> int:
    """`build`, with every way it can fail said in words; site/ stays as it was."""
    try:
        with faults.ending_workers_on_terminate():
            pipeline.build(content, root, out, problems, started)
            return EXIT_OK
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


def run_tests(args: list[str]) -> int:
    import pytest

    from wegweiser import bootstrap

    return pytest.main(bootstrap.pytest_arguments(args))
