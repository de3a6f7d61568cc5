from datetime import date

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import JoiningMechanism as J
from nsdesk.domain.enums import MilestoneKind as K
from nsdesk.domain.enums import ParticipationStatus as P
from nsdesk.domain.enums import Standing
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


# -- where any party stands on a date (the universalization view's reading) ----------


def standing(day, facts, listed=None, listed_as_of=None, mechanism=J.TREATY):
    from nsdesk.domain.participation import standing_on

    return standing_on(
        mechanism,
        facts,
        date.fromisoformat(day),
        listed,
        PartialDate.parse(listed_as_of) if listed_as_of else None,
    )


def test_a_deposited_consent_makes_a_party_a_signature_alone_a_signatory():
    facts = [
        fact(K.SIGNATURE, "2005-09-16"),
        fact(K.ACCEPTANCE, "2010-06-30"),
        fact(K.DEPOSIT, "2010-06-30"),
    ]
    assert standing("2005-01-01", facts).standing is Standing.OUTSIDE
    signed = standing("2008-01-01", facts)
    assert (signed.standing, str(signed.since)) == (Standing.SIGNATORY, "2005-09-16")
    party = standing("2010-06-30", facts)
    assert (party.standing, str(party.since)) == (Standing.PARTY, "2010-06-30")
    assert not party.undated
    # consent given at home but not deposited: not yet a party, as depositaries count
    pending = [fact(K.SIGNATURE, "2005-09-16"), fact(K.RATIFICATION, "2009-01-01")]
    assert standing("2009-06-01", pending).standing is Standing.SIGNATORY
    denounced = [*facts, fact(K.DENUNCIATION, "2020-01-01")]
    assert standing("2021-01-01", denounced).standing is Standing.OUTSIDE


def test_a_party_listed_without_a_date_counts_only_from_the_date_of_its_source():
    # Brazil and the CPPNM amendment: "recently the 129th" in March 2022, no date found.
    assert standing("2021-12-31", [], Standing.PARTY, "2022-03").standing is Standing.OUTSIDE
    assert standing("2022-03-15", [], Standing.PARTY, "2022-03").standing is Standing.OUTSIDE
    listed = standing("2022-04-01", [], Standing.PARTY, "2022-03")
    assert (listed.standing, str(listed.since), listed.undated) == (Standing.PARTY, "2022-03", True)
    # dated facts that say more win over the undated listing
    facts = [fact(K.ENTRY_INTO_FORCE, "2016-05-08")]
    dated = standing("2023-01-01", facts, Standing.PARTY, "2016-04")
    assert (dated.standing, dated.undated) == (Standing.PARTY, False)


def test_a_subscription_makes_a_party_to_a_political_commitment():
    facts = [fact(K.ANNOUNCEMENT, "2014-03-25"), fact(K.INFCIRC_CIRCULATION, "2014-10")]
    political = J.POLITICAL_COMMITMENT
    assert standing("2014-06-01", facts, mechanism=political).standing is Standing.OUTSIDE
    assert standing("2015-01-01", facts, mechanism=political).standing is Standing.PARTY


def test_a_partial_list_never_says_we_are_not_listed():
    from nsdesk.domain.derived import own_state_listed

    us, others = 1, {2, 3, 4}
    assert own_state_listed({*others, us}, 4, us) is True
    assert own_state_listed(others, 3, us) is False  # as long as its count: whole
    assert own_state_listed(others, 3, us, complete=False) is None  # said to be partial
    assert own_state_listed(others, 30, us) is None  # shorter than its count
    assert own_state_listed(others, None, us) is None  # no count to compare with
    assert own_state_listed(others, None, us, complete=True) is False
    assert own_state_listed(set(), 28, us) is None  # no list at all
