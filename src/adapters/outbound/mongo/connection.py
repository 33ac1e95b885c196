from __future__ import annotations

from typing import Any

import mongoengine
from mongoengine import Document
from pymongo.database import Database


def connect(uri: str, db_name: str, *, client_class: type | None = None, **options: Any) -> Database:
    """Open the one connection of this process (mongoengine's default alias)."""
    mongoengine.disconnect()
    kwargs: dict[str, Any] = {"host": uri, "uuidRepresentation": "standard", "tz_aware": True,
                              "serverSelectionTimeoutMS": 5_000, **options}
    if client_class is not None:
        kwargs["mongo_client_class"] = client_class
    mongoengine.connect(db=db_name, **kwargs)
    return mongoengine.get_db()


def disconnect() -> None:
    mongoengine.disconnect()


def ensure_indexes(documents: list[type[Document]]) -> None:
    for document in documents:
        document.ensure_indexes()


def database() -> Database:
    return mongoengine.get_db()


class MongoConnection:
    """The process's MongoDB connection. Built lazily by the injector the first time a Mongo
    adapter is needed, so an app wired with fakes never opens one."""

    def __init__(self, uri: str, db_name: str, *, client_class: type | None = None,
                 write_concern: str | int | None = None, journal: bool | None = None) -> None:
        # Client-wide, so transactions' commits and mongoengine's saves inherit it; keyword
        # options win over the same options in the URI, so a URI cannot weaken it.
        durability: dict[str, Any] = {}
        if write_concern is not None:
            durability["w"] = write_concern
        if journal is not None:
            durability["journal"] = journal
        self.db = connect(uri, db_name, client_class=client_class, **durability)
        self._indexed: set[type[Document]] = set()

    def ensure(self, documents: list[type[Document]]) -> None:
        pending = [d for d in documents if d not in self._indexed]
        ensure_indexes(pending)
        self._indexed.update(pending)


class MongoReadiness:
    name = "mongodb"

    def __init__(self, connection: MongoConnection) -> None:
        self._db = connection.db

    def check(self) -> tuple[bool, str]:
        try:
            self._db.command("ping")
            return True, "reachable"
        except Exception as error:  # readiness reports, it never raises
            return False, f"unreachable: {type(error).__name__}"
