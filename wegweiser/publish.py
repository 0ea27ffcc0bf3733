"""Publishing: build into a staging directory, then swap it in for `site/` in one step.

A failed or interrupted build never touches the last good site. On Linux the swap is a
single renameat2(RENAME_EXCHANGE); elsewhere two renames with a moment in between.

What a killed build leaves beside the site (`.site.staging`, `.site.old`) is removed by the
next build, also where a folder inside was made read-only. What cannot be removed at all (a
file of another user, a mount point) is moved aside to `.site.stuck-N` with one line saying
so, and the build goes on: a leftover never blocks later builds.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import fcntl
import os
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from wegweiser.problems import BuildError
from wegweiser.wording import _

RENAME_EXCHANGE = 2
AT_FDCWD = -100


@contextmanager
def staging(site: Path) -> Iterator[Path]:
    """A fresh staging directory beside `site`; it replaces `site` if the block succeeds."""
    stage = site.with_name(f".{site.name}.staging")
    with exclusive(site):
        if os.path.lexists(site) and not site.is_dir():
            raise BuildError(_("{site} is a file, not a folder; move the file away or choose"
                               " another output folder with --out", site=site))
        remove_leftovers(site)
        try:
            stage.mkdir()
        except OSError as e:
            raise BuildError(_("cannot create {folder}: {reason}", folder=stage,
                               reason=describe(e))) from None
        try:
            yield stage
        except BaseException:
            discard(stage)
            raise
        swap(stage, site)


@contextmanager
def exclusive(site: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one would share the staging folder."""
    path = site.with_name(f".{site.name}.lock")
    try:
        site.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path, "w")  # noqa: SIM115 (closed below, after the lock is released)
    except OSError as e:
        raise BuildError(_("cannot write beside {site}: {reason}", site=site,
                           reason=describe(e))) from None
    with lock:
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
    for stuck in sorted(site.parent.glob(f".{site.name}.stuck-*")):
        reason = discard(stuck)
        if reason:
            print(_("warning: {folder} is left over from an earlier build and cannot be"
                    " removed ({reason}); remove it by hand", folder=stuck, reason=reason))
    for name in (f".{site.name}.staging", f".{site.name}.old"):
        clear_away(site.with_name(name), site)


def clear_away(path: Path, site: Path) -> None:
    """Removes a leftover, or moves it aside to .site.stuck-N where it cannot be removed."""
    reason = discard(path)
    if reason is None:
        return
    number = 1
    while os.path.lexists(stuck := site.with_name(f".{site.name}.stuck-{number}")):
        number += 1
    try:
        path.rename(stuck)
    except OSError as e:
        raise BuildError(_("{folder} is left over from an earlier build and can be neither"
                           " removed ({reason}) nor renamed ({error}); remove it by hand,"
                           " then build again", folder=path, reason=reason,
                           error=describe(e))) from None
    print(_("warning: {folder} cannot be removed ({reason}); it was moved to {stuck}: remove"
            " that by hand", folder=path, reason=reason, stuck=stuck))


def discard(path: Path) -> str | None:
    """Removes a file or folder, making its folders writable where needed; None when it is
    gone, else why not (one line)."""
    errors: list[str] = []
    for _attempt in range(2):  # the second time after making every folder writable
        errors.clear()
        try:
            if path.is_symlink() or not path.is_dir():
                path.unlink(missing_ok=True)
            else:
                shutil.rmtree(path, onerror=lambda _f, name, info: errors.append(
                    f"{info[1].strerror or info[1]}: {name}"))
        except OSError as e:
            errors.append(describe(e))
        if not os.path.lexists(path):
            return None
        make_writable(path)
    return errors[0] if errors else _("it is still there")


def make_writable(folder: Path) -> None:
    for directory, _folders, _files in os.walk(folder):
        try:
            mode = os.lstat(directory).st_mode
            os.chmod(directory, stat.S_IMODE(mode) | stat.S_IRWXU)
        except OSError:
            pass  # not ours: discard says why it stays


def describe(error: BaseException) -> str:
    """An OSError in one line: what happened and to which file."""
    if isinstance(error, OSError) and error.strerror:
        file = error.filename2 or error.filename  # of a copy: where it was written to
        return f"{error.strerror}: {file}" if file else error.strerror
    return str(error)


def swap(stage: Path, site: Path) -> None:
    if site.exists() and _exchange(stage, site):
        clear_away(stage, site)  # now holds the previous site
        return
    old = site.with_name(f".{site.name}.old")
    if site.exists():
        os.rename(site, old)
    os.rename(stage, site)
    clear_away(old, site)


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
