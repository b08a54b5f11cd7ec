"""The rows behind the publication charts, read once per set of filters.

Charts are made for publication, so they are always read as the public would see them,
whoever asks: confidential people under their pseudonyms, restricted people and cases left
out (:mod:`tracker.privacy`, applied in SQL by :func:`tracker.network_data.load`). On top of
those rows this module reads, with two aggregate queries, how far each case went (for the
stage funnel) and which people are shown under a pseudonym (counted, never named, in the
report pack; their real names are also scrubbed from any other text a chart draws).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from .. import privacy
from ..analysis import Aggregates, Figure
from ..models import Actor, Case, StageChange
from ..network_data import (
    PARTS,
    Filters,
    NetworkData,
    PartReader,
    any_synthetic_case,
    charge_filings,
    load,
)
from .style import filters_text

__all__ = ["FUNNEL", "STAGE_LADDER", "ChartSource", "read"]

_a = Actor.__table__.c  # type: ignore[attr-defined]
_case = Case.__table__.c  # type: ignore[attr-defined]
_ev = StageChange.__table__.c  # type: ignore[attr-defined]

# The stages of a criminal proceeding in the order a case moves through them (vocabulary
# "stage"); "closed" is not on the ladder: it says a case stopped, not where. An archive is an
# event at the stage the case had reached (court_event "archived"), not a stage.
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


class ChartSource:
    """Everything the charts draw from, for one set of filters, read when first needed.

    A chart reads only what it draws: new charges over time (the Reports page's default)
    rests on one GROUP BY of the charges (:meth:`filings`) and the vocabulary; the other
    charts read the rows (:attr:`data`) the first time one of them is drawn. Every lazy
    part is read once and kept; the results do not depend on the order they are asked for.

    Attributes:
        filters: the filters the rows are read with.
        as_of: the day the data was read; pending prosecutions are counted to it.
    """

    def __init__(
        self,
        engine: Engine,
        filters: Filters,
        as_of: date,
        need: Callable[..., NetworkData],
    ) -> None:
        self.engine, self.filters, self.as_of = engine, filters, as_of
        self._need = need

    @property
    def data(self) -> NetworkData:
        """The filtered, privacy-applied rows of every table (tracker.network_data)."""
        return self._need(*PARTS)

    @property
    def vocab(self) -> NetworkData:
        """The rows read so far, at least with the vocabulary (for labels)."""
        return self._need()

    def label(self, vocabulary: str, code: str | None, lang: str) -> str:
        """The label of a vocabulary code in ``lang``."""
        return self.vocab.label(vocabulary, code, lang)

    @cached_property
    def aggregates(self) -> Aggregates:
        """The indicators of these rows, from SQL (as the public sees them, counted to
        ``as_of``): the Indicators page's numbers."""
        return Aggregates(self.engine, self.filters, show_confidential=False, today=self.as_of)

    def figures(self, group_by: str, lang: str, codes: tuple[str, ...]) -> list[Figure]:
        """The figures of these indicators for one grouping (tracker.analysis)."""
        found, _ = self.aggregates.figures_page(group_by, lang)
        return [f for f in found if f.indicator in codes]

    def prosecution_spans(self) -> list[dict[str, Any]]:
        """Time under prosecution per defender, longest first (tracker.analysis)."""
        return self.aggregates.prosecution_spans()

    @cached_property
    def synthetic(self) -> bool:
        """True when any case in the rows comes from the demo generator."""
        return any_synthetic_case(self.engine, self.filters, show_confidential=False)

    @cached_property
    def filings(self) -> list[tuple[str, str | None, str, int]]:
        """(charge type, month of filing "YYYY-MM", its date's precision, how many) of the
        rows' charges: one GROUP BY with the conditions of the rows' read
        (network_data.charge_filings)."""
        return charge_filings(self.engine, self.filters, show_confidential=False)

    @cached_property
    def stage_rank(self) -> dict[str, int]:
        """case id -> the furthest rung of STAGE_LADDER it reached (0: none known)."""
        ranks = _ranks(self.engine)
        return {c: ranks.get(_hex(c), 0) for c in self.data.cases}

    @cached_property
    def _hidden(self) -> list[tuple[str, str, Any, str]]:
        """(id as hex, real name, aliases, name shown) of everyone shown under a pseudonym."""
        return _pseudonymized_people(self.engine)

    @cached_property
    def pseudonymized(self) -> frozenset[str]:
        """Actor ids shown under a pseudonym in these rows."""
        actors = {_hex(key): key for key in self.data.actors}
        return frozenset(actors[i] for i, *_ in self._hidden if i in actors)

    @cached_property
    def withheld(self) -> dict[str, str]:
        """Real names and aliases of pseudonymized people -> the name shown."""
        out: dict[str, str] = {}
        for _, name, aliases, display in self._hidden:
            for real in (name, *(aliases or ())):
                if real and real != display:
                    out[real] = display
        return out

    def labels(self, lang: str) -> dict[str, str]:
        """Vocabulary code -> label in ``lang`` (charge types, complainant categories)."""
        vocab = self.vocab
        out: dict[str, str] = {}
        for vocabulary in ("charge_type", "complainant_category"):
            for code in vocab.vocab.get(vocabulary, {}):
                out[code] = vocab.label(vocabulary, code, lang)
        return out

    @cached_property
    def _public(self) -> privacy.Redactor:
        return privacy.redactor(self.engine, show_confidential=False)

    def filters_text(self, lang: str) -> str:
        """The filters in words (style.filters_text), as the public may read them: a region
        or a context is typed text and may name a withheld person, and the subtitle is
        printed on every chart. Years and vocabulary labels name nobody: without a region
        or context no redactor is built (it reads every withheld person)."""
        text = filters_text(self.filters, lang, self.labels(lang))
        if not (self.filters.regions or self.filters.contexts):
            return text
        return str(self._public(text))

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

    @cached_property
    def redactor(self) -> privacy.Redactor:
        """The public's redactor (tracker.privacy): charts are made for publication."""
        return privacy.redactor(self.engine, show_confidential=False)

    def scrub(self, text: str) -> str:
        """``text`` with every written form of a withheld person replaced by the name shown.

        Case titles and court names are free text: a title typed as "Case against <real
        name>" must not carry that name onto a published chart.
        """
        return self.redactor(text)


def _hex(value: Any) -> str:
    """An id as 32 hex digits, however the database or the rows spell it (UUID object,
    hyphenated text or hex text), so ids of this module's queries meet those of the rows."""
    return value.hex if isinstance(value, uuid.UUID) else str(value).replace("-", "")


def _rank(column: Any) -> Any:
    """SQL: the rung of STAGE_LADDER a stage code is on (0 for none)."""
    return case(_RANK, value=column, else_=0)


def _ranks(engine: Engine) -> dict[str, int]:
    """case id (hex) -> the furthest rung of STAGE_LADDER it reached, two aggregate queries."""
    judged = _RANK["first_instance_judgment"]
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
    return ranks


def _pseudonymized_people(engine: Engine) -> list[tuple[str, str, Any, str]]:
    """(id as hex, real name, aliases, name shown) of every actor the public sees under
    another name: one query over the few such people."""
    shown = privacy.name_column(show_confidential=False)
    with engine.connect() as conn:
        hidden = conn.execute(select(_a.id, _a.name, _a.aliases, shown).where(shown != _a.name))
        return [(_hex(i), name, aliases, display) for i, name, aliases, display in hidden]


def read(
    engine: Engine,
    filters: Filters | None = None,
    *,
    as_of: date | None = None,
    need: Callable[..., NetworkData] | None = None,
) -> ChartSource:
    """The rows of every chart for ``filters``, as the public may see them, read lazily.

    Args:
        engine: the database.
        filters: what to keep (default: everything).
        as_of: the day pending prosecutions run to (default today).
        need: ``need(*parts)`` giving the rows read with these filters and
            ``show_confidential=False`` with at least those parts (the pages share one
            cached :class:`~tracker.network_data.PartReader`); a reader of its own when not
            given.

    Nothing is read here: each chart reads what it draws when it is built.
    """
    filters = filters or Filters()
    if need is None:
        need = PartReader(
            lambda parts: load(engine, filters, show_confidential=False, parts=parts)
        ).need
    return ChartSource(engine, filters, as_of or date.today(), need)
