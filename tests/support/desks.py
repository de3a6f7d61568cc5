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


#: The tables whose rows say what a desk holds (records, their history, imports).
DIGESTED = ("commitment", "status_entry", "target", "import_batch", "audit_entry", "desk_revision")


def desk_digest(location: Path | ServerAddress) -> str:
    """A fingerprint of every row of the desk's records, history and imports: equal
    digests mean nothing was written in between (not even half of something)."""
    import hashlib

    digest = hashlib.sha256()
    for table in DIGESTED:
        for row in raw_query(location, f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(tuple(str(value) for value in row)).encode())
        digest.update(table.encode())
    return digest.hexdigest()
