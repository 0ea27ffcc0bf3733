"""A brochure whose chapters are laid out in several parts (brochure.Brochure.body_parts),
each kept as a PDF, bound into one: read back with pikepdf and poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO, TODAY

from wegweiser.content.tree import load_content
from wegweiser.pdf import brochure, typeset
from wegweiser.problems import Problems

COPIES = 3  # each shipped offer three times: about 50 offers, chapters in several parts
INDEX_LINES = 25  # and the indexes, of some 110 lines, in four parts


@pytest.fixture(scope="module", autouse=True)
def short_index_parts() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(brochure, "INDEX_LINES_PER_PART", INDEX_LINES)
        yield


def load(root: Path):
    content = load_content(root, date.fromisoformat(TODAY), Problems())
    assert content is not None
    return content


def write_project(root: Path) -> Path:
    """The shipped content with every offer in COPIES, titled "... 2", "... 3"."""
    for name in ("content", "offers", "translations"):
        shutil.copytree(REPO / name, root / name)
    for offer in sorted((root / "offers").glob("*.yml")):
        text = offer.read_text(encoding="utf-8")
        for copy in range(2, COPIES + 1):
            retitled = re.sub(r"^title: (.+)$", lambda m, n=copy: f"title: {m[1]} {n}", text,
                              count=1, flags=re.M)
            offer.with_name(f"{offer.stem}-{copy}.yml").write_text(retitled, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def parted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, brochure.Rendered, Path]:
    """The project, its German brochure built from nothing, and the brochure's cache."""
    root = write_project(tmp_path_factory.mktemp("parted"))
    cache = root / "build" / "cache" / "brochure"
    cache.mkdir(parents=True)
    result = brochure.Work(load(root), root, cache).make_brochure("de")
    return root, result, cache


def screen_pdf(cache: Path, result: brochure.Rendered) -> Path:
    return brochure.cache_paths(cache, "de", result.key)[0]


def page_texts(path: Path) -> list[str]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def german(root: Path) -> brochure.Brochure:
    content = load(root)
    return brochure.Brochure.prepare(content, root, content.settings.language("de"))


def body_parts(root: Path) -> dict[str, list]:
    return german(root).body_parts


@pytest.mark.slow
def test_the_chapters_are_laid_out_in_parts_of_whole_categories(parted) -> None:
    """About 50 offers make several parts of the chapters, each of whole categories with
    at least brochure.OFFERS_PER_PART offers but the last; each part was laid out."""
    root, result, _cache = parted
    parts = body_parts(root)
    assert len(parts) >= 3
    *full, _last = parts.values()
    assert all(sum(len(offers) for _, offers, _ in chapters) >= brochure.OFFERS_PER_PART
               for chapters in full)
    assert all(begins for chapters in parts.values() for _, _, begins in chapters)
    assert all(result.layouts[name] >= 1 for name in parts)


