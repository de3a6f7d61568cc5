"""What a changes file holds, what it is checked against, and its bounds.

Plain frozen dataclasses and protocols: the services build them from a desk (its
UUID, its schema, its trusted keys) and hand them in; this package never sees the
desk. The keys of one change are not listed here: they are a :class:`ChangeSchema`
the services derive from the desk's ``audit_entry`` table, so the file carries
exactly what the change log holds and follows it when it grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol
from uuid import uuid4

FORMAT_VERSION = 1
"""The changes-file format this version writes and reads (and every older one it
knows: none yet). A file of a newer format is refused, naming both."""
SUFFIX = ".nsdesk-changes"
"""The suffix of a changes file: ``NAME.nsdesk-changes``."""

_MIB = 1 << 20


class KeyKind(StrEnum):
    """The kind of value a key of a change holds, as JSON."""

    TEXT = "text"  # a string, bounded by max_length, matching pattern when given
    INTEGER = "integer"  # a whole number (not a boolean), 0 or more
    JSON = "json"  # any JSON value (a field's old or new value)
    DATETIME = "datetime"  # ISO 8601 with its offset, as "2026-11-22T10:31:02.123456+00:00"
    CHOICE = "choice"  # one of ``choices``


@dataclass(frozen=True, slots=True)
class KeySpec:
    """One key of a change: its name, kind, whether it may be null, and its bounds."""

    name: str
    kind: KeyKind
    nullable: bool = False
    max_length: int | None = None
    choices: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    what: str = ""  # how the pattern is said to a user ("a UUID")


@dataclass(frozen=True, slots=True)
class ChangeSchema:
    """What one change is: its keys (in the order they are written), and the tables
    and fields a change may name (table name -> the field names of its records).

    ``table_key`` and ``field_key`` name the keys that hold a table and a field: a
    change naming a table or field the reading desk does not have is refused."""

    keys: tuple[KeySpec, ...]
    tables: Mapping[str, frozenset[str]]
    table_key: str = "record_table"
    field_key: str = "field"

    @property
    def names(self) -> tuple[str, ...]:
        """The keys of a change, in the order they are written."""
        return tuple(spec.name for spec in self.keys)


@dataclass(frozen=True, slots=True)
class ChangesLimits:
    """Hard bounds on what reading a file may cost, checked as it is read (before
    anything is decompressed further), so a gzip bomb is refused after a few MB."""

    max_file_bytes: int = 512 * _MIB
    """The file as it lies on disk (compressed)."""
    max_line_bytes: int = 4 * _MIB
    """One line once decompressed: a change with its values (a long text is at most
    32,767 characters; a record's creation carries all its fields)."""
    max_total_bytes: int = 2048 * _MIB
    """Everything once decompressed."""
    max_changes: int = 5_000_000
    """Changes in one file (a scale-100 desk's whole history is under a million)."""
    max_scrypt_n: int = 1 << 18
    """The most costly key derivation a file may ask for: n=2^18 with r=8 takes 256 MiB
    and about two seconds here (twice what nsdesk writes); 2^20 would take 1 GiB."""
    max_scrypt_r: int = 8
    max_scrypt_p: int = 2


DEFAULT_LIMITS = ChangesLimits()


@dataclass(frozen=True, slots=True)
class ScryptCost:
    """The cost of deriving a file's key from its passphrase (scrypt, RFC 7914). The
    default takes 128 MiB and a fraction of a second, once per file."""

    n: int = 1 << 17
    r: int = 8
    p: int = 1


DEFAULT_SCRYPT = ScryptCost()
MIN_SCRYPT_N = 1 << 14
"""The cheapest derivation nsdesk writes (16 MiB): a passphrase must stay costly to guess."""
MIN_PASSPHRASE = 8
"""The shortest passphrase nsdesk encrypts with, in characters."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _new_id() -> str:
    return str(uuid4())


@dataclass(frozen=True, slots=True)
class ChangesHeader:
    """What a changes file says about itself.

    ``knows`` is what the sender had already seen of each replica when it wrote the
    file (replica id -> the highest revision of that replica it holds): the receiver
    answers with what the sender lacks. ``counts`` is the number of changes per
    table, and must match the changes written. ``marking`` is the highest marking of
    the records the changes touch, as the sender's desk decided it (the changes do
    not carry markings); the writer cannot check it, the caller must give it right.
    ``file_id`` identifies this one send: a file whose id the desk has already
    received is refused as a replay.
    """

    desk_uuid: str
    schema_revision: str
    sender_replica: str
    sender_label: str
    marking: str
    knows: Mapping[str, int] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)
    file_id: str = field(default_factory=_new_id)
    created_at: str = field(default_factory=_now)

    @property
    def total(self) -> int:
        """How many changes the file holds."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Envelope:
    """The part of the header any holder of the file may read, even of an encrypted
    file: enough to refuse a file early (another desk, a newer schema, an untrusted or
    revoked key, a replay) and to know how to handle it (its marking), without the
    passphrase. Who sent it by name, what it holds and how much are inside."""

    format_version: int
    file_id: str
    desk_uuid: str
    schema_revision: str
    created_at: str
    sender_replica: str
    sender_key: bytes  # the sending laptop's Ed25519 public key, 32 bytes
    marking: str
    encryption: Encryption | None


@dataclass(frozen=True, slots=True)
class Encryption:
    """How an encrypted file's contents were sealed: AES-256-GCM in chunks, under a key
    derived from the passphrase by scrypt with this salt and cost."""

    salt: bytes
    cost: ScryptCost
    chunk_bytes: int


@dataclass(frozen=True, slots=True)
class Summary:
    """The part of the header that is sealed with the contents when the file is
    encrypted: the sender's label, what it knows, and the counts."""

    sender_label: str
    knows: Mapping[str, int]
    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class KeyState(StrEnum):
    """What a desk says of a laptop key."""

    TRUSTED = "trusted"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class KeyStatus:
    """A desk's word on one key: its state, and in plain words since when and by whom
    ("revoked 2026-11-02 by anna@laptop-7")."""

    state: KeyState
    said: str = ""


class KeyTrust(Protocol):
    """Which laptop keys a desk trusts (the services read it from the desk)."""

    def status(self, fingerprint: str) -> KeyStatus:
        """What the desk says of the key with ``fingerprint``."""
        ...


@dataclass(frozen=True, slots=True)
class Expectations:
    """What the reading desk expects of a file: its own UUID, the schema revisions it
    understands (a newer one is refused), the changes it can read, and what it has
    already received (``received(file_id)`` says when, or ``None``)."""

    desk_uuid: str
    schema_revisions: tuple[str, ...]
    schema: ChangeSchema
    received: Callable[[str], str | None] = lambda _file_id: None
