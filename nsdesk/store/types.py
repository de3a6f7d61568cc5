"""Column types that keep Python values honest across SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
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
