from datetime import date

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import JoiningMechanism as J
from nsdesk.domain.enums import MilestoneKind as K
from nsdesk.domain.enums import ParticipationStatus as P
from nsdesk.domain.participation import MilestoneFact, derive_participation_status


def fact(kind, actual=None, planned=None):
    return MilestoneFact(
        kind,
        PartialDate.parse(actual) if actual else None,
        PartialDate.parse(planned) if planned else None,
    )


TREATY = [
    fact(K.SIGNATURE, "2005-09-14"),
    fact(K.CABINET_APPROVAL, "2009-02-13", "2008-01"),
    fact(K.PARLIAMENT_APPROVAL, "2010-03-25"),
    fact(K.RATIFICATION, "2010-05-21"),
    fact(K.DEPOSIT, "2010-05-21"),
    fact(K.ENTRY_INTO_FORCE, "2010-06-20"),
]


def status_on(day, facts=TREATY, mechanism=J.TREATY):
    return derive_participation_status(mechanism, facts, date.fromisoformat(day))


def test_a_treaty_status_follows_the_dated_milestones():
    assert status_on("2004-01-01").status is P.NOT_PARTY
    assert status_on("2009-06-01").status is P.SIGNED
    assert status_on("2010-06-01").status is P.DEPOSITED
    in_force = status_on("2020-01-01")
    assert in_force.status is P.IN_FORCE
    assert str(in_force.since) == "2010-06-20"


def test_domestic_steps_never_change_the_status_but_show_the_next_step():
    facts = [
        fact(K.SIGNATURE, "2005-09-14"),
        fact(K.PARLIAMENT_APPROVAL, "2026-06-01"),
        fact(K.RATIFICATION, planned="2027-01"),
    ]
    result = status_on("2026-11-22", facts)
    assert result.status is P.SIGNED
    assert result.next_step.kind is K.RATIFICATION


def test_ratified_but_not_yet_deposited_is_its_own_state():
    facts = [fact(K.ACCEPTANCE, "2008-12-01"), fact(K.DEPOSIT, planned="2009-01")]
    assert status_on("2008-12-15", facts).status is P.RATIFIED_PENDING_DEPOSIT


def test_a_later_denunciation_ends_participation_and_a_later_accession_resumes_it():
    facts = [*TREATY, fact(K.DENUNCIATION, "2020-01-01")]
    assert status_on("2021-01-01", facts).status is P.DENOUNCED
    facts.append(fact(K.ACCESSION, "2022-01-01"))
    assert status_on("2023-01-01", facts).status is not P.DENOUNCED


def test_political_commitments_climb_from_announcement_to_subscription():
    facts = [fact(K.ANNOUNCEMENT, "2014-03-25"), fact(K.NOTE_VERBALE, "2014-06-01")]
    mech = J.POLITICAL_COMMITMENT
    assert status_on("2014-04-01", facts, mech).status is P.ANNOUNCED
    assert status_on("2014-07-01", facts, mech).status is P.NOTE_VERBALE_SENT
    facts.append(fact(K.INFCIRC_CIRCULATION, "2014-10"))
    assert status_on("2015-01-01", facts, mech).status is P.SUBSCRIBED


def test_obligations_on_all_states_report_the_latest_national_report():
    facts = [fact(K.NATIONAL_REPORT, "2004-10-28"), fact(K.NATIONAL_REPORT, "2019-03-15")]
    result = status_on("2026-01-01", facts, J.OBLIGATION_ON_ALL_STATES)
    assert result.status is P.REPORTED
    assert str(result.since) == "2019-03-15"
    assert status_on("2000-01-01", facts, J.OBLIGATION_ON_ALL_STATES).status is P.NO_REPORT
