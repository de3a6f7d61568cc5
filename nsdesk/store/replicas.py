"""This laptop's replica of a desk: who made a change, and its clock.

Each user profile is one replica of each desk it edits. Its id is kept in the
profile (``replicas/<desk uuid>.json`` under :func:`nsdesk.locations.replicas_dir`,
owner-only), never in the desk: a desk file copied to another laptop or another
user's profile is another replica there, so two copies edited apart can be told
apart when they meet again. The file is made the first time this profile writes to
the desk, and also keeps the replica's hybrid logical clock (:mod:`nsdesk.domain.hlc`)
so that its stamps never go back across sessions, whatever the wall clock does.

The history a desk held before it kept a change log belongs to its "origin"
replica, whose id is derived from the desk's UUID (:func:`origin_replica_id`), so
every copy of that history agrees on it.

One :class:`Replica` object per profile file and process, shared by every engine
on that desk, so two connections of one process never make the same stamp.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

from nsdesk.domain.hlc import HlcStamp, HybridClock
from nsdesk.domain.private_files import make_private_folders, open_private_file
from nsdesk.locations import replicas_dir

log = logging.getLogger(__name__)

#: Frozen in migration 0004 too (a test keeps them equal).
ORIGIN_NAMESPACE = uuid.UUID("cf96b3d0-3d83-431e-83c9-b09133062630")
FORMAT = 1


def origin_replica_id(desk_uuid: str) -> str:
    """The replica of a desk's history from before its change log (same in every copy)."""
    return str(uuid.uuid5(ORIGIN_NAMESPACE, desk_uuid))


@dataclass(slots=True)
class Replica:
    """This profile's replica of one desk: its id and its clock.

    ``path`` is the profile file that keeps them; ``None`` when the profile could
    not be written (this session is then a replica of its own)."""

    desk_uuid: str
    replica_id: str
    clock: HybridClock
    path: Path | None

    def stamp(self) -> HlcStamp:
        """A new clock stamp for a change (kept by :meth:`save` when it commits)."""
        return self.clock.tick()

    def observe(self, stamp: HlcStamp | str) -> None:
        """Move the clock past a stamp seen in the desk or in another replica's changes."""
        self.clock.observe(stamp)

    def save(self) -> None:
        """Keep the id and the clock in the profile (the change log calls this when a
        transaction that used a stamp commits; the first save makes the file)."""
        if self.path is None:
            return
        try:
            make_private_folders(self.path.parent)
            _write(self.path, self._document())
        except OSError as error:  # the desk keeps the stamp: opening it observes it again
            log.warning(
                "could not keep replica %s of desk %s in %s (%s)",
                self.replica_id,
                self.desk_uuid,
                self.path,
                error,
            )

    def _document(self) -> dict[str, object]:
        ms, counter = self.clock.last
        return {
            "format": FORMAT,
            "desk_uuid": self.desk_uuid,
            "replica_id": self.replica_id,
            "clock": [ms, counter],
        }


def _write(path: Path, document: dict[str, object]) -> None:
    """Replace ``path`` whole (a temporary file renamed over it), owner-only."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    with open_private_file(temporary, replace=True) as handle:
        handle.write(json.dumps(document).encode("utf-8"))
    os.replace(temporary, path)


def _read(path: Path, desk_uuid: str) -> tuple[str, tuple[int, int]] | None:
    """(replica id, clock) from a profile file; ``None`` when absent or unreadable."""
    try:
        document = json.loads(path.read_text("utf-8"))
        replica_id = str(uuid.UUID(document["replica_id"]))
        ms, counter = (int(v) for v in document["clock"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.warning("replica file %s is unreadable (%s); this desk gets a new replica", path, error)
        return None
    if document.get("desk_uuid") != desk_uuid:
        log.warning("replica file %s names another desk; this desk gets a new replica", path)
        return None
    return replica_id, (ms, counter)


_replicas: dict[Path, Replica] = {}
_guard = threading.Lock()


def replica_for(desk_uuid: str) -> Replica:
    """This profile's replica of the desk ``desk_uuid``: the one its file names, or
    a new one (kept from its first save on).

    Asking again refreshes the clock from the file, so a session that follows
    another one of the same profile on the same desk starts where it stopped."""
    path = replicas_dir() / f"{uuid.UUID(desk_uuid)}.json"
    with _guard:
        known = _replicas.get(path)
        found = _read(path, desk_uuid)
        if known is not None and (found is None or found[0] == known.replica_id):
            if found is not None:
                known.observe(HlcStamp(*found[1], known.replica_id))
            return known
        if found is None:
            replica_id = str(uuid.uuid4())
            replica = Replica(desk_uuid, replica_id, HybridClock(replica_id), path)
        else:
            replica_id, last = found
            replica = Replica(desk_uuid, replica_id, HybridClock(replica_id, last), path)
        _replicas[path] = replica
        return replica


def known_replica_id(desk_uuid: str) -> str | None:
    """This profile's replica id of the desk ``desk_uuid``, if it has one (nothing is
    made: a profile that never wrote to the desk has none)."""
    path = replicas_dir() / f"{uuid.UUID(desk_uuid)}.json"
    with _guard:
        known = _replicas.get(path)
    if known is not None:
        return known.replica_id
    found = _read(path, desk_uuid)
    return found[0] if found is not None else None


def forget_replica(desk_uuid: str) -> None:
    """Forget this profile's replica of a desk that never came to be (a creation
    cancelled after its transaction committed)."""
    path = replicas_dir() / f"{uuid.UUID(desk_uuid)}.json"
    with _guard:
        _replicas.pop(path, None)
        path.unlink(missing_ok=True)
