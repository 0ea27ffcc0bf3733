"""Property tests: any valid content builds, any broken content ends in clear messages.

Valid offers and contact points are generated into the minimal project; each example is
checked and its site Markdown generated in-process (mkdocs and WeasyPrint are tested by
the full builds elsewhere). Broken content is made by random edits of the minimal files;
`check` must then exit 0 or 1 (never raise), and exit 1 only with file:line:col messages.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import tempfile
import textwrap
from datetime import date
from pathlib import Path

import yaml
from conftest import MINIMAL, REPO, TODAY, write_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wegweiser import cli
from wegweiser.characters import refused_character
from wegweiser.content.tree import load_content
from wegweiser.pipeline import site_facts
from wegweiser.problems import Problems
from wegweiser.site import build as website

PROPERTIES = settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow])

# Text an editor might type in any script: no control characters, not only spaces, none
# of the characters check refuses (direction overrides, invisible ones: test_hostile.py).
text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1,
               max_size=80).filter(lambda s: s.strip() != "" and refused_character(s) is None)
ids = st.from_regex(r"\A[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z")
times = st.sampled_from(["08:00", "09:30", "12:00", "14:15", "18:30"])
slots = st.lists(times, min_size=2, max_size=2, unique=True).map(sorted).map(
    lambda t: [{"opens": t[0], "closes": t[1]}])
weekly = st.dictionaries(st.sampled_from(["monday", "tuesday", "friday", "saturday"]), slots,
                         min_size=1, max_size=3)
markdown = st.lists(st.one_of(
    text,
    text.map(lambda t: f"**{t}**"),
    text.map(lambda t: f"- {t}\n- {t}"),
    st.tuples(text, st.sampled_from(["https://a.example/x", "mailto:a@b.example",
                                     "javascript:alert(1)", "../../etc/passwd"])).map(
        lambda p: f"[{p[0]}]({p[1]})"),
), min_size=1, max_size=4).map("\n\n".join)

offers = st.fixed_dictionaries({
    "title": text.map(lambda s: s[:120]),
    "summary": text,
    "description": markdown,
    "category": st.sampled_from(["sprache", "beratung"]),
    "audience": st.lists(st.sampled_from(["erwachsene", "familien"]), min_size=1, unique=True),
    "languages": st.lists(st.sampled_from(["de", "en", "ar", "uk", "fa"]), min_size=1,
                          unique=True),
    "provider": st.sampled_from(["ki", "service-point"]),
    "cost": st.one_of(st.just({"free": True}), text.map(lambda t: {"free": False, "text": t})),
    "registration": st.one_of(st.just({"required": False}),
                              text.map(lambda t: {"required": True, "how": t})),
    "last_reviewed": st.dates(date(2025, 1, 1), date(2026, 11, 1)).map(date.isoformat),
}, optional={
    "district": st.sampled_from(["Mitte", "Nord"]),
    "in_brochure": st.booleans(),
})
contacts = st.fixed_dictionaries({
    "name": text,
    "organisation": text,
    "email": st.from_regex(r"\A[a-z0-9._-]{1,10}@[a-z0-9-]{1,10}\.example\Z"),
    "address": st.fixed_dictionaries({"street": text, "postcode": st.from_regex(
        r"\A[0-9]{5}\Z"), "city": text}),
    "opening_hours": st.one_of(weekly.map(lambda w: {"weekly": w}),
                               st.just({"by_appointment": True})),
    "last_reviewed": st.just("2026-10-01"),
}, optional={
    "phones": st.lists(st.fixed_dictionaries(
        {"number": st.from_regex(r"\A0[0-9]{3} [0-9]{3}-[0-9]{3,4}\Z")},
        optional={"label": text}), max_size=2),
    "website": st.from_regex(r"\Ahttps://[a-z]{1,10}\.example/[a-z0-9/_-]{0,20}\Z"),
})


@contextlib.contextmanager
def project(extra: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory(prefix="wegweiser-prop-") as folder:
        root = Path(folder)
        write_files(root, MINIMAL)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        for name, body in (extra or {}).items():
            (root / name).write_text(body, encoding="utf-8")
        yield root


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def run_check(root: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = cli.main(["--root", str(root), "--today", TODAY, "check"])
    return code, out.getvalue()


@PROPERTIES
@given(offer=offers, contact=contacts, offer_id=ids, contact_id=ids)
def test_valid_content_checks_and_renders(offer: dict, contact: dict, offer_id: str,
                                          contact_id: str) -> None:
    offer_id, contact_id = f"o-{offer_id}", f"c-{contact_id}"
    files = {f"offers/{offer_id}.yml": dump(offer),
             f"content/contacts/{contact_id}.yml": dump(contact)}
    with project(files) as root:
        code, output = run_check(root)
        assert code == 0, output
        problems = Problems()
        content = load_content(root, date.fromisoformat(TODAY), problems)
        assert content is not None and not problems.errors
        for language in content.settings.languages:
            website.write_language(content, language, root, root / "build", root / "site",
                                site_facts(content))
        page = root / "build" / "de" / "docs" / "angebote" / f"{offer_id}.md"
        assert page.is_file()
        assert "javascript:" not in page.read_text(encoding="utf-8")


# --- broken content -----------------------------------------------------------------------


def delete_line(text: str, n: int, _: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[:n % len(lines)] + lines[n % len(lines) + 1:])


def duplicate_line(text: str, n: int, _: str) -> str:
    lines = text.splitlines(keepends=True)
    i = n % len(lines)
    return "".join(lines[:i + 1] + lines[i:])


def insert_text(text: str, n: int, junk: str) -> str:
    i = n % (len(text) + 1)
    return text[:i] + junk + text[i:]


def truncate(text: str, n: int, _: str) -> str:
    return text[:n % (len(text) + 1)]


def replace_value(text: str, n: int, junk: str) -> str:
    lines = text.splitlines(keepends=True)
    i = n % len(lines)
    key, colon, _rest = lines[i].partition(":")
    lines[i] = f"{key}{colon} {junk}\n" if colon else junk + "\n"
    return "".join(lines)


def shift_indent(text: str, n: int, _: str) -> str:
    lines = text.splitlines(keepends=True)
    i = n % len(lines)
    lines[i] = (" " * (1 + n % 3)) + lines[i]
    return "".join(lines)


MUTATIONS = [delete_line, duplicate_line, insert_text, truncate, replace_value, shift_indent]
junk = st.one_of(st.sampled_from(["", "[", "{", "]", ":", "- x", "&a", "*a", "!!python/name:os",
                                  "\t", "'", '"', "|", "---", "~", "null", "yes", "1e3",
                                  "2026-13-45", "25:61", "../x", "\x00", "\ufeff", "\xff"]),
                   st.text(max_size=12))


@PROPERTIES
@given(name=st.sampled_from(sorted(MINIMAL)), edits=st.lists(
    st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 10_000), junk), min_size=1,
    max_size=3))
def test_broken_content_ends_in_messages(name: str, edits: list) -> None:
    body = textwrap.dedent(MINIMAL[name])
    for mutate, n, junk_text in edits:
        body = mutate(body, n, junk_text)
    with project() as root:
        (root / name).write_bytes(body.encode("utf-8", "surrogateescape"))
        code, output = run_check(root)
    assert code in (0, 1), output
    assert "Traceback" not in output
    if code == 1:
        files = re.findall(r"^(\S+?):\d+:\d+: (?:error|warning|Fehler|Warnung): ", output,
                           re.MULTILINE)
        assert files, output
        assert set(files) <= set(MINIMAL), output
