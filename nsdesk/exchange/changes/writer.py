"""Writing a changes file, streamed: the changes are serialised, hashed and compressed
as they come, so a file of millions of changes costs the memory of a few of them.

The file is one gzip stream of UTF-8 JSON lines::

    {"nsdesk_changes": 1, "file_id": …, "desk_uuid": …, …}     the envelope (always clear)
    {"summary": {"sender_label": …, "knows": …, "counts": …}}  the summary
    {"uuid": …, "revision": …, …}                               one line per change
    …
    {"trailer": {"sha256": …, "signature": …}}                  digest and signature

The trailer's SHA-256 is of every byte (decompressed) before it; the signature is
the sending laptop's Ed25519 signature of that digest. With a passphrase, the
summary and the changes are not written as lines: they are compressed (raw
deflate), cut into chunks and each chunk sealed with AES-256-GCM (the STREAM
construction, see :mod:`nsdesk.exchange.changes.crypto`), one ``{"sealed": …}``
line per chunk; the envelope stays clear and is bound to every chunk, and the
digest and signature cover the sealed lines, so a file can be checked, and refused,
before anyone types its passphrase.

The file appears under its name only once complete: it is written owner-only
beside its destination under a temporary name, then renamed.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import queue
import threading
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO
from uuid import uuid4

from nsdesk.domain.changes_errors import ChangesWriteError
from nsdesk.domain.private_files import open_private_file
from nsdesk.exchange.changes import lines
from nsdesk.exchange.changes.batch_check import batch_checker
from nsdesk.exchange.changes.crypto import SALT_BYTES, SigningKey, chunk_sealer, derive_key
from nsdesk.exchange.changes.model import (
    DEFAULT_LIMITS,
    DEFAULT_SCRYPT,
    FORMAT_VERSION,
    MIN_PASSPHRASE,
    MIN_SCRYPT_N,
    ChangeSchema,
    ChangesHeader,
    Encryption,
    Envelope,
    ScryptCost,
    Summary,
)

COMPRESS_LEVEL = 6
"""zlib's own default: within a few per cent of the smallest file at a third of the time."""
CHUNK_BYTES = 1 << 16
"""The sealed chunks of an encrypted file: 64 KiB of compressed contents each."""
_BATCH_CHARS = 1 << 16  # lines are joined and compressed 64 KiB at a time
_CHECK_BATCH = 1000  # changes checked together (see batch_check)
_QUEUED_BATCHES = 8  # batches made and not yet written: at most about half a MiB


@dataclass(frozen=True, slots=True)
class WrittenChanges:
    """A changes file as written: where, which send, how many changes, its size, the
    SHA-256 of its contents (the trailer's) and the fingerprint of the signing key."""

    path: Path
    file_id: str
    changes: int
    bytes: int
    digest: str
    fingerprint: str
    encrypted: bool


def _envelope(header: ChangesHeader, key: SigningKey, encryption: Encryption | None) -> Envelope:
    envelope = Envelope(
        format_version=FORMAT_VERSION,
        file_id=header.file_id,
        desk_uuid=header.desk_uuid,
        schema_revision=header.schema_revision,
        created_at=header.created_at,
        sender_replica=header.sender_replica,
        sender_key=key.public_bytes,
        marking=header.marking,
        encryption=encryption,
    )
    _, problem = lines.envelope_from(lines.envelope_json(envelope))
    if problem:
        raise ChangesWriteError(f"the header cannot be written: {problem.removeprefix('its ')}")
    return envelope


def _summary(header: ChangesHeader) -> Summary:
    summary = Summary(header.sender_label, dict(header.knows), dict(header.counts))
    _, problem = lines.summary_from(lines.summary_json(summary))
    if problem:
        raise ChangesWriteError(f"the header cannot be written: {problem.removeprefix('its ')}")
    return summary


