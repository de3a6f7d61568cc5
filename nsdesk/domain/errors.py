"""The error hierarchy. Every error nsdesk raises on purpose derives from
:class:`NsdeskError` and carries the facts a user needs (the file, field, value
and what was expected); the edges (``cli``, ``ui``) choose how to show them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nsdesk.domain.location import ServerAddress


class NsdeskError(Exception):
    """Base of every error nsdesk raises on purpose."""


class ValidationError(NsdeskError):
    """A value given for a field is not acceptable; nothing was changed.

    ``field`` is the user-facing field name, ``expected`` says in plain words
    what would have been accepted, ``value`` is what was given.
    """

    def __init__(self, field: str, expected: str, value: object = None, record: str | None = None):
        self.field = field
        self.expected = expected
        self.value = value
        self.record = record
        where = f"{record}: " if record else ""
        got = "" if value is None else f" (got {value!r})"
        super().__init__(f"{where}{field}: expected {expected}{got}")


class RecordNotFoundError(NsdeskError):
    """No record of that kind with that identifier exists in the desk."""

    def __init__(self, kind: str, key: object):
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} {key!r} in this desk")


class DeskError(NsdeskError):
    """A desk cannot be opened, created or written. Nothing was written to it.

    ``path`` says where the desk lives: a file's path, or a server's address."""

    def __init__(self, path: Path | ServerAddress | str, reason: str):
        self.path: Path | ServerAddress = Path(path) if isinstance(path, str) else path
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class DeskNotFoundError(DeskError):
    """The desk file does not exist."""


class DeskExistsError(DeskError):
    """A file already exists where a new desk was to be created."""


class EmptyDeskFileError(DeskError):
    """The file is 0 bytes long: it is not a desk (and is never made into one)."""


class NotADeskError(DeskError):
    """The file is not an nsdesk desk (not SQLite, or SQLite of another program)."""


class DeskDamagedError(DeskError):
    """The file is an nsdesk desk but SQLite reports damage."""


class NewerSchemaError(DeskError):
    """The desk was written by a newer nsdesk; this version will not touch it."""

    def __init__(self, path: Path | ServerAddress | str, desk_revision: str, known_head: str):
        self.desk_revision = desk_revision
        self.known_head = known_head
        super().__init__(
            path,
            f"this desk was written by a newer version of nsdesk (schema {desk_revision}); "
            f"this version understands schema {known_head} and older. "
            "Open it with the newer nsdesk; nothing was changed.",
        )


@dataclass(frozen=True, slots=True)
class LockHolder:
    """Who holds a desk for editing (named in its lock file)."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601, UTC
    version: str = ""

    def describe(self) -> str:
        since = self.since.replace("T", " ")[:16] + " UTC"
        return f"{self.user} on {self.host} (process {self.pid}) since {since}"


class DeskLockedError(DeskError):
    """Another live session holds the desk for editing; it can still be opened read-only."""

    def __init__(self, path: Path | ServerAddress, holder: LockHolder | None):
        self.holder = holder
        who = holder.describe() if holder else "another nsdesk session"
        super().__init__(
            path,
            f"the desk is open for editing by {who}. Open it read-only, or close it there first.",
        )


class DeskReadOnlyError(DeskError):
    """The desk is open read-only (another session has it, or the medium is
    read-only); nothing was changed."""


class DiskFullError(DeskError):
    """The disk is full: the change being saved was rolled back, earlier ones are safe."""


class DeskMovedError(DeskError):
    """The desk file was moved or deleted while open: nothing more is written to it."""


class ServerUnreachableError(DeskError):
    """The server of a server desk cannot be reached, or the connection to it was lost
    mid-work: what was being saved was not saved (the server rolled it back)."""


class LoginRefusedError(DeskError):
    """The server refused the login (unknown user, wrong or missing password, no
    entry for this user in its pg_hba.conf)."""


class NotPermittedError(DeskError):
    """The server's roles do not let this login do that (a reader writing, an editor
    changing the audit log); nothing was changed."""


class MigrationError(DeskError):
    """Bringing an older desk up to date failed; the desk was left as it was."""


class CatalogueError(NsdeskError):
    """The catalogue shipped with nsdesk (or offered to a desk) is unusable."""


class CancelledError(NsdeskError):
    """The user cancelled long work (a new desk, an export, an import) before it
    finished; whatever it was making was discarded and nothing was changed."""

    def __init__(self, what: str = "the work"):
        self.what = what
        super().__init__(f"{what} was cancelled; nothing was changed")


class WorkbookRefusedError(NsdeskError):
    """A workbook (or a file presented as one) is refused before anything of it is
    used; the desk is unchanged. ``where`` names the sheet and cell when there is one
    ("Commitments!F12"), ``problem`` says in plain words what is wrong."""

    def __init__(self, path: Path | str, problem: str, where: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.where = where
        at = f", {where}" if where else ""
        super().__init__(f"{self.path.name}{at}: {problem}")


def shown_value(value: object) -> str:
    """A field's value as a sentence quotes it: "(empty)", a list joined, an
    enumerated value by its label."""
    if value is None or value == "" or value == [] or value == ():
        return "(empty)"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(sorted(shown_value(v) for v in value))
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else str(value)


def utc_text(moment: datetime) -> str:
    """A moment as the command line says it: "2026-12-06 14:05 UTC"."""
    return f"{moment:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True, slots=True)
class ChangedField:
    """One field found changed when a save checked what the editor showed: the
    value shown, the value the desk holds now, and the change that put it there
    (who, when; ``None`` when the desk does not say)."""

    name: str
    label: str
    shown: object
    current: object
    changed_by: str | None
    changed_at: datetime | None

    def describe(self, when: Callable[[datetime], str] = utc_text, *, named: bool = True) -> str:
        """``Title is now “B” (changed by bob@lap-2, 2026-12-06 14:05 UTC), no longer
        “A”`` — ``when`` says the moment (the app: local time); ``named=False`` leaves
        the field's name out (the words are shown under the field)."""
        said = [f"by {self.changed_by}"] if self.changed_by else []
        if self.changed_at is not None:
            said.append(when(self.changed_at))
        by = f" (changed {', '.join(said)})" if said else ""
        now = f"{self.label} is now" if named else "now"
        return f"{now} “{shown_value(self.current)}”{by}, no longer “{shown_value(self.shown)}”"


class FieldChangedError(NsdeskError):
    """A save found that a field no longer holds what the editor showed — someone
    changed it since — and wrote nothing. ``fields`` says, per field, the value
    shown, the value now and who changed it when, so the user can keep theirs,
    take the other, or edit."""

    def __init__(self, record: str, fields: Sequence[ChangedField]):
        self.record = record
        self.fields = tuple(fields)
        said = "; ".join(f.describe() for f in self.fields)
        super().__init__(f"{record}: {said}; nothing was changed")
