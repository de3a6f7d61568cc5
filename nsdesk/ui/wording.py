"""The words a user reads, chosen in one place: times, counts, sizes, backups'
reasons, locks, and what went wrong.

Times are shown in the laptop's local time (the services keep them in UTC),
reasons and tables in words rather than their stored names, sizes in MB. An error
becomes words in :func:`error_text` only — every dialog, flow and status message
of the app says a refusal through it (the command line has its own edge).
Plain Python: no Qt, so the dialogs and their tests share the same sentences;
and light (the domain's errors only), so the flows loaded at start-up import it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from nsdesk.domain.errors import (
    DeskError,
    DeskLockedError,
    FieldChangedError,
    LockHolder,
    NsdeskError,
    ValidationError,
)
from nsdesk.domain.location import ServerAddress
from nsdesk.domain.wording import count as count  # the ui says counts as the rest does

if TYPE_CHECKING:
    from nsdesk.domain.location import DeskLocation
    from nsdesk.services.backups.restore import RestoreReport

_REASONS = {
    "on-open": "On opening",
    "periodic": "Periodic",
    "manual": "Manual",
    "before-import": "Before an import",
    "before-merge": "Before merging changes from another laptop",
    "before-migration": "Before updating to a newer nsdesk",
    "before-restore": "Before a restore",
    "replaced-by-restore": "Before a restore (the desk it replaced)",
    "emergency": "Emergency copy (desk file moved or deleted)",
    "external": "From outside nsdesk",
}


def local(moment: datetime) -> datetime:
    """``moment`` in the laptop's time zone (a naive time is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def when(moment: datetime, *, today: date | None = None) -> str:
    """A moment as a person reads it: "today 14:05", "yesterday 09:12",
    "Tue 3 Nov 2026, 14:05" (local time)."""
    shown = local(moment)
    day = today or datetime.now().astimezone().date()
    clock = f"{shown:%H:%M}"
    if shown.date() == day:
        return f"today {clock}"
    if (day - shown.date()).days == 1:
        return f"yesterday {clock}"
    return f"{shown:%a} {shown.day} {shown:%b %Y}, {clock}"


def sentence_case(text: str) -> str:
    """The first letter in capitals, the rest untouched ("today 14:05" -> "Today 14:05")."""
    return text[:1].upper() + text[1:]


def full_when(moment: datetime) -> str:
    """A moment with its date always written out: "Tue 3 Nov 2026, 14:05" (local)."""
    shown = local(moment)
    return f"{shown:%a} {shown.day} {shown:%b %Y}, {shown:%H:%M}"


def clock(moment: datetime) -> str:
    """Hours and minutes, local time: "14:05"."""
    return f"{local(moment):%H:%M}"


def reason_text(reason: str) -> str:
    """Why a backup was taken, in words ("periodic" -> "Periodic")."""
    return _REASONS.get(reason, reason.replace("-", " ").capitalize())


def size_text(size: int) -> str:
    """A file size in MB with one decimal ("0.1 MB" at the least)."""
    return f"{max(size, 100_000) / 1_000_000:,.1f} MB"


def holder_text(holder: LockHolder | None) -> str:
    """Who has a desk open for editing, with the time in local time."""
    if holder is None:
        return "another nsdesk session"
    try:
        since = when(datetime.fromisoformat(holder.since))
    except ValueError:
        since = holder.since
    return f"{holder.user} on {holder.host} (nsdesk process {holder.pid}, since {since})"


def a_or_an(noun: str) -> str:
    """The noun with its article: "a commitment", "an event", "an action item"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def is_refusal(error: BaseException) -> bool:
    """Whether ``error`` is a refusal to say in words — one nsdesk made on purpose
    (:class:`~nsdesk.domain.errors.NsdeskError`) or the system's (disk full,
    permission) — rather than a fault for the error dialog and the log."""
    return isinstance(error, NsdeskError | OSError)


def error_text(error: BaseException, *, at_field: bool = False) -> str:
    """What went wrong, in the user's words, as the end of a sentence (no full stop).

    A refused value names its record and field, what was expected and what was
    given; ``at_field``: the words are shown under the field at fault, so the
    field is not named again. A field someone else changed meanwhile names the
    record, the field, its value now, who changed it when, and the value shown. A
    desk refused names its reason (who holds a locked desk, in local time); the
    system's errors say what the system said, and the file. Anything else falls
    back on the error's own words."""
    if isinstance(error, ValidationError):
        said = f"expected {error.expected}"
        if error.value not in (None, ""):
            said += f"; got “{error.value}”"
        if at_field:
            return said
        said = f"{error.field}: {said}"
        return f"{error.record}, {said}" if error.record else said
    if isinstance(error, FieldChangedError):
        # Someone else's change met: whose, when (local time), and both values.
        if at_field and len(error.fields) == 1:
            return f"{error.fields[0].describe(when, named=False)}; nothing was changed"
        said = "; ".join(f.describe(when) for f in error.fields)
        return f"{error.record}: {said}; nothing was changed"
    if isinstance(error, DeskLockedError):
        return f"the desk is open for editing by {holder_text(error.holder)}; close it there first"
    if isinstance(error, DeskError):
        return error.reason.rstrip(".")
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return f"{(error.strerror or str(error)).rstrip('.')}{where}"
    return (str(error) or type(error).__name__).rstrip(".")


def as_sentence(text: str) -> str:
    """``text`` as a sentence of its own: a capital first, a full stop last."""
    text = sentence_case(text)
    return text if text.endswith((".", "?", "!")) else text + "."


def restored_message(report: RestoreReport, *, short: bool = False) -> str:
    """What a finished restore did, naming the copy of the replaced desk; ``short``
    for the status bar (the backups dialog says how to undo)."""
    said = f"Restored the backup of {full_when(report.restored_from.taken_at)}."
    kept = report.kept_aside
    if kept is not None and report.kept_aside_restorable:
        said += f" The replaced desk is kept as {kept.name}"
        said += "." if short else ": restore that backup to undo this restore."
    elif kept is not None:
        said += f" The damaged desk is kept, unchanged, as {kept.name if short else kept}."
    return said


def desk_name(location: DeskLocation) -> str:
    """What a title or a banner calls a desk: its file's name, or for a shared
    register ``register on HOST/DB``."""
    if isinstance(location, ServerAddress):
        return f"register on {location.register}"
    return location.name
