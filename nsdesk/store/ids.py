"""Record identifiers."""

import uuid


def new_uuid() -> str:
    """A new record UUID: identifies a record across desks (for merging their work)."""
    return str(uuid.uuid4())
