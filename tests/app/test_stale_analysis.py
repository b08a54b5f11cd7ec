"""Slow analyses stand for the next revision while it is computed in the background.

At scale L the Network and Indicators results take a minute and more to compute; after a
write the pages show the previous results, said so, until the new ones are ready, unless the
write could reveal what the previous results hid (then they are computed in the open). The
threshold that makes an analysis slow is lowered here so the hand-built network counts.
"""

from __future__ import annotations

import gc
import re
import weakref
from datetime import date

import networkx as nx
import pytest
from sqlalchemy.engine import Engine

from tests.app.helpers import run_as
from tracker import db, revision
from tracker import services as sv
from tracker.network_data import Filters
from tracker.permissions import Principal
from tracker.ui import analysis_cache as ac

EDITOR = Principal("ana", "editor")
DAY = date(2026, 11, 28)
VIEW = "complainant-defender"


def _new_charge(engine: Engine, ids: dict[str, str]) -> None:
    """Minera Norte (K1) charges Félix Apaza (D6) in Caso Tres: nothing hidden is revealed."""
    with db.unit_of_work(engine, EDITOR) as s:
        charge = sv.charges.create(
            s,
            {"case_id": ids["C3"], "defendant_id": ids["D6"], "charge_type": "usurpation",
             "filed_on": "2021-01-04"},
        )  # fmt: skip
        sv.charge_complainants.create(s, {"charge_id": charge, "actor_id": ids["K1"]})


def _analysis(engine: Engine, *, stale_ok: bool = True) -> ac.Analysis:
    return ac.analysis(engine, Filters(), show_confidential=False, stale_ok=stale_ok)


def _reach(an: ac.Analysis) -> dict[str, object]:
    figures = an.figures("complainant", "en", 5, DAY)
    return {f.label: f.value for f in figures if f.indicator == "complainant_reach"}


