"""flask backup / flask restore against the real local server: every document comes back byte
for byte, and a damaged or foreign archive is refused before the database is touched."""

from __future__ import annotations

import json
import uuid
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pymongo
import pytest
from pymongo import monitoring
from bson import Binary, Decimal128, Int64, ObjectId
from bson.codec_options import CodecOptions
from bson.raw_bson import RawBSONDocument

from adapters.outbound.mongo import backup as backup_module
from adapters.outbound.mongo.backup import MongoArchiver
from application.operations.ports import Progress
from application.operations.use_cases import DATA_SCHEMA_VERSION
from domain.operations.errors import DamagedArchive, DatabaseNotEmpty, ForeignArchive
from tests.conftest import test_settings

pytestmark = pytest.mark.integration

DB = "backup_restore_tests"
CREATED = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


class Silent(Progress):
    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def start(self, total: int, label: str) -> None:
        self.total, self.done = total, 0

    def advance(self, documents: int) -> None:
        self.done += documents


@pytest.fixture
def client(mongo_url: str):
    with pymongo.MongoClient(mongo_url, tz_aware=True, uuidRepresentation="standard") as mongo:
        mongo.drop_database(DB)
        yield mongo
        mongo.drop_database(DB)


@pytest.fixture
def db(client):
    return client[DB]


def seed(db, orders: int = 30) -> None:
    db.users.insert_many([
        {"_id": f"user-{n}", "email": f"u{n}@example.com", "roles": ["buyer", "seller"][: 1 + n % 2],
         "created_at": datetime(2026, 1, 1 + n, 9, 30, 15, 123000, tzinfo=UTC),
         "profile": {"address": {"city": "Lisbon", "geo": {"type": "Point", "coordinates": [-9.14, 38.72]}},
                     "rating": None}}
        for n in range(7)])
    db.users.create_index("email", unique=True, name="email_unique")
    db.orders.insert_many([
        {"_id": ObjectId(), "total": {"amount": Int64(10_000 * n), "currency": "EUR"},
         "fee": Decimal128(Decimal("1.25")), "receipt": Binary(b"\x00\x01\xff" * n),
         "key": uuid.UUID(int=n), "lines": [{"sku": f"s{i}", "qty": i} for i in range(n)]}
        for n in range(1, orders + 1)])
    db.orders.create_index([("total.currency", 1), ("_id", -1)], name="by_currency")
    db.sessions.insert_one({"_id": "s1", "expires_at": datetime(2026, 12, 1, tzinfo=UTC)})
    db.sessions.create_index("expires_at", expireAfterSeconds=0, name="ttl")
    db.create_collection("empty_one")


def contents(db) -> dict[str, list[bytes]]:
    raw = CodecOptions(document_class=RawBSONDocument)
    return {name: [d.raw for d in db.get_collection(name, codec_options=raw).find().sort("_id", 1)]
            for name in sorted(db.list_collection_names())}


def indexes(db) -> dict[str, list]:
    return {name: sorted((i["name"], list(i["key"].items()), i.get("unique", False), i.get("expireAfterSeconds"))
                         for i in db[name].list_indexes())
            for name in sorted(db.list_collection_names())}


def backup(db, path: Path) -> None:
    MongoArchiver(db).backup(str(path), schema_version=DATA_SCHEMA_VERSION, created_at=CREATED, progress=Silent())


def restore(db, path: Path, drop: bool = False) -> None:
    MongoArchiver(db).restore(str(path), schema_version=DATA_SCHEMA_VERSION, drop=drop, progress=Silent())


