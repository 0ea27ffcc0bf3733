"""The command line behind build.py: check, build, and the commands added by later stages."""

from __future__ import annotations

import argparse
import os
import time
from datetime import date, datetime, timezone
from pathlib import Path

from . import publish, site
from .content import load_content
from .model import Content
from .problems import Problems

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def build_today(value: str | None) -> date:
    """The day the build publishes for: --today, else SOURCE_DATE_EPOCH, else today."""
    if value:
        return date.fromisoformat(value)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the Wegweiser site and brochures.")
    p.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: here)")
    p.add_argument("--today", help="publish as of this date, YYYY-MM-DD (default: today)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="how problems are printed (github: annotations in GitHub Actions)")
    commands = p.add_subparsers(dest="command")
    commands.add_parser("check", help="validate the content only (fast)")
    b = commands.add_parser("build", help="validate and build site/ (the default)")
    b.add_argument("--out", type=Path, help="output folder (default: site/ in the project)")
    commands.add_parser("test", help="run the test suite (arguments go to pytest)")
    return p


def main(argv: list[str]) -> int:
    if argv[:1] == ["test"]:
        return run_tests(argv[1:])
    args = parser().parse_args(argv)
    try:
        today = build_today(args.today)
    except ValueError:
        parser().print_usage()
        print(f"build.py: error: --today must be a date written YYYY-MM-DD, not {args.today!r}")
        return EXIT_USAGE
    root = args.root.resolve()
    started = time.perf_counter()
    problems = Problems()
    content = load_content(root, today, problems)
    if problems.items:
        print(problems.report(args.format))
    if content is None or (args.strict and problems.warnings):
        if args.strict and not problems.errors:
            print("Stopped: --strict treats warnings as errors.")
        return EXIT_CONTENT
    if args.command == "check":
        print(f"Content is valid: {content.files} files, {len(content.offers)} offers published.")
        return EXIT_OK
    return build(content, root, getattr(args, "out", None) or root / "site", problems, started)


def build(content: Content, root: Path, out: Path, problems: Problems, started: float) -> int:
    build_dir = root / "build"
    with publish.staging(out) as stage:
        pages = site.write_site(content, root, build_dir, stage)
    seconds = time.perf_counter() - started
    print(f"Built {out}: {content.files} files read, {pages} pages,"
          f" {len(problems.warnings)} warnings, {seconds:.1f} s.")
    return EXIT_OK


def run_tests(args: list[str]) -> int:
    import pytest

    return pytest.main(args)
