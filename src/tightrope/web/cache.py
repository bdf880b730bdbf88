"""Results cached in the server process, keyed by the store's version.

A profile takes seconds to compute (the world ranking, the exposure Monte Carlo) and the same
store gives the same answer, so the server keeps answers in memory. Each entry is stored under
the store's version (what was loaded, with content hashes and load times): after a reload the
version changes and every entry computed from the old data is dropped.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["VersionedCache"]

T = TypeVar("T")


class VersionedCache(Generic[T]):
    """At most ``maxsize`` values by key, all of the store version ``version()`` returns.

    >>> v = [1]
    >>> c = VersionedCache(lambda: v[0])
    >>> c.get("KAZ", lambda: "old"), c.get("KAZ", lambda: "new"), c.misses
    ('old', 'old', 1)
    >>> v[0] = 2  # the data were reloaded
    >>> c.get("KAZ", lambda: "new"), c.misses
    ('new', 2)
    """

    def __init__(self, version: Callable[[], Hashable], maxsize: int = 256) -> None:
        self._version_of = version
        self._maxsize = maxsize
        self._version: Hashable = None
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        #: values computed (cache misses), for tests and the health endpoint
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value of ``key`` for the current store version, computed once per version."""
        version = self._version_of()
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = compute()  # outside the lock: other keys are served meanwhile
        with self._lock:
            self.misses += 1
            if version == self._version:
                self._values[key] = value
                while len(self._values) > self._maxsize:
                    self._values.popitem(last=False)
        return value
