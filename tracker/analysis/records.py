"""The records behind one number, read on demand with the same filter as the number.

:func:`record_ids` lists the ids of the units (charges, cases, hearings, measures) a figure
of :mod:`tracker.analysis.indicators` was computed from (``rows``) and those it counted
(``hits``), with one statement over the same kept rows (:class:`KeptRows`), grouped the
same way: nothing is read for a figure until someone asks to see its records.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, literal, or_, select, tuple_
from sqlalchemy.engine import Engine

from .definitions import MASS_THRESHOLD, Figure, indicator
from .kept import UNKNOWN, Filters, KeptRows, count_if
from .outcomes import CONVICTION, PENDING, UNFOUNDED
from .requests import covering

__all__ = ["record_ids", "with_records"]


def _in_group(m: Any, key: str) -> Any:
    """The members of one group (unknown groups have a NULL or empty key)."""
    return func.coalesce(m.c.key, UNKNOWN) == key


def _brought(kept: KeptRows, m: Any, group_by: str) -> tuple[Any, Any]:
    """FROM of (a member charge, a complainant who counts for it here) and that column."""
    if group_by == "complainant":
        return m, m.c.key
    link = kept.links
    return m.join(link, link.c.charge_id == m.c.id), kept.id_text(link.c.actor_id)


def _charge_hits(kept: KeptRows, code: str, m: Any, group_by: str, key: str) -> tuple[Any, Any]:
    """(condition on a member charge to be a row, condition to be a hit)."""
    mine = _in_group(m, key)
    if code == "complainant_reach":
        frm, _ = _brought(kept, m, group_by)
        return literal(True), m.c.id.in_(select(m.c.id).select_from(frm).where(mine))
    if code == "repeat_targeting":
        frm, filer = _brought(kept, m, group_by)
        pairs = (
            select(filer, m.c.defendant_id)
            .select_from(frm)
            .where(mine)
            .group_by(filer, m.c.defendant_id)
            .having(func.count(distinct(m.c.case_id)) >= 2)
        )
        hit = m.c.id.in_(
            select(m.c.id).select_from(frm).where(mine, tuple_(filer, m.c.defendant_id).in_(pairs))
        )
        return literal(True), hit
    if code == "charge_stacking":
        stacked = (
            select(m.c.defendant_id, m.c.case_id)
            .where(mine)
            .group_by(m.c.defendant_id, m.c.case_id)
            .having(func.count(distinct(m.c.charge_type)) >= 2)
        )
        return literal(True), tuple_(m.c.defendant_id, m.c.case_id).in_(stacked)
    if code == "time_under_prosecution":
        filed = and_(m.c.filed_on.isnot(None), m.c.filed_on_precision != "unknown")
        ended = and_(m.c.outcome_on.isnot(None), m.c.outcome_on_precision != "unknown")
        known = (
            select(m.c.defendant_id)
            .where(mine)
            .group_by(m.c.defendant_id)
            .having(
                count_if(filed) > 0,
                or_(count_if(m.c.cls == PENDING) > 0, count_if(ended) == func.count()),
            )
        )
        return literal(True), m.c.defendant_id.in_(known)
    if code in ("unfounded_rate", "conviction_rate"):
        wanted = UNFOUNDED if code == "unfounded_rate" else CONVICTION
        return m.c.cls != PENDING, m.c.cls == wanted
    if code == "sentence_asked_vs_imposed":
        # A charge with a request (its own figure, or a sentence request covering it) or an
        # imposed sentence; the requests themselves are listed by request_rows.
        covered = m.c.id.in_(select(covering(kept).c.charge_id))
        asked = or_(m.c.asked.isnot(None), covered)
        return or_(asked, m.c.imposed.isnot(None)), m.c.imposed.isnot(None)
    raise ValueError(f"{code!r} does not count charges")


def _other_hits(kept: KeptRows, code: str, m: Any, today: date, threshold: int) -> tuple[Any, Any]:
    """(row condition, hit condition) of the indicators of cases, hearings and measures."""
    ch, events = kept.charges, kept.events
    if code == "mass_prosecution":
        parties = kept.parties
        both = select(parties.c.case_id, parties.c.actor_id).union(
            select(ch.c.case_id, ch.c.defendant_id)
        ).subquery("defendants")  # fmt: skip
        massed = select(both.c.case_id).group_by(both.c.case_id).having(func.count() >= threshold)
        return literal(True), m.c.id.in_(massed)
    if code == "venue_transfer":
        return literal(True), m.c.id.in_(
            select(events.c.case_id).where(events.c.event == "transferred")
        )
    if code == "reopened":
        again = select(events.c.case_id).where(events.c.event == "reopened")
        overturned = select(ch.c.case_id).where(ch.c.outcome == "acquittal_overturned")
        return literal(True), or_(m.c.id.in_(again), m.c.id.in_(overturned))
    if code == "postponement_rate":
        due = m.c.scheduled_at < datetime.combine(today, time()) + timedelta(days=1)
        return due, m.c.result == "postponed"
    if code == "detention_annulled":
        return m.c.detention == 1, m.c.hit == 1
    raise ValueError(f"unknown indicator {code!r}")


def record_ids(
    engine: Engine,
    filters: Filters | None,
    figure: Figure,
    *,
    show_confidential: bool = False,
    today: date | None = None,
    mass_threshold: int = MASS_THRESHOLD,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids (32 hex digits, sorted) of the records ``figure`` rests on, and of those it
    counted, under the same filters, visibility, day and threshold it was computed with."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    unit = indicator(figure.indicator).unit
    m = kept.members(unit, figure.group_by)
    if unit == "charge":
        row, hit = _charge_hits(kept, figure.indicator, m, figure.group_by, figure.group)
    else:
        row, hit = _other_hits(kept, figure.indicator, m, today or date.today(), mass_threshold)
    stmt = (
        select(kept.id_text(m.c.id), func.max(case((hit, 1), else_=0)))
        .where(_in_group(m, figure.group), row)
        .group_by(m.c.id)
    )
    with engine.connect() as conn:
        found = sorted(conn.execute(stmt).all())
    return tuple(i for i, _ in found), tuple(i for i, h in found if h)


def with_records(
    engine: Engine,
    filters: Filters | None,
    figure: Figure,
    *,
    show_confidential: bool = False,
    today: date | None = None,
    mass_threshold: int = MASS_THRESHOLD,
) -> Figure:
    """``figure`` with ``rows`` and ``hits`` filled in (:func:`record_ids`)."""
    rows, hits = record_ids(
        engine, filters, figure, show_confidential=show_confidential, today=today,
        mass_threshold=mass_threshold,
    )  # fmt: skip
    return replace(figure, rows=rows, hits=hits)
