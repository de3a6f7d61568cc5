"""Applying a catalogue to a desk, section by section: its sources, the parties
(ISO states and organisations), external schemes and themes, instruments with their
dated party counts, events with their documents, deadlines, joint statements with
their leads, themes and membership snapshots, every party's participation in the
treaties (:mod:`nsdesk.services.setup.catalogue_participation`), the values of
conflicting sources cited on their fields, and the records a newer catalogue
withdraws; each through the three-way merge of
:mod:`nsdesk.services.setup.catalogue_merge`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update

from nsdesk.domain.dates import PartialDate
from nsdesk.domain.enums import (
    Channel,
    Confidence,
    DocumentKind,
    EventKind,
    InstrumentKind,
    JoiningMechanism,
    PartyKind,
)
from nsdesk.domain.errors import CatalogueError
from nsdesk.services.audit import Actor, creation_rows
from nsdesk.services.desk import Desk
from nsdesk.services.setup.catalogue import Catalogue, iso_state_records
from nsdesk.services.setup.catalogue_merge import CatalogueReport, Cited, RecordMerger, Wanted
from nsdesk.services.setup.catalogue_participation import merge_participation
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuid
from nsdesk.store.types import utcnow


class CatalogueMerger(RecordMerger):
    """Applies one catalogue to one desk connection inside the caller's transaction."""

    def apply(self, catalogue: Catalogue) -> CatalogueReport:
        """Merge every section of ``catalogue``, in the order their links need."""
        self.report = CatalogueReport(catalogue.version)
        data, as_of = catalogue.data, catalogue.as_of
        self._sources(data["sources"])
        parties = self._parties(data, as_of)
        areas = self._schemes(data["schemes"], as_of)
        themes = self._themes(data["themes"], areas, as_of)
        instruments = self._instruments(data["instruments"], parties, as_of)
        events, documents = self._events(data["events"], parties, as_of)
        self._deadlines(data, events, documents, instruments, as_of)
        self._gift_baskets(
            data["gift_baskets"], events, documents, instruments, parties, themes, as_of
        )
        names = {i["key"]: i.get("short_name") or i["key"] for i in data["instruments"]}
        merge_participation(self, data.get("participation", []), parties, instruments, as_of, names)
        self._conflicts(data.get("conflicts", []))
        for table, keys in data.get("withdrawn", {}).items():
            self.withdraw(t.metadata.tables[table], keys)
        return self.report

    def _conflicts(self, conflicts: list[dict[str, Any]]) -> None:
        """Cite the other value of each conflict on its field, with its source."""
        by_table: dict[str, list[Wanted]] = {}
        for c in conflicts:
            cited = tuple(Cited(sid, c["field"], c["note"]) for sid in c["sources"])
            by_table.setdefault(c["table"], []).append(Wanted(c["key"], {}, c["key"], (), cited))
        for table, wanted in by_table.items():
            self._cite(t.metadata.tables[table], wanted)

    def _sources(self, sources: dict[str, dict[str, Any]]) -> None:
        table = t.source
        known = {
            (row.url, row.title): row.id
            for row in self.connection.execute(select(table.c.id, table.c.url, table.c.title))
        }
        missing = [
            {"uuid": new_uuid(), "url": s["url"], "title": s["title"]}
            for s in sources.values()
            if (s["url"], s["title"]) not in known
        ]
        if missing:
            insert_rows(self.connection, table, missing)
            assert self.report is not None
            self.report.count(self.report.created, "source", len(missing))
            known = {
                (row.url, row.title): row.id
                for row in self.connection.execute(select(table.c.id, table.c.url, table.c.title))
            }
        self.source_ids = {sid: known[(s["url"], s["title"])] for sid, s in sources.items()}

    def _parties(self, data: dict[str, Any], as_of: PartialDate) -> dict[str, int]:
        wanted = [
            Wanted(
                s["key"],
                {
                    "code": s["code"],
                    "kind": PartyKind.STATE,
                    "name": s["name"],
                    "official_name": s["official_name"],
                    "alpha2": s["alpha2"],
                    "confidence": Confidence.HIGH,
                    "as_of": s["as_of"],
                    "notes": s["source"],
                },
                f"{s['code']} {s['name']}",
            )
            for s in iso_state_records(as_of)
        ]
        wanted += [
            Wanted(
                o["key"],
                {
                    "code": o["code"],
                    "kind": PartyKind.ORGANISATION,
                    "name": o["name"],
                    "confidence": Confidence(o["confidence"]),
                    "as_of": as_of,
                },
                f"{o['code']} {o['name']}",
                tuple(o.get("sources", ())),
            )
            for o in data["organisations"]
        ]
        ids = self.merge(t.party, wanted)
        return {w.values["code"]: ids[w.key] for w in wanted}

    def _schemes(self, schemes: list[dict[str, Any]], as_of: PartialDate) -> dict[str, int]:
        scheme_ids = self.merge(
            t.external_scheme,
            [
                Wanted(
                    s["key"],
                    {
                        "code": s["code"],
                        "name": s["name"],
                        "description": s.get("description"),
                        "confidence": _confidence(s["confidence"]),
                        "as_of": as_of,
                    },
                    s["name"],
                    tuple(s["sources"]),
                )
                for s in schemes
            ],
        )
        wanted = [
            Wanted(
                f"{s['code']}:{a['code']}",
                {
                    "scheme_id": scheme_ids[s["key"]],
                    "code": a["code"],
                    "label": a["label"],
                    "sort_order": a["sort_order"],
                    "notes": a.get("description"),
                    "confidence": _confidence(s["confidence"]),
                    "as_of": as_of,
                },
                f"{s['code']}: {a['label']}",
            )
            for s in schemes
            for a in s["areas"]
        ]
        return self.merge(t.scheme_area, wanted)

    def _themes(
        self, themes: list[dict[str, Any]], areas: dict[str, int], as_of: PartialDate
    ) -> dict[str, int]:
        wanted = [
            Wanted(
                t["key"],
                {
                    "code": t["code"],
                    "label": t["label"],
                    "description": t.get("description"),
                    "sort_order": t["sort_order"],
                    "confidence": _confidence(t["confidence"]),
                    "notes": t.get("notes"),
                    "as_of": as_of,
                },
                t["label"],
            )
            for t in themes
        ]
        ids = self.merge(t.theme, wanted)
        self.link(
            t.theme_mapping,
            ((ids[t["key"]], areas[area]) for t in themes for area in t["maps_to"]),
        )
        return {t["code"]: ids[t["key"]] for t in themes}

    def _snapshots(
        self,
        owner_column: str,
        owners: Iterable[tuple[int, dict[str, Any]]],
        parties: dict[str, int],
        as_of: PartialDate,
    ) -> None:
        records = [(owner_id, s) for owner_id, raw in owners for s in raw.get("snapshots", [])]
        wanted = [
            Wanted(
                s["key"],
                {
                    owner_column: owner_id,
                    "snapshot_date": _partial(s.get("date")),
                    "member_count": s.get("member_count"),
                    "signatory_count": s.get("signatory_count"),
                    "observer_count": s.get("observer_count"),
                    "description": s.get("description"),
                    "includes_organisations": s.get("includes_organisations"),
                    "member_list_complete": s.get("member_list_complete"),
                    "confidence": _confidence(s["confidence"]),
                    "as_of": _partial(s.get("date")) or as_of,
                },
                f"membership {s['key']}",
                tuple(s.get("sources", ())),
            )
            for owner_id, s in records
        ]
        ids = self.merge(t.membership_snapshot, wanted)
        self.link(
            t.membership_snapshot_party,
            ((ids[s["key"]], parties[code]) for _, s in records for code in s.get("members", [])),
        )

    def _instruments(
        self, instruments: list[dict[str, Any]], parties: dict[str, int], as_of: PartialDate
    ) -> dict[str, int]:
        ids: dict[str, int] = {}

        def wanted(raw: dict[str, Any]) -> Wanted:
            values = {
                "code": raw["code"],
                "name": raw["name"],
                "short_name": raw["short_name"],
                "kind": InstrumentKind(raw["kind"]),
                "mechanism": JoiningMechanism(raw["mechanism"]),
                "binding": raw["binding"],
                "adopted": _partial(raw.get("adopted")),
                "opened_for_signature": _partial(raw.get("opened_for_signature")),
                "entered_into_force": _partial(raw.get("entered_into_force")),
                "entry_into_force_condition": raw.get("entry_into_force_condition"),
                "depositary": raw.get("depositary"),
                "scope": raw.get("scope"),
                "participation_model": raw.get("participation_model"),
                "reporting_summary": raw.get("reporting_summary"),
                "text_reference": raw.get("text_reference"),
                "url": raw.get("url"),
                "confidence": _confidence(raw["confidence"]),
                "notes": raw.get("notes"),
                "as_of": as_of,
            }
            for relation in ("amends", "supplements"):
                if raw.get(relation):
                    values[f"{relation}_id"] = ids[raw[relation]]
            return Wanted(raw["key"], values, raw["short_name"], tuple(raw["sources"]))

        # Instruments that amend or supplement another are merged after it.
        pending = list(instruments)
        while pending:
            ready = [
                raw
                for raw in pending
                if all(raw.get(r) in (None, *ids) for r in ("amends", "supplements"))
            ]
            if not ready:
                raise CatalogueError("instruments amend or supplement each other in a circle")
            merged = self.merge(t.instrument, [wanted(raw) for raw in ready])
            ids.update({raw["code"]: merged[raw["key"]] for raw in ready})
            pending = [raw for raw in pending if raw not in ready]
        self._snapshots(
            "instrument_id", ((ids[raw["code"]], raw) for raw in instruments), parties, as_of
        )
        return ids

    def _events(
        self, events: list[dict[str, Any]], parties: dict[str, int], as_of: PartialDate
    ) -> tuple[dict[str, int], dict[str, int]]:
        merged = self.merge(
            t.event,
            [
                Wanted(
                    e["key"],
                    {
                        "code": e["code"],
                        "kind": EventKind(e["kind"]),
                        "name": e["name"],
                        "start_date": _partial(e.get("start_date")),
                        "end_date": _partial(e.get("end_date")),
                        "city": e.get("city"),
                        "venue": e.get("venue"),
                        "host_party_id": parties.get(e["host"]) if e.get("host") else None,
                        "participating_states": e.get("participating_states"),
                        "confidence": _confidence(e["confidence"]),
                        "notes": e.get("notes"),
                        "as_of": as_of,
                    },
                    e["name"],
                    tuple(e["sources"]),
                )
                for e in events
            ],
        )
        event_ids = {e["code"]: merged[e["key"]] for e in events}
        documents = self.merge(
            t.document,
            [
                Wanted(
                    d["key"],
                    {
                        "kind": DocumentKind(d["kind"]),
                        "title": d["title"],
                        "event_id": event_ids[e["code"]],
                        "issued_on": _partial(d.get("issued_on")),
                        "citation": d.get("citation"),
                        "url": d.get("url"),
                        "confidence": _confidence(d["confidence"]),
                        "as_of": as_of,
                    },
                    d["title"],
                    tuple(d.get("sources", ())),
                )
                for e in events
                for d in e.get("documents", [])
            ],
        )
        return event_ids, documents

    def _deadlines(
        self,
        data: dict[str, Any],
        event_ids: dict[str, int],
        documents: dict[str, int],
        instruments: dict[str, int],
        as_of: PartialDate,
    ) -> None:
        by_event = [(e["code"], d) for e in data["events"] for d in e.get("deadlines", [])]
        by_event += [(None, d) for d in data.get("deadlines", [])]
        self.merge(
            t.deadline,
            [
                Wanted(
                    d["key"],
                    {
                        "description": d["description"],
                        "due": PartialDate.parse(d["due"]),
                        "event_id": event_ids[code] if code else None,
                        "document_id": documents.get(d.get("document")),
                        "instrument_id": instruments.get(d.get("instrument")),
                        "confidence": _confidence(d["confidence"]),
                        "notes": d.get("notes"),
                        "as_of": as_of,
                    },
                    d["description"],
                    tuple(d.get("sources", ())),
                    tuple(Cited(c["source"], c["field"], c["note"]) for c in d.get("cited", ())),
                )
                for code, d in by_event
            ],
        )

    def _gift_baskets(
        self,
        baskets: list[dict[str, Any]],
        events: dict[str, int],
        documents: dict[str, int],
        instruments: dict[str, int],
        parties: dict[str, int],
        themes: dict[str, int],
        as_of: PartialDate,
    ) -> None:
        ids = self.merge(
            t.gift_basket,
            [
                Wanted(
                    g["key"],
                    {
                        "code": g["code"],
                        "title": g["title"],
                        "event_id": events.get(g["event"]),
                        "issued_on": _partial(g.get("issued_on")),
                        "infcirc": g.get("infcirc"),
                        "instrument_id": instruments.get(g["instrument"])
                        if g.get("instrument")
                        else None,
                        "document_id": documents.get(g["document"]) if g.get("document") else None,
                        "summary": g.get("summary"),
                        "confidence": _confidence(g["confidence"]),
                        "notes": g.get("notes"),
                        "as_of": as_of,
                    },
                    g["title"],
                    tuple(g["sources"]),
                )
                for g in baskets
            ],
        )
        self.link(
            t.gift_basket_lead,
            ((ids[g["key"]], parties[code]) for g in baskets for code in g.get("leads", [])),
        )
        self.link(
            t.gift_basket_theme,
            ((ids[g["key"]], themes[code]) for g in baskets for code in g.get("themes", [])),
        )
        self._snapshots("gift_basket_id", ((ids[g["key"]], g) for g in baskets), parties, as_of)


