"""How an event file format maps onto the store's staging columns.

Each reader module (:mod:`tightrope.ingest.gdelt`, :mod:`tightrope.ingest.icews`) describes its
format as an :class:`EventFormat`: which fields to read and where they are. The store turns
each format into one SQL ``SELECT`` over a chunk of string columns ``c<i>`` (plus ``line``)
that yields the staging columns below, including a ``reason`` that is NULL for a good row and
names the problem otherwise (:mod:`tightrope.store.stagesql`), and runs it on each chunk; no
reader touches the database.

Staging columns: ``id_space`` ('gdelt', 'icews' or 'sha' = content hash), ``event_id`` BIGINT
(NULL for 'sha'), ``event_date`` DATE, ``source_actor``/``target_actor`` (names),
``source_place``/``target_place`` (a country name given by the format, or NULL),
``source_iso3``/``target_iso3`` (when the format gives codes), ``code_raw`` (CAMEO code field),
``label_raw`` (CAMEO event label), ``quad_class`` TINYINT, ``goldstein`` DOUBLE,
``goldstein_from`` VARCHAR, ``num_mentions`` INTEGER, ``line`` BIGINT, ``reason`` VARCHAR.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

__all__ = ["FORMATS", "STAGE_COLUMNS", "EventFormat"]

#: Format names accepted by ``tightrope events ingest --format``.
FORMATS = ("gdelt", "icews", "icews-tkg", "mmkb")

STAGE_COLUMNS = """
    id_space VARCHAR, event_id BIGINT, event_date DATE,
    source_actor VARCHAR, source_place VARCHAR, source_iso3 VARCHAR,
    target_actor VARCHAR, target_place VARCHAR, target_iso3 VARCHAR,
    code_raw VARCHAR, label_raw VARCHAR, quad_class TINYINT, goldstein DOUBLE,
    goldstein_from VARCHAR, num_mentions INTEGER, line BIGINT, reason VARCHAR
"""


@dataclass(frozen=True)
class EventFormat:
    """A readable event format: the fields to read and what they mean.

    ``columns`` maps a named field (e.g. ``SQLDATE``) to its 0-based position.
    ``width`` None means "as many fields as the header (or the first line) has".
    ``tables`` are small look-up tables (e.g. entity2id) the staging SQL joins, by name.
    ``base_date`` and ``time_divisor`` turn an integer time step into a date (TKG ID form):
    date = base_date + step // time_divisor days.
    """

    name: str
    dataset: str
    include: tuple[int, ...]
    columns: Mapping[str, int] = field(default_factory=dict)
    width: int | None = None
    header: bool = False
    tables: Mapping[str, pa.Table] = field(default_factory=dict)
    base_date: dt.date | None = None
    time_divisor: int = 1

    def __post_init__(self) -> None:
        if self.name not in FORMATS:
            raise ValueError(f"unknown event format {self.name!r}; expected one of {FORMATS}")