def test_backup_wipe_restore_gives_back_every_document_byte_for_byte_and_the_indexes(client, db, tmp_path,
                                                                                     monkeypatch):
    monkeypatch.setattr(backup_module, "_BATCH_DOCUMENTS", 100)  # several insert batches
    seed(db, orders=250)
    before, before_indexes = contents(db), indexes(db)
    archive = tmp_path / "b.zip"
    progress = Silent()
    summary = MongoArchiver(db).backup(str(archive), schema_version=DATA_SCHEMA_VERSION, created_at=CREATED,
                                       progress=progress)
    assert summary.consistency == "snapshot"
    assert {c.name: c.count for c in summary.collections} == {"empty_one": 0, "orders": 250, "sessions": 1, "users": 7}
    assert progress.done == 258
    assert not (tmp_path / "b.zip.partial").exists()

    client.drop_database(DB)
    assert contents(db) == {}
    restore(db, archive)

    assert contents(db) == before
    assert indexes(db) == before_indexes
    user = db.users.find_one({"_id": "user-3"})
    assert user["created_at"] == datetime(2026, 1, 4, 9, 30, 15, 123000, tzinfo=UTC)
    order = db.orders.find_one({"lines.qty": 4}, sort=[("_id", 1)])
    assert isinstance(order["_id"], ObjectId) and isinstance(order["fee"], Decimal128)
    assert order["key"] == uuid.UUID(int=5) and order["receipt"] == b"\x00\x01\xff" * 5


