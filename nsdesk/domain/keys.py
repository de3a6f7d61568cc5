"""Keys made from words: a record the desk knows by an internal key (a theme, an
event, an instrument, a joint statement) gets one from its name when it is
created in the app, so nobody types or reads ``nuclear_forensics``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from nsdesk.domain.fields import FieldType
from nsdesk.domain.records import RECORD_SPECS

KEY_LENGTH = 40
"""The longest key made (the rule allows 60; a shorter one reads better in a workbook)."""

_NOT_KEY = re.compile(r"[^a-z0-9]+")


def key_from_words(words: str, taken: Container[str] = (), *, attempt: int = 1) -> str:
    """A key for ``words`` ("Nuclear forensics" → ``nuclear_forensics``): lowercase
    letters and digits joined by ``_``, accents dropped, cut at a word, never one of
    ``taken``; ``attempt`` n > 1 ends it in ``_n`` (the desk refused the one before)."""
    plain = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    parts = [p for p in _NOT_KEY.split(plain.lower()) if p] or ["record"]
    base = parts[0][:KEY_LENGTH]
    for part in parts[1:]:
        if len(base) + 1 + len(part) > KEY_LENGTH:
            break
        base = f"{base}_{part}"
    number = attempt
    while True:
        key = base if number == 1 else f"{base[: KEY_LENGTH - 4]}_{number}"
        if key not in taken:
            return key
        number += 1


def has_internal_key(kind: str) -> bool:
    """Whether records of ``kind`` are known by a key made for the desk (``nss2014``,
    ``cppnm_a``) rather than one people read (an agency's MFA, a party's NLD, a
    commitment's C-0042): the app shows such a record's name, never its key."""
    spec = RECORD_SPECS.get(kind)
    key = next((f for f in spec.fields if f.name == spec.key_field), None) if spec else None
    return key is not None and key.type is FieldType.KEY
