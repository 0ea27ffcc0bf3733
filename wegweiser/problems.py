"""Problems found in content: where they are, what is wrong, and how to collect them all."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wegweiser.characters import json_printable, printable
from wegweiser.wording import N_, _, _n

Severity = Literal["error", "warning"]
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}  # the word in a report line


@dataclass(frozen=True, order=True)
class Location:
    """A place in a content file; line and column count from 1 (0 means unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, order=True)
class Problem:
    location: Location
    severity: Severity
    message: str
    path: str = ""  # trail of keys down to the value, e.g. events[2].start

    def format(self, style: str = "text") -> str:
        """One line; control characters of values and file names are shown as escapes, so
        nothing in content can recolour the terminal or forge a line of its own."""
        where = f"{self.path}: " if self.path else ""
        if style == "github":
            loc = self.location
            return (
                f"::{self.severity} file={_escape(printable(loc.file, True), True)},"
                f"line={loc.line or 1},col={loc.column or 1}::"
                f"{_escape(printable(where + self.message, True))}"
            )
        return printable(f"{self.location}: {_(SEVERITY_WORDS[self.severity])}: {where}"
                         f"{self.message}")


def _escape(text: str, property: bool = False) -> str:
    """GitHub workflow commands: %, CR and LF are escaped, and in properties also : and ,"""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


class BuildError(Exception):
    """A stage after validation failed for a reason the user can fix (e.g. a broken
    mkdocs.yml); the command line prints the message, exits 1 and keeps site/ as it was."""


@dataclass
class Problems:
    """Collects problems from every stage, so an editor sees them all at once."""

    items: list[Problem] = field(default_factory=list)
    seen: set[Problem] = field(default_factory=set, repr=False)  # `add` stays linear

    def error(self, location: Location, message: str, path: str = "") -> None:
        self.add(Problem(location, "error", message, path))

    def warning(self, location: Location, message: str, path: str = "") -> None:
        self.add(Problem(location, "warning", message, path))

    def add(self, problem: Problem) -> None:
        if problem not in self.seen:  # two checks may find the same thing: say it once
            self.seen.add(problem)
            self.items.append(problem)

    def extend(self, other: Problems) -> None:
        for problem in other.items:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def report(self, style: str = "text") -> str:
        """All problems sorted by file and line, then a closing count."""
        if style == "json":
            return json_printable(json.dumps([_as_dict(p) for p in sorted(self.items)],
                                             ensure_ascii=False))
        lines = [p.format(style) for p in sorted(self.items)]
        files = len({p.location.file for p in self.items})
        lines.append(_("{errors} and {warnings} in {files}",
                       errors=_n("{n} error", "{n} errors", len(self.errors)),
                       warnings=_n("{n} warning", "{n} warnings", len(self.warnings)),
                       files=_n("{n} file", "{n} files", files)))
        return "\n".join(lines)


def relative(path: Path, root: Path) -> str:
    """A file name as editors see it: relative to the project root, with forward slashes.
    A link is named by where it is, not by where it points."""
    for where, base in ((Path(os.path.abspath(path)), Path(os.path.abspath(root))),
                        (path.resolve(), root.resolve())):
        if where.is_relative_to(base):
            return where.relative_to(base).as_posix()
    return path.as_posix()


def _as_dict(p: Problem) -> dict[str, object]:
    return {
        "file": p.location.file,
        "line": p.location.line,
        "column": p.location.column,
        "severity": p.severity,
        "path": p.path,
        "message": p.message,
    }
