"""initial desk schema

Revision ID: 0001
Revises: (none: the first desk schema)
Create Date: 2026-11-22 08:30:55.684172
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# The full-text index as it is at this revision, frozen with the migration (later
# changes to the index are later migrations): table -> its indexed columns.
INDEXED_AT_0001 = {
    "commitment": ("ref", "title", "text"),
    "status_entry": ("narrative", "evidence"),
    "gift_basket": ("code", "title", "summary", "text"),
    "document": ("title", "citation", "text"),
    "agency": ("code", "name", "notes"),
}
# Characters PostgreSQL's parser keeps inside a token ("C-0001" as "c" and "-0001"),
# read as spaces so words split as FTS5 splits them; in SQL quoting, with as many blanks.
SEPARATORS_SQL = "'-/.@_:+~'''"
BLANKS_SQL = "'" + " " * 9 + "'"


def fts5_triggers(table: str, columns: tuple[str, ...]) -> list[str]:
    """The three triggers that keep one FTS5 table in step with its records."""
    fts, cols = f"fts_{table}", ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"DROP TRIGGER IF EXISTS {fts}_ai",
        f"DROP TRIGGER IF EXISTS {fts}_ad",
        f"DROP TRIGGER IF EXISTS {fts}_au",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def sqlite_search_index() -> list[str]:
    """FTS5 tables with external content (the text is not stored twice), diacritics
    removed by the tokenizer, kept current by triggers."""
    statements = [
        f"CREATE VIRTUAL TABLE fts_{table} USING fts5({', '.join(columns)}, "
        f"content='{table}', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        for table, columns in INDEXED_AT_0001.items()
    ]
    for table, columns in INDEXED_AT_0001.items():
        statements += fts5_triggers(table, columns)
    return statements


def postgresql_search_index() -> list[str]:
    """The accent-insensitive configuration (``simple`` words through ``unaccent``),
    each kind's words kept in a generated ``search_vector`` column (PostgreSQL keeps
    it current on every write, so no triggers; stored, so ranking a thousand hits
    reads them instead of parsing every text again) and a GIN index over it."""
    statements = [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE TEXT SEARCH CONFIGURATION nsdesk_search (COPY = pg_catalog.simple)",
        "ALTER TEXT SEARCH CONFIGURATION nsdesk_search "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    ]
    for table, columns in INDEXED_AT_0001.items():
        joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
        document = (
            f"to_tsvector('nsdesk_search'::regconfig, "
            f"translate({joined}, {SEPARATORS_SQL}, {BLANKS_SQL}))"
        )
        statements.append(
            f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        statements.append(f"CREATE INDEX ix_search_{table} ON {table} USING gin (search_vector)")
    return statements


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("record_table", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("record_label", sa.String(length=200), nullable=True),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("old_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("new_value", sa.JSON(none_as_null=True), nullable=True),
        sa.Column("operation_id", sa.String(length=36), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
        sa.UniqueConstraint("uuid", name=op.f("uq_audit_entry_uuid")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_entry_operation_id"), ["operation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_entry_record_uuid"), ["record_uuid"], unique=False
        )

    op.create_table(
        "external_scheme",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_scheme")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_external_scheme_catalogue_key")),
        sa.UniqueConstraint("code", name=op.f("uq_external_scheme_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_external_scheme_uuid")),
    )
    op.create_table(
        "marking_level",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_marking_level")),
        sa.UniqueConstraint("rank", name=op.f("uq_marking_level_rank")),
        sa.UniqueConstraint("uuid", name=op.f("uq_marking_level_uuid")),
    )
    op.create_table(
        "party",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("official_name", sa.Text(), nullable=True),
        sa.Column("alpha2", sa.String(length=2), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_party_catalogue_key")),
        sa.UniqueConstraint("code", name=op.f("uq_party_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_party_uuid")),
    )
    op.create_table(
        "sequence_counter",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_sequence_counter")),
    )
    op.create_table(
        "source",
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("uuid", name=op.f("uq_source_uuid")),
    )
    op.create_table(
        "theme",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_theme")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_theme_catalogue_key")),
        sa.UniqueConstraint("code", name=op.f("uq_theme_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_theme_uuid")),
    )
    op.create_table(
        "agency",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["agency.id"], name=op.f("fk_agency_parent_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_agency_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency")),
        sa.UniqueConstraint("code", name=op.f("uq_agency_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_agency_uuid")),
    )
    with op.batch_alter_table("agency", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agency_sensitivity"), ["sensitivity"], unique=False)

    op.create_table(
        "citation",
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("subject_table", sa.String(length=40), nullable=False),
        sa.Column("subject_uuid", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_citation_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_citation_uuid")),
    )
    with op.batch_alter_table("citation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_citation_source_id"), ["source_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_citation_subject_uuid"), ["subject_uuid"], unique=False
        )

    op.create_table(
        "desk_settings",
        sa.Column("own_state_id", sa.Integer(), nullable=False),
        sa.Column("delegation", sa.String(length=200), nullable=True),
        sa.Column("default_sensitivity", sa.String(length=32), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("catalogue_version", sa.String(length=40), nullable=True),
        sa.Column("catalogue_as_of", sa.String(length=10), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_desk_settings_single_row")),
        sa.ForeignKeyConstraint(
            ["default_sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_desk_settings_default_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["own_state_id"], ["party.id"], name=op.f("fk_desk_settings_own_state_id_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desk_settings")),
        sa.UniqueConstraint("uuid", name=op.f("uq_desk_settings_uuid")),
    )
    op.create_table(
        "event",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.String(length=10), nullable=True),
        sa.Column("end_date", sa.String(length=10), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("venue", sa.String(length=200), nullable=True),
        sa.Column("host_party_id", sa.Integer(), nullable=True),
        sa.Column("participating_states", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["host_party_id"], ["party.id"], name=op.f("fk_event_host_party_id_party")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_event_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_event_catalogue_key")),
        sa.UniqueConstraint("code", name=op.f("uq_event_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_event_uuid")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_sensitivity"), ["sensitivity"], unique=False)

    op.create_table(
        "instrument",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("short_name", sa.String(length=80), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("mechanism", sa.String(length=40), nullable=False),
        sa.Column("binding", sa.Boolean(), nullable=False),
        sa.Column("adopted", sa.String(length=10), nullable=True),
        sa.Column("opened_for_signature", sa.String(length=10), nullable=True),
        sa.Column("entered_into_force", sa.String(length=10), nullable=True),
        sa.Column("entry_into_force_condition", sa.Text(), nullable=True),
        sa.Column("depositary", sa.String(length=200), nullable=True),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("participation_model", sa.Text(), nullable=True),
        sa.Column("reporting_summary", sa.Text(), nullable=True),
        sa.Column("text_reference", sa.String(length=80), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("amends_id", sa.Integer(), nullable=True),
        sa.Column("supplements_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["amends_id"], ["instrument.id"], name=op.f("fk_instrument_amends_id_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_instrument_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supplements_id"],
            ["instrument.id"],
            name=op.f("fk_instrument_supplements_id_instrument"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_instrument")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_instrument_catalogue_key")),
        sa.UniqueConstraint("code", name=op.f("uq_instrument_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_instrument_uuid")),
    )
    with op.batch_alter_table("instrument", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_instrument_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "scheme_area",
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["external_scheme.id"],
            name=op.f("fk_scheme_area_scheme_id_external_scheme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheme_area")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_scheme_area_catalogue_key")),
        sa.UniqueConstraint("scheme_id", "code", name=op.f("uq_scheme_area_scheme_id_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_scheme_area_uuid")),
    )
    with op.batch_alter_table("scheme_area", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheme_area_scheme_id"), ["scheme_id"], unique=False)

    op.create_table(
        "agency_contact",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_agency_contact_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_agency_contact_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agency_contact")),
        sa.UniqueConstraint("uuid", name=op.f("uq_agency_contact_uuid")),
    )
    with op.batch_alter_table("agency_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agency_contact_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_agency_contact_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "baseline",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("payload_version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_baseline_event_id_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baseline")),
        sa.UniqueConstraint("name", name=op.f("uq_baseline_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_baseline_uuid")),
    )
    op.create_table(
        "document",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("issued_by_party_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.String(length=10), nullable=True),
        sa.Column("citation", sa.String(length=80), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_document_event_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_party_id"], ["party.id"], name=op.f("fk_document_issued_by_party_id_party")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_document_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_document_catalogue_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_document_uuid")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_sensitivity"), ["sensitivity"], unique=False)

    op.create_table(
        "participation",
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("reservations", sa.Text(), nullable=True),
        sa.Column("declarations", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_participation_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_participation_party_id_party")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_participation_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participation")),
        sa.UniqueConstraint(
            "party_id", "instrument_id", name=op.f("uq_participation_party_id_instrument_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_participation_uuid")),
    )
    with op.batch_alter_table("participation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participation_instrument_id"), ["instrument_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_participation_party_id"), ["party_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_participation_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "theme_mapping",
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.Column("scheme_area_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scheme_area_id"],
            ["scheme_area.id"],
            name=op.f("fk_theme_mapping_scheme_area_id_scheme_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"],
            ["theme.id"],
            name=op.f("fk_theme_mapping_theme_id_theme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("theme_id", "scheme_area_id", name=op.f("pk_theme_mapping")),
    )
    op.create_table(
        "baseline_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("baseline_id", sa.Integer(), nullable=False),
        sa.Column("record_table", sa.String(length=40), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("record_ref", sa.String(length=40), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["baseline_id"],
            ["baseline.id"],
            name=op.f("fk_baseline_item_baseline_id_baseline"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_baseline_item")),
        sa.UniqueConstraint(
            "baseline_id", "record_uuid", name=op.f("uq_baseline_item_baseline_id_record_uuid")
        ),
    )
    op.create_table(
        "commitment",
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("origin_event_id", sa.Integer(), nullable=True),
        sa.Column("origin_document_id", sa.Integer(), nullable=True),
        sa.Column("origin_clause", sa.String(length=80), nullable=True),
        sa.Column("pledged_on", sa.String(length=10), nullable=True),
        sa.Column("lead_agency_id", sa.Integer(), nullable=True),
        sa.Column("priority", sa.String(length=40), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("talking_points", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_agency_id"], ["agency.id"], name=op.f("fk_commitment_lead_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["origin_document_id"],
            ["document.id"],
            name=op.f("fk_commitment_origin_document_id_document"),
        ),
        sa.ForeignKeyConstraint(
            ["origin_event_id"], ["event.id"], name=op.f("fk_commitment_origin_event_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_commitment_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
        sa.UniqueConstraint("ref", name=op.f("uq_commitment_ref")),
        sa.UniqueConstraint("uuid", name=op.f("uq_commitment_uuid")),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_lead_agency_id"), ["lead_agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "deadline",
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_deadline_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_deadline_event_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"], ["instrument.id"], name=op.f("fk_deadline_instrument_id_instrument")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_deadline_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_deadline_catalogue_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_deadline_uuid")),
    )
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_sensitivity"), ["sensitivity"], unique=False)

    op.create_table(
        "gift_basket",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("issued_on", sa.String(length=10), nullable=True),
        sa.Column("infcirc", sa.String(length=40), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("own_role", sa.String(length=40), nullable=False),
        sa.Column("own_role_note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_gift_basket_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["event.id"], name=op.f("fk_gift_basket_event_id_event")
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_gift_basket_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_gift_basket_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gift_basket")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_gift_basket_catalogue_key")),
        sa.UniqueConstraint("code", name=op.f("uq_gift_basket_code")),
        sa.UniqueConstraint("uuid", name=op.f("uq_gift_basket_uuid")),
    )
    with op.batch_alter_table("gift_basket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gift_basket_event_id"), ["event_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_gift_basket_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "milestone",
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("planned", sa.String(length=10), nullable=True),
        sa.Column("actual", sa.String(length=10), nullable=True),
        sa.Column("responsible_agency_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participation.id"],
            name=op.f("fk_milestone_participation_id_participation"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_agency_id"],
            ["agency.id"],
            name=op.f("fk_milestone_responsible_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_milestone_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sa.UniqueConstraint("uuid", name=op.f("uq_milestone_uuid")),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_participation_id"), ["participation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_milestone_sensitivity"), ["sensitivity"], unique=False)

    op.create_table(
        "reporting_obligation",
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=80), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.Column("submitted", sa.String(length=10), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("responsible_agency_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_reporting_obligation_document_id_document"),
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_reporting_obligation_instrument_id_instrument"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_reporting_obligation_party_id_party")
        ),
        sa.ForeignKeyConstraint(
            ["responsible_agency_id"],
            ["agency.id"],
            name=op.f("fk_reporting_obligation_responsible_agency_id_agency"),
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_reporting_obligation_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_obligation")),
        sa.UniqueConstraint("uuid", name=op.f("uq_reporting_obligation_uuid")),
    )
    with op.batch_alter_table("reporting_obligation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_obligation_instrument_id"), ["instrument_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reporting_obligation_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "action_item",
        sa.Column("ref", sa.String(length=16), nullable=False),
        sa.Column("gift_basket_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_action_item_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["gift_basket_id"],
            ["gift_basket.id"],
            name=op.f("fk_action_item_gift_basket_id_gift_basket"),
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_action_item_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_item")),
        sa.UniqueConstraint("ref", name=op.f("uq_action_item_ref")),
        sa.UniqueConstraint("uuid", name=op.f("uq_action_item_uuid")),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_item_gift_basket_id"), ["gift_basket_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_action_item_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "commitment_agency",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agency.id"], name=op.f("fk_commitment_agency_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_agency_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("commitment_id", "agency_id", name=op.f("pk_commitment_agency")),
    )
    with op.batch_alter_table("commitment_agency", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_agency_agency_id"), ["agency_id"], unique=False
        )

    op.create_table(
        "commitment_appearance",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("clause", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_appearance_commitment_id_commitment"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_commitment_appearance_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_appearance")),
        sa.UniqueConstraint("uuid", name=op.f("uq_commitment_appearance_uuid")),
    )
    with op.batch_alter_table("commitment_appearance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_appearance_commitment_id"), ["commitment_id"], unique=False
        )

    op.create_table(
        "commitment_gift_basket",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("gift_basket_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_gift_basket_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["gift_basket_id"],
            ["gift_basket.id"],
            name=op.f("fk_commitment_gift_basket_gift_basket_id_gift_basket"),
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "gift_basket_id", name=op.f("pk_commitment_gift_basket")
        ),
    )
    with op.batch_alter_table("commitment_gift_basket", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_gift_basket_gift_basket_id"), ["gift_basket_id"], unique=False
        )

    op.create_table(
        "commitment_instrument",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_instrument_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_commitment_instrument_instrument_id_instrument"),
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "instrument_id", name=op.f("pk_commitment_instrument")
        ),
    )
    with op.batch_alter_table("commitment_instrument", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_instrument_instrument_id"), ["instrument_id"], unique=False
        )

    op.create_table(
        "commitment_theme",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_commitment_theme_commitment_id_commitment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_commitment_theme_theme_id_theme")
        ),
        sa.PrimaryKeyConstraint("commitment_id", "theme_id", name=op.f("pk_commitment_theme")),
    )
    with op.batch_alter_table("commitment_theme", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_theme_theme_id"), ["theme_id"], unique=False
        )

    op.create_table(
        "gift_basket_lead",
        sa.Column("gift_basket_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gift_basket_id"],
            ["gift_basket.id"],
            name=op.f("fk_gift_basket_lead_gift_basket_id_gift_basket"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_gift_basket_lead_party_id_party")
        ),
        sa.PrimaryKeyConstraint("gift_basket_id", "party_id", name=op.f("pk_gift_basket_lead")),
    )
    op.create_table(
        "gift_basket_theme",
        sa.Column("gift_basket_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gift_basket_id"],
            ["gift_basket.id"],
            name=op.f("fk_gift_basket_theme_gift_basket_id_gift_basket"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["theme_id"], ["theme.id"], name=op.f("fk_gift_basket_theme_theme_id_theme")
        ),
        sa.PrimaryKeyConstraint("gift_basket_id", "theme_id", name=op.f("pk_gift_basket_theme")),
    )
    op.create_table(
        "membership_snapshot",
        sa.Column("instrument_id", sa.Integer(), nullable=True),
        sa.Column("gift_basket_id", sa.Integer(), nullable=True),
        sa.Column("snapshot_date", sa.String(length=10), nullable=True),
        sa.Column("member_count", sa.Integer(), nullable=True),
        sa.Column("observer_count", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("catalogue_key", sa.String(length=80), nullable=True),
        sa.Column("confidence", sa.String(length=40), nullable=True),
        sa.Column("as_of", sa.String(length=10), nullable=True),
        sa.Column("catalogue_values", sa.JSON(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(instrument_id IS NULL) <> (gift_basket_id IS NULL)",
            name=op.f("ck_membership_snapshot_one_subject"),
        ),
        sa.ForeignKeyConstraint(
            ["gift_basket_id"],
            ["gift_basket.id"],
            name=op.f("fk_membership_snapshot_gift_basket_id_gift_basket"),
        ),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["instrument.id"],
            name=op.f("fk_membership_snapshot_instrument_id_instrument"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership_snapshot")),
        sa.UniqueConstraint("catalogue_key", name=op.f("uq_membership_snapshot_catalogue_key")),
        sa.UniqueConstraint("uuid", name=op.f("uq_membership_snapshot_uuid")),
    )
    with op.batch_alter_table("membership_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_membership_snapshot_gift_basket_id"), ["gift_basket_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_membership_snapshot_instrument_id"), ["instrument_id"], unique=False
        )

    op.create_table(
        "status_entry",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("entry_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("evidence_quality", sa.String(length=40), nullable=True),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitment.id"],
            name=op.f("fk_status_entry_commitment_id_commitment"),
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_status_entry_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_status_entry")),
        sa.UniqueConstraint("uuid", name=op.f("uq_status_entry_uuid")),
    )
    with op.batch_alter_table("status_entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_status_entry_commitment_date", ["commitment_id", "entry_date", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_status_entry_sensitivity"), ["sensitivity"], unique=False
        )

    op.create_table(
        "target",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("due_by", sa.Date(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("source_document_id", sa.Integer(), nullable=True),
        sa.Column("clause", sa.String(length=80), nullable=True),
        sa.Column("revises_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sensitivity", sa.String(length=32), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["commitment_id"], ["commitment.id"], name=op.f("fk_target_commitment_id_commitment")
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"], ["deadline.id"], name=op.f("fk_target_deadline_id_deadline")
        ),
        sa.ForeignKeyConstraint(
            ["revises_id"], ["target.id"], name=op.f("fk_target_revises_id_target")
        ),
        sa.ForeignKeyConstraint(
            ["sensitivity"],
            ["marking_level.code"],
            name=op.f("fk_target_sensitivity_marking_level"),
            onupdate="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_document_id"],
            ["document.id"],
            name=op.f("fk_target_source_document_id_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("uuid", name=op.f("uq_target_uuid")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_target_commitment_id"), ["commitment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_target_due_by"), ["due_by"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_sensitivity"), ["sensitivity"], unique=False)

    op.create_table(
        "membership_snapshot_party",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_membership_snapshot_party_party_id_party")
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["membership_snapshot.id"],
            name=op.f("fk_membership_snapshot_party_snapshot_id_membership_snapshot"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "snapshot_id", "party_id", name=op.f("pk_membership_snapshot_party")
        ),
    )
    dialect = op.get_bind().dialect.name
    for statement in sqlite_search_index() if dialect == "sqlite" else postgresql_search_index():
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("nsdesk never migrates a desk downwards; restore a backup instead")
