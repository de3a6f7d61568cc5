"""The set fields of records: the many-to-many links a record holds (a commitment's
themes), each by the name the change log gives it — the key of its relationship in
the mapped classes — with the link table that holds it.

Declared here, beside the tables, so that what reads and writes changes with Core
(checking a changes file, merging one) knows them without declaring and configuring
the mapped classes: that took a sixth of a merge of 10,000 changes in a fresh
process, and a desk is shown without them (:mod:`nsdesk.store.tables`).
``tests/store/test_set_fields.py`` holds the mapped classes to this list: a
relationship through a link table that is missing here, or is here under another
name, fails it.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Table

from nsdesk.store import tables as t

SET_FIELDS: Mapping[str, Mapping[str, Table]] = {
    "commitment": {
        "contributing_agencies": t.commitment_agency,
        "themes": t.commitment_theme,
        "instruments": t.commitment_instrument,
        "gift_baskets": t.commitment_gift_basket,
    },
    "gift_basket": {"leads": t.gift_basket_lead, "themes": t.gift_basket_theme},
    "membership_snapshot": {"members": t.membership_snapshot_party},
    "theme": {"scheme_areas": t.theme_mapping},
    "scheme_area": {"themes": t.theme_mapping},
}
"""Table name -> set field -> the link table holding its members."""


def set_fields_of(table: Table) -> Mapping[str, Table]:
    """The set fields of ``table``'s records (none for most tables)."""
    return SET_FIELDS.get(str(table.name), {})
