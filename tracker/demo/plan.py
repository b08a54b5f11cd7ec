"""Scale settings and the random plan of the demo data.

The reference day and the other constants the draws are shaped by, the vocabularies as
cumulative weights, the judicial districts, the sizes of scales S/M/L, and :class:`Draws`: the
one ``random.Random(seed)`` of a generate() call with the small draws every part of the
generator makes from it (ids, weighted picks, places, dates with a precision, person names).
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import accumulate
from typing import Any

from . import names

REFERENCE_DATE = date(2026, 6, 30)  # "today" for the data, whatever day the generator runs
STAMP = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)  # created_at/updated_at of every row
REF = REFERENCE_DATE.toordinal()
HORIZON = REF + 730  # open cases get hearings scheduled up to two years ahead
MASS_SHARE = 0.06  # mass prosecutions after a protest: 5-40 defendants
MEAN_DEFENDANTS = 0.94 * 1.85 + MASS_SHARE * (5 + 35 / 3)  # expectation in defendants()
MAX_CHARGES = 8  # distinct offences against one defendant in one case
POSTPONED = 0.4  # chance that a hearing does not take place on the day

# A vocabulary drawn by weight: its items and their cumulative weights, for Draws.pick.
Weighted = tuple[Sequence[Any], list[float]]


def _weighted(weights: Mapping[Any, float]) -> Weighted:
    return list(weights), list(accumulate(weights.values()))


RIGHTS, ROLES, LIABILITY, REASONS, CONVICTIONS, CATEGORIES, CHARGES, REGIONS, YEARS = (
    _weighted(w)
    for w in (
        names.RIGHTS,
        names.DEFENDER_ROLES,
        names.LIABILITY,
        names.POSTPONEMENT_REASONS,
        names.CONVICTIONS,
        names.COMPLAINANTS,
        {k: v[0] for k, v in names.CHARGES.items()},
        {k: v[0] for k, v in names.REGIONS.items()},
        names.YEAR_WEIGHTS,
    )
)
DISTRICTS = sorted(
    {
        names.PROVINCE_DISTRICT.get(p, r)
        for r, (_, provinces) in names.REGIONS.items()
        for p in provinces
    }
)


@dataclass(frozen=True)
class ScaleSpec:
    """Target sizes of a scale. Cases, actors and charges drive the draws; hearings (about 15
    per case) follow from the simulated proceedings, so that number is approximate."""

    cases: int
    actors: int
    charges: int
    hearings: int


SCALES: dict[str, ScaleSpec] = {
    "S": ScaleSpec(cases=200, actors=600, charges=1_200, hearings=3_000),
    "M": ScaleSpec(cases=10_000, actors=30_000, charges=60_000, hearings=150_000),
    "L": ScaleSpec(cases=100_000, actors=300_000, charges=1_000_000, hearings=1_500_000),
}


def charge_stop_chance(spec: ScaleSpec) -> float:
    """The chance, after each charge against a defendant, that no further one is stacked.

    Charges per defendant are 1 + a geometric number of extras, capped at MAX_CHARGES - 1,
    whose mean is solved for (bisection) so that charges/cases fits the spec.
    """
    target, lo, hi = spec.charges / spec.cases / MEAN_DEFENDANTS, 0.0, 1.0
    for _ in range(50):
        q = (lo + hi) / 2
        lo, hi = (q, hi) if sum(q**j for j in range(MAX_CHARGES)) < target else (lo, q)
    return 1 - lo


# 2020-01-01 in milliseconds, version 7: the demo's ids lead with a fixed time.
_DEMO_PREFIX = 1_577_836_800_000 << 80 | 0x7 << 76


class Draws:
    """The random stream of one generate() call and the small draws made from it.

    Every draw of the generator goes through ``self.rng`` in a fixed order: that order is what
    makes a seed and a scale give the same rows, ids included.
    """

    def __init__(self, spec: ScaleSpec, seed: int) -> None:
        self.spec, self.rng = spec, random.Random(seed)
        self._made = 0
        self.p_stop = charge_stop_chance(spec)

    def uid(self) -> uuid.UUID:
        """A UUID drawn from the stream (uuid4() would differ on every run), larger than the
        ones drawn before it: the version 7 layout, as the app makes ids
        (tracker.models.ids), a fixed time first and then a count."""
        self._made += 1
        low = self._made << 30 | self.rng.getrandbits(128) & (1 << 30) - 1
        return uuid.UUID(int=_DEMO_PREFIX | 0b10 << 62 | low)

    def pick(self, weighted: Weighted) -> Any:
        """One item of a weighted vocabulary."""
        items, cum = weighted
        return items[bisect(cum, self.rng.random() * cum[-1])]

    def region(self) -> tuple[str, str]:
        """A region drawn by its weight and one of its provinces."""
        region = self.pick(REGIONS)
        return region, self.rng.choice(names.REGIONS[region][1])

    def precise(
        self,
        o: int,
        floor: int,
        p_month: float = 0.1,
        p_year: float = 0.03,
    ) -> tuple[date, str]:
        """Day ``o`` with a drawn precision, stored as the first day of its period unless that
        falls before ``floor`` (then the day itself is kept, so date order checks hold)."""
        d, r = date.fromordinal(o), self.rng.random()
        if r >= p_month + p_year:
            return d, "day"
        t, prec = (d.replace(month=1, day=1), "year") if r < p_year else (d.replace(day=1), "month")
        return (t, prec) if t.toordinal() >= floor else (d, "day")

    def day_in(self, year: int) -> int:
        """A random day of ``year``, not after REFERENCE_DATE."""
        start = date(year, 1, 1).toordinal()
        return start + self.rng.randint(0, min(364, REF - start))

    def person(self) -> tuple[str, str, str]:
        """A random Peruvian-style name: (full name, first name, gender)."""
        rng, r = self.rng, self.rng.random()
        gender = "female" if r < 0.45 else "male" if r < 0.99 else "non_binary"
        firsts = names.FIRST_NAMES_F if gender == "female" else names.FIRST_NAMES_M
        first = rng.choice(firsts) + (" " + rng.choice(firsts) if rng.random() < 0.35 else "")
        last = f"{rng.choice(names.LAST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        return f"{first} {last}", first, gender

    def rights(self) -> list[str]:
        """One to three distinct rights defended, sorted."""
        return sorted({self.pick(RIGHTS) for _ in range(self.rng.choice((1, 1, 2, 3)))})
