"""The audit log becomes the change log.

Every audit entry gains what merging laptops' desks (and a shared register on a
server) needs: ``revision``, the commit order of the transaction that wrote it
(taken from the new single-row table ``desk_revision``); ``parent_uuid``, the
entry it replaced for the same field of the same record; ``replica_id``, the
replica that made it; ``hlc``, its hybrid logical clock stamp. ``desk_replica``
lists the replicas that changed the desk.

The history already in a desk is backfilled so that every copy of one shared
history gets the same answers where it matters:

* ``revision``: one per operation, in the order of the operations' first audit
  ids (a desk had one writer, so id order is commit order); local to the copy,
  like everything "since I looked" is;
* ``parent_uuid``: per record and field, the previous entry ordered by
  ``(at, uuid)`` — identical in every copy — with the record's creation as the
  first parent of every field; a retirement or restoration follows the previous
  one; a deletion follows the record's previous entry of any kind;
* ``replica_id``: the desk's "origin" replica, a UUID derived from the desk's own
  UUID (the same in every copy);
* ``hlc``: the entry's own moment in milliseconds, counter 0, the origin replica.

The three stamps every writer must have are then made required (one rebuild of
``audit_entry``, which has no triggers to reinstall), so an entry written without
the change log is refused by the desk itself. Everything runs in the transaction
:func:`nsdesk.store.migrate.upgrade` opened, with the SQL frozen here; the one
statement written in SQLite's own functions (the clock stamps) has its PostgreSQL
twin, the rest is SQL both take.

Revision ID: 0004
Revises: 0003
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen: nsdesk.store.replicas.ORIGIN_NAMESPACE must stay equal (a test checks).
ORIGIN_NAMESPACE = uuid.UUID("cf96b3d0-3d83-431e-83c9-b09133062630")

# The revision of each operation: operations in the order of their first entry.
BACKFILL_REVISION = """
WITH ops AS (
    SELECT operation_id, ROW_NUMBER() OVER (ORDER BY MIN(id)) AS rev
    FROM audit_entry GROUP BY operation_id
)
UPDATE audit_entry SET revision = ops.rev
FROM ops WHERE audit_entry.operation_id = ops.operation_id
"""

# The origin replica, and the entry's own moment as its clock stamp. Moments are
# stored as 'YYYY-MM-DD HH:MM:SS.ffffff' (UTC).
BACKFILL_STAMP = """
UPDATE audit_entry SET
    replica_id = :origin,
    hlc = printf(
        '%015d-%05d-%s',
        CAST(strftime('%s', substr(at, 1, 19)) AS INTEGER) * 1000
            + CAST(substr(at || '.000', 21, 3) AS INTEGER),
        0,
        :origin
    )
"""

# The same on PostgreSQL, where ``at`` is a timestamptz (the milliseconds truncated
# as above).
BACKFILL_STAMP_POSTGRESQL = """
UPDATE audit_entry SET
    replica_id = CAST(:origin AS text),
    hlc = lpad(CAST(CAST(floor(extract(epoch FROM at) * 1000) AS bigint) AS text), 15, '0')
        || '-00000-' || CAST(:origin AS text)
"""

# Per record and lineage (a field; the retired flag), the previous entry by
# (at, uuid), the record's creation taking part in every lineage of the record.
BACKFILL_PARENTS = """
WITH lineage AS (
    SELECT id, uuid, record_uuid, at,
        CASE WHEN action = 'update' THEN 'field:' || COALESCE(field, '')
             ELSE 'retired' END AS line
    FROM audit_entry WHERE action IN ('update', 'retire', 'restore')
),
candidate AS (
    SELECT id, uuid, record_uuid, at, line FROM lineage
    UNION ALL
    SELECT NULL, c.uuid, c.record_uuid, c.at, l.line
    FROM audit_entry AS c
    JOIN (SELECT DISTINCT record_uuid, line FROM lineage) AS l
        ON l.record_uuid = c.record_uuid
    WHERE c.action = 'create'
),
ordered AS (
    SELECT id, LAG(uuid) OVER (PARTITION BY record_uuid, line ORDER BY at, uuid) AS parent
    FROM candidate
)
UPDATE audit_entry SET parent_uuid = ordered.parent
FROM ordered WHERE ordered.id IS NOT NULL AND audit_entry.id = ordered.id
"""

BACKFILL_DELETIONS = """
WITH ordered AS (
    SELECT id, action,
        LAG(uuid) OVER (PARTITION BY record_uuid ORDER BY at, uuid) AS parent
    FROM audit_entry
)
UPDATE audit_entry SET parent_uuid = ordered.parent
FROM ordered WHERE ordered.action = 'delete' AND audit_entry.id = ordered.id
"""


def upgrade() -> None:
    op.create_table(
        "desk_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_desk_revision_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_revision")),
    )
    op.create_table(
        "desk_replica",
        sa.Column("replica_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("replica_id", name=op.f("pk_desk_replica")),
    )
    op.add_column("audit_entry", sa.Column("revision", sa.Integer(), nullable=True))
    op.add_column("audit_entry", sa.Column("parent_uuid", sa.String(length=36), nullable=True))
    op.add_column("audit_entry", sa.Column("replica_id", sa.String(length=36), nullable=True))
    op.add_column("audit_entry", sa.Column("hlc", sa.String(length=64), nullable=True))

    bind = op.get_bind()
    desk_uuid = bind.exec_driver_sql("SELECT uuid FROM desk_settings").scalar()
    first = bind.exec_driver_sql("SELECT MIN(at) FROM audit_entry").scalar()
    if first is not None:
        if desk_uuid is None:
            raise RuntimeError("the desk has history but no settings (it is damaged)")
        origin = str(uuid.uuid5(ORIGIN_NAMESPACE, desk_uuid))
        bind.exec_driver_sql(BACKFILL_REVISION)
        stamp = BACKFILL_STAMP if bind.dialect.name == "sqlite" else BACKFILL_STAMP_POSTGRESQL
        bind.execute(sa.text(stamp), {"origin": origin})
        bind.exec_driver_sql(BACKFILL_PARENTS)
        bind.exec_driver_sql(BACKFILL_DELETIONS)
        bind.execute(
            sa.text(
                "INSERT INTO desk_replica (replica_id, role, label, first_seen) "
                "VALUES (:origin, 'origin', :label, :first)"
            ),
            {
                "origin": origin,
                "label": "the desk's history before it kept a change log",
                "first": first,
            },
        )
    bind.exec_driver_sql(
        "INSERT INTO desk_revision (id, value) SELECT 1, COALESCE(MAX(revision), 0) FROM audit_entry"
    )

    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.alter_column("revision", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("replica_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.alter_column("hlc", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_index("ix_audit_entry_record_uuid")
        batch_op.create_index(
            "ix_audit_entry_record_uuid_field", ["record_uuid", "field"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_entry_revision"), ["revision"], unique=False)


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
