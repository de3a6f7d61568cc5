"""The registers as workbook sheets: the sheets a register workbook and a return
carry, their columns, which of them a reader may edit, and the loader of each.

The column and sheet types are in :mod:`nsdesk.services.exchange.sheet_specs`,
the loaders in :mod:`nsdesk.services.exchange.sheet_loaders`; both directions
(export and import) read these declarations.
"""

from __future__ import annotations

from nsdesk.domain.enums import AgencyKind, CommitmentStatus, GiftBasketRole, Priority
from nsdesk.exchange.model import ColumnKind
from nsdesk.services.exchange.sheet_loaders import (
    load_action_items,
    load_agencies,
    load_commitments,
    load_gift_baskets,
    load_history,
    load_milestones,
    load_reporting,
    load_return_commitments,
    load_signatories,
)
from nsdesk.services.exchange.sheet_specs import (
    EVIDENCE,
    ID_COLUMN,
    NARRATIVE,
    REVISED_TARGET,
    STATUS,
    ColumnSpec,
    ExportScope,
    SheetSpec,
)

#: The kinds of workbook: the register (every sheet) and one ministry's return,
#: both written by nsdesk, and a table nsdesk did not write.
REGISTER, RETURN, FOREIGN = "register", "return", "foreign"

C = ColumnSpec
K = ColumnKind
_SENSITIVITY = C(
    "sensitivity", "Sensitivity", K.CHOICE, "sensitivity", True, "sensitivity", ("marking",)
)
_REF_SYNONYMS = ("ref", "reference", "id", "commitment", "commitment id", "commitment ref", "no.")
_STATUS_SYNONYMS = ("status", "state", "progress status", "current status", "statut", "estado")

