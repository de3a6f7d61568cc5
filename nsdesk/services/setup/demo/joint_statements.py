"""The demo desk's part in the real joint statements ("gift baskets"): its role,
taken from the catalogue's signatory lists, and its action items under them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus, GiftBasketRole
from nsdesk.services.setup.demo.content import ILLUSTRATIVE, pick
from nsdesk.store import tables as t
from nsdesk.store.ids import new_uuid

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def take_gift_basket_roles(demo: DemoBuilder) -> list[tuple[int, str]]:
    """The desk's role in each joint statement, from the catalogue's lists."""
    state = demo.info.own_state_code
    table = t.gift_basket
    rows = {r.code: r for r in demo.conn.execute(select(table.c.code, table.c.id, table.c.uuid))}
    roles, audit = [], []
    for basket in demo.catalogue["gift_baskets"]:
        members = {code for s in basket["snapshots"] for code in s["members"]}
        if state in basket["leads"]:
            role = GiftBasketRole.LEAD
        elif state in members:
            role = GiftBasketRole.SIGNATORY
        else:
            continue
        row = rows[basket["code"]]
        demo.conn.execute(
            table.update()
            .where(table.c.id == row.id)
            .values(own_role=role, own_role_note="Role taken from the catalogue's signatory lists.")
        )
        roles.append((row.id, basket["code"]))
        audit.append(
            {
                "uuid": new_uuid(),
                "at": datetime.now(UTC),
                "actor": demo.ctx.actor.name,
                "channel": demo.ctx.actor.channel,
                "action": "update",
                "record_table": "gift_basket",
                "record_uuid": row.uuid,
                "record_label": basket["title"][:200],
                "field": "own_role",
                "old_value": GiftBasketRole.NONE.value,
                "new_value": role.value,
                "operation_id": demo.ctx.operation_id,
                "note": demo.ctx.note,
            }
        )
    if audit:
        demo.conn.execute(t.audit_entry.insert(), audit)
    return roles


def add_action_items(demo: DemoBuilder) -> int:
    """Two action items per joint statement the desk plays a role in (per scale); returns the next
    action item number."""
    rows = []
    number = 0
    templates = demo.content["action_items"]
    agencies = list(demo.agencies.values())
    for copy in range(demo.scale):
        for basket_id, _code in demo.baskets:
            for title in demo.rng.sample(templates, 2):
                number += 1
                status = pick(
                    demo.rng,
                    (
                        (CommitmentStatus.COMPLETED, 0.5),
                        (CommitmentStatus.IN_PROGRESS, 0.3),
                        (CommitmentStatus.PLEDGED, 0.2),
                    ),
                )
                due = demo.today + timedelta(days=demo.rng.randint(-400, 300))
                rows.append(
                    {
                        "ref": f"A-{number:04d}",
                        "gift_basket_id": basket_id,
                        "title": title if copy == 0 else f"{title} (demo set {copy + 1})",
                        "agency_id": demo.rng.choice(agencies),
                        "due": PartialDate.of(due),
                        "status": status,
                        "notes": ILLUSTRATIVE,
                        "sensitivity": demo.sensitivity(),
                    }
                )
    demo.insert(t.action_item, rows, lambda r: f"{r['ref']} {r['title']}")
    return number + 1
