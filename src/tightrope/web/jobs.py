"""Long jobs off the request thread: a bounded queue, progress, cancellation.

A job is a function ``fn(progress, cancelled) -> result`` where ``progress(done, total, note)``
reports progress and ``cancelled()`` tells the job to stop. Jobs run on a small thread pool;
at most ``max_pending`` jobs may wait or run at once, beyond that ``submit`` refuses.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from tightrope.progress import Progress

__all__ = ["Job", "JobCancelled", "JobManager", "QueueFull"]

JobFn = Callable[[Progress, Callable[[], bool]], Any]


class QueueFull(Exception):
    """Too many jobs are waiting or running."""


class JobCancelled(Exception):
    """Raised inside a job that noticed it was cancelled."""


@dataclass
class Job:
    id: str
    kind: str
    #: the client that started it (its id from the dashboard's cookie); not shown in JSON
    owner: str = ""
    status: str = "queued"  # queued | running | done | failed | cancelled
    done: int = 0
    total: int = 0
    note: str = ""
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    cancel_event: threading.Event = field(default_factory=threading.Event)
    #: (monotonic time, fraction) at the first report of work done, for the time left
    first_report: tuple[float, float] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def report(self, done: int, total: int, note: str = "") -> None:
        """Record a progress report of the job's computation (ignored once it has ended)."""
        with self.lock:
            if self.status not in ("queued", "running"):
                return
            self.done, self.total, self.note = done, total, note
            if self.first_report is None and total > 0 and 0 < done < total:
                self.first_report = (time.monotonic(), done / total)

    def finish(self, status: str, result: Any = None, error: str | None = None) -> None:
        """The job ended: with ``done`` its result is stored, and only then is it complete."""
        with self.lock:
            if status == "done":
                self.result = result
                self.total = self.total or 1
                self.done = self.total
            elif status == "failed":
                self.error = error
            self.status = status

    def fraction(self) -> float:
        """Share of the work done: 1 only once the result is stored, below 1 before."""
        if self.status == "done":
            return 1.0
        if self.total <= 0:
            return 0.0
        return min(self.done / self.total, 0.999)

    def seconds_left(self) -> float | None:
        """Time left at the rate observed since the first report (``None`` until known)."""
        f = self.fraction()
        if self.status != "running" or self.first_report is None:
            return 0.0 if self.status == "done" else None
        t0, f0 = self.first_report
        elapsed = time.monotonic() - t0
        if f <= f0 or elapsed <= 0:
            return None
        return elapsed * (1.0 - f) / (f - f0)

    def encoded(self) -> bytes:
        """``to_json()`` as JSON bytes; a finished job's encoding is computed once."""
        if self.status == "done":
            cached: bytes | None = getattr(self, "_encoded", None)
            if cached is None:
                cached = json.dumps(self.to_json(), default=str).encode()
                self._encoded = cached
            return cached
        return json.dumps(self.to_json(), default=str).encode()

    def to_json(self, with_result: bool = True) -> dict[str, Any]:
        left = self.seconds_left()
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "status": self.status,
                             "done": self.done, "total": self.total, "note": self.note,
                             "fraction": self.fraction(),
                             "seconds_left": None if left is None else round(left, 1),
                             "error": self.error}
        if with_result and self.status == "done":
            d["result"] = self.result
        return d


def _lower_priority() -> None:
    """Worker processes yield the CPU to the API: a page request should not wait behind a
    simulation (Unix nice 10; ignored where unsupported)."""
    import os

    with contextlib.suppress(AttributeError, OSError):
        os.nice(10)


