from __future__ import annotations

import uuid


def new_id() -> str:
    """A new opaque identifier; a UUID4 in its 32-character hex form."""
    return uuid.uuid4().hex
