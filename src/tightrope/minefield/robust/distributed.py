"""Scale-out: the same tasks on a Dask ``distributed`` cluster (``--engine dask``).

Why Dask rather than Ray: Dask is a pip package without a large runtime (+37 MB here against
+253 MB for Ray), a ``LocalCluster`` starts in about 1.7 s on this machine (Ray: 6.3 s and
~720 MB idle; /work/shared/reference/stack-notes.md), CI can run the very code path on a local
cluster inside the test process, and the same code reaches a real cluster through a scheduler
address. Ray's strengths (actors, a shared object store for large arrays) are not needed: a
task ships a policy and a block of parameter samples (kilobytes) and returns a few columns.

Scheduler overhead is kept small by batching: one task is one policy on a block of futures
worth :data:`~tightrope.minefield.robust.evaluate.TASK_TRAJECTORIES` trajectories (seconds of
work), against a measured round trip of a few milliseconds per task. The scenario is scattered
to the workers once.

Worker processes are started **without** Dask's default ``MALLOC_TRIM_THRESHOLD_=65536``: that
setting turns off glibc's dynamic mmap threshold, so every temporary array the engine makes
(hundreds of kB each, many per quarter) is mmap-ed, page-faulted and unmapped again — measured
here, it made the engine 4–5 times slower in a worker than in the main process. Workers of an
existing cluster (``scheduler=``) keep whatever their operator configured; start them with
``MALLOC_TRIM_THRESHOLD_`` unset for the same speed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from tightrope.extras import require_extra
from tightrope.minefield.robust.evaluate import Task, TaskResult, run_task
from tightrope.minefield.spec import Scenario

__all__ = ["DaskExecutor", "dask_executor"]


def _noop(i: int) -> int:
    return i


@dataclass
class DaskExecutor:
    """Runs tasks on a ``distributed.Client``; results arrive as tasks finish."""

    client: Any
    workers: int
    name: str = "dask"
    noop_ms_per_task: float | None = None
    startup_s: float | None = None

    def measure_overhead(self, n: int = 32) -> float:
        """Milliseconds per round trip of an empty task (submit → result)."""
        t0 = time.perf_counter()
        futs = self.client.map(_noop, range(n), pure=False)
        self.client.gather(futs)
        self.noop_ms_per_task = 1000 * (time.perf_counter() - t0) / n
        return self.noop_ms_per_task

    def run(self, scenario: Scenario, tasks: list[Task], runs: int, seed: int,
            horizon: int | None, chunk_trajectories: int) -> Iterator[TaskResult]:
        from distributed import as_completed

        # hash=False: a fresh key per sweep, so releasing an earlier sweep's copy cannot race
        # with this one ("lost dependencies")
        sc = self.client.scatter(scenario, broadcast=True, hash=False)
        futs = [self.client.submit(run_task, sc, t, runs, seed, horizon, chunk_trajectories,
                                   pure=False) for t in tasks]
        for f in as_completed(futs):  # type: ignore[no-untyped-call]
            res: TaskResult = f.result()
            yield res


@contextmanager
def dask_executor(workers: int = 2, *, processes: bool = True, scheduler: str | None = None,
                  measure: bool = True) -> Iterator[DaskExecutor]:
    """A :class:`DaskExecutor` on a new ``LocalCluster`` (``workers`` single-threaded workers,
    processes or threads) or on an existing scheduler address; closed on exit."""
    require_extra("dask", "the Dask engine")
    import dask
    from distributed import Client, LocalCluster

    t0 = time.perf_counter()
    if scheduler:
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            n = len(client.scheduler_info().get("workers", {})) or 1
            ex = DaskExecutor(client, n, startup_s=time.perf_counter() - t0)
            if measure:
                ex.measure_overhead()
            yield ex
        return
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}), \
            LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=max(1, workers), threads_per_worker=1, processes=processes,
                dashboard_address="127.0.0.1:0",  # a free loopback port, never a fixed 8787
            ) as cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        ex = DaskExecutor(client, max(1, workers), startup_s=time.perf_counter() - t0)
        if measure:
            ex.measure_overhead()
        yield ex
