"""The closed vocabularies of the register.

Values are stable lowercase identifiers: they are stored in the desk, written in
workbooks and accepted on the command line, so a value is never renamed without a
migration. ``label`` is the wording a delegation officer reads.
"""

from __future__ import annotations

from enum import StrEnum, nonmember


class LabelledEnum(StrEnum):
    """A ``StrEnum`` whose members carry a human label (default: the value, spaced)."""

    @property
    def label(self) -> str:
        labels = getattr(type(self), "_labels", None)
        if labels and self.value in labels:
            return labels[self.value]
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def parse(cls, text: str) -> LabelledEnum:
        """The member whose value or label matches ``text``, ignoring case and
        surrounding spaces; ``ValueError`` otherwise."""
        wanted = " ".join(str(text).replace("_", " ").split()).casefold()
        for member in cls:
            if wanted in (member.value.replace("_", " ").casefold(), member.label.casefold()):
                return member
        raise ValueError(f"{text!r} is not one of: {', '.join(m.value for m in cls)}")


class PartyKind(LabelledEnum):
    STATE = "state"
    ORGANISATION = "organisation"


class InstrumentKind(LabelledEnum):
    CONVENTION = "convention"
    AMENDMENT = "amendment"
    SECURITY_COUNCIL_RESOLUTION = "security_council_resolution"
    INITIATIVE = "initiative"
    PARTNERSHIP = "partnership"
    CODE_OF_CONDUCT = "code_of_conduct"
    GUIDANCE = "guidance"
    JOINT_STATEMENT = "joint_statement"
    OTHER = "other"

    _labels = nonmember(
        {
            "security_council_resolution": "Security Council resolution",
            "joint_statement": "Joint statement (INFCIRC)",
        }
    )


class JoiningMechanism(LabelledEnum):
    """How a party comes to be bound by, or subscribed to, an instrument.

    The three mechanics of PRODUCT.md, plus instruments nobody "joins" (guidance,
    advisory services, funds): for those the milestones record implementation.
    """

    TREATY = "treaty"
    POLITICAL_COMMITMENT = "political_commitment"
    OBLIGATION_ON_ALL_STATES = "obligation_on_all_states"
    IMPLEMENTATION_ONLY = "implementation_only"

    _labels = nonmember(
        {
            "treaty": "Treaty (signature, consent to be bound, deposit)",
            "political_commitment": "Political commitment (note verbale, subscription)",
            "obligation_on_all_states": "Obligation on all states (national reports)",
            "implementation_only": "No joining act (implementation only)",
        }
    )


class MilestoneKind(LabelledEnum):
    """A dated step in one party's relation to one instrument.

    Domestic steps (``is_domestic``) are the ones depositary lists never show.
    """

    # International treaty acts
    SIGNATURE = "signature"
    RATIFICATION = "ratification"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    ACCESSION = "accession"
    SUCCESSION = "succession"
    DEPOSIT = "deposit"
    ENTRY_INTO_FORCE = "entry_into_force"
    RESERVATION = "reservation"
    DECLARATION = "declaration"
    DENUNCIATION = "denunciation"
    # Domestic steps
    INTERAGENCY_REVIEW = "interagency_review"
    CABINET_APPROVAL = "cabinet_approval"
    PARLIAMENT_SUBMISSION = "parliament_submission"
    PARLIAMENT_APPROVAL = "parliament_approval"
    PROMULGATION = "promulgation"
    IMPLEMENTING_LEGISLATION = "implementing_legislation"
    # Political commitments
    ANNOUNCEMENT = "announcement"
    ENDORSEMENT = "endorsement"
    NOTE_VERBALE = "note_verbale"
    INFCIRC_CIRCULATION = "infcirc_circulation"
    WITHDRAWAL = "withdrawal"
    # Obligations on all states
    NATIONAL_REPORT = "national_report"
    ACTION_PLAN = "action_plan"
    # Implementation
    MISSION_REQUESTED = "mission_requested"
    MISSION_HOSTED = "mission_hosted"
    CONTRIBUTION = "contribution"
    IMPLEMENTATION_STEP = "implementation_step"

    _labels = nonmember(
        {
            "entry_into_force": "Entry into force for the state",
            "interagency_review": "Inter-agency review",
            "infcirc_circulation": "Circulated as INFCIRC",
            "note_verbale": "Note verbale sent",
            "national_report": "National report submitted",
            "action_plan": "National implementation action plan",
        }
    )

    @property
    def is_domestic(self) -> bool:
        return self in _DOMESTIC_STEPS

    @property
    def is_consent_to_be_bound(self) -> bool:
        return self in CONSENT_TO_BE_BOUND


CONSENT_TO_BE_BOUND = frozenset(
    {
        MilestoneKind.RATIFICATION,
        MilestoneKind.ACCEPTANCE,
        MilestoneKind.APPROVAL,
        MilestoneKind.ACCESSION,
        MilestoneKind.SUCCESSION,
    }
)
DOMESTIC_STEPS: tuple[MilestoneKind, ...] = (
    MilestoneKind.INTERAGENCY_REVIEW,
    MilestoneKind.CABINET_APPROVAL,
    MilestoneKind.PARLIAMENT_SUBMISSION,
    MilestoneKind.PARLIAMENT_APPROVAL,
    MilestoneKind.PROMULGATION,
    MilestoneKind.IMPLEMENTING_LEGISLATION,
)
"""The steps depositary lists never show, in the order they are normally taken
(the order of the pipeline view)."""
_DOMESTIC_STEPS = frozenset(DOMESTIC_STEPS)


