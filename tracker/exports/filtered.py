"""The rows an export leaves out because of the page's filters (period, region, charge
type, complainant category, context): the cases, charges and complainant links that
tracker.analysis.kept does not keep, as the database gives their ids.

The selection is KeptRows's own SQL (never written again here), so an export with filters
holds the cases and charges the Network and Indicators pages count under the same filters.
Everything case-scoped follows through the reader's rules (a row referring to a row left out
is left out): parties, hearings, measures, stage changes and sentence requests of a case
left out, complainant links of a charge left out, and citations of any of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..analysis import Filters, KeptRows
from ..analysis.kept import Tables
from ..i18n import t
from .stored_ids import as_read

__all__ = ["filter_rows", "filtered_out"]


def filtered_out(
    conn: Connection, filters: Filters | None, show_confidential: bool
) -> dict[str, set[Any]]:
    """table -> ids (as read) of its rows outside ``filters``; empty without filters.

    Only cases the filters keep, charges the filters keep in those cases, and complainant
    links the filters keep on those charges (a complainant of the chosen categories) stay.
    """
    f = filters
    if f is None or not (
        f.start_year is not None
        or f.end_year is not None
        or f.regions
        or f.contexts
        or f.charge_types
        or f.complainant_categories
    ):
        return {}  # synthetic and restricted rows: the reader's own rules leave them out
    kept = KeptRows(conn.engine, f, show_confidential)
    case, charge, link = Tables.case.c, Tables.charge.c, Tables.link.c
    out: dict[str, set[Any]] = {}
    if kept.q.cases_narrowed():
        out["court_case"] = _ids(
            conn, select(as_read(case.id)).where(case.id.not_in(select(kept.cases.c.id)))
        )
    if f.charge_types or f.complainant_categories:
        out["charge"] = _ids(
            conn,
            select(as_read(charge.id)).where(
                charge.case_id.in_(select(kept.cases.c.id)),
                charge.id.not_in(select(kept.charges.c.id)),
            ),
        )
    if f.complainant_categories:
        out["charge_complainant"] = _ids(
            conn,
            select(as_read(link.id)).where(
                link.charge_id.in_(select(kept.charges.c.id)),
                link.id.not_in(select(kept.links.c.id)),
            ),
        )
    return {table: ids for table, ids in out.items() if ids}


def _ids(conn: Connection, stmt: Any) -> set[Any]:
    return {row[0] for row in conn.execute(stmt)}


def filter_rows(filters: Filters | None, lang: str) -> list[list[Any]]:
    """The ``about`` rows saying which filters the export applied ("none" without any)."""
    if filters is None:
        return [["filters", t("export.filters.none", lang=lang)]]
    chosen = [
        ("filter_from", filters.start_year),
        ("filter_to", filters.end_year),
        ("filter_region", "; ".join(filters.regions)),
        ("filter_charge_type", "; ".join(filters.charge_types)),
        ("filter_complainant_category", "; ".join(filters.complainant_categories)),
        ("filter_context", "; ".join(filters.contexts)),
    ]
    rows: list[list[Any]] = [[key, value] for key, value in chosen if value not in (None, "")]
    return rows or [["filters", t("export.filters.none", lang=lang)]]
