"""Readers on the real files: every well-formed line is stored, counts match a plain count."""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tests.events.conftest import count_lines
from tightrope.errors import InputError
from tightrope.events.synthetic import gdelt_table, write_gdelt
from tightrope.ingest.eventdetect import detect_format
from tightrope.ingest.eventfiles import Source
from tightrope.store import open_store
from tightrope.store.events import ingest_events

NEC = "nec-tkg-forecasting-evaluation"


def test_gdelt2_real_file(shared_data: Path, db_path: Path) -> None:
    f = shared_data / "gdelt-cameo/20180101000000.export.CSV"
    assert detect_format(Source(f)).dataset == "gdelt2"
    with open_store(db_path) as s:
        r = ingest_events(s, [f])
        assert (r.files[0].rows_read, r.files[0].stored) == (count_lines(f), count_lines(f))
        assert r.files[0].stored == 2414
        rows = s.query("SELECT count(*) AS n, count(*) FILTER (WHERE event_date = "
                       "DATE '2018-01-01') AS jan1 FROM events")[0]
        assert rows == {"n": 2414, "jan1": 2391}
        ev = s.query("SELECT * FROM events WHERE event_id = 719024875")[0]
        assert ev["event_date"] == dt.date(2017, 12, 2)
        assert ev["cameo_code"] == "043" and ev["quad_class"] == 1 and ev["goldstein"] == 2.8
        assert ev["num_mentions"] == 18 and ev["target_iso3"] == "USA"
        assert ev["goldstein_from"] == "event"
        jor = s.query("SELECT count(*) AS n FROM events WHERE 'JOR' IN (source_iso3, target_iso3)")
        assert jor[0]["n"] > 0


@pytest.mark.parametrize("width", [57, 58, 61])
def test_gdelt_widths_plain_zip_gz(width: int, tmp_path: Path, db_path: Path) -> None:
    rng = np.random.default_rng(np.random.SeedSequence(width))
    table = gdelt_table(rng, 500, width=width)
    plain = tmp_path / "events.CSV"
    write_gdelt(plain, table)
    assert detect_format(Source(plain)).dataset == ("gdelt2" if width == 61 else "gdelt1")
    zipped = tmp_path / "events.zip"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(plain, "20150101.export.CSV")
    gz = tmp_path / "events.CSV.gz"
    gz.write_bytes(gzip.compress(plain.read_bytes()))
    with open_store(db_path) as s:
        r = ingest_events(s, [zipped])
        assert r.files[0].stored == 500 and r.files[0].file.endswith("!20150101.export.CSV")
        r = ingest_events(s, [plain, gz])
        assert [f.duplicates for f in r.files] == [500, 500]
        assert r.files[0].file_sha256 == r.files[1].file_sha256  # same content, same hash
        got = s.query("SELECT sum(goldstein) AS g, sum(num_mentions) AS m FROM events")[0]
    g = np.array(table.column("c30").to_pylist(), dtype=float)
    m = np.array(table.column("c31").to_pylist(), dtype=int)
    assert got["g"] == pytest.approx(g.sum())
    assert got["m"] == m.sum()


def test_icews14_id_form_all_splits(icews_dir: Path, db_path: Path) -> None:
    d = icews_dir / NEC / "ICEWS14"
    files = [d / "train.txt", d / "valid.txt", d / "test.txt"]
    with open_store(db_path) as s:
        r = ingest_events(s, files)
        assert [f.rows_read for f in r.files] == [count_lines(f) for f in files]
        assert [f.stored for f in r.files] == [74845, 8514, 7371]
        assert r.total("quarantined") == 0
        span = s.query("SELECT min(event_date) AS a, max(event_date) AS b FROM events")[0]
        assert (span["a"], span["b"]) == (dt.date(2014, 1, 1), dt.date(2014, 12, 31))
        dec = s.query("SELECT count(*) AS n FROM events WHERE line <= 7371 AND "
                      "file_id = ? AND month(event_date) = 12", [r.files[2].file_id])
        assert dec[0]["n"] == 7371  # test split = December (SOURCE.md)
        assert r.unmatched_labels == []


def test_icews0515_id_form_dates(icews_dir: Path, db_path: Path) -> None:
    d = icews_dir / NEC / "ICEWS05-15"
    with open_store(db_path) as s:
        r = ingest_events(s, [d / "valid.txt", d / "test.txt"])
        assert [f.stored for f in r.files] == [count_lines(d / "valid.txt"),
                                                count_lines(d / "test.txt")]
        first = s.query("SELECT event_date, source_actor, target_actor FROM events "
                        "WHERE file_id = ? AND line = 1", [r.files[0].file_id])[0]
        # "136 42 1 3243": day 3243 after 2005-01-01
        assert first["event_date"] == dt.date(2013, 11, 18)
        span = s.query("SELECT min(event_date) AS a, max(event_date) AS b FROM events")[0]
        assert (span["a"], span["b"]) == (dt.date(2013, 11, 18), dt.date(2015, 12, 31))


