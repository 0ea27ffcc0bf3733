"""Work in parallel: the one way a stage runs its jobs in worker processes.

The site's languages, the brochures and the flyers each hand `run_jobs` a function of one
job and the list of jobs. The function, and everything it refers to (the model, the HTML of
the flyers), reaches the workers by fork: each worker process starts as a copy of this one,
so nothing of it is pickled; only a job (a language code, a file name) and its result travel
between the processes. Nothing is kept in this process once the jobs are done.

The workers end with the build: on an exception here (Ctrl-C, a job that failed) the jobs
not yet begun are cancelled and the running ones finish first; SIGTERM ends them at once
(faults.end_workers); a worker whose parent is killed ends by itself. A worker that dies
(most often for want of memory) is a BrokenProcessPool, which faults.explain says in words.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

Job = TypeVar("Job", bound=Hashable)
Result = TypeVar("Result")

# The function of the jobs, in a worker process only: set by `start_worker` when the worker
# starts, from the copy of this process that fork made.
_work: Callable[[Any], Any] | None = None
PARENT_CHECK = 0.5  # seconds between a worker's checks that its parent is alive


def worker_count(jobs: int, most: int | None = None) -> int:
    """One process per core, but no more than there are jobs, nor more than `most` (for
    jobs that need much memory each)."""
    return max(1, min(jobs, most or os.cpu_count() or 2))


def start_worker(work: Callable[[Any], Any]) -> None:
    global _work
    _work = work
    threading.Thread(target=end_with_parent, args=(os.getppid(),), daemon=True).start()


def end_with_parent(parent: int) -> None:
    """A worker whose parent was killed (SIGKILL, the kernel for want of memory) ends too:
    nothing would ever ask it for work again, and a layout would run on for nothing."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def run_job(job: Any) -> Any:
    """One job, in a worker process."""
    assert _work is not None, "start_worker runs first"
    return _work(job)


def run_jobs(work: Callable[[Job], Result], jobs: Sequence[Job], most: int | None = None,
             done: Callable[[Job, Result], None] | None = None) -> dict[Job, Result]:
    """`work(job)` for every job in forked worker processes (`worker_count`); the results
    by job, in the order of `jobs`. `done(job, result)` is called here as each job is done,
    e.g. to tell the progress."""
    if not jobs:
        return {}
    results: dict[Job, Result] = {}
    with ProcessPoolExecutor(max_workers=worker_count(len(jobs), most),
                             mp_context=multiprocessing.get_context("fork"),
                             initializer=start_worker, initargs=(work,)) as pool:
        try:
            futures = {pool.submit(run_job, job): job for job in jobs}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if done is not None:
                    done(futures[future], results[futures[future]])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # the running ones finish first
            raise
    return {job: results[job] for job in jobs}


def run_apart(work: Callable[..., Result], *args: Any) -> Result:
    """`work(*args)` in a forked process of its own, which ends with it: the memory the work
    took goes back to the system. CPython keeps most freed memory for its own reuse, so a
    process that has laid out a large document stays that large."""
    return run_jobs(lambda _: work(*args), [None])[None]
