"""What the Network, Indicators and Reports pages compute, cached until the data changes.

One :class:`Analysis` per (database, filters, visibility, data revision) holds, computed
once on first use, every result the pages show: each graph view with its communities,
drawing and centrality table, the indicator figures overall and per grouping (per language,
threshold and day; a page of figures at a time), the time under prosecution, and the tables
built from them. The default graph and the indicator figures are aggregated in SQL; the
filtered rows are read only for the other graph views, a node's cases and the records
behind a number. Sessions share it read-only (this module's registry): nothing that comes
out of it may be changed by a page.

Invalidation is on write, not on a clock: each analysis is of the data revision
(:func:`tracker.revision.current_pair`, one read per rerun) it was made at, which every write
of case data raises; when a page sees a newer revision, older analyses of that database are
released, so an edit shows on the next rerun and two generations of a large data set never
pile up. One exception, for analyses slow to compute (over :data:`STALE_AFTER_S`, scale L):
on the Network and Indicators pages the older one stands in, said so on the page, while the
same results are computed for the new revision in a background thread, unless the privacy
revision moved (a write that could reveal what the older results hid). Entries are bounded:
:data:`MAX_DATA_SETS` filter sets per process, large ones one at a time, and a few results of
each kind per filter set.
"""

from __future__ import annotations

import contextvars
import functools
import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields
from datetime import date
from typing import Any, TypeVar, cast

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
from ..stored_results import ResultStore, Stored, key_text

__all__ = [
    "LARGE_ROWS",
    "MAX_DATA_SETS",
    "PAGE_BUDGET_S",
    "STALE_AFTER_S",
    "Analysis",
    "StillComputing",
    "analysis",
    "budget",
    "cached_filter_options",
    "clear",
    "updating",
    "wait_for_updates",
]

log = logging.getLogger(__name__)
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
Call = tuple[str, tuple[Any, ...], tuple[tuple[str, Any], ...]]
Key = tuple[str, Filters, bool]  # (database url, filters, visibility)
# Filter sets kept per process. At scale L one data set and its results take about a
# gigabyte: keep this small.
MAX_DATA_SETS = 3
# A data set of more rows than this is kept alone (scale M: about 400,000 rows, 400 MB with
# its results; scale L: some 5 million rows, over a gigabyte).
LARGE_ROWS = 1_000_000
# Results of one kind kept per data set (graph views, languages x groupings, ...).
MAX_RESULTS = 8
# How long a page run waits for a result before it says the result is still being computed
# (and shows it when ready): a page answers within 5 s, whatever the size of the data.
PAGE_BUDGET_S = 4.0
# An analysis whose results took longer than a page may wait for them is slow: it is stored
# in the database and stands for the next revision while they are computed again (scale L:
# a minute and more; S: milliseconds; M: 2-5 s, so some M analyses are slow on a busy
# machine).
STALE_AFTER_S = PAGE_BUDGET_S
# Calls remembered per analysis, to compute the same results again for a newer revision.
MAX_CALLS = 64
# The results kept in the database between server starts (tracker.stored_results) when an
# analysis took longer than STALE_AFTER_S: what the pages show. Not the graphs themselves
# (hundreds of megabytes at scale L), nor what is quick to make again from these (plotly
# figures, tables) or read on request (a node's cases, the records behind a number).
STORED_KINDS = frozenset(
    {"graph_info", "drawing", "labels", "reach", "repeat", "slices", "centrality",
     "communities", "prepared", "figures", "spans"}
)  # fmt: skip
MAX_NODE_CHOICES = 1000  # nodes offered in the "show the cases of" box, most connected first
# The parts of network_data each graph is built from.
_GRAPH_PARTS = {
    "complainant-defender": GRAPH_PARTS,
    "co-defendant": ("cases", "parties", "actors"),
    "co-complainant": ("cases", "charges", "parties", "actors"),
    "case-actor": ("cases", "parties", "actors"),
}


# The end of the current page run's budget (time.monotonic), None outside a budget.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "analysis_deadline", default=None
)
_ABSENT = object()


class StillComputing(Exception):
    """A result is still being computed in the background past the page's budget.

    Attributes:
        started: when its computation started (epoch seconds).
    """

    def __init__(self, started: float) -> None:
        super().__init__(started)
        self.started = started


