"""Faults of the machine a build runs on: a stop signal, a full disk, no memory.

A build ends on SIGTERM (as `timeout` and `kill PID` send it to the main process alone)
the way it ends on Ctrl-C: the worker processes are ended with it, the staging folder is
removed, site/ stays as it was. A full disk, a read-only output folder or exhausted memory
end it with one line that says what happened, instead of a traceback.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from types import FrameType

from wegweiser.publish import describe
from wegweiser.wording import _

DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


class Terminated(BaseException):
    """SIGTERM reached the build: it unwinds like KeyboardInterrupt, cleaning up."""


# Set by the handler, which raises only where the exception can unwind the build; the build
# asks again after each stage and before the swap.
_terminated = False


def terminated() -> bool:
    return _terminated


def raise_if_terminated() -> None:
    if _terminated:
        raise Terminated


@contextmanager
def ending_workers_on_terminate() -> Iterator[None]:
    """While the block runs, SIGTERM ends the workers and raises Terminated in the main
    process; a forked worker that inherited the handler ends its own workers (a brochure's
    layout, workers.run_apart), then itself."""
    main = os.getpid()

    def on_terminate(signum: int, frame: FrameType | None) -> None:
        global _terminated
        if os.getpid() != main:
            end_workers()
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        _terminated = True
        end_workers()
        if not in_plumbing(frame):
            raise Terminated

    previous = signal.signal(signal.SIGTERM, on_terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# Where an exception raised by the handler would be lost or leave a pool half made (a
# fork's hooks, a pool starting its threads, waiting for a result). There the build learns
# of the signal from its ended workers (BrokenProcessPool) or at its next check.
PLUMBING = ("concurrent/futures/", "multiprocessing/", "/threading.py", "/logging/")


def in_plumbing(frame: FrameType | None) -> bool:
    return frame is not None and any(part in frame.f_code.co_filename for part in PLUMBING)


def end_workers() -> None:
    """Every worker process of this build (brochures, flyers, the languages' mkdocs)."""
    for child in multiprocessing.active_children():
        child.terminate()


def exit_as_terminated() -> None:
    """After cleaning up: end with SIGTERM's own status, as the caller expects."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def out_of_memory_loading(message: str) -> bool:
    """A shared library (Pango, loaded by WeasyPrint through cffi) that could not be mapped
    for want of memory: the loader's words, kept in the error's text. Under an address-space
    limit the loader may instead say it cannot open the file (it exists: the same build
    loads it without the limit), so that counts as memory too where a limit is set."""
    if "failed to map segment" in message or "cannot allocate memory" in message.lower():
        return True
    return "cannot open shared object file" in message and address_space_limited()


def address_space_limited() -> bool:
    """True if this process runs under an address-space limit (ulimit -v)."""
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0] != resource.RLIM_INFINITY


def explain(error: BaseException) -> str | None:
    """One line for a fault of the machine, None for anything else (a bug: a traceback)."""
    if isinstance(error, MemoryError) or (
            isinstance(error, OSError) and error.errno == errno.ENOMEM) or (
            isinstance(error, ImportError | OSError) and out_of_memory_loading(str(error))):
        return _("the build ran out of memory; close other programs or build on a machine"
                 " with more memory")
    if isinstance(error, BrokenProcessPool):
        return _("a worker process of the build ended unexpectedly, most often because the"
                 " memory ran out ({reason})", reason=error)
    if isinstance(error, OSError) and error.errno in DISK_FULL:
        return _("the disk is full ({reason}); free some space, then build again",
                 reason=describe(error))
    if isinstance(error, OSError) and error.errno in NOT_WRITABLE:
        return _("cannot write there ({reason}); make the folder writable or choose"
                 " another one with --out", reason=describe(error))
    return None
