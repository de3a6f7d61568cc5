"""A desk in a PostgreSQL database: connecting, recognising, creating, migrating,
granting and checking — the server's side of the store's seams.

What a file desk does with its lock file, crash check, backups and "moved or
deleted" checks, a server does itself: PostgreSQL serialises writers, keeps
committed work through a crash, and IT backs it up (``pg_dump``). What remains
here is what only nsdesk knows:

* **Recognising a desk.** A database holding ``alembic_version`` and
  ``desk_settings`` is a desk; one holding other tables is another program's and is
  neither opened nor initialised over.
* **Migrating under an advisory lock.** Two clients that open an older register at
  once would otherwise both migrate it; the transaction-scoped advisory lock makes
  the second wait, after which Alembic finds the schema already at head. The whole
  migration (and the first filling of a new desk) is one transaction: PostgreSQL's
  DDL is transactional, so a failure leaves the database as it was.
* **Roles.** The shipped script (``packaging/server/``) creates three group roles
  named after the database: ``<db>_admin`` (owns the tables: migrations and
  settings), ``<db>_editor`` and ``<db>_reader``. Every migration ends by granting
  them what they may do, so a table added later is covered too: readers read;
  editors read and write records but cannot change the settings or the marking
  scheme, and may only add to the audit log (no UPDATE, DELETE or TRUNCATE on it).

psycopg (3) is imported only when a server desk is used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool, QueuePool

from nsdesk.domain.errors import (
    DeskDamagedError,
    DeskError,
    DeskExistsError,
    DeskNotFoundError,
    MigrationError,
    NotADeskError,
)
from nsdesk.domain.location import ServerAddress
from nsdesk.store.change_log import install_change_log
from nsdesk.store.desk_file import DeskProbe
from nsdesk.store.failures import server_error, server_refusal
from nsdesk.store.migrate import alembic_config
from nsdesk.store.search import INDEXED_KINDS, ts_index_name

#: The advisory lock every nsdesk client takes before migrating a server desk
#: ("NSDS", as in a desk file's application id, then "MIGR").
MIGRATION_LOCK = 0x4E534453_4D494752
#: How long a client waits for the server before saying it cannot be reached.
CONNECT_TIMEOUT_S = 10
#: The tables only the admin role may write (migrations and settings).
ADMIN_TABLES = ("alembic_version", "desk_settings", "marking_level")
#: The tables editors may only add to: the audit log (the change log) and the replicas
#: that wrote it.
APPEND_ONLY = ("audit_entry", "desk_replica")
#: The change log's single-row commit counter: every write transaction moves it on
#: (an UPDATE), nobody adds or removes its row.
COUNTER_ONLY = ("desk_revision",)
ROLES = ("admin", "editor", "reader")
JOURNAL = "server"


def role_name(database: str, role: str) -> str:
    """The group role the roles script creates for ``database``: ``nsdesk_editor``."""
    return f"{database}_{role}"


#: Passwords the user typed in this session, by server, database and login: kept in
#: this process's memory only (never written anywhere), for the reconnections of the
#: register they were typed for. libpq's pgpass file is read as usual when none is.
_TYPED_PASSWORDS: dict[tuple[str | None, int | None, str, str | None], str] = {}


def _login_key(address: ServerAddress) -> tuple[str | None, int | None, str, str | None]:
    return (address.host, address.port, address.database, address.user)


def keep_typed_password(address: ServerAddress, password: str | None) -> None:
    """Use ``password`` (typed by the user) for connections to ``address`` until this
    process ends; ``None`` forgets it. It is never written to disk."""
    if password is None:
        _TYPED_PASSWORDS.pop(_login_key(address), None)
    else:
        _TYPED_PASSWORDS[_login_key(address)] = password


def _settings(address: ServerAddress, timeout_s: int) -> dict[str, Any]:
    settings: dict[str, Any] = {
        **address.libpq_settings(),
        "connect_timeout": timeout_s,
        "application_name": "nsdesk",
    }
    typed = _TYPED_PASSWORDS.get(_login_key(address))
    if typed is not None:
        settings["password"] = typed
    return settings


def _connect(address: ServerAddress, *, read_only: bool) -> Any:
    # lazy: psycopg (and libpq) load only when a server desk is opened
    import psycopg

    settings = _settings(address, CONNECT_TIMEOUT_S)
    if read_only:
        # Every transaction read-only: the server itself refuses a write.
        settings["options"] = "-c default_transaction_read_only=on"
    try:
        return psycopg.connect(**settings)
    except psycopg.OperationalError as error:
        raise server_error(error, address) from error


#: How long a probe of a lost connection waits for the server (the window waits too).
PROBE_TIMEOUT_S = 2


def server_answers(address: ServerAddress) -> bool:
    """Whether the server at ``address`` accepts a connection now (a probe after a
    lost connection: a quick new connection, closed at once)."""
    import psycopg  # lazy: only with a server desk

    try:
        psycopg.connect(**_settings(address, PROBE_TIMEOUT_S)).close()
    except psycopg.Error:
        return False
    return True


def login_refusal(address: ServerAddress) -> DeskError | None:
    """Try to log in to ``address`` (a quick connection, closed at once): ``None``
    when the server lets this login in, else the refusal in words."""
    import psycopg  # lazy: only with a server desk

    try:
        psycopg.connect(**_settings(address, CONNECT_TIMEOUT_S)).close()
    except psycopg.Error as error:
        return server_error(error, address)
    return None


def create_server_engine(
    address: ServerAddress,
    *,
    read_only: bool = False,
    pooled: bool = True,
    desk_uuid: str | None = None,
) -> Engine:
    """An engine on the database at ``address``. A pooled engine checks a connection
    before lending it (a server restart is then noticed and a fresh connection made,
    instead of the user's next save failing). Every audit entry written through it is
    stamped by the change log (:mod:`nsdesk.store.change_log`), as on a desk file;
    ``desk_uuid`` names the desk while its settings row does not exist yet."""
    engine = create_engine(
        "postgresql+psycopg://",
        creator=lambda: _connect(address, read_only=read_only),
        poolclass=QueuePool if pooled else NullPool,
        pool_pre_ping=pooled,
    )
    engine.info_address = address  # type: ignore[attr-defined]  # for messages
    if not read_only:
        install_change_log(engine, desk_uuid=desk_uuid)
    return engine


@contextlib.contextmanager
def _connection(
    address: ServerAddress, *, read_only: bool, desk_uuid: str | None = None
) -> Iterator[Connection]:
    engine = create_server_engine(address, read_only=read_only, pooled=False, desk_uuid=desk_uuid)
    try:
        with engine.connect() as connection:
            yield connection
    except DBAPIError as error:
        refusal = server_refusal(error, address)
        if refusal is None:
            raise
        raise refusal from error
    finally:
        engine.dispose()


def _tables(connection: Connection) -> set[str]:
    rows = connection.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    )
    return {row[0] for row in rows}


def probe_server(address: ServerAddress) -> DeskProbe:
    """Check that the database at ``address`` holds an nsdesk desk and read its schema
    revision and UUID, read-only. Refuses an empty database (no desk was made in it)
    and another program's tables."""
    with _connection(address, read_only=True) as connection:
        names = _tables(connection)
        if not names:
            raise DeskNotFoundError(
                address,
                f"{address.describe()} is empty: no desk has been created in it "
                f"(create one with: nsdesk init {address} --state ISO3)",
            )
        if "alembic_version" not in names or "desk_settings" not in names:
            raise NotADeskError(address, _foreign(names, address))
        revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        desk_uuid = connection.exec_driver_sql("SELECT uuid FROM desk_settings").scalar()
    if revision is not None and desk_uuid is None:
        raise DeskDamagedError(address, "it holds a schema but no desk settings")
    return DeskProbe(revision, JOURNAL, desk_uuid)


def _foreign(names: set[str], address: ServerAddress) -> str:
    shown = ", ".join(sorted(names)[:5]) + (", …" if len(names) > 5 else "")
    return (
        f"{address.describe()} holds tables nsdesk does not recognise ({shown}): it is "
        "another program's database, and nsdesk leaves it alone"
    )


def _lock_and_become_admin(connection: Connection, database: str) -> None:
    """Wait for any other client migrating this database, then act as the admin group
    role when this login is a member of it (so the tables belong to the role, not to
    whichever officer of IT ran the migration)."""
    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
    admin = role_name(database, "admin")
    member = connection.exec_driver_sql(
        "SELECT pg_has_role(current_user, oid, 'MEMBER') FROM pg_roles WHERE rolname = %(r)s",
        {"r": admin},
    ).scalar()
    if member:
        connection.exec_driver_sql(f"SET LOCAL ROLE {_quote(connection, admin)}")


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _run_migrations(connection: Connection, target: str) -> None:
    from alembic import command  # lazy: only when a migration is due

    command.upgrade(alembic_config(connection), target)
    grant_roles(connection)


def upgrade_server(address: ServerAddress, target: str = "head") -> None:
    """Migrate the desk at ``address`` to ``target`` in one transaction, under the
    migration advisory lock; on failure nothing is changed (``MigrationError``)."""
    try:
        with _connection(address, read_only=False) as connection, connection.begin():
            _lock_and_become_admin(connection, address.database)
            _run_migrations(connection, target)
    except DeskError:
        raise
    except Exception as error:
        raise MigrationError(
            address, f"the schema could not be brought up to date ({error}); nothing was changed"
        ) from error


@contextlib.contextmanager
def creating_desk(address: ServerAddress, *, desk_uuid: str) -> Iterator[Connection]:
    """One transaction in which a new desk is made in the existing, empty database at
    ``address``: the schema at head and the roles' grants are in place when it is
    yielded; what the caller adds is committed with them, or nothing is.

    Refuses a database that already holds a desk (:class:`DeskExistsError`) or any
    table nsdesk does not recognise (:class:`NotADeskError`). ``desk_uuid`` is the new
    desk's, for the change log's stamps before its settings row is written."""
    with (
        _connection(address, read_only=False, desk_uuid=desk_uuid) as connection,
        connection.begin(),
    ):
        _lock_and_become_admin(connection, address.database)
        names = _tables(connection)
        if {"alembic_version", "desk_settings"} <= names:
            raise DeskExistsError(
                address, f"{address.describe()} already holds a desk; nothing was changed"
            )
        if names:
            raise NotADeskError(address, _foreign(names, address) + "; nothing was changed")
        _run_migrations(connection, "head")
        yield connection


def grant_roles(connection: Connection) -> list[str]:
    """Grant the database's group roles (those that exist) what each may do, on every
    table now in the schema; returns the roles granted to. Idempotent."""
    database = connection.exec_driver_sql("SELECT current_database()").scalar_one()
    existing = {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT rolname FROM pg_roles WHERE rolname = ANY(%(names)s)",
            {"names": [role_name(database, r) for r in ROLES]},
        )
    }
    schema = _quote(connection, connection.exec_driver_sql("SELECT current_schema()").scalar_one())
    granted = []
    for role in ("reader", "editor"):
        name = role_name(database, role)
        if name not in existing:
            continue
        who = _quote(connection, name)
        statements = [
            f"GRANT USAGE ON SCHEMA {schema} TO {who}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {who}",
        ]
        if role == "editor":
            statements += [
                f"GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}",
                f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}",
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {', '.join(APPEND_ONLY)} FROM {who}",
                f"REVOKE INSERT, DELETE, TRUNCATE ON {', '.join(COUNTER_ONLY)} FROM {who}",
                f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {', '.join(ADMIN_TABLES)} FROM {who}",
            ]
        for statement in statements:
            connection.exec_driver_sql(statement)
        granted.append(name)
    return granted


