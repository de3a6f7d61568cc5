"""Reaching under the services into a desk of either kind, for tests that must set
up what nsdesk itself would never write (a newer schema, a broken reference)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from nsdesk.domain.location import ServerAddress


def raw_sql(location: Path | ServerAddress, *statements: str) -> None:
    """Run ``statements`` on the desk at ``location`` in one committed transaction,
    with the plain driver (sqlite3, or psycopg for a server desk)."""
    if isinstance(location, ServerAddress):
        import psycopg

        with psycopg.connect(**location.libpq_settings()) as connection:
            for statement in statements:
                connection.execute(statement)  # type: ignore[arg-type]
        return
    connection = sqlite3.connect(location)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def raw_query(location: Path | ServerAddress, statement: str) -> list[tuple[Any, ...]]:
    """The rows ``statement`` returns from the desk at ``location`` (plain driver)."""
    if isinstance(location, ServerAddress):
        import psycopg

        with psycopg.connect(**location.libpq_settings()) as connection:
            return list(connection.execute(statement))  # type: ignore[arg-type]
    connection = sqlite3.connect(location)
    try:
        return connection.execute(statement).fetchall()
    finally:
        connection.close()
