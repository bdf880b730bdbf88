"""Small GDELT exports and file lists built from the shipped real export (a GDELT 2.0
15-minute file of 2018-01-01): rows re-dated into 2022-2023, some re-coded as events between
Kazakhstan and Russia, zipped and listed exactly as GDELT publishes them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: 15-minute stamps of the fixture exports: six inside 2022-01-01 ... 2023-06-30, two outside.
STAMPS_V2 = ("20211231234500", "20220115120000", "20220520091500", "20221003000000",
             "20230110234500", "20230402061500", "20230628180000", "20230701000000")
DAYS_V1 = ("20211231", "20220115", "20220520", "20221003", "20230110", "20230402",
           "20230628", "20230701")
ROWS_PER_FILE = 40
REAL = "http://data.gdeltproject.org/"

_KAZ = ("KAZ", "KAZAKHSTAN", "KAZ")
_RUS = ("RUS", "RUSSIA", "RUS")
_CHN = ("CHN", "CHINA", "CHN")


def _actor(f: list[str], first: int, who: tuple[str, str, str]) -> None:
    f[first], f[first + 1], f[first + 2] = who  # Code, Name, CountryCode


def shipped_rows(shared_data: Path) -> list[list[str]]:
    text = (shared_data / "gdelt-cameo" / "20180101000000.export.CSV").read_text("utf-8")
    return [line.split("\t") for line in text.splitlines() if line]


def make_rows(base: list[list[str]], k: int, stamp: str) -> list[list[str]]:
    """ROWS_PER_FILE rows of file ``k`` dated ``stamp``; ids unique across files."""
    out = []
    day = stamp[:8]
    for i in range(ROWS_PER_FILE):
        f = list(base[(k * ROWS_PER_FILE + i) % len(base)])
        f[0] = str(900_000_000 + k * 1000 + i)
        f[1], f[2], f[3] = day, day[:6], day[:4]
        f[4] = f"{int(day[:4]) + (int(day[4:6]) - 1) / 12:.4f}"
        if i % 5 == 0:
            _actor(f, 5, _KAZ)
            _actor(f, 15, _RUS)
        elif i % 5 == 1:
            _actor(f, 5, _RUS)
            _actor(f, 15, _KAZ)
        elif i % 5 == 2:
            _actor(f, 5, _KAZ)
            _actor(f, 15, _CHN)
        f[59] = stamp
        out.append(f)
    return out


def to_v1(f: list[str]) -> list[str]:
    """A GDELT 1.0 daily-update line (58 fields): no ADM2Code, DATEADDED a day."""
    g = [x for j, x in enumerate(f) if j not in (39, 47, 55)]
    g[56] = g[56][:8]
    return g


def zipped(name: str, lines: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, "".join("\t".join(f) + "\n" for f in lines))
    return buf.getvalue()


@dataclass
class Fixture:
    """The files to serve (path -> bytes) and the rows of each export."""

    files: dict[str, bytes]
    rows: dict[str, list[list[str]]]
    lists: tuple[str, ...]

    def expected_ids(self, names: list[str], countries: set[str]) -> set[int]:
        """Event ids of the rows in ``names`` with an actor country in ``countries`` (a
        plain loop over the fixture rows, independent of the code under test)."""
        return {int(f[0]) for n in names for f in self.rows[n]
                if f[7] in countries or f[17] in countries}


def build_v2(base: list[list[str]]) -> Fixture:
    return build_v2_from(base, STAMPS_V2)


def build_v2_from(base: list[list[str]], stamps: tuple[str, ...]) -> Fixture:
    files: dict[str, bytes] = {}
    rows: dict[str, list[list[str]]] = {}
    lines = []
    for k, stamp in enumerate(stamps):
        name = f"{stamp}.export.CSV.zip"
        rows[name] = make_rows(base, k, stamp)
        body = zipped(f"{stamp}.export.CSV", rows[name])
        files[f"gdeltv2/{name}"] = body
        md5 = hashlib.md5(body).hexdigest()
        lines.append(f"{len(body)} {md5} {REAL}gdeltv2/{name}")
        # the mentions and GKG files listed beside each export (never fetched)
        lines.append(f"318084 bb27f78ba45f69a17ea6ed7755e9f8ff {REAL}gdeltv2/{stamp}"
                     ".mentions.CSV.zip")
        lines.append(f"10768507 ea8dde0beb0ba98810a92db068c0ce99 {REAL}gdeltv2/{stamp}"
                     ".gkg.csv.zip")
    lines.insert(5, "")  # the published list has the odd empty or short line
    lines.insert(9, "2c0d8f34d4da28ed3cde4cf9b5bbf5ee")
    files["gdeltv2/masterfilelist.txt"] = ("\n".join(lines) + "\n").encode()
    return Fixture(files, rows, ("gdeltv2/masterfilelist.txt",))


def build_v1(base: list[list[str]]) -> Fixture:
    files: dict[str, bytes] = {}
    rows: dict[str, list[list[str]]] = {}
    sums, sizes = [], []
    for k, day in enumerate(DAYS_V1):
        name = f"{day}.export.CSV.zip"
        rows[name] = [to_v1(f) for f in make_rows(base, k, day + "000000")]
        body = zipped(f"{day}.export.CSV", rows[name])
        files[f"events/{name}"] = body
        sums.append(f"{hashlib.md5(body).hexdigest()}  {name}")
        sizes.append(f"{len(body)} {name}")
    # a monthly and a yearly archive of the old backfile, and a name that is no event file
    sums += ["0f1e2d3c4b5a69788796a5b4c3d2e1f0  200601.zip",
             "1f1e2d3c4b5a69788796a5b4c3d2e1f0  1979.zip",
             "2f1e2d3c4b5a69788796a5b4c3d2e1f0  GDELT.MASTERREDUCEDV2.1979-2013.zip"]
    sizes += ["1234 200601.zip", "5678 1979.zip", "999 GDELT.MASTERREDUCEDV2.1979-2013.zip"]
    files["events/md5sums"] = ("\n".join(sums) + "\n").encode()
    files["events/filesizes"] = ("\n".join(sizes) + "\n").encode()
    return Fixture(files, rows, ("events/md5sums", "events/filesizes"))
