"""limits' MongoDB storage with a fixed window that ends when it says it does, on MongoDB and on the
local MongoDB-compatible server alike.

limits renews an expired window inside an update pipeline with ``{$lt: ["$expireAt", "$$NOW"]}``.
The local server (secantus) compares a stored date with ``$$NOW`` as equal (``$cmp`` answers 0),
so that test is never true there: the window was never renewed, the count only grew, and the
caller got 429 with a Retry-After in the past until the TTL monitor (once a minute) deleted the
counter, so "10 a minute" locked for up to two. The same pipeline with the time given as a
literal date is standard MongoDB and compares correctly on both servers.

The time is the app's clock, not the server's: every worker and replica reads its own, so a
skew of a second between hosts moves a window's end by that second, never by a minute.
"""

from __future__ import annotations

import datetime

from limits.storage import MongoDBStorage

SCHEME_PREFIX = "marketplace+"


class ExactWindowMongoDBStorage(MongoDBStorage):
    STORAGE_SCHEME = [f"{SCHEME_PREFIX}mongodb", f"{SCHEME_PREFIX}mongodb+srv"]

    def __init__(self, uri: str, **options: int | str | bool) -> None:
        # Registered under a scheme of its own; the driver gets the ordinary MongoDB URI.
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = datetime.datetime.now(datetime.UTC)
        expired = {"$lt": ["$expireAt", now]}  # also true for a new counter (no expireAt yet)
        counter = self.counters.find_one_and_update(
            {"_id": key},
            [{"$set": {
                "count": {"$cond": {"if": expired, "then": amount, "else": {"$add": ["$count", amount]}}},
                "expireAt": {"$cond": {"if": expired, "then": now + datetime.timedelta(seconds=expiry),
                                       "else": "$expireAt"}},
            }}],
            upsert=True,
            projection=["count"],
            return_document=self.lib.ReturnDocument.AFTER,
        )
        return int(counter["count"]) if counter else 0


def exact_storage_uri(uri: str) -> str:
    """The URI that makes limits pick the storage above for a MongoDB URI; others unchanged."""
    return f"{SCHEME_PREFIX}{uri}" if uri.startswith(("mongodb://", "mongodb+srv://")) else uri
