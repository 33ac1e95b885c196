"""Consumer lag measured on the local broker (Tansu): the group's committed offsets against the
partitions' high watermarks, as /metrics reports it."""

from __future__ import annotations

import time

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from adapters.inbound.cli.kafka_worker import ensure_topics
from adapters.outbound.kafka.lag import KafkaConsumerLag
from devtools.processes import free_port

pytestmark = pytest.mark.integration


def commit_first(servers: str, group: str, topic: str, how_many: int) -> None:
    """Read ``how_many`` messages of partition 0 as the group and commit after each, as a worker does."""
    consumer = Consumer({"bootstrap.servers": servers, "group.id": group, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest"})
    try:
        consumer.assign([TopicPartition(topic, 0)])
        done, deadline = 0, time.monotonic() + 15
        while done < how_many and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                consumer.commit(message=message, asynchronous=False)
                done += 1
        assert done == how_many
    finally:
        consumer.close()


def test_lag_is_what_the_group_has_not_committed_on_every_partition(kafka_servers):
    topic, group = f"lag.test.{time.monotonic_ns()}", f"lag-group-{time.monotonic_ns()}"
    ensure_topics(kafka_servers, [topic])
    producer = Producer({"bootstrap.servers": kafka_servers})
    for partition, count in ((0, 5), (1, 2)):
        for n in range(count):
            producer.produce(topic, value=b"%d" % n, partition=partition)
            # One record per batch: Tansu reports a partition's high watermark as the last batch's
            # base offset + 1, short of the records after it in that batch (Apache Kafka does not).
            assert producer.flush(10) == 0
    missing_topic = f"lag.never.created.{time.monotonic_ns()}"

    def lag() -> dict:
        return KafkaConsumerLag(kafka_servers, {group: topic, "other-group": missing_topic}, cache_seconds=0).read()

    # A group that never committed reads from the start: everything is lag.
    assert lag() == {(topic, group): 7}
    commit_first(kafka_servers, group, topic, 3)
    assert lag() == {(topic, group): 4}


def test_an_unreachable_broker_fails_within_the_timeout():
    reader = KafkaConsumerLag(f"127.0.0.1:{free_port()}", {"g": "t"}, timeout_seconds=1, cache_seconds=60)
    started = time.monotonic()
    with pytest.raises(Exception):
        reader.read()
    assert time.monotonic() - started < 5
