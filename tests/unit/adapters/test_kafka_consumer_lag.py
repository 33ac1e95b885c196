"""The lag reader's cache, without a broker: one measurement per period, failures cached too."""

from __future__ import annotations

import pytest
from confluent_kafka import KafkaException

from adapters.outbound.kafka.lag import KafkaConsumerLag


class CountingLag(KafkaConsumerLag):
    def __init__(self, answers: list, clock: list[float]) -> None:
        super().__init__("unused:1", {"g": "t"}, cache_seconds=10, monotonic=lambda: clock[0])
        self.answers = answers
        self.measured = 0

    def _measure(self):
        self.measured += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_scrapes_within_the_cache_period_share_one_measurement():
    clock = [100.0]
    lag = CountingLag([{("t", "g"): 5}, {("t", "g"): 2}], clock)
    assert lag.read() == {("t", "g"): 5}
    clock[0] += 9
    assert lag.read() == {("t", "g"): 5} and lag.measured == 1
    clock[0] += 1
    assert lag.read() == {("t", "g"): 2} and lag.measured == 2


def test_a_broker_that_does_not_answer_is_asked_again_only_after_the_period():
    clock = [0.0]
    lag = CountingLag([KafkaException("down"), {("t", "g"): 0}], clock)
    for _ in range(3):
        with pytest.raises(KafkaException):
            lag.read()
    assert lag.measured == 1
    clock[0] += 10
    assert lag.read() == {("t", "g"): 0}
