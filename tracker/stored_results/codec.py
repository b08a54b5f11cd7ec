"""Results as JSON, and back, with their Python types: tuples, dates, graphs, dataclasses.

Why not pickle: a stored result is read back from the database, and unpickling runs whatever
the bytes say; this reads back only the types listed here (:data:`CLASSES` for dataclasses),
and anything else refuses to be encoded, so a result of a new kind is computed, never stored
half-understood.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

import networkx as nx

from ..graphs.draw import Reduction
from ..indicators import Figure

__all__ = ["CLASSES", "TAGS", "dumps", "encode", "loads"]

# The dataclasses a stored result may hold, by the name they are stored under.
CLASSES: dict[str, type] = {"Figure": Figure, "Reduction": Reduction}
_NAMES = {cls: name for name, cls in CLASSES.items()}
_PLAIN = frozenset({type(None), bool, int, float, str})
# The one-key JSON objects that stand for a type JSON lacks; any other object is a dict.
TAGS = frozenset({"t", "d", "dt", "date", "graph", "dc"})


def encode(value: Any) -> Any:
    """``value`` as plain JSON data. A one-key JSON object whose key is one of :data:`TAGS`
    stands for a type JSON lacks: {"t": [...]} a tuple, {"d": [[key, value], ...]} a dict
    whose keys are not all text (or that could pass for a tag), and so on; any other JSON
    object is a dict.

    Raises:
        TypeError: for a type this codec does not know.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    # Lists and dicts of plain values (most of a stored result: rows of tables) are
    # written without a call per value: saving 150,000 rows took 2.8 s, now about 1 s.
    if kind is list:
        return [v if type(v) in _PLAIN else encode(v) for v in value]
    if kind is tuple:
        return {"t": [v if type(v) in _PLAIN else encode(v) for v in value]}
    if kind is dict:
        if all(type(k) is str for k in value) and not (
            len(value) == 1 and next(iter(value)) in TAGS
        ):
            # A JSON object as it is (a row of a table: no copy when its values are plain).
            if all(type(v) in _PLAIN for v in value.values()):
                return value
            return {k: v if type(v) in _PLAIN else encode(v) for k, v in value.items()}
        return {
            "d": [
                [k if type(k) in _PLAIN else encode(k), v if type(v) in _PLAIN else encode(v)]
                for k, v in value.items()
            ]
        }
    if isinstance(value, (bool, int, float, str)):  # subclasses (enums, numpy scalars...)
        raise TypeError(f"cannot store a {kind.__name__}")
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, nx.Graph) and not value.is_multigraph():
        return {
            "graph": [
                value.is_directed(),
                encode(dict(value.graph)),
                [[encode(n), encode(a)] for n, a in value.nodes(data=True)],
                [[encode(u), encode(v), encode(a)] for u, v, a in value.edges(data=True)],
            ]
        }
    name = _NAMES.get(type(value))
    if name is not None:
        return {
            "dc": [
                name,
                encode({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}),
            ]
        }
    raise TypeError(f"cannot store a {type(value).__name__}")


def _tagged(obj: dict[str, Any]) -> Any:
    """The value of one tagged JSON object, its contents already decoded (json calls this
    for every object, innermost first: the whole text is decoded in one pass, in C but for
    this call per tagged value; a walk over every value in Python took seconds at scale L).
    """
    if len(obj) != 1:
        return obj
    ((tag, inner),) = obj.items()
    if tag not in TAGS:
        return obj
    if tag == "t":
        return tuple(inner)
    if tag == "d":
        return dict(inner)
    if tag == "dt":
        return datetime.fromisoformat(inner)
    if tag == "date":
        return date.fromisoformat(inner)
    if tag == "graph":
        directed, attrs, nodes, edges = inner
        g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
        g.graph.update(attrs)
        g.add_nodes_from((n, a) for n, a in nodes)
        g.add_edges_from((u, v, a) for u, v, a in edges)
        return g
    if tag == "dc":
        name, values = inner
        if name not in CLASSES:
            raise ValueError(f"unknown class {name!r} in a stored result")
        return CLASSES[name](**values)
    raise AssertionError(tag)  # every tag of TAGS is handled above


def dumps(value: Any) -> str:
    """``value`` as JSON text (:func:`encode`)."""
    return json.dumps(encode(value), separators=(",", ":"), ensure_ascii=False)


def loads(text: str) -> Any:
    """The value of :func:`dumps`' text."""
    return json.loads(text, object_hook=_tagged)
