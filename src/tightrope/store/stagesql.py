"""The SQL that stages a chunk of an event file, one statement per format.

A reader (:mod:`tightrope.ingest.gdelt`, :mod:`tightrope.ingest.icews`) describes its format as
an :class:`~tightrope.ingest.eventformat.EventFormat`: the fields it reads and where they are.
Here each format becomes one ``SELECT`` over ``_chunk`` (string columns ``c<i>`` plus ``line``)
yielding the staging columns of :data:`tightrope.ingest.eventformat.STAGE_COLUMNS`, including a
``reason`` that is NULL for a good row and names the problem otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from tightrope.ingest.eventformat import EventFormat

__all__ = ["stage_sql"]


def _gdelt_actor(c: dict[str, str], n: int, role: str) -> str:
    """Actor ``n``'s name, place and country code; the EU (known group EEC) counts as EUU."""
    code, group = c[f"Actor{n}CountryCode"], c[f"Actor{n}KnownGroupCode"]
    return f"""NULLIF({c[f'Actor{n}Name']}, '') AS {role}_actor,
    NULL AS {role}_place,
    CASE WHEN {code} IN (SELECT code FROM _iso3) THEN {code}
         WHEN {code} = '' AND {group} = 'EEC' THEN 'EUU' END AS {role}_iso3"""


def _gdelt(fmt: EventFormat) -> str:
    # `_iso3` (code) is a look-up table of valid country codes registered by the store.
    # Each field is converted once (the inner SELECT); the reason tests the converted values.
    c = {k: f"c{v}" for k, v in fmt.columns.items()}
    return f"""
SELECT
    'gdelt' AS id_space, event_id, CAST(day AS DATE) AS event_date,
    source_actor, source_place, source_iso3, target_actor, target_place, target_iso3,
    code_raw, NULL AS label_raw, quad_class, goldstein, 'event' AS goldstein_from,
    num_mentions, line,
    CASE
        WHEN event_id IS NULL THEN 'GLOBALEVENTID is not an integer'
        WHEN day IS NULL THEN 'SQLDATE is not a YYYYMMDD date'
        WHEN NOT regexp_full_match(code_raw, '[0-9]{{2,4}}')
            THEN 'EventCode is not a CAMEO code of 2-4 digits'
        WHEN coalesce(quad_class NOT BETWEEN 1 AND 4, true) THEN 'QuadClass is not 1-4'
        WHEN coalesce(goldstein NOT BETWEEN -10 AND 10, true)
            THEN 'GoldsteinScale is not a number in [-10, 10]'
        WHEN mentions_raw <> '' AND num_mentions IS NULL THEN 'NumMentions is not an integer'
    END AS reason
FROM (
    SELECT
        TRY_CAST({c['GLOBALEVENTID']} AS BIGINT) AS event_id,
        try_strptime({c['SQLDATE']}, '%Y%m%d') AS day,
        {_gdelt_actor(c, 1, "source")},
        {_gdelt_actor(c, 2, "target")},
        {c['EventCode']} AS code_raw,
        TRY_CAST({c['QuadClass']} AS TINYINT) AS quad_class,
        TRY_CAST({c['GoldsteinScale']} AS DOUBLE) AS goldstein,
        {c['NumMentions']} AS mentions_raw,
        TRY_CAST(NULLIF({c['NumMentions']}, '') AS INTEGER) AS num_mentions,
        line
    FROM _chunk
)
"""


