"""Backup and restore of a whole MongoDB database through the driver alone (no mongodump), so it
works the same on the local server, a replica set or Atlas.

The archive is a zip: ``manifest.json`` plus one file per collection holding its documents as
raw BSON exactly as the server returned them (lossless: datetimes, ObjectIds, binary, decimals,
key order). Zip rather than tar.gz: members are written as a stream (no staging copy on disk),
each has a CRC, and the manifest at the end is found through the central directory, which a
truncated file lacks, so truncation is caught before anything is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any

from bson import json_util
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument
from pymongo import IndexModel
from pymongo.client_session import ClientSession
from pymongo.database import Database
from pymongo.errors import ConfigurationError, InvalidOperation, OperationFailure

from application.operations.ports import ArchiveSummary, CollectionSummary, Progress
from domain.operations.errors import DamagedArchive, DatabaseNotEmpty, ForeignArchive, RestoreIncomplete

ARCHIVE_FORMAT = "home-services-marketplace/mongo-backup"
ARCHIVE_FORMAT_VERSION = 1
APP_NAME = "home-services-marketplace"
MANIFEST = "manifest.json"
SNAPSHOT = "snapshot"

_RAW = CodecOptions(document_class=RawBSONDocument)
_EXT_JSON = json_util.JSONOptions(json_mode=json_util.JSONMode.CANONICAL, tz_aware=True)
_BATCH_DOCUMENTS = 1_000
_BATCH_BYTES = 8 * 1024 * 1024
_MAX_BSON = 16 * 1024 * 1024 + 16 * 1024
# Index fields the server adds or owns; everything else (unique, sparse, TTL, partial filter,
# collation...) is passed back to create_indexes as it was.
_SERVER_INDEX_FIELDS = {"v", "ns", "key"}


def _to_json(value: Any) -> Any:
    """Canonical Extended JSON as plain JSON values, so the manifest stays readable and lossless."""
    return json.loads(json_util.dumps(value, json_options=_EXT_JSON))


def _from_json(value: Any) -> Any:
    return json_util.loads(json.dumps(value), json_options=_EXT_JSON)


class MongoArchiver:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- backup ---------------------------------------------------------------------------------

    def backup(self, destination: str, *, schema_version: int, created_at: datetime,
               progress: Progress) -> ArchiveSummary:
        collections = self._collections()
        progress.start(sum(self._db[name].estimated_document_count() for name in collections), "backing up")
        session, consistency = self._snapshot_session(collections)
        partial = destination + ".partial"
        entries: list[dict[str, Any]] = []
        try:
            # Written under another name and renamed at the end: an interrupted backup never
            # looks like a finished one.
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
                for number, name in enumerate(sorted(collections)):
                    entry = {"name": name, "file": f"collections/{number:04d}.bson",
                             "options": _to_json(collections[name]), "indexes": self._indexes(name)}
                    with archive.open(entry["file"], "w", force_zip64=True) as out:
                        entry["count"], entry["sha256"] = self._dump(name, out, session, progress)
                    entries.append(entry)
                manifest = {
                    "format": ARCHIVE_FORMAT,
                    "format_version": ARCHIVE_FORMAT_VERSION,
                    "schema_version": schema_version,
                    "app": APP_NAME,
                    "created_at": created_at.isoformat(),
                    "db_name": self._db.name,
                    "consistency": consistency,
                    "collections": entries,
                    # Views and time-series collections are not copied; listed so nobody assumes they were.
                    "skipped": self._not_copied(),
                }
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
            os.replace(partial, destination)
        except BaseException:
            if os.path.exists(partial):
                os.remove(partial)
            raise
        finally:
            if session is not None:
                session.end_session()
        return _summary(destination, manifest)

    def _collections(self) -> dict[str, dict[str, Any]]:
        """Name -> creation options of every collection (views and system collections excluded)."""
        return {info["name"]: dict(info.get("options") or {}) for info in self._db.list_collections()
                if info.get("type", "collection") == "collection" and not info["name"].startswith("system.")}

    def _not_copied(self) -> list[dict[str, str]]:
        return [{"name": info["name"], "type": info.get("type", "")} for info in self._db.list_collections()
                if info.get("type", "collection") != "collection" and not info["name"].startswith("system.")]

    def _snapshot_session(self, collections: dict[str, Any]) -> tuple[ClientSession | None, str]:
        """A session reading every collection at one point in time (MongoDB 5+ replica sets and
        Atlas). A standalone server refuses it; then each collection is read on its own, which
        the manifest records so an operator knows the archive may straddle concurrent writes."""
        try:
            session = self._db.client.start_session(snapshot=True)
        except (ConfigurationError, InvalidOperation) as error:
            return None, f"per-collection (no snapshot session: {error})"
        first = next(iter(collections), None)
        try:
            # The server fixes the snapshot's time at the first read; later reads all see it.
            if first is not None:
                self._db[first].find_one({}, session=session)
        except OperationFailure as error:
            session.end_session()
            return None, f"per-collection (the server refused snapshot reads: {error.details or error})"
        return session, SNAPSHOT

    def _indexes(self, name: str) -> list[Any]:
        indexes = []
        for spec in self._db[name].list_indexes():
            if spec["name"] == "_id_":
                continue
            options = {key: value for key, value in spec.items() if key not in _SERVER_INDEX_FIELDS}
            indexes.append(_to_json({"key": list(spec["key"].items()), **options}))
        return indexes

    def _dump(self, name: str, out: IO[bytes], session: ClientSession | None,
              progress: Progress) -> tuple[int, str]:
        digest = hashlib.sha256()
        count = 0
        cursor = self._db.get_collection(name, codec_options=_RAW).find({}, session=session, sort=[("_id", 1)])
        for document in cursor:
            data = document.raw
            out.write(data)
            digest.update(data)
            count += 1
            if count % 500 == 0:
                progress.advance(500)
        progress.advance(count % 500)
        return count, digest.hexdigest()

    # -- restore --------------------------------------------------------------------------------

    def restore(self, source: str, *, schema_version: int, drop: bool, progress: Progress) -> ArchiveSummary:
        try:
            archive = zipfile.ZipFile(source)
        except FileNotFoundError:
            raise DamagedArchive(f"{source}: no such file") from None
        except (zipfile.BadZipFile, OSError):
            raise DamagedArchive(f"{source} is not a complete backup archive (truncated or corrupt)") from None
        with archive:
            manifest = _read_manifest(archive, source, schema_version)
            entries = manifest["collections"]
            total = sum(entry["count"] for entry in entries)
            # Everything is checked before the database is touched: a bad archive changes nothing.
            progress.start(total, "checking")
            for entry in entries:
                _verify(archive, source, entry, progress)
            self._make_room(drop)
            progress.start(total, "restoring")
            for entry in entries:
                self._load(archive, source, entry, progress)
        for entry in entries:
            found = self._db[entry["name"]].count_documents({})
            if found != entry["count"]:
                raise RestoreIncomplete(f"collection {entry['name']} holds {found} documents after the restore, "
                                        f"the archive {entry['count']}")
        return _summary(source, manifest)

    def _make_room(self, drop: bool) -> None:
        existing = list(self._collections())
        with_data = [name for name in existing if self._db[name].find_one({}, projection={"_id": 1}) is not None]
        if with_data and not drop:
            raise DatabaseNotEmpty(f"database {self._db.name!r} already holds data (in {', '.join(sorted(with_data))}); "
                                   "restore into an empty database, or pass --drop to replace it")
        # Empty collections go too: the app creates them with their indexes at start-up, and the
        # archive's own definitions must win.
        for name in existing:
            self._db.drop_collection(name)

    def _load(self, archive: zipfile.ZipFile, source: str, entry: dict[str, Any], progress: Progress) -> None:
        name = entry["name"]
        options = _from_json(entry.get("options") or {})
        self._db.create_collection(name, **options)
        collection = self._db.get_collection(name, codec_options=_RAW)
        batch: list[RawBSONDocument] = []
        size = 0
        with _member(archive, source, entry["file"]) as stream:
            for data in _documents(stream, source, entry["file"]):
                batch.append(RawBSONDocument(data, codec_options=_RAW))
                size += len(data)
                if len(batch) >= _BATCH_DOCUMENTS or size >= _BATCH_BYTES:
                    collection.insert_many(batch, ordered=True)
                    progress.advance(len(batch))
                    batch, size = [], 0
        if batch:
            collection.insert_many(batch, ordered=True)
            progress.advance(len(batch))
        indexes = []
        for spec in entry.get("indexes") or []:
            options = _from_json(spec)
            keys = [tuple(pair) for pair in options.pop("key")]
            indexes.append(IndexModel(keys, **options))
        if indexes:
            self._db[name].create_indexes(indexes)


def _summary(path: str, manifest: dict[str, Any]) -> ArchiveSummary:
    return ArchiveSummary(
        path=path, db_name=manifest["db_name"], schema_version=manifest["schema_version"],
        created_at=manifest["created_at"], consistency=manifest["consistency"],
        collections=tuple(CollectionSummary(e["name"], e["count"], e["sha256"]) for e in manifest["collections"]))


def _read_manifest(archive: zipfile.ZipFile, source: str, schema_version: int) -> dict[str, Any]:
    try:
        with _member(archive, source, MANIFEST) as stream:
            manifest = json.loads(stream.read())
    except (ValueError, UnicodeDecodeError):
        raise DamagedArchive(f"{source}: {MANIFEST} is not valid JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != ARCHIVE_FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise ForeignArchive(f"{source} is not a marketplace backup (format {found!r}, expected {ARCHIVE_FORMAT!r})")
    if manifest.get("format_version") != ARCHIVE_FORMAT_VERSION:
        raise ForeignArchive(f"{source} uses archive format version {manifest.get('format_version')!r}; "
                             f"this release reads version {ARCHIVE_FORMAT_VERSION}")
    if manifest.get("schema_version") != schema_version:
        raise ForeignArchive(f"{source} holds data of schema version {manifest.get('schema_version')!r}; "
                             f"this release restores version {schema_version} only (use the matching release)")
    entries = manifest.get("collections")
    required = {"name": str, "file": str, "count": int, "sha256": str}
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and all(isinstance(e.get(k), t) for k, t in required.items()) for e in entries):
        raise DamagedArchive(f"{source}: {MANIFEST} does not list the collections properly")
    for key in ("db_name", "created_at", "consistency"):
        if not isinstance(manifest.get(key), str):
            raise DamagedArchive(f"{source}: {MANIFEST} has no {key}")
    return manifest


class _member:
    """Open one archive member, turning every way a damaged zip fails into DamagedArchive."""

    def __init__(self, archive: zipfile.ZipFile, source: str, name: str) -> None:
        self._archive, self._source, self._name = archive, source, name
        self._stream: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        try:
            self._stream = self._archive.open(self._name)
        except KeyError:
            raise DamagedArchive(f"{self._source}: {self._name} is missing from the archive") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
            raise DamagedArchive(f"{self._source}: {self._name} is corrupt") from None
        return self._stream

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, _tb: Any) -> None:
        assert self._stream is not None
        self._stream.close()
        if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError, OSError)):
            raise DamagedArchive(f"{self._source}: {self._name} is corrupt ({error})") from None


def _documents(stream: IO[bytes], source: str, name: str) -> Iterator[bytes]:
    """Split a stream of concatenated BSON documents without decoding them."""
    while True:
        head = stream.read(4)
        if not head:
            return
        if len(head) < 4:
            raise DamagedArchive(f"{source}: {name} ends in the middle of a document")
        (length,) = struct.unpack("<i", head)
        if length < 5 or length > _MAX_BSON:
            raise DamagedArchive(f"{source}: {name} holds a document of impossible length {length}")
        body = stream.read(length - 4)
        if len(body) != length - 4 or body[-1:] != b"\x00":
            raise DamagedArchive(f"{source}: {name} ends in the middle of a document")
        yield head + body


def _verify(archive: zipfile.ZipFile, source: str, entry: dict[str, Any], progress: Progress) -> None:
    digest = hashlib.sha256()
    count = 0
    with _member(archive, source, entry["file"]) as stream:
        for data in _documents(stream, source, entry["file"]):
            digest.update(data)
            count += 1
            if count % 500 == 0:
                progress.advance(500)
    progress.advance(count % 500)
    if digest.hexdigest() != entry["sha256"]:
        raise DamagedArchive(f"{source}: collection {entry['name']} does not match its checksum")
    if count != entry["count"]:
        raise DamagedArchive(f"{source}: collection {entry['name']} holds {count} documents, "
                             f"its manifest says {entry['count']}")
