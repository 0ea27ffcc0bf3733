"""Jobs in worker processes: the work reaches them by fork, results come back by job, and
no worker outlives the jobs, whether they succeed or one fails."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
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


def lay_out_for_long(pids: Path) -> None:
    """A worker's job that runs work apart (as a brochure's layout) which takes long."""
    def long_layout() -> None:
        pids.write_text(f"{os.getppid()} {os.getpid()}")
        time.sleep(60)
    workers.run_apart(long_layout)


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for its parent to read its status."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_work_apart_ends_when_its_worker_is_killed(tmp_path: Path) -> None:
    """SIGKILL (or the kernel, for want of memory) ends a worker without a word to the
    processes it forked: a layout left behind would run on, then wait for work forever."""
    pids = tmp_path / "pids"
    build = multiprocessing.get_context("fork").Process(
        target=workers.run_jobs, args=(lay_out_for_long, [pids]))
    build.start()
    deadline = time.monotonic() + 30
    while not pids.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    worker, layout = map(int, pids.read_text().split())
    try:
        assert alive(layout)
        os.kill(worker, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while alive(layout) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(layout)
    finally:
        if alive(layout):
            os.kill(layout, signal.SIGKILL)
        build.kill()
        build.join()
