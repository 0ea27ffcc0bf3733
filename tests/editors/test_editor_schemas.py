"""The schemas exported for VS Code: valid for the shipped content, German help everywhere,
written in the package schemas themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, run_build

from wegweiser.editors import schemas
from wegweiser.editors.cms import decap_config
from wegweiser.editors.schemas import (
    KINDS,
    content_files,
    editor_schema,
    export_schemas,
    package_schema,
    read_choices,
    schema_line,
)

CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def check_jsonschema(root: Path, kind: str, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(CHECK_JSONSCHEMA), "--schemafile",
                           str(root / "schemas" / f"{kind}.schema.json"), *map(str, files)],
                          capture_output=True, text=True, cwd=root)


def files_by_kind(root: Path) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for kind, path in content_files(root):
        found.setdefault(kind, []).append(path)
    return found


def test_shipped_content_is_valid_against_the_exported_schemas(shipped_project: Path) -> None:
    result = run_build(shipped_project, "schemas")
    assert result.returncode == 0, result.stdout
    by_kind = files_by_kind(shipped_project)
    assert set(by_kind) == {"site", "notices", "contact", "programme", "offer"}
    for kind, files in by_kind.items():
        checked = check_jsonschema(shipped_project, kind, files)
        assert checked.returncode == 0, (kind, checked.stdout, checked.stderr)


def test_exported_schemas_catch_what_check_catches(shipped_project: Path) -> None:
    export_schemas(shipped_project)
    offer = shipped_project / "offers" / "sprachpaten.yml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("category: sprache",
                                                               "category: sprachen"))
    checked = check_jsonschema(shipped_project, "offer", [offer])
    assert checked.returncode == 1
    assert "offers/sprachpaten.yml::$.category: 'sprachen' is not one of" in checked.stdout
    build = run_build(shipped_project, "check")
    assert build.returncode == 1 and "offers/sprachpaten.yml" in build.stdout


def fields(schema: Any, trail: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every named property anywhere in a schema, with its trail."""
    found = []
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            if isinstance(sub, dict):
                found.append((f"{trail}.{name}", sub))
                found += fields(sub, f"{trail}.{name}")
        for key in ("items", "additionalProperties"):
            found += fields(schema.get(key), f"{trail}[]")
        for key in ("allOf", "anyOf"):
            for sub in schema.get(key, []):
                found += fields(sub, trail)
        for name, sub in schema.get("$defs", {}).items():
            found += fields(sub, f"#{name}")
    return found


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_has_german_help(kind: str) -> None:
    schema = editor_schema(kind, read_choices(REPO))
    found = fields(schema)
    if kind != "common":
        assert found
    for trail, sub in found:
        name = trail.rsplit(".", 1)[1]
        assert sub.get("title") and sub["title"] != name, (kind, trail)  # not the bare key
        assert sub.get("description"), (kind, trail)


@pytest.mark.parametrize("kind", KINDS)
def test_help_is_written_in_the_package_schemas(kind: str) -> None:
    """The package schemas are the one source of the help: every field has its German title
    there, and a description of its own or of the shared building block it refers to."""
    common = package_schema("common")["$defs"]
    for trail, sub in fields(package_schema(kind)):
        name = trail.rsplit(".", 1)[1]
        ref = sub.get("$ref", "")
        target = common.get(ref.rsplit("/", 1)[1], {}) if ref.startswith("common") else {}
        assert sub.get("title") and sub["title"] != name, (kind, trail)
        assert sub.get("description") or target.get("description"), (kind, trail)


def test_labels_and_hints_are_read_from_the_package_schema(
        minimal_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Help changed in a package schema is what VS Code and the web form show: no table
    beside the schemas fills in or overrides it."""
    def changed(kind: str) -> dict[str, Any]:
        schema = original(kind)
        if kind == "offer":
            schema["properties"]["summary"].update(title="Kurz gesagt",
                                                   description="In zwei Sätzen.")
            schema["properties"]["title"]["examples"] = ["Deutsch am Abend"]
        return schema

    original = schemas.package_schema
    monkeypatch.setattr(schemas, "package_schema", changed)
    exported = editor_schema("offer", read_choices(minimal_project))["properties"]
    assert exported["summary"]["title"] == "Kurz gesagt"
    assert exported["summary"]["description"] == "In zwei Sätzen."
    assert exported["title"]["examples"] == ["Deutsch am Abend"]
    offers = next(c for c in decap_config(minimal_project)["collections"] if c["name"] == "offers")
    summary = next(f for f in offers["fields"] if f["name"] == "summary")
    assert (summary["label"], summary["hint"]) == ("Kurz gesagt", "In zwei Sätzen.")


def test_scalar_fields_have_examples_or_choices() -> None:
    common = editor_schema("common", read_choices(REPO))["$defs"]
    for kind in KINDS:
        for trail, sub in fields(editor_schema(kind, read_choices(REPO))):
            ref = sub.get("$ref", "").rsplit("/", 1)[-1]
            target = common.get(ref, {}) if sub.get("$ref", "").startswith("common") else {}
            types = str(sub.get("type", target.get("type", "")))
            if "object" in types or "array" in types or "boolean" in types:
                continue
            if "properties" in sub or "propertyNames" in target or "properties" in target:
                continue
            has = any(k in s for s in (sub, target) for k in ("examples", "enum", "const"))
            assert has, (kind, trail)


def test_choices_come_from_the_site_settings() -> None:
    offer = editor_schema("offer", read_choices(REPO))["properties"]
    assert offer["category"]["enum"][:2] == ["sprache", "bildung"]
    assert "neuzugewanderte" in offer["audience"]["items"]["enum"]
    assert "ki-leverkusen" in offer["provider"]["enum"]
    assert offer["languages"]["items"]["anyOf"][0]["enum"] == ["de", "en", "ar", "fa", "uk",
                                                               "ru", "tr"]
    assert "Wiesdorf" in offer["district"]["enum"]


def test_committed_schemas_and_schema_lines_are_current() -> None:
    choices = read_choices(REPO)
    for kind in KINDS:
        exported = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text("utf-8"))
        assert exported == editor_schema(kind, choices), f"run: python build.py schemas ({kind})"
    for kind, path in content_files(REPO):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == schema_line(kind, path, REPO), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (REPO / "schemas" / f"{kind}.schema.json").resolve()
