"""Jobs in worker processes: the work reaches them by fork, results come back by job, and
no worker outlives the jobs, whether they succeed or one fails."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest

from wegweiser import workers


def test_results_by_job_in_the_order_of_the_jobs() -> None:
    done: list[str] = []
    results = workers.run_jobs(str.upper, ["de", "en", "ar"], done=lambda job, _: done.append(job))
    assert list(results.items()) == [("de", "DE"), ("en", "EN"), ("ar", "AR")]
    assert sorted(done) == ["ar", "de", "en"]  # each once, as it was done
    assert multiprocessing.active_children() == []


def test_the_work_reaches_the_workers_by_fork_not_by_pickle() -> None:
    lock = threading.Lock()  # cannot be pickled
    shared = {"de": "Wegweiser", "en": "Guide"}

    def work(code: str) -> tuple[str, int]:
        with lock:
            return shared[code], os.getpid()

    results = workers.run_jobs(work, ["de", "en"])
    assert {code: text for code, (text, _pid) in results.items()} == shared
    assert all(pid != os.getpid() for _text, pid in results.values())


def fail_on_ar(code: str) -> str:
    if code == "ar":
        raise ValueError(f"no brochure for {code}")
    return code


def test_a_failed_job_ends_the_jobs_and_its_workers() -> None:
    with pytest.raises(ValueError, match="no brochure for ar"):
        workers.run_jobs(fail_on_ar, ["de", "ar", "en", "fa", "uk", "ru", "tr"])
    assert multiprocessing.active_children() == []


def test_no_jobs_start_no_workers() -> None:
    assert workers.run_jobs(fail_on_ar, []) == {}


def test_worker_count() -> None:
    cores = os.cpu_count() or 2
    assert workers.worker_count(1) == 1
    assert workers.worker_count(1000) == cores
    assert workers.worker_count(1000, most=2) == 2  # the brochures' memory, not the cores


def resident_kib() -> int:
    """This process's resident memory now (KiB)."""
    status = Path("/proc/self/status").read_text(encoding="utf-8")
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])


def hold_a_large_list(size: int) -> tuple[int, int]:
    """This process's id, and how much its resident memory grew holding `size` integers."""
    start = resident_kib()
    held = list(range(size))
    grown = resident_kib() - start
    del held
    return os.getpid(), grown


def test_work_apart_runs_in_a_process_of_its_own_that_ends_with_it() -> None:
    """A worker lays each brochure out this way (brochure.Work.lay_out): the memory of the
    layout is that process's, and it is gone when the result is back."""
    before = resident_kib()
    pid, grown = workers.run_apart(hold_a_large_list, 5_000_000)  # some 190 MB
    assert pid != os.getpid()
    assert multiprocessing.active_children() == []
    assert grown > 100_000  # the list was there, not here
    assert resident_kib() - before < 50_000

def test_a_failure_apart_is_raised_here() -> None:
    with pytest.raises(ValueError, match="no brochure for ar"):
        workers.run_apart(fail_on_ar, "ar")
    assert multiprocessing.active_children() == []
