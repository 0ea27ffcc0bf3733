"""The schemas for editors: the package's JSON Schemas, exported with the site's choices.

`build.py schemas` writes them to schemas/ at the top of the project. Every content file
points there in its first line (`# yaml-language-server: $schema=../schemas/offer.schema.json`),
so VS Code's YAML extension completes and checks while the editor types. The export adds
what only this site knows (its categories, audiences, districts, languages and contact
points) as choices, and takes the examples of those fields from the same lists: an
example is always one of the choices beside it, never a value of another KI.

The package schemas stay the one source of the formats and of the German help: every
field's `title`, `description` and `examples` are written there (a field that refers to a
shared building block without a description of its own gets the block's). The export
also accepts a number where YAML editors see one but the build reads text (a postcode
12345), because the build resolves plain values by the schema and so accepts them too.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wegweiser.content.load import parse_yaml, read_text, to_document
from wegweiser.content.schema import expectation
from wegweiser.problems import Problems, relative
from wegweiser.resources import SCHEMAS

EXPORT_DIR = "schemas"
KINDS = ("common", "site", "offer", "contact", "programme", "notices", "page")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Choices:
    """What an editor may pick from: read from content/site.yml and content/contacts/."""

    categories: tuple[tuple[str, str], ...] = ()  # (id, name)
    audiences: tuple[tuple[str, str], ...] = ()
    districts: tuple[str, ...] = ()
    languages: tuple[tuple[str, str], ...] = ()  # (code, name)
    contacts: tuple[str, ...] = ()
    contact: str = ""  # the KI's own contact point and its service point (site.yml)
    service_point: str = ""
    problems: Problems = field(default_factory=Problems, compare=False)


# Which field refers to which list of choices, by field name.
REFERENCES = {"category": "categories", "audience": "audiences", "district": "districts",
              "provider": "contacts", "contacts": "contacts", "place": "contacts",
              "host": "contacts", "venue": "contacts", "contact": "contacts",
              "service_point": "contacts"}
# The choice a field's example names where the site has it: offers and consultations are
# mostly the KI's own, places mostly its service point. Otherwise the first choice.
EXAMPLE_CHOICE = {"provider": "contact", "host": "contact", "contact": "contact",
                  "place": "service_point", "venue": "service_point",
                  "service_point": "service_point"}


def package_schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))


def read_site_data(root: Path, problems: Problems | None = None) -> dict[str, Any]:
    """content/site.yml as plain data, or {} where it cannot be read."""
    problems = problems if problems is not None else Problems()
    site_file = root / "content" / "site.yml"
    if not site_file.exists():
        return {}
    file = relative(site_file, root)
    text = read_text(site_file, file, problems)
    node = parse_yaml(text, file, problems) if text is not None else None
    doc = to_document(node, file, expectation("site"), problems) if node else None
    return doc.data if doc is not None and isinstance(doc.data, dict) else {}


def read_choices(root: Path) -> Choices:
    """The site's lists; empty where site.yml cannot be read (the export still works)."""
    problems = Problems()
    contacts_dir = root / "content" / "contacts"
    contacts = tuple(sorted(p.stem for p in contacts_dir.glob("*.y*ml") if ID.match(p.stem))) \
        if contacts_dir.is_dir() else ()
    data = read_site_data(root, problems)

    def pairs(key: str, id_key: str) -> tuple[tuple[str, str], ...]:
        items = data.get(key) if isinstance(data.get(key), list) else []
        return tuple((str(i[id_key]), str(i.get("name", i[id_key]))) for i in items
                     if isinstance(i, dict) and id_key in i)

    districts = data.get("districts") if isinstance(data.get("districts"), list) else []
    return Choices(categories=pairs("categories", "id"), audiences=pairs("audiences", "id"),
                   districts=tuple(str(d) for d in districts),
                   languages=pairs("languages", "code"), contacts=contacts,
                   contact=str(data.get("contact") or ""),
                   service_point=str(data.get("service_point") or ""), problems=problems)


def editor_schema(kind: str, choices: Choices) -> dict[str, Any]:
    """One exported schema: the package schema plus the site's choices."""
    schema = package_schema(kind)
    if kind == "programme":
        inline_entry_fields(schema)
    _Enricher(kind, choices, package_schema("common")["$defs"]).walk(schema)
    schema["$comment"] = ("Generated by `python3 build.py schemas` from wegweiser/schemas;"
                          " edit those, not this copy.")
    return schema


def inline_entry_fields(schema: dict[str, Any]) -> None:
    """Programme events and slots list shared fields as `true`; give them the full schema,
    so that the editor shows help for them too (validation is unchanged)."""
    defs = schema["$defs"]
    shared = defs["entry"]["properties"]
    for name in ("event", "slot"):
        props = defs[name]["properties"]
        for key, value in list(props.items()):
            if value is True and key in shared:
                props[key] = copy.deepcopy(shared[key])


