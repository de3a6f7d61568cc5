"""The set fields the change log and a merge know (nsdesk.store.set_fields) are exactly
the mapped classes' relationships through a link table, by the same names: a set
added to a mapped class and not declared there would be refused in every changes
file that carried it, and one declared under another name would never merge."""

from __future__ import annotations

import subprocess
import sys

from nsdesk.store.set_fields import SET_FIELDS


def test_the_declared_set_fields_are_the_mapped_classes_many_to_many_relationships():
    from nsdesk.store import models  # noqa: F401 - registers every mapped class
    from nsdesk.store.base import Base

    mapped = {
        (str(mapper.local_table.name), str(rel.key)): rel.secondary
        for mapper in Base.registry.mappers
        for rel in mapper.relationships
        if rel.secondary is not None
    }
    declared = {
        (table, name): link for table, fields in SET_FIELDS.items() for name, link in fields.items()
    }
    assert declared == mapped


def test_checking_and_merging_changes_needs_no_mapped_class():
    """What a merge reads a file with knows every set without loading the ORM (a desk
    is shown, and a merge of a file of field edits runs, without it)."""
    code = (
        "import sys\n"
        "from nsdesk.services.merge.change_schema import change_schema\n"
        "from nsdesk.services.merge.codec import codecs\n"
        "assert 'themes' in change_schema().tables['commitment']\n"
        "assert codecs()['commitment'].sets['themes'].target.name == 'theme'\n"
        "print('nsdesk.store.models' in sys.modules)\n"
    )
    said = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert said.strip() == "False"
