"""Reading what landed on a topic of the local broker, from its beginning, for assertions."""

from __future__ import annotations

import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, Message, TopicPartition


def read_from_beginning(servers: str, topic: str, expected: int, group: str, seconds: float = 10) -> list[Message]:
    """The topic's messages from its first offset, until ``expected`` have arrived or ``seconds`` pass."""
    consumer = Consumer({"bootstrap.servers": servers, "group.id": group, "enable.auto.commit": False})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        found: list[Message] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(found) < expected:
            received = consumer.poll(0.5)
            if received is not None and received.error() is None:
                found.append(received)
        return found
    finally:
        consumer.close()
