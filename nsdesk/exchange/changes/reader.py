"""Reading a changes file: every check made before anything of it is used.

A file from another laptop is as hostile as a ministry's workbook (QUALITY.md). It
is read in three steps, each refusing the whole file with a sentence that names it
(:class:`ChangesFileRefusedError`):

1. :func:`open_changes_file` takes a private snapshot of the file (so what was
   checked is what is read), then reads it once, streaming, within hard bounds
   (:class:`ChangesLimits`: compressed size, line length, decompressed size, number of
   lines; a gzip bomb stops after one line's worth), and checks the format version,
   the envelope, the SHA-256 of everything before the trailer and the Ed25519
   signature of the key the envelope names (:mod:`.proof`). None of this needs a
   desk or a passphrase.
2. :func:`read_changes` then checks what the reading desk expects
   (:class:`Expectations`): its own desk, a schema it understands, a key it trusts
   and has not revoked, a file it has not received before.
3. It unseals the contents (with the passphrase, when encrypted) and checks every
   line, the summary and each change against the :class:`ChangeSchema`, and that
   the counts match. Only then does it return :class:`VerifiedChanges`, whose
   changes are read again from the snapshot, one at a time, as they are consumed
   (or, up to a budget the caller sets, handed out as they were checked).
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from nsdesk.domain.changes_errors import (
    PassphraseError,
    RevokedKeyError,
    UnknownKeyError,
)
from nsdesk.exchange.changes import lines
from nsdesk.exchange.changes.crypto import InvalidTag, chunk_opener, derive_key, fingerprint
from nsdesk.exchange.changes.model import (
    DEFAULT_LIMITS,
    ChangeSchema,
    ChangesHeader,
    ChangesLimits,
    Envelope,
    Expectations,
    KeyState,
    KeyTrust,
    Summary,
)
from nsdesk.exchange.changes.proof import (
    DAMAGED,
    Refuse,
    decompressed_lines,
    prove_integrity,
    take_snapshot,
)


class ChangesFile:
    """A changes file whose integrity is proved: its format version is one this nsdesk
    reads, it is complete, its contents match their SHA-256 and the signature is the
    named key's. Nothing is said yet of the desk, the key's trust or the contents'
    validity: see :func:`read_changes`. Holds a private snapshot of the file until
    closed (a context manager)."""

    def __init__(
        self,
        path: Path,
        snapshot: IO[bytes],
        envelope: Envelope,
        digest: bytes,
        limits: ChangesLimits,
        kept: list[tuple[int, bytes]] | None = None,
    ):
        self.path = path
        self.envelope = envelope
        self.digest = digest
        self.limits = limits
        self._snapshot = snapshot
        self._refuse = Refuse(path)
        self._kept: list[tuple[int, bytes]] | None = kept

    @property
    def fingerprint(self) -> str:
        """The fingerprint of the key that signed the file."""
        return fingerprint(self.envelope.sender_key)

    @property
    def encrypted(self) -> bool:
        """Whether the summary and changes are sealed with a passphrase."""
        return self.envelope.encryption is not None

    def __enter__(self) -> ChangesFile:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the snapshot."""
        self._snapshot.close()

    def _body(self) -> Iterator[tuple[int, bytes]]:
        """The lines between the envelope and the trailer, read again from the snapshot;
        the digest is checked again at the end (the snapshot is private, but what is
        handed out must be what was verified). The first time, the lines the proof
        kept, if it kept them: the very bytes it proved."""
        kept, self._kept = self._kept, None
        if kept is not None:
            yield from kept
            return
        numbered = decompressed_lines(self._snapshot, self._refuse, self.limits)
        _, first = next(numbered)
        digest = hashlib.sha256(first)
        for number, line in numbered:
            if line.startswith(lines.TRAILER_PREFIX):
                break
            digest.update(line)
            yield number, line
        if digest.digest() != self.digest:
            raise self._refuse("it changed while it was being read; nothing was changed")

    def _key(self, passphrase: str | None) -> bytes | None:
        encryption = self.envelope.encryption
        if encryption is None:
            return None
        cost, limits = encryption.cost, self.limits
        # Checked before the passphrase is even asked for: a file must not make the
        # derivation take gigabytes or hours.
        if (
            cost.n < 2
            or cost.n & (cost.n - 1)
            or cost.n > limits.max_scrypt_n
            or cost.r > limits.max_scrypt_r
            or cost.p > limits.max_scrypt_p
        ):
            raise self._refuse(
                f"its key derivation asks for scrypt n={cost.n}, r={cost.r}, p={cost.p}, beyond "
                f"what nsdesk allows (n a power of two up to {limits.max_scrypt_n:,}, r up to "
                f"{limits.max_scrypt_r}, p up to {limits.max_scrypt_p})"
            )
        if passphrase is None:
            raise PassphraseError(
                self.path,
                "it is encrypted: give the passphrase the sender chose (nothing was changed)",
            )
        return derive_key(passphrase, encryption.salt, cost)

    def _inner(self, key: bytes | None) -> Iterator[tuple[str, bytes]]:
        """The summary's and the changes' lines, each with where it is (decrypted and
        decompressed within the bounds when the file is encrypted)."""
        if key is None:
            for number, line in self._body():
                yield f"line {number:,}", line
            return
        yield from self._unsealed(key)

    def _unsealed(self, key: bytes) -> Iterator[tuple[str, bytes]]:
        limits = self.limits
        first = (lines.dumps(lines.envelope_json(self.envelope)) + "\n").encode("utf-8")
        open_ = chunk_opener(key, hashlib.sha256(first).digest())
        inflate = zlib.decompressobj(-15)
        carry = b""
        total = 0
        number = 0
        body = self._body()
        current = next(body, None)
        chunks = 0
        while current is not None:
            following = next(body, None)
            line_no, line = current
            data, problem = lines.loads(line)
            sealed = lines.sealed_from(data) if problem is None else None
            if sealed is None:
                raise self._refuse(
                    "it is not a sealed chunk of an encrypted file", f"line {line_no:,}"
                )
            try:
                piece = open_(sealed, following is None)
            except InvalidTag:
                if chunks == 0:
                    raise PassphraseError(
                        self.path,
                        "the passphrase is not the one it was encrypted with (nothing was changed)",
                    ) from None
                raise self._refuse(
                    f"{DAMAGED} (a sealed chunk does not open)", f"line {line_no:,}"
                ) from None
            chunks += 1
            while piece:
                try:
                    out = inflate.decompress(piece, limits.max_line_bytes)
                except zlib.error as error:
                    raise self._refuse(
                        f"{DAMAGED} (its sealed contents do not decompress: {error})"
                    ) from None
                piece = inflate.unconsumed_tail
                total += len(out)
                if total > limits.max_total_bytes:
                    raise self._refuse(
                        f"it holds more than {limits.max_total_bytes:,} bytes once decrypted and "
                        "decompressed: more than a changes file may (a compression bomb?)"
                    )
                parts = (carry + out).split(b"\n")
                carry = parts.pop()
                for part in parts:
                    number += 1
                    yield f"line {number:,} inside the encryption", part + b"\n"
                if len(carry) > limits.max_line_bytes:
                    raise self._refuse(
                        f"a line inside the encryption is longer than {limits.max_line_bytes:,} "
                        "bytes: nsdesk never writes such a line (a compression bomb?)"
                    )
            current = following
        if not inflate.eof or carry:
            raise self._refuse(f"{DAMAGED} (its sealed contents end in the middle)")

    def unseal(
        self, schema: ChangeSchema, passphrase: str | None = None, *, hold_bytes: int = 0
    ) -> Contents:
        """Check the summary and every change (decrypting them with ``passphrase`` when
        the file is encrypted): each must be what ``schema`` says, and the changes must
        be as many per table as the summary says. Raises
        :class:`ChangesFileRefusedError` (:class:`PassphraseError` for a passphrase
        missing or wrong) naming the line at fault. With ``hold_bytes``, and a file
        whose proof kept its lines (``open_changes_file(keep_bytes=...)``), the changes
        checked are kept while their lines come to no more than that, for
        :meth:`changes` to hand out instead of parsing the file again (a merge)."""
        # Only when the proof kept every line (the file fits the budget): a larger one
        # is not parsed into a budget's worth of changes to be thrown away.
        holding = hold_bytes > 0 and self._kept is not None
        key = self._key(passphrase)
        inner = self._inner(key)
        first = next(inner, None)
        if first is None:
            raise self._refuse("it holds no summary of what it holds")
        data, problem = lines.loads(first[1])
        summary, problem = lines.summary_from(data) if problem is None else (None, problem)
        if summary is None:
            raise self._refuse(problem or "its summary is not one nsdesk writes", first[0])
        check = lines.change_checker(schema)
        table_key = schema.table_key
        found: dict[str, int] = {}
        held: list[dict[str, Any]] | None = [] if holding else None
        held_bytes = 0
        for count, (where, line) in enumerate(inner, start=1):
            if count > self.limits.max_changes:
                raise self._refuse(f"it holds more than {self.limits.max_changes:,} changes")
            change, problem = lines.loads(line)
            if problem is None:
                problem = check(change)
            if problem is not None:
                raise self._refuse(problem, f"change {count:,} ({where})")
            table = change[table_key]
            found[table] = found.get(table, 0) + 1
            held_bytes += len(line)
            if held is not None and held_bytes > hold_bytes:
                held = None  # beyond the budget, they are read again when consumed
            if held is not None:
                held.append(change)
        problem = lines.counts_problem(summary.counts, found)
        if problem:
            raise self._refuse(problem)
        return Contents(summary, key, held)

    def changes(self, contents: Contents) -> Iterator[dict[str, Any]]:
        """The changes, read again from the snapshot one at a time (they were checked by
        :meth:`unseal`, which gave ``contents``), or the first time those it held."""
        held, contents.held = contents.held, None
        if held is not None:
            held.reverse()  # each is let go as it is handed out
            while held:
                yield held.pop()
            return
        inner = self._inner(contents.key)
        next(inner, None)  # the summary
        for where, line in inner:
            change, problem = lines.loads(line)
            if problem is not None or type(change) is not dict:
                raise self._refuse(problem or "it is not a change", where)
            yield change


