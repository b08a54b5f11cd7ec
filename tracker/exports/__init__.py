"""Exports: one module per format, found through :data:`EXPORTERS`.

Every exporter has the same shape, ``export(engine, out, options) -> int`` (the number of
records written), and applies tracker.privacy itself, so the page and the command line give
the same file.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from ..analysis.filters import Filters

GRAPHS = ("complainant-defender", "co-defendant", "co-complainant", "case-actor")


@dataclass(frozen=True)
class ExportOptions:
    """What every exporter may need to know.

    Attributes:
        lang: language of labels and headers ("en" or "es").
        show_confidential: real names of confidential people (administrators only).
        include_synthetic: whether demo rows go out too (they are flagged either way).
        graph: which graph, for graph formats.
        filters: the page's filters (period, region, charge type, complainant category,
            context): only the cases and charges tracker.analysis keeps under them, and what
            belongs to those, go out (the data exports; None: everything).
        progress: called as rows are read, with (rows read, rows in all), by the exports
            that stream (csv, xlsx, json, ftm), so a long export can show how far it is.
    """

    lang: str = "en"
    show_confidential: bool = False
    include_synthetic: bool = True
    graph: str = "complainant-defender"
    filters: Filters | None = None
    progress: Callable[[int, int], None] | None = field(default=None, compare=False)


Exporter = Callable[[Engine, Path, ExportOptions], int]

# format -> "module:function"; modules are imported only when their format is used.
EXPORTERS: dict[str, str] = {
    "graphml": "tracker.exports.graph:export_graphml",
    "gexf": "tracker.exports.graph:export_gexf",
    "edgelist": "tracker.exports.graph:export_edgelist",
    "csv": "tracker.exports.tables:export_csv",
    "xlsx": "tracker.exports.tables:export_xlsx",
    "json": "tracker.exports.tables:export_json",
    "ftm": "tracker.exports.ftm:export_ftm",
    "ics": "tracker.exports.ics:export_ics",
    "documents": "tracker.exports.documents:export_documents",
}


def available_formats() -> list[str]:
    """The formats whose module is installed in this version."""
    out = []
    for fmt, target in EXPORTERS.items():
        module = target.split(":")[0]
        if importlib.util.find_spec(module) is not None:
            out.append(fmt)
    return out


def exporter(fmt: str) -> Exporter:
    """The export function of ``fmt``."""
    module, name = EXPORTERS[fmt].split(":")
    fn: Exporter = getattr(importlib.import_module(module), name)
    return fn