@pytest.mark.slow
def test_bound_parts_make_one_tagged_pdf_with_links_bookmarks_and_fonts_once(parted) -> None:
    """One structure tree (its parent tree numbering the pages, then the link annotations,
    as WeasyPrint numbers one document), every offer's bookmark on the page that prints
    its title, every internal link to a destination the PDF names (the index's links to
    offers in other parts too, on the page of the offer), each font face embedded once."""
    root, result, cache = parted
    path = screen_pdf(cache, result)
    texts = page_texts(path)
    with pikepdf.open(path) as pdf:
        tree = pdf.Root.StructTreeRoot
        assert len(tree.K) == 1 and tree.K[0].S == "/Document"
        numbers = tree.ParentTree.Nums
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
        assert [int(numbers[i]) for i in range(0, len(numbers), 2)] == list(
            range(len(pdf.pages) + len(annotations)))
        for index, page in enumerate(pdf.pages):
            assert int(page.obj.StructParents) == index
        for annotation in annotations:
            element = numbers[2 * int(annotation.StructParent) + 1]
            assert element.S == "/Link"
            assert any(kid.get("/Obj") is not None and kid.Obj.objgen == annotation.objgen
                       for kid in element.K if isinstance(kid, pikepdf.Dictionary))
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        names = pdf.Root.Names.Dests.Names
        destinations = {str(names[i]): pages[names[i + 1][0].objgen]
                        for i in range(0, len(names), 2)}
        internal = [str(a.Dest) for a in annotations if "/Dest" in a]
        assert not [a for a in annotations if "wegweiser-part:" in str(a.get("/A", {}))]
        assert len(internal) > 50 and set(internal) <= set(destinations)
        with pdf.open_outline() as outline:
            bookmarks = [item for chapter in outline.root for item in chapter.children]
            for item in bookmarks:
                page = pages[item.destination[0].objgen]
                assert " ".join(item.title.split()[:2]) in " ".join(texts[page].split()), item.title
        offers = [name for name in internal if name.startswith("offer-")]
        assert {destinations[name] for name in offers} > {destinations[offers[0]]}
        faces = {}
        for page in pdf.pages:
            for font in page.obj.Resources.Font.values():
                faces.setdefault(str(font.BaseFont), set()).add(font.objgen)
        assert faces and all(len(found) == 1 for found in faces.values())
        assert len(bookmarks) == sum(len(offers) for chapters in body_parts(root).values()
                                     for _, offers, _ in chapters)


@pytest.mark.slow
def test_an_edited_offer_lays_out_only_its_part_of_the_chapters(parted, tmp_path: Path
                                                                 ) -> None:
    """An offer in the last part of the chapters edited (its description): that part is
    laid out once, no other part at all (all from the cache), and the PDF equals, byte for
    byte, the one a build from nothing makes of the edited content."""
    root, first, cache = parted
    edited = tmp_path / "edited"
    shutil.copytree(root, edited, ignore=shutil.ignore_patterns("build"))
    shutil.copytree(cache, edited / "build" / "cache" / "brochure")
    brochure.write_layout(edited / "build" / "cache" / "brochure", edited,  # kept by project
                          "de", *brochure.read_layout(cache, root, "de"))
    last, chapters = list(body_parts(root).items())[-1]
    ids = {offer.id for _category, offers, _begins in chapters for offer in offers}
    offer = next(p for p in sorted((edited / "offers").glob("*.yml"))
                 if p.stem in ids and "description: |\n" in p.read_text(encoding="utf-8"))
    text = offer.read_text(encoding="utf-8")
    offer.write_text(text.replace("description: |\n", "description: |\n  Neu: heute.\n\n", 1),
                     encoding="utf-8")
    assert offer.read_text(encoding="utf-8") != text
    incremental = brochure.Work(load(edited), edited, edited / "build" / "cache" / "brochure"
                                ).make_brochure("de")
    assert incremental.key != first.key
    assert {name: count for name, count in incremental.layouts.items() if count} == {last: 1}
    scratch_cache = tmp_path / "scratch"
    scratch_cache.mkdir()
    scratch = brochure.Work(load(edited), edited, scratch_cache).make_brochure("de")
    assert scratch.key == incremental.key
    assert (screen_pdf(edited / "build" / "cache" / "brochure", incremental).read_bytes()
            == screen_pdf(scratch_cache, scratch).read_bytes())
    assert "Neu: heute." in "".join(page_texts(screen_pdf(scratch_cache, scratch)))


