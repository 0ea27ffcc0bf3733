"""JSON Schema validation: the schemas in wegweiser/schemas are the one source of the formats.

Also tells the loader which type a schema expects at each place, so that plain YAML
scalars are resolved by the schema, not guessed.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from .load import Document
from .problems import Problems

SCHEMA_DIR = resources.files("wegweiser") / "schemas"
TYPE_NAMES = {
    "string": "a text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list (lines starting with '- ')",
    "object": "a group of 'key: value' lines",
    "null": "nothing",
}


@cache
def registry() -> Registry:
    resources_ = []
    for entry in SCHEMA_DIR.iterdir():
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


def expectation(name: str) -> SchemaView:
    uri = f"{name}.schema.json"
    return SchemaView(((registry().resolver(uri), registry().contents(uri)),))


class SchemaView:
    """The set of subschemas that may apply at one place of a document."""

    def __init__(self, entries: tuple[tuple[Any, Any], ...]):
        self.entries = tuple(e for entry in entries for e in _expand(*entry))

    def types(self) -> set[str]:
        found: set[str] = set()
        for _, schema in self.entries:
            declared = schema.get("type")
            if isinstance(declared, str):
                found.add(declared)
            elif isinstance(declared, list):
                found.update(declared)
            for value in [schema["const"]] if "const" in schema else schema.get("enum", []):
                found.add(_json_type(value))
        return found

    def child(self, key: str | int) -> SchemaView:
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
    for error in errors:
        for leaf in _leaves(error):
            path = tuple(leaf.absolute_path)
            key = _offending_key(leaf)
            location = doc.where(path + (key,), key=True) if key else doc.where(path)
            problems.error(location, explain(leaf), format_path(path + ((key,) if key else ())))
    return not errors


def _leaves(error: ValidationError) -> list[ValidationError]:
    """For anyOf/oneOf, the errors of the branch that came closest, unless it has a message."""
    if error.validator in ("anyOf", "oneOf") and error.context and "errorMessage" not in error.schema:
        from jsonschema.exceptions import best_match

        return _leaves(best_match(error.context))
    return [error]


def _offending_key(error: ValidationError) -> str | None:
    if error.validator == "additionalProperties":
        extra = set(error.instance) - set(error.schema.get("properties", {}))
        return sorted(extra)[0] if extra else None
    return None


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
    if kind == "required":
        missing = error.message.split("'")[1]
        return f"the required field '{missing}' is missing"
    if kind == "additionalProperties":
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        allowed = sorted(schema.get("properties", {}))
        hint = difflib.get_close_matches(extra[0], allowed, n=1) if extra else []
        suggestion = f"; did you mean '{hint[0]}'?" if hint else ""
        return (f"unknown field '{extra[0]}'{suggestion} (allowed here: {', '.join(allowed)})")
    if kind == "type":
        wanted = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        expected = " or ".join(TYPE_NAMES.get(t, t) for t in wanted)
        if instance is None:
            return f"no value is given; expected {expected}"
        return f"expected {expected}, but found {_show(instance)}"
    if kind == "enum":
        return f"{_show(instance)} is not allowed; write one of: " + ", ".join(
            str(v) for v in schema["enum"])
    if kind == "const":
        return f"must be {schema['const']!r}"
    if kind in ("anyOf", "oneOf") and custom:
        return f"expected {custom}"
    if kind in ("pattern", "format", "minLength") and instance == "":
        return f"is empty; expected {custom or 'some text'}"
    if kind in ("pattern", "format") and custom:
        return f"{_show(instance)} is not valid here; expected {custom}"
    if kind == "format":
        return f"{_show(instance)} is not a valid {schema['format']}"
    if kind == "pattern":
        return f"{_show(instance)} does not have the expected form"
    if kind == "maxLength":
        return f"is {len(instance)} characters long; at most {schema['maxLength']} are allowed"
    if kind == "minItems":
        return f"needs at least {schema['minItems']} entr{'y' if schema['minItems'] == 1 else 'ies'}"
    if kind == "uniqueItems":
        return "contains the same entry twice"
    if kind in ("minimum", "maximum"):
        return f"{instance} is out of range ({kind} {schema[kind]})"
    if kind == "minProperties":
        return f"needs at least {schema['minProperties']} field(s)"
    if kind == "propertyNames":
        return f"{_show(instance)} has a key that is not allowed"
    return error.message


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 60 else f"'{value[:57]}...'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a group of 'key: value' lines"
    if isinstance(value, list):
        return "a list"
    return str(value)
