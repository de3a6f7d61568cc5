"""The demo desk's meetings: invented ones to come, and the own state's national
statements at the real summits."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.services.setup.demo.content import ILLUSTRATIVE
from nsdesk.store import tables as t

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def add_demo_events(demo: DemoBuilder) -> dict[str, int]:
    """The invented meetings to come, dated from the day the demo is made; ``code → id`` of every
    event."""
    rows = []
    for e in demo.content["events"]:
        start = demo.today + timedelta(days=e["start_in_days"])
        end = start + timedelta(days=e["duration_days"] - 1)
        rows.append(
            {
                "code": e["code"],
                "kind": e["kind"],
                "name": e["name"],
                "start_date": PartialDate.of(start),
                "end_date": PartialDate.of(end),
                "city": e["city"],
                "notes": ILLUSTRATIVE,
                "sensitivity": "INTERNAL",
            }
        )
    demo.insert(t.event, rows, lambda r: r["name"])
    return demo.ids(t.event)


def add_documents(demo: DemoBuilder) -> dict[str, int]:
    """The own state's national statement at each summit; ``summit code → id``."""
    end_dates = {e["code"]: e["end_date"] for e in demo.catalogue["events"]}
    rows = [
        {
            "kind": d["kind"],
            "title": d["title"],
            "event_id": demo.events[d["key"]],
            "issued_by_party_id": demo.info.own_state_id,
            "issued_on": PartialDate.parse(end_dates[d["key"]]),
            "sensitivity": "PUBLIC",
            "text": ILLUSTRATIVE,
        }
        for d in demo.content["documents"]
    ]
    demo.insert(t.document, rows, lambda r: r["title"])
    table = t.document
    by_title = dict(demo.conn.execute(select(table.c.title, table.c.id)).all())
    return {d["key"]: by_title[d["title"]] for d in demo.content["documents"]}