def test_the_manifest_names_format_schema_counts_checksums_and_indexes(db, tmp_path):
    seed(db)
    backup(db, tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "home-services-marketplace/mongo-backup"
    assert manifest["schema_version"] == DATA_SCHEMA_VERSION
    assert manifest["app"] == "home-services-marketplace" and manifest["db_name"] == DB
    assert manifest["created_at"] == CREATED.isoformat()
    users = next(c for c in manifest["collections"] if c["name"] == "users")
    assert users["count"] == 7 and len(users["sha256"]) == 64
    assert manifest["skipped"] == []
    assert users["indexes"] == [{"key": [["email", {"$numberInt": "1"}]], "name": "email_unique", "unique": True}]


def test_a_truncated_archive_is_refused_and_the_database_left_alone(client, db, tmp_path):
    seed(db)
    backup(db, tmp_path / "b.zip")
    data = (tmp_path / "b.zip").read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    client.drop_database(DB)
    with pytest.raises(DamagedArchive, match="truncated or corrupt"):
        restore(db, tmp_path / "cut.zip")
    assert contents(db) == {}


def rewrite(source: Path, target: Path, change) -> None:
    """Copy an archive member by member (with valid zip CRCs), letting ``change`` edit a member."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info.filename, data)


def test_a_tampered_collection_fails_its_checksum(client, db, tmp_path):
    seed(db)
    backup(db, tmp_path / "b.zip")
    client.drop_database(DB)

    def flip_email(name, data):
        return data.replace(b"u3@example.com", b"u9@example.com") if name.startswith("collections/") else data

    rewrite(tmp_path / "b.zip", tmp_path / "t.zip", flip_email)
    with pytest.raises(DamagedArchive, match="users does not match its checksum"):
        restore(db, tmp_path / "t.zip")
    assert contents(db) == {}


def test_a_count_that_disagrees_with_the_manifest_is_refused(client, db, tmp_path):
    seed(db)
    backup(db, tmp_path / "b.zip")
    client.drop_database(DB)

    def miscount(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        next(c for c in manifest["collections"] if c["name"] == "users")["count"] = 8
        return json.dumps(manifest)

    rewrite(tmp_path / "b.zip", tmp_path / "c.zip", miscount)
    with pytest.raises(DamagedArchive, match="users holds 7 documents, its manifest says 8"):
        restore(db, tmp_path / "c.zip")


@pytest.mark.parametrize("edit, message", [
    ({"format": "someone-elses-dump"}, "is not a marketplace backup"),
    ({"schema_version": DATA_SCHEMA_VERSION + 1}, "schema version"),
    ({"format_version": 99}, "archive format version 99"),
])
def test_a_foreign_archive_is_refused(client, db, tmp_path, edit, message):
    seed(db)
    backup(db, tmp_path / "b.zip")
    client.drop_database(DB)
    rewrite(tmp_path / "b.zip", tmp_path / "f.zip",
            lambda name, data: json.dumps({**json.loads(data), **edit}) if name == "manifest.json" else data)
    with pytest.raises(ForeignArchive, match=message):
        restore(db, tmp_path / "f.zip")
    assert contents(db) == {}


def test_an_archive_without_manifest_is_refused(client, db, tmp_path):
    seed(db)
    backup(db, tmp_path / "b.zip")
    rewrite(tmp_path / "b.zip", tmp_path / "m.zip", lambda name, data: None if name == "manifest.json" else data)
    client.drop_database(DB)
    with pytest.raises(DamagedArchive, match="manifest.json is missing"):
        restore(db, tmp_path / "m.zip")


def test_restoring_over_data_needs_drop_and_then_replaces_it(db, tmp_path):
    seed(db)
    before = contents(db)
    backup(db, tmp_path / "b.zip")
    db.users.delete_one({"_id": "user-1"})
    db.extra.insert_one({"_id": "later"})
    with pytest.raises(DatabaseNotEmpty, match="pass --drop"):
        restore(db, tmp_path / "b.zip")
    assert db.extra.count_documents({}) == 1

    restore(db, tmp_path / "b.zip", drop=True)
    assert contents(db) == before


def test_the_cli_backs_up_and_restores_the_apps_database_and_refuses_with_one_line(mongo_url, client, tmp_path):
    from bootstrap import create_app

    app = create_app(test_settings(mongodb_uri=mongo_url, mongodb_db=DB))
    runner = app.test_cli_runner()
    client[DB].users.insert_one({"_id": "cli-user", "email": "cli@example.com", "roles": ["buyer"],
                                 "created_at": CREATED})
    before = contents(client[DB])
    archive = tmp_path / "cli.zip"

    result = runner.invoke(args=["backup", "--output", str(archive)])
    assert result.exit_code == 0, result.output
    assert f"wrote {archive}" in result.output and "snapshot" in result.output

    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 1
    assert "already holds data" in result.output and "Traceback" not in result.output

    client[DB].users.delete_many({})
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code == 0, result.output
    assert contents(client[DB]) == before

    (tmp_path / "junk.zip").write_bytes(b"not a zip at all")
    result = runner.invoke(args=["restore", str(tmp_path / "junk.zip"), "--drop"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"Error: {tmp_path / 'junk.zip'} is not a complete backup archive (truncated or corrupt)"


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.events: list[monitoring.CommandStartedEvent] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        self.events.append(event)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def test_every_read_of_a_backup_is_pinned_to_one_snapshot_time(mongo_url, db, tmp_path):
    """The local stand-in accepts snapshot reads but does not isolate them, so what is proved here
    is our half: every find and getMore goes out in one snapshot session at one cluster time,
    which MongoDB 5+ and Atlas then serve from that single point in time."""
    seed(db, orders=250)
    listener = Commands()
    with pymongo.MongoClient(mongo_url, event_listeners=[listener]) as monitored:
        MongoArchiver(monitored[DB]).backup(str(tmp_path / "b.zip"), schema_version=DATA_SCHEMA_VERSION,
                                            created_at=CREATED, progress=Silent())
    reads = [e for e in listener.events if e.command_name in ("find", "getMore")]
    assert {e.command.get("find") for e in reads if e.command_name == "find"} >= {"orders", "users", "sessions"}
    sessions = {e.command["lsid"]["id"] for e in reads}
    assert len(sessions) == 1
    finds = [e.command for e in reads if e.command_name == "find"]
    assert all(c["readConcern"]["level"] == "snapshot" for c in finds)
    pinned = {c["readConcern"].get("atClusterTime") for c in finds[1:]}
    assert len(pinned) == 1 and None not in pinned


def test_a_server_without_snapshot_sessions_is_read_per_collection_and_the_manifest_says_so(
        client, db, tmp_path, monkeypatch):
    seed(db)
    before = contents(db)

    def no_snapshots(**_options):
        raise pymongo.errors.ConfigurationError("snapshot reads require MongoDB 5.0 or later")

    monkeypatch.setattr(client, "start_session", no_snapshots)
    summary = MongoArchiver(db).backup(str(tmp_path / "b.zip"), schema_version=DATA_SCHEMA_VERSION,
                                       created_at=CREATED, progress=Silent())
    assert summary.consistency.startswith("per-collection (no snapshot session: snapshot reads require")
    monkeypatch.undo()

    client.drop_database(DB)
    restore(db, tmp_path / "b.zip")
    assert contents(db) == before
