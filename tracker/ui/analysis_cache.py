"""What the Network, Indicators and Reports pages compute, cached until the data changes.

One :class:`Analysis` per (database, filters, visibility, data revision) holds, computed
once on first use, every result the pages show: each graph view with its communities,
drawing and centrality table, the indicator figures overall and per grouping (per language,
threshold and day; a page of figures at a time), the time under prosecution, and the tables
built from them. The default graph and the indicator figures are aggregated in SQL; the
filtered rows are read only for the other graph views, a node's cases and the records
behind a number. Sessions share it read-only (``st.cache_resource``): nothing that comes out
of it may be changed by a page.

Invalidation is on write, not on a clock: the key holds :func:`tracker.revision.current`
(one primary-key read per rerun), which every write of case data raises; when a page sees a
newer revision, the entries of older revisions of that database are dropped at once, so an
edit shows on the next rerun and two generations of a large data set never pile up. Entries
are bounded: :data:`MAX_DATA_SETS` filter sets per process, and a few results of each kind
per filter set.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar

import networkx as nx
import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from .. import graphs, indicators, revision
from ..graphs import draw
from ..graphs.from_sql import network_sql
from ..i18n import t
from ..indicators import Figure, display
from ..indicators.aggregate import Aggregates
from ..network_data import (
    GRAPH_PARTS,
    PARTS,
    Filters,
    NetworkData,
    PartReader,
    filter_options,
    load,
)

__all__ = ["LARGE_ROWS", "MAX_DATA_SETS", "Analysis", "analysis", "cached_filter_options"]

T = TypeVar("T")
# Filter sets kept per process. At scale L one data set and its results take about a
# gigabyte: keep this small.
MAX_DATA_SETS = 3
# A data set of more rows than this is kept alone (scale M: about 400,000 rows, 400 MB with
# its results; scale L: some 5 million rows, over a gigabyte).
LARGE_ROWS = 1_000_000
# Results of one kind kept per data set (graph views, languages x groupings, ...).
MAX_RESULTS = 8
MAX_NODE_CHOICES = 1000  # nodes offered in the "show the cases of" box, most connected first
# The parts of network_data each graph is built from.
_GRAPH_PARTS = {
    "complainant-defender": GRAPH_PARTS,
    "co-defendant": ("cases", "parties", "actors"),
    "co-complainant": ("cases", "charges", "parties", "actors"),
    "case-actor": ("cases", "parties", "actors"),
}


class Analysis:
    """The rows of one filter set and the results computed from them, each once.

    Thread-safe: one lock per data set, so two sessions asking for the same result compute
    it once (the second waits and gets the first one's result).
    """

    def __init__(self, engine: Engine, filters: Filters, *, show_confidential: bool) -> None:
        self.engine, self.filters, self.show = engine, filters, show_confidential
        self._graph_rows: dict[str, int] = {}  # view -> nodes and charge ids its graph holds
        self.reader = PartReader(
            lambda parts: load(engine, filters, show_confidential=show_confidential, parts=parts)
        )
        self._lock = threading.RLock()
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    @property
    def data(self) -> NetworkData:
        """The rows read so far."""
        return self.reader.data

    def release(self) -> None:
        """Free the rows and results of a data set the cache has dropped.

        A page's variables still point at the analysis of its previous run until the next run
        ends; without this, the dropped data set and its successor would both be in memory
        while the successor is read (3 GB at scale L). A session still holding it reads the
        rows again if it asks for more, so it never sees empty data.
        """
        with self._lock:
            self._memo.clear()
            self.reader.reset()
        # networkx graphs hold reference cycles (a graph and its cached views), which only
        # the cyclic collector frees, and with millions of live objects its full passes are
        # rare: without this the old graphs (400 MB at scale L) stayed while the next were
        # built. Releases happen on a write or when a large data set is dropped, not per run.
        gc.collect()

    def rows(self) -> int:
        """How many rows have been read (every table, the vocabulary aside), and the nodes
        and charge ids of the graphs held: what decides whether this data set is large."""
        data = self.reader.data
        read = sum(len(getattr(data, f.name)) for f in fields(NetworkData) if f.name != "vocab")
        with self._lock:
            held = [self._graph_rows.get(k[1], 0) for k in self._memo if k[0] == "graph"]
        return read + sum(held)

    def need(self, *parts: str) -> NetworkData:
        """The data with these parts of network_data.PARTS read (each read once, on first
        use: the Network page's default view needs neither hearings nor parties, which are
        most of the memory at scale L)."""
        return self.reader.need(*parts)

    def _get(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            value = make()
            self._memo[key] = value
            same = [k for k in self._memo if k[0] == key[0]]
            for old in same[: max(0, len(same) - MAX_RESULTS)]:
                del self._memo[old]
            return value

    # --- graphs -------------------------------------------------------------------------

    def graph(self, view: str) -> nx.Graph:
        """The graph of ``view`` (graphs.graph_by_name). The default view, complainant ->
        defender, is aggregated in SQL (graphs.from_sql): its edges, not its two million
        rows at scale L, come into memory."""

        def make() -> nx.Graph:
            if view == "complainant-defender":
                g, slices = network_sql(self.engine, self.filters, show_confidential=self.show)
                self._memo[("slices",)] = slices  # the same statement gave them
            else:
                g = graphs.graph_by_name(self.need(*_GRAPH_PARTS[view]), view)
            # What the graph holds, in rows: each edge keeps the ids of its charges.
            self._graph_rows[view] = g.number_of_nodes() + sum(
                len(ids) for _, _, ids in g.edges(data="charge_ids", default=())
            )
            return g

        return self._get(("graph", view), make)

    def communities(self, view: str) -> list[dict[str, Any]]:
        """Louvain communities of the view's graph."""
        return self._get(("communities", view), lambda: graphs.communities(self.graph(view)))

    def drawing(self, view: str) -> tuple[nx.Graph, draw.Reduction, dict[str, int]]:
        """The part of the graph that is drawn, what was left out, and whole-graph degrees."""

        def make() -> tuple[nx.Graph, draw.Reduction, dict[str, int]]:
            g = self.graph(view)
            shown, reduction = draw.reduce_for_drawing(g)
            return shown, reduction, dict(g.degree(shown.nodes))

        return self._get(("drawing", view), make)

    def figure(self, view: str, by: str, lang: str) -> Any:
        """The plotly figure of the drawn graph, coloured by community or group."""

        def make() -> Any:
            shown, _, degree = self.drawing(view)
            # Communities only when colouring by them (Louvain is the costly part).
            found = self.communities(view) if by == "community" else []
            colour, legend = _colours(shown, found, by, lang)
            return draw.figure(shown, colour, legend, degree=degree)

        return self._get(("figure", view, by, lang), make)

    def node_choices(self, view: str) -> list[str]:
        """The most connected nodes first (ties by label, then id), at most MAX_NODE_CHOICES."""

        def make() -> list[str]:
            g = self.graph(view)
            degree = dict(g.degree())  # once, not a degree view call per node
            ranked = sorted(g, key=lambda n: (-degree[n], str(g.nodes[n].get("label", n)), n))
            return ranked[:MAX_NODE_CHOICES]

        return self._get(("choices", view), make)

    def node_cases(self, node: str, lang: str) -> list[dict[str, Any]]:
        """graphs.node_cases for one node."""
        return self._get(
            ("node", node, lang),
            lambda: graphs.node_cases(self.need("cases", "charges", "parties"), node, lang),
        )

    def reach(self) -> list[dict[str, Any]]:
        """graphs.reach of the complainant -> defender graph."""
        return self._get(("reach",), lambda: graphs.reach(self.graph("complainant-defender")))

    def repeat(self) -> list[dict[str, Any]]:
        """graphs.repeat_targeting of the complainant -> defender graph."""
        g = self.graph("complainant-defender")
        return self._get(("repeat",), lambda: graphs.repeat_targeting(g))

    def slices(self) -> list[dict[str, Any]]:
        """The yearly counts of graphs.time_slices."""
        return self._get(
            ("slices",),
            lambda: network_sql(self.engine, self.filters, show_confidential=self.show)[1],
        )

    def centrality(self, view: str) -> list[dict[str, Any]]:
        """graphs.centrality of the view's graph."""
        return self._get(("centrality", view), lambda: graphs.centrality(self.graph(view)))

    # --- indicators ---------------------------------------------------------------------
    # Figures come from SQL aggregates (tracker.indicators.aggregate): no row is read for
    # them. The rows are read only to list the records behind one number, when asked.

    def aggregates(self, threshold: int, today: date) -> Aggregates:
        """The SQL aggregates of this data set for a mass threshold and a day."""

        def make() -> Aggregates:
            return Aggregates(
                self.engine,
                self.filters,
                show_confidential=self.show,
                today=today,
                mass_threshold=threshold,
            )

        return self._get(("aggregates", threshold, today), make)

    def prepare_figures(self, group_bys: tuple[str, ...], threshold: int, today: date) -> None:
        """Compute the numbers of these groupings together: the statements of the first
        run cover the overall table and the breakdown shown at once."""
        with self._lock:
            self.aggregates(threshold, today).prepare(group_bys)

    def figures(self, group_by: str, lang: str, threshold: int, today: date) -> list[Figure]:
        """Every figure of one grouping (without the ids of the records behind them)."""
        return self.figures_page(group_by, lang, threshold, today, 0, None)[0]

    def figures_page(
        self, group_by: str, lang: str, threshold: int, today: date, start: int, count: int | None
    ) -> tuple[list[Figure], int]:
        """Figures start..start+count of a grouping, and how many it has."""

        def make() -> tuple[list[Figure], int]:
            found = self.aggregates(threshold, today)
            return found.figures_page(group_by, lang, start, count)

        return self._get(("figures", group_by, lang, threshold, today, start, count), make)

    def figure_table(
        self,
        group_by: str,
        lang: str,
        threshold: int,
        today: date,
        *,
        with_definition: bool,
        start: int = 0,
        count: int | None = None,
    ) -> pd.DataFrame:
        """display.figure_rows of those figures (start..start+count), as a table."""

        def make() -> pd.DataFrame:
            figures, _ = self.figures_page(group_by, lang, threshold, today, start, count)
            rows = display.figure_rows(
                figures, lang, with_definition=with_definition, mass_threshold=threshold
            )
            return pd.DataFrame(rows)

        key = ("figure_table", group_by, lang, threshold, today, with_definition, start, count)
        return self._get(key, make)

    def spans_table(self, lang: str, threshold: int, today: date) -> pd.DataFrame:
        """Time under prosecution per defender, as the Indicators page shows it."""

        def make() -> pd.DataFrame:
            spans = self.aggregates(threshold, today).prosecution_spans()
            precision: dict[str, str] = {}
            for s in spans:
                if s["precision"] not in precision:
                    precision[s["precision"]] = t(f"indicators.precision.{s['precision']}", lang)
            columns = [
                t(f"indicators.col.{c}", lang)
                for c in ("defendant", "start", "end", "days", "precision", "pending")
            ]
            values = [
                (s["label"], s["start"], s["end"], s["days"], precision[s["precision"]],
                 s["pending"])
                for s in spans
            ]  # fmt: skip
            return pd.DataFrame(values, columns=columns)

        return self._get(("spans_table", lang, threshold, today), make)

    def with_rows(self, figure: Figure, threshold: int, today: date) -> Figure:
        """The figure with the ids of the records behind it (indicators.compute on the rows,
        read on first use)."""

        def make() -> Figure:
            for found in indicators.compute(
                self.need(*PARTS),
                group_by=figure.group_by,
                today=today,
                mass_threshold=threshold,
                codes=[figure.indicator],
            ):
                if found.group == figure.group:
                    return found
            return figure

        key = ("with_rows", figure.indicator, figure.group_by, figure.group, threshold, today)
        return self._get(key, make)

    def rows_count(self, figure: Figure) -> tuple[int, int]:
        """How many records a figure (with_rows) rests on, and how many of them it counted."""
        key = (figure.indicator, figure.group_by, figure.group, figure.rows, figure.hits)
        return self._get(
            ("count", key), lambda: (len(set(figure.rows) | set(figure.hits)), len(figure.hits))
        )

    def rows_behind(
        self, figure: Figure, lang: str, today: date, start: int, count: int
    ) -> tuple[pd.DataFrame, int]:
        """One page of display.rows_behind (rows start..start+count) and the number of rows
        of a figure (with_rows)."""

        def make() -> tuple[pd.DataFrame, int]:
            rows, total = display.rows_behind_page(
                self.need(*PARTS), figure, lang, today=today, start=start, count=count
            )
            return pd.DataFrame(rows), total

        key = (figure.indicator, figure.group_by, figure.group, figure.rows, figure.hits)
        return self._get(("behind", key, lang, today, start, count), make)


def _colours(
    g: nx.Graph, found: list[dict[str, Any]], by: str, lang: str
) -> tuple[dict[str, str], dict[str, str]]:
    """node -> colour key, and colour key -> legend text."""
    if by == "community":
        of = graphs.community_of(found)
        colour = {n: str(of.get(n, 0)) for n in g}
        return colour, {k: t("network.community_n", lang, n=k) for k in set(colour.values())}
    colour = {n: str(g.nodes[n].get("group", "")) for n in g}
    return colour, {k: t(f"network.group.{k}", lang) for k in set(colour.values())}


@st.cache_resource(max_entries=MAX_DATA_SETS, show_spinner=False)
def _analysis(
    _engine: Engine, url: str, filters: Filters, show_confidential: bool, data_revision: int
) -> Analysis:
    """The rows for these filters at this revision (shared read-only by every session)."""
    return Analysis(_engine, filters, show_confidential=show_confidential)


_live_lock = threading.Lock()
# (url, filters, show_confidential) -> the revision cached for it
_live: dict[tuple[str, Filters, bool], int] = {}


def _drop_older(engine: Engine, url: str, newest: int) -> None:
    """Forget every cached data set of ``url`` older than revision ``newest``."""
    with _live_lock:
        stale = [(k, r) for k, r in _live.items() if k[0] == url and r < newest]
        for k, _ in stale:
            del _live[k]
    for (_, filters, show), old in stale:
        _analysis.clear(engine, url, filters, show, old)
    _release(lambda key: key[0] == url and key[3] < newest)


def _release(dropped: Callable[[tuple[str, Filters, bool, int]], bool]) -> None:
    """Release (:meth:`Analysis.release`) every analysis made whose key is ``dropped``."""
    with _live_lock:
        gone = [(key, ref()) for key, ref in _made.items() if dropped(key)]
        for key, _ in gone:
            del _made[key]
    for _, found in gone:
        if found is not None:
            found.release()
    if any(found is None for _, found in gone):
        # Freed already, but its graphs may be cyclic garbage only the collector frees.
        gc.collect()


# (url, filters, show_confidential, revision) -> the analysis cached for it (weakly: the
# cache owns it), to see how large each is.
_made: dict[tuple[str, Filters, bool, int], weakref.ref[Analysis]] = {}


def _drop_large_others(engine: Engine, key: tuple[str, Filters, bool, int]) -> None:
    """Forget every other cached data set holding more than LARGE_ROWS rows.

    At scale L one data set takes over a gigabyte: an editor's and a viewer's (or two filter
    sets) side by side would pass the memory budget, so large ones are kept one at a time
    and the other is read again when next asked for.
    """
    with _live_lock:
        large = []
        for other, ref in list(_made.items()):
            found = ref()
            if found is None:
                del _made[other]
            elif other != key and found.rows() > LARGE_ROWS:
                large.append(other)
    for other in large:
        _analysis.clear(engine, *other)
    _release(lambda other: other in large)


def analysis(engine: Engine, filters: Filters, *, show_confidential: bool) -> Analysis:
    """The cached analysis of ``filters`` at the database's current data revision."""
    url = engine.url.render_as_string(hide_password=True)
    rev = revision.current(engine)
    if any(k[0] == url and r < rev for k, r in list(_live.items())):
        _drop_older(engine, url, rev)
    with _live_lock:
        _live[(url, filters, show_confidential)] = max(
            rev, _live.get((url, filters, show_confidential), rev)
        )
    found = _analysis(engine, url, filters, show_confidential, rev)
    key = (url, filters, show_confidential, rev)
    with _live_lock:
        earlier = _made.get(key)
        stale = earlier() if earlier is not None else None
        _made[key] = weakref.ref(found)
    if earlier is not None and stale is not found:
        # The cache made this one anew: the earlier one was cleared from it. When nothing
        # held the earlier one any more it is gone, but its graphs hold reference cycles:
        # without a collector pass they stayed while this one's were built (1.9 GB at L).
        if stale is not None:
            stale.release()
        else:
            gc.collect()
    _drop_large_others(engine, key)
    return found


@st.cache_resource(max_entries=16, show_spinner=False)
def _options(
    _engine: Engine, url: str, show_confidential: bool, lang: str, data_revision: int
) -> dict[str, Any]:
    return filter_options(_engine, show_confidential=show_confidential, lang=lang)


def cached_filter_options(engine: Engine, *, show_confidential: bool, lang: str) -> dict[str, Any]:
    """network_data.filter_options, cached until the data changes (read-only)."""
    url = engine.url.render_as_string(hide_password=True)
    return _options(engine, url, show_confidential, lang, revision.current(engine))
