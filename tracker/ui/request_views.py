"""The sentences and reparations asked for in a case, each with the sources that state it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from ..i18n import t
from . import records


def _years(months: int) -> str:
    years = months / 12
    return f"{years:g}"


def prison_text(request: Mapping[str, Any]) -> str:
    """The prison asked, as the source gives it: "10 years", "30 to 35 years", "up to 36 years"."""
    low, high = request["prison_months_min"], request["prison_months_max"]
    if high is None:
        return "" if low is None else t("facts.request_months_exact", years=_years(low))
    if low is None:
        return t("facts.request_months_up_to", high=_years(high))
    if low == high:
        return t("facts.request_months_exact", years=_years(low))
    return t("facts.request_months_range", low=_years(low), high=_years(high))


def sentence_requests(
    detail: Mapping[str, Any], charge_types: Mapping[str, str], lang_amount: str = "{:,.0f}"
) -> None:
    """A table of the case's requests, then each request's sources under its own label."""
    st.markdown(f"**{t('facts.requests_heading')}**")
    requests = detail["requests"]
    rows = [
        {
            "when": r["when"],
            "by": r["by"],
            "for": r["for"] or t("facts.request_whole_indictment"),
            "charges": ", ".join(charge_types.get(c, c) for c in r["charge_types"])
            or t("facts.request_all_charges"),
            "prison": prison_text(r),
            "disqualification": t("facts.request_months_exact", years=_years(m))
            if (m := r["disqualification_months"]) is not None
            else "",
            "reparation": f"{r['reparation_currency'] or ''} {lang_amount.format(a)}".strip()
            if (a := r["reparation_amount"]) is not None
            else "",
            "notes": r["notes"] or "",
        }
        for r in requests
    ]
    records.table(
        rows,
        {
            "when": "facts.col.date",
            "by": "facts.col.by",
            "for": "facts.col.for",
            "charges": "facts.col.charges",
            "prison": "facts.col.prison",
            "disqualification": "facts.col.disqualification",
            "reparation": "facts.col.reparation",
            "notes": "facts.col.notes",
        },
        "facts.none",
    )
    records.cited_facts(
        [
            (
                " · ".join(
                    x for x in (row["when"], row["by"], row["prison"] or row["reparation"]) if x
                ),
                detail["citations"].get(r["id"], []),
            )
            for r, row in zip(requests, rows, strict=True)
        ]
    )
