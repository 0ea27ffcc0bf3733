"""The shipped content of the KI Leverkusen passes `check` without a single error."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from conftest import REPO, TODAY, run_build

from wegweiser.content.tree import load_content
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
