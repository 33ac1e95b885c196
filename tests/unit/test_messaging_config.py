import pytest

from config import ConfigError, load_settings


def test_messaging_defaults():
    settings = load_settings({})
    assert (settings.support_requests_topic, settings.support_requests_dlq_topic) == (
        "support.requests", "support.requests.dlq")
    assert settings.marketplace_events_topic == "marketplace.events"
    assert settings.consumer_max_attempts == 3


def test_topics_groups_and_limits_come_from_the_environment():
    settings = load_settings({"SUPPORT_REQUESTS_TOPIC": "prod.support", "SUPPORT_WORKER_GROUP": "support-eu",
                              "CONSUMER_MAX_ATTEMPTS": "5", "KAFKA_SESSION_TIMEOUT_MS": "6000",
                              "KAFKA_HEARTBEAT_INTERVAL_MS": "500"})
    assert (settings.support_requests_topic, settings.support_worker_group) == ("prod.support", "support-eu")
    assert (settings.consumer_max_attempts, settings.kafka_session_timeout_ms) == (5, 6000)


@pytest.mark.parametrize(("environ", "named"), [
    ({"SUPPORT_REQUESTS_TOPIC": "bad topic"}, "SUPPORT_REQUESTS_TOPIC"),
    ({"MARKETPLACE_EVENTS_DLQ_TOPIC": "marketplace.events"}, "dead-letter"),
    ({"CONSUMER_MAX_ATTEMPTS": "0"}, "CONSUMER_MAX_ATTEMPTS"),
    ({"KAFKA_HEARTBEAT_INTERVAL_MS": "20000"}, "KAFKA_HEARTBEAT_INTERVAL_MS"),
    ({"OUTBOX_RETRY_BASE_MS": "5000", "OUTBOX_RETRY_MAX_MS": "1000"}, "OUTBOX_RETRY_MAX_MS"),
    ({"OUTBOX_LEASE_SECONDS": "5"}, "OUTBOX_LEASE_SECONDS"),
    ({"OUTBOX_BATCH_SIZE": "many"}, "OUTBOX_BATCH_SIZE"),
])
def test_a_bad_messaging_setting_stops_start_up_naming_it(environ, named):
    with pytest.raises(ConfigError) as error:
        load_settings(environ)
    assert named in str(error.value)
