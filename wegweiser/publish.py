"""Publishing: build into a staging directory, then swap it in for `site/` in one step.

A failed or interrupted build never touches the last good site. On Linux the swap is a
single renameat2(RENAME_EXCHANGE); elsewhere two renames with a moment in between.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .problems import BuildError
from .wording import _

RENAME_EXCHANGE = 2
AT_FDCWD = -100
# The interrupt tests name a step here ("swap" or "swapped"); the build marks it with a file
# beside site/ and waits there, so a signal lands exactly at that step.
HOLD_VARIABLE = "WEGWEISER_HOLD_AT"


@contextmanager
def staging(site: Path) -> Iterator[Path]:
    """A fresh staging directory beside `site`; it replaces `site` if the block succeeds."""
    stage = site.with_name(f".{site.name}.staging")
    with exclusive(site):
        remove_leftovers(site)
        stage.mkdir(parents=True)
        try:
            yield stage
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        swap(stage, site)


@contextmanager
def exclusive(site: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one would share the staging folder."""
    site.parent.mkdir(parents=True, exist_ok=True)
    path = site.with_name(f".{site.name}.lock")
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(_("another build is writing {site} right now; wait until it has"
                               " finished, then build again", site=site)) from None
        try:
            yield
        finally:
            path.unlink(missing_ok=True)  # still locked: a waiting build has failed already


def remove_leftovers(site: Path) -> None:
    """Staging or old directories of a build that was killed before it could clean up."""
    for name in (f".{site.name}.staging", f".{site.name}.old"):
        shutil.rmtree(site.with_name(name), ignore_errors=True)


def swap(stage: Path, site: Path) -> None:
    hold(site, "swap")
    if site.exists() and _exchange(stage, site):
        hold(site, "swapped")
        shutil.rmtree(stage, ignore_errors=True)  # now holds the previous site
        return
    old = site.with_name(f".{site.name}.old")
    if site.exists():
        os.rename(site, old)
    os.rename(stage, site)
    shutil.rmtree(old, ignore_errors=True)


def hold(site: Path, step: str) -> None:
    if os.environ.get(HOLD_VARIABLE) == step:
        site.with_name(f".{site.name}.held-{step}").touch()
        time.sleep(60)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0
