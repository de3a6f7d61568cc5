"""What the detail pane reads about a commitment, a gift basket, an instrument and
an agency: on real desks (the demo, and a new desk built on the catalogue)."""

from datetime import date

import pytest

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    CommitmentStatus,
    DeadlineState,
    GiftBasketRole,
    JoiningMechanism,
    MilestoneKind,
    ParticipationStatus,
)
from nsdesk.domain.errors import RecordNotFoundError
from nsdesk.domain.participation import MilestoneLine, StepState, build_pipeline
from nsdesk.services.records.details.agency import agency_detail
from nsdesk.services.records.details.commitment import commitment_detail
from nsdesk.services.records.details.gift_basket import gift_basket_detail
from nsdesk.services.records.details.instrument import instrument_detail
from nsdesk.services.records.record_service import RecordService
from nsdesk.services.records.registers import load_register
from tests.conftest import DEMO_DAY


@pytest.fixture
def demo_records(demo_desk):
    return RecordService(demo_desk, today=lambda: DEMO_DAY)


# -- commitments -------------------------------------------------------------------


def test_history_is_newest_first_and_status_is_the_registers(demo_desk):
    detail = commitment_detail(demo_desk, "C-0007", as_of=DEMO_DAY)
    dates = [entry.entry_date for entry in detail.history]
    assert dates == sorted(dates, reverse=True)
    assert len(dates) > 3
    (row,) = load_register(demo_desk, "commitments", as_of=DEMO_DAY, keys=["C-0007"])
    assert detail.status.value == row.status == "in_progress"
    assert detail.history[0].status is detail.status
    assert detail.deadline.state is DeadlineState.LATE
    assert "passed" in detail.deadline.reason
    assert detail.history[0].channel.label == "Demo"


def test_a_commitment_is_found_by_ref_in_any_case_or_by_uuid(demo_desk):
    by_ref = commitment_detail(demo_desk, " c-0007 ", as_of=DEMO_DAY)
    assert commitment_detail(demo_desk, by_ref.uuid, as_of=DEMO_DAY).ref == "C-0007"
    with pytest.raises(RecordNotFoundError):
        commitment_detail(demo_desk, "C-9999")


def test_a_retired_entry_leaves_the_history_and_the_status_follows(demo_desk, demo_records):
    demo_records.record_progress("C-0007", status="stalled", entry_date=DEMO_DAY)
    newest = commitment_detail(demo_desk, "C-0007", as_of=DEMO_DAY).history[0]
    assert newest.status is CommitmentStatus.STALLED
    demo_records.retire("status_entry", newest.uuid)
    detail = commitment_detail(demo_desk, "C-0007", as_of=DEMO_DAY)
    assert newest.uuid not in {entry.uuid for entry in detail.history}
    assert detail.status is CommitmentStatus.IN_PROGRESS


def test_revised_targets_are_marked_and_the_later_one_binds(demo_desk):
    detail = commitment_detail(demo_desk, "C-0041", as_of=DEMO_DAY)
    revised = {str(t.due): t.revised for t in detail.targets}
    assert revised == {"2023": True, "2025-07": False}
    assert detail.binding_target == PartialDate(2025, 7)
    assert detail.status is CommitmentStatus.STALLED
    assert detail.deadline.state is DeadlineState.LATE


def test_a_closed_commitment_is_never_late(demo_desk):
    detail = commitment_detail(demo_desk, "C-0001", as_of=DEMO_DAY)
    assert detail.status is CommitmentStatus.COMPLETED
    assert detail.deadline.state is DeadlineState.CLOSED


# -- gift baskets ------------------------------------------------------------------


