"""Valid changes and changes files, and the means to take a file apart and put it
back together (re-signed by any key, or not at all): what the hostile files are
made of. Everything is generated here; nothing is downloaded."""

from __future__ import annotations

import gzip
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nsdesk.exchange.changes import (
    ChangesHeader,
    Expectations,
    KeyState,
    KeyStatus,
    ScryptCost,
    SigningKey,
    write_changes,
)
from nsdesk.exchange.changes import lines as wire
from nsdesk.services.merge.change_schema import change_schema
from nsdesk.store.schema_revisions import SCHEMA_HEAD, SCHEMA_REVISIONS

PASSPHRASE = "correct horse battery staple"
CHEAP = ScryptCost(n=1 << 14)
"""The cheapest derivation nsdesk writes: tests encrypt many files."""
DESK = "5e1f0c3a-8d2b-4c6e-9a7f-1b2c3d4e5f60"
REPLICA = "7c1e9a0b-3d4f-4a5b-8c6d-0e1f2a3b4c5d"


def sample_change(number: int, **overrides: Any) -> dict[str, Any]:
    """A valid change: a field edit of a commitment, as the change log records it."""
    change = {
        "uuid": str(uuid.uuid4()),
        "at": f"2026-11-22T10:{number % 60:02d}:00.123456+00:00",
        "actor": "anna@laptop-7",
        "channel": "typed",
        "action": "update",
        "record_table": "commitment",
        "record_uuid": str(uuid.uuid4()),
        "record_label": f"C-{number:04d} Secure the sources",
        "field": "title",
        "old_value": f"Title {number}",
        "new_value": f"Title {number}, revised — révisé",
        "operation_id": str(uuid.uuid4()),
        "note": None,
    }
    # The change log of schema 0004 adds its keys; a sample fills whatever the
    # schema has, so these helpers follow it.
    for spec in change_schema().keys:
        change.setdefault(spec.name, _filler(spec.name, number))
    change.update(overrides)
    return change


def _filler(name: str, number: int) -> Any:
    if name == "revision":
        return number + 1
    if name == "replica_id":
        return REPLICA
    if name == "hlc":
        return f"{1764000000000 + number:015d}-00000-{REPLICA}"
    return None  # parent_uuid and anything nullable


def header_for(changes: Iterable[dict[str, Any]], **overrides: Any) -> ChangesHeader:
    """A header describing ``changes`` (counts per table) for the test desk."""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change["record_table"]] = counts.get(change["record_table"], 0) + 1
    values: dict[str, Any] = {
        "desk_uuid": DESK,
        "schema_revision": SCHEMA_HEAD,
        "sender_replica": REPLICA,
        "sender_label": "Anna's laptop",
        "marking": "RESTRICTED",
        "knows": {REPLICA: 120},
        "counts": counts,
    }
    values.update(overrides)
    return ChangesHeader(**values)


def write_sample(
    path: Path,
    key: SigningKey,
    changes: list[dict[str, Any]] | None = None,
    passphrase: str | None = None,
    **header: Any,
) -> list[dict[str, Any]]:
    """Write a valid file of ``changes`` (20 sample ones by default); returns them."""
    changes = changes if changes is not None else [sample_change(i) for i in range(20)]
    write_changes(
        path,
        header_for(changes, **header),
        changes,
        key,
        passphrase,
        schema=change_schema(),
        cost=CHEAP,
    )
    return changes


def decompose(path: Path) -> list[bytes]:
    """The file's decompressed lines, each with its line break, trailer included."""
    return gzip.decompress(path.read_bytes()).splitlines(keepends=True)


def assemble(path: Path, body: list[bytes], key: SigningKey | None) -> Path:
    """Write ``body`` (every line but the trailer) as a changes file, with a trailer
    of its true digest signed by ``key`` (the lines alone when ``key`` is None)."""
    data = b"".join(body)
    if key is not None:
        digest = hashlib.sha256(data).digest()
        trailer = wire.trailer_json(digest, key.sign_digest(digest))
        data += (wire.dumps(trailer) + "\n").encode()
    path.write_bytes(gzip.compress(data))
    return path


def envelope_of(path: Path) -> dict[str, Any]:
    """The first line of a file, as JSON."""
    data, problem = wire.loads(decompose(path)[0])
    assert problem is None
    return data


@dataclass
class Trust:
    """The keys a desk trusts or revoked, as a reader asks for them."""

    trusted: set[str] = field(default_factory=set)
    revoked: set[str] = field(default_factory=set)

    def status(self, fingerprint: str) -> KeyStatus:
        if fingerprint in self.revoked:
            return KeyStatus(KeyState.REVOKED, "revoked 2026-11-02 10:31 UTC by anna@laptop-7")
        if fingerprint in self.trusted:
            return KeyStatus(KeyState.TRUSTED, "trusted")
        return KeyStatus(KeyState.UNKNOWN)


def expectations(received: dict[str, str] | None = None) -> Expectations:
    """What the test desk expects: its UUID, this nsdesk's schemas, files received."""
    seen = received or {}
    return Expectations(
        desk_uuid=DESK,
        schema_revisions=SCHEMA_REVISIONS,
        schema=change_schema(),
        received=seen.get,
    )
