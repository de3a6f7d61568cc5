"""The demo desk's commitments: copies of the content's templates (one of them a
real, sourced commitment), with their themes, agencies, instruments and joint
statements, their status histories and targets."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import CommitmentStatus, Priority
from nsdesk.services.progress import Progress
from nsdesk.services.setup.demo.content import ILLUSTRATIVE, THEME_INSTRUMENTS, TRAJECTORIES, pick
from nsdesk.services.setup.demo.histories import history_rows, target_rows
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuid

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def add_commitments(demo: DemoBuilder, progress: Progress) -> int:
    """The commitments, ``scale`` copies of the templates, with their links, histories and targets;
    returns the next commitment number."""
    templates = demo.content["commitments"]
    summits = {e["code"]: e for e in demo.catalogue["events"]}
    basket_themes = _basket_themes(demo)
    commitments, links, histories, targets, revisions = [], [], [], [], []
    number = 0
    for copy in range(demo.scale):
        progress.check_cancelled()
        progress.report(copy, demo.scale + 1, "Adding commitments and their histories")
        for index, template in enumerate(templates):
            number += 1
            ref = f"C-{number:04d}"
            real = copy == 0 and index in {r["index"] for r in demo.content["real_commitments"]}
            pledged = date.fromisoformat(summits[template["summit"]]["end_date"])
            status = CommitmentStatus.COMPLETED if real else pick(demo.rng, TRAJECTORIES)
            commitments.append(
                _commitment_row(demo, ref, template, copy, index, pledged, status, real)
            )
            links.append((ref, template, basket_themes))
            history = history_rows(demo, ref, pledged, status, real)
            histories.extend(history)
            targets.extend(target_rows(demo, ref, pledged, status, history, revisions))
    progress.report(demo.scale, demo.scale + 1, "Saving commitments and their histories")
    demo.insert(t.commitment, commitments, lambda r: f"{r['ref']} {r['title']}")
    refs = demo.ids(t.commitment, "ref")
    _commitment_links(demo, refs, links)
    for row in histories:
        row["commitment_id"] = refs[row.pop("ref")]
    demo.insert(t.status_entry, histories, lambda r: f"history {r['entry_date']} {r['status']}")
    for row in targets:
        row["commitment_id"] = refs[row.pop("ref")]
    demo.insert(t.target, targets, lambda r: f"target {r['due']}")
    if revisions:
        by_uuid = dict(demo.conn.execute(select(t.target.c.uuid, t.target.c.id)).all())
        for row in revisions:
            row["commitment_id"] = refs[row.pop("ref")]
            row["revises_id"] = by_uuid[row.pop("revises_uuid")]
        demo.insert(t.target, revisions, lambda r: f"revised target {r['due']}")
    _cite_real_commitments(demo, refs)
    return number + 1


def _commitment_row(
    demo: DemoBuilder,
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
        "origin_event_id": demo.events[template["summit"]],
        "origin_document_id": demo.documents[template["summit"]],
        "origin_clause": f"para {index % 15 + 1}",
        "pledged_on": PartialDate.of(pledged),
        "lead_agency_id": demo.agencies[template["lead"]],
        "priority": pick(
            demo.rng, ((Priority.HIGH, 0.25), (Priority.MEDIUM, 0.55), (Priority.LOW, 0.2))
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
        "sensitivity": "PUBLIC" if real else demo.sensitivity(),
    }


def _basket_themes(demo: DemoBuilder) -> dict[str, list[int]]:
    """Gift baskets the desk plays a role in, by theme."""
    by_theme: dict[str, list[int]] = {}
    codes = dict(demo.baskets)
    for basket in demo.catalogue["gift_baskets"]:
        basket_id = next((i for i, c in codes.items() if c == basket["code"]), None)
        if basket_id is None:
            continue
        for theme in basket["themes"]:
            by_theme.setdefault(theme, []).append(basket_id)
    return by_theme


def _commitment_links(
    demo: DemoBuilder,
    refs: dict[str, int],
    links: list[tuple[str, dict[str, Any], dict[str, list[int]]]],
) -> None:
    themes, agencies, instruments, baskets = [], [], [], []
    for ref, template, basket_themes in links:
        cid = refs[ref]
        themes.append({"commitment_id": cid, "theme_id": demo.themes[template["theme"]]})
        agencies.extend(
            {"commitment_id": cid, "agency_id": demo.agencies[code]}
            for code in template["contributing"]
        )
        instruments.extend(
            {"commitment_id": cid, "instrument_id": demo.instruments[code]}
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
        insert_rows(demo.conn, table, rows)


def _cite_real_commitments(demo: DemoBuilder, refs: dict[str, int]) -> None:
    sources = demo.catalogue["sources"]
    table = t.source
    known = {
        (r.url, r.title): r.id
        for r in demo.conn.execute(select(table.c.id, table.c.url, table.c.title))
    }
    commitments = t.commitment
    for real in demo.content["real_commitments"]:
        example = next(
            e
            for e in demo.catalogue["example_commitments"]
            if e["state"] == real["example_state"] and e["summit"] == real["example_summit"]
        )
        ref = f"C-{real['index'] + 1:04d}"
        subject = demo.conn.execute(
            select(commitments.c.uuid).where(commitments.c.id == refs[ref])
        ).scalar_one()
        demo.conn.execute(
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