def test_signatories_say_whether_we_are_listed_only_when_the_list_says_so(demo_desk):
    nssc = gift_basket_detail(demo_desk, "gb_2012_nssc")
    assert nssc.own_role is GiftBasketRole.SIGNATORY
    assert nssc.own_state == "NLD"
    (snapshot,) = nssc.snapshots
    assert (snapshot.member_count, snapshot.listed, snapshot.own_state_listed) == (23, 23, True)
    assert snapshot.sources
    assert snapshot.sources[0].url.startswith("http")
    # Six names and no count: a partial list, which never says "not listed".
    heu = gift_basket_detail(demo_desk, "gb_2016_heu_minimization")
    # ...while the complete list of INFCIRC/912 (30 Jan 2017) names the Netherlands.
    assert [(s.listed, s.own_state_listed) for s in heu.snapshots] == [(6, None), (21, True)]
    assert [s.member_list_complete for s in heu.snapshots] == [False, True]
    # The 2016 list (27 states and INTERPOL) names us; later counts with one name prove
    # nothing.
    insider = gift_basket_detail(demo_desk, "gb_2016_insider_threats")
    assert [s.own_state_listed for s in insider.snapshots] == [True, None, None]
    assert [str(s.snapshot_date) for s in insider.snapshots] == ["2016-04-01", "2020-02", "2021"]
    assert insider.snapshots[0].includes_organisations is True
    assert [
        s.own_state_listed for s in gift_basket_detail(demo_desk, "gb_2012_nlik").snapshots
    ] == [None]
    assert [p.code for p in insider.leads] == ["USA"]


def test_action_items_are_the_live_ones(demo_desk, demo_records):
    detail = gift_basket_detail(demo_desk, "gb_2012_nssc")
    assert [(i.ref, i.agency) for i in detail.action_items] == [
        ("A-0001", "DEF"),
        ("A-0002", "JUS"),
    ]
    demo_records.retire("action_item", "A-0001")
    assert [i.ref for i in gift_basket_detail(demo_desk, "gb_2012_nssc").action_items] == ["A-0002"]


# -- instruments -------------------------------------------------------------------


def test_catalogue_facts_and_their_sources(demo_desk):
    detail = instrument_detail(demo_desk, "cppnm_a", as_of=DEMO_DAY)
    facts = {f.label: f.value for f in detail.facts}
    assert facts["Joining mechanism"].startswith("Treaty")
    assert facts["Entered into force"] == "8 May 2016"
    assert facts["Depositary"] == "Director General of the IAEA"
    assert facts["Confidence"] == "High"
    assert "Opened for signature" not in facts  # no value: no line
    assert len(detail.sources) == 13  # the reference's, and the addendum's corrections'
    assert all(source.title for source in detail.sources)


def test_a_treaty_pipeline_runs_signature_domestic_steps_consent_deposit_force(demo_desk):
    detail = instrument_detail(demo_desk, "cppnm_a", as_of=DEMO_DAY)
    assert detail.assessment.status is ParticipationStatus.IN_FORCE
    kinds = [step.kind for step in detail.pipeline]
    assert kinds == [
        MilestoneKind.SIGNATURE,
        MilestoneKind.INTERAGENCY_REVIEW,
        MilestoneKind.CABINET_APPROVAL,
        MilestoneKind.PARLIAMENT_SUBMISSION,
        MilestoneKind.PARLIAMENT_APPROVAL,
        MilestoneKind.PROMULGATION,
        MilestoneKind.IMPLEMENTING_LEGISLATION,
        MilestoneKind.RATIFICATION,  # the consent step: no date of it is known
        MilestoneKind.DEPOSIT,
        MilestoneKind.ENTRY_INTO_FORCE,  # the depositary's fact, from the catalogue
    ]
    states = {step.kind: step.state for step in detail.pipeline}
    assert states[MilestoneKind.SIGNATURE] is StepState.NOT_PLANNED
    assert states[MilestoneKind.DEPOSIT] is StepState.NOT_PLANNED
    assert states[MilestoneKind.ENTRY_INTO_FORCE] is StepState.DONE
    assert states[MilestoneKind.CABINET_APPROVAL] is StepState.DONE
    assert states[MilestoneKind.IMPLEMENTING_LEGISLATION] is StepState.PLANNED
    assert all(step.expected for step in detail.pipeline)
    cabinet = next(s for s in detail.pipeline if s.kind is MilestoneKind.CABINET_APPROVAL)
    assert (str(cabinet.planned), str(cabinet.actual), cabinet.responsible_agency) == (
        "2007-03",
        "2007-05-04",
        "JUS",
    )


