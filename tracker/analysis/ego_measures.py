"""Measures of the Network page that read better from the database than from the graph:
the defenders facing the most charges (weighted degree) and repeat targeting, both GROUP BYs
on the kept charges of :class:`~tracker.analysis.kept.KeptRows` (the same filters and
visibility as the indicators), named as this viewer may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from .. import privacy
from .kept import Filters, KeptRows, Tables

__all__ = ["most_charged", "repeat_pairs"]

_a = Tables.actor


def most_charged(
    engine: Engine,
    filters: Filters | None,
    n: int,
    *,
    show_confidential: bool,
    redact: Callable[[str], str] | None = None,
) -> list[dict[str, Any]]:
    """The ``n`` defendants facing the most kept charges (a defender's weighted degree in
    charges: each charge once), with their distinct accusers and cases; ties by name."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    ch, link = kept.charges, kept.links
    d = _a.alias("defendant")
    name = privacy.name_column(show_confidential=show_confidential, table=d)
    accusers = (
        select(ch.c.defendant_id, func.count(func.distinct(link.c.actor_id)).label("n"))
        .select_from(ch.join(link, link.c.charge_id == ch.c.id))
        .group_by(ch.c.defendant_id)
        .subquery("accusers")
    )
    charges = func.count(ch.c.id)
    stmt = (
        select(kept.id_text(d.c.id), name, charges, func.count(func.distinct(ch.c.case_id)),
               func.coalesce(func.max(accusers.c.n), 0))
        .select_from(ch.join(d, d.c.id == ch.c.defendant_id)
                     .outerjoin(accusers, accusers.c.defendant_id == ch.c.defendant_id))
        .group_by(d.c.id, d.c.name, d.c.pseudonym, d.c.confidentiality)
        .order_by(charges.desc(), name, d.c.id)
        .limit(max(0, int(n)))
    )  # fmt: skip
    redact = redact or privacy.redactor(engine, show_confidential=show_confidential)
    with engine.connect() as conn:
        return [
            {"id": r[0], "label": redact(r[1]), "charges": int(r[2]), "cases": int(r[3]),
             "accusers": int(r[4])}
            for r in conn.execute(stmt)
        ]  # fmt: skip


def repeat_pairs(
    engine: Engine,
    filters: Filters | None,
    n: int,
    *,
    show_confidential: bool,
    redact: Callable[[str], str] | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Repeat targeting: (complainant, defender) pairs named together in kept charges of two
    or more distinct cases (the ``repeat_targeting`` indicator's numerator), how many there
    are, and the ``n`` with the most cases (then charges, then names)."""
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    ch, link = kept.charges, kept.links
    cases = func.count(func.distinct(ch.c.case_id))
    pairs = (
        select(link.c.actor_id.label("k"), ch.c.defendant_id.label("d"), cases.label("cases"),
               func.count().label("charges"))
        .select_from(ch.join(link, link.c.charge_id == ch.c.id))
        .group_by(link.c.actor_id, ch.c.defendant_id)
        .having(cases >= 2)
        .subquery("pairs")
    )  # fmt: skip
    k, d = _a.alias("k"), _a.alias("d")
    k_name = privacy.name_column(show_confidential=show_confidential, table=k)
    d_name = privacy.name_column(show_confidential=show_confidential, table=d)
    stmt = (
        select(kept.id_text(k.c.id), k_name, kept.id_text(d.c.id), d_name, pairs.c.cases,
               pairs.c.charges)
        .select_from(pairs.join(k, k.c.id == pairs.c.k).join(d, d.c.id == pairs.c.d))
        .order_by(pairs.c.cases.desc(), pairs.c.charges.desc(), k_name, d_name)
        .limit(max(0, int(n)))
    )  # fmt: skip
    redact = redact or privacy.redactor(engine, show_confidential=show_confidential)
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).select_from(pairs)).scalar_one())
        rows = [
            {"complainant_id": r[0], "complainant": redact(r[1]), "defender_id": r[2],
             "defender": redact(r[3]), "cases": int(r[4]), "charges": int(r[5])}
            for r in conn.execute(stmt)
        ]  # fmt: skip
    return total, rows
