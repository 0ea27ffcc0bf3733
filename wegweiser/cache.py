"""The build cache: an output is reused while every input it is made from is unchanged.

Every key is made here, by a function named for what it keys; the stages say what goes in
and hash nothing themselves. A key is a hash of the content of the inputs, never of their
dates:

- `inputs_key`: the project files an output is made from (content/, offers/, catalogs,
  mkdocs.yml), the code (`code_digest`: every file of this package and the version of every
  installed distribution), the environment variables that change output and the dated
  facts the output shows (content/dated.py: the offers published on the day, the notices in
  force, the month a programme starts from; the day itself only where it is shown). Cheap:
  nothing is rendered to compute it. `stage_key` derives a stage's key from it.
- the keys of rendered input (`mkdocs_key`: the Markdown and configuration mkdocs reads;
  `brochure_key`, `flyer_key`: a PDF's HTML with the code that typesets it), so an output
  whose rendered input did not change is not rendered again either, whatever else changed.

An `Entry` is a folder of finished output with a manifest of the keys it was made from and
the size and modification time of each file. The manifest is removed before an entry is
changed and written last, so an interrupted build never leaves an entry that looks valid;
a file changed or added afterwards makes the entry invalid. Outputs are hard-linked into
the staging folder (copied where links are impossible): later stages add files there,
they never rewrite one in place.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from wegweiser import fonts
from wegweiser.resources import PACKAGE

CACHE_VARIABLE = "WEGWEISER_CACHE"
KEEP_ENTRIES = 3  # per stage: switching back and forth between two states stays fast


def cache_root(build: Path) -> Path:
    """build/cache, or the folder named by WEGWEISER_CACHE (shared by several projects)."""
    return Path(os.environ.get(CACHE_VARIABLE) or build / "cache")


def memo(folder: Path, key: str, make: Callable[[], str]) -> str:
    """`make()`, kept in `folder` under a hash of `key`: for small texts that are slow to
    make and fixed by their key (a QR code by its address)."""
    return memo_bytes(folder, key, lambda: make().encode(), ".txt").decode()


def memo_bytes(folder: Path, key: str, make: Callable[[], bytes], suffix: str) -> bytes:
    """`make()`, kept in `folder` under a hash of `key`. Written under a temporary name
    first, so parallel workers and killed builds never leave half a file."""
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}{suffix}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data = make()
    folder.mkdir(parents=True, exist_ok=True)
    write_whole(path, data)
    return data


def write_whole(path: Path, data: str | bytes) -> None:
    """`data` into `path` under a temporary name first: readers (parallel workers, the next
    build after a killed one) see the old file or the new one, never half of it."""
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    if isinstance(data, str):
        partial.write_text(data, encoding="utf-8")
    else:
        partial.write_bytes(data)
    partial.replace(path)


# --- keys ------------------------------------------------------------------------------


def tree_files(folder: Path) -> list[Path]:
    """Every file below `folder` (as `file_stats` finds them) in a stable order."""
    if folder.is_file():
        return [folder]
    return [folder / name for name in sorted(file_stats(folder))]


def file_stats(folder: Path) -> dict[str, list[int]]:
    """[size, mtime_ns] of every file below `folder` by its relative path; bytecode caches
    and pipes left out. Strings and os.scandir, no Path per file: a site has thousands of
    files, and a build compares them several times."""
    found: dict[str, list[int]] = {}

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file() and not entry.name.endswith(".pyc"):
                    st = entry.stat()
                    found[prefix + entry.name] = [st.st_size, st.st_mtime_ns]

    if folder.is_dir():
        walk(str(folder), "")
    return found


def hash_tree(digest: Any, folder: Path) -> None:
    """Add the relative path and bytes of every file below `folder` to `digest`."""
    for path in tree_files(folder):
        data = path.read_bytes()
        name = path.relative_to(folder).as_posix() if path != folder else path.name
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)


@cache
def code_digest() -> str:
    """This package's files and the versions of Python and of every installed distribution."""
    digest = hashlib.sha256(sys.version.encode())
    hash_tree(digest, PACKAGE)
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    digest.update("\n".join(versions).encode())
    return digest.hexdigest()


def environment() -> str:
    """Environment variables that change what is written (wording). SOURCE_DATE_EPOCH is
    the build's day (the command line sets it from --today): only the outputs that show it
    have it in their dated facts."""
    names = sorted(n for n in os.environ
                   if n.startswith("WEGWEISER_") and n != CACHE_VARIABLE)
    return "\n".join(f"{n}={os.environ[n]}" for n in names)