def test_a_step_planned_before_today_and_not_taken_is_late(demo_desk):
    later = date(2027, 2, 1)
    detail = instrument_detail(demo_desk, "cppnm_a", as_of=later)
    step = next(s for s in detail.pipeline if s.kind is MilestoneKind.IMPLEMENTING_LEGISLATION)
    assert step.state is StepState.LATE


def test_no_participation_yet_shows_the_expected_steps_empty(desk):
    detail = instrument_detail(desk, "cns", as_of=DEMO_DAY)  # no Dutch row in the catalogue
    assert detail.participation_uuid is None
    assert detail.retired_participation_uuid is None
    assert detail.milestones == ()
    assert detail.assessment.status is ParticipationStatus.NOT_PARTY
    assert {step.state for step in detail.pipeline} == {StepState.NOT_PLANNED}
    assert detail.pipeline[0].kind is MilestoneKind.SIGNATURE
    assert detail.pipeline[-1].kind is MilestoneKind.ENTRY_INTO_FORCE


def test_other_mechanisms_show_domestic_steps_only_when_taken(demo_desk):
    political = instrument_detail(demo_desk, "coc_disused", as_of=DEMO_DAY)
    assert [s.kind.value for s in political.pipeline] == [
        "interagency_review",
        "announcement",
        "note_verbale",
        "infcirc_circulation",
    ]
    reports = instrument_detail(demo_desk, "unscr_1540", as_of=DEMO_DAY)
    assert [s.state.value for s in reports.pipeline] == [
        "done",
        "done",
        "done",
        "planned",
        "not_planned",
    ]
    assert reports.pipeline[-1].kind is MilestoneKind.ACTION_PLAN


def test_steps_the_mechanism_does_not_expect_are_appended_by_date():
    def line(kind, actual=None, planned=None):
        return MilestoneLine(
            kind.value,
            kind,
            PartialDate.parse(planned) if planned else None,
            PartialDate.parse(actual) if actual else None,
            None,
            None,
        )

    steps = build_pipeline(
        JoiningMechanism.POLITICAL_COMMITMENT,
        [
            line(MilestoneKind.WITHDRAWAL, actual="2020"),
            line(MilestoneKind.NOTE_VERBALE, actual="2014-03"),
            line(MilestoneKind.CONTRIBUTION, planned="2019"),
        ],
        DEMO_DAY,
    )
    assert [(s.kind.value, s.expected, s.state.value) for s in steps] == [
        ("announcement", True, "not_planned"),
        ("note_verbale", True, "done"),
        ("infcirc_circulation", True, "not_planned"),
        ("contribution", False, "late"),
        ("withdrawal", False, "done"),
    ]


# -- agencies ----------------------------------------------------------------------


def test_an_agency_shows_contacts_commitments_led_and_items_due(demo_desk, demo_records):
    detail = agency_detail(demo_desk, "mfa", as_of=DEMO_DAY)
    assert detail.code == "MFA"
    assert [c.name for c in detail.contacts] == ["Anna Jansen", "Pieter Bakker"]
    assert detail.commitments_led == 16
    dues = [item.due.latest() for item in detail.items_due]
    assert dues == sorted(dues)
    assert {item.kind for item in detail.items_due} >= {"Commitment", "Action item", "Step"}
    late = [item for item in detail.items_due if item.late]
    assert late
    assert all(item.due.latest() < DEMO_DAY for item in late)
    assert "C-0001" not in {item.key for item in detail.items_due}  # completed
    demo_records.retire("agency_contact", detail.contacts[0].uuid)
    assert [c.name for c in agency_detail(demo_desk, "MFA").contacts] == ["Pieter Bakker"]
