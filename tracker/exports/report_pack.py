"""The report pack: one ZIP with every publication chart as PNG and SVG, the CSV of the
numbers each one draws, and a methodology text a report author can quote.

The methodology says what the figures rest on: the filters, the date of the data, how many
records of each kind, the definition of every indicator (tracker.indicators, the same text
the Indicators page shows), what each chart counts, and how many people appear under a
pseudonym (a count, never a name). Charts are read as the public may see them, so no
confidential person's real name is in any file of the pack.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from .. import analysis, charts
from ..analysis.outcomes import OUTCOME_CLASS
from ..charts import Chart, ChartSource, Options
from ..i18n import t
from .static import ExportServer

__all__ = ["IMAGE_FORMATS", "build", "file_stem", "methodology"]

IMAGE_FORMATS = ("png", "svg")
_RULE = "=" * 72


def file_stem(index: int, chart: Chart) -> str:
    """A chart's file name without extension: its place in the pack and its code."""
    return f"{index:02d}_{chart.code}"


def _outcome_classes(source: ChartSource, lang: str) -> list[str]:
    """Which recorded outcomes count as unfounded and which as a conviction, in words."""
    lines = []
    for cls in ("unfounded", "conviction"):
        codes = [code for code, c in OUTCOME_CLASS.items() if c == cls]
        labels = ", ".join(source.data.label("outcome", code, lang) for code in codes)
        lines.append(f"- {t(f'charts.outcome.{cls}', lang)}: {labels}")
    lines.append(f"- {t('charts.outcome.pending', lang)}: {t('reports.pack.pending_rule', lang)}")
    return lines


def methodology(
    source: ChartSource,
    made: list[Chart],
    lang: str,
    formats: tuple[str, ...] = IMAGE_FORMATS,
) -> str:
    """The methodology text of a pack holding ``made`` as ``formats`` and CSV (plain text)."""
    counts = source.counts()
    lines = [
        t("reports.pack.heading", lang),
        _RULE,
        t("reports.pack.as_of", lang, date=source.as_of.isoformat()),
        t(
            "reports.pack.filters",
            lang,
            filters=source.filters_text(lang),
        ),
        t(
            "reports.pack.synthetic_yes" if source.synthetic else "reports.pack.synthetic_no",
            lang,
        ),
        "",
        t("reports.pack.records_heading", lang),
        *(
            f"- {t(f'reports.pack.count.{key}', lang)}: {counts[key]}"
            for key in ("cases", "charges", "defenders", "complainants", "hearings")
        ),
        "",
        t("reports.pack.privacy_heading", lang),
        t(
            "reports.pack.privacy",
            lang,
            people=counts["pseudonymized_people"],
            charges=counts["pseudonymized_charges"],
        ),
        "",
        t("reports.pack.charts_heading", lang),
    ]
    for i, chart in enumerate(made, start=1):
        stem = file_stem(i, chart)
        lines += [
            "",
            f"{i:02d}. {chart.caption.title}",
            t(
                "reports.pack.files",
                lang,
                files=", ".join(f"{stem}.{f}" for f in (*formats, "csv")),
            ),
            chart.caption.subtitle,
            t(f"charts.about.{chart.code}", lang),
        ]
    lines += ["", t("reports.pack.indicators_heading", lang)]
    for ind in analysis.INDICATORS:
        lines += ["", f"{ind.name(lang)}", f"  {ind.definition(lang)}"]
    lines += ["", t("reports.pack.outcomes_heading", lang), *_outcome_classes(source, lang)]
    lines += ["", _RULE, made[0].caption.source if made else ""]
    return "\n".join(lines) + "\n"


def build(
    source: ChartSource,
    lang: str,
    *,
    server: ExportServer,
    options: Options | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> bytes:
    """The report pack as ZIP bytes.

    Args:
        source: the rows (tracker.charts.read).
        lang: language of every label, header and of the methodology.
        server: the export server that draws PNG and SVG files.
        options: chart choices (period, measure, top, defender).
        progress: called with (charts done, charts in all, title of the chart drawn next,
            or of the last one when all are done): once before the first chart is drawn and
            after each, for a progress bar.

    Raises:
        ExportUnavailable: no browser to draw the images with.
    """
    made = charts.build_all(source, lang, options)
    folder = f"report-{source.as_of.isoformat()}-{lang}"
    buffer = io.BytesIO()
    if progress is not None and made:
        progress(0, len(made), made[0].caption.title)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, chart in enumerate(made, start=1):
            stem = f"{folder}/{file_stem(i, chart)}"
            for fmt in IMAGE_FORMATS:
                zf.writestr(f"{stem}.{fmt}", server.export(chart.figure, fmt))
            zf.writestr(f"{stem}.csv", chart.csv(lang))
            if progress is not None:
                upcoming = made[min(i, len(made) - 1)].caption.title
                progress(i, len(made), upcoming)
        zf.writestr(f"{folder}/methodology.txt", methodology(source, made, lang).encode("utf-8"))
    return buffer.getvalue()
