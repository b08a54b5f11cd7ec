"""The rows behind the publication charts, read once per set of filters.

Charts are made for publication, so they are always read as the public would see them,
whoever asks: confidential people under their pseudonyms, restricted people and cases left
out (:mod:`tracker.privacy`, applied in SQL by :func:`tracker.network_data.load`). On top of
those rows this module reads, with two aggregate queries, how far each case went (for the
stage funnel) and which people are shown under a pseudonym (counted, never named, in the
report pack; their real names are also scrubbed from any other text a chart draws).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from .. import privacy
from ..models import Actor, Case, StageChange
from ..network_data import Filters, NetworkData, load

__all__ = ["FUNNEL", "STAGE_LADDER", "ChartSource", "read"]

_a = Actor.__table__.c  # type: ignore[attr-defined]
_case = Case.__table__.c  # type: ignore[attr-defined]
_ev = StageChange.__table__.c  # type: ignore[attr-defined]

# The stages of a criminal proceeding in the order a case moves through them (vocabulary
# "stage"); "closed" and "archived" are not on the ladder: they say a case stopped, not where.
STAGE_LADDER = (
    "complaint",
    "preliminary_investigation",
    "preparatory_investigation",
    "intermediate",
    "trial",
    "first_instance_judgment",
    "appeal",
    "cassation",
)
_RANK = {code: i for i, code in enumerate(STAGE_LADDER, start=1)}
# Funnel steps: (step, lowest rank that counts as having reached it). A case at appeal has
# also reached trial and judgment, so every step counts the cases of the steps below it.
FUNNEL = (
    ("opened", 0),
    ("trial", _RANK["trial"]),
    ("judgment", _RANK["first_instance_judgment"]),
    ("appeal", _RANK["appeal"]),
)


@dataclass
class ChartSource:
    """Everything the charts draw from, for one set of filters.

    Attributes:
        data: the filtered, privacy-applied rows (tracker.network_data).
        filters: the filters they were read with.
        as_of: the day the data was read; pending prosecutions are counted to it.
        stage_rank: case id -> the furthest rung of STAGE_LADDER it reached (0: none known).
        pseudonymized: actor ids shown under a pseudonym in these rows.
        withheld: real names and aliases of pseudonymized people -> the name shown.
    """

    data: NetworkData
    filters: Filters
    as_of: date
    stage_rank: dict[str, int] = field(default_factory=dict)
    pseudonymized: frozenset[str] = frozenset()
    withheld: dict[str, str] = field(default_factory=dict)
    _names: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def synthetic(self) -> bool:
        """True when any case in the rows comes from the demo generator."""
        return any(c.is_synthetic for c in self.data.cases.values())

    def labels(self, lang: str) -> dict[str, str]:
        """Vocabulary code -> label in ``lang`` (charge types, complainant categories)."""
        out: dict[str, str] = {}
        for vocabulary in ("charge_type", "complainant_category"):
            for code in self.data.vocab.get(vocabulary, {}):
                out[code] = self.data.label(vocabulary, code, lang)
        return out

    def counts(self) -> dict[str, int]:
        """How many records the charts rest on, for the methodology text."""
        d = self.data
        charged = {c.defendant_id for c in d.charges}
        return {
            "cases": len(d.cases),
            "charges": len(d.charges),
            "defenders": sum(1 for a in charged if a in d.actors and d.actors[a].is_defender),
            "complainants": len({link.actor_id for link in d.complainants}),
            "hearings": len(d.hearings),
            "pseudonymized_people": len(self.pseudonymized),
            "pseudonymized_charges": sum(
                1 for c in d.charges if c.defendant_id in self.pseudonymized
            ),
        }

    def scrub(self, text: str) -> str:
        """``text`` with any real name of a pseudonymized person replaced by the name shown.

        Case titles and court names are free text: a title typed as "Case against <real
        name>" must not carry that name onto a published chart.
        """
        if not self.withheld or not text:
            return text
        if self._names is None:
            # Longest first, whole words only: a short name must not eat into longer words.
            names = sorted(self.withheld, key=len, reverse=True)
            alternatives = "|".join(re.escape(n) for n in names)
            self._names = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
        return self._names.sub(lambda m: self.withheld.get(m.group(0), m.group(0)), text)


def _hex(value: Any) -> str:
    """An id as 32 hex digits, however the database or the rows spell it (UUID object,
    hyphenated text or hex text), so ids of this module's queries meet those of the rows."""
    return value.hex if isinstance(value, uuid.UUID) else str(value).replace("-", "")


def _rank(column: Any) -> Any:
    """SQL: the rung of STAGE_LADDER a stage code is on (0 for none)."""
    return case(_RANK, value=column, else_=0)


def read(
    engine: Engine,
    filters: Filters | None = None,
    *,
    as_of: date | None = None,
    data: NetworkData | None = None,
) -> ChartSource:
    """Read the rows of every chart for ``filters``, as the public may see them.

    Args:
        engine: the database.
        filters: what to keep (default: everything).
        as_of: the day pending prosecutions run to (default today).
        data: rows already loaded with these filters and ``show_confidential=False`` (the
            pages share a cache); read here when not given.
    """
    filters = filters or Filters()
    if data is None:
        data = load(engine, filters, show_confidential=False)
    source = ChartSource(data, filters, as_of or date.today())
    judged = _RANK["first_instance_judgment"]
    shown = privacy.name_column(show_confidential=False)
    with engine.connect() as conn:
        current = conn.execute(select(_case.id, _rank(_case.stage)))
        ranks = {_hex(i): int(r) for i, r in current}
        # A "judgment" court event means the case reached judgment whatever its stage says.
        furthest = conn.execute(
            select(
                _ev.case_id,
                func.max(case((_ev.event == "judgment", judged), else_=_rank(_ev.to_stage))),
            ).group_by(_ev.case_id)
        )
        for case_id, rank in furthest:
            key = _hex(case_id)
            ranks[key] = max(ranks.get(key, 0), int(rank or 0))
        hidden = conn.execute(select(_a.id, _a.name, _a.aliases, shown).where(shown != _a.name))
        withheld: dict[str, str] = {}
        pseudonymized = set()
        actors = {_hex(key): key for key in data.actors}
        for actor_id, name, aliases, display in hidden:
            if _hex(actor_id) in actors:
                pseudonymized.add(actors[_hex(actor_id)])
            for real in (name, *(aliases or ())):
                if real and real != display:
                    withheld[real] = display
    source.stage_rank = {c: ranks.get(_hex(c), 0) for c in data.cases}
    source.pseudonymized = frozenset(pseudonymized)
    source.withheld = withheld
    return source