@pytest.mark.slow
def test_the_indexes_are_laid_out_in_parts_going_on_under_their_running_head(parted) -> None:
    """The indexes in several parts of INDEX_LINES_PER_PART lines: each index titled and
    bookmarked once; a part going on with an index has its title as the running head of its
    first page, and a language whose offers are cut is named again there."""
    root, result, cache = parted
    view = german(root)
    parts = view.back_parts
    assert len(parts) >= 3 and all(name.startswith("back-") for name in parts)
    assert [index for sections in parts.values() for index, _, begins in sections
            if begins] == ["contact-index", "language-index"]
    titles = {"contact-index": "Anlaufstellen von A bis Z",
              "language-index": "Angebote in Ihrer Sprache"}
    path = screen_pdf(cache, result)
    texts = page_texts(path)
    with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
        chapters = [str(item.title) for item in outline.root]
    assert all(chapters.count(title) == 1 for title in titles.values()), chapters
    starts = brochure.read_layout(cache, root, "de")[1]
    cut_languages = 0
    previous: list = []
    for name, sections in parts.items():
        index, entries, begins = sections[0]
        first_page = " ".join(texts[starts[name] - 1].split())
        if not begins:
            assert titles[index] in first_page[:80], (name, first_page[:120])  # its head
            if index == "language-index" and previous and previous[-1][0] == index \
                    and previous[-1][1][-1][0] == entries[0][0]:
                cut_languages += 1
                assert entries[0][1] in first_page, (name, entries[0][1])
        previous = sections
    assert cut_languages >= 1
    assert result.layouts and all(result.layouts[name] >= 1 for name in parts)


def with_copies(root: Path, offer: str, copies: int) -> Path:
    """The shipped content with `offer` `copies` times in all, titled "... 2", "... 3"."""
    for name in ("content", "offers", "translations"):
        shutil.copytree(REPO / name, root / name)
    source = root / "offers" / f"{offer}.yml"
    text = source.read_text(encoding="utf-8")
    for copy in range(2, copies + 1):
        source.with_name(f"{offer}-{copy}.yml").write_text(
            re.sub(r"^title: (.+)$", lambda m, n=copy: f"title: {m[1]} {n}", text, count=1,
                   flags=re.M), encoding="utf-8")
    return root


def test_a_long_list_of_an_index_going_on_starts_on_the_parts_first_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """German offered by 124 offers: the language index's list is cut between two parts;
    the second part's first page goes on with it at once (kept whole, a list longer than a
    page left that page empty but for its running head)."""
    monkeypatch.setattr(brochure, "INDEX_LINES_PER_PART", 80)
    view = german(with_copies(tmp_path, "lerncoaches", 120))
    name, sections = next((name, sections) for name, sections in view.back_parts.items()
                          if sections[0][0] == "language-index" and not sections[0][2])
    code, language, offers = sections[0][1][0]
    assert code == "de" and len(offers) > 40
    document = typeset.render(brochure.part_html(view, name, 61)[0], brochure.TEMPLATE_DIR,
                              brochure.PRINT_CSS)
    pdf = tmp_path / "part.pdf"
    document.write_pdf(pdf)
    first, *rest = page_texts(pdf)
    assert language in first and view.field(offers[0], "title") in first, first
    assert all("Lerncoaches" in page for page in rest)


def test_a_category_longer_than_a_part_goes_on_in_the_next_with_its_running_head(
        tmp_path: Path) -> None:
    """40 offers in one category: the first part holds twice OFFERS_PER_PART of them, the
    next goes on with the rest without the category's title and anchor again, and names
    the category for the running head of its pages (string-set)."""
    root = with_copies(tmp_path, "sprachpaten", 40)
    content = load(root)
    view = brochure.Brochure.prepare(content, root, content.settings.language("de"))
    (first, *_), (second, *_) = (chapters for chapters in list(view.body_parts.values())[:2])
    category = first[0]
    assert first[2] and len(first[1]) == 2 * brochure.OFFERS_PER_PART
    assert second[0] is category and not second[2]
    html = brochure.part_html(view, "body-2", 50)[0]
    assert f'id="category-{category.id}"' not in html
    assert f'data-chapter="{view.field(category, "name")}"' in html
    assert "string-set: chapter attr(data-chapter)" in html
    assert "string-set: chapter attr(data-chapter)" not in brochure.part_html(view, "body-1", 4)[0]
