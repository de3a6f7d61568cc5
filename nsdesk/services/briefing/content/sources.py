"""The sources section: the documents the printed commitments came from, and the
catalogue's sources for the instruments and signatory counts printed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from nsdesk.briefing import model as m
from nsdesk.services.audience.view import AudienceView
from nsdesk.services.briefing.content.commitment_facts import Commitments


def sources(
    view: AudienceView,
    commitments: Commitments,
    cited: Iterable[tuple[str, str]],
) -> tuple[m.SourceEntry, ...]:
    """The origin documents of the commitments printed, then the catalogue's
    sources for the instruments and signatory counts printed."""
    by_document: dict[int, list[str]] = defaultdict(list)
    documents: dict[int, Any] = {}
    for c in commitments.included:
        document = view.row("document", c.row.origin_document_id, live=True)
        if document is not None:
            documents[document.id] = document
            by_document[document.id].append(c.ref)
    entries: list[m.SourceEntry] = []
    for document_id, refs in sorted(by_document.items(), key=lambda kv: documents[kv[0]].title):
        document = documents[document_id]
        entries.append(
            m.SourceEntry(document.title, document.citation, document.url, (_refs(refs),))
        )
    subjects = dict(cited)
    by_source: dict[int, tuple[Any, list[str]]] = {}
    for citation in view.records(
        "citation", where=lambda c: c.subject_uuid in subjects, live=False
    ):
        source = view.row("source", citation.source_id)
        if source is None:
            continue
        _, labels = by_source.setdefault(source.id, (source, []))
        label = subjects[citation.subject_uuid]
        if label not in labels:
            labels.append(label)
    for source, labels in sorted(
        by_source.values(), key=lambda pair: (pair[0].title.casefold(), pair[0].id)
    ):
        entries.append(m.SourceEntry(source.title, None, source.url, tuple(labels)))
    return tuple(entries)


def _refs(refs: list[str], limit: int = 12) -> str:
    shown = ", ".join(refs[:limit])
    more = len(refs) - limit
    return f"{shown} and {more} more" if more > 0 else shown
