"""The catalogue: the public facts every desk starts with, and their updates.

The shipped catalogue (``resources/catalogue/catalogue.json``, built from the
sourced reference) holds instruments, summits with their documents and deadlines,
joint statements with dated membership snapshots, themes and their mappings to
external schemes, and the organisations that sign; the states come from ISO 3166
(pycountry). Every fact keeps its sources (as citations), confidence and as-of date.

Applying a catalogue is a per-field three-way merge. Each catalogue record keeps
the values last applied from the catalogue (``catalogue_values``). For each field:

* the catalogue did not change it → nothing happens;
* the catalogue changed it and the desk still holds the old catalogue value →
  the desk takes the new value (audited, channel *catalogue*);
* the catalogue changed it and the user had edited it → the user's value is kept,
  and the report lists it so the user can look.

Records the user retired stay retired and untouched; nothing is ever deleted;
membership lists, leads, themes and citations only grow.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, null, select, update

from nsdesk import locations
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
from nsdesk.services.audit import Actor, AuditContext, creation_rows, to_json
from nsdesk.store import tables as t
from nsdesk.store.bulk import insert_rows
from nsdesk.store.ids import new_uuid
from nsdesk.store.types import utcnow

if TYPE_CHECKING:
    from nsdesk.services.desk import Desk

CATALOGUE_FORMAT = 1


@dataclass(frozen=True)
class Catalogue:
    """A catalogue document, checked for its format."""

    data: dict[str, Any]

    @classmethod
    def load(cls, path: Path) -> Catalogue:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            raise CatalogueError(f"the catalogue {path} cannot be read ({error})") from error
        if not isinstance(data, dict) or data.get("format") != CATALOGUE_FORMAT:
            raise CatalogueError(
                f"the catalogue {path} is not in format {CATALOGUE_FORMAT} "
                "(it was written for another version of nsdesk)"
            )
        return cls(data)

    @classmethod
    def shipped(cls) -> Catalogue:
        """The catalogue that ships with this version of nsdesk."""
        return cls.load(locations.catalogue_path())

    @property
    def version(self) -> str:
        return str(self.data["version"])

    @property
    def as_of(self) -> PartialDate:
        return PartialDate.parse(self.data["as_of"])


@dataclass(frozen=True, slots=True)
class KeptEdit:
    """A field where the catalogue changed but the user's own edit was kept."""

    table: str
    record: str
    field: str
    desk_value: Any
    catalogue_value: Any


@dataclass
class CatalogueReport:
    """What applying a catalogue did."""

    version: str
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept_edits: list[KeptEdit] = field(default_factory=list)

    def count(self, bucket: dict[str, int], table: str, n: int = 1) -> None:
        if n:
            bucket[table] = bucket.get(table, 0) + n


def iso_state_records(as_of: PartialDate) -> list[dict[str, Any]]:
    """Every ISO 3166-1 state as a catalogue party record."""
    import importlib.metadata

    import pycountry

    version = importlib.metadata.version("pycountry")
    records = []
    for country in pycountry.countries:
        records.append(
            {
                "key": f"iso3166:{country.alpha_3}",
                "code": country.alpha_3,
                "name": _diplomatic_name(country.name),
                "official_name": getattr(country, "official_name", None),
                "alpha2": country.alpha_2,
                "source": f"ISO 3166-1, as distributed in pycountry {version}",
                "as_of": as_of,
            }
        )
    return records


def _diplomatic_name(iso_name: str) -> str:
    """ISO's short name un-inverted as diplomatic lists write it:
    "Korea, Republic of" → "Republic of Korea" (never the colloquial "South Korea")."""
    if ", " in iso_name:
        head, tail = iso_name.split(", ", 1)
        if tail.endswith((" of", " of the")):
            tail = tail[4:] if tail.startswith("The ") else tail
            return f"{tail} {head}"
    return iso_name


@dataclass(frozen=True, slots=True)
class _Wanted:
    """One record as the catalogue wants it: key, column values, label, sources."""

    key: str
    values: dict[str, Any]
    label: str
    sources: tuple[str, ...] = ()


