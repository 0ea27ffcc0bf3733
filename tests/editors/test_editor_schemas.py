"""The schemas exported for VS Code: valid for the shipped content, German help everywhere,
written in the package schemas themselves."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import REPO, run_build
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

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
    assert offer["provider"]["examples"] == ["ki-leverkusen"]  # the KI's own contact point
    assert offer["where_when"]["properties"]["place"]["examples"] == ["service-point-integration"]
    assert offer["district"]["examples"] == ["Alkenrath"]


def test_examples_beside_choices_come_from_the_sites_content(minimal_project: Path) -> None:
    choices = read_choices(minimal_project)
    offer = editor_schema("offer", choices)["properties"]
    assert offer["provider"]["examples"] == ["ki"]  # site.yml contact: ki
    assert offer["where_when"]["properties"]["place"]["examples"] == ["service-point"]
    assert offer["category"]["examples"] == ["sprache"]
    assert offer["audience"]["examples"] == [["erwachsene", "familien"]]
    assert offer["contacts"]["examples"] == [["ki", "service-point"]]
    assert offer["district"]["examples"] == ["Mitte"]
    assert offer["languages"]["examples"] == [["de", "en", "ar"]]
    contact = editor_schema("contact", choices)["properties"]
    assert contact["address"]["properties"]["district"]["examples"] == ["Mitte"]
    programme = editor_schema("programme", choices)["$defs"]
    assert programme["slot"]["properties"]["host"]["examples"] == ["ki"]
    site = editor_schema("site", choices)["properties"]
    assert site["service_point"]["examples"] == ["service-point"]


def shipped_ki_words() -> set[str]:
    """What names the shipped KI (Leverkusen): its city and web host, its districts, the
    streets, postcodes and telephone area codes of its contact points, and the ids of its
    contact points of more than one word (ki-leverkusen, service-point-integration)."""
    site = yaml.safe_load((REPO / "content" / "site.yml").read_text(encoding="utf-8"))
    words = {site["city"], str(urlsplit(site["base_url"]).hostname), *site["districts"]}
    for path in (REPO / "content" / "contacts").glob("*.yml"):
        contact = yaml.safe_load(path.read_text(encoding="utf-8"))
        words |= {contact["address"]["street"], str(contact["address"]["postcode"])}
        words |= {phone["number"].split()[0] for phone in contact.get("phones", [])}
        if "-" in path.stem:
            words.add(path.stem)
    return words


def named_words(text: str, words: set[str]) -> list[str]:
    return sorted(w for w in words if w.lower() in text.lower())


def test_package_schemas_name_no_ki() -> None:
    words = shipped_ki_words()
    assert {"Leverkusen", "Wiesdorf", "51373", "0214", "Hauptstraße 105",
            "ki-leverkusen"} <= words
    for path in sorted((REPO / "wegweiser" / "schemas").glob("*.schema.json")):
        assert named_words(path.read_text(encoding="utf-8"), words) == [], path.name


def test_editors_files_of_another_ki_name_no_shipped_ki(minimal_project: Path) -> None:
    """Musterstadt's schemas for VS Code and its web form speak of Musterstadt or of no
    town at all: nothing of the KI whose content ships with Wegweiser."""
    words = shipped_ki_words()
    export_schemas(minimal_project)
    for path in sorted((minimal_project / "schemas").glob("*.schema.json")):
        assert named_words(path.read_text(encoding="utf-8"), words) == [], path.name
    config = json.dumps(decap_config(minimal_project), ensure_ascii=False)
    assert named_words(config, words) == []


def with_examples(schema: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every subschema that has examples, with its JSON pointer."""
    if isinstance(schema, dict):
        if "examples" in schema:
            yield pointer, schema
        for key, value in schema.items():
            if key not in ("examples", "enum", "const", "default"):
                yield from with_examples(value, f"{pointer}/{key}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            yield from with_examples(value, f"{pointer}/{i}")


def check_examples(docs: dict[str, dict[str, Any]]) -> tuple[int, list[str]]:
    """Validate every example against the subschema it stands in: (examples, failures)."""
    registry = Registry().with_resources(
        (f"{kind}.schema.json", Resource.from_contents(doc, DRAFT202012))
        for kind, doc in docs.items())
    count, failures = 0, []
    for kind, doc in docs.items():
        for pointer, sub in with_examples(doc):
            validator = Draft202012Validator(
                {"$ref": f"{kind}.schema.json#{pointer}"}, registry=registry,
                format_checker=Draft202012Validator.FORMAT_CHECKER)
            for example in sub["examples"]:
                count += 1
                failures += [f"{kind}{pointer}: {example!r}: {error.message}"
                             for error in validator.iter_errors(example)]
    return count, failures


def test_every_example_is_valid_where_it_stands(minimal_project: Path) -> None:
    """In the package schemas and in the exported ones of two sites: an example fits its
    field's format and is one of the choices beside it."""
    projects = {"package": None, "shipped": REPO, "minimal": minimal_project}
    for name, root in projects.items():
        docs = {kind: package_schema(kind) if root is None
                else editor_schema(kind, read_choices(root)) for kind in KINDS}
        count, failures = check_examples(docs)
        assert count > 100, name
        assert failures == [], name


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
