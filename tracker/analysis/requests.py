"""Sentence requests in SQL: which kept charges each request covers, and the requests that
count for "sentence asked vs imposed".

A request (table ``sentence_request``) is recorded once, as its source gives it: for one
case, for one defendant or for every defendant (``defendant_id`` NULL), for some charge
types or for the whole indictment (``charge_types`` empty). It covers the kept charges of
its case that match both. The rule of INDICATORS.md:

- each request with a prison term counts once (at its upper figure: "30 to 35 years" is
  35, "up to 36 years" 36), however many charges it covers;
- a charge's own ``sentence_requested_months`` counts only when no such request covers the
  charge, so a charge with both is never counted twice;
- a charge "has a request" when a request covers it or it carries its own figure; compared
  with the imposed sentence, it is asked for the highest request covering it (else its own).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, and_, cast, func, literal, or_, select
from sqlalchemy.engine import Engine

from .. import privacy
from ..models import SentenceRequest
from .definitions import Figure
from .kept import UNKNOWN, Filters, KeptRows, Tables

__all__ = ["asked_by_charge", "covering", "months", "request_rows", "request_units"]

_req_t = SentenceRequest.__table__  # type: ignore[attr-defined]
_req = _req_t.c


def months(r: Any = _req) -> Any:
    """SQL: the prison months a request counts for (its upper figure, else its lower)."""
    return func.coalesce(r.prison_months_max, r.prison_months_min)


def covering(kept: KeptRows) -> Any:
    """SQL of (request_id, charge_id, months): each kept charge covered by a request with a
    prison term, once per such request."""
    ch = kept.charges
    # charge_types is a JSON list of codes; as text it reads '[]' or '["riot", "coercion"]'
    # on SQLite and PostgreSQL alike (codes hold no quotes).
    types = cast(_req.charge_types, Text)
    quoted = literal('%"').concat(ch.c.charge_type).concat(literal('"%'))
    covers = and_(
        _req.case_id == ch.c.case_id,
        or_(_req.defendant_id.is_(None), _req.defendant_id == ch.c.defendant_id),
        or_(types == "[]", types.like(quoted)),
    )
    stmt = (
        select(_req.id.label("request_id"), ch.c.id.label("charge_id"), months().label("months"))
        .select_from(ch.join(_req_t, covers))
        .where(months().isnot(None))
    )
    if not kept.q.f.include_synthetic:
        stmt = stmt.where(_req.is_synthetic.is_(False))
    return stmt.subquery("covering")


def asked_by_charge(cover: Any) -> Any:
    """SQL of (charge_id, months): the highest request covering each covered charge."""
    return (
        select(cover.c.charge_id, func.max(cover.c.months).label("months"))
        .group_by(cover.c.charge_id)
        .subquery("asked_by_charge")
    )


def request_units(m: Any, cover: Any) -> Any:
    """Per group of the members ``m`` (kept charges with ``key``): how many requests count,
    and their months summed. A request counts once in each group holding a charge it
    covers. (A charge's own figure, counted where no request covers the charge, is summed
    with the other numbers of the charge: tracker.analysis.indicators.)"""
    rows = (
        select(m.c.key, cover.c.request_id, cover.c.months)
        .select_from(m.join(cover, cover.c.charge_id == m.c.id))
        .distinct()
        .subquery("asked_units")
    )
    return select(rows.c.key, func.count(), func.sum(rows.c.months)).group_by(rows.c.key)


def request_rows(
    engine: Engine,
    filters: Filters | None,
    figure: Figure,
    *,
    show_confidential: bool = False,
) -> list[dict[str, Any]]:
    """The sentence requests a "sentence asked vs imposed" figure counted, under the same
    filters and visibility: one dict per request (id, case, requested_by, defendant —
    None when it is for every defendant —, charge_types, requested_on, precision,
    months_min, months_max, months counted, charges covered in the group), the people
    named as this viewer may see them and the case title redacted; by case, then date."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    m = kept.members("charge", figure.group_by)
    cover = covering(kept)
    by, who = Tables.actor.alias("by"), Tables.actor.alias("who")
    case_t = Tables.case
    mine = func.coalesce(m.c.key, UNKNOWN) == figure.group
    covered = (
        select(cover.c.request_id, func.count(func.distinct(m.c.id)).label("n"))
        .select_from(m.join(cover, cover.c.charge_id == m.c.id))
        .where(mine)
        .group_by(cover.c.request_id)
        .subquery("covered")
    )
    stmt = (
        select(
            kept.id_text(_req.id), case_t.c.title,
            privacy.name_column(show_confidential=show_confidential, table=by),
            privacy.name_column(show_confidential=show_confidential, table=who),
            _req.charge_types, _req.requested_on, _req.requested_on_precision,
            _req.prison_months_min, _req.prison_months_max, months(), covered.c.n,
        )
        .select_from(
            covered.join(_req_t, _req.id == covered.c.request_id)
            .join(case_t, case_t.c.id == _req.case_id)
            .outerjoin(by, by.c.id == _req.requested_by_id)
            .outerjoin(who, who.c.id == _req.defendant_id)
        )
    )  # fmt: skip
    keys = ("id", "case", "requested_by", "defendant", "charge_types", "requested_on",
            "precision", "months_min", "months_max", "months", "charges")  # fmt: skip
    with engine.connect() as conn:
        found = [dict(zip(keys, row, strict=True)) for row in conn.execute(stmt)]
    redact = privacy.redactor(engine, show_confidential=show_confidential)
    for row in found:
        row["case"] = redact(row["case"])
        row["charge_types"] = list(row["charge_types"] or [])
    found.sort(key=lambda r: (r["case"], r["requested_on"] is None, r["requested_on"] or 0,
                              -(r["months"] or 0), r["id"]))  # fmt: skip
    return found