class CatalogueMerger:
    """Applies one catalogue to one desk connection inside the caller's transaction."""

    def __init__(self, connection: Connection, ctx: AuditContext, public_level: str):
        self.connection = connection
        self.ctx = ctx
        self.public_level = public_level
        self.source_ids: dict[str, int] = {}
        self.report: CatalogueReport | None = None

    # -- the generic merge --------------------------------------------------------
    def merge(self, table: Table, wanted: list[_Wanted]) -> dict[str, int]:
        """Insert new records, three-way-merge existing ones; ``key → id`` of all."""
        assert self.report is not None
        columns = sorted({c for w in wanted for c in w.values})
        existing = {
            row.catalogue_key: row
            for row in self.connection.execute(
                select(
                    table.c.id,
                    table.c.uuid,
                    table.c.catalogue_key,
                    table.c.catalogue_values,
                    # records that cannot be retired count as never retired
                    table.c.get("retired_at", null().label("retired_at")),
                    *(table.c[c] for c in columns),
                ).where(table.c.catalogue_key.in_([w.key for w in wanted]))
            )
        }
        inserts, audit = [], []
        sensitive = "sensitivity" in table.c
        for item in wanted:
            row = existing.get(item.key)
            if row is None:
                record_uuid = new_uuid()
                values = {
                    **item.values,
                    "uuid": record_uuid,
                    "catalogue_key": item.key,
                    "catalogue_values": to_json(item.values),
                }
                if sensitive:
                    values["sensitivity"] = self.public_level
                inserts.append(values)
                audit.append((record_uuid, item.label, to_json(item.values)))
            elif row.retired_at is None:
                self._merge_existing(table, row, item)
        if inserts:
            # executemany needs every row to name the same columns
            names = set().union(*(r.keys() for r in inserts))
            insert_rows(self.connection, table, [{n: r.get(n) for n in names} for r in inserts])
            insert_rows(self.connection, t.audit_entry, creation_rows(self.ctx, table.name, audit))
            self.report.count(self.report.created, table.name, len(inserts))
        ids = dict(
            self.connection.execute(
                select(table.c.catalogue_key, table.c.id).where(
                    table.c.catalogue_key.in_([w.key for w in wanted])
                )
            ).all()
        )
        self._cite(table, wanted)
        return ids

    def _merge_existing(self, table: Table, row: Any, item: _Wanted) -> None:
        assert self.report is not None
        base: dict[str, Any] = row.catalogue_values or {}
        changes: dict[str, Any] = {}
        audit_rows = []
        for name, value in item.values.items():
            theirs, mine = to_json(value), to_json(getattr(row, name))
            old_base = base.get(name)
            if theirs in (old_base, mine):
                continue
            if mine == old_base or (name not in base and mine is None):
                changes[name] = value
                audit_rows.append((name, mine, theirs))
            else:
                self.report.kept_edits.append(KeptEdit(table.name, item.label, name, mine, theirs))
        new_base = to_json(item.values)
        if not changes and new_base == base:
            return
        self.connection.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(**changes, catalogue_values=new_base, updated_at=utcnow())
        )
        if changes:
            self.report.count(self.report.updated, table.name)
            self.connection.execute(
                t.audit_entry.insert(),
                [
                    {
                        "uuid": new_uuid(),
                        "at": utcnow(),
                        "actor": self.ctx.actor.name,
                        "channel": self.ctx.actor.channel,
                        "action": "update",
                        "record_table": table.name,
                        "record_uuid": row.uuid,
                        "record_label": item.label[:200],
                        "field": name,
                        "old_value": old,
                        "new_value": new,
                        "operation_id": self.ctx.operation_id,
                        "note": self.ctx.note,
                    }
                    for name, old, new in audit_rows
                ],
            )

    def link(self, table: Table, pairs: Iterable[tuple[int, int]]) -> None:
        """Add the missing rows of a link table (existing links are left alone)."""
        left, right = (c.name for c in table.primary_key.columns)
        wanted = set(pairs)
        if not wanted:
            return
        present = set(self.connection.execute(select(table.c[left], table.c[right])).all())
        missing = sorted(wanted - present)
        if missing:
            insert_rows(self.connection, table, [{left: a, right: b} for a, b in missing])

    def _cite(self, table: Table, wanted: list[_Wanted]) -> None:
        cited = [w for w in wanted if w.sources]
        if not cited:
            return
        rows = self.connection.execute(
            select(table.c.catalogue_key, table.c.uuid).where(
                table.c.catalogue_key.in_([w.key for w in cited])
            )
        ).all()
        subject = dict(rows)
        citations = t.citation
        present = set(
            self.connection.execute(
                select(citations.c.source_id, citations.c.subject_uuid).where(
                    citations.c.subject_table == table.name
                )
            ).all()
        )
        new = []
        for item in cited:
            for sid in item.sources:
                pair = (self.source_ids[sid], subject[item.key])
                if pair not in present:
                    present.add(pair)
                    new.append(
                        {
                            "uuid": new_uuid(),
                            "source_id": pair[0],
                            "subject_table": table.name,
                            "subject_uuid": pair[1],
                        }
                    )
        if new:
            insert_rows(self.connection, citations, new)

    # -- the sections ---------------------------------------------------------------
    def apply(self, catalogue: Catalogue) -> CatalogueReport:
        self.report = CatalogueReport(catalogue.version)
        data, as_of = catalogue.data, catalogue.as_of
        self._sources(data["sources"])
        parties = self._parties(data, as_of)
        areas = self._schemes(data["schemes"], as_of)
        themes = self._themes(data["themes"], areas, as_of)
        instruments = self._instruments(data["instruments"], parties, as_of)
        events, documents = self._events(data["events"], parties, as_of)
        self._deadlines(data["events"], events, documents, instruments, as_of)
        self._gift_baskets(data["gift_baskets"], events, instruments, parties, themes, as_of)
        return self.report

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
            _Wanted(
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
            _Wanted(
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
                _Wanted(
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
            _Wanted(
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
            _Wanted(
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
            _Wanted(
                s["key"],
                {
                    owner_column: owner_id,
                    "snapshot_date": _partial(s.get("date")),
                    "member_count": s.get("member_count"),
                    "observer_count": s.get("observer_count"),
                    "description": s.get("description"),
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

        def wanted(raw: dict[str, Any]) -> _Wanted:
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
            return _Wanted(raw["key"], values, raw["short_name"], tuple(raw["sources"]))

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
                _Wanted(
                    e["key"],
                    {
                        "code": e["code"],
                        "kind": EventKind(e["kind"]),
                        "name": e["name"],
                        "start_date": _partial(e.get("start_date")),
                        "end_date": _partial(e.get("end_date")),
                        "city": e.get("city"),
                        "venue": e.get("venue"),
                        "host_party_id": parties.get(e.get("host")),
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
                _Wanted(
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
        events: list[dict[str, Any]],
        event_ids: dict[str, int],
        documents: dict[str, int],
        instruments: dict[str, int],
        as_of: PartialDate,
    ) -> None:
        self.merge(
            t.deadline,
            [
                _Wanted(
                    d["key"],
                    {
                        "description": d["description"],
                        "due": PartialDate.parse(d["due"]),
                        "event_id": event_ids[e["code"]],
                        "document_id": documents.get(d.get("document")),
                        "instrument_id": instruments.get(d.get("instrument")),
                        "confidence": _confidence(d["confidence"]),
                        "as_of": as_of,
                    },
                    d["description"],
                    tuple(d.get("sources", ())),
                )
                for e in events
                for d in e.get("deadlines", [])
            ],
        )

    def _gift_baskets(
        self,
        baskets: list[dict[str, Any]],
        events: dict[str, int],
        instruments: dict[str, int],
        parties: dict[str, int],
        themes: dict[str, int],
        as_of: PartialDate,
    ) -> None:
        ids = self.merge(
            t.gift_basket,
            [
                _Wanted(
                    g["key"],
                    {
                        "code": g["code"],
                        "title": g["title"],
                        "event_id": events.get(g["event"]),
                        "issued_on": _partial(g.get("issued_on")),
                        "infcirc": g.get("infcirc"),
                        "instrument_id": instruments.get(g.get("instrument")),
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
