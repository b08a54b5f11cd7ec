"""What a researcher narrows the data to (:class:`Filters`), and an actor as a viewer may
see it (:class:`ActorRow`): the plain values tracker.analysis.kept turns into SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["ActorRow", "Filters"]


@dataclass(frozen=True)
class Filters:
    """What a researcher narrows the data to; an empty tuple means "all".

    Attributes:
        start_year / end_year: cases opened in these years (inclusive); a case with an unknown
            opening date is left out once either bound is set.
        regions: case regions (department).
        charge_types: only charges of these types, and cases that have one.
        complainant_categories: only complainants of these categories (a parent category such
            as "company" includes its children), their charges, and cases that have one.
        contexts: case contexts (the protest or conflict).
        include_synthetic: whether demo rows count.
    """

    start_year: int | None = None
    end_year: int | None = None
    regions: tuple[str, ...] = ()
    charge_types: tuple[str, ...] = ()
    complainant_categories: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    include_synthetic: bool = True


class ActorRow(NamedTuple):
    """An actor, named as this viewer may see it (``label``)."""

    id: str
    label: str  # the name this viewer may see
    kind: str
    is_defender: bool
    complainant_category: str | None
    region: str | None
    is_synthetic: bool
