"""What the demo desk is made of: the shipped demo content, and the shares by which
the generator draws statuses and markings."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from nsdesk import locations
from nsdesk.domain.enums import CommitmentStatus

DEMO_STATE = "NLD"
ILLUSTRATIVE = "Illustrative demo content (DEMO desk)."
ILLUSTRATIVE_DATES = (
    "The dates of these steps are illustrative (DEMO desk); the depositary's list has the "
    "real ones."
)

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
ACTIVE = frozenset(
    {CommitmentStatus.IN_PROGRESS, CommitmentStatus.ONGOING, CommitmentStatus.PARTIALLY_COMPLETED}
)
"""Statuses of a live item, which has been reported on lately."""
SENSITIVITY_SHARES = (
    ("PUBLIC", 0.25),
    ("INTERNAL", 0.55),
    ("RESTRICTED", 0.15),
    ("CONFIDENTIAL", 0.05),
)


@dataclass(frozen=True)
class DemoContent:
    """The invented content of the demo desk (``resources/demo/content.json``)."""

    data: dict[str, Any]

    @classmethod
    def shipped(cls) -> DemoContent:
        """The demo content that ships with this version of nsdesk."""
        path = locations.resources_dir() / "demo" / "content.json"
        return cls(json.loads(path.read_text("utf-8")))


def pick(rng: random.Random, shares: Iterable[tuple[Any, float]]) -> Any:
    """One value of ``shares`` (value, weight), drawn with ``rng``."""
    items = list(shares)
    return rng.choices([v for v, _ in items], weights=[w for _, w in items])[0]