def digest_of(*paths: Path) -> str:
    """A hash of the first of `paths` that exists (file or folder), e.g. an npm package."""
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            hash_tree(digest, path)
            break
    return digest.hexdigest()


def inputs_key(root: Path, paths: Iterable[str], *extra: str) -> str:
    """A key of the project files at `paths` (folders or files below root) and everything
    else an output depends on: code, environment and the `extra` values (among them the
    output's dated facts; the build's day is not part of the key)."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"{environment()}\n".encode())
    for value in extra:
        digest.update(value.encode() + b"\0")
    for name in paths:
        digest.update(f"\n[{name}]\n".encode())
        if (root / name).exists():
            hash_tree(digest, root / name)
    return digest.hexdigest()


def stage_key(project: str, stage: str, *extra: str) -> str:
    """A build stage's key: the `inputs_key` of the project, the stage's name and `extra`
    (fonts, a package of npm); stages that share a name share the key."""
    return hashlib.sha256("\0".join((project, stage, *extra)).encode()).hexdigest()


@cache
def fonts_key() -> str:
    """Every font file the PDFs embed: part of the key of everything that embeds them."""
    found = hashlib.sha256()
    for face in fonts.print_faces():
        found.update(face.file.name.encode() + face.file.read_bytes())
    return found.hexdigest()


def mkdocs_key(settings: dict[str, Any], folder: Path) -> str:
    """What mkdocs reads for one language: its configuration `settings` (where the output
    goes does not change it), the configuration it inherits, the pages and the theme
    folder below `folder`, the code."""
    settings = {name: value for name, value in settings.items() if name != "site_dir"}
    digest = hashlib.sha256(code_digest().encode())
    digest.update(f"{environment()}\n".encode())
    digest.update(json.dumps(settings, sort_keys=True, ensure_ascii=False).encode())
    digest.update((folder / settings["INHERIT"]).read_bytes())
    for part in ("docs", "theme"):
        digest.update(f"\n[{part}]\n".encode())
        hash_tree(digest, folder / part)
    return digest.hexdigest()


def service_worker_version(pages: list[str]) -> str:
    """The name of a language's offline copy in the reader's browser: a new list of pages
    makes the service worker fetch them again."""
    return hashlib.sha256(json.dumps(pages).encode()).hexdigest()[:12]


# The code a PDF's key covers besides its HTML: what turns HTML into PDF, and for the
# brochure what makes its print variant. Any other code shows in the HTML or not at all,
# so changing it renders no PDF again.
TYPESETTING_CODE = ("pdf/typeset.py", "pdf/tagging.py")
TYPESETTING_DISTRIBUTIONS = ("weasyprint", "segno")
BROCHURE_CODE = ("pdf/brochure.py", "pdf/binding.py", "pdf/printshop.py")


@cache
def typesetting_key() -> str:
    """What turns HTML into PDF here: its modules, the renderer's versions, the fonts."""
    digest = hashlib.sha256()
    for name in TYPESETTING_CODE:
        digest.update((PACKAGE / name).read_bytes())
    digest.update(", ".join(f"{name} {metadata.version(name)}"
                            for name in TYPESETTING_DISTRIBUTIONS).encode())
    digest.update(fonts_key().encode())
    return digest.hexdigest()


def brochure_key(html: str, notes: str, print_css: str) -> str:
    """A brochure's two PDFs: its HTML and notes pages, the print CSS, the code."""
    digest = hashlib.sha256(html.encode("utf-8"))
    digest.update(notes.encode("utf-8"))
    digest.update(print_css.encode())
    for name in BROCHURE_CODE:
        digest.update((PACKAGE / name).read_bytes())
    digest.update(typesetting_key().encode())
    return digest.hexdigest()[:20]


def layout_name(root: Path, code: str) -> str:
    """The file of a brochure's last page numbers (brochure.py): one per project and
    language, as several projects may share a cache (WEGWEISER_CACHE)."""
    project = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:12]
    return f"pages-{code}-{project}.json"


def flyer_key(html: str) -> str:
    """A flyer's or poster's PDF: its HTML (a poster's in every size, joined), the code."""
    return hashlib.sha256(f"{typesetting_key()}\n{html}".encode()).hexdigest()[:24]


def pages_file(pdf: Path) -> Path:
    """Beside a cached PDF: its page count as the renderer counted it, so nothing has to
    open the PDF to know it."""
    return pdf.with_suffix(".pages")


def record_pages(pdf: Path, pages: int) -> None:
    """Written before the PDF itself is put in place."""
    write_whole(pages_file(pdf), str(pages))


