"""Indicator figures as table rows for display: translated headers, formatted values, and the
records behind a number (plain data; the page only hands them to st.dataframe)."""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import dates
from ..analysis import Figure, indicator, outcome_class
from ..i18n import get_language, t
from ..network_data import NetworkData


def _number(value: float, spec: str, lang: str | None) -> str:
    """A number with the language's separators (Spanish: 2.375,5; English: 2,375.5)."""
    text = format(value, spec)
    if (lang or get_language()) == "es":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_value(kind: str, value: float | None, lang: str | None = None) -> str:
    """A figure as text: shares as percentages, days and years with their unit."""
    if value is None:
        return "–"
    if kind == "share":
        return t("indicators.value.share", lang, value=_number(value * 100, ".1f", lang))
    if kind == "days":
        return t("indicators.value.days", lang, value=_number(value, ",.0f", lang))
    if kind == "years":
        return t("indicators.value.years", lang, value=_number(value, ".1f", lang))
    if kind == "mean":
        return _number(value, ".2f", lang)
    return _number(value, ",.0f", lang)


def _details(figure: Figure, lang: str | None) -> str:
    parts = []
    for key, value in figure.details.items():
        if key == "precision":
            value = t(f"indicators.precision.{value}", lang)
        elif key == "share":
            value = format_value("share", value, lang)
        elif value is None:
            value = "–"
        parts.append(f"{t(f'indicators.detail.{key}', lang)}: {value}")
    return " · ".join(parts)


def figure_rows(
    figures: list[Figure],
    lang: str | None = None,
    *,
    with_definition: bool = False,
    mass_threshold: int = 5,
) -> list[dict[str, Any]]:
    """One table row per figure: indicator, group, value, counted, out of, details."""
    rows = []
    for f in figures:
        ind = indicator(f.indicator)
        row = {
            t("indicators.col.indicator", lang): ind.name(lang),
            t("indicators.col.group", lang): f.label,
            t("indicators.col.value", lang): format_value(ind.kind, f.value, lang),
            t("indicators.col.numerator", lang): f.numerator,
            t("indicators.col.denominator", lang): f.denominator,
            t("indicators.col.details", lang): _details(f, lang),
        }
        if with_definition:
            row[t("indicators.col.definition", lang)] = ind.definition(lang, mass_threshold)
        rows.append(row)
    return rows


def rows_behind(
    data: NetworkData, figure: Figure, lang: str = "en", *, today: date | None = None
) -> list[dict[str, Any]]:
    """The records a figure was computed from, with a column saying which were counted."""
    return rows_behind_page(data, figure, lang, today=today)[0]


