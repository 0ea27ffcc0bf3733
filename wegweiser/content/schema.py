"""JSON Schema validation: the schemas in wegweiser/schemas are the one source of the formats.

Also tells the loader which type a schema expects at each place, so that plain YAML
scalars are resolved by the schema, not guessed.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from wegweiser.content.load import INVISIBLE, Document
from wegweiser.problems import Location, Problems
from wegweiser.resources import SCHEMAS
from wegweiser.wording import N_, _, _n

TYPE_NAMES = {
    "string": N_("a text"),
    "integer": N_("a whole number"),
    "number": N_("a number"),
    "boolean": N_("true or false"),
    "array": N_("a list (lines starting with '- ')"),
    "object": N_("a group of 'key: value' lines"),
    "null": N_("nothing"),
}


@cache
def registry() -> Registry:
    resources_ = []
    for entry in SCHEMAS.iterdir():
        if entry.name.endswith(".schema.json"):
            contents = json.loads(entry.read_text(encoding="utf-8"))
            resources_.append((entry.name, Resource.from_contents(contents, DRAFT202012)))
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator for `offer`, `contact`, `programme`, `notices`, `page` or `site`."""
    schema = registry().contents(f"{name}.schema.json")
    return Draft202012Validator(
        schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def default(name: str, *path: str) -> Any:
    """The default the schema `name` gives the property at `path`, e.g. ("site", "state"):
    the schemas are the one source of the formats, their defaults included."""
    node = registry().contents(f"{name}.schema.json")
    for key in path:
        node = node["properties"][key]
    return node["default"]


@cache
def expectation(name: str) -> SchemaView:
    """The view of a whole file; shared by all files of a kind, so every place of the schema
    is expanded once per run, not once per file (5,000 offers)."""
    uri = f"{name}.schema.json"
    return SchemaView(((registry().resolver(uri), registry().contents(uri)),))


class SchemaView:
    """The set of subschemas that may apply at one place of a document."""

    def __init__(self, entries: tuple[tuple[Any, Any], ...]):
        self.entries = tuple(e for entry in entries for e in _expand(*entry))
        self._children: dict[str | None, SchemaView] = {}  # None: any list item
        self._types: frozenset[str] | None = None

    def types(self) -> set[str]:
        if self._types is None:
            self._types = frozenset(self._find_types())
        return set(self._types)

    def _find_types(self) -> set[str]:
        found: set[str] = set()
        for _resolver, schema in self.entries:
            declared = schema.get("type")
            if isinstance(declared, str):
                found.add(declared)
            elif isinstance(declared, list):
                found.update(declared)
            for value in [schema["const"]] if "const" in schema else schema.get("enum", []):
                found.add(_json_type(value))
        return found

    def child(self, key: str | int) -> SchemaView:
        slot = None if isinstance(key, int) else key
        if slot not in self._children:
            self._children[slot] = self._child(key)
        return self._children[slot]

    def _child(self, key: str | int) -> SchemaView:
        children = []
        for resolver, schema in self.entries:
            if isinstance(key, int):
                if isinstance(schema.get("items"), dict):
                    children.append((resolver, schema["items"]))
                continue
            props = schema.get("properties", {})
            if isinstance(props.get(key), dict):
                children.append((resolver, props[key]))
            elif isinstance(schema.get("additionalProperties"), dict):
                children.append((resolver, schema["additionalProperties"]))
        return SchemaView(tuple(children))


def _expand(resolver: Any, schema: Any) -> list[tuple[Any, Any]]:
    """A schema with its $ref and combinators followed, as (resolver, subschema) pairs."""
    if not isinstance(schema, dict):
        return []
    found = [(resolver, schema)]
    if "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        found += _expand(resolved.resolver, resolved.contents)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(keyword, []):
            found += _expand(resolver, sub)
    for keyword in ("then", "else"):
        found += _expand(resolver, schema.get(keyword))
    return found


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "null"


def validate(doc: Document, name: str, problems: Problems) -> bool:
    """Report every schema error of `doc` as a problem; True if there was none."""
    errors = list(validator(name).iter_errors(doc.data))
    found: list[tuple[Location, str, str, str]] = []  # location, path, message, kind
    for error in errors:
        for leaf in _leaves(error):
            for path, key, message in _explained(leaf):
                message = _null_word(leaf, doc) or message
                location = doc.where(path + (key,), key=True) if key else doc.where(path)
                trail = format_path(path + ((key,) if key else ()))
                found.append((location, trail, message, leaf.validator))
    for location, trail, message in _without_repeats(found):
        problems.error(location, message, trail)
    return not errors


def _null_word(error: ValidationError, doc: Document) -> str | None:
    """`title: Null` is YAML's word for no value: say so, and how to write the word."""
    word = doc.null_words.get(tuple(error.absolute_path))
    if error.validator != "type" or error.instance is not None or word is None:
        return None
    declared = error.schema["type"]
    wanted = declared if isinstance(declared, list) else [declared]
    expected = _(" or ").join(_(TYPE_NAMES[t]) if t in TYPE_NAMES else t for t in wanted)
    return _("{word} means no value in YAML, but {expected} is expected here; to write the"
             " word itself, put it in quotes: '{word}'", word=word, expected=expected)


def _without_repeats(
    found: list[tuple[Location, str, str, str]],
) -> list[tuple[Location, str, str]]:
    """One message per value: a value failing its pattern also fails `format`; say it once."""
    patterned = {trail for _where, trail, _message, kind in found if kind == "pattern"}
    kept: list[tuple[Location, str, str]] = []
    for location, trail, message, kind in found:
        if kind == "format" and trail in patterned:
            continue
        if (location, trail, message) not in kept:
            kept.append((location, trail, message))
    return kept


def _leaves(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf, the errors of the branch that came closest, unless it has a message."""
    combined = error.validator in ("anyOf", "oneOf") and error.context
    if combined and "errorMessage" not in error.schema:
        return _leaves(best_match(error.context))
    return [error]


def _explained(error: ValidationError) -> list[tuple[tuple[str | int, ...], str | None, str]]:
    """(path to the value, offending key or None, message) for one schema error.

    Errors about keys (unknown fields, misspelled weekdays) point at the key's line.
    """
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        return [(path, key, unknown_field(key, allowed)) for key in extra]
    if "propertyNames" in error.absolute_schema_path:
        key = str(error.instance)
        if "enum" not in error.schema and "const" not in error.schema:
            return [(path, key, _("the key {problem}", problem=explain(error)))]
        return [(path, key, _("'{key}' is not allowed as a key here; {choices}",
                              key=key, choices=_choices(error, key)))]
    return [(path, None, explain(error))]


def unknown_field(key: str, allowed: list[str]) -> str:
    hint = difflib.get_close_matches(key, allowed, n=1)
    if hint:
        return _("unknown field '{key}'; did you mean '{hint}'? (allowed here: {allowed})",
                 key=key, hint=hint[0], allowed=", ".join(allowed))
    return _("unknown field '{key}' (allowed here: {allowed})", key=key, allowed=", ".join(allowed))


def format_path(path: tuple[str | int, ...]) -> str:
    """events[2].start: the trail of keys down to a value, as editors read it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def explain(error: ValidationError) -> str:
    """One schema error in plain words, saying what was expected."""
    schema, instance, kind = error.schema, error.instance, error.validator
    custom = schema.get("errorMessage") if isinstance(schema, dict) else None
    custom = _(custom) if custom else None  # the schemas' wording is in the catalog too
    if kind == "required":
        missing = error.message.split("'")[1]
        condition = _condition(schema)
        if condition:
            return _("the required field '{field}' is missing; it is needed when {condition}",
                     field=missing, condition=condition)
        return _("the required field '{field}' is missing", field=missing)
    if kind == "type":
        return _wrong_type(schema["type"], instance)
    if kind in ("enum", "const"):
        return _("{value} is not allowed here; {choices}",
                 value=_show(instance), choices=_choices(error, instance))
    if kind in ("anyOf", "oneOf") and custom:
        return _("expected {what}", what=custom)
    if kind in ("pattern", "format", "minLength") and instance == "":
        return _("is empty; expected {what}", what=custom or _("some text"))
    if kind == "format" and schema.get("format") == "date":
        return _("{value} is not a date that exists; expected {what}",
                 value=_show(instance), what=custom)
    if kind in ("pattern", "format") and custom:
        return _("{value} is not valid here; expected {what}", value=_show(instance), what=custom)
    if kind == "format":
        return _("{value} is not a valid {format}", value=_show(instance), format=schema["format"])
    if kind == "pattern":
        return _("{value} does not have the expected form", value=_show(instance))
    return _explain_size(error) or error.message


def _explain_size(error: ValidationError) -> str | None:
    schema, instance, kind = error.schema, error.instance, error.validator
    if kind == "maxLength":
        return _("is {length} characters long; at most {limit} are allowed",
                 length=len(instance), limit=schema["maxLength"])
    if kind == "minItems":
        return _n("needs at least {n} entry", "needs at least {n} entries", schema["minItems"])
    if kind == "uniqueItems":
        return _("contains {value} twice; each entry may appear only once",
                 value=_show(_first_repeat(instance)))
    if kind == "minimum":
        return _("{value} is too small; expected at least {limit}",
                 value=instance, limit=schema["minimum"])
    if kind == "maximum":
        return _("{value} is too large; expected at most {limit}",
                 value=instance, limit=schema["maximum"])
    if kind == "minProperties":
        fields = ", ".join(sorted(schema.get("properties", {})))
        return _("is empty; write at least one of: {fields}", fields=fields)
    return None


def _wrong_type(declared: str | list[str], instance: Any) -> str:
    wanted = declared if isinstance(declared, list) else [declared]
    expected = _(" or ").join(_(TYPE_NAMES[t]) if t in TYPE_NAMES else t for t in wanted)
    found = _show(instance)
    if instance is None:
        return _("no value is given; expected {expected}", expected=expected)
    if isinstance(instance, str) and "object" in wanted and INVISIBLE.search(instance):
        return _("expected {expected}, but found the text {found}: it contains an invisible"
                 " space (often copied from Word or a web page) where YAML needs a normal"
                 " space after ':'; retype that space", expected=expected, found=found)
    if isinstance(instance, str) and "boolean" in wanted:
        if instance.lower() in ("true", "false"):
            return _("expected true or false without quotes, but found the text {found}",
                     found=found)
        return _("expected true or false, but found {found}; write true or false", found=found)
    if isinstance(instance, str) and {"integer", "number"} & set(wanted):
        return _("expected {expected} (without quotes), but found {found}",
                 expected=expected, found=found)
    return _("expected {expected}, but found {found}", expected=expected, found=found)


def _choices(error: ValidationError, value: Any) -> str:
    """'write one of: ...', with the closest choice if the value looks like a misspelling."""
    options = [error.schema["const"]] if "const" in error.schema else error.schema.get("enum", [])
    hint = ""
    if isinstance(value, str):
        close = difflib.get_close_matches(value, [str(o) for o in options], n=1)
        hint = _("did you mean '{choice}'? ", choice=close[0]) if close else ""
    return hint + _("write one of: {choices}", choices=", ".join(_show_plain(o) for o in options))


def _condition(schema: Any) -> str:
    """For a `then` schema: the `if` that switched it on, in words ('required is true')."""
    condition = _conditions().get(id(schema))
    if not condition:
        return ""
    parts = [_("{field} is {value}", field=key, value=_show_plain(sub["const"]))
             for key, sub in condition.get("properties", {}).items()
             if isinstance(sub, dict) and "const" in sub]
    return _(" and ").join(parts)


@cache
def _conditions() -> dict[int, dict[str, Any]]:
    """Every `then` subschema of the loaded schemas, mapped to its `if` (by identity)."""
    found: dict[int, dict[str, Any]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("then"), dict) and isinstance(node.get("if"), dict):
                found[id(node["then"])] = node["if"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for entry in SCHEMAS.iterdir():
        if entry.name.endswith(".schema.json"):
            walk(registry().contents(entry.name))
    return found


def _first_repeat(items: list[Any]) -> Any:
    seen: list[Any] = []
    for item in items:
        if item in seen:
            return item
        seen.append(item)
    return None


def _show_plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return _("a group of 'key: value' lines")
    if isinstance(value, list):
        return _("a list")
    return str(value)
