"""The Factbook JSON archive: download it, check it, unpack it as a versioned checkout.

The CIA World Factbook as JSON is published by the factbook/factbook.json repository, one file
per entry (``region/<gec>.json``); its host serves the whole repository as one zip archive.
No checksum is published for that archive, so it is checked for what can be checked: the
transfer is complete (Content-Length, when sent), the zip's central directory is readable and
every member's CRC-32 matches, its size is bounded (at most :data:`MAX_UNPACKED` bytes and
:data:`MAX_MEMBERS` members, no name leaving the folder), and it holds Factbook entries that
parse as JSON. It is unpacked into ``factbook/versions/<sha256 of the zip, 16 hex>/`` in the
cache, where earlier versions stay.

Licences: the repository is CC0 1.0; the Factbook profiles are public domain.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tightrope.errors import InputError
from tightrope.ingest.download import FetchError, FetchSettings, RemoteFile, download_all
from tightrope.progress import Progress

__all__ = ["FACTBOOK_ARCHIVE_URL", "MAX_MEMBERS", "MAX_UNPACKED", "FactbookArchive",
           "fetch_factbook_archive", "unpack_factbook"]

#: The repository's archive of its default branch.
FACTBOOK_ARCHIVE_URL = "https://github.com/factbook/factbook.json/archive/refs/heads/master.zip"
#: Bounds of a plausible archive (the 2026 one unpacks to about 11 MB in about 270 files).
MAX_UNPACKED = 500_000_000
MAX_MEMBERS = 20_000


@dataclass(frozen=True)
class FactbookArchive:
    """An unpacked, checked archive: where it came from, its SHA-256 and the checkout."""

    url: str
    sha256: str
    checkout: Path
    entries: int


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _entry_path(name: str) -> PurePosixPath | None:
    """``region/gec.json`` for a member ``<root>/region/gec.json``; None for anything else."""
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts:
        raise InputError(f"the archive has a member outside its folder: {name!r}",
                         expected="a Factbook JSON archive")
    if len(p.parts) != 3 or p.suffix != ".json" or p.parts[1] in ("meta", ".github"):
        return None
    return PurePosixPath(*p.parts[1:])


def _extract(zf: zipfile.ZipFile, wanted: list[tuple[zipfile.ZipInfo, PurePosixPath]],
             tmp: Path, label: str) -> None:
    for info, rel in wanted:
        data = zf.read(info)
        try:
            json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise InputError(f"{info.filename} is not valid JSON ({e})", source=label,
                             expected="Factbook entries as JSON") from None
        out = tmp / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)


def unpack_factbook(zip_path: Path, versions: Path, url: str = "") -> FactbookArchive:
    """Check the archive at ``zip_path`` and unpack its entries under ``versions``."""
    label = url or str(zip_path)
    bad = "a zip archive of the factbook.json repository"
    try:
        with zipfile.ZipFile(zip_path) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
                raise InputError(f"the archive unpacks to {len(infos):,} files, "
                                 f"{sum(i.file_size for i in infos):,} bytes", source=label,
                                 expected=f"at most {MAX_MEMBERS:,} files and "
                                          f"{MAX_UNPACKED:,} bytes")
            broken = zf.testzip()
            if broken is not None:
                raise InputError(f"member {broken} fails its CRC check", source=label,
                                 expected=bad)
            wanted = [(i, e) for i in infos if (e := _entry_path(i.filename)) is not None]
            if not wanted:
                raise InputError("no region/<code>.json entries", source=label, expected=bad)
            sha = _sha256(zip_path)
            dest = versions / sha[:16]
            if not dest.is_dir():
                tmp = versions / f".{sha[:16]}.tmp"
                shutil.rmtree(tmp, ignore_errors=True)
                try:
                    _extract(zf, wanted, tmp, label)
                except BaseException:
                    shutil.rmtree(tmp, ignore_errors=True)
                    raise
                tmp.replace(dest)
    except (zipfile.BadZipFile, EOFError, zlib.error) as e:
        raise InputError(f"not a readable zip archive ({e})", source=label,
                         expected=bad) from None
    return FactbookArchive(url or str(zip_path), sha, dest, len(wanted))


def fetch_factbook_archive(
    cache: Path,
    settings: FetchSettings,
    url: str = FACTBOOK_ARCHIVE_URL,
    progress: Progress | None = None,
) -> FactbookArchive:
    """Download the archive at ``url`` into ``cache/factbook/``, check and unpack it.

    Raises FetchError (exit 2) when it cannot be fetched, InputError when it is not a sound
    Factbook archive; the store is not touched here.
    """
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url!r} is not an http(s) address", expected="the archive's URL")
    folder = cache / "factbook"
    (folder / "factbook.zip").unlink(missing_ok=True)  # a new download each time
    (folder / "factbook.zip.part").unlink(missing_ok=True)  # no checksum to resume against
    [path] = download_all([RemoteFile(url, "factbook.zip")], folder, settings,
                          progress=progress)
    try:
        return unpack_factbook(path, folder / "versions", url)
    finally:
        path.unlink(missing_ok=True)
