"""The events support records. Topics are logical names; the Kafka publisher maps them to the
configured topic names, so the domain never reads configuration."""

from __future__ import annotations

SUPPORT_REQUESTS_TOPIC = "support.requests"
# The topic every context writes the events a person cares about to; the notifications consumer
# turns any event on it that carries ``recipient_ids`` into inbox items.
MARKETPLACE_EVENTS_TOPIC = "marketplace.events"

SUPPORT_REQUEST_SUBMITTED = "support.request_submitted"
TICKET_OPENED = "support.ticket_opened"
TICKET_REPLIED = "support.ticket_replied"
TICKET_STATUS_CHANGED = "support.ticket_status_changed"
