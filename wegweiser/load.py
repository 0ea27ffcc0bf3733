"""Strict YAML loading: every value keeps its place in the file, nothing is guessed.

PyYAML composes the node tree; we never let it construct Python objects. Each plain
scalar is resolved by what the schema expects at its place, so `no`, `18:30` and `01067`
stay text where text is expected, and `true` or `3` become a boolean or a number only
where the schema asks for one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Location, Problems

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 40
MAX_VALUES = 100_000  # after expanding aliases: refuses "billion laughs"

STR = "tag:yaml.org,2002:str"
ALLOWED_TAGS = {STR, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
INTEGER = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
NUMBER = re.compile(r"^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$")

Path_ = tuple[str | int, ...]


class Expectation(Protocol):
    """What the schema expects at one place of a document."""

    def types(self) -> set[str]: ...

    def child(self, key: str | int) -> Expectation: ...


@dataclass
class Document:
    """A loaded file: its data and the line and column of every value and key."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_ = (), key: bool = False) -> Location:
        """The location of the value at `path`, or of the nearest enclosing value."""
        marks = self.key_marks if key and path in self.key_marks else self.marks
        while path not in marks and path:
            path = path[:-1]
        line, column = marks.get(path, (0, 0))
        return Location(self.file, line, column)


class _Refused(Exception):
    def __init__(self, node: Node | None, message: str):
        self.node = node
        self.message = message


class _Resolver(yaml.resolver.BaseResolver):
    """Resolves nothing implicitly: every plain scalar is text until the schema says more."""


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, _Resolver):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(None, f"the file is nested more than {MAX_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_text(path: Path, file: str, problems: Problems) -> str | None:
    """The file's text, or None with a problem if it is too large or not UTF-8."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.error(Location(file, 1, 1),
                       f"the file is too large ({len(raw):,} bytes; at most {MAX_FILE_BYTES:,})")
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        column = e.start - raw.rfind(b"\n", 0, e.start)
        problems.error(Location(file, line, column),
                       f"the file is not saved as UTF-8 (byte 0x{raw[e.start]:02x});"
                       " save it with the encoding UTF-8")
        return None


def parse_yaml(text: str, file: str, problems: Problems, line_offset: int = 0) -> Node | None:
    """The node tree of one YAML document, or None with a problem."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except _Refused as e:
        problems.error(Location(file, line_offset + 1, 1), e.message)
        return None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problems.error(Location(file, line + line_offset, column), explain_syntax_error(e))
        return None
    except yaml.YAMLError as e:  # reader errors: control characters and the like
        problems.error(Location(file, line_offset + 1, 1), f"the file cannot be read as YAML: {e}")
        return None
    finally:
        loader.dispose()
    if node is None or (isinstance(node, ScalarNode) and node.value == ""):
        problems.error(Location(file, line_offset + 1, 1), "the file is empty")
        return None
    return node


def explain_syntax_error(e: yaml.MarkedYAMLError) -> str:
    """Plain words for the YAML syntax errors editors make most often."""
    problem = e.problem or ""
    if "'\\t'" in problem or "tab" in problem:
        return "a tab character is used for indentation; indent with spaces only"
    if "found duplicate anchor" in problem:
        return "an anchor (&name) is defined twice"
    if "found undefined alias" in problem:
        return "a reference (*name) points to an anchor (&name) that does not exist"
    if "mapping values are not allowed" in problem:
        return ("a colon ':' appears where it is not allowed; put text that contains ': '"
                " in quotes, or check the indentation of this line")
    if "could not find expected ':'" in problem:
        return "a line is missing its 'key: value' colon, or the indentation is wrong"
    if "expected <block end>" in problem or "expected <document start>" in problem:
        return "the indentation does not match the lines above; align keys at the same level"
    if "found character" in problem and "cannot start any token" in problem:
        return (f"{problem}; put the value in quotes")
    if "end of stream" in problem and "quoted" in (e.context or ""):
        return "a quoted text is not closed; add the closing quote"
    return f"YAML syntax error: {problem or e.context}"


def to_document(node: Node, file: str, expect: Expectation, problems: Problems,
                line_offset: int = 0) -> Document | None:
    """Convert the node tree to plain data, guided by the schema, recording every mark."""
    doc = Document(file, None)
    builder = _Builder(doc, line_offset)
    try:
        doc.data = builder.value(node, expect, ())
    except _Refused as e:
        mark = e.node.start_mark if e.node else None
        line, column = (mark.line + 1 + line_offset, mark.column + 1) if mark else (1, 1)
        problems.error(Location(file, line, column), e.message)
        return None
    for location, message in builder.duplicates:
        problems.error(location, message)
    return doc


class _Builder:
    def __init__(self, doc: Document, line_offset: int):
        self.doc = doc
        self.line_offset = line_offset
        self.count = 0
        self.duplicates: list[tuple[Location, str]] = []

    def mark(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def value(self, node: Node, expect: Expectation, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Refused(node, f"the file expands to more than {MAX_VALUES:,} values"
                                 " (are anchors and references (*name) nested?)")
        if node.tag not in ALLOWED_TAGS:
            raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed;"
                                 " write the value without a '!' tag")
        self.doc.marks[path] = self.mark(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, expect, path)
        if isinstance(node, SequenceNode):
            return [self.value(item, expect.child(i), path + (i,))
                    for i, item in enumerate(node.value)]
        return resolve_scalar(node, expect.types())

    def mapping(self, node: MappingNode, expect: Expectation, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _Refused(key_node, "a key must be a simple word, not a list or mapping")
            key = key_node.value
            if key in result:
                first = self.doc.key_marks[path + (key,)][0]
                line, column = self.mark(key_node)
                self.duplicates.append((Location(self.doc.file, line, column),
                                        f"the key '{key}' appears twice (first on line {first});"
                                        " remove one of them"))
                continue
            self.doc.key_marks[path + (key,)] = self.mark(key_node)
            result[key] = self.value(value_node, expect.child(key), path + (key,))
        return result


def resolve_scalar(node: ScalarNode, expected: set[str]) -> Any:
    """Text stays text; only a plain scalar where the schema wants another type is converted."""
    text = node.value
    if node.style:
        return text  # quoted or block text is always a string
    if "null" in expected and text in ("", "~", "null"):
        return None
    if "boolean" in expected and text in ("true", "false"):
        return text == "true"
    if expected & {"integer", "number"} and INTEGER.match(text):
        return int(text)
    if "number" in expected and NUMBER.match(text):
        return float(text)
    if text in ("", "~", "null") and "string" not in expected:
        return None
    return text