def recorded_pages(pdf: Path) -> int | None:
    try:
        return int(pages_file(pdf).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --- entries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """A folder of finished output and, beside it, the manifest it is trusted by."""

    files: Path

    @property
    def manifest(self) -> Path:
        return self.files.with_name(self.files.name + ".json")

    def read(self) -> dict[str, Any] | None:
        """The keys, if the entry is complete and no file was changed since it was sealed."""
        try:
            state = json.loads(self.manifest.read_text(encoding="utf-8"))
            if file_stats(self.files) != state["files"]:
                return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return state["keys"]

    def forget(self) -> None:
        """From now until `seal`, the entry is not trusted."""
        self.manifest.unlink(missing_ok=True)

    def replace(self, folder: Path) -> None:
        """Make the finished `folder` this entry's files (the manifest is gone already)."""
        self.forget()
        shutil.rmtree(self.files, ignore_errors=True)
        os.replace(folder, self.files)

    def seal(self, **keys: Any) -> None:
        write_whole(self.manifest, json.dumps({"keys": keys, "files": file_stats(self.files)}))


def link_file(source: Path, target: Path) -> None:
    if target.exists() or target.is_symlink():
        target.unlink()
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copy2(source, target)


def link_tree(source: Path, target: Path, names: Iterable[str] | None = None) -> int:
    """Hard-link the files below `source` (or only `names`, relative) into `target`."""
    paths = tree_files(source) if names is None else [source / n for n in names]
    made: set[Path] = set()
    for path in paths:
        destination = target / path.relative_to(source)
        if destination.parent not in made:
            destination.parent.mkdir(parents=True, exist_ok=True)
            made.add(destination.parent)
        link_file(path, destination)
    return len(paths)


# --- whole stages ----------------------------------------------------------------------


@dataclass
class StageCache:
    """The files a build stage added to the staging folder, kept by the key of its inputs.

    A stage found here is not run: its files are linked into the staging folder again, and
    what it returned when it ran (its facts, JSON) is returned again.
    """

    folder: Path  # e.g. build/cache/stages/brochures
    reused: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # by stage, as `action` returned them

    def run(self, name: str, key: str, stage: Path, action: Callable[[], object]) -> bool:
        """Run `action` (which writes into `stage`) unless its output is cached; True if run."""
        entry = Entry(self.folder / name / key)
        state = entry.read()
        if state is not None and state.get("key") == key:
            link_tree(entry.files, stage)
            os.utime(entry.manifest)  # recently used: pruned last
            self.reused.append(name)
            self.facts[name] = state.get("facts")
            return False
        before = file_stats(stage)
        self.facts[name] = action()
        after = file_stats(stage)
        self.record(entry, stage, [n for n, s in after.items() if before.get(n) != s],
                    self.facts[name])
        return True

    def recorded(self, name: str, key: str) -> Any:
        """The facts a stage returned when it ran with `key`; None if no entry has them."""
        state = Entry(self.folder / name / key).read()
        return state.get("facts") if state is not None and state.get("key") == key else None

    def record(self, entry: Entry, stage: Path, names: list[str], facts: Any = None) -> None:
        part = entry.files.with_name(f"{entry.files.name}.{os.getpid()}.part")
        shutil.rmtree(part, ignore_errors=True)
        link_tree(stage, part, names)
        part.mkdir(parents=True, exist_ok=True)  # a stage may write nothing into the site
        entry.replace(part)
        entry.seal(key=entry.files.name, facts=facts)
        prune(entry.files.parent)


def least_recently_used(paths: Iterable[Path], keep: int) -> list[Path]:
    """All but the `keep` most recently used of `paths` (written, or touched when used)."""
    return sorted(paths, key=lambda p: p.stat().st_mtime, reverse=True)[keep:]


def prune(folder: Path, keep: int = KEEP_ENTRIES) -> None:
    """Only the most recently used entries of a stage are kept."""
    for manifest in least_recently_used(folder.glob("*.json"), keep):
        Entry(manifest.with_suffix("")).forget()
        shutil.rmtree(manifest.with_suffix(""), ignore_errors=True)
    for leftover in folder.glob("*.part"):
        if time.time() - leftover.stat().st_mtime > 3600:  # of a build killed long ago
            shutil.rmtree(leftover, ignore_errors=True)


# --- timing ----------------------------------------------------------------------------


@dataclass
class Stopwatch:
    """Seconds per build stage, for the closing summary ("site 12.3 s, brochures 20.1 s")."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

