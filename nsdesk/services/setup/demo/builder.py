"""The demo generator: what every part shares (the connection, the seeded random
numbers, the ids written so far) and the order the parts are written in."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select

from nsdesk.services.audit import AuditContext, creation_rows
from nsdesk.services.desk import DeskInfo
from nsdesk.services.overview.baselines import freeze_baseline
from nsdesk.services.progress import Progress
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.services.setup.demo.agencies import add_agencies
from nsdesk.services.setup.demo.commitments import add_commitments
from nsdesk.services.setup.demo.content import SENSITIVITY_SHARES, DemoContent, pick
from nsdesk.services.setup.demo.instruments import add_participations, add_reporting
from nsdesk.services.setup.demo.joint_statements import add_action_items, take_gift_basket_roles
from nsdesk.services.setup.demo.meetings import add_demo_events, add_documents
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuids
from nsdesk.store.types import code_point_order


class DemoBuilder:
    """Writes the demo content into a new desk, inside its creating transaction."""

    def __init__(
        self,
        connection: Connection,
        ctx: AuditContext,
        info: DeskInfo,
        *,
        scale: int,
        seed: int,
        today: date,
        content: DemoContent,
        catalogue: Catalogue,
    ):
        self.conn = connection
        self.ctx = ctx
        self.info = info
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today
        self.content = content.data
        self.catalogue = catalogue.data
        self.catalogue_events = {e["code"]: e for e in catalogue.data["events"]}
        self.levels = set(info.marking.codes)
        # ``code → id`` of what the parts have written, for the parts that link to it.
        self.agencies: dict[str, int] = {}
        self.events: dict[str, int] = {}
        self.documents: dict[str, int] = {}
        self.themes: dict[str, int] = {}
        self.instruments: dict[str, int] = {}
        #: (id, code) of the joint statements the desk plays a role in.
        self.baskets: list[tuple[int, str]] = []

    def ids(self, table: Table, key: str = "code") -> dict[str, int]:
        """``key → id`` of every row of ``table``, in code-point order of the key (random
        choices are made from these: an order of the database's own would give another
        demo on another kind of desk)."""
        query = select(table.c[key], table.c.id).order_by(code_point_order(table.c[key]))
        return dict(self.conn.execute(query).all())

    def insert(
        self, table: Table, rows: list[dict[str, Any]], label: Callable[[dict[str, Any]], str]
    ) -> None:
        """Insert rows (each gets a UUID) and one audit entry per row."""
        if not rows:
            return
        for row, fresh in zip(rows, new_uuids(len(rows)), strict=True):
            row.setdefault("uuid", fresh)
            if "sensitivity" in table.c:
                row.setdefault("sensitivity", self.info.default_sensitivity)
        insert_rows(self.conn, table, rows)
        insert_rows(
            self.conn,
            t.audit_entry,
            creation_rows(self.ctx, table.name, ((r["uuid"], label(r), None) for r in rows)),
        )

    def sensitivity(self) -> str:
        """A marking drawn by the demo's shares (the desk's default if it lacks the level)."""
        level = pick(self.rng, SENSITIVITY_SHARES)
        return level if level in self.levels else self.info.default_sensitivity

    def build(self, progress: Progress | None = None) -> None:
        """Write every section, reporting as it goes; stops between sections (and
        between sets of commitments) when cancelled."""
        progress = progress or Progress.none()

        def step(done: int, text: str) -> None:
            progress.check_cancelled()
            progress.report(done, 10, text)

        step(0, "Adding ministries, meetings and documents")
        self.agencies = add_agencies(self)
        self.events = add_demo_events(self)
        self.documents = add_documents(self)
        self.themes = self.ids(t.theme)
        self.instruments = self.ids(t.instrument)
        step(1, "Adding the joint statements")
        self.baskets = take_gift_basket_roles(self)
        step(2, "Adding commitments and their histories")
        next_commitment = add_commitments(self, progress.part(2, 7, 10))
        step(7, "Adding action items")
        next_action = add_action_items(self)
        step(8, "Adding participation and reporting")
        add_participations(self)
        add_reporting(self)
        self.conn.execute(
            t.sequence_counter.insert(),
            [
                {"name": "C", "next_value": next_commitment},
                {"name": "A", "next_value": next_action},
            ],
        )
        step(9, "Freezing the baseline")
        freeze_baseline(
            self.conn,
            self.ctx,
            name="As reported at The Hague 2014",
            as_of=date(2014, 3, 24),
            event_id=self.events.get("nss2014"),
            description="The register as it stood at the opening of the 2014 summit.",
        )
        progress.report(10, 10, "Demo content added")