class _Job:
    """One result computed in a background thread for pages that could not wait for it."""

    def __init__(self, analysis: Analysis, key: tuple[Any, ...], make: Callable[[], Any]):
        self.started = time.time()
        self.value: Any = _ABSENT
        self.error: BaseException | None = None
        context = contextvars.copy_context()
        context.run(_deadline.set, None)  # the thread itself waits for what it needs
        self.thread = threading.Thread(
            target=context.run, args=(self._run, analysis, key, make), daemon=True,
            name=f"analysis-{key[0]}",
        )  # fmt: skip
        self.thread.start()

    def _run(self, analysis: Analysis, key: tuple[Any, ...], make: Callable[[], Any]) -> None:
        try:
            self.value = analysis._get_now(key, make)
        except Exception as error:  # noqa: BLE001 - raised again in the page that asks next
            self.error = error
            return
        analysis.save()  # kept even if no page comes back for it


class budget:
    """Within it, a result not ready after :data:`PAGE_BUDGET_S` (counted from the start)
    raises :class:`StillComputing` while its computation goes on in the background."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = PAGE_BUDGET_S if seconds is None else seconds
        self._token: contextvars.Token[float | None] | None = None

    def __enter__(self) -> budget:
        self._token = _deadline.set(time.monotonic() + self.seconds)
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._token is not None
        _deadline.reset(self._token)


class _Missing(Exception):
    """A frozen stand-in was asked for a result it does not hold (see Analysis.freeze)."""


def _delegating(method: F) -> F:
    """On a frozen stand-in, a result it does not hold is asked of its successor: computed
    there once, for the current revision, not here to be thrown away with the stand-in."""

    @functools.wraps(method)
    def wrapper(self: Analysis, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except _Missing:
            successor = self._successor
            assert successor is not None  # raised only when there is one
            return getattr(successor, method.__name__)(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _replayable(method: F) -> F:
    """Remember the call, so that a newer revision's analysis can compute it again (and
    delegate it as :func:`_delegating` does)."""
    delegating = _delegating(method)

    @functools.wraps(method)
    def wrapper(self: Analysis, *args: Any, **kwargs: Any) -> Any:
        self._remember((method.__name__, args, tuple(sorted(kwargs.items()))))
        return delegating(self, *args, **kwargs)

    wrapper.replayable = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


class Analysis:
    """The rows of one filter set and the results computed from them, each once.

    Thread-safe: one lock per data set, so two sessions asking for the same result compute
    it once (the second waits and gets the first one's result).
    """

    def __init__(self, engine: Engine, filters: Filters, *, show_confidential: bool) -> None:
        self.engine, self.filters, self.show = engine, filters, show_confidential
        self.key: Key = (
            engine.url.render_as_string(hide_password=True), filters, show_confidential
        )  # fmt: skip
        # The data and privacy revisions it was made at (tracker.revision.current_pair).
        self.revision = self.privacy = 0
        # The newer revision being computed while this one stands for it, if any.
        self.newer: int | None = None
        self.failed: int | None = None  # a revision whose background computation failed
        self.seconds = 0.0  # time spent computing its results
        self.computed_at = time.time()  # when its last result was computed
        self._released = False
        self._successor: Analysis | None = None  # the newer one it stands for (freeze)
        self._depth = 0
        self._calls: OrderedDict[Call, None] = OrderedDict()
        # Its own lock: the registry reads the calls while a computation may hold _lock.
        self._calls_lock = threading.Lock()
        self._graph_rows: dict[str, int] = {}  # view -> nodes and charge ids its graph holds
        self.reader = PartReader(
            lambda parts: load(engine, filters, show_confidential=show_confidential, parts=parts)
        )
        self._lock = threading.RLock()
        self._memo: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._store = ResultStore(engine, filters, show_confidential)
        self._stored: set[str] = set()  # keys of the results stored at its revision
        self._unsaved: dict[tuple[Any, ...], None] = {}  # computed here, not stored yet
        self._jobs: dict[tuple[Any, ...], _Job] = {}  # results computed for pages (budget)
        self._jobs_lock = threading.Lock()

    def adopt(self, stored: Stored) -> None:
        """Take the results stored in the database (read on first use) as this analysis's:
        its revision, the time they took, what was asked of it."""
        self.revision, self.seconds, self.computed_at = (
            stored.revision, stored.seconds, stored.computed_at
        )  # fmt: skip
        self._stored = set(stored.keys)
        for call in stored.calls:
            # Read from the database: only well-formed calls of replayable methods are kept.
            if not (isinstance(call, tuple) and len(call) == 3 and isinstance(call[0], str)):
                continue
            name, args, kwargs = call
            if (
                getattr(getattr(type(self), name, None), "replayable", False)
                and isinstance(args, tuple)
                and isinstance(kwargs, tuple)
                and all(isinstance(kv, tuple) and len(kv) == 2 for kv in kwargs)
            ):
                self._remember((name, args, kwargs))

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
            self._graph_rows.clear()
            self.reader.reset()
            self._released = True
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
        # Without the analysis's lock: it may be held for a minute by a computation, and
        # the registry asks every run (graphs are never evicted: there are four views).
        return read + sum(list(self._graph_rows.values()))

    def need(self, *parts: str) -> NetworkData:
        """The data with these parts of network_data.PARTS read (each read once, on first
        use: the Network page's default view needs neither hearings nor parties, which are
        most of the memory at scale L)."""
        return self.reader.need(*parts)

    # --- standing for a newer revision -------------------------------------------------

    def may_stand_for(self, rev: int, privacy: int) -> bool:
        """Whether this analysis may be shown for revision ``rev`` while that one's results
        are computed: it is older, its results were slow to compute, it has not been
        released, its update has not failed, and no write since could reveal what it hid."""
        return (
            self.revision < rev
            and self.privacy == privacy
            and self.seconds > STALE_AFTER_S
            and not self._released
            and (self.failed is None or self.failed < rev)
        )

    def freeze(self, successor: Analysis) -> None:
        """Stand in for ``successor`` while it is computed: drop the graphs held (the bulk
        of the memory at scale L: 540 MB, which beside the successor's build passed the
        1.5 GB budget) and keep what the pages show of them. Any result it does not hold,
        a graph included, is from now on the successor's (computed there, waiting for the
        successor's lock while it is busy)."""
        with self._lock:
            self._successor = successor
            for key in [k for k in self._memo if k[0] == "graph"]:
                del self._memo[key]
            self._graph_rows.clear()
        gc.collect()  # graphs hold reference cycles

    def _remember(self, call: Call) -> None:
        with self._calls_lock:
            self._calls[call] = None
            self._calls.move_to_end(call)
            while len(self._calls) > MAX_CALLS:
                self._calls.popitem(last=False)

    def calls(self) -> list[Call]:
        """The results asked of it so far (method, arguments), oldest first."""
        with self._calls_lock:
            return list(self._calls)

    def replay(self, calls: list[Call]) -> None:
        """Compute the results of ``calls`` (:meth:`calls` of an older analysis)."""
        for name, args, kwargs in calls:
            getattr(self, name)(*args, **dict(kwargs))

    def computing(self) -> bool:
        """Whether a result asked for by a page (within :class:`budget`) is being computed,
        here or in the newer analysis it stands for."""
        with self._jobs_lock:
            if any(job.thread.is_alive() for job in self._jobs.values()):
                return True
        return self._successor is not None and self._successor.computing()

    def _get(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        deadline = _deadline.get()
        if deadline is None:
            return self._get_now(key, make)
        # Within a page's budget: a result held is returned without the lock (a computation
        # of another result may hold it for a minute at scale L); one that is not is computed
        # in a background thread, which the page waits for until the budget runs out.
        value = self._memo.get(key, _ABSENT)
        if value is not _ABSENT:
            return cast(T, value)
        with self._jobs_lock:
            job = self._jobs.get(key)
            if job is None:
                job = self._jobs[key] = _Job(self, key, make)
        job.thread.join(max(0.0, deadline - time.monotonic()))
        if job.thread.is_alive():
            raise StillComputing(job.started)
        with self._jobs_lock:
            if self._jobs.get(key) is job:
                del self._jobs[key]
        if job.error is not None:
            raise job.error
        return cast(T, job.value)

    def _get_now(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
            if self._stored and key[0] in STORED_KINDS:
                text = key_text(key)
                if text in self._stored:
                    value = self._store.load(self.revision, self.privacy, text)
                    if value is not None:
                        self._memo[key] = value
                        return value
                    self._stored.discard(text)  # deleted meanwhile (a newer revision saved)
            if self._successor is not None:
                raise _Missing(key)  # the public method asks the successor instead
            started = time.perf_counter()
            self._depth += 1
            try:
                value = make()
            finally:
                self._depth -= 1
            if not self._depth:  # nested results are counted in the outer one
                self.seconds += time.perf_counter() - started
                self.computed_at = time.time()
            self._memo[key] = value
            if key[0] in STORED_KINDS:
                self._unsaved[key] = None
            same = [k for k in self._memo if k[0] == key[0]]
            for old in same[: max(0, len(same) - MAX_RESULTS)]:
                del self._memo[old]
            return value

    def save(self, *, background: bool = False) -> None:
        """Store in the database the results computed since the last save, once the analysis
        has proved slow (over STALE_AFTER_S; quick ones are computed again, not stored), in
        one transaction. Called at the end of a page run (``background``: in a thread of its
        own, as writing 150,000 rows of a table takes a second at scale L), of a background
        computation and of an update; skipped while a computation holds the analysis (it
        saves when done)."""
        if not self._unsaved or self.seconds <= STALE_AFTER_S or self._successor is not None:
            return
        if background:
            thread = threading.Thread(target=self.save, daemon=True, name="analysis-save")
            with _lock:
                _saving[:] = [t for t in _saving if t.is_alive()] + [thread]
            thread.start()
            return
        if not self._lock.acquire(blocking=False):
            return
        try:
            results = {key_text(k): self._memo[k] for k in self._unsaved if k in self._memo}
            meta = {
                "seconds": self.seconds, "computed_at": self.computed_at, "calls": self.calls()
            }  # fmt: skip
            if self._store.save(self.revision, self.privacy, results, meta):
                self._stored |= set(results)
            self._unsaved.clear()
        finally:
            self._lock.release()

    # --- graphs -------------------------------------------------------------------------

    @_replayable
    def graph(self, view: str) -> nx.Graph:
        """The graph of ``view`` (graphs.graph_by_name). The default view, complainant ->
        defender, is aggregated in SQL (graphs.from_sql): its edges, not its two million
        rows at scale L, come into memory."""

        def make() -> nx.Graph:
            if view == "complainant-defender":
                g, slices = network_sql(self.engine, self.filters, show_confidential=self.show)
                self._memo[("slices",)] = slices  # the same statement gave them
                self._unsaved[("slices",)] = None
            else:
                g = graphs.graph_by_name(self.need(*_GRAPH_PARTS[view]), view)
            # What the graph holds, in rows: each edge keeps the ids of its charges.
            self._graph_rows[view] = g.number_of_nodes() + sum(
                len(ids) for _, _, ids in g.edges(data="charge_ids", default=())
            )
            return g

        return self._get(("graph", view), make)

    @_replayable
    def graph_info(self, view: str) -> dict[str, Any]:
        """The view's graph in numbers: ``nodes``, ``edges`` and whether it is ``directed``
        (kept when the graph itself is dropped, see :meth:`freeze`)."""

        def make() -> dict[str, Any]:
            g = self.graph(view)
            return {
                "nodes": g.number_of_nodes(),
                "edges": g.number_of_edges(),
                "directed": g.is_directed(),
            }

        return self._get(("graph_info", view), make)

    @_replayable
    def communities(self, view: str) -> list[dict[str, Any]]:
        """Louvain communities of the view's graph."""
        return self._get(("communities", view), lambda: graphs.communities(self.graph(view)))

    @_replayable
    def drawing(self, view: str) -> tuple[nx.Graph, draw.Reduction, dict[str, int]]:
        """The part of the graph that is drawn, what was left out, and whole-graph degrees."""

        def make() -> tuple[nx.Graph, draw.Reduction, dict[str, int]]:
            g = self.graph(view)
            shown, reduction = draw.reduce_for_drawing(g)
            if shown is g or nx.is_frozen(shown):
                # The whole graph, or a view of it, would keep it alive after freeze(); what
                # is drawn is small (draw.MAX_NODES).
                shown = shown.copy()
            return shown, reduction, dict(g.degree(shown.nodes))

        return self._get(("drawing", view), make)

    @_replayable
    def figure(self, view: str, by: str, lang: str) -> Any:
        """The plotly figure of the drawn graph, coloured by community or group."""

        def make() -> Any:
            shown, _, degree = self.drawing(view)
            # Communities only when colouring by them (Louvain is the costly part).
            found = self.communities(view) if by == "community" else []
            colour, legend = _colours(shown, found, by, lang)
            return draw.figure(shown, colour, legend, degree=degree)

        return self._get(("figure", view, by, lang), make)

    @_replayable
    def node_labels(self, view: str) -> dict[str, str]:
        """The nodes offered in the "show the cases of" box with their labels: the most
        connected first (ties by label, then id), at most MAX_NODE_CHOICES."""

        def make() -> dict[str, str]:
            g = self.graph(view)
            degree = dict(g.degree())  # once, not a degree view call per node
            label = {n: str(attrs.get("label", n)) for n, attrs in g.nodes(data=True)}
            ranked = sorted(g, key=lambda n: (-degree[n], label[n], n))
            return {n: label[n] for n in ranked[:MAX_NODE_CHOICES]}

        return self._get(("labels", view), make)

    @_delegating
    def node_cases(self, node: str, lang: str) -> list[dict[str, Any]]:
        """graphs.node_cases for one node."""
        return self._get(
            ("node", node, lang),
            lambda: graphs.node_cases(self.need("cases", "charges", "parties"), node, lang),
        )

    @_replayable
    def reach(self) -> list[dict[str, Any]]:
        """graphs.reach of the complainant -> defender graph."""
        return self._get(("reach",), lambda: graphs.reach(self.graph("complainant-defender")))

    @_replayable
    def repeat(self) -> list[dict[str, Any]]:
        """graphs.repeat_targeting of the complainant -> defender graph."""
        return self._get(
            ("repeat",), lambda: graphs.repeat_targeting(self.graph("complainant-defender"))
        )

    @_replayable
    def slices(self) -> list[dict[str, Any]]:
        """The yearly counts of graphs.time_slices."""
        return self._get(
            ("slices",),
            lambda: network_sql(self.engine, self.filters, show_confidential=self.show)[1],
        )

    @_replayable
    def centrality(self, view: str) -> list[dict[str, Any]]:
        """graphs.centrality of the view's graph."""
        return self._get(("centrality", view), lambda: graphs.centrality(self.graph(view)))

    # --- indicators ---------------------------------------------------------------------
    # Figures come from SQL aggregates (tracker.indicators.aggregate): no row is read for
    # them. The rows are read only to list the records behind one number, when asked.

    @_replayable
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

    @_replayable
    def prepare_figures(self, group_bys: tuple[str, ...], threshold: int, today: date) -> None:
        """Compute the numbers of these groupings together: the statements of the first
        run cover the overall table and the breakdown shown at once."""

        def make() -> bool:
            self.aggregates(threshold, today).prepare(group_bys)
            return True  # stored as a mark: the figures of a stored analysis are stored too

        self._get(("prepared", group_bys, threshold, today), make)

    def figures(self, group_by: str, lang: str, threshold: int, today: date) -> list[Figure]:
        """Every figure of one grouping (without the ids of the records behind them)."""
        return self.figures_page(group_by, lang, threshold, today, 0, None)[0]

    @_replayable
    def figures_page(
        self, group_by: str, lang: str, threshold: int, today: date, start: int, count: int | None
    ) -> tuple[list[Figure], int]:
        """Figures start..start+count of a grouping, and how many it has."""

        def make() -> tuple[list[Figure], int]:
            found = self.aggregates(threshold, today)
            return found.figures_page(group_by, lang, start, count)

        return self._get(("figures", group_by, lang, threshold, today, start, count), make)

    @_replayable
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

    @_replayable
    def spans_table(self, lang: str, threshold: int, today: date) -> pd.DataFrame:
        """Time under prosecution per defender, as the Indicators page shows it."""

        def make() -> pd.DataFrame:
            spans = self._get(
                ("spans", threshold, today),
                lambda: self.aggregates(threshold, today).prosecution_spans(),
            )
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

    @_delegating
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

    @_delegating
    def rows_count(self, figure: Figure) -> tuple[int, int]:
        """How many records a figure (with_rows) rests on, and how many of them it counted."""
        key = (figure.indicator, figure.group_by, figure.group, figure.rows, figure.hits)
        return self._get(
            ("count", key), lambda: (len(set(figure.rows) | set(figure.hits)), len(figure.hits))
        )

    @_delegating
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


_lock = threading.Lock()
# The newest analysis of each key, least recently used first (at most MAX_DATA_SETS).
_entries: OrderedDict[Key, Analysis] = OrderedDict()
# Analyses of a newer revision being computed in the background (one per key at a time).
_warming: dict[Key, tuple[Analysis, threading.Thread]] = {}
# Threads saving results to the database (Analysis.save).
_saving: list[threading.Thread] = []
# One background computation at a time: at scale L each takes up to 700 MB while it runs,
# and an editor's and a viewer's at once would pass the memory budget.
_update_slot = threading.Lock()


def clear() -> None:
    """Forget and release every cached analysis (an update computing meanwhile is discarded
    when it ends)."""
    with _lock:
        gone = list(_entries.values())
        _entries.clear()
    for found in gone:
        found.release()


def wait_for_updates(timeout: float | None = None) -> bool:
    """Wait until nothing is being computed or saved in the background (newer analyses,
    results pages asked for past their budget, saves); False on timeout."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        with _lock:
            threads = [thread for _, thread in _warming.values()]
            threads += [thread for thread in _saving if thread.is_alive()]
            held = list(_entries.values())
        for found in held:  # results pages asked for past their budget
            with found._jobs_lock:
                threads += [job.thread for job in found._jobs.values() if job.thread.is_alive()]
        if not threads:
            return True
        for thread in threads:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
            if thread.is_alive():
                return False


def updating(found: Analysis) -> bool:
    """Whether a newer analysis than ``found`` is still being computed."""
    with _lock:
        return found.key in _warming


def analysis(
    engine: Engine,
    filters: Filters,
    *,
    show_confidential: bool,
    stale_ok: bool = False,
    at: tuple[int, int] | None = None,
) -> Analysis:
    """The cached analysis of ``filters`` at the database's current data revision.

    With ``stale_ok`` (the Network and Indicators pages), when the cached analysis is of an
    older revision, took more than :data:`STALE_AFTER_S` to compute and no write since could
    reveal what it hid (:func:`tracker.revision.current_pair`), it is returned as it is,
    with :attr:`Analysis.newer` set, while the results it holds are computed again for the
    current revision in a background thread; the next run after that gets the new one.
    Without it (the Reports page, exports of the rows), the current revision's analysis is
    returned, waiting for the background computation if one is under way. ``at`` is the
    data and privacy revision when the caller has just read them this run (else read here).
    """
    url = engine.url.render_as_string(hide_password=True)
    rev, privacy = at if at is not None else revision.current_pair(engine)
    key: Key = (url, filters, show_confidential)
    while True:
        with _lock:
            found = _entries.get(key)
            warming = _warming.get(key)
            # Revisions only grow: one made at a later revision than this run read is current.
            if found is not None and found.revision >= rev:
                _entries.move_to_end(key)
                found.newer = None
                break
            if found is not None and stale_ok and found.may_stand_for(rev, privacy):
                _entries.move_to_end(key)
                found.newer = rev
                if warming is None:
                    _start_update(engine, key, found, rev, privacy)
                break
        if warming is not None:
            warming[1].join()  # its result is the current one, or the closest to it
            continue
        # Results kept in the database by an earlier process (or by this one, before its
        # entry was dropped): the current revision's, or an older one to stand in.
        stored = ResultStore(engine, filters, show_confidential).latest(rev, privacy)
        # An older one stands in only where stand-ins may, and only if it was slow (a meta
        # row that could not be read reads as quick).
        if (
            stored is not None
            and stored.revision < rev
            and not (stale_ok and stored.seconds > STALE_AFTER_S)
        ):
            stored = None
        with _lock:
            if _entries.get(key) is not found:
                continue  # another session replaced it meanwhile: look again
            found = Analysis(engine, filters, show_confidential=show_confidential)
            found.revision, found.privacy = rev, privacy
            if stored is not None:
                found.adopt(stored)
            old = _entries.pop(key, None)
            _entries[key] = found
            if found.revision < rev:  # stored results of an older revision stand in
                found.newer = rev
                _start_update(engine, key, found, rev, privacy)
        if old is not None:
            old.release()
        break
    _drop(url, rev, privacy, key)
    return found


def _start_update(engine: Engine, key: Key, old: Analysis, rev: int, privacy: int) -> None:
    """Compute again, in a background thread, the results ``old`` holds, at revision ``rev``
    (called with ``_lock`` held)."""
    new = Analysis(engine, key[1], show_confidential=key[2])
    new.revision, new.privacy = rev, privacy
    calls = old.calls()
    # The thread runs in the page's context (its language among others), without the
    # page's time budget: it computes everything, however long it takes.
    context = contextvars.copy_context()
    context.run(_deadline.set, None)
    thread = threading.Thread(
        target=context.run, args=(_update, key, old, new, calls), daemon=True,
        name=f"analysis-update-{rev}",
    )  # fmt: skip
    _warming[key] = (new, thread)
    thread.start()


def _update(key: Key, old: Analysis, new: Analysis, calls: list[Call]) -> None:
    """The background thread of :func:`_start_update`."""
    started = time.perf_counter()
    try:
        with _update_slot:
            old.freeze(new)
            new.replay(calls)
            new.save()
    except Exception:  # the page computes it in the open and shows the error
        log.exception("updating an analysis in the background failed")
        old.failed = new.revision
        new.release()
        with _lock:
            _warming.pop(key, None)
        return
    log.info(
        "analysis of revision %s computed in %.1f s", new.revision, time.perf_counter() - started
    )
    with _lock:
        _warming.pop(key, None)
        taken = _entries.get(key) is old
        if taken:
            _entries[key] = new
    if taken:
        old.release()
    else:  # cleared, or replaced by a newer one meanwhile
        new.release()
    _drop(key[0], new.revision, new.privacy, key)


def _drop(url: str, rev: int, privacy: int, key: Key) -> None:
    """Release what must not stay beside ``key``'s analysis: analyses of ``url`` older than
    ``rev`` that may not stand for a newer one (two generations of a large data set never
    pile up), the least recently used past :data:`MAX_DATA_SETS`, and, when other analyses
    hold more than :data:`LARGE_ROWS` rows, each of those.

    At scale L one data set takes over a gigabyte: an editor's and a viewer's (or two filter
    sets) side by side would pass the memory budget, so large ones are kept one at a time
    and the other is read again when next asked for.
    """
    with _lock:
        others = [(k, found) for k, found in _entries.items() if k != key]
    # Sizes outside the registry's lock: an analysis busy computing holds its own lock.
    large = {k for k, found in others if found.rows() > LARGE_ROWS}
    with _lock:
        gone = [
            k for k, found in others
            if k in large or (
                k[0] == url and found.revision < rev and k not in _warming
                and not found.may_stand_for(rev, privacy)
            )
        ]  # fmt: skip
        kept = [k for k, _ in others if k not in gone]
        gone += kept[: max(0, len(kept) + 1 - MAX_DATA_SETS)]
        released = [
            _entries.pop(k) for k, found in others if k in gone and _entries.get(k) is found
        ]
    for found in released:
        found.release()


@st.cache_resource(max_entries=16, show_spinner=False)
def _options(
    _engine: Engine, url: str, show_confidential: bool, lang: str, data_revision: int
) -> dict[str, Any]:
    return filter_options(_engine, show_confidential=show_confidential, lang=lang)


def cached_filter_options(
    engine: Engine, *, show_confidential: bool, lang: str, data_revision: int | None = None
) -> dict[str, Any]:
    """network_data.filter_options, cached until the data changes (read-only); pass the
    ``data_revision`` read this run, if any, to save reading it again."""
    url = engine.url.render_as_string(hide_password=True)
    if data_revision is None:
        data_revision = revision.current(engine)
    return _options(engine, url, show_confidential, lang, data_revision)
