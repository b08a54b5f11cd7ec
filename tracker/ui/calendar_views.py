"""The Hearings screen (hearings ahead, overdue ones, the .ics download) and the timeline of a
prosecution that a defender's page shows: the two views of the tracker's dates."""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go
import streamlit as st
from sqlmodel import Session
from streamlit_calendar import calendar as st_calendar

from .. import calendar, casework, profiles
from ..i18n import t
from ..privacy import may_see_confidential
from ..services.vocabulary import labels
from . import records
from .setup import PageContext

PAGE_SIZE = 50
GOTO = "h_goto"  # the case to open, set by a row click


def hearings_page(ctx: PageContext) -> None:
    """Hearings ahead (7, 30 or 90 days; by court; by lawyer), overdue ones, and the .ics file."""
    trusted = may_see_confidential(ctx.principal.role)
    today = date.today()
    courts = ctx.read(casework.courts, show_confidential=trusted)
    lawyers = ctx.read(calendar.lawyers, show_confidential=trusted)
    types = ctx.read(labels, "hearing_type", ctx.lang)
    c1, c2, c3 = st.columns(3)
    days = c1.radio(
        t("hearings.window"),
        calendar.WINDOWS,
        index=1,
        horizontal=True,
        key="h_days",
        format_func=lambda d: t("hearings.days", days=d),
    )
    court = c2.selectbox(
        t("field.court_id"),
        ["", *courts],
        key="h_court",
        format_func=lambda v: courts.get(v, ""),
    )
    lawyer = c3.selectbox(
        t("hearings.lawyer"),
        ["", *lawyers],
        key="h_lawyer",
        format_func=lambda v: lawyers.get(v, ""),
    )
    where: dict[str, Any] = {
        "court_id": court or None,
        "lawyer_id": lawyer or None,
        "show_confidential": trusted,
    }
    _calendar(ctx, today, types, where)
    page = int(st.number_input(t("cases.page"), min_value=1, value=1, step=1, key="h_page")) - 1
    ahead, total = ctx.read(
        calendar.hearings_ahead, today=today, days=days, page=page, page_size=PAGE_SIZE, **where
    )
    late_page = int(st.session_state.get("h_late_page", 1)) - 1
    late, late_total = ctx.read(
        calendar.overdue, today=today, page=late_page, page_size=PAGE_SIZE, **where
    )
    st.subheader(t("hearings.ahead_heading", days=days))
    first, last = min(total, page * PAGE_SIZE + 1), min(total, (page + 1) * PAGE_SIZE)
    st.caption(t("hearings.count", total=total, first=first, last=last))
    _table(ahead, types, "hearings.none_ahead", "h_ahead_rows")

    def ics() -> bytes:
        # Built only when the button is clicked: a 90-day file at scale M takes a second.
        with Session(ctx.engine) as session:
            return calendar.ics_bytes(session, today=today, days=days, lang=ctx.lang, **where)

    st.download_button(
        t("hearings.download_ics"),
        ics,
        file_name=f"hearings-{today.isoformat()}-{days}d.ics",
        mime="text/calendar",
        key="h_ics",
        disabled=not total,
        # No rerun on click: a rerun registers the file under a new id while the browser
        # asks for the old one, and the download could fail (Streamlit's documented race).
        on_click="ignore",
    )
    st.caption(t("hearings.ics_note"))
    st.subheader(t("hearings.overdue_heading"))
    st.caption(t("hearings.overdue_count", total=late_total))
    _table(late, types, "hearings.none_overdue", "h_late_rows")
    if late_total > PAGE_SIZE:
        st.number_input(t("hearings.overdue_page"), min_value=1, value=1, step=1, key="h_late_page")
    goto = st.session_state.pop(GOTO, None)
    if goto:
        st.switch_page("pages/1_Cases.py", query_params={"case": goto})


def _open(case_id: Any) -> None:
    """Open a hearing's case (where its result is recorded) on the next run."""
    st.session_state[GOTO] = str(case_id)


def _table(rows: list[dict[str, Any]], types: dict[str, str], empty_key: str, key: str) -> None:
    if not rows:
        st.info(t(empty_key))
        return
    records.clickable(
        [
            {
                t("dashboard.col.when"): r["when"],
                t("dashboard.col.case"): r["case"]["title"],
                t("field.case_number"): r["case"]["case_number"] or "",
                t("field.hearing_type"): types.get(r["hearing_type"], r["hearing_type"]),
                t("field.court_id"): r["court"],
                t("dashboard.col.defendants"): ", ".join(r["defendants"]),
                t("hearings.col.lawyers"): ", ".join(r["lawyers"]),
                t("dashboard.col.data"): t("data.synthetic")
                if r["is_synthetic"]
                else t("data.documented"),
            }
            for r in rows
        ],
        None,
        key=key,
        ids=[r["case_id"] for r in rows],
        on_pick=_open,
    )