@dataclass(slots=True)
class Contents:
    """What unsealing a file gave: its summary, the key its chunks open with, and the
    changes it checked if it held them (handed out once; then read again)."""

    summary: Summary
    key: bytes | None
    held: list[dict[str, Any]] | None = None


def open_changes_file(
    path: Path, limits: ChangesLimits = DEFAULT_LIMITS, keep_bytes: int = 0
) -> ChangesFile:
    """Take a snapshot of the changes file at ``path`` and prove its integrity (see
    :class:`ChangesFile`); raises :class:`ChangesFileRefusedError` naming the file and
    what is wrong. The caller closes what it returns (``with``). ``keep_bytes``: the
    lines proved are kept, up to that many bytes, for the first reading of the
    contents not to decompress them again."""
    path = Path(path)
    refuse = Refuse(path)
    snapshot = take_snapshot(path, refuse, limits)
    try:
        envelope, digest, kept = prove_integrity(snapshot, refuse, limits, keep_bytes)
    except BaseException:
        snapshot.close()
        raise
    return ChangesFile(path, snapshot, envelope, digest, limits, kept)


class VerifiedChanges:
    """A changes file that passed every check: the header, who signed it, and its
    changes as validated dicts, read one at a time (iterate, or :meth:`changes`).
    A context manager: close it to drop the snapshot."""

    def __init__(self, file: ChangesFile, contents: Contents):
        self._file = file
        self._contents = contents
        envelope, summary = file.envelope, contents.summary
        self.path = file.path
        self.fingerprint = file.fingerprint
        self.encrypted = file.encrypted
        self.digest = file.digest.hex()
        """The SHA-256 of the file's contents, as its trailer says and the reading proved."""
        self.header = ChangesHeader(
            desk_uuid=envelope.desk_uuid,
            schema_revision=envelope.schema_revision,
            sender_replica=envelope.sender_replica,
            sender_label=summary.sender_label,
            marking=envelope.marking,
            knows=dict(summary.knows),
            counts=dict(summary.counts),
            file_id=envelope.file_id,
            created_at=envelope.created_at,
        )

    def changes(self) -> Iterator[dict[str, Any]]:
        """The changes in the order they were written, each a dict with the schema's
        keys (JSON values: a date and time as ISO text)."""
        return self._file.changes(self._contents)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.changes()

    def __enter__(self) -> VerifiedChanges:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Drop the snapshot; the changes cannot be read after."""
        self._file.close()


def check_expectations(file: ChangesFile, expect: Expectations, trust: KeyTrust) -> None:
    """Refuse ``file`` unless it is for the desk that ``expect`` describes, of a schema it
    understands, signed by a key ``trust`` trusts, and not received before."""
    envelope, refuse = file.envelope, Refuse(file.path)
    if envelope.desk_uuid != expect.desk_uuid:
        raise refuse(
            f"it holds the changes of another desk (desk {envelope.desk_uuid}); this desk is "
            f"{expect.desk_uuid}. Nothing was changed"
        )
    if envelope.schema_revision not in expect.schema_revisions:
        newest = expect.schema_revisions[-1] if expect.schema_revisions else "none"
        raise refuse(
            f"it was written by a newer nsdesk (desk schema {envelope.schema_revision}); this "
            f"nsdesk understands schema {newest} and older. Update nsdesk on this laptop, "
            "then read it again. Nothing was changed"
        )
    status = trust.status(file.fingerprint)
    if status.state is KeyState.UNKNOWN:
        raise UnknownKeyError(file.path, file.fingerprint, envelope.sender_replica)
    if status.state is KeyState.REVOKED:
        raise RevokedKeyError(file.path, file.fingerprint, status.said or "revoked")
    received = expect.received(envelope.file_id)
    if received is not None:
        raise refuse(
            f"a file with its file id ({envelope.file_id}) was already received: {received}. "
            "A file is read into a desk once (this is a copy or a replay); nothing was changed"
        )


def read_changes(
    path: Path,
    trust: KeyTrust,
    passphrase: str | None = None,
    *,
    expect: Expectations,
    limits: ChangesLimits = DEFAULT_LIMITS,
    hold_bytes: int = 0,
) -> VerifiedChanges:
    """Read the changes file at ``path`` for the desk ``expect`` describes: prove its
    integrity, check it is meant for that desk and signed by a key ``trust`` trusts,
    decrypt it with ``passphrase`` when it is encrypted, and check every change. Raises
    :class:`ChangesFileRefusedError` (or its kinds :class:`UnknownKeyError`,
    :class:`RevokedKeyError`, :class:`PassphraseError`), with a sentence naming the file
    and what is wrong, before anything of the file is handed out. The caller closes
    what it returns (``with``). ``hold_bytes``: see :meth:`ChangesFile.unseal`."""
    file = open_changes_file(path, limits, keep_bytes=hold_bytes)
    try:
        check_expectations(file, expect, trust)
        contents = file.unseal(expect.schema, passphrase, hold_bytes=hold_bytes)
    except BaseException:
        file.close()
        raise
    return VerifiedChanges(file, contents)