class _Enricher:
    def __init__(self, kind: str, choices: Choices, common: dict[str, Any]):
        self.kind = kind
        self.choices = choices
        self.common = common

    def walk(self, schema: Any, name: str = "") -> None:
        if not isinstance(schema, dict):
            return
        relax_text(schema)
        for key, sub in schema.get("properties", {}).items():
            if isinstance(sub, dict):
                self.describe_field(key, sub)
                self.walk(sub, key)
        for key in ("items", "additionalProperties"):
            self.walk(schema.get(key), name)
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(key, []):
                self.walk(sub, name)
        for sub in schema.get("$defs", {}).values():
            self.walk(sub)

    def describe_field(self, name: str, schema: dict[str, Any]) -> None:
        target = self.referenced(schema)
        if not schema.get("description") and target.get("description"):
            schema["description"] = target["description"]
        self.add_choices(name, schema, target)

    def referenced(self, schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref", "")
        if ref.startswith("common.schema.json#/$defs/"):
            return self.common.get(ref.rsplit("/", 1)[1], {})
        return {}

    def add_choices(self, name: str, schema: dict[str, Any], target: dict[str, Any]) -> None:
        values = self.choice_values(name)
        is_list = schema.get("type") == "array" or target.get("type") == "array"
        if name == "languages" and self.kind != "site" and self.choices.languages:
            # Offers may name any language; the site's languages are offered first.
            codes = [code for code, _ in self.choices.languages]
            schema["items"] = {"anyOf": [{"enum": codes},
                                         {"$ref": "common.schema.json#/$defs/language"}]}
            schema["examples"] = [codes[:3]]
            return
        if not values:
            return
        if is_list:
            schema["items"] = {**schema.get("items", {}), "enum": values}
            schema["examples"] = [values[:2]]
        else:
            schema["enum"] = values
            preferred = getattr(self.choices, EXAMPLE_CHOICE[name]) \
                if name in EXAMPLE_CHOICE else ""
            schema["examples"] = [preferred if preferred in values else values[0]]

    def choice_values(self, name: str) -> list[str]:
        source = REFERENCES.get(name)
        if self.kind == "site" and name in ("districts", "contact", "service_point"):
            source = "contacts" if name != "districts" else None
        if source is None:
            return []
        found: tuple[Any, ...] = getattr(self.choices, source)
        return [v[0] if isinstance(v, tuple) else v for v in found]


def relax_text(schema: dict[str, Any]) -> None:
    """Plain YAML such as `postcode: 12345` is a number to editors' tools and text to the
    build; accept both, the build checks the pattern."""
    if schema.get("type") == "string":
        schema["type"] = ["string", "number"]


def export_schemas(root: Path) -> tuple[list[Path], Choices]:
    """Write schemas/*.schema.json; returns the files that changed and the choices used."""
    choices = read_choices(root)
    folder = root / EXPORT_DIR
    folder.mkdir(exist_ok=True)
    changed = []
    for kind in KINDS:
        text = json.dumps(editor_schema(kind, choices), ensure_ascii=False, indent=2) + "\n"
        path = folder / f"{kind}.schema.json"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed, choices


def schema_line(kind: str, file: Path, root: Path) -> str:
    """The first line of a content file, pointing to its exported schema."""
    target = root / EXPORT_DIR / f"{kind}.schema.json"
    rel = Path(*([".."] * (len(file.relative_to(root).parts) - 1)), target.relative_to(root))
    return f"# yaml-language-server: $schema={rel.as_posix()}"


def content_files(root: Path) -> list[tuple[str, Path]]:
    """Every YAML content file with the kind of its format."""
    content = root / "content"
    found = [("site", content / "site.yml"), ("notices", content / "notices.yml")]
    for kind, folder in (("contact", content / "contacts"), ("programme", content / "programme"),
                         ("offer", root / "offers")):
        found += [(kind, p) for p in sorted(folder.glob("*.y*ml")) if folder.is_dir()]
    return [(kind, path) for kind, path in found if path.is_file()]


def point_content_files(root: Path) -> list[Path]:
    """Give every content file the schema line as its first line (files saved by the web
    editor lose it); returns the files changed. Only that first line is touched."""
    changed = []
    for kind, path in content_files(root):
        text = path.read_text(encoding="utf-8")
        line = schema_line(kind, path, root)
        first, newline, rest = text.partition("\n")
        if first.startswith("# yaml-language-server:"):
            new = line + newline + rest
        else:
            new = line + "\n" + text
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


__all__ = ["Choices", "editor_schema", "export_schemas", "point_content_files",
           "read_choices", "read_site_data", "schema_line"]
