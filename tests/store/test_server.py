"""A desk on a real PostgreSQL server: the roles IT creates with the shipped script,
creating a desk only in an empty database, migrating under the advisory lock, and
the server's refusals said in sentences that name it."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from nsdesk.domain.errors import (
    DiskFullError,
    LoginRefusedError,
    NotADeskError,
    NotPermittedError,
    ServerUnreachableError,
)
from nsdesk.domain.location import ServerAddress
from nsdesk.services.audit import Actor
from nsdesk.services.backups.check import check_desk
from nsdesk.services.desk import open_desk
from nsdesk.services.overview.dashboard import load_dashboard
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.setup.desk_settings import update_desk_settings
from nsdesk.services.setup.new_desk import create_desk
from nsdesk.store import migrate
from tests.support.desks import raw_query, raw_sql

pytestmark = pytest.mark.server_desk

ROLES_SCRIPT = Path(__file__).resolve().parents[2] / "packaging" / "server" / "create-roles.sh"
_numbers = itertools.count(1)


def _psql(pg_server) -> str:
    found = pg_server.bin / "psql"
    return str(found) if found.exists() else (shutil.which("psql") or "psql")


@pytest.fixture
def register(pg_server, desk_copies):
    """A register made as IT would: the roles script, then ``nsdesk init`` by an admin
    login. Yields (address as the admin, editor login, reader login)."""
    n = f"{os.getpid()}_{next(_numbers)}"
    database, admin, editor, reader = f"reg{n}", f"it_admin{n}", f"officer{n}", f"auditor{n}"
    made = subprocess.run(
        [
            *("sh", str(ROLES_SCRIPT), "--database", database, "--admin", admin),
            *("--editor", editor, "--reader", reader),
            *("-h", str(pg_server.socket_dir), "-U", desk_copies.server_user),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PSQL": _psql(pg_server)},
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert f"Database {database} and the roles" in made.stdout
    address = ServerAddress(database, host=str(pg_server.socket_dir), user=admin)
    create_desk(address, state="NLD")
    yield address, editor, reader
    desk_copies.drop(address)


def test_the_roles_script_gives_admins_the_tables_and_editors_their_work(register):
    address, editor, _ = register
    owners = raw_query(
        address, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
    )
    assert owners == [(f"{address.database}_admin",)]
    as_editor = ServerAddress(address.database, host=address.host, user=editor)
    with open_desk(as_editor) as desk:
        records = RecordService(desk)
        ref = records.create("commitment", {"title": "Convert the research reactor"}).key
        records.record_progress(ref, status="in progress", narrative="Fuel ordered")
        records.update("commitment", ref, {"title": "Convert the research reactor to LEU"})
        records.retire("commitment", ref)
        with pytest.raises(NotPermittedError, match=r"does not let your login do this") as refused:
            update_desk_settings(desk, delegation="Changed by an editor")
        assert address.server in refused.value.reason
        assert "this change was not saved" in refused.value.reason
        assert desk.info().delegation is None
    # The audit log (the change log) only grows: an editor can neither rewrite nor remove
    # an entry, nor the replicas that wrote them; the commit counter only moves on.
    settings = as_editor.libpq_settings()
    for refused_sql in (
        "UPDATE audit_entry SET actor = 'someone else'",
        "DELETE FROM audit_entry",
        "UPDATE desk_replica SET label = 'someone else'",
        "DELETE FROM desk_replica",
        "DELETE FROM desk_revision",
        "INSERT INTO desk_revision (id, value) VALUES (2, 0)",
    ):
        with (
            psycopg.connect(**settings) as connection,
            pytest.raises(psycopg.errors.InsufficientPrivilege),
        ):
            connection.execute(refused_sql)
    assert raw_query(address, "SELECT COUNT(*) FROM desk_replica") == [(1,)]
    # init's one transaction, then the editor's four saves
    assert raw_query(address, "SELECT value FROM desk_revision") == [(5,)]
    report = check_desk(address)
    assert report.sound, report.problems
    assert report.server is not None
    assert report.server.roles == {
        f"{address.database}_admin": "reads and writes records",
        f"{address.database}_editor": "reads and writes records",
        f"{address.database}_reader": "reads",
    }


def test_a_reader_reads_and_is_refused_every_write_in_a_sentence(register):
    address, _, reader = register
    as_reader = ServerAddress(address.database, host=address.host, user=reader)
    with open_desk(as_reader) as desk:
        assert load_dashboard(desk).total == 0
        before = raw_query(address, "SELECT COUNT(*) FROM audit_entry")
        with pytest.raises(NotPermittedError) as refused:
            RecordService(desk).create("agency", {"code": "MFA", "name": "Foreign Affairs"})
        said = str(refused.value)
        assert f"the server {address.server} does not let your login do this" in said
        assert "this change was not saved; everything saved before it is safe" in said
        assert raw_query(address, "SELECT COUNT(*) FROM audit_entry") == before
        assert raw_query(address, "SELECT COUNT(*) FROM agency") == [(0,)]


def test_init_refuses_a_database_holding_another_programs_tables(new_location):
    raw_sql(new_location, "CREATE TABLE invoice (id integer primary key, amount numeric)")
    with pytest.raises(NotADeskError, match=r"tables nsdesk does not recognise \(invoice\)"):
        create_desk(new_location, state="NLD")
    tables = raw_query(new_location, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    assert tables == [("invoice",)]
    with pytest.raises(NotADeskError, match="another program's database"):
        open_desk(new_location)


MARKED_MIGRATION = """
import time
from alembic import op
revision = '9001'
down_revision = '{head}'
branch_labels = None
depends_on = None
def upgrade():
    op.execute("CREATE TABLE IF NOT EXISTS migration_runs (at timestamptz DEFAULT now())")
    op.execute("INSERT INTO migration_runs DEFAULT VALUES")
    time.sleep(2)
