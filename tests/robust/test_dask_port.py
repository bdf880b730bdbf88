"""A Dask cluster starts even when port 8787 (Dask's default dashboard port) is taken, as it is
when two test workers or another program run a cluster at the same time."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

pytest.importorskip("distributed")


@pytest.fixture
def port_8787_taken() -> Iterator[None]:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 8787))
    except OSError:  # already taken by someone else: the condition under test holds anyway
        s.close()
        yield
        return
    s.listen(1)
    try:
        yield
    finally:
        s.close()


def test_clusters_start_with_port_8787_taken(port_8787_taken: None) -> None:
    from tightrope.events.scale import dask_client
    from tightrope.minefield.robust.distributed import dask_executor

    with dask_client(workers=1) as client:
        assert client.submit(sum, [1, 2]).result() == 3
    with dask_executor(1, processes=False, measure=False) as ex:
        assert ex is not None