def _icews(fmt: EventFormat) -> str:
    pos = fmt.columns
    c = {k: f"c{pos[k]}" for k in pos}
    date = (f"coalesce(try_strptime({c['Event Date']}, '%Y-%m-%d'), "
            f"try_strptime({c['Event Date']}, '%Y/%m/%d'))")
    intensity = f"TRY_CAST(NULLIF(trim({c['Intensity']}), '') AS DOUBLE)"
    sql = f"""
SELECT 'icews' AS id_space, TRY_CAST({c['Event ID']} AS BIGINT) AS event_id,
    CAST({date} AS DATE) AS event_date,
    NULLIF(trim({c['Source Name']}), '') AS source_actor,
    NULLIF(trim({c['Source Country']}), '') AS source_place, NULL AS source_iso3,
    NULLIF(trim({c['Target Name']}), '') AS target_actor,
    NULLIF(trim({c['Target Country']}), '') AS target_place, NULL AS target_iso3,
    trim({c['CAMEO Code']}) AS code_raw, NULL AS label_raw, NULL AS quad_class,
    {intensity} AS goldstein, 'icews-intensity' AS goldstein_from,
    NULL AS num_mentions, line,
    CASE
        WHEN TRY_CAST({c['Event ID']} AS BIGINT) IS NULL THEN 'Event ID is not an integer'
        WHEN {date} IS NULL THEN 'Event Date is not a YYYY-MM-DD date'
        WHEN NOT regexp_full_match(trim({c['CAMEO Code']}), '[0-9]{{2,4}}')
            THEN 'CAMEO Code is not a code of 2-4 digits'
        WHEN trim({c['Intensity']}) <> '' AND coalesce({intensity} NOT BETWEEN -10 AND 10, true)
            THEN 'Intensity is not a number in [-10, 10]'
    END AS reason
FROM _chunk
"""
    return sql


def _icews_tkg(fmt: EventFormat) -> str:
    if fmt.base_date is None:
        raise ValueError("the icews-tkg format needs a base date")  # set by tkg_format
    base, div = fmt.base_date, fmt.time_divisor
    ids = [f"TRY_CAST(trim(c{i}) AS BIGINT)" for i in range(4)]
    sql = f"""
SELECT 'sha' AS id_space, NULL AS event_id,
    DATE '{base.isoformat()}' + CAST({ids[3]} // {div} AS INTEGER) AS event_date,
    se.name AS source_actor, NULL AS source_place, NULL AS source_iso3,
    oe.name AS target_actor, NULL AS target_place, NULL AS target_iso3,
    NULL AS code_raw, r.name AS label_raw, NULL AS quad_class, NULL AS goldstein,
    NULL AS goldstein_from, NULL AS num_mentions, line,
    CASE
        WHEN {ids[0]} IS NULL OR {ids[1]} IS NULL OR {ids[2]} IS NULL OR {ids[3]} IS NULL
            THEN 'subject, relation, object and time must be integers'
        WHEN {ids[3]} < 0 THEN 'time is negative'
        WHEN se.name IS NULL THEN 'subject id ' || trim(c0) || ' is not in entity2id.txt'
        WHEN r.name IS NULL THEN 'relation id ' || trim(c1) || ' is not in relation2id.txt'
        WHEN oe.name IS NULL THEN 'object id ' || trim(c2) || ' is not in entity2id.txt'
    END AS reason
FROM _chunk
LEFT JOIN _ent se ON se.id = {ids[0]}
LEFT JOIN _rel r ON r.id = {ids[1]}
LEFT JOIN _ent oe ON oe.id = {ids[2]}
"""
    return sql


def _mmkb(fmt: EventFormat) -> str:
    sql = """
SELECT 'sha' AS id_space, NULL AS event_id,
    CAST(try_strptime(trim(c3), '%Y-%m-%d') AS DATE) AS event_date,
    NULLIF(replace(trim(c0), '_', ' '), '') AS source_actor, NULL AS source_place,
    NULL AS source_iso3,
    NULLIF(replace(trim(c2), '_', ' '), '') AS target_actor, NULL AS target_place,
    NULL AS target_iso3,
    NULL AS code_raw, NULLIF(trim(c1), '') AS label_raw, NULL AS quad_class,
    NULL AS goldstein, NULL AS goldstein_from, NULL AS num_mentions, line,
    CASE
        WHEN try_strptime(trim(c3), '%Y-%m-%d') IS NULL THEN 'date is not YYYY-MM-DD'
        WHEN trim(c0) = '' THEN 'empty subject'
        WHEN trim(c1) = '' THEN 'empty relation'
        WHEN trim(c2) = '' THEN 'empty object'
    END AS reason
FROM _chunk
"""
    return sql


_BUILDERS: dict[str, Callable[[EventFormat], str]] = {
    "gdelt": _gdelt, "icews": _icews, "icews-tkg": _icews_tkg, "mmkb": _mmkb,
}


def stage_sql(fmt: EventFormat) -> str:
    """The staging ``SELECT`` of ``fmt`` over a chunk registered as ``_chunk``."""
    return _BUILDERS[fmt.name](fmt)