def _partial(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None


def _confidence(value: str) -> Confidence:
    return Confidence.EDITORIAL if value.startswith("n/a") else Confidence(value)


def apply_catalogue_update(desk: Desk, catalogue: Catalogue, actor: Actor) -> CatalogueReport:
    """Apply a (newer) catalogue to an open desk in one transaction (see module
    docstring for what is kept); records the catalogue's version in the settings."""
    actor = Actor(actor.name, Channel.CATALOGUE)
    with desk.transaction(actor, note=f"catalogue {catalogue.version}") as (connection, ctx):
        report = CatalogueMerger(connection, ctx, desk.info().marking.lowest).apply(catalogue)
        settings = connection.execute(select(t.desk_settings)).one()
        if settings.catalogue_version != catalogue.version:
            connection.execute(
                update(t.desk_settings).values(
                    catalogue_version=catalogue.version,
                    catalogue_as_of=catalogue.as_of,
                    updated_at=utcnow(),
                )
            )
            connection.execute(
                t.audit_entry.insert(),
                [
                    {
                        **row,
                        "action": "update",
                        "field": "catalogue_version",
                        "old_value": settings.catalogue_version,
                        "new_value": catalogue.version,
                    }
                    for row in creation_rows(
                        ctx, "desk_settings", [(settings.uuid, "Desk settings", None)]
                    )
                ],
            )
    return report
