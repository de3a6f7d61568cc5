"""The demo desk's commitments: copies of the content's templates (a few of them
real, sourced commitments), with their themes, agencies, instruments and joint
statements, their status histories and targets.

Nothing invented contradicts the catalogue: a commitment is linked only to the
instruments that existed when it was pledged, and to the joint statement its
template names (else one of its theme made at its summit, or before)."""

from __future__ import annotations

from datetime import date, timedelta
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
from nsdesk.store.types import utcnow

if TYPE_CHECKING:
    from nsdesk.services.setup.demo.builder import DemoBuilder


def add_commitments(demo: DemoBuilder, progress: Progress) -> int:
    """The commitments, ``scale`` copies of the templates, with their links, histories and targets;
    returns the next commitment number."""
    templates = demo.content["commitments"]
    summits = {e["code"]: e for e in demo.catalogue["events"]}
    basket_themes = _basket_themes(demo)
    real_ones = {r["index"]: r for r in demo.content["real_commitments"]}
    commitments, links, histories, targets, revisions = [], [], [], [], []
    number = 0
    for copy in range(demo.scale):
        progress.check_cancelled()
        progress.report(copy, demo.scale + 1, "Adding commitments and their histories")
        for index, template in enumerate(templates):
            number += 1
            ref = f"C-{number:04d}"
            real = real_ones.get(index) if copy == 0 else None
            pledged = date.fromisoformat(summits[template["summit"]]["end_date"])
            status = (
                CommitmentStatus(real["history"][-1][1]) if real else pick(demo.rng, TRAJECTORIES)
            )
            commitments.append(
                _commitment_row(demo, ref, template, copy, index, pledged, status, real is not None)
            )
            links.append((ref, template, basket_themes))
            history = history_rows(demo, ref, pledged, status, real)
            histories.extend(history)
            drawn = target_rows(demo, ref, pledged, status, history, revisions)
            if real is None:  # a real one's sources set no target: the draw is dropped
                targets.extend(drawn)
    progress.report(demo.scale, demo.scale + 1, "Saving commitments and their histories")
    demo.insert(t.commitment, commitments, lambda r: f"{r['ref']} {r['title']}")
    refs = demo.ids(t.commitment, "ref")
    _commitment_links(demo, refs, links)
    recorded = utcnow()
    for order, row in enumerate(histories):
        row["commitment_id"] = refs[row.pop("ref")]
        # Entries of one day keep the order they were drawn in (status follows the
        # latest by date, then by the moment recorded): the same in every copy.
        row["created_at"] = recorded + timedelta(microseconds=order)
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


def _basket_themes(demo: DemoBuilder) -> dict[str, list[tuple[int, str, str | None]]]:
    """Gift baskets the desk plays a role in, by theme: (id, summit, issued on)."""
    by_theme: dict[str, list[tuple[int, str, str | None]]] = {}
    codes = dict(demo.baskets)
    for basket in demo.catalogue["gift_baskets"]:
        basket_id = next((i for i, c in codes.items() if c == basket["code"]), None)
        if basket_id is None:
            continue
        for theme in basket["themes"]:
            by_theme.setdefault(theme, []).append(
                (basket_id, basket["event"], basket.get("issued_on"))
            )
    return by_theme


def _basket_for(
    demo: DemoBuilder, template: dict[str, Any], candidates: list[tuple[int, str, str | None]]
) -> int | None:
    """The joint statement a commitment serves: the one its template names, else one of
    its theme made at its own summit, else the latest one made before it."""
    if template.get("gift_basket"):
        return demo.ids(t.gift_basket)[template["gift_basket"]]
    summit = template["summit"]
    at_summit = [basket_id for basket_id, event, _ in candidates if event == summit]
    if at_summit:
        return at_summit[0]
    pledged = demo.catalogue_events[summit]["end_date"]
    earlier = [(issued, i) for i, _, issued in candidates if issued and issued <= pledged]
    return max(earlier)[1] if earlier else None


def _instruments_for(demo: DemoBuilder, template: dict[str, Any]) -> list[int]:
    """The instruments a commitment on its theme concerns that existed when it was
    pledged (INFCIRC/225/Rev.5 came out in 2011: a 2010 pledge cannot name it)."""
    pledged = demo.catalogue_events[template["summit"]]["end_date"]
    adopted = {i["code"]: i.get("adopted") for i in demo.catalogue["instruments"]}
    return [
        demo.instruments[code]
        for code in THEME_INSTRUMENTS.get(template["theme"], [])
        if not adopted.get(code) or adopted[code][: len(pledged)] <= pledged
    ]


def _commitment_links(
    demo: DemoBuilder,
    refs: dict[str, int],
    links: list[tuple[str, dict[str, Any], dict[str, list[tuple[int, str, str | None]]]]],
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
            {"commitment_id": cid, "instrument_id": instrument_id}
            for instrument_id in _instruments_for(demo, template)
        )
        basket_id = _basket_for(demo, template, basket_themes.get(template["theme"], []))
        if basket_id is not None:
            baskets.append({"commitment_id": cid, "gift_basket_id": basket_id})
    for table, rows in (
        (t.commitment_theme, themes),
        (t.commitment_agency, agencies),
        (t.commitment_instrument, instruments),
        (t.commitment_gift_basket, baskets),
    ):
        insert_rows(demo.conn, table, rows)


def _cite_real_commitments(demo: DemoBuilder, refs: dict[str, int]) -> None:
    """Each real commitment cites its sources: the catalogue's example commitment it
    copies, or the joint statement it was."""
    sources = demo.catalogue["sources"]
    table = t.source
    known = {
        (r.url, r.title): r.id
        for r in demo.conn.execute(select(table.c.id, table.c.url, table.c.title))
    }
    baskets = {b["code"]: b for b in demo.catalogue["gift_baskets"]}
    commitments = t.commitment
    for real in demo.content["real_commitments"]:
        if real.get("gift_basket"):
            cited = baskets[real["gift_basket"]]["sources"]
        else:
            cited = next(
                e
                for e in demo.catalogue["example_commitments"]
                if e["state"] == real["example_state"] and e["summit"] == real["example_summit"]
            )["sources"]
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
                for sid in cited
            ],
        )
