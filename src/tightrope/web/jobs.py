"""Long jobs off the request thread: a bounded queue, progress, cancellation.

A job is a function ``fn(progress, cancelled) -> result`` where ``progress(done, total, note)``
reports progress and ``cancelled()`` tells the job to stop. Jobs run on a small thread pool;
at most ``max_pending`` jobs may wait or run at once, beyond that ``submit`` refuses.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Job", "JobCancelled", "JobManager", "QueueFull"]

Progress = Callable[[int, int, str], None]
JobFn = Callable[[Progress, Callable[[], bool]], Any]


class QueueFull(Exception):
    """Too many jobs are waiting or running."""


class JobCancelled(Exception):
    """Raised inside a job that noticed it was cancelled."""


@dataclass
class Job:
    id: str
    kind: str
    status: str = "queued"  # queued | running | done | failed | cancelled
    done: int = 0
    total: int = 0
    note: str = ""
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    cancel_event: threading.Event = field(default_factory=threading.Event)

    def to_json(self, with_result: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "kind": self.kind, "status": self.status,
                             "done": self.done, "total": self.total, "note": self.note,
                             "error": self.error}
        if with_result and self.status == "done":
            d["result"] = self.result
        return d


class JobManager:
    """Runs jobs on ``workers`` threads; keeps the last ``keep`` finished jobs."""

    def __init__(self, workers: int = 2, max_pending: int = 8, keep: int = 64) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tightrope-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.max_pending = max_pending
        self.keep = keep

    def active(self) -> int:
        with self._lock:
            return sum(j.status in ("queued", "running") for j in self._jobs.values())

    def submit(self, kind: str, fn: JobFn) -> Job:
        with self._lock:
            if sum(j.status in ("queued", "running") for j in self._jobs.values()) \
                    >= self.max_pending:
                raise QueueFull(f"{self.max_pending} jobs are already queued or running")
            job = Job(uuid.uuid4().hex[:12], kind)
            self._jobs[job.id] = job
            finished = [k for k, j in self._jobs.items()
                        if j.status in ("done", "failed", "cancelled")]
            for k in finished[: max(0, len(finished) - self.keep)]:
                del self._jobs[k]
        self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: Job, fn: JobFn) -> None:
        if job.cancel_event.is_set():
            job.status = "cancelled"
            return
        job.status = "running"

        def progress(done: int, total: int, note: str = "") -> None:
            job.done, job.total, job.note = done, total, note
            if job.cancel_event.is_set():
                raise JobCancelled()

        try:
            job.result = fn(progress, job.cancel_event.is_set)
            job.status = "cancelled" if job.cancel_event.is_set() else "done"
        except JobCancelled:
            job.status = "cancelled"
        except Exception as e:  # reported to the page, the server keeps running
            job.status = "failed"
            job.error = " ".join(str(e).split()) or type(e).__name__

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None and job.status in ("queued", "running"):
            job.cancel_event.set()
            if job.status == "queued":
                job.status = "cancelled"
        return job

    def shutdown(self) -> None:
        for j in list(self._jobs.values()):
            j.cancel_event.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