def regrant(address: ServerAddress) -> list[str]:
    """Grant the roles of the desk at ``address`` their rights again (as the admin role
    when this login is a member of it); returns the roles granted to."""
    with _connection(address, read_only=False) as connection, connection.begin():
        _lock_and_become_admin(connection, address.database)
        return grant_roles(connection)


def set_sequences(connection: Connection, tables: list[str]) -> None:
    """Move each table's ``id`` sequence past the ids it holds (after rows were copied
    in with their own ids), so the next new record gets a fresh one."""
    for table in tables:
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false) "
            f"WHERE pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
        )


def settle_bulk_load(connection: Connection, tables: list[str]) -> None:
    """Leave a database just filled in bulk as autovacuum's next pass would, so the
    first reads after a publish are as fast as later ones: the planner's statistics
    (without them it guesses one row for any text search and scans every commitment)
    and the search indexes' pending lists merged into the indexes (rows inserted in
    bulk wait in a list that every search reads whole). Both are transactional: run in
    the copy's transaction, they are undone with it."""
    connection.exec_driver_sql("ANALYZE " + ", ".join(tables))
    for kind in INDEXED_KINDS:
        connection.exec_driver_sql(f"SELECT gin_clean_pending_list('{ts_index_name(kind)}')")


@dataclass(frozen=True, slots=True)
class ServerFacts:
    """What ``nsdesk check`` can say about a server desk beyond its content."""

    server_version: str
    login: str
    database_size: int
    #: Role name -> what it may do, for the database's group roles that exist.
    roles: dict[str, str]