def _calendar(ctx: PageContext, today: date, types: dict[str, str], where: dict[str, Any]) -> None:
    """Month and week views of the filtered hearings; a click on one opens its case."""
    c1, c2, c3, c4, c5 = st.columns([3, 1, 1, 1, 4], vertical_alignment="bottom")
    view = c1.segmented_control(
        t("hearings.view"),
        ["month", "week"],
        default="month",
        required=True,
        key="h_view",
        format_func=lambda v: t("hearings.view_week" if v == "week" else "hearings.view_month"),
    )
    day: date = st.session_state.setdefault("h_day", today)
    step = timedelta(days=7) if view == "week" else None
    c2.button("◀", key="h_prev", help=t("hearings.previous"), on_click=_move, args=(-1, step))
    c3.button(t("hearings.today"), key="h_today", on_click=_move, args=(0, step))
    c4.button("▶", key="h_next", help=t("hearings.next"), on_click=_move, args=(1, step))
    start, end = (calendar.week_range if view == "week" else calendar.month_range)(day)
    events = ctx.read(
        calendar.calendar_events, start=start, end=end, today=today, labels=types, **where
    )
    late = sum(1 for e in events if e["extendedProps"]["state"] == "overdue")
    c5.caption(t("hearings.calendar_count", count=len(events), overdue=late))
    options = {
        "initialView": "timeGridWeek" if view == "week" else "dayGridMonth",
        "initialDate": day.isoformat(),
        "headerToolbar": {"left": "", "center": "title", "right": ""},
        "locale": ctx.lang,
        "firstDay": 1,
        "allDayText": t("hearings.all_day"),
        "slotMinTime": "07:00:00",
        "slotMaxTime": "20:00:00",
        "height": 720 if view == "week" else 650,
        "eventDisplay": "block",
        "dayMaxEvents": 4,
        "moreLinkText": t("hearings.more"),
    }
    # The key holds what the calendar shows: a new period or view mounts a new calendar
    # (FullCalendar reads initialView and initialDate only when it mounts).
    state = st_calendar(
        events=events,
        options=options,
        callbacks=["eventClick"],
        key=f"h_calendar_{view}_{day.isoformat()}",
    )
    st.caption(t("hearings.legend"))
    clicked = (state or {}).get("eventClick", {}).get("event", {})
    case_id = clicked.get("extendedProps", {}).get("case_id")
    if case_id and st.session_state.get("h_clicked") != clicked.get("id"):
        st.session_state["h_clicked"] = clicked.get("id")
        st.switch_page("pages/1_Cases.py", query_params={"case": case_id})


def _move(direction: int, step: timedelta | None) -> None:
    """Show the previous or next week or month (``direction`` -1 or 1), or today's (0)."""
    day: date = st.session_state.get("h_day", date.today())
    if direction == 0:
        day = date.today()
    elif step is not None:
        day += direction * step
    else:
        month = day.month - 1 + direction
        day = date(day.year + month // 12, month % 12 + 1, 1)
    st.session_state["h_day"] = day


# Drawn in this order, hearings last and smaller: a court event often falls on a hearing's day.
_SYMBOLS = {"opened": ("star", 14), "charge": ("diamond", 12), "event": ("square", 14)}
_SYMBOLS.update(measure=("x", 12), outcome=("triangle-up", 12), hearing=("circle", 8))


def _what(event: dict[str, Any], vocab: dict[str, dict[str, str]]) -> str:
    """The label of what happened: a charge type, a measure, a hearing type, a stage..."""
    vocabulary = {"charge": "charge_type", "outcome": "outcome", "measure": "measure_kind"}.get(
        event["kind"], {"hearing": "hearing_type", "event": "stage"}.get(event["kind"], "")
    )
    labels = vocab.get(vocabulary, {})
    return labels.get(event["what"]) or vocab["court_event"].get(event["what"], event["what"])


def timeline_section(
    detail: dict[str, Any], vocab: dict[str, dict[str, str]], *, today: date
) -> None:
    """The prosecution from the first complaint to today: a plotly chart and a dated table."""
    events = profiles.timeline(detail, today=today)
    if not events:
        st.caption(t("timeline.empty"))
        return
    dated = [e for e in events if e["kind"] != "today"]
    st.caption(t("timeline.span", first=dated[0]["shown"], today=today.isoformat()))
    st.plotly_chart(timeline_figure(events, vocab), config={"displaylogo": False}, key="timeline")
    rows = [
        {
            t("timeline.col.date"): e["shown"],
            t("dashboard.col.case"): e["case_title"],
            t("timeline.col.kind"): t(f"timeline.kind.{e['kind']}"),
            t("timeline.col.what"): _what(e, vocab),
        }
        for e in dated
    ]
    st.dataframe(rows, hide_index=True, width="stretch")


def timeline_figure(events: list[dict[str, Any]], vocab: dict[str, dict[str, str]]) -> go.Figure:
    """One row per case, a marker per dated event, a line from its first event to today.

    Hover texts are data: escaped, since plotly renders a few HTML tags in them.
    """
    figure = go.Figure()
    short = {e["case_id"]: e["case_title"][:40] for e in events if e["case_id"]}
    for case_id, title in short.items():
        days = [e["date"] for e in events if e["case_id"] == case_id]
        figure.add_trace(
            go.Scatter(
                x=[min(days), events[-1]["date"]],
                y=[title] * 2,
                mode="lines",
                line={"color": "lightgray", "width": 6},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for kind, (symbol, size) in _SYMBOLS.items():
        chosen = [e for e in events if e["kind"] == kind]
        if chosen:
            figure.add_trace(
                go.Scatter(
                    x=[e["date"] for e in chosen],
                    y=[short[e["case_id"]] for e in chosen],
                    mode="markers",
                    name=t(f"timeline.kind.{kind}"),
                    marker={"symbol": symbol, "size": size},
                    text=[html.escape(f"{e['shown']} · {_what(e, vocab)}") for e in chosen],
                    hovertemplate="%{text}<extra></extra>",
                )
            )
    figure.add_shape(
        type="line",
        x0=events[-1]["date"],
        x1=events[-1]["date"],
        y0=0,
        y1=1,
        yref="paper",
        line={"dash": "dot", "color": "firebrick"},
    )
    figure.update_layout(
        height=160 + 40 * len(short),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        yaxis={"automargin": True},
    )
    return figure
