from __future__ import annotations

from confluent_kafka.admin import AdminClient


class KafkaReadiness:
    name = "kafka"

    def __init__(self, bootstrap_servers: str, timeout_seconds: float = 1.5) -> None:
        self._servers = bootstrap_servers
        self._timeout = timeout_seconds

    def check(self) -> tuple[bool, str]:
        try:
            admin = AdminClient({"bootstrap.servers": self._servers, "socket.timeout.ms": int(self._timeout * 1000)})
            metadata = admin.list_topics(timeout=self._timeout)
            return True, f"{len(metadata.brokers)} broker(s) reachable"
        except Exception as error:  # readiness reports, it never raises
            return False, f"unreachable: {type(error).__name__}"
