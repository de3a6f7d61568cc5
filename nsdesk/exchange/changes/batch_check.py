"""Checking a file's changes a batch at a time, key by key.

:func:`~nsdesk.exchange.changes.lines.change_checker` checks one change, key after
key: most of a file's cost after serialising it, since each key of each change is a
few steps of Python. The changes of a batch share most of their texts (one edit's
clock stamp, actor, operation and moment; a table's name; a record's UUID for each
of its fields), so here each key is checked over the whole batch at once: the
values' types all together, then each distinct text once. That pass decides only
that a batch is valid, and only when every value is of the plain type a change
holds (text, a whole number, null); on anything else it decides nothing, and the
batch goes through the one-change check, which says what is wrong and where. A
test holds the two to the same decision.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from nsdesk.exchange.changes.lines import (
    _CHOICE,
    _DATETIME,
    _INTEGER,
    _JSON,
    _TEXT,
    _moment_ok,
    _plan,
    change_checker,
)
from nsdesk.exchange.changes.model import ChangeSchema

_NONE = type(None)
_TEXT_ONLY = frozenset({str})
_TEXT_OR_NONE = frozenset({str, _NONE})
_WHOLE_ONLY = frozenset({int})
_WHOLE_OR_NONE = frozenset({int, _NONE})

Refusal = tuple[int, str]
"""The place in its batch of the first change refused (from 0), and its problem."""


def batch_checker(schema: ChangeSchema) -> Callable[[Sequence[Any]], Refusal | None]:
    """The check of a batch of changes against ``schema``: the first change refused
    and its problem, exactly as :func:`change_checker` would find them one by one,
    or ``None`` when every change is valid."""
    key_set = frozenset(schema.names)
    keys = [(itemgetter(spec.name), *_plan(spec)[1:]) for spec in schema.keys]
    table_of, field_of = itemgetter(schema.table_key), itemgetter(schema.field_key)
    tables = schema.tables
    one = change_checker(schema)

    def all_valid(changes: Sequence[Any]) -> bool:
        if not all(type(c) is dict and c.keys() == key_set for c in changes):
            return False
        for get, nullable, kind, limit, bound in keys:
            values = list(map(get, changes))
            types = set(map(type, values))
            if kind == _JSON:
                if not nullable and _NONE in types:
                    return False
                continue
            if kind == _INTEGER:
                if not types <= (_WHOLE_OR_NONE if nullable else _WHOLE_ONLY):
                    return False
                if int in types and min(v for v in values if v is not None) < 0:
                    return False
                continue
            if not types <= (_TEXT_OR_NONE if nullable else _TEXT_ONLY):
                return False
            texts = set(values)
            texts.discard(None)
            if not texts:
                continue
            if kind == _TEXT:
                if limit is not None and max(map(len, texts)) > limit:
                    return False
                if bound is not None and not all(map(bound.match, texts)):
                    return False
            elif kind == _DATETIME:
                if not all(map(_moment_ok, texts)):
                    return False
            elif kind == _CHOICE:
                if not texts <= bound:
                    return False
            else:
                return False
        for table, field in set(zip(map(table_of, changes), map(field_of, changes), strict=True)):
            fields = tables.get(table)
            if fields is None or (field is not None and field not in fields):
                return False
        return True

    def check(changes: Sequence[Any]) -> Refusal | None:
        if all_valid(changes):
            return None
        for index, change in enumerate(changes):
            problem = one(change)
            if problem is not None:
                return index, problem
        return None

    return check
