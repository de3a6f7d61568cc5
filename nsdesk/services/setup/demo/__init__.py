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

The generator's parts: :mod:`.content` (the shipped content and the shares),
:mod:`.builder` (what the parts share, and their order), :mod:`.agencies`,
:mod:`.meetings`, :mod:`.joint_statements`, :mod:`.commitments` with
:mod:`.histories`, and :mod:`.instruments`; the baseline is frozen last.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection

from nsdesk.domain.enums import Channel
from nsdesk.domain.location import SomeLocation
from nsdesk.services.audit import Actor, AuditContext
from nsdesk.services.desk import DeskInfo
from nsdesk.services.progress import Progress
from nsdesk.services.setup.catalogue import Catalogue
from nsdesk.services.setup.catalogue_merge import CatalogueReport
from nsdesk.services.setup.demo.builder import DemoBuilder
from nsdesk.services.setup.demo.content import DemoContent
from nsdesk.services.setup.new_desk import create_desk


def create_demo_desk(
    path: SomeLocation,
    *,
    scale: int = 1,
    seed: int = 2026,
    today: date | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
) -> tuple[SomeLocation, CatalogueReport]:
    """Create a demo desk at ``path`` — a new file, or an empty database on a server
    (refusing an existing file or desk). Reports its steps
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
