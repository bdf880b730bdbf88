"""Read queries over the world tables of the store (countries, facts, borders, ties …).

Every SQL statement the analyses need lives here or in :mod:`tightrope.store.eventqueries`;
analyses call these functions and never see a connection. Rows come back as dicts keyed by
column name (:data:`Row`), or as plain values where one column is asked for.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from tightrope.store.db import Store

__all__ = [
    "Row",
    "bloc_members",
    "bloc_names",
    "border_pairs",
    "borders_of",
    "capabilities_of",
    "capital_of",
    "countries_by_name",
    "country",
    "country_names",
    "curated_events_near",
    "curated_events_of",
    "defence_pacts",
    "ethnic_groups_of",
    "fact",
    "facts_for",
    "languages_of",
    "loads",
    "memberships_of",
    "parse_issue_counts",
    "parse_issues_of",
    "resources_of",
    "sea_shores",
    "seas_of",
    "shared_orgs",
    "table_names",
    "table_rows",
    "ties_from",
    "trade_partners_of",
    "unga_agreement",
]

#: One row: column name → value.
Row = dict[str, Any]


def _marks(values: Collection[Any]) -> str:
    return ", ".join("?" for _ in values)


def table_names(store: Store) -> set[str]:
    """Names of the tables the store holds."""
    return {r["table_name"] for r in store.query(
        "SELECT table_name FROM information_schema.tables")}


def table_rows(store: Store, tables: Iterable[str]) -> dict[str, int]:
    """Row count of each of ``tables``; only names from :data:`tightrope.store.db.SCHEMA`."""
    known = table_names(store)
    out = {}
    for t in tables:
        if t not in known:
            raise ValueError(f"no table {t!r} in the store schema")  # a caller's bug
        out[t] = int(store.query(f'SELECT count(*) AS n FROM "{t}"')[0]["n"])
    return out


def loads(store: Store) -> list[Row]:
    """What was loaded (``loads`` table), by data set."""
    return store.query("SELECT * FROM loads ORDER BY dataset")


def parse_issue_counts(store: Store) -> list[Row]:
    """Parse issues per field (``field``, ``n``), most first."""
    return store.query(
        "SELECT field, count(*) AS n FROM parse_issues GROUP BY field ORDER BY n DESC")


def country(store: Store, iso3: str) -> Row | None:
    """The ``countries`` row of ``iso3`` (iso3, name, iso2, gec), or None."""
    rows = store.query("SELECT * FROM countries WHERE iso3 = ?", [iso3])
    return rows[0] if rows else None


def country_names(store: Store) -> dict[str, str]:
    """ISO3 → country name."""
    return {r["iso3"]: r["name"] for r in store.query("SELECT iso3, name FROM countries")}


def countries_by_name(store: Store) -> list[tuple[str, str]]:
    """(ISO3, name) of every country, sorted by name."""
    return [(r["iso3"], r["name"])
            for r in store.query("SELECT iso3, name FROM countries ORDER BY name")]


def bloc_names(store: Store) -> dict[str, str]:
    """Bloc code → bloc name."""
    return {r["code"]: r["name"] for r in store.query("SELECT DISTINCT code, name FROM blocs")}


def bloc_members(store: Store, code: str) -> list[str]:
    """ISO3 codes of the members of bloc ``code``, sorted; empty if ``code`` is no bloc."""
    return [r["member"] for r in store.query(
        "SELECT member FROM blocs WHERE code = ? ORDER BY member", [code])]


def facts_for(store: Store, iso3: str) -> list[Row]:
    """All ``country_facts`` rows of ``iso3``, by attribute."""
    return store.query("SELECT * FROM country_facts WHERE iso3 = ? ORDER BY attribute", [iso3])


def fact(store: Store, iso3: str, attribute: str) -> Row | None:
    """The sourced fact (kind 'fact') ``attribute`` of ``iso3``, or None."""
    rows = store.query("SELECT * FROM country_facts WHERE iso3 = ? AND attribute = ? "
                       "AND kind = 'fact'", [iso3, attribute])
    return rows[0] if rows else None


def borders_of(store: Store, iso3: str) -> list[Row]:
    """Land borders of ``iso3`` (``b`` is the neighbour), longest first."""
    return store.query("SELECT * FROM borders WHERE a = ? ORDER BY value DESC", [iso3])


def border_pairs(store: Store) -> list[tuple[str, str]]:
    """Every (a, b) pair of the ``borders`` table."""
    return [(r["a"], r["b"]) for r in store.query("SELECT a, b FROM borders")]


def seas_of(store: Store, iso3: str) -> list[str]:
    """The seas ``iso3`` has a shore on, sorted."""
    return [r["sea"] for r in store.query(
        "SELECT DISTINCT sea FROM seas WHERE iso3 = ? ORDER BY sea", [iso3])]


def sea_shores(store: Store, sea: str) -> list[Row]:
    """The ``seas`` rows of ``sea``: one per littoral state, by ISO3."""
    return store.query("SELECT * FROM seas WHERE sea = ? ORDER BY iso3", [sea])


def memberships_of(store: Store, iso3: str) -> list[Row]:
    """Organisation memberships of ``iso3``, oldest first."""
    return store.query(
        "SELECT * FROM memberships WHERE iso3 = ? ORDER BY joined NULLS LAST, org", [iso3])


def trade_partners_of(store: Store, iso3: str) -> list[Row]:
    """Trade partner shares of ``iso3``, by flow then largest share."""
    return store.query(
        "SELECT * FROM trade_partners WHERE iso3 = ? ORDER BY flow, share DESC", [iso3])


def ethnic_groups_of(store: Store, iso3: str) -> list[Row]:
    """Ethnic groups of ``iso3``, largest share first."""
    return store.query("SELECT * FROM ethnic_groups WHERE iso3 = ? ORDER BY share DESC",
                       [iso3])


def languages_of(store: Store, iso3: str) -> list[Row]:
    """Languages of ``iso3``."""
    return store.query("SELECT * FROM languages WHERE iso3 = ?", [iso3])


def resources_of(store: Store, iso3: str) -> list[Row]:
    """Natural resources of ``iso3``."""
    return store.query("SELECT * FROM resources WHERE iso3 = ?", [iso3])


def ties_from(store: Store, iso3: str) -> list[Row]:
    """Ties with ``iso3`` as source, by channel, indicator and destination."""
    return store.query("SELECT * FROM ties WHERE src = ? ORDER BY channel, indicator, dst",
                       [iso3])


def curated_events_of(store: Store, iso3: str) -> list[Row]:
    """Curated events with ``iso3`` as actor or target, by date."""
    return store.query(
        "SELECT * FROM curated_events WHERE actor = ? OR target = ? ORDER BY date", [iso3, iso3])


def curated_events_near(store: Store, parties: Collection[str], start: Any, end: Any
                        ) -> list[Row]:
    """Curated events (date, actor, target, description, source, year) of any of ``parties``
    with ``start <= date < end``, by date."""
    ps = list(parties)
    pp = _marks(ps)
    return store.query(
        f"""SELECT date, actor, target, description, source, year FROM curated_events
            WHERE (actor IN ({pp}) OR target IN ({pp})) AND date >= ? AND date < ?
            ORDER BY date""", [*ps, *ps, start, end])


def parse_issues_of(store: Store, iso3: str) -> list[Row]:
    """What the Factbook parser could not read for ``iso3``."""
    return store.query("SELECT * FROM parse_issues WHERE iso3 = ?", [iso3])


def capabilities_of(store: Store, iso3: str) -> list[Row]:
    """COW national capabilities rows (cinc, year, source) of ``iso3``."""
    return store.query("SELECT cinc, year, source FROM capabilities WHERE iso3 = ?", [iso3])


def capital_of(store: Store, iso3: str) -> Row | None:
    """Capital of ``iso3`` (capital, lat, lng), or None."""
    rows = store.query("SELECT capital, lat, lng FROM capitals WHERE iso3 = ?", [iso3])
    return rows[0] if rows else None


def defence_pacts(store: Store, iso3: str, partners: Collection[str]) -> list[str]:
    """Those of ``partners`` that ``iso3`` has an ATOP defence obligation with."""
    ps = list(partners)
    return [r["b"] for r in store.query(
        f"SELECT DISTINCT b FROM alliances WHERE a = ? AND defense = 1 AND b IN ({_marks(ps)})",
        [iso3, *ps])]


def shared_orgs(store: Store, iso3: str, members: Collection[str], kinds: Collection[str],
                exclude: Collection[str] = ()) -> dict[str, tuple[int, int]]:
    """Per kind: (organisations ``iso3`` is a full member of, except ``exclude``, of which
    most of ``members`` are full members too)."""
    ms, ks, xs = list(members), list(kinds), [*exclude, ""]
    rows = store.query(
        f"""WITH mine AS (SELECT DISTINCT org, kind FROM memberships
                          WHERE iso3 = ? AND status = 'member' AND kind IN ({_marks(ks)})
                          AND org NOT IN ({_marks(xs)})),
                theirs AS (SELECT org, count(DISTINCT iso3) AS n FROM memberships
                           WHERE iso3 IN ({_marks(ms)}) AND status = 'member' GROUP BY org)
            SELECT mine.kind, count(*) AS total,
                   count(*) FILTER (WHERE theirs.n * 2 > ?) AS shared
            FROM mine LEFT JOIN theirs USING (org) GROUP BY mine.kind""",
        [iso3, *ks, *xs, *ms, len(ms)])
    return {r["kind"]: (int(r["total"]), int(r["shared"])) for r in rows}


def unga_agreement(store: Store, iso3: str, power: str, years: tuple[int, int]) -> Row:
    """Vote-weighted UNGA agreement of ``iso3`` with ``power`` over ``years`` (inclusive):
    ``a`` (agreement), ``n`` (roll calls, None when there are none), ``y0``, ``y1``."""
    return store.query(
        "SELECT sum(agreement * n_votes) / sum(n_votes) AS a, sum(n_votes) AS n, "
        "min(year) AS y0, max(year) AS y1 FROM unga_agreement "
        "WHERE iso3 = ? AND power = ? AND year BETWEEN ? AND ?", [iso3, power, *years])[0]
