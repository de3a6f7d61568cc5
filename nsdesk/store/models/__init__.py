"""Every mapped class of a desk, importable from one place.

The classes map onto the tables of :mod:`nsdesk.store.tables` for editing through
the ORM; read paths use the tables directly and never need to import this package.
"""

from nsdesk.store.models.agencies import Agency, AgencyContact
from nsdesk.store.models.audit import AuditEntry
from nsdesk.store.models.baselines import Baseline, BaselineItem
from nsdesk.store.models.briefing import BriefingProfile
from nsdesk.store.models.changes import ChangesTrust, RecordAlias
from nsdesk.store.models.commitments import (
    Commitment,
    CommitmentAppearance,
    StatusEntry,
    Target,
)
from nsdesk.store.models.events import Deadline, Document, Event
from nsdesk.store.models.exchange import ColumnMapping, ImportBatch
from nsdesk.store.models.gift_baskets import ActionItem, GiftBasket
from nsdesk.store.models.instruments import (
    Instrument,
    Milestone,
    Participation,
    ReportingObligation,
)
from nsdesk.store.models.memberships import MembershipSnapshot
from nsdesk.store.models.parties import Party
from nsdesk.store.models.settings import DeskSettings, MarkingLevelRow, SequenceCounter
from nsdesk.store.models.sources import Citation, Source
from nsdesk.store.models.themes import ExternalScheme, SchemeArea, Theme

__all__ = [
    "ActionItem",
    "Agency",
    "AgencyContact",
    "AuditEntry",
    "Baseline",
    "BaselineItem",
    "BriefingProfile",
    "ChangesTrust",
    "Citation",
    "ColumnMapping",
    "Commitment",
    "CommitmentAppearance",
    "Deadline",
    "DeskSettings",
    "Document",
    "Event",
    "ExternalScheme",
    "GiftBasket",
    "ImportBatch",
    "Instrument",
    "MarkingLevelRow",
    "MembershipSnapshot",
    "Milestone",
    "Participation",
    "Party",
    "RecordAlias",
    "ReportingObligation",
    "SchemeArea",
    "SequenceCounter",
    "Source",
    "StatusEntry",
    "Target",
    "Theme",
]
