"""The desk schema: every table, as SQLAlchemy Core ``Table`` objects.

This module is the one statement of what a desk holds. The mapped classes in
:mod:`nsdesk.store.models` map onto these tables for editing; everything that only
reads (opening a desk, the first window, counts, checks, exports) and the bulk
writers (a new desk's catalogue, the demo) use the tables directly. Core tables
import in a few hundredths of a second, where declaring and configuring the mapped
classes takes ten times longer: the first window shows a desk's data without ever
loading the ORM.

Columns most records share:

* every record: ``id`` for joins, ``uuid`` that identifies it across desks (for
  merging two laptops' work), ``created_at``/``updated_at`` in UTC;
* records that can leave the desk in an export: ``sensitivity``, a level of the
  desk's marking scheme (a foreign key, so a level that does not exist cannot be
  stored);
* records that are retired rather than deleted: ``retired_at``;
* records that may come from the shipped catalogue: ``catalogue_key``,
  ``confidence``, ``as_of``, ``catalogue_values`` (the values last applied from
  the catalogue: the base of a three-way merge with a newer catalogue) and
  ``notes``.

Enumerated columns store the member's value, checked in Python, without a
database CHECK constraint: a new status is then a code change, not a table rebuild.
"""

from __future__ import annotations

import enum
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from nsdesk.domain.enums import (
    AgencyKind,
    AuditAction,
    Channel,
    CommitmentStatus,
    Confidence,
    DocumentKind,
    EventKind,
    EvidenceQuality,
    GiftBasketRole,
    InstrumentKind,
    JoiningMechanism,
    MilestoneKind,
    PartyKind,
    Priority,
    Standing,
)
from nsdesk.store.ids import new_uuid
from nsdesk.store.types import PartialDateType, UtcDateTime, utcnow

# Named constraints: Alembic's batch mode (SQLite table rebuilds) needs names to
# find constraints again, and PostgreSQL gets predictable ones.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _values(enum_class: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_class]


