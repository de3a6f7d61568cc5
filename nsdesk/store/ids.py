"""Record identifiers."""

import os
import uuid


def new_uuid() -> str:
    """A new record UUID: identifies a record across desks (for merging their work)."""
    return str(uuid.uuid4())


def new_uuids(count: int) -> list[str]:
    """``count`` new UUIDs (version 4) at once, for bulk inserts: one call for the
    random bytes instead of one per record."""
    raw = os.urandom(16 * count)
    result = []
    for start in range(0, 16 * count, 16):
        chunk = bytearray(raw[start : start + 16])
        chunk[6] = (chunk[6] & 0x0F) | 0x40  # version 4
        chunk[8] = (chunk[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = chunk.hex()
        result.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return result
