"""The demo desk's ministries and agencies, each with an invented contact."""

from __future__ import annotations

from typing import TYPE_CHECKING

from nsdesk.services.setup.demo.content import ILLUSTRATIVE
from nsdesk.store import tables as t

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def add_agencies(demo: DemoBuilder) -> dict[str, int]:
    """The ministries and their contacts; ``code → id`` of the agencies."""
    demo.insert(
        t.agency,
        [
            {
                "code": a["code"],
                "name": a["name"],
                "kind": a["kind"],
                "notes": ILLUSTRATIVE,
                "sensitivity": "PUBLIC",
            }
            for a in demo.content["agencies"]
        ],
        lambda r: f"{r['code']} {r['name']}",
    )
    agencies = demo.ids(t.agency)
    demo.insert(
        t.agency_contact,
        [
            {
                "agency_id": agencies[c["agency"]],
                "name": c["name"],
                "role": c["role"],
                "email": f"{c['name'].split()[0].lower()}@demo.invalid",
                "notes": ILLUSTRATIVE,
            }
            for c in demo.content["contacts"]
        ],
        lambda r: f"contact {r['name']}",
    )
    return agencies
