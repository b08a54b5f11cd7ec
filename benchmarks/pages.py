"""Server-side run time of app.py and every page, against an empty page and raw SQL.

Each page runs under Streamlit's AppTest (the same script run the server does, without a
browser), as an editor and as a viewer: once cold (first run in a fresh AppTest, in a fresh
process: it includes importing the tracker), then warm, several times (median), then
uncached (its data caches cleared before each run: the first view of a filter set never
seen, as after a server start; the only cache is Streamlit's), then after an edit (the data
revision raised before the run: every cached result is of an older revision). Nothing is
computed in the background, so each run includes everything it shows. Streamlit's own fixed
cost is an empty page measured the same way; the page's work is its time less the empty
page's. Every SQL statement the page sends is counted
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
        # A server-side session, as the login form opens one (the page checks its token).
        from tracker import db, sessions

        engine = db.make_engine(os.environ["TRACKER_DATABASE_URL"])
        at.session_state["auth"] = {"token": sessions.start(engine, username).token}
        engine.dispose()
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
    for name, module in list(sys.modules.items()):
        if not name.startswith("tracker.") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if isinstance(value, CachedFunc) and attr not in KEEP_CACHED:
                value.clear()
                cleared += 1
    return cleared


def time_page(path: str, username: str | None, repeat: int) -> dict[str, Any]:
    """Run time of one page: cold (the first run in a fresh process), warm (median of
    ``repeat`` reruns), uncached (the process's caches cleared: the first view of a filter
    set never seen), edited (the first run after an edit); SQL statements per warm and per
    uncached run."""
    at = _app(path, username)
    started = time.perf_counter()
    at.run()
    cold = time.perf_counter() - started
    if at.exception:
        return {"error": str(at.exception[0].message)[:300]}
    warm = _runs(at, repeat)
    with QueryCounter() as counter:
        at.run()
    uncached: list[float] = []
    with QueryCounter() as uncached_counter:
        for _ in range(repeat):
            clear_data_caches()
            uncached += _runs(at, 1)
    edited: list[float] = []
    for _ in range(repeat):
        edit()
        edited += _runs(at, 1)
    if at.exception:
        return {"error": str(at.exception[0].message)[:300]}
    return {
        "cold_s": round(cold, 4),
        "warm_s": round(statistics.median(warm), 4),
        "uncached_s": round(statistics.median(uncached), 4),
        "edited_s": round(statistics.median(edited), 4),
        "queries": counter.count,
        "queries_uncached": uncached_counter.count // max(repeat, 1),
    }


def _runs(at: AppTest, repeat: int) -> list[float]:
    """Seconds of each of ``repeat`` runs."""
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        at.run()
        out.append(time.perf_counter() - started)
    return out


def edit() -> None:
    """What an edit that reveals nothing hidden does to the caches: the data revision is
    raised (the privacy revision is not), so every cached result is of an older revision. Only the revision row is written, so a database
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
