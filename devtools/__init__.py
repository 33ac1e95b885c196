"""Developer tools: the local stand-ins of MongoDB, Kafka and Square, and the process runner
that `make run` and the test fixtures share. Not shipped to production."""
