"""Bringing a desk's schema up to date, all or nothing.

Opening a desk reads its schema revision with plain SQL (Alembic is imported only
when a migration is actually needed, which keeps the first window fast). A desk
at an older known revision is migrated inside one explicit transaction with
foreign keys off — SQLite's own procedure for rebuilding tables — and checked
with ``foreign_key_check`` before commit. A desk at an unknown revision was
written by a newer nsdesk and is refused, never "upgraded" downwards.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, create_engine, event
from sqlalchemy.pool import NullPool

from nsdesk.domain.errors import MigrationError, NewerSchemaError
from nsdesk.domain.location import ServerAddress
from nsdesk.store.desk_file import raw_connect
from nsdesk.store.schema_revisions import MIGRATIONS_DIR, SCHEMA_HEAD, SCHEMA_REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config


def needs_migration(path: Path | ServerAddress, revision: str | None) -> bool:
    """Whether a desk at ``revision`` must be migrated; refuses newer desks."""
    if revision == SCHEMA_HEAD:
        return False
    if revision in SCHEMA_REVISIONS:
        return True
    raise NewerSchemaError(path, str(revision), SCHEMA_HEAD)


def alembic_config(connection: Connection) -> Config:
    """An Alembic ``Config`` that runs the packaged migrations on ``connection``."""
    # lazy: Alembic loads only when a desk needs migrating (keeps the first window fast)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(path: Path, target: str = "head") -> None:
    """Migrate the desk at ``path`` to ``target`` in one transaction.

    On any failure the transaction is rolled back and :class:`MigrationError` is
    raised; the file is then exactly as it was. The caller takes a backup first.
    """
    from alembic import command  # lazy: as above, only when a desk migrates

    def _connect() -> sqlite3.Connection:
        connection = raw_connect(path, mode="rw")
        # SQLite ignores this inside a transaction, so it is set before BEGIN.
        connection.execute("PRAGMA foreign_keys = OFF")
        return connection

    engine = create_engine("sqlite+pysqlite://", creator=_connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        with engine.connect() as connection, connection.begin():
            command.upgrade(alembic_config(connection), target)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent, _ = broken[0]
                raise MigrationError(
                    path,
                    f"migration would leave {len(broken)} broken references "
                    f"(first: {table} row {rowid} → {parent}); nothing was changed",
                )
    except MigrationError:
        raise
    except Exception as error:
        raise MigrationError(
            path, f"the schema could not be brought up to date ({error}); nothing was changed"
        ) from error
    finally:
        engine.dispose()
