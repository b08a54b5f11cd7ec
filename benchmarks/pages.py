"""Server-side run time of app.py and every page, against an empty page and raw SQL.

Each page runs under Streamlit's AppTest (the same script run the server does, without a
browser), as an editor and as a viewer: once cold (first run in a fresh AppTest, in a fresh
process: it includes importing the tracker, nothing stored), then warm, several times
(median), then uncached (its data caches cleared before each run: the first view after the
server starts, reading what is stored in the database), then fresh (stored results deleted
too: a filter set never viewed), then after an edit (the data revision raised before the
run; at scale L the Network and Indicators pages then show their previous results while the
new ones are computed in the background, timed apart as "update"). A page answers within its
time budget and leaves slower results to the background, so each case is also timed until
its results show. Streamlit's own fixed cost is an empty page measured the same way; the
page's work is its time less the empty page's. Every SQL statement the page sends is counted
with an engine event, so "a handful of aggregate queries" is checked, not assumed.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
EMPTY_PAGE = 'import streamlit as st\nst.title("Empty")\nst.write("ok")\n'


def page_paths() -> list[str]:
    """app.py and every file of pages/, in the order the sidebar shows them."""
    files = sorted((ROOT / "pages").glob("*.py"), key=lambda p: (int(p.name.split("_")[0]), p.name))
    return ["app.py", *(f"pages/{p.name}" for p in files)]


class QueryCounter:
    """Counts SQL statements sent by every engine of this process."""

    def __init__(self) -> None:
        self.count = 0

    def __enter__(self) -> QueryCounter:
        event.listen(Engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def _app(path: str, username: str | None) -> AppTest:
    at = AppTest.from_file(
        str(ROOT / path) if not Path(path).is_absolute() else path, default_timeout=600
    )
    if username:
        at.session_state["auth"] = {"username": username, "last_seen": time.time()}
    return at


# Cached resources that outlive a change of data: the engine and the export browser.
KEEP_CACHED = frozenset({"_engine", "export_server"})


def clear_data_caches() -> int:
    """Clear what the pages cache of the data (st.cache_data, and every st.cache_resource of
    tracker/ but the engine and the export browser), as after an edit; returns how many."""
    import streamlit as st
    from streamlit.runtime.caching.cache_utils import CachedFunc

    st.cache_data.clear()
    cleared = 0
    analysis_cache = sys.modules.get("tracker.ui.analysis_cache")
    if analysis_cache is not None:  # the Network and Indicators results (its own registry)
        analysis_cache.clear()
        cleared += 1
    for name, module in list(sys.modules.items()):
        if not name.startswith("tracker.") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if isinstance(value, CachedFunc) and attr not in KEEP_CACHED:
                value.clear()
                cleared += 1
    return cleared


def time_page(path: str, username: str | None, repeat: int) -> dict[str, Any]:
    """Run time of one page, and of the results it shows.

    A page answers within its budget (tracker.ui.analysis_cache.PAGE_BUDGET_S); a result
    not ready by then is computed in the background while the page says so, and shown by the
    next run. So each case is timed twice: ``*_s`` is the run (what the user waits for the
    page), ``*_results_s`` that run plus the wait for the background results and the run
    that shows them (equal when nothing was left to compute).

    Cases: cold (the first run in a fresh process, nothing stored: the first computation of
    this filter set), warm (median of ``repeat`` reruns), uncached (the process's caches
    cleared, results stored in the database kept: the first view after a server start),
    fresh (caches cleared and stored results deleted: the first view after a server start of
    a filter set never computed), edited (the first run after an edit, which may show the
    previous results while the new ones are computed in the background), update (the wait
    for that background computation) and after update (the run that shows them); SQL
    statements per warm and per uncached run."""
    forget_stored()
    at = _app(path, username)
    cold, cold_results = _run_for_results(at)
    if at.exception:
        return {"error": str(at.exception[0].message)[:300]}
    warm: list[float] = []
    with QueryCounter() as counter:
        for _ in range(repeat):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
    uncached: list[tuple[float, float]] = []
    with QueryCounter() as uncached_counter:
        for _ in range(repeat):
            clear_data_caches()
            uncached.append(_run_for_results(at))
    fresh: list[tuple[float, float]] = []
    for _ in range(repeat):
        clear_data_caches()
        forget_stored()
        fresh.append(_run_for_results(at))
    from tracker.ui import analysis_cache

    edited: list[float] = []
    updated: list[float] = []
    after: list[float] = []
    for _ in range(repeat):
        edit()
        started = time.perf_counter()
        at.run()
        edited.append(time.perf_counter() - started)
        if at.exception:
            return {"error": str(at.exception[0].message)[:300]}
        started = time.perf_counter()
        analysis_cache.wait_for_updates()
        updated.append(time.perf_counter() - started)
        started = time.perf_counter()
        at.run()
        after.append(time.perf_counter() - started)
    if at.exception:
        return {"error": str(at.exception[0].message)[:300]}
    return {
        "cold_s": round(cold, 4),
        "cold_results_s": round(cold_results, 4),
        "warm_s": round(statistics.median(warm), 4),
        "uncached_s": round(statistics.median(u for u, _ in uncached), 4),
        "uncached_results_s": round(statistics.median(r for _, r in uncached), 4),
        "fresh_s": round(statistics.median(f for f, _ in fresh), 4),
        "fresh_results_s": round(statistics.median(r for _, r in fresh), 4),
        "edited_s": round(statistics.median(edited), 4),
        "update_s": round(statistics.median(updated), 4),
        "after_update_s": round(statistics.median(after), 4),
        "queries": counter.count // max(repeat, 1),
        "queries_uncached": uncached_counter.count // max(repeat, 1),
    }


def _run_for_results(at: AppTest) -> tuple[float, float]:
    """Seconds of one run, and until the results it left to the background are shown."""
    from tracker.ui import analysis_cache

    started = time.perf_counter()
    at.run()
    answered = time.perf_counter() - started
    for _ in range(20):  # each run may leave another result to the background
        if analysis_cache.wait_for_updates(0):
            break
        analysis_cache.wait_for_updates()
        at.run()
    return answered, time.perf_counter() - started


def forget_stored() -> None:
    """Delete the results kept in the database (tracker.stored_results): the next view
    computes them, as for a filter set never viewed. Derived data only: a database given by
    URL keeps its case data."""
    from sqlalchemy import delete

    from tracker import db
    from tracker.models import StoredResult

    engine = db.make_engine(os.environ["TRACKER_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(delete(StoredResult.__table__))  # type: ignore[arg-type]
    engine.dispose()


def edit() -> None:
    """What an edit that reveals nothing hidden does to the caches: the data revision is
    raised (the privacy revision is not). Only the revision row is written, so a database
    given by URL keeps its data."""
    from tracker import db, revision

    engine = db.make_engine(os.environ["TRACKER_DATABASE_URL"])
    with engine.begin() as conn:
        revision.bump(conn, privacy=False)
    engine.dispose()


def time_empty_page(repeat: int) -> dict[str, Any]:
    """Streamlit's fixed cost: an empty page measured like the others."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "empty.py"
        path.write_text(EMPTY_PAGE)
        return time_page(str(path), None, repeat)


def time_baseline(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of a raw-SQL baseline."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - started)
    return round(statistics.median(runs), 4)
