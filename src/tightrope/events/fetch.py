"""Fetch GDELT event exports for a date range, keep the events of chosen countries, ingest them.

The steps, each finished before the next begins:

1. the edition's file lists (:mod:`tightrope.events.gdeltlists`) are read from the cache, or
   fetched when the cached copy does not reach the last day asked for;
2. the export files of the range that are not in the cache yet are downloaded
   (:func:`tightrope.ingest.download.download_all`: bounded concurrency, retries, resume, size
   and MD5 checked before anything is read);
3. each verified zip is read as a stream and only the lines whose Actor1 or Actor2 country code
   (GDELT fields 8 and 18, 1-based; CAMEO codes, ISO3 for states) is one of the countries asked
   for are kept, gzip-compressed, in the cache — so a year of exports stays megabytes on disk;
   the zip is then deleted;
4. the kept lines of each month are joined into one batch file (a year of 15-minute exports
   is 35,040 files but 12 batches) and go through the ordinary idempotent ingest
   (:func:`tightrope.store.events.ingest_events`) in one transaction; a batch already
   ingested (the same name: the same kept files) is not read again.

A failure in steps 1-3 raises before the store is touched; the ingest itself commits all or
nothing. Re-running the same request downloads nothing and adds nothing.

The cache is ``$TIGHTROPE_CACHE`` or the user cache directory (``platformdirs``), laid out as
``gdelt/lists/<mirror>/``, ``gdelt/raw/`` (downloads in progress) and
``gdelt/kept/<countries>/`` (the filtered files, named after the export and its MD5, and
their monthly ``batches/``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
import shutil
import zipfile
import zlib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tightrope.errors import InputError
from tightrope.events.gdeltlists import (
    GDELT_BASE,
    Listed,
    covers,
    gdelt_list,
    parse_master,
    parse_v1,
    select,
)
from tightrope.ingest.actors import EU_CODE
from tightrope.ingest.download import (
    FetchError,
    FetchSettings,
    RemoteFile,
    default_cache_dir,
    download_all,
    http_client,
)
from tightrope.progress import Progress
from tightrope.store.db import Store
from tightrope.store.eventqueries import event_files
from tightrope.store.events import IngestSummary, ensure_events_schema, ingest_events

__all__ = [
    "FetchPlan",
    "FetchRequest",
    "FetchResult",
    "default_cache_dir",
    "download_gdelt",
    "fetch_gdelt",
    "filter_export",
    "ingest_fetched",
    "plan_gdelt",
]

#: 0-based positions of Actor1CountryCode, Actor1KnownGroupCode, Actor2CountryCode,
#: Actor2KnownGroupCode in every GDELT event layout (57, 58 and 61 fields).
_A1, _G1, _A2, _G2 = 7, 8, 17, 18


def _base(mirror: str | None) -> str:
    if mirror is None:
        return GDELT_BASE
    parts = urlsplit(mirror)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"mirror {mirror!r} is not an http(s) address",
                         expected="e.g. http://127.0.0.1:8000/ or https://mirror.example/gdelt/")
    return mirror if mirror.endswith("/") else mirror + "/"


@dataclass(frozen=True)
class FetchRequest:
    """What to fetch: GDELT ``version`` 1 or 2 files for ``first`` ... ``last`` (days,
    inclusive), keeping the events of ``countries`` (ISO3; None keeps every event), from
    ``mirror`` (None: GDELT's own server)."""

    first: dt.date
    last: dt.date
    countries: frozenset[str] | None = None
    version: int = 2
    mirror: str | None = None

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise InputError(f"the range starts ({self.first}) after it ends ({self.last})",
                             expected="a first day no later than the last")
        gdelt_list(self.version)
        if self.countries is not None and not self.countries:
            raise InputError("no countries given", expected="ISO3 codes such as KAZ,RUS")
        object.__setattr__(self, "mirror", _base(self.mirror))

    @property
    def base(self) -> str:
        return self.mirror or GDELT_BASE

    @property
    def key(self) -> str:
        """The cache folder of the kept lines: 'all' or the sorted countries."""
        return "all" if self.countries is None else "-".join(sorted(self.countries))


@dataclass(frozen=True)
class FetchPlan:
    """The files of a request, and which of them must still be downloaded."""

    request: FetchRequest
    files: list[RemoteFile]
    to_fetch: list[RemoteFile]
    list_fetched: bool

    @property
    def bytes_to_fetch(self) -> int:
        return sum(f.size or 0 for f in self.to_fetch)


@dataclass(frozen=True)
class FetchResult:
    """What a fetch did: the plan, the lines kept and the ingest (None: nothing new)."""

    plan: FetchPlan
    kept: dict[str, int] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    ingest: IngestSummary | None = None


class _Cache:
    def __init__(self, root: Path, req: FetchRequest) -> None:
        host = re.sub(r"[^A-Za-z0-9.]+", "_", urlsplit(req.base).netloc + urlsplit(req.base).path)
        self.lists = root / "gdelt" / "lists" / host.strip("_") / f"v{req.version}"
        self.raw = root / "gdelt" / "raw"
        self.kept = root / "gdelt" / "kept" / req.key

    def kept_file(self, f: RemoteFile) -> Path:
        stem = f.name.removesuffix(".zip")
        return self.kept / f"{stem}.{(f.md5 or 'nomd5')[:12]}.tsv.gz"


def _parse(req: FetchRequest, paths: Sequence[Path]) -> list[Listed]:
    """The listed files, read line by line (the 2.0 master list is about 100 MB)."""
    with ExitStack() as stack:
        lines = [stack.enter_context(p.open(encoding="utf-8", errors="replace")) for p in paths]
        if req.version == 1:
            return parse_v1(lines[0], lines[1], req.base)
        return parse_master(lines[0], req.base)


def _read_lists(req: FetchRequest, cache: _Cache, settings: FetchSettings,
                client: httpx.Client, progress: Progress | None) -> tuple[list[Listed], bool]:
    spec = gdelt_list(req.version)
    paths = [cache.lists / name.rsplit("/", 1)[-1] for name in spec.lists]
    if all(p.exists() for p in paths):
        listed = _parse(req, paths)
        if covers(listed, req.last):
            return listed, False
    fresh = cache.lists / "new"
    shutil.rmtree(fresh, ignore_errors=True)  # lists have no checksum: never resumed
    new = download_all([RemoteFile(req.base + name, p.name)
                        for name, p in zip(spec.lists, paths, strict=True)],
                       fresh, settings, client=client, progress=progress)
    listed = _parse(req, new)
    if not listed:
        raise FetchError("the file list names no event export file", source=req.base +
                         spec.lists[0], expected="GDELT's published list of files")
    for p, n in zip(paths, new, strict=True):
        n.replace(p)
    return listed, True


def plan_gdelt(req: FetchRequest, settings: FetchSettings, cache_dir: Path | None = None,
               client: httpx.Client | None = None,
               progress: Progress | None = None) -> FetchPlan:
    """The files covering the request, and those not yet in the cache (nothing downloaded
    but the file lists, and those only when the cached copy is missing or too old)."""
    cache = _Cache(cache_dir or default_cache_dir(), req)
    cl = client or http_client(settings)
    try:
        listed, fetched = _read_lists(req, cache, settings, cl, progress)
    finally:
        if client is None:
            cl.close()
    files = select(listed, req.first, req.last)
    todo = [f for f in files if not cache.kept_file(f).exists()]
    return FetchPlan(req, files, todo, fetched)


def _wanted(countries: frozenset[str] | None) -> Callable[[list[bytes]], bool]:
    if countries is None:
        return lambda _f: True
    codes = {c.encode() for c in countries}
    eu = EU_CODE in countries

    def keep(f: list[bytes]) -> bool:
        if len(f) <= _G2:
            return False
        if f[_A1] in codes or f[_A2] in codes:
            return True
        return eu and (f[_G1] == b"EEC" or f[_G2] == b"EEC")

    return keep


def filter_export(zip_path: Path, out: Path, countries: frozenset[str] | None) -> int:
    """Write the lines of the export in ``zip_path`` whose actors include ``countries``
    (every line when None) to ``out`` (gzip), atomically; returns the number kept."""
    keep = _wanted(countries)
    kept = 0
    tmp = out.with_name(out.name + ".tmp")
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with zipfile.ZipFile(zip_path) as zf:
            members = [i for i in zf.infolist() if not i.is_dir()]
            if len(members) != 1:
                raise InputError(f"the archive holds {len(members)} files",
                                 source=str(zip_path), expected="one GDELT export file")
            with zf.open(members[0]) as raw, gzip.open(tmp, "wb") as dst:
                for line in raw:
                    if keep(line.split(b"\t", _G2 + 1)):
                        dst.write(line if line.endswith(b"\n") else line + b"\n")
                        kept += 1
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        tmp.unlink(missing_ok=True)
        raise InputError(f"the downloaded export cannot be read ({e})", source=str(zip_path),
                         expected="a zip archive as GDELT publishes it") from None
    tmp.replace(out)
    return kept


def _period(name: str) -> str:
    """'YYYY-MM' of a file named after its date or month, 'YYYY' of a yearly file."""
    digits = re.match(r"\d+", name)
    d = digits.group(0) if digits else name
    return f"{d[:4]}-{d[4:6]}" if len(d) >= 6 else d[:4]


def _batches(cache: _Cache, files: Sequence[RemoteFile]) -> list[Path]:
    """One file per month of the kept lines (gzip members joined, so nothing is recompressed),
    named after a hash of the kept files it joins: the same files give the same batch, which
    the ingest then recognises by name. A 2.0 year is 35,040 exports but 12 batches."""
    groups: dict[str, list[Path]] = {}
    for f in files:
        p = cache.kept_file(f)
        if p.stat().st_size > 0 and _has_lines(p):
            groups.setdefault(_period(f.name), []).append(p)
    out = []
    folder = cache.kept / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    for period, parts in sorted(groups.items()):
        key = hashlib.sha256("\n".join(p.name for p in parts).encode()).hexdigest()[:16]
        batch = folder / f"{period}.{key}.tsv.gz"
        if not batch.exists():
            tmp = batch.with_name(batch.name + ".tmp")
            with tmp.open("wb") as dst:
                for p in parts:
                    with p.open("rb") as src:
                        shutil.copyfileobj(src, dst)
            tmp.replace(batch)
            for old in folder.glob(f"{period}.*.tsv.gz"):  # an earlier, smaller batch
                if old != batch:
                    old.unlink()
        out.append(batch)
    return out


def _ingested(store: Store) -> set[str]:
    ensure_events_schema(store.con)
    return {str(r["file"]) for r in event_files(store)}


def download_gdelt(
    req: FetchRequest,
    settings: FetchSettings,
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> FetchResult:
    """Steps 1-3 of the module: plan, download, verify and filter; the store is not touched.

    Raises FetchError (exit 2) when a list or file cannot be fetched or verified. With
    ``dry_run`` only the plan is made.
    """
    cache = _Cache(cache_dir or default_cache_dir(), req)
    with http_client(settings) as client:
        plan = plan_gdelt(req, settings, cache_dir, client, progress)
        if dry_run:
            return FetchResult(plan)
        zips = download_all(plan.to_fetch, cache.raw, settings, client=client,
                            progress=progress)
    kept: dict[str, int] = {}
    for f, z in zip(plan.to_fetch, zips, strict=True):
        kept[f.name] = filter_export(z, cache.kept_file(f), req.countries)
        z.unlink()
    return FetchResult(plan, kept, paths=_batches(cache, plan.files))


def ingest_fetched(store: Store, fetched: FetchResult) -> FetchResult:
    """Step 4: ingest the monthly batches not ingested before (one transaction)."""
    done = _ingested(store)
    new = [p for p in fetched.paths if str(p) not in done]
    if not new:
        return fetched
    return replace(fetched, ingest=ingest_events(store, new, fmt="gdelt"))


def fetch_gdelt(
    store: Store,
    req: FetchRequest,
    settings: FetchSettings,
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> FetchResult:
    """Fetch, verify, filter and ingest the GDELT exports of ``req`` (see the module): the
    store is written only after every file has arrived and been checked."""
    return ingest_fetched(store, download_gdelt(req, settings, cache_dir=cache_dir,
                                                progress=progress))


def _has_lines(path: Path) -> bool:
    if path.stat().st_size == 0:
        return False
    with gzip.open(path, "rb") as fh:
        return bool(fh.read(1))