def _run_in_child(kind: str, params: dict[str, Any], job_id: str, shared: Any,
                  cancel: Any) -> tuple[str, Any]:
    """Runs in a worker process: the job kind's runner, progress and cancel through ``shared``
    and ``cancel`` (manager dicts), checked at most every 50 ms to keep the IPC cheap."""
    from tightrope.errors import TightropeError
    from tightrope.web.jobrun import RUNNERS

    last = [0.0]

    def progress(done: int, total: int, note: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < 0.05 and done < total:
            return
        last[0] = now
        shared[job_id] = (done, total, note)
        if cancel.get(job_id):
            raise JobCancelled()

    try:
        return "done", RUNNERS[kind](params, progress)
    except JobCancelled:
        return "cancelled", None
    except TightropeError as e:
        return "failed", e.one_line()
    except Exception as e:  # reported to the page; the worker and the server keep running
        return "failed", " ".join(str(e).split()) or type(e).__name__


class JobManager:
    """Runs jobs and keeps the last ``keep`` finished ones.

    ``submit(kind, fn)`` runs a function on a thread; ``submit_kind(kind, params)`` runs the
    registered runner of ``kind`` (:mod:`tightrope.web.jobrun`) in one of ``workers`` worker
    processes, so long simulations do not hold the API's interpreter lock.
    """

    def __init__(self, workers: int = 2, max_pending: int = 8, keep: int = 64,
                 processes: bool = False) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tightrope-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.max_pending = max_pending
        self.keep = keep
        self._procs: ProcessPoolExecutor | None = None
        self._futures: dict[str, Future[tuple[str, Any]]] = {}
        if processes:
            ctx = mp.get_context("spawn")
            self._manager = ctx.Manager()
            self._shared = self._manager.dict()
            self._cancel = self._manager.dict()
            self._procs = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                              initializer=_lower_priority)

    def active(self) -> int:
        with self._lock:
            return sum(j.status in ("queued", "running") for j in self._jobs.values())

    def _new_job(self, kind: str, owner: str) -> Job:
        with self._lock:
            if sum(j.status in ("queued", "running") for j in self._jobs.values()) \
                    >= self.max_pending:
                raise QueueFull(f"{self.max_pending} jobs are already queued or running")
            job = Job(uuid.uuid4().hex[:12], kind, owner)
            self._jobs[job.id] = job
            finished = [k for k, j in self._jobs.items()
                        if j.status in ("done", "failed", "cancelled")]
            for k in finished[: max(0, len(finished) - self.keep)]:
                del self._jobs[k]
                self._futures.pop(k, None)
        return job

    def submit_kind(self, kind: str, params: dict[str, Any], owner: str = "") -> Job:
        """Run the registered runner of ``kind`` on ``params`` in a worker process."""
        if self._procs is None:
            from tightrope.web.jobrun import RUNNERS

            return self.submit(kind, lambda progress, cancelled: RUNNERS[kind](params, progress),
                               owner)
        job = self._new_job(kind, owner)
        job.status = "running"
        fut = self._procs.submit(_run_in_child, kind, params, job.id, self._shared, self._cancel)
        self._futures[job.id] = fut

        def finished(f: Future[tuple[str, Any]]) -> None:
            if f.cancelled():
                job.status = "cancelled"
                return
            try:
                status, payload = f.result()
            except Exception as e:  # a worker died: report it, keep serving
                status, payload = "failed", f"worker process failed: {e}"
            job.finish(status, payload if status == "done" else None,
                       payload if status == "failed" else None)

        fut.add_done_callback(finished)
        return job

    def submit(self, kind: str, fn: JobFn, owner: str = "") -> Job:
        """Run ``fn(progress, cancelled)`` on a thread of this process."""
        job = self._new_job(kind, owner)
        self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: Job, fn: JobFn) -> None:
        if job.cancel_event.is_set():
            job.status = "cancelled"
            return
        job.status = "running"

        def progress(done: int, total: int, note: str = "") -> None:
            job.report(done, total, note)
            if job.cancel_event.is_set():
                raise JobCancelled()

        try:
            result = fn(progress, job.cancel_event.is_set)
            if job.cancel_event.is_set():
                job.finish("cancelled")
            else:
                job.finish("done", result)
        except JobCancelled:
            job.finish("cancelled")
        except Exception as e:  # reported to the page, the server keeps running
            job.finish("failed", error=" ".join(str(e).split()) or type(e).__name__)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None and job.id in self._futures and job.status == "running":
            p = self._shared.get(job.id)
            if p is not None:
                job.report(*p)
        return job

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None and job.status in ("queued", "running"):
            job.cancel_event.set()
            if job.id in self._futures:
                self._cancel[job.id] = True
                if self._futures[job.id].cancel():
                    job.status = "cancelled"
            elif job.status == "queued":
                job.status = "cancelled"
        return job

    def shutdown(self) -> None:
        """Cancel everything and stop the workers (safe to call twice)."""
        if getattr(self, "_closed", False):
            return
        self._closed = True
        for j in list(self._jobs.values()):
            j.cancel_event.set()
            if j.id in self._futures:
                self._cancel[j.id] = True
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self._procs is not None:
            self._procs.shutdown(wait=False, cancel_futures=True)
            self._manager.shutdown()
