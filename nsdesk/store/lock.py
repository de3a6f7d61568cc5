"""One writer per desk: a lock file beside the desk that names who holds it.

``NAME.nsdesk.lock`` carries an operating-system lock (``flock`` on POSIX, a
locked byte on Windows) held for as long as a session may write the desk; the
system releases it if that process dies, so no lock can be left stale. The file
also names the holder (user, host, process, since), so a second instance — on
this laptop or, through a shared folder, on another — can say who has the desk
and open it read-only instead.

A clean close empties and removes the file. A lock file that still names a
holder but is no longer locked was therefore left by a session that crashed or
lost power: the new holder is told (``took_over``), and checks the desk before
trusting it.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from nsdesk import __version__
from nsdesk.domain.errors import DeskLockedError, LockHolder

# The operating system's lock: each module exists on its own platform only.
if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt
else:
    import fcntl

LOCK_SUFFIX = ".lock"
_WINDOWS_LOCK_OFFSET = 1 << 16  # lock a byte past the text, so others can read who holds it


def lock_path(desk: Path) -> Path:
    return desk.with_name(desk.name + LOCK_SUFFIX)


def _me() -> LockHolder:
    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    return LockHolder(
        user=user,
        host=socket.gethostname(),
        pid=os.getpid(),
        since=datetime.now(UTC).isoformat(timespec="seconds"),
        version=__version__,
    )


def _parse(text: str) -> LockHolder | None:
    try:
        data = json.loads(text)
        return LockHolder(
            user=data["user"],
            host=data["host"],
            pid=int(data["pid"]),
            since=data["since"],
            version=data.get("version", ""),
        )
    except (ValueError, KeyError, TypeError):
        return None


def read_holder(path: Path) -> LockHolder | None:
    """The holder named in a lock file; ``None`` if there is none or it is unreadable."""
    try:
        return _parse(path.read_text("utf-8"))
    except OSError:
        return None


def _try_os_lock(fd: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _read_fd(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
        if len(chunks) > 4:
            break
    return b"".join(chunks).decode("utf-8", "replace").strip("\x00 \n")


# Locks this process holds, by lock path: a second open of a desk this process
# already has open shares its lock instead of refusing itself.
_held: dict[Path, tuple[int, int]] = {}  # path -> (fd, count)
_held_guard = threading.Lock()


@dataclass(frozen=True, slots=True)
class DeskLock:
    """A held lock. ``took_over`` names the session that left the lock behind without
    closing the desk (a crash or power loss): the desk deserves a check."""

    path: Path
    holder: LockHolder
    took_over: LockHolder | None = None

    def release(self) -> None:
        """Give the lock back; the last holder in this process removes the file."""
        with _held_guard:
            fd, count = _held.get(self.path, (-1, 0))
            if count > 1:
                _held[self.path] = (fd, count - 1)
                return
            _held.pop(self.path, None)
        if fd < 0:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # a lock file that names nobody = a clean close
            self.path.unlink()
        os.close(fd)  # releases the operating-system lock


def acquire(desk: Path) -> DeskLock:
    """Take the lock of ``desk`` for writing.

    Raises :class:`DeskLockedError` when another live session holds it, and
    ``OSError`` when the folder cannot be written (a read-only medium).
    """
    path = lock_path(desk)
    with _held_guard:
        if path in _held:
            fd, count = _held[path]
            _held[path] = (fd, count + 1)
            return DeskLock(path, _parse(_read_fd(fd)) or _me())
    for _ in range(5):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_os_lock(fd):
            holder = _parse(_read_fd(fd))
            os.close(fd)
            raise DeskLockedError(desk, holder)
        try:
            same_file = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same_file = False
        if not same_file:  # the previous holder removed the file meanwhile: start over
            os.close(fd)
            continue
        previous = _parse(_read_fd(fd))
        me = _me()
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(asdict(me), indent=1).encode("utf-8"))
        os.fsync(fd)
        with _held_guard:
            _held[path] = (fd, 1)
        return DeskLock(path, me, took_over=previous)
    raise DeskLockedError(desk, read_holder(path))


def lock_state(desk: Path) -> tuple[LockHolder | None, LockHolder | None]:
    """Without taking it: ``(held_by, left_open_by)`` — the live session holding the
    desk, or the session that left it without closing (its lock is gone, its name
    still in the file). Both ``None`` when the desk is closed cleanly."""
    path = lock_path(desk)
    holder = read_holder(path)
    if holder is None:
        return None, None
    if holder.pid == os.getpid() and holder.host == socket.gethostname():
        return holder, None
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return holder, None  # cannot test it: assume it is held
    try:
        if _try_os_lock(fd):
            return None, holder  # nobody holds it, yet it names someone: left open
        return holder, None
    finally:
        os.close(fd)  # closing releases the test lock we may have taken