class _Body:
    """Where the lines after the envelope go: hashed and compressed as they are (a
    plain file), or compressed, sealed in chunks and written as sealed lines.

    The lines are joined and encoded here, 64 KiB at a time; hashing, compressing,
    sealing and writing each batch happen on a thread of their own, in the order the
    batches came, while the next lines are made: zlib, hashlib and the file let other
    threads run while they work, so on a machine with two cores a file takes little
    more than making its lines. :meth:`finish` (or :meth:`close`, on any failure)
    waits for that thread; a failure there is raised here."""

    def __init__(
        self, out: gzip.GzipFile, digest: Any, seal: Callable[[bytes, bool], bytes] | None
    ):
        self._out = out
        self._digest = digest
        self._seal = seal
        self._pending: list[str] = []
        self._pending_chars = 0
        self._deflate = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15) if seal else None
        self._sealed = bytearray()
        self._batches: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_BATCHES)
        self._failure: BaseException | None = None
        self._worker = threading.Thread(target=self._take_batches, name="changes-writer")
        self._worker.start()

    def line(self, text: str) -> None:
        self._pending.append(text)
        self._pending_chars += len(text)
        if self._pending_chars >= _BATCH_CHARS:
            self._flush()

    def _emit(self, data: bytes) -> None:
        self._digest.update(data)
        self._out.write(data)

    def _flush(self) -> None:
        if self._failure is not None:
            raise self._failure
        if not self._pending:
            return
        data = "".join(self._pending).encode("utf-8")
        self._pending.clear()
        self._pending_chars = 0
        self._batches.put(data)

    def _take_batches(self) -> None:
        # After a failure the batches are still taken (and dropped), so the lines'
        # side never waits on a full queue; it raises the failure at its next batch.
        while (data := self._batches.get()) is not None:
            if self._failure is not None:
                continue
            try:
                self._take(data)
            except BaseException as error:  # any failure, handed to the lines' side
                self._failure = error

    def _take(self, data: bytes) -> None:
        if self._deflate is None:
            self._emit(data)
            return
        self._sealed += self._deflate.compress(data)
        self._seal_full(CHUNK_BYTES)

    def _seal_full(self, keep: int) -> None:
        # A chunk is sealed only while more than ``keep`` bytes wait, so the last
        # chunk (flagged as such in its nonce) is never empty unless the body is.
        assert self._seal is not None
        while len(self._sealed) > keep:
            chunk = bytes(self._sealed[:CHUNK_BYTES])
            del self._sealed[:CHUNK_BYTES]
            self._emit((lines.dumps(lines.sealed_json(self._seal(chunk, False))) + "\n").encode())

    def close(self) -> None:
        """Wait for the batches given so far to be taken (or dropped after a failure)."""
        if self._worker.is_alive():
            self._batches.put(None)
            self._worker.join()

    def finish(self) -> None:
        """Write every line given, and end a sealed body with its last chunk."""
        self._flush()
        self.close()
        if self._failure is not None:
            raise self._failure
        if self._deflate is None or self._seal is None:
            return
        self._sealed += self._deflate.flush(zlib.Z_FINISH)
        self._seal_full(CHUNK_BYTES)
        last = self._seal(bytes(self._sealed), True)
        self._emit((lines.dumps(lines.sealed_json(last)) + "\n").encode())


def _write_body(
    body: _Body,
    summary: Summary,
    changes: Iterable[Mapping[str, Any]],
    schema: ChangeSchema,
) -> int:
    body.line(lines.dumps(lines.summary_json(summary)) + "\n")
    check = batch_checker(schema)
    table_key = schema.table_key
    found: dict[str, int] = {}
    limit, line_limit = DEFAULT_LIMITS.max_changes, DEFAULT_LIMITS.max_line_bytes
    given = iter(changes)
    count = 0
    while batch := [c if type(c) is dict else dict(c) for c in islice(given, _CHECK_BATCH)]:
        refused = check(batch)
        if refused is not None:
            at, problem = refused
            raise ChangesWriteError(f"change {count + at + 1:,} cannot be written: {problem}")
        for change in batch:
            count += 1
            try:
                text = lines.dumps(change)
            except (TypeError, ValueError) as error:
                raise ChangesWriteError(f"change {count:,} is not JSON: {error}") from error
            # A character is at most 4 bytes in UTF-8: only a long line needs measuring.
            if len(text) * 4 >= line_limit and len(text.encode("utf-8")) >= line_limit:
                raise ChangesWriteError(
                    f"change {count:,} is longer than a changes file allows ({line_limit:,} bytes)"
                )
            table = change[table_key]
            found[table] = found.get(table, 0) + 1
            body.line(text + "\n")
            if count > limit:
                raise ChangesWriteError(f"more changes than one file holds ({limit:,})")
    problem = lines.counts_problem(summary.counts, found)
    if problem:
        raise ChangesWriteError(
            f"the header does not describe the changes: {problem.removeprefix('its ')}"
        )
    body.finish()
    return count


