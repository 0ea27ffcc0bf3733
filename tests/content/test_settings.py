"""Settings: defaults come from site.schema.json alone; brochure and licence are typed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import MINIMAL, REPO, TODAY, write_files

from wegweiser.content.tree import load_content
from wegweiser.model import Address, AreaSettings, BrochureSettings, DataLicence, ProgrammeSettings
from wegweiser.problems import Problems

SCHEMA = json.loads((REPO / "wegweiser" / "schemas" / "site.schema.json").read_text("utf-8"))


def load(root: Path):  # noqa: ANN201
    problems = Problems()
    content = load_content(root, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    return content


def test_settings_left_out_take_the_schemas_defaults(minimal_project: Path) -> None:
    settings = load(minimal_project).settings
    properties = SCHEMA["properties"]
    assert settings.state == properties["state"]["default"] == "NW"
    assert settings.timezone == properties["timezone"]["default"] == "Europe/Berlin"
    assert settings.review_after_months == properties["review_after_months"]["default"]
    assert settings.expiry_warning_days == properties["expiry_warning_days"]["default"]
    assert settings.translations_warn_below == (
        properties["translations"]["properties"]["warn_below"]["default"])
    assert settings.data_licence is None


def test_given_settings_and_the_brochure_imprint_are_typed(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["content/site.yml"] = MINIMAL["content/site.yml"].rstrip(" ") + (
        "        state: BY\n"
        "        translations: {warn_below: 40}\n"
        "        data_licence: {name: CC BY 4.0, url: 'https://creativecommons.org/licenses/by/4.0/'}\n")
    write_files(tmp_path, files)
    settings = load(tmp_path).settings
    assert (settings.state, settings.translations_warn_below) == ("BY", 40)
    assert settings.timezone == "Europe/Berlin"
    assert settings.data_licence == DataLicence(
        "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/")
    assert settings.brochure == BrochureSettings(
        edition="2026-11", publisher="Stadt Musterstadt, Der Bürgermeister",
        publisher_address=Address("Marktplatz 1", "01067", "Musterstadt"),
        responsible="Maria Muster, Leitung des Kommunalen Integrationszentrums",
        printer="Druckhaus Muster, Musterweg 1, 01067 Musterstadt", print_run=2500)


def test_area_and_programme_left_out_are_a_city_and_an_unnamed_programme(
        minimal_project: Path) -> None:
    settings = load(minimal_project).settings
    area = SCHEMA["properties"]["area"]["properties"]
    assert settings.area == AreaSettings(kind=area["kind"]["default"])
    assert settings.area.kind == "Stadt" and settings.area.is_city
    assert settings.programme == ProgrammeSettings()


def test_a_kreis_names_itself_with_its_article(tmp_path: Path) -> None:
    files = dict(MINIMAL)
    files["content/site.yml"] = MINIMAL["content/site.yml"].rstrip(" ") + (
        "        area: {kind: Kreis, where: im Rheinisch-Bergischen Kreis,"
        " district_label: Stadt oder Gemeinde}\n"
        "        programme: {name: Programm der Integrationsbüros,"
        " where: in den Integrationsbüros}\n")
    write_files(tmp_path, files)
    settings = load(tmp_path).settings
    assert settings.area == AreaSettings("Kreis", "im Rheinisch-Bergischen Kreis",
                                         "Stadt oder Gemeinde")
    assert not settings.area.is_city
    assert settings.programme == ProgrammeSettings("Programm der Integrationsbüros",
                                                   "in den Integrationsbüros")


def test_a_kreis_without_its_name_in_a_sentence_is_an_error(tmp_path: Path) -> None:
    """"in Rheinisch-Bergischer Kreis" is wrong German: a Kreis must give area.where."""
    files = dict(MINIMAL)
    files["content/site.yml"] = (MINIMAL["content/site.yml"].rstrip(" ")
                                 + "        area: {kind: Kreis}\n")
    write_files(tmp_path, files)
    problems = Problems()
    assert load_content(tmp_path, date.fromisoformat(TODAY), problems) is None
    [error] = problems.errors
    assert "the required field 'where' is missing" in error.message, error.message