def test_the_previous_results_stand_in_while_the_new_ones_are_computed(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    engine, ids = network
    old = _analysis(engine)
    assert old.graph(VIEW).number_of_edges() == 8
    assert _reach(old)["Minera Norte"] == 2
    _new_charge(engine, ids)
    rev, _ = revision.current_pair(engine)
    served = _analysis(engine)
    assert served is old
    assert served.newer == rev
    assert ac.wait_for_updates(60)
    new = _analysis(engine)
    assert new is not old
    assert (new.revision, new.newer) == (rev, None)
    # Computed in the background, before the page asked: the results the old one held.
    assert {k[0] for k in new._memo} >= {"graph", "figures"}
    assert new.graph(VIEW).has_edge(ids["K1"], ids["D6"])
    assert new.graph(VIEW).number_of_edges() == 9
    assert _reach(new)["Minera Norte"] == 3
    assert old.rows() == 0  # released once the new one took its place
    assert not ac.updating(new)


def test_a_write_that_could_reveal_a_name_is_computed_in_the_open(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    engine, ids = network
    old = _analysis(engine)
    assert old.graph(VIEW).nodes[ids["D1"]]["label"] == "Ana Huamán"
    with db.unit_of_work(engine, EDITOR) as s:
        sv.actors.update(
            s, ids["D1"], {"confidentiality": "confidential", "pseudonym": "Defensora A"},
            expected_version=1,
        )  # fmt: skip
    new = _analysis(engine)
    assert new is not old
    assert new.newer is None
    assert new.graph(VIEW).nodes[ids["D1"]]["label"] == "Defensora A"
    assert old.rows() == 0


def test_quick_analyses_and_readers_of_rows_get_the_current_revision(
    network: tuple[Engine, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, ids = network
    old = _analysis(engine)
    old.graph(VIEW)
    _new_charge(engine, ids)
    quick = _analysis(engine)  # well under STALE_AFTER_S to compute: no stand-in
    assert quick is not old
    assert quick.graph(VIEW).number_of_edges() == 9
    monkeypatch.setattr(ac, "STALE_AFTER_S", 0.0)
    _new_charge(engine, ids)
    rows = _analysis(engine, stale_ok=False)  # the Reports page, exports of the rows
    assert rows is not quick
    assert rows.newer is None
    assert rows.revision == revision.current(engine)


def test_the_network_page_says_its_results_are_older_until_the_new_ones_come(
    network: tuple[Engine, dict[str, str]], app_env: str, slow: None
) -> None:
    engine, ids = network
    at = run_as("pages/3_Network.py", app_env, role="viewer")
    assert at.info == []
    assert at.dataframe[0].value["Defenders"].tolist() == [5, 2, 1]
    _new_charge(engine, ids)
    at.run()
    notes = [i.value for i in at.info]
    assert len(notes) == 1
    assert notes[0].startswith("The data changed: these are the results computed at ")
    assert re.search(r"computed at \d\d:\d\d \S+, before the change\.", notes[0])
    assert notes[0].endswith(
        "The new ones are being computed (it took 0 s last time) and will appear here on their own."
    )
    assert at.dataframe[0].value["Defenders"].tolist() == [5, 2, 1]  # the previous results
    assert ac.wait_for_updates(60)
    at.run()
    assert at.info == []
    assert at.dataframe[0].value["Defenders"].tolist() == [5, 3, 1]
    assert not at.exception


def test_a_stand_in_drops_its_graphs_and_keeps_what_the_page_shows(
    network: tuple[Engine, dict[str, str]],
) -> None:
    engine, ids = network
    old = _analysis(engine)
    graph = weakref.ref(old.graph(VIEW))
    info = old.graph_info(VIEW)
    figure = old.figure(VIEW, "group", "en")
    labels = old.node_labels(VIEW)
    old.prepare_figures(("overall", "complainant"), 5, DAY)
    assert info == {"nodes": 9, "edges": 8, "directed": True}
    assert labels[ids["K3"]] == "Fiscalía Cusco"
    successor = ac.Analysis(engine, Filters(), show_confidential=False)
    old.freeze(successor)
    gc.collect()
    assert graph() is None  # freed: nothing the page shows keeps it alive
    assert old.graph_info(VIEW) is info
    assert old.figure(VIEW, "group", "en") is figure
    assert old.node_labels(VIEW) is labels
    # Whatever it does not hold, a graph included, is asked of the successor and kept there.
    assert old.graph(VIEW) is successor.graph(VIEW)
    by_region = old.figures("region", "en", 5, DAY)
    assert by_region is successor.figures("region", "en", 5, DAY)
    assert {f.label for f in by_region if f.indicator == "complainant_reach"} == {
        "Cajamarca", "Cusco"
    }  # fmt: skip
    assert not any(k[0] == "figures" and k[1] == "region" for k in old._memo)
    old.prepare_figures(("overall", "complainant"), 5, DAY)  # held: nothing to do
    old.prepare_figures(("overall", "court"), 5, DAY)  # not held: the successor's
    assert successor.aggregates(5, DAY).prepared(("overall", "court", "region"))
    kept = old._memo[("aggregates", 5, DAY)]
    assert kept.prepared(("overall", "complainant"))
    assert not kept.prepared(("court",))
    successor.release()


class _NoGraph(ac.Analysis):
    def graph(self, view: str) -> nx.Graph:
        raise AssertionError(f"the stand-in asked for the {view} graph")


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_what_the_pages_ask_of_a_stand_in_needs_no_graph(
    network: tuple[Engine, dict[str, str]], app_env: str, role: str
) -> None:
    engine, _ = network
    for page in ("pages/3_Network.py", "pages/4_Indicators.py"):
        assert not run_as(page, app_env, role=role).exception
    shown = ac.analysis(engine, Filters(), show_confidential=role == "editor")
    calls = shown.calls()
    assert {name for name, _, _ in calls} >= {"graph_info", "figure", "node_labels", "reach",
                                                "repeat", "slices", "centrality", "figures_page",
                                                "spans_table"}  # fmt: skip
    shown.freeze(_NoGraph(engine, Filters(), show_confidential=role == "editor"))
    # Every result the two pages show, from what the stand-in kept.
    shown.replay([call for call in calls if call[0] != "graph"])
    for page in ("pages/3_Network.py", "pages/4_Indicators.py"):
        at = run_as(page, app_env, role=role)
        assert ac.analysis(engine, Filters(), show_confidential=role == "editor") is shown
        assert not at.exception, at.exception


def test_an_editors_and_a_viewers_stand_ins_are_updated_one_after_the_other(
    network: tuple[Engine, dict[str, str]], slow: None
) -> None:
    engine, ids = network
    olds = {}
    for show in (False, True):
        olds[show] = ac.analysis(engine, Filters(), show_confidential=show, stale_ok=True)
        olds[show].graph(VIEW)
    _new_charge(engine, ids)
    rev = revision.current(engine)
    for show in (False, True):
        served = ac.analysis(engine, Filters(), show_confidential=show, stale_ok=True)
        assert (served is olds[show], served.newer) == (True, rev)
    assert ac.wait_for_updates(60)
    for show in (False, True):
        new = ac.analysis(engine, Filters(), show_confidential=show, stale_ok=True)
        assert (new.revision, new.newer) == (rev, None)
        assert new.graph(VIEW).number_of_edges() == 9
        assert new.graph(VIEW).nodes[ids["D5"]]["label"] == ("Eva Ccori" if show else "Defensora E")
