"""This laptop's signing key: made once, kept in the user's profile, owner-only.

Every changes file a laptop sends is signed with its key, and the other copies of
the desk trust that key once its fingerprint has been confirmed (:mod:`.trust`). The
private key never leaves the profile: it is not in the desk (a desk file copied to
another laptop must not sign as this one) and not in a changes file. It sits beside
the replica ids of schema 0004 (one per desk, keyed by the desk's UUID), in the
profile's data folder (``NSDESK_HOME/data/replicas`` in developer mode and tests).

As with an SSH key, a key file that other users could read is refused rather than
used: whoever read it could sign as this laptop.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from nsdesk.domain.changes_errors import LaptopKeyError
from nsdesk.domain.private_files import make_private_folders, open_private_file
from nsdesk.exchange.changes import SigningKey
from nsdesk.locations import data_dir

KEY_FILE = "laptop-key.pem"


def replicas_dir() -> Path:
    """The profile folder of this laptop's identity: its key (and the replica ids)."""
    return data_dir() / "replicas"


def key_path(folder: Path | None = None) -> Path:
    """Where this laptop's private key is kept."""
    return (folder or replicas_dir()) / KEY_FILE


def _load(path: Path) -> SigningKey:
    facts = path.stat()
    if os.name == "posix" and stat.S_IMODE(facts.st_mode) & 0o077:
        raise LaptopKeyError(
            f"{path}: this laptop's signing key can be read by other users of the computer, "
            "so nsdesk will not sign with it (whoever read it could sign as this laptop). "
            f"Make it private (chmod 600 {path}); if others may have read it, move it away so "
            "nsdesk makes a new one, and have the other desks revoke the old fingerprint"
        )
    try:
        return SigningKey.from_pem(path.read_bytes())
    except ValueError as error:
        raise LaptopKeyError(
            f"{path}: this laptop's signing key is damaged ({error}). Move it away: nsdesk then "
            "makes a new key, which the other desks must trust before they accept its files"
        ) from None


def laptop_key(folder: Path | None = None) -> SigningKey:
    """This laptop's signing key, made (owner-only) the first time it is asked for.
    Raises :class:`LaptopKeyError` when the kept key is readable by others or damaged."""
    path = key_path(folder)
    if path.exists():
        return _load(path)
    make_private_folders(path.parent)
    key = SigningKey.generate()
    try:
        with open_private_file(path) as handle:  # never replaces a key made meanwhile
            handle.write(key.to_pem())
            handle.flush()
            os.fsync(handle.fileno())
    except FileExistsError:
        return _load(path)  # another nsdesk made it first: that one is the laptop's key
    return key
