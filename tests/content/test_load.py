"""Strict YAML loading: the traps of YAML 1.1 are closed, hostile files refused quickly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wegweiser.content import schema
from wegweiser.content.load import MAX_FILE_BYTES, Document, parse_yaml, read_text, to_document
from wegweiser.problems import Problems

FILE = "offers/probe.yml"


def load(text: str, kind: str = "offer") -> tuple[Document | None, list[str]]:
    """Load `text` as a file of `kind`, without the schema check: (document, problems)."""
    problems = Problems()
    node = parse_yaml(text, FILE, problems)
    doc = to_document(node, FILE, schema.expectation(kind), problems) if node else None
    return doc, [p.format() for p in problems.items]


def data(text: str, kind: str = "offer") -> Any:
    doc, problems = load(text, kind)
    assert doc is not None and not problems, problems
    return doc.data


def refused(text: str, kind: str = "offer") -> str:
    """The one problem a refused file gives."""
    doc, problems = load(text, kind)
    assert doc is None
    assert len(problems) == 1, problems
    return problems[0]


# --- YAML 1.1 traps: text stays text


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "NO", "y", "n"])
def test_norway_words_stay_text(word: str) -> None:
    assert data(f"languages: [{word}]\ntitle: {word}\n") == {"languages": [word], "title": word}


def test_time_stays_text_not_sexagesimal() -> None:
    doc = data("where_when:\n  schedule:\n    monday: [{opens: 18:30, closes: 09:05}]\n")
    assert doc["where_when"]["schedule"]["monday"] == [{"opens": "18:30", "closes": "09:05"}]


def test_postcode_keeps_leading_zero() -> None:
    assert data("address: {postcode: 01067}\n", "contact") == {"address": {"postcode": "01067"}}


def test_dates_stay_text() -> None:
    assert data("last_reviewed: 2026-11-05\n") == {"last_reviewed": "2026-11-05"}


def test_number_where_text_is_expected_stays_text() -> None:
    assert data("title: 2026\nsummary: 1.5e3\n") == {"title": "2026", "summary": "1.5e3"}


def test_true_where_text_is_expected_stays_text() -> None:
    assert data("title: true\n") == {"title": "true"}


# --- typed values where the schema asks for them


def test_booleans_where_the_schema_wants_them() -> None:
    assert data("in_brochure: true\n") == {"in_brochure": True}
    assert data("in_brochure: False\n") == {"in_brochure": False}
    assert data("cost: {free: true}\n") == {"cost": {"free": True}}


def test_yes_is_not_a_boolean() -> None:
    assert data("in_brochure: yes\n") == {"in_brochure": "yes"}  # the schema then says why


def test_numbers_where_the_schema_wants_them() -> None:
    doc = data("coordinates: {lat: 51.0339, lon: 7}\n", "contact")
    assert doc == {"coordinates": {"lat": 51.0339, "lon": 7}}
    assert data("title: T\norder: 3\n", "page") == {"title": "T", "order": 3}
    assert data("title: T\norder: 03\n", "page")["order"] == "03"  # not octal, not 3


def test_enum_of_numbers_is_read_as_number() -> None:
    text = "recurring:\n  - repeat: {weekday: monday, every: month, week_of_month: -1}\n"
    assert data(text, "programme")["recurring"][0]["repeat"]["week_of_month"] == -1


@pytest.mark.parametrize("value", ["", " ~", " null", " Null"])
def test_empty_tilde_and_null_are_nothing(value: str) -> None:
    assert data(f"title:{value}\n") == {"title": None}


def test_quoted_values_are_always_text() -> None:
    doc = data("title: '2026'\nin_brochure: 'true'\nsummary: \"null\"\n")
    assert doc == {"title": "2026", "in_brochure": "true", "summary": "null"}


def test_block_scalars_keep_their_lines() -> None:
    doc = data("description: |\n  Zeile eins\n\n  Zeile zwei\nsummary: >\n  ein\n  Satz\n")
    assert doc == {"description": "Zeile eins\n\nZeile zwei\n", "summary": "ein Satz\n"}


def test_anchors_and_aliases_of_normal_size_are_allowed() -> None:
    text = ("where_when:\n  schedule:\n    monday: &vormittag [{opens: 09:00, closes: 12:00}]\n"
            "    friday: *vormittag\n")
    schedule = data(text)["where_when"]["schedule"]
    assert schedule["friday"] == schedule["monday"] == [{"opens": "09:00", "closes": "12:00"}]


def test_alias_is_resolved_by_the_schema_at_its_new_place() -> None:
    doc = data("title: &t true\ncost: {free: *t}\n")
    assert doc == {"title": "true", "cost": {"free": True}}


def test_keys_that_look_like_numbers_or_words_stay_text() -> None:
    assert data("1: a\nno: b\n") == {"1": "a", "no": "b"}


def test_utf8_bom_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes(b"\xef\xbb\xbftitle: Caf\xc3\xa9\n")
    assert read_text(path, "a.yml", Problems()) == "title: Café\n"


# --- where every value is


def test_every_value_and_key_keeps_its_line_and_column() -> None:
    doc, _ = load("title: Sprachcafé\naudience:\n  - erwachsene\n  - familien\n"
                  "cost: {free: true}\n")
    assert doc is not None
    assert doc.file == FILE
    assert str(doc.where(("title",))) == f"{FILE}:1:8"
    assert str(doc.where(("audience", 1))) == f"{FILE}:4:5"
    assert str(doc.where(("cost", "free"))) == f"{FILE}:5:14"
    assert str(doc.where(("cost", "free"), key=True)) == f"{FILE}:5:8"
    assert str(doc.where(("cost", "missing"))) == f"{FILE}:5:7"  # the nearest parent


def test_line_offset_for_front_matter() -> None:
    problems = Problems()
    node = parse_yaml("title: Über uns\norder: x\n", "content/pages/a.md", problems,
                      line_offset=1)
    assert node is not None
    doc = to_document(node, "content/pages/a.md", schema.expectation("page"), problems,
                      line_offset=1)
    assert doc is not None
    assert str(doc.where(("order",))) == "content/pages/a.md:3:8"


# --- refused: each with one clear problem at the right place


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    doc, problems = load("title: A\nsummary: S\ntitle: B\n")
    assert problems == [f"{FILE}:3:1: error: the key 'title' appears twice (first on line 1);"
                        " remove one of them"]
    assert doc is not None and doc.data["title"] == "A"


def test_duplicate_key_in_nested_mapping() -> None:
    _, problems = load("cost:\n  free: true\n  free: false\n")
    assert problems[0].startswith(f"{FILE}:3:3: error: the key 'free' appears twice")


@pytest.mark.parametrize("tag", ["!!python/object:os.system", "!!python/object/apply:os.system",
                                 "!!python/name:os.system", "!!binary", "!!int", "!include"])
def test_unsafe_and_other_tags_are_refused(tag: str) -> None:
    assert refused(f"summary: ok\ntitle: {tag} x\n") == (
        f"{FILE}:2:8: error: the YAML tag '{tag}' is not allowed; write the value without a"
        " '!' tag")


def test_explicit_str_tag_is_allowed() -> None:
    assert data("title: !!str 2026\n") == {"title": "2026"}


def test_complex_key_is_refused() -> None:
    assert refused("? [a, b]\n: c\n").startswith(f"{FILE}:1:3: error: a key must be a simple word")


def test_merge_key_is_refused() -> None:
    message = refused("base: &b {free: true}\ncost:\n  <<: *b\n")
    assert message.startswith(f"{FILE}:3:3: error: merge keys ('<<: *name') are not supported")


def test_two_documents_in_one_file_are_refused() -> None:
    assert refused("title: A\n---\ntitle: B\n").startswith(
        f"{FILE}:2:1: error: the file contains a second document (a second '---' line)")


def test_leading_document_marker_is_fine() -> None:
    assert data("---\ntitle: A\n...\n") == {"title": "A"}


@pytest.mark.parametrize("text", ["", "\n\n", "# nur ein Kommentar\n", "---\n"])
def test_empty_or_comment_only_file(text: str) -> None:
    assert refused(text) == (f"{FILE}:1:1: error: the file is empty (or has only comments);"
                             " it needs 'key: value' lines")


def test_top_level_list_loads_and_the_schema_refuses_it() -> None:
    doc, _ = load("- a\n- b\n")
    assert doc is not None and doc.data == ["a", "b"]
    problems = Problems()
    assert not schema.validate(doc, "offer", problems)
    assert [p.format() for p in problems.items] == [
        f"{FILE}:1:1: error: expected a group of 'key: value' lines, but found a list"]


def test_tab_indentation() -> None:
    assert refused("title: A\ncost:\n\tfree: true\n") == (
        f"{FILE}:3:1: error: a tab character is used for indentation; indent with spaces only")


def test_unclosed_quote_points_at_its_start() -> None:
    assert refused("title: 'Sprachcafé\nsummary: x\n").startswith(
        f"{FILE}:1:8: error: a quoted text is not closed")


def test_control_character() -> None:
    assert refused("title: A\x00B\n").startswith(
        f"{FILE}:1:9: error: the file contains an invisible control character (U+0000)")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes("title: Sprachcafé\nsummary: Grüße\n".encode("cp1252"))
    problems = Problems()
    assert read_text(path, "a.yml", problems) is None
    assert [p.format() for p in problems.items] == [
        "a.yml:1:17: error: the file is not saved as UTF-8 (byte 0xe9 cannot be read);"
        " save it again with the encoding UTF-8"]


# --- hostile files: refused before they are expanded or parsed (their timing: bench.py)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    message = refused("\n".join(lines) + "\n")  # 10**9 values if expanded
    assert "the file expands to more than 50,000 values" in message


@pytest.mark.parametrize("text", ["title: " + "[" * 5000 + "]" * 5000 + "\n",
                                  "title: " + "{a: " * 2000 + "x" + "}" * 2000 + "\n",
                                  "".join("  " * i + f"k{i}:\n" for i in range(500)) + "x\n"])
def test_deep_nesting_is_refused_quickly(text: str) -> None:
    assert refused(text) == (f"{FILE}:1:1: error: the file is nested more than 40 levels deep;"
                             " content files need only a few levels")


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yml"
    path.write_text("links:\n" + "  - {title: x, url: 'https://example.org/'}\n" * 200_000,
                    encoding="utf-8")
    problems = Problems()
    assert read_text(path, "huge.yml", problems) is None  # read_text does not parse
    assert problems.items[0].format().startswith("huge.yml:1:1: error: the file is too large")


def test_largest_allowed_file_still_loads() -> None:
    """The size limit keeps the pure-Python parser fast on the worst input (bench.py)."""
    row = "  - {title: x, url: 'https://example.org/'}\n"
    text = "links:\n" + row * ((MAX_FILE_BYTES - 8) // len(row))
    doc, problems = load(text)
    assert doc is not None and not problems


# --- what comes from other editors: Windows line ends, spaces copied from Word


def test_windows_line_ends_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes(b"title: A\r\ndescription: |\r\n  eins\r\n  zwei\r\nsummary: x: y\r\n")
    problems = Problems()
    text = read_text(path, "a.yml", problems)
    assert text is not None and "\r" not in text
    assert parse_yaml(text, "a.yml", problems) is None
    assert problems.items[0].format().startswith("a.yml:5:11: error: a colon ':' appears")


def test_invisible_space_in_a_key() -> None:
    assert refused("title: A\n\u00a0summary: B\n") == (
        f"{FILE}:2:1: error: the key 'summary' contains an invisible character (U+00A0, often"
        " copied from Word or a web page); retype the indentation and the key with normal spaces")


def test_invisible_space_in_nested_indentation() -> None:
    assert refused("where_when:\n\u00a0 place: a\n  text: b\n") == (
        f"{FILE}:2:1: error: this line is indented with an invisible character (U+00A0, often"
        " copied from Word or a web page); indent with normal spaces only")


def test_no_break_space_inside_text_is_kept() -> None:
    assert data("title: 10\u00a0Uhr\n") == {"title": "10\u00a0Uhr"}


def test_not_utf8_column_counts_characters(tmp_path: Path) -> None:
    path = tmp_path / "a.yml"
    path.write_bytes("title: Grüße – ".encode() + b"caf\xe9\n")
    problems = Problems()
    assert read_text(path, "a.yml", problems) is None
    assert problems.items[0].format().startswith("a.yml:1:19: error: the file is not saved")