def downgrade():
    pass
"""

RUN_MIGRATION = """
import sys
from pathlib import Path
from nsdesk.domain.location import parse_address
from nsdesk.store import migrate, server
migrate.MIGRATIONS_DIR = Path(sys.argv[2])
print("start", flush=True)
server.upgrade_server(parse_address(sys.argv[1]))
print("done", flush=True)
"""


def test_two_clients_migrating_at_once_migrate_once(new_desk_location, tmp_path):
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9001_marked.py").write_text(
        MARKED_MIGRATION.format(head=migrate.SCHEMA_HEAD)
    )
    children = [
        subprocess.Popen(
            [sys.executable, "-c", RUN_MIGRATION, str(new_desk_location), str(scripts)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        assert "done" in out
    assert raw_query(new_desk_location, "SELECT COUNT(*) FROM migration_runs") == [(1,)]
    assert raw_query(new_desk_location, "SELECT version_num FROM alembic_version") == [("9001",)]


def test_a_lost_connection_is_said_naming_the_server_and_the_next_edit_reconnects(
    desk, desk_copies
):
    records = RecordService(desk)
    records.create("agency", {"code": "MFA", "name": "Foreign Affairs"})

    def write_while_the_server_cuts_the_connection() -> None:
        with desk.transaction(Actor.local()) as (connection, _):
            pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            desk_copies.admin().execute(f"SELECT pg_terminate_backend({pid})")
            connection.exec_driver_sql("INSERT INTO party (code) VALUES ('XXX')")

    with pytest.raises(ServerUnreachableError) as lost:
        write_while_the_server_cuts_the_connection()
    said = lost.value.reason
    assert f"the connection to the server {desk.location.server} was lost" in said
    assert "this change was not saved" in said
    records.create("agency", {"code": "JUS", "name": "Justice"})  # a fresh connection
    with desk.connect() as connection:
        codes = connection.exec_driver_sql("SELECT code FROM agency ORDER BY code").all()
    assert codes == [("JUS",), ("MFA",)]


def test_a_login_the_server_does_not_know_is_refused_in_a_sentence(new_desk_location):
    stranger = ServerAddress(
        new_desk_location.database, host=new_desk_location.host, user="nobody_here"
    )
    with pytest.raises(LoginRefusedError) as refused:
        open_desk(stranger)
    said = str(refused.value)
    assert f"the server {stranger.server} refused the login nobody_here" in said
    assert "it has no such login" in said


def test_a_password_comes_from_pgpass_and_a_missing_or_wrong_one_is_said(
    new_desk_location, pg_server, desk_copies, tmp_path, monkeypatch
):
    login = f"pw{os.getpid()}_{next(_numbers)}"
    admin = desk_copies.admin()
    admin.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'right horse battery'")
    admin.execute(f"GRANT CONNECT ON DATABASE {new_desk_location.database} TO {login}")
    pg_server.add_hba_lines(f"local all {login} scram-sha-256")
    address = ServerAddress(new_desk_location.database, host=new_desk_location.host, user=login)
    pgpass = tmp_path / "pgpass"
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with pytest.raises(LoginRefusedError, match="none was found: put it in your pgpass file"):
        open_desk(address, read_only=True)
    pgpass.write_text(f"*:*:*:{login}:wrong horse\n")
    pgpass.chmod(0o600)
    with pytest.raises(LoginRefusedError, match="the password in your pgpass file is wrong"):
        open_desk(address, read_only=True)
    pgpass.write_text(f"*:*:*:{login}:right horse battery\n")
    with pytest.raises(NotPermittedError):  # logged in: the tables are not this login's
        open_desk(address, read_only=True)


def test_a_full_disk_on_the_server_refuses_the_change_and_keeps_what_was_saved(desk):
    records = RecordService(desk)
    records.create("agency", {"code": "MFA", "name": "Foreign Affairs"})
    # The server's own refusal (SQLSTATE 53100), raised where a full disk would raise it.
    raw_sql(
        desk.location,
        "CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'could not extend file: No space left on device' "
        "USING ERRCODE = 'disk_full'; END $$",
        "CREATE TRIGGER full_disk BEFORE INSERT ON agency "
        "FOR EACH ROW EXECUTE FUNCTION full_disk()",
    )
    with pytest.raises(DiskFullError) as full:
        records.create("agency", {"code": "JUS", "name": "Justice"})
    said = full.value.reason
    assert f"the server {desk.location.server} has no disk space left" in said
    assert "this change was not saved, everything saved before it is safe" not in said
    assert "this change was not saved; everything saved before it is safe" in said
    assert raw_query(desk.location, "SELECT code FROM agency") == [("MFA",)]


def test_backup_on_a_server_desk_says_who_backs_it_up(new_desk_location, capsys):
    from nsdesk.cli import main

    assert main(["backup", str(new_desk_location)]) == 2
    said = capsys.readouterr().err
    assert "backed up by the server's administrators, not by nsdesk" in said
    assert f"pg_dump --format=custom --file=REGISTER.dump {new_desk_location.database}" in said


def test_the_migrations_build_on_the_server_the_schema_the_mapped_classes_declare(desk):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from nsdesk.store.tables import metadata

    def ours(name, type_, _parents):  # the search's own column and index are not mapped
        if type_ == "index":
            return not (name or "").startswith("ix_search_")
        return not (type_ == "column" and name == "search_vector")

    with desk.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": ours}
        )
        assert compare_metadata(context, metadata) == []
        indexes = connection.exec_driver_sql(
            "SELECT indexname FROM pg_indexes WHERE starts_with(indexname, 'ix_search_') ORDER BY 1"
        ).scalars()
        assert list(indexes) == [
            "ix_search_agency",
            "ix_search_commitment",
            "ix_search_document",
            "ix_search_gift_basket",
            "ix_search_status_entry",
        ]


def test_a_register_with_history_from_before_the_change_log_is_stamped_as_a_desk_file_is(
    new_location, tmp_path
):
    """Migrations 0003-0006 on a server: the released sample desk's history and settings,
    put into a server desk at schema 0003, come out of the change log's backfill (0004) with the
    very revisions, parents, replica and clock stamps the same desk file gets."""
    import sqlalchemy as sa

    from nsdesk.store.server import create_server_engine, upgrade_server

    sample = Path(shutil.copy(migrate_desks() / "0002-sample.nsdesk", tmp_path / "old.nsdesk"))
    migrate.upgrade(sample, "0003")
    upgrade_server(new_location, "0003")
    source = sa.create_engine(f"sqlite:///{sample}")
    target = create_server_engine(new_location, pooled=False)
    try:
        old, new = sa.MetaData(), sa.MetaData()
        old.reflect(source)
        new.reflect(target)
        with source.connect() as reading, target.begin() as writing:
            writing.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")  # the file keeps UTC
            # The history and what the desk's settings point at: the sample's catalogue
            # holds a key longer than the server takes (shortened for new desks since).
            wanted = {"audit_entry", "desk_settings"}
            while True:
                more = {
                    fk.column.table.name for name in wanted for fk in new.tables[name].foreign_keys
                }
                if more <= wanted:
                    break
                wanted |= more
            for table in new.sorted_tables:
                if table.name not in wanted:
                    continue
                columns = [c.name for c in table.columns if not c.computed]
                rows = [
                    {name: row[name] for name in columns}
                    for row in reading.execute(sa.select(old.tables[table.name])).mappings()
                ]
                if rows:
                    writing.execute(table.insert(), rows)
    finally:
        source.dispose()
        target.dispose()
    upgrade_server(new_location)
    migrate.upgrade(sample)
    stamps = "SELECT uuid, revision, parent_uuid, replica_id, hlc FROM audit_entry ORDER BY uuid"
    on_file = raw_query(sample, stamps)
    assert len(on_file) > 100
    assert raw_query(new_location, stamps) == on_file
    assert raw_query(new_location, "SELECT value FROM desk_revision") == raw_query(
        sample, "SELECT value FROM desk_revision"
    )
    assert raw_query(new_location, "SELECT replica_id, role FROM desk_replica") == raw_query(
        sample, "SELECT replica_id, role FROM desk_replica"
    )


def migrate_desks() -> Path:
    return Path(__file__).resolve().parents[2] / "db" / "desks"
