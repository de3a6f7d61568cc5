"""The errors of changes files (``NAME.nsdesk-changes``, issue 18): a file refused,
and the trust of a laptop's key.

Kept apart from :mod:`nsdesk.domain.errors` (which they extend) so the family of a
capability being built on its own branch stays in one module of its own.
"""

from __future__ import annotations

from pathlib import Path

from nsdesk.domain.errors import NsdeskError
from nsdesk.domain.wording import count


class ChangesFileRefusedError(NsdeskError):
    """A changes file is refused whole, before anything of it reaches a desk; the desk
    is unchanged. ``problem`` says in plain words what is wrong, ``where`` the line
    or change at fault when there is one ("change 17 (line 19)")."""

    def __init__(self, path: Path | str, problem: str, where: str | None = None):
        self.path = Path(path)
        self.problem = problem
        self.where = where
        at = f", {where}" if where else ""
        super().__init__(f"{self.path.name}{at}: {problem}")


class UnknownKeyError(ChangesFileRefusedError):
    """The file is intact and signed, but by a laptop key this desk has never been told
    to trust. As on a first SSH contact, the user compares ``fingerprint`` with the one
    the sending laptop shows, then trusts it (``nsdesk changes trust``)."""

    def __init__(self, path: Path | str, fingerprint: str, sender_replica: str):
        self.fingerprint = fingerprint
        self.sender_replica = sender_replica
        super().__init__(
            path,
            f"it is signed by a laptop key this desk does not know yet (fingerprint "
            f"{fingerprint}). Ask the sender to read out the fingerprint their nsdesk shows "
            "for their laptop; if it is the same, trust the key (nsdesk changes trust DESK "
            f"--fingerprint {fingerprint}) and read the file again. Nothing was changed",
        )


class RevokedKeyError(ChangesFileRefusedError):
    """The file is signed by a key that was revoked in this desk (a lost or replaced
    laptop): nothing it signs is accepted again."""

    def __init__(self, path: Path | str, fingerprint: str, revoked: str):
        self.fingerprint = fingerprint
        super().__init__(
            path,
            f"it is signed by the laptop key {fingerprint}, which was revoked in this desk "
            f"({revoked}); nothing it signs is accepted. Nothing was changed",
        )


class PassphraseError(ChangesFileRefusedError):
    """The file is encrypted and no passphrase, or not the right one, was given."""


class ChangesWriteError(NsdeskError):
    """A changes file could not be written as asked (a change that is not a change, a
    header that does not describe the changes); no file was left behind."""


class KeyTrustError(NsdeskError):
    """Trusting or revoking a laptop key was refused (a fingerprint that is not one, a
    revoked key asked to be trusted again); nothing was changed."""


class LaptopKeyError(NsdeskError):
    """This laptop's signing key, kept in the user's profile, cannot be used (readable by
    other users, damaged); nothing was signed."""


class MergeRefusedError(ChangesFileRefusedError):
    """A changes file passed every check of the file itself, but what it says cannot be
    merged into this desk (a change naming a record or field the desk does not have,
    a change whose history cannot be placed, a value a field cannot hold): refused
    whole, the desk unchanged. ``change`` says which change ("change 17")."""

    def __init__(self, path: Path | str, problem: str, change: str | None = None):
        super().__init__(path, f"{problem}. Nothing was changed", change)


class MergeConflictsError(NsdeskError):
    """``--on-conflict fail``: the merge would leave open conflicts, so nothing was
    merged. ``conflicts`` names each (record and field)."""

    def __init__(self, path: Path | str, conflicts: list[str]):
        self.path = Path(path)
        self.conflicts = conflicts
        shown = "; ".join(conflicts[:10]) + (
            f"; and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
        )
        super().__init__(
            f"{self.path.name}: merging it would leave {count(len(conflicts), 'conflict')}: "
            f"{shown}. "
            "Nothing was changed"
        )


class MergeStaleError(NsdeskError):
    """The desk changed between the preview of a merge and its application: the
    decisions taken on the preview may no longer fit. Nothing was changed."""


class MergeUndoRefusedError(NsdeskError):
    """Undoing a merge would overwrite later work, or the merge cannot be undone (it
    was undone already, or it deleted records); nothing was changed."""


class ConflictNotFoundError(NsdeskError):
    """No open conflict, identity clash or review item has that number."""