class ParticipationStatus(LabelledEnum):
    """A party's standing under an instrument, derived from its milestones."""

    NOT_PARTY = "not_party"
    SIGNED = "signed"
    RATIFIED_PENDING_DEPOSIT = "ratified_pending_deposit"
    DEPOSITED = "deposited"
    IN_FORCE = "in_force"
    DENOUNCED = "denounced"
    NOT_SUBSCRIBED = "not_subscribed"
    ANNOUNCED = "announced"
    NOTE_VERBALE_SENT = "note_verbale_sent"
    SUBSCRIBED = "subscribed"
    WITHDRAWN = "withdrawn"
    NO_REPORT = "no_report"
    REPORTED = "reported"
    NOT_STARTED = "not_started"
    IMPLEMENTING = "implementing"

    _labels = nonmember(
        {
            "not_party": "Not a party",
            "ratified_pending_deposit": "Ratified, deposit pending",
            "in_force": "In force for the state",
            "note_verbale_sent": "Note verbale sent",
            "subscribed": "Subscribed (circulated as INFCIRC)",
            "no_report": "No report on record",
            "reported": "Report submitted",
        }
    )


class Standing(LabelledEnum):
    """Where a party stands under an instrument on a date, as a universalization
    view counts it: a party (consent deposited, or in force), a signatory only, or
    outside it. Derived from the dated milestones (:mod:`nsdesk.domain.participation`);
    stored only as what a source lists a party as, when it gives no date."""

    PARTY = "party"
    SIGNATORY = "signatory"
    OUTSIDE = "outside"

    _labels = nonmember({"signatory": "Signatory only", "outside": "Not a party"})


class CommitmentStatus(LabelledEnum):
    PLEDGED = "pledged"
    IN_PROGRESS = "in_progress"
    PARTIALLY_COMPLETED = "partially_completed"
    COMPLETED = "completed"
    ONGOING = "ongoing"
    STALLED = "stalled"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"

    @property
    def is_closed(self) -> bool:
        """Closed items are no longer expected to move: never late, never at risk."""
        return self in CLOSED_STATUSES


CLOSED_STATUSES = frozenset(
    {CommitmentStatus.COMPLETED, CommitmentStatus.SUPERSEDED, CommitmentStatus.WITHDRAWN}
)


class Priority(LabelledEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class GiftBasketRole(LabelledEnum):
    """The desk's own state's part in a joint statement."""

    LEAD = "lead"
    CO_SPONSOR = "co_sponsor"
    SIGNATORY = "signatory"
    OBSERVER = "observer"
    NONE = "none"

    _labels = nonmember({"co_sponsor": "Co-sponsor", "none": "No part"})


class Channel(LabelledEnum):
    """Where a change came from; recorded on every audit and history entry."""

    TYPED = "typed"
    IMPORTED = "imported"
    CATALOGUE = "catalogue"
    DEMO = "demo"
    MERGED = "merged"
    MIGRATION = "migration"
    RESTORED = "restored"

    _labels = nonmember({"typed": "Typed in", "imported": "Imported from a workbook"})


class AuditAction(LabelledEnum):
    CREATE = "create"
    UPDATE = "update"
    RETIRE = "retire"
    RESTORE = "restore"
    DELETE = "delete"


class Confidence(LabelledEnum):
    """How sure the catalogue is of a fact (from the reference's own rating)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    EDITORIAL = "editorial"

    _labels = nonmember({"editorial": "nsdesk editorial synthesis"})


class EventKind(LabelledEnum):
    SUMMIT = "summit"
    MINISTERIAL_CONFERENCE = "ministerial_conference"
    REVIEW_CONFERENCE = "review_conference"
    GENERAL_CONFERENCE = "general_conference"
    SHERPA_MEETING = "sherpa_meeting"
    CONTACT_GROUP_MEETING = "contact_group_meeting"
    COMMITTEE_MEETING = "committee_meeting"
    OTHER = "other"

    _labels = nonmember({"general_conference": "IAEA General Conference"})


class DocumentKind(LabelledEnum):
    COMMUNIQUE = "communique"
    WORK_PLAN = "work_plan"
    ACTION_PLAN = "action_plan"
    NATIONAL_STATEMENT = "national_statement"
    NATIONAL_PROGRESS_REPORT = "national_progress_report"
    JOINT_STATEMENT = "joint_statement"
    INFCIRC = "infcirc"
    SUMMARY = "summary"
    NOTE_VERBALE = "note_verbale"
    REPORT = "report"
    OTHER = "other"

    _labels = nonmember({"communique": "Communiqué", "infcirc": "INFCIRC"})


class EvidenceQuality(LabelledEnum):
    OFFICIAL_PRIMARY = "official_primary"
    OFFICIAL_SECONDARY = "official_secondary"
    NGO_ASSESSMENT = "ngo_assessment"
    PRESS = "press"
    INTERNAL_UNVERIFIED = "internal_unverified"

    _labels = nonmember({"ngo_assessment": "NGO assessment"})


class AgencyKind(LabelledEnum):
    MINISTRY = "ministry"
    REGULATOR = "regulator"
    LAW_ENFORCEMENT = "law_enforcement"
    OPERATOR = "operator"
    RESEARCH = "research"
    MISSION = "mission"
    OTHER = "other"

    _labels = nonmember({"mission": "Permanent mission"})


class DeadlineState(LabelledEnum):
    """Where an item stands against its current target on an as-of date."""

    NO_TARGET = "no_target"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    CLOSED = "closed"
