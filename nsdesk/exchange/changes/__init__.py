"""Changes files, ``NAME.nsdesk-changes`` (issue 18): one laptop's changes to a desk,
sent to the other copies of that desk by USB stick or e-mail.

This package writes and reads the file and reads no desk: a header, an iterable of
changes and a signing key go in, a file comes out; a file, the reading desk's
expectations and its trusted keys go in, verified changes come out. Which changes to
send, where the laptop's key is kept and which keys a desk trusts are the services'
business (:mod:`nsdesk.services.merge`).

* :mod:`.model` — the header, the schema a change is checked against, the bounds;
* :mod:`.lines` — the JSON lines and their checks;
* :mod:`.crypto` — keys, fingerprints, signatures, passphrase encryption;
* :mod:`.writer` — :func:`write_changes`;
* :mod:`.proof` — the private snapshot of a file and the proof of its integrity;
* :mod:`.reader` — :func:`open_changes_file`, :func:`read_changes`.
"""

from nsdesk.exchange.changes.crypto import SigningKey, fingerprint, normalise_fingerprint
from nsdesk.exchange.changes.model import (
    DEFAULT_LIMITS,
    DEFAULT_SCRYPT,
    FORMAT_VERSION,
    SUFFIX,
    ChangeSchema,
    ChangesHeader,
    ChangesLimits,
    Envelope,
    Expectations,
    KeyKind,
    KeySpec,
    KeyState,
    KeyStatus,
    KeyTrust,
    ScryptCost,
    Summary,
)
from nsdesk.exchange.changes.reader import (
    ChangesFile,
    VerifiedChanges,
    check_expectations,
    open_changes_file,
    read_changes,
)
from nsdesk.exchange.changes.writer import WrittenChanges, write_changes

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_SCRYPT",
    "FORMAT_VERSION",
    "SUFFIX",
    "ChangeSchema",
    "ChangesFile",
    "ChangesHeader",
    "ChangesLimits",
    "Envelope",
    "Expectations",
    "KeyKind",
    "KeySpec",
    "KeyState",
    "KeyStatus",
    "KeyTrust",
    "ScryptCost",
    "SigningKey",
    "Summary",
    "VerifiedChanges",
    "WrittenChanges",
    "check_expectations",
    "fingerprint",
    "normalise_fingerprint",
    "open_changes_file",
    "read_changes",
    "write_changes",
]
