"""Consumer lag read from the broker: per worker group, the messages on its topic that the group
has not committed yet (the partitions' high watermarks minus the group's committed offsets).

Measured here, where /metrics is answered, rather than in the workers: a worker serves no HTTP
and under docker compose runs in its own container, so numbers it kept in memory would need a
scrape target of their own. The broker knows the same two numbers the worker would compare,
for three small admin requests per group; answers are cached so frequent scrapes (and several
gunicorn workers) do not multiply them, and a broker that does not answer costs one bounded wait
per cache period, not one per scrape."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping

from confluent_kafka import OFFSET_INVALID, ConsumerGroupTopicPartitions, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec


class KafkaConsumerLag:
    """``groups`` maps each consumer group to the topic it reads."""

    def __init__(self, bootstrap_servers: str, groups: Mapping[str, str], *, timeout_seconds: float = 2.0,
                 cache_seconds: float = 10.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._servers = bootstrap_servers
        self._groups = dict(groups)
        self._timeout = timeout_seconds
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._admin: AdminClient | None = None
        self._cached: tuple[float, dict[tuple[str, str], int] | Exception] | None = None
        self._lock = threading.Lock()

    def read(self) -> dict[tuple[str, str], int]:
        with self._lock:
            now = self._monotonic()
            if self._cached is None or now - self._cached[0] >= self._cache_seconds:
                try:
                    self._cached = (now, self._measure())
                except (KafkaException, TimeoutError) as error:
                    self._cached = (now, error)
            answer = self._cached[1]
        if isinstance(answer, Exception):
            raise answer
        return dict(answer)

    def _client(self) -> AdminClient:
        # Built on first scrape: an API that is never scraped never connects for this.
        if self._admin is None:
            self._admin = AdminClient({"bootstrap.servers": self._servers,
                                       "logger": logging.getLogger("kafka.admin")})
        return self._admin

    def _measure(self) -> dict[tuple[str, str], int]:
        admin = self._client()
        # Every topic's metadata, not one topic's: asking for a missing topic by name can create it.
        topics = admin.list_topics(timeout=self._timeout).topics
        lags: dict[tuple[str, str], int] = {}
        for group, topic in self._groups.items():
            metadata = topics.get(topic)
            if metadata is None or metadata.error is not None or not metadata.partitions:
                continue  # no such topic yet (no worker ever started): nothing to lag behind
            partitions = [TopicPartition(topic, p) for p in sorted(metadata.partitions)]
            committed = self._committed(admin, group, partitions)
            latest = self._offsets(admin, partitions, OffsetSpec.latest())
            uncommitted = [tp for tp in partitions if committed.get(tp.partition, OFFSET_INVALID) < 0]
            # A partition the group never committed on is read from the start (auto.offset.reset).
            earliest = self._offsets(admin, uncommitted, OffsetSpec.earliest()) if uncommitted else {}
            lags[(topic, group)] = sum(
                max(0, latest[p] - (committed[p] if committed.get(p, OFFSET_INVALID) >= 0 else earliest[p]))
                for p in latest)
        return lags

    def _committed(self, admin: AdminClient, group: str, partitions: list[TopicPartition]) -> dict[int, int]:
        futures = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group, partitions)],
                                                    request_timeout=self._timeout)
        answer = futures[group].result(timeout=self._timeout)
        return {tp.partition: tp.offset for tp in answer.topic_partitions if tp.error is None}

    def _offsets(self, admin: AdminClient, partitions: list[TopicPartition], spec: OffsetSpec) -> dict[int, int]:
        futures = admin.list_offsets({tp: spec for tp in partitions}, request_timeout=self._timeout)
        return {tp.partition: future.result(timeout=self._timeout).offset for tp, future in futures.items()}
