"""The shipped content of the KI Leverkusen passes `check` without a single error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import REPO, TODAY, run_build

from wegweiser.content.tree import load_content
from wegweiser.i18n.localisation import Localisation
from wegweiser.problems import Problems


def test_shipped_content_passes_check(shipped_project: Path) -> None:
    result = run_build(shipped_project, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert ": error: " not in result.stdout
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1].startswith("Content is valid: ")


def test_every_shipped_file_becomes_part_of_the_model() -> None:
    problems = Problems()
    content = load_content(REPO, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    assert problems.errors == []
    offers = {o.id for o in content.offers + content.unpublished}
    assert offers == {p.stem for p in (REPO / "offers").glob("*.yml")}
    assert {c.id for c in content.contacts} == {
        p.stem for p in (REPO / "content" / "contacts").glob("*.yml")}
    assert {m.month for m in content.programme} == {
        p.stem for p in (REPO / "content" / "programme").glob("*.yml")}
    assert {p.id for p in content.pages} == {
        p.stem for p in (REPO / "content" / "pages").glob("*.md")}
    assert len(content.offers) >= 15


def test_leverkusen_names_its_programme_and_city_in_every_language() -> None:
    """The programme's name and place come from site.yml and are translated in each shipped
    catalog; a city keeps the interface's "in {city}" and "Stadtteil"."""
    content = load_content(REPO, date.fromisoformat(TODAY), Problems())
    assert content is not None
    settings = content.settings
    heading, how_to = {}, {}
    for language in settings.languages:
        loc = Localisation.load(REPO, settings, language)
        where = loc.programme_where(settings)
        assert where is not None
        texts = (loc.programme_name(settings), where, loc.area_where(settings),
                 loc.district_label(settings))
        assert not any(t.fallback for t in texts), language.code
        heading[language.code] = loc.ui("Nächste Termine {where}", where=where)
        how_to[language.code] = loc.ui("Wegweiser Integration {where}",
                                       where=loc.area_where(settings))
    assert heading["de"] == "Nächste Termine im Service-Point Integration"
    assert heading["en"] == "Upcoming events at the Service-Point Integration"
    assert heading["ar"] == "المواعيد القادمة في نقطة خدمة الاندماج"
    assert how_to["de"] == "Wegweiser Integration in Leverkusen"
    assert how_to["en"] == "Guide to Integration in Leverkusen"
    assert how_to["tr"] == "Leverkusen'de Uyum Rehberi"
    assert settings.area.is_city
    german = Localisation.load(REPO, settings, settings.source_language)
    assert german.district_label(settings) == "Stadtteil"
    assert german.programme_name(settings) == "Programm des Service-Point Integration"
