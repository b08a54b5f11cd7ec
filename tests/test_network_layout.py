"""Layouts that do not stack nodes, and labels that do not overlap, on the documented seed.

The two Celendín governors (data/seed/cases/celendin-16.yaml) each charged the same sixteen
defenders in the same case: a spring layout put them on one spot and the printed chart's
labels on top of each other. Here both are drawn, in the printed chart, on the page's whole
graph and in a defender's own network, and their nodes and label boxes are apart.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import pytest
from sqlalchemy.engine import Engine

from tests.app.helpers import ready_engine
from tracker import analysis, charts, db
from tracker.analysis import ego as egos
from tracker.exports.static import EXPORT_SIZE
from tracker.graphs import draw, layout
from tracker.graphs.ego_figures import ego_figure

GOVERNORS = ("Governor of Celendín province", "Governor of Sorochuco district")
# Label boxes of the two governors must be at least this far apart (pixels); the columns
# give ROW_PX - two lines (40 - 30 = 10 px).
LABEL_GAP_PX = 8.0


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    url = f"sqlite:///{tmp_path_factory.mktemp('layout') / 'seed.db'}"
    db.upgrade(db.make_engine(url))
    return ready_engine(url)


def _no_overlaps(boxes: dict[str, layout.Box]) -> None:
    names = sorted(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not boxes[a].overlaps(boxes[b]), (a, b, boxes[a], boxes[b])


def test_printed_network_chart_names_both_governors_apart(seeded: Engine) -> None:
    chart = charts.build("network", charts.read(seeded), "en")
    boxes = draw.text_boxes(chart.figure, EXPORT_SIZE[0])
    assert set(GOVERNORS) <= set(boxes)
    first, second = (boxes[g] for g in GOVERNORS)
    assert first.gap(second) >= LABEL_GAP_PX
    # Every label drawn: the 3 complainants and the 20 defenders, none over another.
    assert len(boxes) == 23
    _no_overlaps(boxes)
    # The nodes themselves: one row (24 px) apart at least.
    markers = [tr for tr in chart.figure.data if tr.mode == "markers" and tr.customdata is not None]
    ys = sorted(y for tr in markers for x, y in zip(tr.x, tr.y, strict=True) if x < 0)
    assert len(ys) == 3
    height = (
        chart.figure.layout.height - chart.figure.layout.margin.t - chart.figure.layout.margin.b
    )
    gaps = [(b - a) / 2.16 * height for a, b in itertools.pairwise(ys)]
    assert min(gaps) >= layout.ROW_PX - 0.01


def test_whole_graph_layout_keeps_the_governors_apart(seeded: Engine) -> None:
    g = analysis.network_sql(seeded, show_confidential=False)[0]
    ids = {g.nodes[n]["label"]: n for n in g}
    pos = draw._layout(g)
    a, b = (pos[ids[name]] for name in GOVERNORS)
    assert math.dist(a, b) >= layout.MIN_DISTANCE * 0.99
    assert layout.min_distance(pos) >= layout.MIN_DISTANCE * 0.99
    # Without the spread pass the spring layout stacked them (the reported bug).
    raw = nx.spring_layout(nx.Graph(g), seed=42, iterations=50, weight=None)
    assert math.dist(raw[ids[GOVERNORS[0]]], raw[ids[GOVERNORS[1]]]) < layout.MIN_DISTANCE


def test_spread_is_deterministic_and_separates_one_spot() -> None:
    pos = {"a": (0.0, 0.0), "b": (0.0, 0.0), "c": (0.01, 0.0)}
    once, again = layout.spread(pos, 0.1), layout.spread(pos, 0.1)
    assert once == again
    assert layout.min_distance(once) >= 0.0999


def test_a_defenders_network_draws_both_governors_apart(seeded: Engine) -> None:
    found = egos.search_nodes(seeded, "Celendín defender 07", show_confidential=False, limit=1)
    net = egos.ego(seeded, None, "actor", found[0].id, show_confidential=False)
    assert net is not None
    fig = ego_figure(net, "en")
    boxes = draw.text_boxes(fig, 900)
    labels = {name: box for name, box in boxes.items() if name.startswith("Governor")}
    assert sorted(n.split("\n")[0] for n in labels) == list(GOVERNORS)
    assert len(labels) == 2
    first, second = labels.values()
    assert first.gap(second) >= LABEL_GAP_PX
    _no_overlaps(boxes)


def test_label_box_geometry() -> None:
    box = layout.label_box(100, 50, "abcd", "middle left", 10, offset=5)
    assert (round(box.x0, 2), box.x1, box.y0, box.y1) == (70.2, 95, 43.75, 56.25)
    assert layout.columns(["a"], ["b", "c"], "e") == {
        "a": (-1.0, 0.0), "b": (1.0, 1.0), "c": (1.0, -1.0), "e": (0.0, 0.0)
    }  # fmt: skip
