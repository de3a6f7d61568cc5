"""Changes files between laptops: the keys a desk trusts, the files it received.

Adds what reading a changes file (issue 18) keeps in the desk: the laptop keys this
copy of the desk trusts or has revoked (``changes_trust``, edited through the
audited unit of work), and the changes files it has received (``changes_received``,
by file id, so the same file is never read in twice). Both start empty.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "changes_trust",
        sa.Column("fingerprint", sa.String(length=39), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("trusted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("trusted_by", sa.String(length=120), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes_trust")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_changes_trust_fingerprint")),
        sa.UniqueConstraint("uuid", name=op.f("uq_changes_trust_uuid")),
    )
    op.create_table(
        "changes_received",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=260), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=39), nullable=False),
        sa.Column("sender_replica", sa.String(length=36), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes_received")),
        sa.UniqueConstraint("file_id", name=op.f("uq_changes_received_file_id")),
    )


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