COMMITMENTS = SheetSpec(
    "Commitments",
    "Commitments",
    "commitment",
    "ref",
    (
        C("ref", "Ref", K.TEXT, synonyms=_REF_SYNONYMS, width=10),
        C(
            "title",
            "Title",
            K.TEXT,
            "title",
            True,
            synonyms=("commitment title", "subject"),
            width=48,
        ),
        C(
            "lead_agency",
            "Lead agency",
            K.CHOICE,
            "lead_agency",
            True,
            "agency",
            ("lead", "agency", "ministry"),
        ),
        C("priority", "Priority", K.CHOICE, "priority", True, "priority"),
        C("themes", "Themes", K.TEXT),
        C("pledged_on", "Pledged", K.DATE),
        C("target", "Target", K.DATE, synonyms=("deadline", "due")),
        C("status", "Status", K.CHOICE, STATUS, True, "status", _STATUS_SYNONYMS),
        C("last_update", "Last update", K.DATE),
        C("next_steps", "Next steps", K.LONG_TEXT, "next_steps", True, synonyms=("next step",)),
        C("talking_points", "Talking points", K.LONG_TEXT, "talking_points", True),
        C("text", "Verbatim text", K.LONG_TEXT, "text", True, synonyms=("text",)),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_commitments,
    creates=True,
)

RETURN_COMMITMENTS = SheetSpec(
    "Commitments",
    "Commitments for your update",
    "commitment",
    "ref",
    (
        C("ref", "Ref", K.TEXT, synonyms=_REF_SYNONYMS, width=10),
        C("title", "Title", K.TEXT, synonyms=("commitment title", "subject"), width=48),
        C("target", "Target", K.DATE, synonyms=("deadline", "due", "current target")),
        C(
            "status",
            "Status",
            K.CHOICE,
            STATUS,
            True,
            "status",
            _STATUS_SYNONYMS,
            "Choose the status as it stands today.",
        ),
        C(
            "narrative",
            "Progress since last update",
            K.LONG_TEXT,
            NARRATIVE,
            True,
            synonyms=(
                "progress",
                "narrative",
                "progress narrative",
                "update",
                "comments",
                "remarks",
            ),
            note="What was done, in a few sentences.",
        ),
        C(
            "evidence",
            "Evidence",
            K.LONG_TEXT,
            EVIDENCE,
            True,
            synonyms=("evidence", "source", "proof", "reference document"),
            note="A document, law or report that shows it.",
        ),
        C(
            "next_steps",
            "Next steps",
            K.LONG_TEXT,
            "next_steps",
            True,
            synonyms=("next step", "way forward"),
        ),
        C(
            "revised_target",
            "Revised target",
            K.DATE,
            REVISED_TARGET,
            True,
            synonyms=("revised deadline", "new deadline", "new target"),
            note="Only if the target date must move.",
        ),
        C("last_update", "Last update", K.DATE),
        ID_COLUMN,
    ),
    load_return_commitments,
)

HISTORY = SheetSpec(
    "History",
    "Progress history",
    "status_entry",
    "commitment",
    (
        C("commitment", "Commitment", K.TEXT, width=12),
        C("entry_date", "Date", K.DATE),
        C("status", "Status", K.CHOICE, choices="status"),
        C("narrative", "Progress", K.LONG_TEXT),
        C("evidence", "Evidence", K.LONG_TEXT),
        C("source_ref", "Came from", K.TEXT),
        C("sensitivity", "Sensitivity", K.TEXT),
        ID_COLUMN,
    ),
    load_history,
    key_unique=False,
)

GIFT_BASKETS = SheetSpec(
    "Gift baskets",
    "Gift baskets (joint statements)",
    "gift_basket",
    "code",
    (
        C("code", "Code", K.TEXT, width=14),
        C("title", "Title", K.TEXT),
        C("event", "Event", K.TEXT),
        C("issued_on", "Issued", K.DATE),
        C("infcirc", "INFCIRC", K.TEXT),
        C("themes", "Themes", K.TEXT),
        C("own_role", "Our role", K.CHOICE, "own_role", True, "role"),
        C("own_role_note", "About our role", K.LONG_TEXT, "own_role_note", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_gift_baskets,
)

SIGNATORIES = SheetSpec(
    "Signatories",
    "Gift-basket signatories over time",
    "membership_snapshot",
    "gift_basket",
    (
        C("gift_basket", "Gift basket", K.TEXT),
        C("snapshot_date", "As of", K.DATE),
        C("member_count", "Signatories", K.NUMBER),
        C("observer_count", "Observers", K.NUMBER),
        C("we_are_listed", "We are listed", K.TEXT),
        C("includes_organisations", "Count includes organisations", K.TEXT),
        C("list_complete", "List complete", K.TEXT),
        C("description", "Source", K.LONG_TEXT),
        ID_COLUMN,
    ),
    load_signatories,
    key_unique=False,
)

ACTION_ITEMS = SheetSpec(
    "Action items",
    "Our action items under gift baskets",
    "action_item",
    "ref",
    (
        C("ref", "Ref", K.TEXT, width=10),
        C("gift_basket", "Gift basket", K.TEXT),
        C("title", "Title", K.TEXT, "title", True),
        C("agency", "Agency", K.CHOICE, "agency", True, "agency"),
        C("due", "Due", K.DATE, "due", True),
        C("status", "Status", K.CHOICE, "status", True, "status"),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_action_items,
)

PARTICIPATION = SheetSpec(
    "Participation",
    "Our participation in the instruments: milestones",
    "milestone",
    "instrument",
    (
        C("instrument", "Instrument", K.TEXT),
        C("kind", "Step", K.TEXT),
        C("planned", "Planned", K.DATE, "planned", True),
        C("actual", "Done on", K.DATE, "actual", True),
        C(
            "responsible_agency",
            "Responsible agency",
            K.CHOICE,
            "responsible_agency",
            True,
            "agency",
        ),
        C("reference", "Reference", K.TEXT, "reference", True),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_milestones,
    key_unique=False,
)

REPORTING = SheetSpec(
    "Reporting",
    "Reporting obligations",
    "reporting_obligation",
    "title",
    (
        C("instrument", "Instrument", K.TEXT),
        C("title", "Report", K.TEXT),
        C("period", "Period", K.TEXT),
        C("due", "Due", K.DATE, "due", True),
        C("submitted", "Submitted", K.DATE, "submitted", True),
        C(
            "responsible_agency",
            "Responsible agency",
            K.CHOICE,
            "responsible_agency",
            True,
            "agency",
        ),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_reporting,
    key_unique=False,
)

AGENCIES = SheetSpec(
    "Agencies",
    "Agencies",
    "agency",
    "code",
    (
        C("code", "Code", K.TEXT, "code", True, width=10),
        C("name", "Name", K.TEXT, "name", True),
        C("kind", "Kind", K.CHOICE, "kind", True, "agency_kind"),
        C("parent", "Part of", K.TEXT),
        C("notes", "Notes", K.LONG_TEXT, "notes", True),
        _SENSITIVITY,
        ID_COLUMN,
    ),
    load_agencies,
    creates=True,
)

REGISTER_SHEETS: tuple[SheetSpec, ...] = (
    COMMITMENTS,
    HISTORY,
    GIFT_BASKETS,
    SIGNATORIES,
    ACTION_ITEMS,
    PARTICIPATION,
    REPORTING,
    AGENCIES,
)
RETURN_SHEETS: tuple[SheetSpec, ...] = (RETURN_COMMITMENTS,)


def choice_list(scope: ExportScope, name: str) -> tuple[str, ...]:
    """One drop-down list, as the sheet shows it. The agency list names every live
    agency within the ceiling, so their levels count toward the marking."""
    fixed: dict[str, tuple[str, ...]] = {
        "status": tuple(s.label for s in CommitmentStatus),
        "priority": tuple(p.label for p in Priority),
        "role": tuple(r.label for r in GiftBasketRole),
        "agency_kind": tuple(k.label for k in AgencyKind),
        "sensitivity": tuple(
            code for code in scope.info.marking.codes if scope.audience.permits(code)
        ),
    }
    if name == "agency":
        return tuple(sorted(r.code for r in scope.view.records("agency")))
    return fixed[name]