def test_icews18_padded_ids(icews_dir: Path, db_path: Path) -> None:
    f = icews_dir / NEC / "ICEWS18" / "valid.txt"
    with open_store(db_path) as s:
        r = ingest_events(s, [f])
        assert r.files[0].stored == count_lines(f) == 45995
        span = s.query("SELECT min(event_date) AS a, max(event_date) AS b FROM events")[0]
        assert (span["a"], span["b"]) == (dt.date(2018, 8, 29), dt.date(2018, 9, 27))
        bare = s.query("SELECT count(*) AS n FROM events WHERE source_actor = 'Kazakhstan'")
        assert bare[0]["n"] > 0


def test_named_form_and_cross_form_dedupe(icews_dir: Path, db_path: Path) -> None:
    named = sorted((icews_dir / "mmkb" / "icews05-15").glob("*.txt"))
    ids = icews_dir / NEC / "ICEWS05-15" / "test.txt"
    with open_store(db_path) as s:
        r = ingest_events(s, named)
        assert [f.stored for f in r.files] == [count_lines(f) for f in named]
        assert r.total("stored") == 46092 + 46275
        # The same facts in the ID form are recognised by their content hash.
        late = {ln for f in named for ln in f.read_text(encoding="utf-8").splitlines()
                if ln.rsplit("\t", 1)[1] >= "2014-12-27"}
        r2 = ingest_events(s, [ids])
        assert r2.files[0].duplicates == len(late)
        assert r2.files[0].stored + r2.files[0].duplicates == count_lines(ids)


def test_icews_dataverse_form(tmp_path: Path, db_path: Path) -> None:
    f = tmp_path / "events.2015.tab"
    header = ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country",
              "Event Text", "CAMEO Code", "Intensity", "Target Name", "Target Sectors",
              "Target Country", "Story ID", "Sentence Number", "Publisher", "City", "District",
              "Province", "Country", "Latitude", "Longitude"]
    rows = [
        ["1", "2015-01-02", "Vladimir Putin", "Executive", "Russian Federation",
         "Make a visit", "042", "1.9", "Nursultan Nazarbayev", "Executive", "Kazakhstan"],
        ["2", "2015-01-03", "Kazakhstan", "", "Kazakhstan", "Host a visit", "43", "2.8",
         "Xi Jinping", "", "China"],
        ["3", "2015-02-30", "A", "", "Russia", "x", "042", "1.9", "B", "", "China"],
        ["4", "2015-01-05", "Citizen (Kazakhstan)", "", "Kazakhstan", "Protest", "14x", "",
         "Police (Kazakhstan)", "", "Kazakhstan"],
        ["5", "2015-01-06", "Government (Kazakhstan)", "", "Kazakhstan", "Criticize", "111", "",
         "European Union", "", ""],
    ]
    lines = ["\t".join(header)] + ["\t".join([*r, "1", "1", "p", "", "", "", "", "0", "0"])
                                   for r in rows]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open_store(db_path) as s:
        r = ingest_events(s, [f])
        assert (r.files[0].rows_read, r.files[0].stored, r.files[0].quarantined) == (5, 3, 2)
        ev = {e["event_id"]: e for e in s.query("SELECT * FROM events")}
        assert (ev[1]["source_iso3"], ev[1]["target_iso3"]) == ("RUS", "KAZ")
        assert ev[1]["goldstein"] == 1.9 and ev[1]["goldstein_from"] == "icews-intensity"
        assert ev[2]["cameo_code"] == "043" and ev[2]["target_iso3"] == "CHN"
        assert ev[5]["target_iso3"] == "EUU" and ev[5]["goldstein"] == -2.0
        assert ev[5]["goldstein_from"] == "cameo-table"
        q = s.query("SELECT line, reason FROM event_quarantine ORDER BY line")
        assert q == [{"line": 4, "reason": "Event Date is not a YYYY-MM-DD date"},
                     {"line": 5, "reason": "CAMEO Code is not a code of 2-4 digits"}]


def test_icews_header_missing_columns(tmp_path: Path) -> None:
    f = tmp_path / "bad.tab"
    f.write_text("Event ID\tEvent Date\tSource Name\n1\t2015-01-01\tX\n", encoding="utf-8")
    with pytest.raises(InputError, match="lacks 'Source Country'"):
        detect_format(Source(f))


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text("a,b,c\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the event format"):
        detect_format(Source(f))
    with pytest.raises(InputError, match="no such file"):
        from tightrope.ingest.eventfiles import sources_of

        sources_of(tmp_path / "missing.csv")