def rows_behind_page(
    data: NetworkData,
    figure: Figure,
    lang: str = "en",
    *,
    today: date | None = None,
    start: int = 0,
    count: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Rows ``start`` to ``start + count`` of :func:`rows_behind`, and how many there are.

    The order is that of rows_behind: counted rows first, then by id (the first column, and
    unique); only the rows of the page are built, so a page of a million records is quick.
    """
    hits = set(figure.hits)
    order = sorted(hits) + sorted((set(figure.rows) | hits) - hits)
    page = order[start:] if count is None else order[start : start + count]
    out = _unit_rows(data, indicator(figure.indicator).unit, set(page), lang, today)
    counted = t("indicators.col.counted", lang)
    for row in out:
        row[counted] = row["id"] in hits
    out.sort(key=lambda r: (not r[counted], *(str(v) for v in r.values())))
    # The id stays (for a link or a hidden column) but last: names lead.
    return [{k: v for k, v in r.items() if k != "id"} | {"id": r["id"]} for r in out], len(order)


def _unit_rows(
    data: NetworkData, unit: str, ids: set[str], lang: str, today: date | None
) -> list[dict[str, Any]]:
    """The display rows of the units (charges, cases, hearings, measures) with these ids."""
    out: list[dict[str, Any]] = []
    if unit == "charge":
        out = _charge_rows(data, ids, lang)
    elif unit == "case":
        defendants = _defendants(data, ids)
        out = [
            {
                "id": c.id,
                t("indicators.col.case", lang): c.title,
                t("indicators.col.region", lang): c.region or "",
                t("indicators.col.opened", lang): dates.format_partial(
                    c.opened_on, c.opened_on_precision
                ),
                t("indicators.col.defendants", lang): len(defendants.get(c.id, ())),
            }
            for c in data.cases.values()
            if c.id in ids
        ]
    elif unit == "hearing":
        out = [
            {
                "id": h.id,
                t("indicators.col.case", lang): _case_title(data, h.case_id),
                t("indicators.col.scheduled", lang): h.scheduled_at.strftime("%Y-%m-%d %H:%M"),
                t("indicators.col.result", lang): h.result or "",
                t("indicators.col.court", lang): data.courts[h.court_id].name
                if h.court_id in data.courts
                else "",
            }
            for h in data.hearings
            if h.id in ids
        ]
    elif unit == "measure":
        out = [
            {
                "id": m.id,
                t("indicators.col.case", lang): _case_title(data, m.case_id),
                t("indicators.col.defendant", lang): _actor(data, m.defendant_id),
                t("indicators.col.kind", lang): data.label("measure_kind", m.kind, lang),
                t("indicators.col.ordered", lang): m.ordered_on.isoformat() if m.ordered_on else "",
                t("indicators.col.annulled", lang): m.annulled_on.isoformat()
                if m.annulled_on
                else "",
            }
            for m in data.measures
            if m.id in ids
        ]
    return out


def _defendants(data: NetworkData, ids: set[str]) -> dict[str, set[str]]:
    """case id -> its defendants (defendant parties and people charged), for these cases."""
    out: dict[str, set[str]] = {i: set() for i in ids}
    for p in data.parties:
        if p.role == "defendant" and p.case_id in out:
            out[p.case_id].add(p.actor_id)
    for c in data.charges:
        if c.case_id in out:
            out[c.case_id].add(c.defendant_id)
    return out


def _case_title(data: NetworkData, case_id: str) -> str:
    case = data.cases.get(case_id)
    return case.title if case else case_id


def _actor(data: NetworkData, actor_id: str) -> str:
    actor = data.actors.get(actor_id)
    return actor.label if actor else actor_id


def _charge_rows(data: NetworkData, ids: set[str], lang: str) -> list[dict[str, Any]]:
    parents = {code: term[2] for code, term in data.vocab.get("outcome", {}).items()}
    filers: dict[str, list[str]] = {}
    for link in data.complainants:
        if link.charge_id in ids:
            filers.setdefault(link.charge_id, []).append(_actor(data, link.actor_id))
    return [
        {
            "id": c.id,
            t("indicators.col.case", lang): _case_title(data, c.case_id),
            t("indicators.col.defendant", lang): _actor(data, c.defendant_id),
            t("indicators.col.complainants", lang): ", ".join(sorted(filers.get(c.id, []))),
            t("indicators.col.charge_type", lang): data.label("charge_type", c.charge_type, lang),
            t("indicators.col.filed", lang): dates.format_partial(c.filed_on, c.filed_on_precision),
            t("indicators.col.outcome", lang): data.label("outcome", c.outcome, lang),
            t("indicators.col.outcome_class", lang): t(
                f"indicators.class.{outcome_class(c.outcome, parents)}", lang
            ),
            t("indicators.col.requested", lang): c.sentence_requested_months,
            t("indicators.col.imposed", lang): c.sentence_imposed_months,
        }
        for c in data.charges
        if c.id in ids
    ]


def chart_value(kind: str, value: float | None) -> float | None:
    """A figure's value as a chart draws it: shares in percent, the rest as they are."""
    if value is None:
        return None
    return round(value * 100, 2) if kind == "share" else value


def _years_text(months: int, lang: str | None) -> str:
    years = months / 12
    return _number(years, ".0f" if years == int(years) else ".1f", lang)


def asked_text(low: int | None, high: int | None, lang: str | None = None) -> str:
    """A request's prison term in years: "30–35 years", "up to 36 years", "10 years"."""
    if low is not None and high is not None and low != high:
        return t("indcards.asked.range", lang, low=_years_text(low, lang),
                 high=_years_text(high, lang))  # fmt: skip
    if low is None and high is not None:
        return t("indcards.asked.up_to", lang, high=_years_text(high, lang))
    value = low if low is not None else high
    return t("indcards.asked.fixed", lang, value=_years_text(value, lang)) if value else "–"


def request_rows(
    requests: list[dict[str, Any]], labels: dict[str, str], lang: str | None = None
) -> list[dict[str, Any]]:
    """Display rows of the sentence requests behind a figure (tracker.analysis.requests
    .request_rows), the id last; ``labels``: charge type code -> its name."""
    col = lambda key: t(f"indcards.col.{key}", lang)  # noqa: E731
    return [
        {
            t("indicators.col.case", lang): r["case"],
            col("requested_by"): r["requested_by"] or t("indicators.unknown", lang),
            col("for"): r["defendant"] or t("indcards.every_defendant", lang),
            col("charges"): ", ".join(labels.get(c, c) for c in r["charge_types"])
            or t("indcards.whole_indictment", lang),
            col("date"): dates.format_partial(r["requested_on"], r["precision"])
            or t("indicators.unknown", lang),
            col("asked"): asked_text(r["months_min"], r["months_max"], lang),
            col("counted_years"): _number(r["months"] / 12, ".2f", lang),
            col("covered"): r["charges"],
            "id": r["id"],
        }
        for r in requests
    ]
