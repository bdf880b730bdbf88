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


def gdelt_format(width: int) -> EventFormat:
    """The GDELT format for a file whose lines have ``width`` fields (57, 58 or 61)."""
    if width not in GDELT_WIDTHS:
        raise ValueError(f"a GDELT event file has 57, 58 or 61 fields per line, not {width}")
    return EventFormat(
        name="gdelt",
        dataset=GDELT_WIDTHS[width],
        include=tuple(sorted(GDELT_COLUMNS.values())),
        columns=GDELT_COLUMNS,
        width=width,
    )
