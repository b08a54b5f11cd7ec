"""One defender's prosecution timeline: each charge from filing to its outcome (or to the
data date while pending), the hearings of their cases, and restrictive measures.

Dates that are known only to the month or year are drawn at the first day of that period,
and the table says each date's precision, so a reader can tell "2012-03" from "2012-03-01".
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..analysis import outcome_class
from ..i18n import t
from . import style
from .data import ChartSource
from .style import Caption
from .table import Table

__all__ = ["defender_choices", "timeline_figure", "timeline_table"]

_CLASSES = ("unfounded", "conviction", "pending")
_RESULTS = ("held", "postponed", "cancelled", "judgment")  # vocabulary hearing_result


def defender_choices(source: ChartSource) -> list[tuple[str, str]]:
    """(id, name shown) of every charged defender, longest time under prosecution first."""
    actors = source.data.actors
    return [
        (s["id"], source.scrub(s["label"]))
        for s in source.prosecution_spans()
        if s["id"] in actors and actors[s["id"]].is_defender
    ]


def timeline_table(source: ChartSource, lang: str, defender: str | None = None) -> Table:
    """The rows of one defender's timeline (default: the longest prosecuted).

    Rows: kind (charge, hearing, measure), the row's label on the chart ("case · charge
    type"), what happened (outcome, hearing result, measure kind), its class (outcome class
    of a charge, result of a hearing), start and end dates as drawn, and their precisions.
    """
    data = source.data
    if defender is None:
        choices = defender_choices(source)
        defender = choices[0][0] if choices else None
    columns = ("kind", "row", "event", "status", "start", "start_precision", "end", "end_precision")
    if defender is None or defender not in data.actors:
        return Table(columns, (), (("defender", ""), ("undated", 0)))
    parents = {code: term[2] for code, term in data.vocab.get("outcome", {}).items()}

    def case_title(case_id: str) -> str:
        case = data.cases.get(case_id)
        return source.scrub(case.title) if case else case_id

    rows: list[tuple[object, ...]] = []
    undated = 0
    own = [c for c in data.charges if c.defendant_id == defender]
    for c in own:
        if c.filed_on is None or c.filed_on_precision == "unknown":
            undated += 1
            continue
        cls = outcome_class(c.outcome, parents)
        if cls == "pending":
            end, end_precision = source.as_of, "day"
        elif c.outcome_on is not None and c.outcome_on_precision != "unknown":
            end, end_precision = c.outcome_on, c.outcome_on_precision
        else:
            end, end_precision = None, "unknown"
        label = f"{case_title(c.case_id)} · {data.label('charge_type', c.charge_type, lang)}"
        rows.append(
            (
                "charge",
                label,
                data.label("outcome", c.outcome, lang) if c.outcome else "",
                cls,
                c.filed_on.isoformat(),
                c.filed_on_precision,
                end.isoformat() if end else "",
                end_precision,
            )
        )
    cases = {c.case_id for c in own}
    for h in data.hearings:
        if h.case_id in cases:
            row = f"{case_title(h.case_id)} · {t('charts.hearings', lang)}"
            day = h.scheduled_at.date().isoformat()
            event = t(f"charts.result.{h.result}", lang) if h.result in _RESULTS else ""
            rows.append(("hearing", row, event, h.result or "", day, "day", "", ""))
    for m in data.measures:
        if m.defendant_id == defender and m.ordered_on is not None:
            row = f"{case_title(m.case_id)} · {t('charts.measures', lang)}"
            ended = m.annulled_on.isoformat() if m.annulled_on else ""
            kind = data.label("measure_kind", m.kind, lang)
            rows.append(("measure", row, kind, m.kind, m.ordered_on.isoformat(), "day", ended, ""))
    rows.sort(key=lambda r: (str(r[1]), str(r[0]), str(r[4])))
    return Table(
        columns,
        tuple(rows),
        (("defender", source.scrub(data.actors[defender].label)), ("undated", undated)),
    )


def timeline_figure(table: Table, caption: Caption, lang: str) -> go.Figure:
    """Horizontal lines per charge coloured by outcome class; hearing dots (hollow when
    postponed); diamonds where a restrictive measure was ordered."""
    records = table.records()
    rows = sorted({r["row"] for r in records}, key=lambda row: _first(records, row))
    shown = dict(zip(rows, style.axis_labels(rows, 60), strict=True))
    fig = go.Figure()
    for cls in _CLASSES:
        xs: list[str | None] = []
        ys: list[str | None] = []
        for r in records:
            if r["kind"] == "charge" and r["status"] == cls and r["end"]:
                xs += [r["start"], r["end"], None]
                ys += [shown[r["row"]], shown[r["row"]], None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines+markers",
                    line={"width": 9, "color": style.OUTCOME_COLOURS[cls]},
                    marker={"size": 9, "color": style.OUTCOME_COLOURS[cls]},
                    name=t(f"charts.outcome.{cls}", lang),
                )
            )
    open_ended = [r for r in records if r["kind"] == "charge" and not r["end"]]
    if open_ended:
        name = t("charts.outcome.date_unknown", lang)
        fig.add_trace(_points(open_ended, shown, name, "circle-open", style.OTHER))
    for kind, result, symbol, colour in (
        ("hearing", None, "circle", style.colour(0)),
        ("hearing", "postponed", "circle-open", style.colour(0)),
        ("measure", None, "diamond", style.colour(4)),
    ):
        mine = [
            r
            for r in records
            if r["kind"] == kind
            and ((result is None and r["status"] != "postponed") or r["status"] == result)
        ]
        if mine:
            key = f"charts.marker.{kind}_{result or 'any'}"
            fig.add_trace(_points(mine, shown, t(key, lang), symbol, colour))
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=[shown[r] for r in rows],
        autorange="reversed",
        showgrid=False,
    )
    fig.update_xaxes(
        type="date", title_text=t("charts.axis.date", lang), showgrid=True, gridcolor="#e5e5e5"
    )
    return style.apply(fig, caption, height=max(450, 160 + 40 * len(rows)))


def _first(records: list[dict[str, object]], row: str) -> tuple[str, str]:
    """Rows ordered by their first date, then by name."""
    return (min(str(r["start"]) for r in records if r["row"] == row), row)


def _points(
    records: list[dict[str, object]], shown: dict[str, str], name: str, symbol: str, colour: str
) -> go.Scatter:
    return go.Scatter(
        x=[r["start"] for r in records],
        y=[shown[str(r["row"])] for r in records],
        mode="markers",
        marker={
            "symbol": symbol,
            "size": 11,
            "color": colour,
            "line": {"width": 2, "color": colour},
        },
        name=name,
    )
