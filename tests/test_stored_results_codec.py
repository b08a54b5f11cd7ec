"""Stored results come back from their JSON with their types, and only known types go in."""

from __future__ import annotations

from datetime import UTC, date, datetime

import networkx as nx
import pandas as pd
import pytest

from tracker.graphs.draw import Reduction
from tracker.indicators import Figure
from tracker.network_data import Filters
from tracker.stored_results import codec, key_text, scope_of


def test_plain_values_keep_their_types() -> None:
    value = {
        "a": [1, 2.5, None, True, "ñandú"],
        ("figures", "overall", 5, date(2026, 11, 28)): (0, None),
        3: {"nested": (date(2020, 2, 29), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))},
    }
    back = codec.loads(codec.dumps(value))
    assert back == value
    assert list(back) == ["a", ("figures", "overall", 5, date(2026, 11, 28)), 3]
    assert type(back[3]["nested"]) is tuple
    assert back[3]["nested"][1].tzinfo is not None
    # A float comes back bit for bit.
    assert codec.loads(codec.dumps(0.1 + 0.2)) == 0.30000000000000004


def test_graphs_keep_order_attributes_and_direction() -> None:
    g = nx.DiGraph(name="complainant-defender")
    g.add_node("k2", label="Minera Sur", group="complainant")
    g.add_node("k1", label="Minera Norte", group="complainant")
    g.add_edge("k1", "d1", weight=2, charges=3, cases=("c1", "c2"))
    g.add_edge("k2", "d1", weight=1, charges=1, cases=("c3",))
    back = codec.loads(codec.dumps(g))
    assert back.is_directed() and back.graph == {"name": "complainant-defender"}
    assert list(back.nodes(data=True)) == list(g.nodes(data=True))
    assert list(back.edges(data=True)) == list(g.edges(data=True))
    undirected = codec.loads(codec.dumps(nx.Graph([("a", "b")])))
    assert not undirected.is_directed() and list(undirected.edges) == [("a", "b")]


def test_the_dataclasses_of_results() -> None:
    figure = Figure(
        "complainant_reach", "complainant", "k1", "Minera Norte", 2.0, 2, None,
        {"median": 1.5},
    )  # fmt: skip
    reduction = Reduction(300, 150_117, 484, 259_228)
    assert codec.loads(codec.dumps([figure, reduction])) == [figure, reduction]


@pytest.mark.parametrize(
    "value", [{1, 2}, pd.DataFrame({"a": [1]}), nx.MultiGraph(), object(), Filters()]
)
def test_unknown_types_are_refused(value: object) -> None:
    with pytest.raises(TypeError, match="cannot store a"):
        codec.dumps(value)


def test_unknown_classes_are_refused_and_tag_like_dicts_kept() -> None:
    with pytest.raises(ValueError, match="unknown class 'Popen'"):
        codec.loads('{"dc":["Popen",{"args":"rm"}]}')
    for value in ({"t": [1]}, {"dc": "x"}, {"pickle": 1}, {"t": 1, "d": 2}):
        assert codec.loads(codec.dumps(value)) == value
    assert codec.dumps({"t": [1]}) == '{"d":[["t",[1]]]}'
    assert codec.dumps({"a": 1, "b": [2]}) == '{"a":1,"b":[2]}'


def test_keys_and_scopes() -> None:
    assert key_text(("labels", "co-defendant")) == '{"t":["labels","co-defendant"]}'
    viewer, editor = scope_of(Filters(), False), scope_of(Filters(), True)
    assert len(viewer) == 64 and viewer != editor
    assert scope_of(Filters(regions=("Cajamarca",)), False) not in (viewer, editor)
    assert scope_of(Filters(regions=("Cajamarca",)), False) == scope_of(
        Filters(regions=("Cajamarca",)), False
    )
