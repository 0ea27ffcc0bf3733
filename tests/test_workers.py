"""Jobs in worker processes: the work reaches them by fork, results come back by job, and
no worker outlives the jobs, whether they succeed or one fails."""

from __future__ import annotations

import multiprocessing
import os
import threading

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
