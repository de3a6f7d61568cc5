"""Merging desks between laptops: references by UUID, several parents, merge records,
conflicts and aliases.

What the merge of issue 18 keeps in a desk:

* ``audit_entry.refs`` — the records a value names, by UUID (the value itself keeps
  the human key a person reads; a key can be renumbered, a UUID cannot);
* ``audit_entry.also_replaces`` — the entries an entry replaced besides its parent
  (settling two concurrent values of one field replaces both);
* ``changes_received`` grows into the record of a merge: what the sender knew, the
  merge's revision and operation, its counts, the values it replaced (to undo it),
  and when it was undone;
* ``changes_conflict`` — what a merge left for a person: open conflicts, identity
  clashes, records to review (this copy's own; never sent);
* ``record_alias`` — another key a record is known by (the number it had before an
  identity clash was settled by renumbering it).

Every column is added in place and starts empty: entries written before this
revision name records by key only, which a merge still resolves. No table is rebuilt.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("audit_entry", sa.Column("refs", sa.JSON(), nullable=True))
    op.add_column("audit_entry", sa.Column("also_replaces", sa.JSON(), nullable=True))
    for column in (
        sa.Column("knows", sa.JSON(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("operation_id", sa.String(length=36), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=True),
        sa.Column("journal", sa.JSON(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=120), nullable=True),
        sa.Column("undo_revision", sa.Integer(), nullable=True),
    ):
        op.add_column("changes_received", column)
    op.create_table(
        "changes_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("record_table", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("heads", sa.JSON(), nullable=True),
        sa.Column("kept_uuid", sa.String(length=36), nullable=True),
        sa.Column("other_uuid", sa.String(length=36), nullable=True),
        sa.Column("provisional", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(length=120), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolution_uuid", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["changes_received.id"],
            name=op.f("fk_changes_conflict_received_id_changes_received"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes_conflict")),
    )
    op.create_index(
        op.f("ix_changes_conflict_record_uuid"), "changes_conflict", ["record_uuid"], unique=False
    )
    op.create_table(
        "record_alias",
        sa.Column("record_table", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("alias", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_alias")),
        sa.UniqueConstraint("uuid", name=op.f("uq_record_alias_uuid")),
    )
    op.create_index(op.f("ix_record_alias_alias"), "record_alias", ["alias"], unique=False)
    op.create_index(
        op.f("ix_record_alias_record_uuid"), "record_alias", ["record_uuid"], unique=False
    )


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
