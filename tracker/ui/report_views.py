"""Streamlit pieces of the Reports page: chart picker, chart options, preview, downloads.

The charts come from tracker.charts and the files from tracker.exports; this module reads
widgets, caches, and renders. Static files are made only when a download button is clicked
(a deferred download), through one export server per process, started on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st
from sqlalchemy.engine import Engine

from .. import charts, revision
from ..charts import Chart, ChartSource, Options
from ..charts.timeline import defender_choices
from ..errors import TrackerError
from ..exports import report_pack, static
from ..i18n import LANGUAGES, t
from ..network_data import Filters

_LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# Print resolution for PNG: 1100 x 650 CSS px at 3x is 3300 x 1950 px (300 dpi at 11 in).
PNG_SCALE = static.PRINT_SCALE


@st.cache_resource(max_entries=4, show_spinner=False)
def _source(
    _engine: Engine, url: str, filters: Filters, as_of: date, data_revision: int
) -> ChartSource:
    """The chart rows for these filters, always read as the public may see them; cached
    until the data changes (the key holds the data revision). Rows are read when a chart
    first needs them."""
    return charts.read(_engine, filters, as_of=as_of)


@st.cache_resource(show_spinner=False)
def export_server() -> static.ExportServer:
    """The process's export server (a headless browser), started on the first export.

    Raises ExportUnavailable when there is no browser; that is not cached, so installing
    Chromium and clicking again works without a restart.
    """
    return static.ExportServer()


def _server() -> static.ExportServer:
    """The export server, started again if its browser died."""
    server = export_server()
    if not server.alive:
        export_server.clear()
        server = export_server()
    return server


def chart_source(engine: Engine, filters: Filters) -> ChartSource:
    """The rows behind every chart for ``filters`` (cached until the data changes)."""
    return _source(engine, str(engine.url), filters, date.today(), revision.current(engine))


def pick(lang: str) -> tuple[str, str]:
    """The chart and the language of its labels, chosen in two widgets."""
    cols = st.columns([3, 1])
    code = cols[0].selectbox(
        t("reports.pick_chart"),
        charts.CHARTS,
        format_func=lambda c: t(f"charts.title.{c}", name="…"),
        key="rp_chart",
    )
    if "rp_lang" not in st.session_state:
        st.session_state["rp_lang"] = lang
    labels = cols[1].selectbox(
        t("reports.label_language"),
        LANGUAGES,
        format_func=lambda c: _LANGUAGE_NAMES[c],
        key="rp_lang",
    )
    return str(code), str(labels)


def options(code: str, source: ChartSource) -> Options:
    """The widgets of the options ``code`` has; returns what they select."""
    period, measure, top, defender = "year", "count", 15, None
    if code == "charges_over_time":
        period = st.radio(
            t("reports.period"),
            ("year", "month"),
            format_func=lambda p: t(f"reports.period.{p}"),
            horizontal=True,
            key="rp_period",
        )
    elif code == "outcomes_by_type":
        measure = st.radio(
            t("reports.measure"),
            ("count", "share"),
            format_func=lambda m: t(f"reports.measure.{m}"),
            horizontal=True,
            key="rp_measure",
        )
    elif code in ("top_complainants", "prosecution_time_by_complainant", "postponement_by_court"):
        top = int(st.slider(t("reports.top"), 5, 40, 15, key="rp_top"))
    elif code == "defender_timeline":
        choices = defender_choices(source)
        names = dict(choices)
        if choices:
            defender = st.selectbox(
                t("reports.defender"),
                [c for c, _ in choices],
                format_func=lambda d: names.get(d, d),
                key="rp_defender",
            )
    return Options(period=str(period), measure=str(measure), top=top, defender=defender)


def preview(chart: Chart, lang: str) -> None:
    """The chart, what it counts, and a note when nothing matches."""
    if not chart.table.rows:
        st.info(t("reports.empty"))
    st.plotly_chart(chart.figure, key="report_chart", config={"displaylogo": False})
    st.caption(t(f"charts.about.{chart.code}", lang))


def downloads(chart: Chart, source: ChartSource, lang: str, opts: Options) -> None:
    """PNG (print resolution), SVG, PDF and CSV of the chart, and the report pack."""
    st.subheader(t("reports.download_heading"))
    stem = f"{chart.code}_{lang}"
    browser = static.find_browser()
    cols = st.columns(4)
    if browser is None:
        # Interactive charts and CSV need no browser: say what to install, offer the rest.
        st.warning(t("reports.export.no_browser"))
    else:
        for col, fmt in zip(cols, ("png", "svg", "pdf"), strict=False):
            col.download_button(
                t(f"reports.download.{fmt}"),
                _exporter(chart, fmt),
                file_name=f"{stem}.{fmt}",
                mime=static.FORMATS[fmt],
                key=f"dl_{fmt}",
                on_click="ignore",
            )
    cols[3].download_button(
        t("reports.download.csv"),
        chart.csv(lang),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key="dl_csv",
        on_click="ignore",
    )
    st.subheader(t("reports.pack_heading"))
    st.caption(t("reports.pack_note"))
    if browser is not None:
        pack(source, lang, opts)


_PACK = "rp_pack_file"


def pack(source: ChartSource, lang: str, opts: Options) -> None:
    """The report pack: drawn on a click with a progress bar (it takes 6 s at scale S and
    about 25 s at M), then offered for download until the data, filters or options change."""
    # The cached source is the same object while the data and filters are unchanged.
    token = (id(source), source.as_of, lang, opts)
    if st.button(t("reports.pack_prepare"), key="rp_pack_prepare"):
        st.session_state.pop(_PACK, None)
        with st.status(t("progress.pack_start"), expanded=True) as status:
            bar = st.progress(0.0)

            def step(done: int, total: int, what: str) -> None:
                text = t("progress.pack", done=done, total=total, what=what)
                bar.progress(done / total if total else 1.0, text=text)

            try:
                data = report_pack.build(
                    source, lang, server=_server(), options=opts, progress=step
                )
            except TrackerError as exc:
                status.update(label=exc.message(), state="error")
                st.error(exc.message())
            else:
                st.session_state[_PACK] = (token, data)
                status.update(label=t("progress.pack_done"), state="complete", expanded=False)
    stored = st.session_state.get(_PACK)
    if stored and stored[0] == token:
        st.download_button(
            t("reports.download.pack"),
            stored[1],
            file_name=f"report-{source.as_of.isoformat()}-{lang}.zip",
            mime="application/zip",
            key="dl_pack",
            on_click="ignore",
        )


def _exporter(chart: Chart, fmt: str) -> Callable[[], bytes]:
    """A callable making the file on click (Streamlit runs it outside the script)."""
    scale = PNG_SCALE if fmt == "png" else 1
    return lambda: _server().export(chart.figure, fmt, scale=scale)
