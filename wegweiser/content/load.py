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

from wegweiser.characters import refused_character
from wegweiser.content.sanitize import insecure_link
from wegweiser.problems import Location, Problems
from wegweiser.wording import N_, _, number

# Limits far above any real content file, low enough to refuse hostile files in well
# under a second (pure-Python PyYAML reads about 300 KB of small values per second).
MAX_FILE_BYTES = 256 * 1024
MAX_PAGE_BYTES = 1024 * 1024  # Markdown pages: only their front matter is YAML
MAX_DEPTH = 40
MAX_VALUES = 50_000  # after expanding aliases: refuses "billion laughs"

STR = "tag:yaml.org,2002:str"
ALLOWED_TAGS = {STR, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
NULLS = ("", "~", "null", "Null", "NULL")
TRUE, FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")
# Spaces YAML does not count as spaces (no-break, em, zero-width, BOM): in a key they
# come from copied indentation and would make an "unknown field" nobody can see.
INVISIBLE = re.compile("[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]")
INDENTED_INVISIBLY = re.compile(f"^[ \t]*({INVISIBLE.pattern})", re.MULTILINE)
# Half of a UTF-16 pair ("\uD800" in double quotes): no file, page or PDF can hold it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
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
    null_words: dict[Path_, str] = field(default_factory=dict)  # `null`, `~` as written

    def where(self, path: Path_ = (), key: bool = False) -> Location:
        """The location of the value at `path` (or of its key), else of the nearest parent."""
        marks = self.key_marks if key and path in self.key_marks else self.marks
        while path not in marks and path:
            path = path[:-1]
        line, column = marks.get(path, (0, 0))
        return Location(self.file, line, column)


@dataclass
class Sources:
    """The validated documents of one content tree, by kind and id."""

    site: Document | None
    notices: Document | None
    offers: dict[str, Document]
    contacts: dict[str, Document]
    programme: dict[str, Document]
    pages: dict[str, tuple[Document, str]]  # front matter and Markdown body
    files: int = 0
    # Every contact point with a file, valid or not: a reference to a file that has its own
    # errors is not reported a second time as "unknown".
    contact_ids: frozenset[str] = frozenset()


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
            raise _Refused(None, _("the file is nested more than {depth} levels deep;"
                                   " content files need only a few levels", depth=MAX_DEPTH))
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_text(path: Path, file: str, problems: Problems,
              limit: int = MAX_FILE_BYTES) -> str | None:
    """The file's text, or None with a problem if it is too large or not UTF-8."""
    raw = path.read_bytes()
    if len(raw) > limit:
        problems.error(Location(file, 1, 1), _("the file is too large ({size} KB; at most {limit}"
                                               " KB are allowed); split it into smaller files",
                                               size=-(-len(raw) // 1024), limit=limit // 1024))
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        # Windows line ends become \n: line numbers stay, and front matter is found.
        return raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, e.start) + 1
        column = len(raw[line_start: e.start].decode("utf-8", "replace")) + 1  # in characters
        problems.error(Location(file, line, column),
                       _("the file is not saved as UTF-8 (byte 0x{byte:02x} cannot be read);"
                         " save it again with the encoding UTF-8", byte=raw[e.start]))
        return None


def parse_yaml(text: str, file: str, problems: Problems, line_offset: int = 0) -> Node | None:
    """The node tree of one YAML document, or None with a problem."""
    here = _Here(file, line_offset)
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as e:  # checked on the whole text before parsing
        problems.error(here.at_position(text, e.position), explain_reader_error(e))
        return None
    try:
        node = loader.get_single_node()
    except _Refused as e:
        problems.error(here.at(None), e.message)
        return None
    except yaml.reader.ReaderError as e:
        problems.error(here.at_position(text, e.position), explain_reader_error(e))
        return None
    except yaml.MarkedYAMLError as e:
        mark = _syntax_mark(e)
        copied = INDENTED_INVISIBLY.search(text, 0, mark.index + 1 if mark else len(text))
        if copied:  # the likely cause, though PyYAML stumbles a line or two later
            problems.error(here.at_position(text, copied.end() - 1), _(
                "this line is indented with an invisible character (U+{code:04X}, often copied"
                " from Word or a web page); indent with normal spaces only",
                code=ord(copied.group(1))))
        else:
            problems.error(here.at(mark), explain_syntax_error(e))
        return None
    finally:
        loader.dispose()
    if node is None or (isinstance(node, ScalarNode) and node.value == "" and not node.style):
        problems.error(here.at(None), _("the file is empty (or has only comments);"
                                        " it needs 'key: value' lines"))
        return None
    return node


@dataclass
class _Here:
    """Turns PyYAML's 0-based marks into locations in the editor's file."""

    file: str
    line_offset: int

    def at(self, mark: yaml.Mark | None) -> Location:
        if mark is None:
            return Location(self.file, self.line_offset + 1, 1)
        return Location(self.file, mark.line + 1 + self.line_offset, mark.column + 1)

    def at_position(self, text: str, position: int) -> Location:
        line = text.count("\n", 0, position) + 1
        column = position - text.rfind("\n", 0, position)
        return Location(self.file, line + self.line_offset, column)


def _syntax_mark(e: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where the editor has to look: for unclosed things, where they were opened."""
    problem = e.problem or ""
    opened_earlier = ("end of stream" in problem or "<stream end>" in problem
                      or "could not find expected ':'" in problem)
    if opened_earlier and e.context_mark is not None:
        return e.context_mark
    return e.problem_mark or e.context_mark


def explain_reader_error(e: yaml.reader.ReaderError) -> str:
    if isinstance(e.character, int):
        return _("the file contains an invisible control character (U+{code:04X}) that is"
                 " not allowed; delete it (it often comes from copying text)", code=e.character)
    return _("the file cannot be read: {reason}", reason=e.reason)


INDENTATION = N_("the indentation does not match the lines above; align keys of the same"
                 " level exactly, with spaces")
SYNTAX_HINTS = (
    # (words in PyYAML's message, plain explanation)
    ("'\\t'", N_("a tab character is used for indentation; indent with spaces only")),
    ("found duplicate anchor", N_("an anchor (&name) is defined twice; give each anchor its own"
                                  " name")),
    ("found undefined alias", N_("a reference (*name) points to an anchor (&name) that does"
                                 " not exist; define the anchor above, or put text starting"
                                 " with * in quotes")),
    ("another document", N_("the file contains a second document (a second '---' line); a"
                            " content file holds exactly one: remove the '---' line or split"
                            " the file")),
    ("mapping values are not allowed", N_("a colon ':' appears where it is not allowed; put"
                                          " text that contains ': ' in quotes, or check the"
                                          " indentation of this line")),
    ("could not find expected ':'", N_("this line is missing its 'key: value' colon, or its"
                                       " indentation is wrong")),
    ("unknown escape character", N_("a backslash '\\' in double quotes starts an unknown"
                                    " escape; use single quotes '...' instead")),
    ("expected ',' or ']'", N_("a list in [ ] is not closed; add the closing ']'")),
    ("expected ',' or '}'", N_("a group in {{ }} is not closed; add the closing '}}'")),
    ("expected <block end>", INDENTATION),
    ("expected <document start>", INDENTATION),
    ("expected <block mapping", INDENTATION),
)


def explain_syntax_error(e: yaml.MarkedYAMLError) -> str:
    """Plain words for the YAML syntax errors editors make most often."""
    problem, context = e.problem or "", e.context or ""
    words = f"{context} {problem}"
    if "end of stream" in problem and "quoted" in context:
        return _("a quoted text is not closed; add the closing quote")
    if "found character" in problem and "cannot start any token" in problem:
        if "'\\t'" in problem:
            return _(SYNTAX_HINTS[0][1])
        char = problem.split("'")[1] if "'" in problem else "?"
        return _("a value cannot start with the character {char}; put the whole value in"
                 " quotes, e.g. '{char}...'", char=char)
    for needle, hint in SYNTAX_HINTS:
        if needle in words:
            return _(hint)
    return _("YAML syntax error: {problem}", problem=problem or context)


def to_document(node: Node, file: str, expect: Expectation, problems: Problems,
                line_offset: int = 0) -> Document | None:
    """Convert the node tree to plain data guided by the schema, recording every mark.

    None (with problems) if the file uses what content files must not: tags, complex
    keys, merge keys, or aliases that expand without end.
    """
    doc = Document(file, None)
    builder = _Builder(doc, line_offset)
    here = _Here(file, line_offset)
    try:
        doc.data = builder.value(node, expect, ())
    except _Refused as e:
        problems.error(here.at(e.node.start_mark if e.node else None), e.message)
        return None
    for location, message in builder.duplicates + builder.refusals:
        problems.error(location, message)
    if builder.refusals:
        return None  # values are missing: schema errors about them would only mislead
    return doc


class _Builder:
    def __init__(self, doc: Document, line_offset: int):
        self.doc = doc
        self.line_offset = line_offset
        self.count = 0
        self.refusals: list[tuple[Location, str]] = []  # the value is left out
        self.duplicates: list[tuple[Location, str]] = []  # the first value is kept

    def mark(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    def refuse(self, node: Node, message: str) -> None:
        self.refusals.append((Location(self.doc.file, *self.mark(node)), message))

    def refuse_text(self, node: ScalarNode) -> bool:
        """Refuses a text (True) that holds a refused character or an http: link, at the
        place where it is written (at the value, if it is written as an escape)."""
        problem = text_problem(node.value)
        if problem is None:
            return False
        needle, message = problem
        location = Location(self.doc.file, *self.position(node, needle))
        self.refusals.append((location, message))
        return True

    def position(self, node: Node, needle: str) -> tuple[int, int]:
        """Line and column of `needle` in the node's source, else those of the node."""
        start, end = node.start_mark, node.end_mark
        found = start.buffer.find(needle, start.pointer, end.pointer) if start.buffer else -1
        if found < 0:
            return self.mark(node)
        before = start.buffer[start.pointer:found]
        if "\n" not in before:
            return start.line + 1 + self.line_offset, start.column + len(before) + 1
        return (start.line + before.count("\n") + 1 + self.line_offset,
                len(before) - before.rfind("\n"))

    def value(self, node: Node, expect: Expectation, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise _Refused(node, _("the file expands to more than {count} values; are"
                                   " references (*name) to anchors (&name) nested in each"
                                   " other?", count=number(MAX_VALUES)))
        if node.tag not in ALLOWED_TAGS:
            self.refuse(node, _("the YAML tag '{tag}' is not allowed; write the value without"
                                " a '!' tag", tag=_tag(node.tag)))
            return None
        self.doc.marks[path] = self.mark(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, expect, path)
        if isinstance(node, SequenceNode):
            return [self.value(item, expect.child(i), path + (i,))
                    for i, item in enumerate(node.value)]
        if self.surrogate(node) or self.refuse_text(node):
            return None
        value = resolve_scalar(node, expect.types())
        if value is None and node.value:
            self.doc.null_words[path] = node.value  # the schema error can name it
        return value

    def mapping(self, node: MappingNode, expect: Expectation, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in result:
                first = self.doc.key_marks[path + (key,)][0]
                self.duplicates.append((
                    Location(self.doc.file, *self.mark(key_node)),
                    _("the key '{key}' appears twice (first on line {line}); remove one of"
                      " them", key=key, line=first)))
                continue
            self.doc.key_marks[path + (key,)] = self.mark(key_node)
            result[key] = self.value(value_node, expect.child(key), path + (key,))
        return result

    def key(self, node: Node) -> str | None:
        if not isinstance(node, ScalarNode):
            self.refuse(node, _("a key must be a simple word, not a list or a group"))
            return None
        if node.tag not in ALLOWED_TAGS:
            self.refuse(node, _("the YAML tag '{tag}' is not allowed on a key",
                                tag=_tag(node.tag)))
            return None
        if self.surrogate(node):
            return None
        if node.value == "<<" and not node.style:
            self.refuse(node, _("merge keys ('<<: *name') are not supported; write the"
                                " fields out in full"))
            return None
        invisible = INVISIBLE.search(node.value)
        if invisible:
            shown = INVISIBLE.sub("", node.value).strip()
            self.refuse(node, _("the key '{key}' contains an invisible character (U+{code:04X},"
                                " often copied from Word or a web page); retype the indentation"
                                " and the key with normal spaces",
                                key=shown, code=ord(invisible.group())))
            return None
        if self.refuse_text(node):
            return None
        return node.value

    def surrogate(self, node: ScalarNode) -> bool:
        """Refuses a text with a lone surrogate, which no output file can encode."""
        found = LONE_SURROGATE.search(node.value)
        if found:
            self.refuse(node, _("the text contains \\u{code:04X}, half of a character pair"
                                " that cannot be stored or shown; delete the \\u escape or"
                                " write the character itself", code=ord(found.group())))
        return found is not None


def text_problem(text: str) -> tuple[str, str] | None:
    """What `check` refuses in any text: (the part to point at, the message)."""
    refused = refused_character(text)
    if refused:
        index, character = refused
        return text[index], _("the text contains {character}; delete it (it often comes from"
                              " copying text)", character=character)
    link = insecure_link(text)
    if link:
        return link[1], _("the link '{url}' is not encrypted; write https:// instead of"
                          " http:// (links work only with https://, mailto: and tel:)",
                          url=link[1])
    return None


def _tag(tag: str) -> str:
    """A tag as the editor wrote it: !!python/object rather than tag:yaml.org,2002:..."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def resolve_scalar(node: ScalarNode, expected: set[str]) -> Any:
    """Text stays text; only a plain scalar where the schema wants another type is converted.

    An empty value, `~` and `null` mean "nothing" (None) everywhere, so the schema can say
    that a value is missing rather than accept the letters "null" as a title.
    """
    text = node.value
    if node.style:
        return text  # quoted or block text is always a string
    if text in NULLS:
        return None
    if "boolean" in expected and text in TRUE + FALSE:
        return text in TRUE
    if expected & {"integer", "number"} and INTEGER.match(text):
        return int(text)
    if "number" in expected and NUMBER.match(text):
        return float(text)
    return text