def server_facts(connection: Connection) -> ServerFacts:
    """The server's version, this login, the database's size and its roles' rights."""
    version = connection.exec_driver_sql("SHOW server_version").scalar_one()
    login, database, size = connection.exec_driver_sql(
        "SELECT session_user, current_database(), pg_database_size(current_database())"
    ).one()
    roles = {}
    for role in ROLES:
        name = role_name(database, role)
        row = connection.exec_driver_sql(
            "SELECT has_table_privilege(%(r)s, 'commitment', 'SELECT'), "
            "has_table_privilege(%(r)s, 'commitment', 'UPDATE'), "
            "has_table_privilege(%(r)s, 'audit_entry', 'UPDATE') "
            "FROM pg_roles WHERE rolname = %(r)s",
            {"r": name},
        ).first()
        if row is None:
            continue
        reads, writes, rewrites_audit = row
        roles[name] = (
            "may change the audit log" if rewrites_audit and role != "admin"
            else "reads and writes records" if writes
            else "reads" if reads
            else "has no rights on the tables"
        )  # fmt: skip
    return ServerFacts(version, login, size, roles)


def server_problems(connection: Connection) -> list[str]:
    """What is wrong with a server desk's set-up, read-only; [] when sound.

    PostgreSQL enforces every key and constraint itself and keeps the indexes in
    step, so there is no page-level check to run here (that is IT's ``pg_amcheck``);
    what can be wrong is the roles' rights."""
    facts = server_facts(connection)
    return [
        f"the role {name} may change the audit log (it should only add to it): grant the "
        "roles again as the admin (nsdesk grant ADDRESS)"
        for name, rights in facts.roles.items()
        if rights == "may change the audit log"
    ]