@cache
def enum_of(enum_class: type[enum.Enum]) -> Enum:
    """A column type storing ``enum_class`` members by value (no CHECK constraint).

    One type object per enum class, shared by its columns (building them is not free)."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=_values,
        validate_strings=True,
    )


def _text(name: str, length: int = 200) -> Column:
    return Column(name, String(length), nullable=True)


def _required(name: str, type_: TypeEngine[Any]) -> Column:
    return Column(name, type_, nullable=False)


def _optional(name: str, type_: TypeEngine[Any]) -> Column:
    return Column(name, type_, nullable=True)


def _fk(
    name: str,
    target: str,
    *,
    required: bool = False,
    index: bool | None = None,
    ondelete: str | None = None,
) -> Column:
    return Column(name, ForeignKey(target, ondelete=ondelete), nullable=not required, index=index)


def _record() -> list[Column]:
    return [
        Column("id", Integer, primary_key=True),
        Column("uuid", String(36), nullable=False, unique=True, default=new_uuid),
        Column("created_at", UtcDateTime(), nullable=False, default=utcnow),
        Column("updated_at", UtcDateTime(), nullable=False, default=utcnow, onupdate=utcnow),
    ]


def _sensitivity() -> Column:
    return Column(
        "sensitivity",
        String(32),
        ForeignKey("marking_level.code", onupdate="CASCADE"),
        nullable=False,
        index=True,
    )


def _retired() -> Column:
    return _optional("retired_at", UtcDateTime())


def _catalogue_columns(*, key_index: bool = False) -> list[Column]:
    # ``key_index``: the key's uniqueness as a unique index, which a migration adds
    # to an existing table without rebuilding it (schema 0005).
    return [
        Column("catalogue_key", String(80), nullable=True, unique=True, index=key_index or None),
        _optional("confidence", enum_of(Confidence)),
        _optional("as_of", PartialDateType()),
        _optional("catalogue_values", JSON()),
    ]


def _catalogue_fact() -> list[Column]:
    return [*_catalogue_columns(), _optional("notes", Text())]


def _link(name: str, left: str, right: str, *, right_index: bool = False) -> Table:
    """A pure many-to-many link table (its rows are identified by the two records)."""
    left_table, left_column = left.split(".")
    right_table, right_column = right.split(".")
    return Table(
        name,
        metadata,
        Column(left_column, ForeignKey(f"{left_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(right_column, ForeignKey(f"{right_table}.id"), primary_key=True, index=right_index),
    )


# -- the desk itself ---------------------------------------------------------------

marking_level = Table(
    "marking_level",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True, default=new_uuid),
    Column("rank", Integer, nullable=False, unique=True),
    Column("label", String(80), nullable=False),
    _optional("description", Text()),
)

party = Table(
    "party",
    metadata,
    # ISO 3166-1 alpha-3 for states (NLD); a short code for organisations (IAEA)
    Column("code", String(16), nullable=False, unique=True),
    _required("kind", enum_of(PartyKind)),
    _required("name", String(200)),
    _optional("official_name", Text()),
    _optional("alpha2", String(2)),
    *_record(),
    _retired(),
    *_catalogue_fact(),
)

desk_settings = Table(
    "desk_settings",
    metadata,
    _fk("own_state_id", "party.id", required=True),
    _text("delegation"),
    Column(
        "default_sensitivity",
        String(32),
        ForeignKey("marking_level.code", onupdate="CASCADE"),
        nullable=False,
    ),
    Column("is_demo", Boolean, nullable=False, default=False),
    _optional("catalogue_version", String(40)),
    _optional("catalogue_as_of", PartialDateType()),
    *_record(),
    _text("prepared_by"),  # printed on the briefing pack's cover (schema 0002)
    CheckConstraint("id = 1", name="single_row"),
)

# The next number of a human-readable id series (C-0001, A-0001). Numbers are
# never reused, so an id printed in an old pack or workbook keeps its meaning.
sequence_counter = Table(
    "sequence_counter",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("next_value", Integer, nullable=False, default=1),
)

# -- agencies, themes, sources ------------------------------------------------------

agency = Table(
    "agency",
    metadata,
    Column("code", String(16), nullable=False, unique=True),
    _required("name", String(200)),
    Column("kind", enum_of(AgencyKind), nullable=False, default=AgencyKind.MINISTRY),
    _fk("parent_id", "agency.id"),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
)

agency_contact = Table(
    "agency_contact",
    metadata,
    _fk("agency_id", "agency.id", required=True, index=True),
    _required("name", String(200)),
    _text("role"),
    _text("email"),
    _optional("phone", String(40)),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
)

theme = Table(
    "theme",
    metadata,
    Column("code", String(60), nullable=False, unique=True),
    _required("label", String(200)),
    _optional("description", Text()),
    Column("sort_order", Integer, nullable=False, default=0),
    *_record(),
    _retired(),
    *_catalogue_fact(),
)

external_scheme = Table(
    "external_scheme",
    metadata,
    Column("code", String(60), nullable=False, unique=True),
    _required("name", String(200)),
    _optional("description", Text()),
    *_record(),
    *_catalogue_fact(),
)

scheme_area = Table(
    "scheme_area",
    metadata,
    _fk("scheme_id", "external_scheme.id", required=True, index=True),
    _required("code", String(80)),
    _required("label", String(200)),
    Column("sort_order", Integer, nullable=False, default=0),
    *_record(),
    *_catalogue_fact(),
    UniqueConstraint("scheme_id", "code"),
)

theme_mapping = Table(
    "theme_mapping",
    metadata,
    Column("theme_id", ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True),
    Column("scheme_area_id", ForeignKey("scheme_area.id", ondelete="CASCADE"), primary_key=True),
)

source = Table(
    "source",
    metadata,
    _required("title", Text()),
    _optional("url", Text()),
    *_record(),
)

# A source attached to any record by the record's UUID (optionally to one field),
# so every kind can be sourced without a link table per kind.
citation = Table(
    "citation",
    metadata,
    _fk("source_id", "source.id", required=True, index=True),
    _required("subject_table", String(40)),
    Column("subject_uuid", String(36), nullable=False, index=True),
    _optional("field", String(60)),
    _optional("note", Text()),
    *_record(),
)

# -- instruments and participation ----------------------------------------------------

instrument = Table(
    "instrument",
    metadata,
    Column("code", String(40), nullable=False, unique=True),
    _required("name", Text()),
    _required("short_name", String(80)),
    _required("kind", enum_of(InstrumentKind)),
    _required("mechanism", enum_of(JoiningMechanism)),
    Column("binding", Boolean, nullable=False, default=False),
    _optional("adopted", PartialDateType()),
    _optional("opened_for_signature", PartialDateType()),
    _optional("entered_into_force", PartialDateType()),
    _optional("entry_into_force_condition", Text()),
    _text("depositary"),
    _optional("scope", Text()),
    _optional("participation_model", Text()),
    _optional("reporting_summary", Text()),
    _optional("text_reference", String(80)),
    _optional("url", Text()),
    _fk("amends_id", "instrument.id"),
    _fk("supplements_id", "instrument.id"),
    *_record(),
    _sensitivity(),
    _retired(),
    *_catalogue_fact(),
)

participation = Table(
    "participation",
    metadata,
    _fk("party_id", "party.id", required=True, index=True),
    _fk("instrument_id", "instrument.id", required=True, index=True),
    _optional("reservations", Text()),
    _optional("declarations", Text()),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
    # A depositary's row from the catalogue (schema 0005): its key, confidence, as-of
    # date and the values last applied; and the standing the source lists the party
    # with on ``as_of``, kept because some sources say "party" without a date.
    *_catalogue_columns(key_index=True),
    _optional("listed_standing", enum_of(Standing)),
    UniqueConstraint("party_id", "instrument_id"),
)

milestone = Table(
    "milestone",
    metadata,
    _fk("participation_id", "participation.id", required=True, index=True),
    _required("kind", enum_of(MilestoneKind)),
    _optional("planned", PartialDateType()),
    _optional("actual", PartialDateType()),
    _fk("responsible_agency_id", "agency.id"),
    _text("reference"),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
    *_catalogue_columns(key_index=True),  # a depositary's fact from the catalogue (0005)
)

# -- events, documents, deadlines ------------------------------------------------------

event = Table(
    "event",
    metadata,
    Column("code", String(40), nullable=False, unique=True),
    _required("kind", enum_of(EventKind)),
    _required("name", String(200)),
    _optional("start_date", PartialDateType()),
    _optional("end_date", PartialDateType()),
    _text("city"),
    _text("venue"),
    _fk("host_party_id", "party.id"),
    _optional("participating_states", Integer()),
    *_record(),
    _sensitivity(),
    _retired(),
    *_catalogue_fact(),
)

document = Table(
    "document",
    metadata,
    _required("kind", enum_of(DocumentKind)),
    _required("title", Text()),
    _fk("event_id", "event.id", index=True),
    _fk("issued_by_party_id", "party.id"),
    _optional("issued_on", PartialDateType()),
    _optional("citation", String(80)),  # how it is cited, e.g. INFCIRC/869
    _optional("url", Text()),
    _optional("text", Text()),  # verbatim, when the desk holds it
    *_record(),
    _sensitivity(),
    _retired(),
    *_catalogue_fact(),
)

reporting_obligation = Table(
    "reporting_obligation",
    metadata,
    _fk("instrument_id", "instrument.id", required=True, index=True),
    _fk("party_id", "party.id", required=True),
    _required("title", String(200)),
    _optional("description", Text()),
    _optional("period", String(80)),
    _optional("due", PartialDateType()),
    _optional("submitted", PartialDateType()),
    _fk("document_id", "document.id"),
    _fk("responsible_agency_id", "agency.id"),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
)

deadline = Table(
    "deadline",
    metadata,
    _required("description", Text()),
    _required("due", PartialDateType()),
    _fk("event_id", "event.id"),
    _fk("document_id", "document.id"),
    _fk("instrument_id", "instrument.id"),
    *_record(),
    _sensitivity(),
    _retired(),
    *_catalogue_fact(),
)

# -- gift baskets and memberships ------------------------------------------------------

gift_basket = Table(
    "gift_basket",
    metadata,
    Column("code", String(60), nullable=False, unique=True),
    _required("title", Text()),
    _fk("event_id", "event.id", index=True),
    _fk("document_id", "document.id"),
    _fk("instrument_id", "instrument.id"),  # the instrument it became, e.g. INFCIRC/869
    _optional("issued_on", PartialDateType()),
    _optional("infcirc", String(40)),
    _optional("summary", Text()),
    _optional("text", Text()),
    Column("own_role", enum_of(GiftBasketRole), nullable=False, default=GiftBasketRole.NONE),
    _optional("own_role_note", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
    *_catalogue_fact(),
)

gift_basket_lead = _link("gift_basket_lead", "gift_basket.gift_basket_id", "party.party_id")
gift_basket_theme = _link("gift_basket_theme", "gift_basket.gift_basket_id", "theme.theme_id")

# How many (and, when known, which) parties an instrument or statement had on a
# date, according to the cited sources: never one number.
membership_snapshot = Table(
    "membership_snapshot",
    metadata,
    _fk("instrument_id", "instrument.id", index=True),
    _fk("gift_basket_id", "gift_basket.id", index=True),
    _optional("snapshot_date", PartialDateType()),
    _optional("member_count", Integer()),
    _optional("observer_count", Integer()),
    _optional("description", Text()),
    *_record(),
    _retired(),
    *_catalogue_fact(),
    # Schema 0005: how many had signed without consenting; whether the count takes in
    # international organisations (INTERPOL, Euratom) and whether the linked members
    # are the whole list (a partial list never says who is missing). None: not known.
    _optional("signatory_count", Integer()),
    _optional("includes_organisations", Boolean()),
    _optional("member_list_complete", Boolean()),
    CheckConstraint("(instrument_id IS NULL) <> (gift_basket_id IS NULL)", name="one_subject"),
)

membership_snapshot_party = _link(
    "membership_snapshot_party", "membership_snapshot.snapshot_id", "party.party_id"
)

action_item = Table(
    "action_item",
    metadata,
    Column("ref", String(16), nullable=False, unique=True),  # stable human id, A-0007
    _fk("gift_basket_id", "gift_basket.id", required=True, index=True),
    _required("title", String(200)),
    _optional("description", Text()),
    _fk("agency_id", "agency.id"),
    _optional("due", PartialDateType()),
    Column("status", enum_of(CommitmentStatus), nullable=False, default=CommitmentStatus.PLEDGED),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
)

# -- commitments --------------------------------------------------------------------

commitment = Table(
    "commitment",
    metadata,
    Column("ref", String(16), nullable=False, unique=True),  # stable human id, C-0042
    _required("title", String(200)),
    _optional("text", Text()),
    _fk("origin_event_id", "event.id"),
    _fk("origin_document_id", "document.id"),
    _optional("origin_clause", String(80)),
    _optional("pledged_on", PartialDateType()),
    _fk("lead_agency_id", "agency.id", index=True),
    Column("priority", enum_of(Priority), nullable=False, default=Priority.MEDIUM),
    _optional("next_steps", Text()),
    _optional("talking_points", Text()),
    _optional("notes", Text()),
    *_record(),
    _sensitivity(),
    _retired(),
)

commitment_theme = _link(
    "commitment_theme", "commitment.commitment_id", "theme.theme_id", right_index=True
)
commitment_agency = _link(
    "commitment_agency", "commitment.commitment_id", "agency.agency_id", right_index=True
)
commitment_instrument = _link(
    "commitment_instrument",
    "commitment.commitment_id",
    "instrument.instrument_id",
    right_index=True,
)
commitment_gift_basket = _link(
    "commitment_gift_basket",
    "commitment.commitment_id",
    "gift_basket.gift_basket_id",
    right_index=True,
)

target = Table(
    "target",
    metadata,
    _fk("commitment_id", "commitment.id", required=True, index=True),
    _optional("description", Text()),
    _required("due", PartialDateType()),
    # The last day ``due`` covers ("2013" is due by 2013-12-31), kept beside it so
    # lists sort and filter on deadlines in SQL. Set from ``due`` only.
    Column("due_by", Date, nullable=False, index=True),
    _fk("deadline_id", "deadline.id"),
    _fk("source_document_id", "document.id"),
    _optional("clause", String(80)),
    _fk("revises_id", "target.id"),
    *_record(),
    _sensitivity(),
    _retired(),
)

status_entry = Table(
    "status_entry",
    metadata,
    _fk("commitment_id", "commitment.id", required=True),
    _required("entry_date", Date()),
    _required("status", enum_of(CommitmentStatus)),
    _optional("narrative", Text()),
    _optional("evidence", Text()),
    _optional("evidence_quality", enum_of(EvidenceQuality)),
    Column("channel", enum_of(Channel), nullable=False, default=Channel.TYPED),
    _text("source_ref"),  # where an imported entry came from (file, ministry)
    _optional("recorded_by", String(120)),
    *_record(),
    _sensitivity(),
    _retired(),
    _fk("import_batch_id", "import_batch.id", index=True),  # the import that wrote it (0002)
    Index("ix_status_entry_commitment_date", "commitment_id", "entry_date", "id"),
)

# A later document in which the same commitment reappears under its own paragraph
# number (progress reports renumber; the commitment's ref does not).
commitment_appearance = Table(
    "commitment_appearance",
    metadata,
    _fk("commitment_id", "commitment.id", required=True, index=True),
    _fk("document_id", "document.id", required=True),
    _optional("clause", String(80)),
    _optional("note", Text()),
    *_record(),
)

# -- briefing profiles and import history (schema 0002) -------------------------------

# A named choice and order of briefing-pack sections, with the pack's options.
briefing_profile = Table(
    "briefing_profile",
    metadata,
    Column("name", String(200), nullable=False, unique=True),
    _required("sections", JSON()),  # ordered list of section keys
    _optional("options", JSON()),  # paper size, ceiling, baseline…
    *_record(),
    _retired(),
)

# One workbook imported into the desk: what, from whom, and how to undo it whole.
import_batch = Table(
    "import_batch",
    metadata,
    _required("file_name", String(260)),
    _required("file_sha256", String(64)),
    _required("workbook_kind", String(40)),  # return, register or foreign table
    _fk("agency_id", "agency.id"),
    _optional("export_id", String(36)),  # the export it answers, when it is a return
    _required("imported_at", UtcDateTime()),
    _required("actor", String(120)),
    # The audit entries of the import share this id: undo replays them backwards.
    Column("operation_id", String(36), nullable=False, index=True),
    _optional("counts", JSON()),
    _optional("undone_at", UtcDateTime()),
    _optional("undo_operation_id", String(36)),
    _optional("notes", Text()),
    *_record(),
)

# How a foreign table's columns map to fields, remembered per source.
column_mapping = Table(
    "column_mapping",
    metadata,
    Column("source_key", String(200), nullable=False, unique=True),
    _required("mapping", JSON()),
    *_record(),
)

# -- the desk's record of its exports (schema 0003) -----------------------------------

# One workbook the desk wrote: the export id printed in it is this row's ``uuid``.
# What comes back is judged against this record, never against what the file
# says about itself (its hidden sheets are the sender's claim).
workbook_export = Table(
    "workbook_export",
    metadata,
    _required("kind", String(40)),  # register or return
    _fk("agency_id", "agency.id"),  # the ministry a return was sent to
    Column(
        "ceiling",
        String(32),
        ForeignKey("marking_level.code", onupdate="CASCADE"),
        nullable=False,
    ),
    Column(  # the marking printed on it
        "marking",
        String(32),
        ForeignKey("marking_level.code", onupdate="CASCADE"),
        nullable=False,
    ),
    _required("exported_at", UtcDateTime()),
    _required("actor", String(120)),
    _required("file_name", String(260)),
    _required("file_sha256", String(64)),  # of the file as written
    _required("sheets", JSON()),  # sheet name -> the column keys it let the reader edit
    *_record(),
)

# One record an export sent, with a fingerprint (a short hash, never the value) of
# each value as sent: the editable ones, to tell who changed what since; the
# locked ones, to refuse a workbook that changed them.
workbook_export_row = Table(
    "workbook_export_row",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk("export_id", "workbook_export.id", required=True, ondelete="CASCADE"),
    _required("sheet", String(40)),
    _required("record_uuid", String(36)),
    _text("record_key"),  # its ref or code as the sheet showed it
    _required("fields", JSON()),  # editable column key -> fingerprint
    _optional("locked", JSON()),  # read-only column key -> fingerprint
    UniqueConstraint("export_id", "sheet", "record_uuid"),
)

# -- changes files between laptops (issue 18, schema 0006) --------------------------

# A laptop key this copy of the desk trusts, or has revoked. Trust is kept in the
# desk, not in a user's profile: every officer working on this copy (or on a server
# desk) then refuses what one of them revoked. It belongs to this copy and never
# travels in a changes file.
changes_trust = Table(
    "changes_trust",
    metadata,
    Column("fingerprint", String(39), nullable=False, unique=True),
    _text("label"),  # whose laptop, in the words of whoever trusted it
    _optional("trusted_at", UtcDateTime()),
    _optional("trusted_by", String(120)),
    _optional("revoked_at", UtcDateTime()),
    _optional("revoked_by", String(120)),
    *_record(),
)

# A changes file this copy has received: a file whose id is here is refused as a
# replay. Written by the merge in the transaction that applies the file.
changes_received = Table(
    "changes_received",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("file_id", String(36), nullable=False, unique=True),
    _required("file_name", String(260)),
    _required("digest", String(64)),  # SHA-256 of its contents, as its trailer says
    _required("fingerprint", String(39)),  # of the key that signed it
    _required("sender_replica", String(36)),
    _required("received_at", UtcDateTime()),
    _required("actor", String(120)),
    # Schema 0007: the merge that applied it. What the sender said it knew of each
    # replica (what to send it next); the revision of the merge's transaction (its
    # entries, whoever made them, carry it); the operation of the entries the merge
    # made itself (settled conflicts); what it did, as counts; the values it
    # replaced, to undo it; and when it was undone, by whom, in which revision.
    _optional("knows", JSON()),
    _optional("revision", Integer()),
    _optional("operation_id", String(36)),
    _optional("counts", JSON()),
    _optional("journal", JSON()),
    _optional("undone_at", UtcDateTime()),
    _optional("undone_by", String(120)),
    _optional("undo_revision", Integer()),
)

# What a merge left for a person to look at (schema 0007), in this copy only: an
# open conflict (two different values of one field, each replacing the same base);
# an identity clash (two records with one human key, e.g. two laptops' C-0043); a
# record retired on one side and edited on the other (to review). ``heads`` are the
# entries whose values compete; ``kept_uuid`` the one whose value the desk shows.
changes_conflict = Table(
    "changes_conflict",
    metadata,
    Column("id", Integer, primary_key=True),
    _required("kind", String(12)),  # conflict, identity or review
    _required("record_table", String(40)),
    Column("record_uuid", String(36), nullable=False, index=True),
    _optional("field", String(60)),
    _optional("heads", JSON()),
    _optional("kept_uuid", String(36)),
    _optional("other_uuid", String(36)),  # an identity clash: the other record
    _optional("provisional", String(80)),  # …and the key this record holds meanwhile
    _optional("note", Text()),
    _required("detected_at", UtcDateTime()),
    _fk("received_id", "changes_received.id"),
    _optional("resolved_at", UtcDateTime()),
    _optional("resolved_by", String(120)),
    _optional("resolution", String(20)),
    _optional("resolution_uuid", String(36)),
)

# Another key a record is known by (schema 0007): the number it had before an
# identity clash was settled by renumbering it. Search, imports and lookups by key
# still find the record under it. A record of its own, so it travels to every copy.
record_alias = Table(
    "record_alias",
    metadata,
    _required("record_table", String(40)),
    Column("record_uuid", String(36), nullable=False, index=True),
    Column("alias", String(80), nullable=False, index=True),
    _optional("note", Text()),
    *_record(),
)

# -- baselines and audit ------------------------------------------------------------

baseline = Table(
    "baseline",
    metadata,
    Column("name", String(200), nullable=False, unique=True),
    _required("as_of", Date()),
    _fk("event_id", "event.id"),
    _optional("description", Text()),
    # The shape of the payloads, so later versions can read old baselines.
    Column("payload_version", Integer, nullable=False, default=1),
    *_record(),
    _retired(),
    _sensitivity(),  # what it may be shown to (schema 0003)
)

baseline_item = Table(
    "baseline_item",
    metadata,
    Column("id", Integer, primary_key=True),
    _fk("baseline_id", "baseline.id", required=True, ondelete="CASCADE"),
    _required("record_table", String(40)),
    _required("record_uuid", String(36)),
    _optional("record_ref", String(40)),
    _required("payload", JSON()),
    UniqueConstraint("baseline_id", "record_uuid"),
)

audit_entry = Table(
    "audit_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("uuid", String(36), nullable=False, unique=True, default=new_uuid),
    Column("at", UtcDateTime(), nullable=False, default=utcnow, index=True),
    _required("actor", String(120)),
    _required("channel", enum_of(Channel)),
    _required("action", enum_of(AuditAction)),
    _required("record_table", String(40)),
    _required("record_uuid", String(36)),
    _text("record_label"),
    _optional("field", String(60)),
    # none_as_null: "no value" is stored as SQL NULL, not as the JSON text 'null'.
    _optional("old_value", JSON(none_as_null=True)),
    _optional("new_value", JSON(none_as_null=True)),
    # Groups the entries of one user action (one import, one edit) for undo.
    Column("operation_id", String(36), nullable=False, index=True),
    _optional("note", Text()),
    # The change log (schema 0004), filled by nsdesk.store.change_log and by no
    # writer itself: the commit-order revision of the transaction that wrote the
    # entry; the entry this one replaced for the same field of the same record
    # (none for a creation); the replica (laptop or server desk) that made the
    # change; its hybrid logical clock stamp, for display order and tie-breaks.
    Column("revision", Integer, nullable=False, index=True),
    _optional("parent_uuid", String(36)),
    _required("replica_id", String(36)),
    _required("hlc", String(64)),
    # Schema 0007, for merging desks: the records a value names, by UUID (a
    # reference's key and a set's keys are shown in old/new_value; the UUIDs are
    # what a merge resolves, since a key can be renumbered); and the other entries
    # this one replaced besides its parent (an entry that settles two concurrent
    # values of one field replaces both).
    _optional("refs", JSON(none_as_null=True)),
    _optional("also_replaces", JSON(none_as_null=True)),
    # A field's latest change (a parent, a conflict, who changed it last) is found
    # by record and field; the record's whole history by the first column alone.
    Index("ix_audit_entry_record_uuid_field", "record_uuid", "field"),
)

# The desk's commit order: one row whose value is the last revision taken. A write
# transaction takes the next one (UPDATE ... value + 1) with its first audit entry,
# so revisions are committed in increasing order, even on a server where row ids
# are not (the row stays locked until the transaction ends).
desk_revision = Table(
    "desk_revision",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("value", Integer, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)

# The replicas this desk has seen change it: "origin" (the history written before
# the desk kept a change log, stamped with an id derived from the desk's UUID),
# "laptop" (a user profile's replica of this desk; see nsdesk.store.replicas) and,
# later, "server" (a shared register's own replica).
desk_replica = Table(
    "desk_replica",
    metadata,
    Column("replica_id", String(36), primary_key=True),
    _required("role", String(12)),
    _text("label"),
    Column("first_seen", UtcDateTime(), nullable=False, default=utcnow),
)
