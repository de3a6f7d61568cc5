"""The kinds of record in a desk and the fields a person may edit on each.

One :class:`RecordSpec` per entity of PRODUCT.md. The service layer validates
every create and edit against these specs; the editors, the workbook columns and
the command line read the same specs, so "what a commitment has" is stated once.

A field of type ``REFERENCE`` named ``lead_agency`` points to another record by
its key (an agency code, a commitment ref, an instrument key — or a UUID) and is
stored in the column ``lead_agency_id``. ``REFERENCES`` fields are lists.
"""

from __future__ import annotations

from dataclasses import dataclass

from nsdesk.domain.enums import (
    AgencyKind,
    CommitmentStatus,
    DocumentKind,
    EventKind,
    EvidenceQuality,
    GiftBasketRole,
    InstrumentKind,
    JoiningMechanism,
    MilestoneKind,
    PartyKind,
    Priority,
)
from nsdesk.domain.errors import ValidationError
from nsdesk.domain.fields import FieldSpec, FieldType

T, LT, PD, D = FieldType.TEXT, FieldType.LONG_TEXT, FieldType.PARTIAL_DATE, FieldType.DATE
REF, REFS, E = FieldType.REFERENCE, FieldType.REFERENCES, FieldType.ENUM
LONG_TITLE = 500


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """A kind of record: its name, what identifies it, and its editable fields."""

    kind: str
    label: str
    #: The human key column (``code``, ``ref``) or ``None`` when only the UUID identifies it.
    key_field: str | None
    fields: tuple[FieldSpec, ...]
    #: Whether records carry a sensitivity level (and so may be held back from exports).
    sensitive: bool = True
    #: Whether the desk allocates the key itself (``C-0001``) rather than the user typing it.
    allocated_key: str | None = None
    #: The label for several records, when it is not the label plus "s".
    plural_label: str | None = None

    def __post_init__(self) -> None:
        if self.allocated_key and not self.key_field:
            raise ValueError(f"{self.kind}: a key the desk allocates needs a key field")

    @property
    def plural(self) -> str:
        return self.plural_label or f"{self.label}s"

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise ValidationError(
            name,
            f"one of the {self.label.lower()} fields: " + ", ".join(s.name for s in self.fields),
        )

    @property
    def required(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields if spec.required)


# A short name for the many specs below; an alias rather than a wrapper, so every
# keyword is checked against FieldSpec's own fields.
_f = FieldSpec


SENSITIVITY = _f("sensitivity", "Sensitivity", FieldType.SENSITIVITY)
NOTES = _f("notes", "Notes", LT)

PARTY = RecordSpec(
    "party",
    "Party",
    "code",
    plural_label="Parties",
    fields=(
        _f(
            "code",
            "Code (ISO alpha-3 or organisation)",
            FieldType.CODE,
            required=True,
            max_length=16,
        ),
        _f("kind", "Kind", E, enum=PartyKind, required=True),
        _f("name", "Name", T, required=True),
        _f("official_name", "Official name", T, max_length=LONG_TITLE),
        NOTES,
    ),
    sensitive=False,
)

AGENCY = RecordSpec(
    "agency",
    "Agency",
    "code",
    (
        _f("code", "Code", FieldType.CODE, required=True, max_length=16),
        _f("name", "Name", T, required=True),
        _f("kind", "Kind", E, enum=AgencyKind),
        _f("parent", "Part of", REF, references="agency"),
        NOTES,
        SENSITIVITY,
    ),
    plural_label="Agencies",
)

AGENCY_CONTACT = RecordSpec(
    "agency_contact",
    "Contact",
    None,
    (
        _f("agency", "Agency", REF, references="agency", required=True),
        _f("name", "Name", T, required=True),
        _f("role", "Role", T),
        _f("email", "E-mail", T),
        _f("phone", "Telephone", T, max_length=40),
        NOTES,
        SENSITIVITY,
    ),
)

THEME = RecordSpec(
    "theme",
    "Theme",
    "code",
    (
        _f("code", "Key", FieldType.KEY, required=True),
        _f("label", "Label", T, required=True),
        _f("description", "Description", LT),
        _f("sort_order", "Order", FieldType.COUNT),
        NOTES,
    ),
    sensitive=False,
)

SOURCE = RecordSpec(
    "source",
    "Source",
    None,
    (
        _f("title", "Title", LT, required=True, max_length=2000),
        _f("url", "Web address", FieldType.URL),
    ),
    sensitive=False,
)

