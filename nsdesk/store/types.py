"""Column types that keep Python values honest across SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, ClassVar

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

from nsdesk.domain.dates import PartialDate


class UtcDateTime(TypeDecorator[datetime]):
    """A moment in time, always stored and returned as timezone-aware UTC.

    SQLite has no timezone type; storing naive local times would make audit
    entries from two laptops in different time zones impossible to order.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps stored in a desk must carry a timezone")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PartialDateType(TypeDecorator[PartialDate]):
    """A :class:`~nsdesk.domain.dates.PartialDate` stored as its ISO text
    (``2013``, ``2013-12`` or ``2013-12-31``), which sorts correctly as text."""

    impl = String(10)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(PartialDate.of(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> PartialDate | None:
        return None if value is None else _parse_partial_date(value)


@lru_cache(maxsize=4096)
def _parse_partial_date(text: str) -> PartialDate:
    """Stored dates repeat across thousands of rows; a PartialDate is immutable, so
    one parsed value can be shared."""
    return PartialDate.parse(text)


def utcnow() -> datetime:
    """Now, in UTC, to the microsecond."""
    return datetime.now(UTC)


class CodePointOrder(ColumnElement[Any]):
    """A text expression sorted by code point, whatever the database's collation: as
    SQLite's BINARY does on a desk file, as ``COLLATE "C"`` does on PostgreSQL (whose
    default follows the server's locale, which ignores punctuation and case in ways
    that differ from server to server). See :func:`code_point_order`."""

    inherit_cache = True
    _traverse_internals: ClassVar = [("sorted", InternalTraversal.dp_clauseelement)]

    def __init__(self, expression: ColumnElement[Any]):
        self.sorted = expression
        self.type = expression.type


@compiles(CodePointOrder)
def _compile_code_point_order(element: CodePointOrder, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.sorted, **kw)


@compiles(CodePointOrder, "postgresql")
def _compile_code_point_order_pg(element: CodePointOrder, compiler: Any, **kw: Any) -> str:
    return f'{compiler.process(element.sorted, **kw)} COLLATE "C"'


def code_point_order(expression: Any) -> CodePointOrder:
    """``expression`` to sort by, in the same order on a desk file and on a server
    (for lists a user reads: codes, names, labels)."""
    return CodePointOrder(expression)
