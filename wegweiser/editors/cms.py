"""The web form editor at /admin/: Decap CMS from npm, configured from the JSON Schemas.

admin/config.yml is generated from the same exported schemas VS Code reads (see
schemas.py): every field, its German label and help, its choices and whether it is
required come from there, so the forms and the files' format cannot drift apart.
The backend is GitLab (project from `editor.repo` in content/site.yml, or GitLab CI's
CI_PROJECT_PATH). Only the preview (`build.py serve`) adds `local_backend`, so Decap
there talks to `decap-server`: in the published site it would make every visitor's
browser try http://localhost:8081.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml

from wegweiser.editors.schemas import (
    REFERENCES,
    Choices,
    editor_schema,
    read_choices,
    read_site_data,
)
from wegweiser.model import WEEKDAYS
from wegweiser.resources import CHECKOUT

DECAP_DIST = Path("node_modules") / "decap-cms" / "dist"
WEEKDAY_NAMES = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
LONG_TEXT = {"summary", "intro", "text", "how", "note", "temporarily_closed", "directions"}

INDEX_HTML = """\
<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>Inhalte bearbeiten</title>
  <link href="config.yml" type="text/yaml" rel="cms-config-url">
</head>
<body>
  <script src="decap-cms.js"></script>
</body>
</html>
"""


class _Fields:
    """Decap fields for one exported schema, resolving its $refs."""

    def __init__(self, kind: str, schemas: dict[str, dict[str, Any]], choices: Choices):
        self.kind = kind
        self.schemas = schemas
        self.choices = choices

    def resolve(self, schema: Any, base: str) -> tuple[dict[str, Any], str]:
        """The schema with its $ref target merged in (own keywords win), and its file."""
        if not isinstance(schema, dict):
            return {}, base
        merged: dict[str, Any] = {}
        ref = schema.get("$ref")
        if ref:
            file, _, pointer = ref.partition("#")
            file = file.removesuffix(".schema.json") or base
            target: Any = self.schemas[file]
            for part in pointer.strip("/").split("/") if pointer else []:
                target = target[part]
            merged, base = self.resolve(target, file)
            merged = dict(merged)
        for sub in schema.get("allOf", []):
            part, _ = self.resolve(sub, base)
            merged.setdefault("properties", {}).update(part.get("properties", {}))
        for key, value in schema.items():
            if key == "properties":
                props = dict(merged.get("properties", {}))
                props.update({k: v for k, v in value.items() if v is not True})
                merged["properties"] = props
            elif key not in ("$ref", "allOf"):
                merged[key] = value
        return merged, base

    def object_fields(self, schema: dict[str, Any], base: str) -> list[dict[str, Any]]:
        required = set(schema.get("required", []))
        return [self.field(name, sub, name in required, base)
                for name, sub in schema.get("properties", {}).items()]

    def field(self, name: str, raw: Any, required: bool, base: str) -> dict[str, Any]:
        schema, base = self.resolve(raw, base)
        out: dict[str, Any] = {"name": name, "label": schema.get("title", name),
                               "required": required}
        hint = schema.get("description")
        if hint:
            out["hint"] = hint
        out.update(self.widget(name, schema, base))
        if "default" in schema and out.get("widget") in ("boolean", "select", "number"):
            out["default"] = schema["default"]
        return out

    def widget(self, name: str, schema: dict[str, Any], base: str) -> dict[str, Any]:
        types = schema.get("type", [])
        types = [types] if isinstance(types, str) else types
        items, items_base = self.resolve(schema.get("items"), base)
        multiple = "array" in types
        if REFERENCES.get(name) == "contacts":
            return {"widget": "relation", "collection": "contacts", "value_field": "{{slug}}",
                    "search_fields": ["name"], "display_fields": ["name"], "multiple": multiple}
        enum = items.get("enum") if multiple else schema.get("enum")
        if enum:
            return {"widget": "select", "options": self.options(name, enum), "multiple": multiple}
        if "boolean" in types:
            return {"widget": "boolean"}
        if "integer" in types and "string" not in types:
            return self.number(schema, "int")
        if "number" in types and "string" not in types:
            return self.number(schema, "float")
        if "propertyNames" in schema:  # weekly hours: a list of time slots per weekday
            slot, slot_base = self.resolve(schema["additionalProperties"].get("items"), base)
            return {"widget": "object", "collapsed": True, "fields": [
                {"name": day, "label": label, "required": False, "widget": "list",
                 "fields": self.object_fields(slot, slot_base)}
                for day, label in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)]}
        if "object" in types:
            return {"widget": "object", "collapsed": True,
                    "fields": self.object_fields(schema, base)}
        if multiple:
            if "properties" in items:
                return {"widget": "list", "fields": self.object_fields(items, items_base)}
            return {"widget": "list"}
        return self.text(name, schema)

    def options(self, name: str, values: list[Any]) -> list[Any]:
        names = dict(self.choices.categories) if name == "category" else (
            dict(self.choices.audiences) if name == "audience" else {})
        if name == "weekday":
            names = dict(zip(WEEKDAYS, WEEKDAY_NAMES, strict=True))
        return [{"label": names[v], "value": v} if v in names else v for v in values]

    @staticmethod
    def number(schema: dict[str, Any], value_type: str) -> dict[str, Any]:
        out: dict[str, Any] = {"widget": "number", "value_type": value_type}
        for key, decap in (("minimum", "min"), ("maximum", "max")):
            if key in schema:
                out[decap] = schema[key]
        return out

    @staticmethod
    def text(name: str, schema: dict[str, Any]) -> dict[str, Any]:
        if schema.get("format") == "date":
            return {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "DD.MM.YYYY",
                    "time_format": False, "picker_utc": True}
        out: dict[str, Any] = {"widget": "string"}
        if "Markdown" in schema.get("description", ""):
            out = {"widget": "markdown", "buttons": ["bold", "italic", "link", "heading-three",
                                                      "bulleted-list", "numbered-list"],
                   "editor_components": [], "modes": ["rich_text", "raw"]}
        elif name in LONG_TEXT or schema.get("maxLength", 0) > 150:
            out = {"widget": "text"}
        pattern = schema.get("pattern")
        if pattern and pattern != "\\S":
            example = (schema.get("examples") or [""])[0]
            message = "Bitte im richtigen Format schreiben" + (f", z. B. {example}" if example
                                                               else "")
            out["pattern"] = [pattern, message]
        return out


def backend(settings: dict[str, Any]) -> dict[str, Any]:
    """GitLab, from content/site.yml `editor:`, else from GitLab CI's own variables."""
    editor = settings.get("editor") or {}
    repo = editor.get("repo") or os.environ.get("CI_PROJECT_PATH", "")
    server = (editor.get("gitlab_url") or os.environ.get("CI_SERVER_URL")
              or "https://gitlab.com").rstrip("/")
    out: dict[str, Any] = {"name": "gitlab", "repo": repo or "gruppe/projekt",
                           "branch": editor.get("branch", "main"),
                           "base_url": server, "api_root": f"{server}/api/v4"}
    if editor.get("app_id"):
        out.update(auth_type="pkce", app_id=editor["app_id"], auth_endpoint="oauth/authorize")
    return out