INSTRUMENT = RecordSpec(
    "instrument",
    "Instrument",
    "code",
    (
        _f("code", "Key", FieldType.KEY, required=True),
        _f("name", "Name", T, required=True, max_length=LONG_TITLE),
        _f("short_name", "Short name", T, required=True, max_length=80),
        _f("kind", "Kind", E, enum=InstrumentKind, required=True),
        _f("mechanism", "Joining mechanism", E, enum=JoiningMechanism, required=True),
        _f("binding", "Legally binding", FieldType.BOOL),
        _f("adopted", "Adopted", PD),
        _f("opened_for_signature", "Opened for signature", PD),
        _f("entered_into_force", "Entered into force", PD),
        _f("entry_into_force_condition", "Entry-into-force condition", LT),
        _f("depositary", "Depositary", T),
        _f("scope", "Scope", LT),
        _f("participation_model", "How states join", LT),
        _f("reporting_summary", "Reporting", LT),
        _f("text_reference", "Text reference", T, max_length=80),
        _f("url", "Web address", FieldType.URL),
        _f("amends", "Amends", REF, references="instrument"),
        _f("supplements", "Supplements", REF, references="instrument"),
        NOTES,
        SENSITIVITY,
    ),
)

PARTICIPATION = RecordSpec(
    "participation",
    "Participation",
    None,
    (
        _f("party", "Party", REF, references="party", required=True),
        _f("instrument", "Instrument", REF, references="instrument", required=True),
        _f("reservations", "Reservations", LT),
        _f("declarations", "Declarations", LT),
        _f("as_of", "As of", PD),  # when a depositary's list last said so (schema 0005)
        NOTES,
        SENSITIVITY,
    ),
)

MILESTONE = RecordSpec(
    "milestone",
    "Milestone",
    None,
    (
        _f("participation", "Participation", REF, references="participation", required=True),
        _f("kind", "Step", E, enum=MilestoneKind, required=True),
        _f("planned", "Planned", PD),
        _f("actual", "Actual", PD),
        _f("responsible_agency", "Responsible agency", REF, references="agency"),
        _f("reference", "Reference", T),
        _f("as_of", "As of", PD),  # when a depositary's list last said so (schema 0005)
        NOTES,
        SENSITIVITY,
    ),
)

EVENT = RecordSpec(
    "event",
    "Event",
    "code",
    (
        _f("code", "Key", FieldType.KEY, required=True),
        _f("kind", "Kind", E, enum=EventKind, required=True),
        _f("name", "Name", T, required=True),
        _f("start_date", "Starts", PD),
        _f("end_date", "Ends", PD),
        _f("city", "City", T),
        _f("venue", "Venue", T),
        _f("host_party", "Host", REF, references="party"),
        _f("participating_states", "Participating states", FieldType.COUNT),
        NOTES,
        SENSITIVITY,
    ),
)

DOCUMENT = RecordSpec(
    "document",
    "Document",
    None,
    (
        _f("kind", "Kind", E, enum=DocumentKind, required=True),
        _f("title", "Title", T, required=True, max_length=LONG_TITLE),
        _f("event", "Event", REF, references="event"),
        _f("issued_by_party", "Issued by", REF, references="party"),
        _f("issued_on", "Issued", PD),
        _f("citation", "Citation", T, max_length=80),
        _f("url", "Web address", FieldType.URL),
        _f("text", "Text", LT),
        SENSITIVITY,
    ),
)

DEADLINE = RecordSpec(
    "deadline",
    "Deadline",
    None,
    (
        _f("description", "Description", LT, required=True),
        _f("due", "Due", PD, required=True),
        _f("event", "Set at", REF, references="event"),
        _f("document", "Set in", REF, references="document"),
        _f("instrument", "Instrument", REF, references="instrument"),
        SENSITIVITY,
    ),
)

GIFT_BASKET = RecordSpec(
    "gift_basket",
    "Gift basket",
    "code",
    (
        _f("code", "Key", FieldType.KEY, required=True),
        _f("title", "Title", T, required=True, max_length=LONG_TITLE),
        _f("event", "Summit", REF, references="event"),
        _f("document", "Statement document", REF, references="document"),
        _f("instrument", "Became instrument", REF, references="instrument"),
        _f("issued_on", "Issued", PD),
        _f("infcirc", "INFCIRC", T, max_length=40),
        _f("summary", "Summary", LT),
        _f("text", "Text", LT),
        _f("own_role", "Our role", E, enum=GiftBasketRole),
        _f("own_role_note", "Note on our role", LT),
        _f("leads", "Lead parties", REFS, references="party"),
        _f("themes", "Themes", REFS, references="theme"),
        NOTES,
        SENSITIVITY,
    ),
)

