"""Kafka plumbing shared by the publisher, the relay and the consumers."""
