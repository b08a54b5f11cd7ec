"""A page answers within its time budget: a result not ready by then is computed in the
background, the page says so, and it shows the result when ready.

At scale L the first computation of a filter set takes 20-70 s. Here a gate holds the
computation for as long as the test wants, and the budget is cut to nothing.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.app.helpers import run_as
from tracker.network_data import Filters
from tracker.ui import analysis_cache as ac

VIEW = "complainant-defender"


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """Hold the graph's and the indicators' SQL until ``gate["open"]`` is set; counts runs."""
    state: dict[str, Any] = {"open": threading.Event(), "graphs": 0, "aggregates": 0}
    real_sql, real_aggregates = ac.network_sql, ac.Aggregates

    def held_sql(*args: Any, **kwargs: Any) -> Any:
        state["graphs"] += 1
        assert state["open"].wait(30)
        return real_sql(*args, **kwargs)

    def held_aggregates(*args: Any, **kwargs: Any) -> Any:
        state["aggregates"] += 1
        assert state["open"].wait(30)
        return real_aggregates(*args, **kwargs)

    monkeypatch.setattr(ac, "network_sql", held_sql)
    monkeypatch.setattr(ac, "Aggregates", held_aggregates)
    yield state
    state["open"].set()  # no thread is left waiting


def _analysis(engine: Engine) -> ac.Analysis:
    return ac.analysis(engine, Filters(), show_confidential=False, stale_ok=True)


def test_a_result_past_the_budget_is_computed_in_the_background(
    network: tuple[Engine, dict[str, str]], gate: dict[str, Any]
) -> None:
    engine, _ = network
    an = _analysis(engine)
    before = time.time()
    with ac.budget(0.05), pytest.raises(ac.StillComputing) as busy:
        an.graph_info(VIEW)
    assert before <= busy.value.started <= time.time()
    assert an.computing()
    # Asked again (the page's next run), it waits for the same computation: one build.
    with ac.budget(0.05), pytest.raises(ac.StillComputing) as again:
        an.graph_info(VIEW)
    assert again.value.started == busy.value.started
    gate["open"].set()
    assert ac.wait_for_updates(30)
    assert not an.computing()
    with ac.budget(0.05):
        assert an.graph_info(VIEW) == {"nodes": 9, "edges": 8, "directed": True}
        assert len(an.node_labels(VIEW)) == 9  # from the graph held: within the budget
    assert gate["graphs"] == 1
    # Outside a budget (reports, exports, the background updates) results are waited for.
    assert an.graph_info("co-defendant")["directed"] is False


def test_a_failed_computation_is_raised_in_the_page_and_tried_again(
    network: tuple[Engine, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = network
    runs = []

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        runs.append(1)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ac, "network_sql", broken)
    an = _analysis(engine)
    for attempt in (1, 2):
        with ac.budget(5.0), pytest.raises(RuntimeError, match="the database went away"):
            an.graph_info(VIEW)
        assert len(runs) == attempt
    assert not an.computing()


def _note(at: Any) -> str:
    notes = [i.value for i in at.info]
    assert len(notes) == 1, notes
    return str(notes[0])


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("pages/3_Network.py", "en", r"^Still computing these results \(started at "
         r"\d\d:\d\d:\d\d \S+, \d+ s ago\)\. They will appear here on their own when ready\."),
        ("pages/4_Indicators.py", "es", r"^Todavía se están calculando estos resultados "
         r"\(desde las \d\d:\d\d:\d\d \S+, hace \d+ s\)\. Aparecerán aquí solos"),
    ],
)  # fmt: skip
def test_the_pages_answer_and_show_the_results_when_ready(
    network: tuple[Engine, dict[str, str]],
    gate: dict[str, Any],
    app_env: str,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    language: str,
    expected: str,
) -> None:
    monkeypatch.setattr(ac, "PAGE_BUDGET_S", 0.05)
    at = run_as(path, app_env, role="viewer")
    if language == "es":
        at.selectbox(key="lang").set_value("es").run()
    assert not at.exception
    assert re.search(expected, _note(at))
    assert at.dataframe == []  # nothing half shown
    gate["open"].set()
    assert ac.wait_for_updates(30)
    monkeypatch.setattr(ac, "PAGE_BUDGET_S", 30.0)  # the rest of the page, on a busy machine
    at.run()
    assert not at.exception
    assert at.info == []
    if path.endswith("Network.py"):
        assert at.dataframe[0].value["Defenders"].tolist() == [5, 2, 1]
    else:
        assert "Todos los indicadores" in [h.value for h in at.subheader]
        assert len(at.dataframe) >= 3