def decap_config(root: Path, local_backend: bool | str = False) -> dict[str, Any]:
    """The whole admin/config.yml, generated from the exported schemas. With local_backend
    (the preview only) Decap talks to `decap-server` (default http://localhost:8081/api/v1,
    or the given URL)."""
    settings = read_site_data(root)
    choices = read_choices(root)
    schemas = {kind: editor_schema(kind, choices)
               for kind in ("common", "offer", "contact", "programme", "notices", "page")}

    def fields(kind: str) -> list[dict[str, Any]]:
        return _Fields(kind, schemas, choices).object_fields(schemas[kind], kind)

    def folder(name: str, label: str, path: str, kind: str, **extra: Any) -> dict[str, Any]:
        return {"name": name, "label": label, "label_singular": extra.pop("singular"),
                "folder": path, "extension": "yml", "format": "yml", "create": True,
                "editor": {"preview": False}, "fields": fields(kind), **extra}

    page_fields = [*fields("page"), {"name": "body", "label": "Text", "widget": "markdown",
                                     "hint": "Der Text der Seite in Markdown."}]
    local: dict[str, Any] = {}
    if local_backend:
        local["local_backend"] = local_backend if isinstance(local_backend, bool) else {
            "url": local_backend, "allowed_hosts": ["localhost", "127.0.0.1"]}
    return {
        "backend": backend(settings),
        **local,
        "locale": "de",
        # the editor's link to the website; not an address marked as an example value
        "site_url": "" if "base_url" in settings.get("example_values", [])
        else settings.get("base_url", ""),
        "media_folder": "content/media",
        "public_folder": "/media",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            folder("offers", "Angebote", "offers", "offer", singular="Angebot",
                   identifier_field="title", slug="{{slug}}", summary="{{title}}"),
            folder("contacts", "Anlaufstellen", "content/contacts", "contact",
                   singular="Anlaufstelle", identifier_field="name", slug="{{slug}}",
                   summary="{{name}}"),
            folder("programme", "Programm (Monate)", "content/programme", "programme",
                   singular="Monat", identifier_field="venue", slug="{{year}}-{{month}}",
                   summary="{{filename}}", sortable_fields=[]),
            {"name": "notices", "label": "Hinweise", "editor": {"preview": False},
             "files": [{"name": "notices", "label": "Hinweise für die ganze Website",
                        "file": "content/notices.yml", "fields": fields("notices")}]},
            {"name": "pages", "label": "Seiten", "label_singular": "Seite",
             "folder": "content/pages", "extension": "md", "format": "frontmatter",
             "create": True, "identifier_field": "title", "slug": "{{slug}}",
             "editor": {"preview": False}, "fields": page_fields},
        ],
    }


def write_admin(root: Path, out: Path, local_backend: bool | str = False) -> Path:
    """admin/ in the built site: index.html, config.yml and the Decap bundle from npm."""
    admin = out / "admin"
    admin.mkdir(parents=True, exist_ok=True)
    (admin / "index.html").write_text(INDEX_HTML, encoding="utf-8")
    config = decap_config(root, local_backend)
    header = "# Generated by `python3 build.py build` from the JSON Schemas; do not edit.\n"
    (admin / "config.yml").write_text(header + yaml.dump(
        config, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    copy_bundle(root, admin)
    return admin


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def decap_dist(root: Path) -> Path | None:
    """node_modules/decap-cms/dist of the project, else of Wegweiser's own folder."""
    return next((d for d in (root / DECAP_DIST, CHECKOUT / DECAP_DIST)
                 if (d / "decap-cms.js").exists()), None)


def copy_bundle(root: Path, admin: Path) -> None:
    """decap-cms.js and the chunks and WebAssembly files it loads on demand (no maps)."""
    dist = decap_dist(root)
    if dist is None:
        raise RuntimeError("node_modules/decap-cms is missing; run `npm ci` (build.py does)")
    for path in dist.iterdir():
        if path.name.endswith(("decap-cms.js", ".wasm")) or path.name.endswith("LICENSE.txt"):
            shutil.copy2(path, admin / path.name)
