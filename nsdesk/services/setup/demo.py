"""The demo desk: a realistic register, clearly labelled DEMO.

Built on the real catalogue, for the Netherlands, from the content in
``resources/demo/content.json``: some sixty commitments across the themes (one of
them a real, sourced commitment; the others invented and marked illustrative),
with histories from the summits to the present, targets of which some are late
and some at risk on the day the demo is made, roles in the real joint statements
(taken from the catalogue's signatory lists), participation in the real
instruments with domestic milestones, ministries with contacts, reporting duties,
upcoming (invented) meetings, and a baseline "as reported at The Hague 2014".

``scale`` multiplies the commitments, their histories and the action items
(scale 100: about 6,000 commitments and 60,000 history entries). Everything is
written with SQLAlchemy Core in the desk's creating transaction, with one audit
entry per record, so even scale 100 takes seconds. The same seed on the same day
gives the same desk.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select

from nsdesk import locations
from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    Channel,
    CommitmentStatus,
    EvidenceQuality,
    GiftBasketRole,
    MilestoneKind,
    Priority,
)
from nsdesk.services.audit import Actor, AuditContext, creation_rows
from nsdesk.services.desk import DeskInfo
from nsdesk.services.overview.baselines import freeze_baseline
from nsdesk.services.progress import Progress
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.services.setup.catalogue_merge import CatalogueReport
from nsdesk.services.setup.new_desk import create_desk
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuid, new_uuids

DEMO_STATE = "NLD"
ILLUSTRATIVE = "Illustrative demo content (DEMO desk)."

# Which instruments a commitment on a theme concerns.
THEME_INSTRUMENTS = {
    "cppnm_cppnma_adherence": ["cppnm", "cppnm_a"],
    "icsant_adherence": ["icsant"],
    "unscr_1540_implementation": ["unscr_1540"],
    "iaea_nsf_contributions": ["nsf"],
    "ippas_and_peer_review": ["ippas"],
    "iaea_guidance_implementation_infcirc225_869": ["infcirc_225_rev5", "infcirc_869"],
    "radioactive_source_security": ["code_of_conduct"],
    "architecture_follow_up_nscg": ["nscg"],
}

# (final status, share of commitments, whether it passes through partial completion)
TRAJECTORIES: tuple[tuple[CommitmentStatus, float], ...] = (
    (CommitmentStatus.COMPLETED, 0.42),
    (CommitmentStatus.IN_PROGRESS, 0.18),
    (CommitmentStatus.ONGOING, 0.08),
    (CommitmentStatus.STALLED, 0.08),
    (CommitmentStatus.PARTIALLY_COMPLETED, 0.10),
    (CommitmentStatus.PLEDGED, 0.05),
    (CommitmentStatus.SUPERSEDED, 0.03),
    (CommitmentStatus.WITHDRAWN, 0.02),
    (CommitmentStatus.UNKNOWN, 0.04),
)
_ACTIVE = frozenset(
    {CommitmentStatus.IN_PROGRESS, CommitmentStatus.ONGOING, CommitmentStatus.PARTIALLY_COMPLETED}
)
SENSITIVITY_SHARES = (
    ("PUBLIC", 0.25),
    ("INTERNAL", 0.55),
    ("RESTRICTED", 0.15),
    ("CONFIDENTIAL", 0.05),
)


@dataclass(frozen=True)
class DemoContent:
    data: dict[str, Any]

    @classmethod
    def shipped(cls) -> DemoContent:
        path = locations.resources_dir() / "demo" / "content.json"
        return cls(json.loads(path.read_text("utf-8")))


def _pick(rng: random.Random, shares: Iterable[tuple[Any, float]]) -> Any:
    items = list(shares)
    return rng.choices([v for v, _ in items], weights=[w for _, w in items])[0]


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
        self.levels = set(info.marking.codes)

    # -- helpers -------------------------------------------------------------------
    def ids(self, table: Table, key: str = "code") -> dict[str, int]:
        return dict(self.conn.execute(select(table.c[key], table.c.id)).all())

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
        level = _pick(self.rng, SENSITIVITY_SHARES)
        return level if level in self.levels else self.info.default_sensitivity

    # -- sections --------------------------------------------------------------------
    def build(self, progress: Progress | None = None) -> None:
        """Write every section, reporting as it goes; stops between sections (and
        between sets of commitments) when cancelled."""
        progress = progress or Progress.none()

        def step(done: int, text: str) -> None:
            progress.check_cancelled()
            progress.report(done, 10, text)

        step(0, "Adding ministries, meetings and documents")
        self.agencies = self._agencies()
        self.events = self.ids(t.event)
        self._demo_events()
        self.documents = self._documents()
        self.themes = self.ids(t.theme)
        self.instruments = self.ids(t.instrument)
        step(1, "Adding the joint statements")
        self.baskets = self._gift_basket_roles()
        step(2, "Adding commitments and their histories")
        self._commitments(progress.part(2, 7, 10))
        step(7, "Adding action items")
        self._action_items()
        step(8, "Adding participation and reporting")
        self._participations()
        self._reporting()
        self.conn.execute(
            t.sequence_counter.insert(),
            [
                {"name": "C", "next_value": self.next_commitment},
                {"name": "A", "next_value": self.next_action},
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

    def _agencies(self) -> dict[str, int]:
        self.insert(
            t.agency,
            [
                {"code": a["code"], "name": a["name"], "kind": a["kind"], "sensitivity": "PUBLIC"}
                for a in self.content["agencies"]
            ],
            lambda r: f"{r['code']} {r['name']}",
        )
        agencies = self.ids(t.agency)
        self.insert(
            t.agency_contact,
            [
                {
                    "agency_id": agencies[c["agency"]],
                    "name": c["name"],
                    "role": c["role"],
                    "email": f"{c['name'].split()[0].lower()}@demo.invalid",
                    "notes": ILLUSTRATIVE,
                }
                for c in self.content["contacts"]
            ],
            lambda r: f"contact {r['name']}",
        )
        return agencies

    def _demo_events(self) -> None:
        rows = []
        for e in self.content["events"]:
            start = self.today + timedelta(days=e["start_in_days"])
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
        self.insert(t.event, rows, lambda r: r["name"])
        self.events = self.ids(t.event)

    def _documents(self) -> dict[str, int]:
        end_dates = {e["code"]: e["end_date"] for e in self.catalogue["events"]}
        rows = [
            {
                "kind": d["kind"],
                "title": d["title"],
                "event_id": self.events[d["key"]],
                "issued_by_party_id": self.info.own_state_id,
                "issued_on": PartialDate.parse(end_dates[d["key"]]),
                "sensitivity": "PUBLIC",
                "text": ILLUSTRATIVE,
            }
            for d in self.content["documents"]
        ]
        self.insert(t.document, rows, lambda r: r["title"])
        table = t.document
        by_title = dict(self.conn.execute(select(table.c.title, table.c.id)).all())
        return {d["key"]: by_title[d["title"]] for d in self.content["documents"]}

    def _gift_basket_roles(self) -> list[tuple[int, str]]:
        """The desk's role in each joint statement, from the catalogue's lists."""
        state = self.info.own_state_code
        table = t.gift_basket
        rows = {
            r.code: r for r in self.conn.execute(select(table.c.code, table.c.id, table.c.uuid))
        }
        roles, audit = [], []
        for basket in self.catalogue["gift_baskets"]:
            members = {code for s in basket["snapshots"] for code in s["members"]}
            if state in basket["leads"]:
                role = GiftBasketRole.LEAD
            elif state in members:
                role = GiftBasketRole.SIGNATORY
            else:
                continue
            row = rows[basket["code"]]
            self.conn.execute(
                table.update()
                .where(table.c.id == row.id)
                .values(
                    own_role=role, own_role_note="Role taken from the catalogue's signatory lists."
                )
            )
            roles.append((row.id, basket["code"]))
            audit.append(
                {
                    "uuid": new_uuid(),
                    "at": datetime.now(UTC),
                    "actor": self.ctx.actor.name,
                    "channel": self.ctx.actor.channel,
                    "action": "update",
                    "record_table": "gift_basket",
                    "record_uuid": row.uuid,
                    "record_label": basket["title"][:200],
                    "field": "own_role",
                    "old_value": GiftBasketRole.NONE.value,
                    "new_value": role.value,
                    "operation_id": self.ctx.operation_id,
                    "note": self.ctx.note,
                }
            )
        if audit:
            self.conn.execute(t.audit_entry.insert(), audit)
        return roles

    def _commitments(self, progress: Progress) -> None:
        templates = self.content["commitments"]
        summits = {e["code"]: e for e in self.catalogue["events"]}
        basket_themes = self._basket_themes()
        commitments, links, histories, targets, revisions = [], [], [], [], []
        number = 0
        for copy in range(self.scale):
            progress.check_cancelled()
            progress.report(copy, self.scale + 1, "Adding commitments and their histories")
            for index, template in enumerate(templates):
                number += 1
                ref = f"C-{number:04d}"
                real = copy == 0 and index in {r["index"] for r in self.content["real_commitments"]}
                pledged = date.fromisoformat(summits[template["summit"]]["end_date"])
                status = CommitmentStatus.COMPLETED if real else _pick(self.rng, TRAJECTORIES)
                commitments.append(
                    self._commitment_row(ref, template, copy, index, pledged, status, real)
                )
                links.append((ref, template, basket_themes))
                history = self._history(ref, pledged, status, real)
                histories.extend(history)
                targets.extend(self._targets(ref, pledged, status, history, revisions))
        self.next_commitment = number + 1
        progress.report(self.scale, self.scale + 1, "Saving commitments and their histories")
        self.insert(t.commitment, commitments, lambda r: f"{r['ref']} {r['title']}")
        refs = self.ids(t.commitment, "ref")
        self._commitment_links(refs, links)
        for row in histories:
            row["commitment_id"] = refs[row.pop("ref")]
        self.insert(t.status_entry, histories, lambda r: f"history {r['entry_date']} {r['status']}")
        for row in targets:
            row["commitment_id"] = refs[row.pop("ref")]
        self.insert(t.target, targets, lambda r: f"target {r['due']}")
        if revisions:
            by_uuid = dict(self.conn.execute(select(t.target.c.uuid, t.target.c.id)).all())
            for row in revisions:
                row["commitment_id"] = refs[row.pop("ref")]
                row["revises_id"] = by_uuid[row.pop("revises_uuid")]
            self.insert(t.target, revisions, lambda r: f"revised target {r['due']}")
        self._cite_real_commitments(refs)

    def _commitment_row(
        self,
        ref: str,
        template: dict[str, Any],
        copy: int,
        index: int,
        pledged: date,
        status: CommitmentStatus,
        real: bool,
    ) -> dict[str, Any]:
        title = template["title"] if copy == 0 else f"{template['title']} (demo set {copy + 1})"
        open_item = not status.is_closed
        return {
            "ref": ref,
            "title": title,
            "text": template["text"],
            "origin_event_id": self.events[template["summit"]],
            "origin_document_id": self.documents[template["summit"]],
            "origin_clause": f"para {index % 15 + 1}",
            "pledged_on": PartialDate.of(pledged),
            "lead_agency_id": self.agencies[template["lead"]],
            "priority": _pick(
                self.rng, ((Priority.HIGH, 0.25), (Priority.MEDIUM, 0.55), (Priority.LOW, 0.2))
            ),
            "next_steps": (
                f"{template['lead']} to report progress to the sherpa team before the next meeting."
            )
            if open_item
            else None,
            "talking_points": (
                "We delivered on this commitment and remain ready to share our experience."
                if status is CommitmentStatus.COMPLETED
                else "Work continues; we expect to report further progress at the next meeting."
            ),
            "notes": "Real public commitment; see its sources." if real else ILLUSTRATIVE,
            "sensitivity": "PUBLIC" if real else self.sensitivity(),
        }

    def _basket_themes(self) -> dict[str, list[int]]:
        """Gift baskets the desk plays a role in, by theme."""
        by_theme: dict[str, list[int]] = {}
        codes = dict(self.baskets)
        for basket in self.catalogue["gift_baskets"]:
            basket_id = next((i for i, c in codes.items() if c == basket["code"]), None)
            if basket_id is None:
                continue
            for theme in basket["themes"]:
                by_theme.setdefault(theme, []).append(basket_id)
        return by_theme

    def _commitment_links(
        self, refs: dict[str, int], links: list[tuple[str, dict[str, Any], dict[str, list[int]]]]
    ) -> None:
        themes, agencies, instruments, baskets = [], [], [], []
        for ref, template, basket_themes in links:
            cid = refs[ref]
            themes.append({"commitment_id": cid, "theme_id": self.themes[template["theme"]]})
            agencies.extend(
                {"commitment_id": cid, "agency_id": self.agencies[code]}
                for code in template["contributing"]
            )
            instruments.extend(
                {"commitment_id": cid, "instrument_id": self.instruments[code]}
                for code in THEME_INSTRUMENTS.get(template["theme"], [])
            )
            baskets.extend(
                {"commitment_id": cid, "gift_basket_id": basket_id}
                for basket_id in basket_themes.get(template["theme"], [])[:1]
            )
        for table, rows in (
            (t.commitment_theme, themes),
            (t.commitment_agency, agencies),
            (t.commitment_instrument, instruments),
            (t.commitment_gift_basket, baskets),
        ):
            insert_rows(self.conn, table, rows)

    def _history(
        self, ref: str, pledged: date, final: CommitmentStatus, real: bool
    ) -> list[dict[str, Any]]:
        narratives = self.content["narratives"]
        last_day = self.today - timedelta(days=7)
        entries = [
            (pledged, CommitmentStatus.PLEDGED, "Recorded as pledged in the national statement.")
        ]
        if real:
            entries += [
                (
                    date(2011, 2, 15),
                    CommitmentStatus.IN_PROGRESS,
                    "White paper on nuclear forensics in preparation with partners.",
                ),
                (
                    date(2012, 3, 27),
                    CommitmentStatus.COMPLETED,
                    "White Paper presented at Marrakech (Feb 2012) and by the Prime Minister at "
                    "Seoul 2012; became the 'Forensics in Nuclear Security' project.",
                ),
            ]
        elif final is not CommitmentStatus.PLEDGED:
            span = max((last_day - pledged).days, 30)
            steps = self.rng.randint(7, 14)
            if final in _ACTIVE:  # a live item has been reported on lately
                end = last_day - timedelta(days=self.rng.randint(0, 240))
            else:
                end = pledged + timedelta(days=int(span * self.rng.uniform(0.35, 0.95)))
            moments = sorted(
                pledged + timedelta(days=self.rng.randint(20, max((end - pledged).days, 21)))
                for _ in range(steps - 1)
            )
            path = [CommitmentStatus.IN_PROGRESS] * (steps - 2)
            if final in (CommitmentStatus.COMPLETED, CommitmentStatus.PARTIALLY_COMPLETED):
                path.append(CommitmentStatus.PARTIALLY_COMPLETED)
            else:
                path.append(CommitmentStatus.IN_PROGRESS)
            path.append(final)
            for moment, status in zip(moments, path[-len(moments) :], strict=False):
                text = self.rng.choice(narratives[status.value])
                entries.append((min(moment, last_day), status, text))
        rows = []
        for entry_date, status, narrative in entries:
            rows.append(
                {
                    "ref": ref,
                    "entry_date": entry_date,
                    "status": status,
                    "narrative": narrative,
                    "evidence": self.rng.choice(self.content["evidence"])
                    if status is not CommitmentStatus.PLEDGED
                    else None,
                    "evidence_quality": EvidenceQuality.OFFICIAL_SECONDARY
                    if real
                    else self.rng.choice(list(EvidenceQuality)),
                    "channel": Channel.DEMO,
                    "recorded_by": self.ctx.actor.name,
                    "sensitivity": "PUBLIC" if real else self.sensitivity(),
                }
            )
        return rows

    def _targets(
        self,
        ref: str,
        pledged: date,
        status: CommitmentStatus,
        history: list[dict[str, Any]],
        revisions: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        if status is CommitmentStatus.ONGOING:
            return []
        if status.is_closed:
            done = history[-1]["entry_date"]
            due = PartialDate(max(done.year + self.rng.choice((-1, 0, 0, 1)), pledged.year))
        else:
            roll = self.rng.random()
            if roll < 0.35:  # late
                due_day = self.today - timedelta(days=self.rng.randint(30, 900))
            elif roll < 0.6:  # falls due within the warning window
                due_day = self.today + timedelta(days=self.rng.randint(5, 85))
            else:
                due_day = self.today + timedelta(days=self.rng.randint(120, 1100))
            due_day = max(due_day, pledged + timedelta(days=60))
            due = (
                PartialDate.of(due_day)
                if self.rng.random() < 0.6
                else PartialDate(due_day.year, due_day.month)
            )
        row = {
            "ref": ref,
            "due": due,
            "due_by": due.latest(),
            "uuid": new_uuid(),
            "description": "Target set in the national statement.",
        }
        if not status.is_closed and self.rng.random() < 0.15:
            # An earlier target, since revised: the row above revises it.
            original = PartialDate(max(pledged.year + 2, due.year - 2))
            if original.latest() < due.latest():
                revised = dict(
                    row,
                    revises_uuid=row["uuid"],
                    uuid=new_uuid(),
                    description="Target revised in the national progress report.",
                )
                row.update(due=original, due_by=original.latest())
                revisions.append(revised)
        return [row]

    def _cite_real_commitments(self, refs: dict[str, int]) -> None:
        sources = self.catalogue["sources"]
        table = t.source
        known = {
            (r.url, r.title): r.id
            for r in self.conn.execute(select(table.c.id, table.c.url, table.c.title))
        }
        commitments = t.commitment
        for real in self.content["real_commitments"]:
            example = next(
                e
                for e in self.catalogue["example_commitments"]
                if e["state"] == real["example_state"] and e["summit"] == real["example_summit"]
            )
            ref = f"C-{real['index'] + 1:04d}"
            subject = self.conn.execute(
                select(commitments.c.uuid).where(commitments.c.id == refs[ref])
            ).scalar_one()
            self.conn.execute(
                t.citation.insert(),
                [
                    {
                        "uuid": new_uuid(),
                        "source_id": known[(sources[sid]["url"], sources[sid]["title"])],
                        "subject_table": "commitment",
                        "subject_uuid": subject,
                    }
                    for sid in example["sources"]
                ],
            )

    def _action_items(self) -> None:
        rows = []
        number = 0
        templates = self.content["action_items"]
        agencies = list(self.agencies.values())
        for copy in range(self.scale):
            for basket_id, _code in self.baskets:
                for title in self.rng.sample(templates, 2):
                    number += 1
                    status = _pick(
                        self.rng,
                        (
                            (CommitmentStatus.COMPLETED, 0.5),
                            (CommitmentStatus.IN_PROGRESS, 0.3),
                            (CommitmentStatus.PLEDGED, 0.2),
                        ),
                    )
                    due = self.today + timedelta(days=self.rng.randint(-400, 300))
                    rows.append(
                        {
                            "ref": f"A-{number:04d}",
                            "gift_basket_id": basket_id,
                            "title": title if copy == 0 else f"{title} (demo set {copy + 1})",
                            "agency_id": self.rng.choice(agencies),
                            "due": PartialDate.of(due),
                            "status": status,
                            "notes": ILLUSTRATIVE,
                            "sensitivity": self.sensitivity(),
                        }
                    )
        self.next_action = number + 1
        self.insert(t.action_item, rows, lambda r: f"{r['ref']} {r['title']}")

    def _participations(self) -> None:
        rows = [
            {
                "party_id": self.info.own_state_id,
                "instrument_id": self.instruments[p["instrument"]],
                "notes": ILLUSTRATIVE,
                "sensitivity": "INTERNAL",
            }
            for p in self.content["participations"]
        ]
        self.insert(t.participation, rows, lambda r: "participation")
        table = t.participation
        ids = dict(
            self.conn.execute(
                select(table.c.instrument_id, table.c.id).where(
                    table.c.party_id == self.info.own_state_id
                )
            ).all()
        )
        milestones = []
        for p in self.content["participations"]:
            for kind, planned, actual in p["milestones"]:
                kind = MilestoneKind(kind)
                agency = "JUS" if kind.is_domestic else "MFA"
                milestones.append(
                    {
                        "participation_id": ids[self.instruments[p["instrument"]]],
                        "kind": kind,
                        "planned": PartialDate.parse(planned) if planned else None,
                        "actual": PartialDate.parse(actual) if actual else None,
                        "responsible_agency_id": self.agencies[agency],
                        "notes": "Illustrative date (DEMO desk).",
                        "sensitivity": "INTERNAL",
                    }
                )
        self.insert(t.milestone, milestones, lambda r: f"milestone {r['kind']}")

    def _reporting(self) -> None:
        rows = [
            {
                "instrument_id": self.instruments[r["instrument"]],
                "party_id": self.info.own_state_id,
                "title": r["title"],
                "period": r["period"],
                "due": PartialDate.parse(r["due"]),
                "submitted": PartialDate.parse(r["submitted"]) if r["submitted"] else None,
                "responsible_agency_id": self.agencies[r["agency"]],
                "notes": ILLUSTRATIVE,
                "sensitivity": "INTERNAL",
            }
            for r in self.content["reporting"]
        ]
        self.insert(t.reporting_obligation, rows, lambda r: f"report {r['title']}")


def create_demo_desk(
    path: Path,
    *,
    scale: int = 1,
    seed: int = 2026,
    today: date | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
) -> tuple[Path, CatalogueReport]:
    """Create a demo desk at ``path`` (refusing an existing file). Reports its steps
    to ``progress``; when cancelled it stops at the next step
    (:class:`~nsdesk.domain.errors.CancelledError`) and leaves no file behind."""
    if scale < 1:
        raise ValueError("scale must be 1 or more")
    catalogue = Catalogue.shipped()
    content = DemoContent.shipped()
    day = today or date.today()
    actor = actor or Actor.local()

    def populate(connection: Connection, ctx: AuditContext, info: DeskInfo, part: Progress) -> None:
        demo_ctx = AuditContext(
            Actor(ctx.actor.name, Channel.DEMO),
            ctx.operation_id,
            f"demo desk, scale {scale}, seed {seed}",
        )
        DemoBuilder(
            connection,
            demo_ctx,
            info,
            scale=scale,
            seed=seed,
            today=day,
            content=content,
            catalogue=catalogue,
        ).build(part)

    return create_desk(
        path,
        state=content.data["state"],
        delegation=content.data["delegation"],
        actor=actor,
        catalogue=catalogue,
        is_demo=True,
        populate=populate,
        progress=progress,
    )
