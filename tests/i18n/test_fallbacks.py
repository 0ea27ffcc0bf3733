"""markup.Fallbacks: German standing in for a translation, marked one way everywhere."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import TODAY
from markupsafe import Markup, escape

from wegweiser.content.tree import load_content
from wegweiser.i18n.localisation import Localisation, Localized
from wegweiser.markup import Fallbacks, View
from wegweiser.model import Language
from wegweiser.pipeline import site_facts
from wegweiser.problems import Problems
from wegweiser.site.pages import OPEN_DATA, PageWriter, plan_pages

EN, AR = Language("en", "English"), Language("ar", "العربية", "rtl")
GERMAN = Localized("Beratung", "de", fallback=True)


def test_german_in_another_language_is_marked_and_counted() -> None:
    marks = Fallbacks(EN)
    assert marks.mark(GERMAN, escape(GERMAN)) == '<span lang="de">Beratung</span>'
    assert marks.mark(Localized("Advice", "en"), Markup("Advice")) == "Advice"
    assert marks.mark("plain", Markup("plain")) == "plain"
    assert marks.count == 1


def test_a_right_to_left_page_marks_the_direction_too() -> None:
    marks = Fallbacks(AR)
    assert marks.mark(GERMAN, escape(GERMAN), tag="div") == (
        '<div lang="de" dir="ltr">Beratung</div>')


def test_print_marks_the_direction_always_with_a_class() -> None:
    marks = Fallbacks(EN, always_dir=True, css_class="fallback")
    assert marks.mark(GERMAN, escape(GERMAN)) == (
        '<span lang="de" dir="ltr" class="fallback">Beratung</span>')


def test_text_is_escaped_before_it_is_marked(minimal_project: Path) -> None:
    content = load(minimal_project)
    loc = Localisation.load(minimal_project, content.settings, content.settings.language("en"))
    view = View(loc, "")
    assert view.t(Localized("<b>Rat</b>", "de", fallback=True)) == (
        '<span lang="de">&lt;b&gt;Rat&lt;/b&gt;</span>')
    assert view.fallbacks.count == 1


def test_the_open_data_page_marks_its_german_like_every_page(minimal_project: Path) -> None:
    """Tigrinya, which has no interface catalog: the page's own texts are German, marked
    so, and the page says so."""
    settings = minimal_project / "content" / "site.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "  - {code: en, name: English}\n", "  - {code: en, name: English}\n"
        "  - {code: ti, name: ትግርኛ}\n"), encoding="utf-8")
    content = load(minimal_project)
    loc = Localisation.load(minimal_project, content.settings, content.settings.language("ti"))
    facts = site_facts(content)
    writer = PageWriter(content, loc, "https://integration.musterstadt.example/ti/",
                        minimal_project, facts)
    page = writer.render(next(s for s in plan_pages(content, facts) if s.template == OPEN_DATA))
    assert '# <span lang="de">Offene Daten</span>' in page
    assert '<p class="ww-untranslated"><span lang="de">Teile dieser Seite' in page
    assert "title: Offene Daten" in page


def load(root: Path):  # noqa: ANN201
    problems = Problems()
    content = load_content(root, date.fromisoformat(TODAY), problems)
    assert content is not None, problems.report()
    return content