def write_changes(
    path: Path,
    header: ChangesHeader,
    changes: Iterable[Mapping[str, Any]],
    key: SigningKey,
    passphrase: str | None = None,
    *,
    schema: ChangeSchema,
    replace: bool = False,
    cost: ScryptCost = DEFAULT_SCRYPT,
) -> WrittenChanges:
    """Write ``changes`` (each a change as ``schema`` says: an audit entry of the change
    log with JSON values) to ``path`` as one changes file described by ``header`` and
    signed by ``key``; with ``passphrase``, encrypted.

    Every change is checked as a reader will check it, and the changes per table must
    be ``header.counts``: a file nsdesk writes is one nsdesk reads. The changes are
    consumed once, as they come. Raises :class:`ChangesWriteError` (and leaves no file)
    when a change or the header is refused, a passphrase is shorter than
    :data:`MIN_PASSPHRASE` characters, or ``path`` exists and ``replace`` is not set.
    """
    path = Path(path)
    if path.exists() and not replace:
        raise ChangesWriteError(f"{path} already exists; nothing was written")
    encryption, seal = None, None
    if passphrase is not None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise ChangesWriteError(
                f"a passphrase must have at least {MIN_PASSPHRASE} characters; nothing was written"
            )
        if cost.n < MIN_SCRYPT_N:
            raise ChangesWriteError(f"scrypt's n must be at least {MIN_SCRYPT_N}")
        encryption = Encryption(os.urandom(SALT_BYTES), cost, CHUNK_BYTES)
    envelope = _envelope(header, key, encryption)
    summary = _summary(header)
    first = (lines.dumps(lines.envelope_json(envelope)) + "\n").encode("utf-8")
    if encryption is not None and passphrase is not None:
        secret = derive_key(passphrase, encryption.salt, encryption.cost)
        seal = chunk_sealer(secret, hashlib.sha256(first).digest())
    temporary = path.with_name(f".{path.name}.{uuid4().hex[:12]}.part")
    try:
        with open_private_file(temporary) as raw:
            count, digest = _write_file(raw, first, summary, changes, schema, key, seal)
            raw.flush()
            os.fsync(raw.fileno())
            size = raw.tell()
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return WrittenChanges(
        path=path,
        file_id=envelope.file_id,
        changes=count,
        bytes=size,
        digest=digest.hex(),
        fingerprint=key.fingerprint,
        encrypted=encryption is not None,
    )


def _write_file(
    raw: BinaryIO,
    first: bytes,
    summary: Summary,
    changes: Iterable[Mapping[str, Any]],
    schema: ChangeSchema,
    key: SigningKey,
    seal: Callable[[bytes, bool], bytes] | None,
) -> tuple[int, bytes]:
    # filename="" and mtime=0: the gzip header names no file and no time (the temporary
    # name would otherwise be written into it).
    with gzip.GzipFile(
        filename="", mode="wb", compresslevel=COMPRESS_LEVEL, fileobj=raw, mtime=0
    ) as out:
        digest = hashlib.sha256(first)
        out.write(first)
        body = _Body(out, digest, seal)
        try:
            count = _write_body(body, summary, changes, schema)
        finally:
            body.close()
        final = digest.digest()
        trailer = lines.trailer_json(final, key.sign_digest(final))
        out.write((lines.dumps(trailer) + "\n").encode("utf-8"))
    return count, final
