"""Taking a private snapshot of a changes file and proving its integrity, before
anything of it is believed (step 1 of :mod:`nsdesk.exchange.changes.reader`): read
once, streaming, within hard bounds (:class:`ChangesLimits`), the format version,
the envelope, the SHA-256 of everything before the trailer and the Ed25519
signature of the key the envelope names are checked. Every refusal names the file.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import stat
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from nsdesk.domain.changes_errors import ChangesFileRefusedError
from nsdesk.exchange.changes import lines
from nsdesk.exchange.changes.crypto import fingerprint
from nsdesk.exchange.changes.crypto import signature_valid as _signature_valid
from nsdesk.exchange.changes.model import FORMAT_VERSION, ChangesLimits, Envelope

_COPY_CHUNK = 1 << 20
_IN_MEMORY = 16 << 20  # a snapshot above this spills to an owner-only temporary file
_GZIP_MAGIC = b"\x1f\x8b"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_MAGIC = b"PK\x03\x04"

DAMAGED = "it is damaged or was altered after it was signed"
CUT = (
    "it is incomplete: it ends before its signature (it was cut short, perhaps by an "
    "interrupted copy or e-mail); ask the sender for it again"
)


class Refuse:
    """The refusals of one file, each naming it."""

    def __init__(self, path: Path):
        self.path = path

    def __call__(self, problem: str, where: str | None = None) -> ChangesFileRefusedError:
        return ChangesFileRefusedError(self.path, problem, where)


def take_snapshot(path: Path, refuse: Refuse, limits: ChangesLimits) -> IO[bytes]:
    """A private copy of the file, taken once: the checks and the reading that follows
    them see the same bytes, whatever happens to the file meanwhile."""
    try:
        kind = os.stat(path).st_mode
    except FileNotFoundError:
        raise refuse("there is no such file") from None
    if stat.S_ISDIR(kind):
        raise refuse("it is a folder, not a changes file")
    if not stat.S_ISREG(kind):  # a pipe or a device would block or never end
        raise refuse("it is not a regular file")
    with open(path, "rb") as handle:
        facts = os.fstat(handle.fileno())
        if not stat.S_ISREG(facts.st_mode):
            raise refuse("it is not a regular file")
        if facts.st_size == 0:
            raise refuse("it is empty (0 bytes): ask the sender for it again")
        if facts.st_size > limits.max_file_bytes:
            raise refuse(
                f"it is {facts.st_size:,} bytes long; a changes file is at most "
                f"{limits.max_file_bytes:,}"
            )
        copy = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY)  # noqa: SIM115 - returned
        copied = 0
        while chunk := handle.read(_COPY_CHUNK):
            copied += len(chunk)
            if copied > limits.max_file_bytes:  # it grew while being copied
                copy.close()
                raise refuse(f"it is longer than a changes file may be ({limits.max_file_bytes:,})")
            copy.write(chunk)
    copy.seek(0)
    return copy


def _not_gzip(head: bytes) -> str:
    if head.startswith(_SQLITE_MAGIC):
        return "it is a desk (an SQLite database), not a changes file"
    if head.startswith(_ZIP_MAGIC):
        return "it is a zip file (a workbook?), not a changes file"
    return "it is not a changes file (it is not gzip-compressed)"


def decompressed_lines(
    raw: IO[bytes], refuse: Refuse, limits: ChangesLimits
) -> Iterator[tuple[int, bytes]]:
    """The decompressed lines of a snapshot, numbered from 1, within the bounds."""
    raw.seek(0)
    total = 0
    number = 0
    with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
        while True:
            try:
                line = stream.readline(limits.max_line_bytes + 1)
            except EOFError:
                raise refuse(CUT) from None
            except (gzip.BadGzipFile, zlib.error) as error:
                raise refuse(
                    f"{DAMAGED} (its compressed data does not check out: {error})"
                ) from None
            if not line:
                return
            number += 1
            total += len(line)
            if not line.endswith(b"\n"):
                if len(line) > limits.max_line_bytes:
                    raise refuse(
                        f"line {number:,} is longer than {limits.max_line_bytes:,} bytes once "
                        "decompressed: nsdesk never writes such a line (a compression bomb?)"
                    )
                raise refuse(CUT)
            if total > limits.max_total_bytes:
                raise refuse(
                    f"it holds more than {limits.max_total_bytes:,} bytes once decompressed: "
                    "more than a changes file may (a compression bomb?)"
                )
            yield number, line


def prove_integrity(
    raw: IO[bytes], refuse: Refuse, limits: ChangesLimits, keep_bytes: int = 0
) -> tuple[Envelope, bytes, list[tuple[int, bytes]] | None]:
    """The envelope and the digest the signature covers, proved; and the lines after
    the envelope as they were proved, while they come to no more than ``keep_bytes``."""
    head = raw.read(len(_SQLITE_MAGIC))
    if not head.startswith(_GZIP_MAGIC):
        raise refuse(_not_gzip(head))
    numbered = decompressed_lines(raw, refuse, limits)
    first = next(numbered, None)
    if first is None:
        raise refuse("it is empty once decompressed")
    data, problem = lines.loads(first[1])
    version = lines.format_version_of(data) if problem is None else None
    if version is None:
        raise refuse("it is not a changes file (its first line is not an nsdesk changes header)")
    if version > FORMAT_VERSION:
        raise refuse(
            f"it was written by a newer nsdesk (changes file format {version}); this nsdesk "
            f"reads format {FORMAT_VERSION}. Update nsdesk on this laptop, then read it again. "
            "Nothing was changed"
        )
    envelope, problem = lines.envelope_from(data)
    if envelope is None:
        raise refuse(problem or "its header is not one nsdesk writes", "line 1")
    digest = hashlib.sha256(first[1])
    trailer: tuple[int, bytes] | None = None
    body_lines = 0
    kept: list[tuple[int, bytes]] | None = [] if keep_bytes > 0 else None
    for number, line in numbered:
        if trailer is not None:
            raise refuse(f"something follows its signature (line {number:,})")
        if line.startswith(lines.TRAILER_PREFIX):
            trailer = number, line
            continue
        if not line.startswith(b"{"):  # every line nsdesk writes is an object
            raise refuse(f"{DAMAGED}: line {number:,} is not a JSON object")
        body_lines += 1
        if body_lines > limits.max_changes + 1:
            raise refuse(f"it holds more than {limits.max_changes:,} changes, more than a file may")
        digest.update(line)
        keep_bytes -= len(line)
        if kept is not None and keep_bytes < 0:
            kept = None  # beyond the budget: read again from the snapshot when used
        if kept is not None:
            kept.append((number, line))
    if trailer is None:
        raise refuse(CUT)
    data, problem = lines.loads(trailer[1])
    found, problem = lines.trailer_from(data) if problem is None else (None, problem)
    if found is None:
        raise refuse(f"{DAMAGED}: {problem}", f"line {trailer[0]:,}")
    claimed, signature = found
    if digest.digest() != claimed:
        raise refuse(f"{DAMAGED}: its contents do not match the SHA-256 in its last line")
    if not _signature_valid(envelope.sender_key, signature, claimed):
        raise refuse(
            f"{DAMAGED}: its signature is not the signature of the laptop key it names "
            f"({fingerprint(envelope.sender_key)})"
        )
    return envelope, claimed, kept