MEMBERSHIP_SNAPSHOT = RecordSpec(
    "membership_snapshot",
    "Membership snapshot",
    None,
    (
        _f("gift_basket", "Gift basket", REF, references="gift_basket"),
        _f("instrument", "Instrument", REF, references="instrument"),
        _f("snapshot_date", "As of", PD),
        _f("member_count", "Members", FieldType.COUNT),
        _f("observer_count", "Observers", FieldType.COUNT),
        _f("description", "Description", LT),
        _f("members", "Member list", REFS, references="party"),
    ),
    sensitive=False,
)

ACTION_ITEM = RecordSpec(
    "action_item",
    "Action item",
    "ref",
    (
        _f("gift_basket", "Gift basket", REF, references="gift_basket", required=True),
        _f("title", "Title", T, required=True),
        _f("description", "Description", LT),
        _f("agency", "Agency", REF, references="agency"),
        _f("due", "Due", PD),
        _f("status", "Status", E, enum=CommitmentStatus),
        NOTES,
        SENSITIVITY,
    ),
    allocated_key="A",
)

COMMITMENT = RecordSpec(
    "commitment",
    "Commitment",
    "ref",
    (
        _f("title", "Title", T, required=True),
        _f("text", "Verbatim text", LT),
        _f("origin_event", "Made at", REF, references="event"),
        _f("origin_document", "Made in", REF, references="document"),
        _f("origin_clause", "Clause", T, max_length=80),
        _f("pledged_on", "Pledged", PD),
        _f("lead_agency", "Lead agency", REF, references="agency"),
        _f("priority", "Priority", E, enum=Priority),
        _f("next_steps", "Next steps", LT),
        _f("talking_points", "Talking points", LT),
        _f("themes", "Themes", REFS, references="theme"),
        _f("contributing_agencies", "Contributing agencies", REFS, references="agency"),
        _f("instruments", "Instruments", REFS, references="instrument"),
        _f("gift_baskets", "Gift baskets", REFS, references="gift_basket"),
        NOTES,
        SENSITIVITY,
    ),
    allocated_key="C",
)

TARGET = RecordSpec(
    "target",
    "Target",
    None,
    (
        _f("commitment", "Commitment", REF, references="commitment", required=True),
        _f("due", "Due", PD, required=True),
        _f("description", "Description", LT),
        _f("deadline", "Collective deadline", REF, references="deadline"),
        _f("source_document", "Set in", REF, references="document"),
        _f("clause", "Clause", T, max_length=80),
        _f("revises", "Revises", REF, references="target"),
        SENSITIVITY,
    ),
)

STATUS_ENTRY = RecordSpec(
    "status_entry",
    "Progress entry",
    None,
    (
        _f("commitment", "Commitment", REF, references="commitment", required=True),
        _f("entry_date", "Date", D, required=True),
        _f("status", "Status", E, enum=CommitmentStatus, required=True),
        _f("narrative", "Progress", LT),
        _f("evidence", "Evidence", LT),
        _f("evidence_quality", "Evidence quality", E, enum=EvidenceQuality),
        SENSITIVITY,
    ),
    plural_label="Progress entries",
)

REPORTING_OBLIGATION = RecordSpec(
    "reporting_obligation",
    "Reporting obligation",
    None,
    (
        _f("instrument", "Instrument", REF, references="instrument", required=True),
        _f("party", "Party", REF, references="party"),
        _f("title", "Title", T, required=True),
        _f("description", "Description", LT),
        _f("period", "Period", T, max_length=80),
        _f("due", "Due", PD),
        _f("submitted", "Submitted", PD),
        _f("document", "Report", REF, references="document"),
        _f("responsible_agency", "Responsible agency", REF, references="agency"),
        NOTES,
        SENSITIVITY,
    ),
)

BASELINE = RecordSpec(
    "baseline",
    "Baseline",
    "name",
    (
        _f("name", "Name", T, required=True),
        _f("as_of", "As of", D, required=True),
        _f("event", "For event", REF, references="event"),
        _f("description", "Description", LT),
        SENSITIVITY,
    ),
)

RECORD_SPECS: dict[str, RecordSpec] = {
    spec.kind: spec
    for spec in (
        PARTY,
        AGENCY,
        AGENCY_CONTACT,
        THEME,
        SOURCE,
        INSTRUMENT,
        PARTICIPATION,
        MILESTONE,
        EVENT,
        DOCUMENT,
        DEADLINE,
        GIFT_BASKET,
        MEMBERSHIP_SNAPSHOT,
        ACTION_ITEM,
        COMMITMENT,
        TARGET,
        STATUS_ENTRY,
        REPORTING_OBLIGATION,
        BASELINE,
    )
}


def spec_for(kind: str) -> RecordSpec:
    try:
        return RECORD_SPECS[kind]
    except KeyError:
        raise ValidationError("kind", "one of: " + ", ".join(RECORD_SPECS), kind) from None
