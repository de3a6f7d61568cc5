"""What the detail pane shows under a record's fields, kind by kind.

A commitment's history and targets (:mod:`.commitment`), a gift basket's
signatories over time and its action items (:mod:`.gift_basket`), an instrument's
catalogue facts with their sources and the own state's pipeline of steps
(:mod:`.instrument`), an agency's contacts and what it has due (:mod:`.agency`).
Read models only (frozen dataclasses), built with SQLAlchemy Core; records are
named by their key (ref, code) or UUID, and
:class:`~nsdesk.domain.errors.RecordNotFoundError` says when none matches
(:mod:`.lookup`). Retired rows are left out unless a field says otherwise.
"""
