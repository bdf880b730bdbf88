"""GDELT 1.0 and 2.0 event exports, read by column position as the codebooks give them.

Layouts (TAB-separated, no header):

* GDELT 1.0 historical backfiles: 57 fields (geography without ADM2, DATEADDED last);
* GDELT 1.0 daily updates (from April 2013): 58 fields (SOURCEURL added);
* GDELT 2.0 15-minute updates: 61 fields (ADM2Code in each of the three geographies).

The first 35 fields are the same in all three, and those are the ones read: GLOBALEVENTID (0),
SQLDATE (1), Actor1Name (6), Actor1CountryCode (7), Actor1KnownGroupCode (8), Actor2Name (16),
Actor2CountryCode (17), Actor2KnownGroupCode (18), EventCode (26, a string: "043" not 43),
QuadClass (29), GoldsteinScale (30), NumMentions (31).

References:
    Leetaru, K. & Schrodt, P. A. (2013). GDELT: Global Data on Events, Location and Tone,
    1979-2012. ISA Annual Convention. The GDELT Project, *GDELT Event Database Data Format
    Codebook V1.03* (2013) and *GDELT 2.0 Event Database Codebook V2.0* (2015).
"""

from __future__ import annotations

from tightrope.ingest.eventformat import EventFormat

__all__ = ["GDELT_COLUMNS", "GDELT_WIDTHS", "gdelt_format"]

#: Field count -> edition.
GDELT_WIDTHS: dict[int, str] = {57: "gdelt1", 58: "gdelt1", 61: "gdelt2"}

#: 0-based positions of the fields read (identical in 57/58/61-field files).
GDELT_COLUMNS: dict[str, int] = {
    "GLOBALEVENTID": 0,
    "SQLDATE": 1,
    "Actor1Name": 6,
    "Actor1CountryCode": 7,
    "Actor1KnownGroupCode": 8,
    "Actor2Name": 16,
    "Actor2CountryCode": 17,
    "Actor2KnownGroupCode": 18,
    "EventCode": 26,
    "QuadClass": 29,
    "GoldsteinScale": 30,
    "NumMentions": 31,
}

_C = {k: f"c{v}" for k, v in GDELT_COLUMNS.items()}

# `_iso3` (code) is a look-up table of valid country codes registered by the store.
_STAGE = f"""
SELECT
    'gdelt' AS id_space,
    TRY_CAST({_C['GLOBALEVENTID']} AS BIGINT) AS event_id,
    CAST(try_strptime({_C['SQLDATE']}, '%Y%m%d') AS DATE) AS event_date,
    NULLIF({_C['Actor1Name']}, '') AS source_actor,
    NULL AS source_place,
    CASE WHEN {_C['Actor1CountryCode']} IN (SELECT code FROM _iso3)
         THEN {_C['Actor1CountryCode']}
         WHEN {_C['Actor1CountryCode']} = '' AND {_C['Actor1KnownGroupCode']} = 'EEC'
         THEN 'EUU' END AS source_iso3,
    NULLIF({_C['Actor2Name']}, '') AS target_actor,
    NULL AS target_place,
    CASE WHEN {_C['Actor2CountryCode']} IN (SELECT code FROM _iso3)
         THEN {_C['Actor2CountryCode']}
         WHEN {_C['Actor2CountryCode']} = '' AND {_C['Actor2KnownGroupCode']} = 'EEC'
         THEN 'EUU' END AS target_iso3,
    {_C['EventCode']} AS code_raw,
    NULL AS label_raw,
    TRY_CAST({_C['QuadClass']} AS TINYINT) AS quad_class,
    TRY_CAST({_C['GoldsteinScale']} AS DOUBLE) AS goldstein,
    'event' AS goldstein_from,
    TRY_CAST(NULLIF({_C['NumMentions']}, '') AS INTEGER) AS num_mentions,
    line,
    CASE
        WHEN TRY_CAST({_C['GLOBALEVENTID']} AS BIGINT) IS NULL
            THEN 'GLOBALEVENTID is not an integer'
        WHEN try_strptime({_C['SQLDATE']}, '%Y%m%d') IS NULL
            THEN 'SQLDATE is not a YYYYMMDD date'
        WHEN NOT regexp_full_match({_C['EventCode']}, '[0-9]{{2,4}}')
            THEN 'EventCode is not a CAMEO code of 2-4 digits'
        WHEN coalesce(TRY_CAST({_C['QuadClass']} AS TINYINT) NOT BETWEEN 1 AND 4, true)
            THEN 'QuadClass is not 1-4'
        WHEN coalesce(TRY_CAST({_C['GoldsteinScale']} AS DOUBLE) NOT BETWEEN -10 AND 10, true)
            THEN 'GoldsteinScale is not a number in [-10, 10]'
        WHEN {_C['NumMentions']} <> '' AND TRY_CAST({_C['NumMentions']} AS INTEGER) IS NULL
            THEN 'NumMentions is not an integer'
    END AS reason
FROM _chunk
"""


def gdelt_format(width: int) -> EventFormat:
    """The GDELT format for a file whose lines have ``width`` fields (57, 58 or 61)."""
    if width not in GDELT_WIDTHS:
        raise ValueError(f"a GDELT event file has 57, 58 or 61 fields per line, not {width}")
    return EventFormat(
        name="gdelt",
        dataset=GDELT_WIDTHS[width],
        include=tuple(sorted(GDELT_COLUMNS.values())),
        stage_sql=_STAGE,
        width=width,
    )
