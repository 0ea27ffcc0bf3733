"""The README's "Adopting Wegweiser" shows an example of each content file; each example is
read by the project's own loader and validated against its schema, as `check` would."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import REPO

from wegweiser.content import schema
from wegweiser.content.load import parse_yaml, to_document
from wegweiser.problems import Problems

KINDS = {"content/site.yml": "site", "content/notices.yml": "notices",
         "content/contacts/": "contact", "content/programme/": "programme", "offers/": "offer"}


def adopting() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## Adopting Wegweiser\n", 1)[1].split("\n## ", 1)[0]


def examples() -> list[tuple[str, str, str, int]]:
    """(file named in the example's first line, schema, text, line offset) of every example:
    YAML files named by a `# path` comment, and pages as Markdown with front matter."""
    found = []
    for lang, body in re.findall(r"^ *```(yaml|markdown)\n(.*?)^ *```$", adopting(),
                                 flags=re.MULTILINE | re.DOTALL):
        if lang == "markdown":
            front = body.split("---\n")[1]
            found.append(("content/pages/example.md", "page", front, 1))
            continue
        path = body.split("\n", 1)[0].removeprefix("# ")
        kind = next(k for prefix, k in KINDS.items() if path.startswith(prefix))
        found.append((path, kind, body, 0))
    return found


def test_the_readme_shows_every_kind_of_content_file() -> None:
    assert sorted(kind for _, kind, _, _ in examples()) == [
        "contact", "notices", "offer", "page", "programme", "site"]


@pytest.mark.parametrize(("path", "kind", "text", "offset"), examples(),
                         ids=[path for path, *_ in examples()])
def test_each_readme_example_is_valid(path: str, kind: str, text: str, offset: int) -> None:
    problems = Problems()
    node = parse_yaml(text, path, problems, line_offset=offset)
    assert node is not None, problems.report()
    doc = to_document(node, path, schema.expectation(kind), problems, line_offset=offset)
    assert doc is not None, problems.report()
    assert schema.validate(doc, kind, problems), problems.report()
    assert not problems.items, problems.report()


def test_the_translators_guide_fits_any_ki() -> None:
    """translations/README.md stays when a KI replaces the shipped catalogs: it lists no
    catalogs of one KI's languages, only how they are named."""
    guide = (REPO / "translations" / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"`[a-z]{2,3}\.po`, `[a-z]{2,3}\.po`, `[a-z]{2,3}\.po`, `", guide)
    assert "`<lang>.po`" in guide


def test_every_option_of_serve_is_documented() -> None:
    """What `serve --help` offers (--port, --lang, the options of every command) is in
    README."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--help"],
                               capture_output=True, text=True, check=True).stdout
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", help_text)) - {"--help"}
    assert "--port" in options
    assert [o for o in sorted(options) if f"`{o}" not in readme and f" {o} " not in readme] == []
