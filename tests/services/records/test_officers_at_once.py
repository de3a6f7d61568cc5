"""Several officers on one server register at once, each a real process with its own
connection: references are never handed out twice, a field two officers save is one
conflict said and nothing lost, different fields are both kept."""

from __future__ import annotations

import json
import subprocess

import pytest

from nsdesk.domain.enums import Channel
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
from tests.support.desks import raw_query
from tests.support.processes import python, wait_for

pytestmark = pytest.mark.server_desk

OFFICERS = 8
EACH = 5

# One officer: opens the register, says "ready", waits for "go" on its standard input
# (so every officer starts at once), creates EACH commitments, prints their references.
CREATE_AT_ONCE = """
import json, sys
from nsdesk.domain.enums import Channel
from nsdesk.domain.location import parse_address
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
officer, each = sys.argv[2], int(sys.argv[3])
with open_desk(parse_address(sys.argv[1])) as desk:
    records = RecordService(desk, Actor(officer, Channel.TYPED))
    records.identify("agency", "MFA")  # connected and warm before the start
    print("ready", flush=True)
    sys.stdin.readline()
    made = [records.create("commitment", {"title": f"{officer} no. {n}"}).key for n in range(each)]
print(json.dumps(made), flush=True)
"""


def _start_together(children: list[subprocess.Popen]) -> None:
    for child in children:
        wait_for(child, "ready", timeout=120)
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()


def test_eight_officers_creating_at_once_never_get_the_same_reference(demo_desk_location):
    before = raw_query(demo_desk_location, "SELECT COUNT(*) FROM commitment")[0][0]
    children = [
        python(CREATE_AT_ONCE, str(demo_desk_location), f"officer{n}", str(EACH), stdin=True)
        for n in range(OFFICERS)
    ]
    try:
        _start_together(children)
        made = []
        for child in children:
            out, err = child.communicate(timeout=180)
            assert child.returncode == 0, err
            made += json.loads(out.strip().splitlines()[-1])
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    assert len(made) == len(set(made)) == OFFICERS * EACH
    # Numbers follow on from the register's, none skipped: every officer's saves landed.
    assert sorted(made) == [f"C-{n:04d}" for n in range(before + 1, before + 1 + len(made))]
    titles = raw_query(demo_desk_location, "SELECT title FROM commitment")
    assert sum(1 for (title,) in titles if " no. " in title) == OFFICERS * EACH


def test_an_undo_never_overwrites_another_officers_later_change(desk):
    """Ctrl+Z puts back what was there only if the field still holds what the step
    wrote: on a server, after another officer's save, it is refused saying whose."""
    from nsdesk.domain.errors import FieldChangedError

    alice = RecordService(desk, Actor("alice", Channel.TYPED))
    with open_desk(desk.location) as elsewhere:  # Bob's own session and connection
        bob = RecordService(elsewhere, Actor("bob", Channel.TYPED))
        ref = alice.create("commitment", {"title": "Ratify the amendment"})
        previous = alice.update("commitment", ref.key, {"title": "Alice's title"})
        bob.update("commitment", ref.key, {"title": "Bob's title"})
        with pytest.raises(FieldChangedError) as refused:  # Alice's undo
            alice.update("commitment", ref.key, previous, expected={"title": "Alice's title"})
    assert "changed by bob" in str(refused.value)
    assert alice.values("commitment", ref.key)["title"] == "Bob's title"


# One officer saving one field of C-0007 as their editor showed it: reads the record
# (what the editor shows), says "ready", waits for "go", saves expecting what it read.
SAVE_A_FIELD = """
import json, sys
from nsdesk.domain.enums import Channel
from nsdesk.domain.errors import FieldChangedError
from nsdesk.domain.location import parse_address
from nsdesk.services.audit import Actor
from nsdesk.services.desk import open_desk
from nsdesk.services.records.record_service import RecordService
officer, field, value = sys.argv[2:5]
with open_desk(parse_address(sys.argv[1])) as desk:
    records = RecordService(desk, Actor(officer, Channel.TYPED))
    shown = records.values("commitment", "C-0007")[field]
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        records.update("commitment", "C-0007", {field: value}, expected={field: shown})
        said = {"saved": True}
    except FieldChangedError as error:
        said = {"saved": False, "refusal": str(error)}
print(json.dumps(said), flush=True)
"""


def _officers_save(location, *saves: tuple[str, str, str]) -> dict[str, dict]:
    children = {
        officer: python(SAVE_A_FIELD, str(location), officer, field, value, stdin=True)
        for officer, field, value in saves
    }
    try:
        _start_together(list(children.values()))
        said = {}
        for officer, child in children.items():
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, err
            said[officer] = json.loads(out.strip().splitlines()[-1])
        return said
    finally:
        for child in children.values():
            if child.poll() is None:
                child.kill()


def test_two_officers_saving_the_same_field_one_is_saved_the_other_told_whose(
    demo_desk_location,
):
    said = _officers_save(
        demo_desk_location,
        ("alice", "title", "Alice's title"),
        ("bob", "title", "Bob's title"),
    )
    saved = [officer for officer, what in said.items() if what["saved"]]
    assert len(saved) == 1, said  # one conflict, whichever committed second
    [winner] = saved
    loser = "bob" if winner == "alice" else "alice"
    refusal = said[loser]["refusal"]
    assert f"changed by {winner}" in refusal
    assert "nothing was changed" in refusal
    kept = raw_query(demo_desk_location, "SELECT title FROM commitment WHERE ref = 'C-0007'")
    assert kept == [(f"{winner.capitalize()}'s title",)]
    # Nothing lost: the winner's change is in the history, the loser wrote nothing.
    actors = raw_query(
        demo_desk_location,
        "SELECT actor FROM audit_entry WHERE field = 'title' AND actor IN ('alice', 'bob')",
    )
    assert actors == [(winner,)]


def test_two_officers_saving_different_fields_of_one_record_are_both_kept(demo_desk_location):
    said = _officers_save(
        demo_desk_location,
        ("alice", "title", "Alice's title"),
        ("bob", "next_steps", "Report in March"),
    )
    assert said == {"alice": {"saved": True}, "bob": {"saved": True}}
    assert raw_query(
        demo_desk_location, "SELECT title, next_steps FROM commitment WHERE ref = 'C-0007'"
    ) == [("Alice's title", "Report in March")]
