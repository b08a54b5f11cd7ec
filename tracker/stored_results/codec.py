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

__all__ = ["CLASSES", "decode", "dumps", "encode", "loads"]

# The dataclasses a stored result may hold, by the name they are stored under.
CLASSES: dict[str, type] = {"Figure": Figure, "Reduction": Reduction}
_NAMES = {cls: name for name, cls in CLASSES.items()}


def encode(value: Any) -> Any:
    """``value`` as plain JSON data; tagged one-key objects mark the types JSON lacks.

    Raises:
        TypeError: for a type this codec does not know.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"t": [encode(v) for v in value]}
    if isinstance(value, dict):
        return {"d": [[encode(k), encode(v)] for k, v in value.items()]}
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
                {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
            ]
        }
    raise TypeError(f"cannot store a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` made ``data`` of."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    ((tag, inner),) = data.items()
    if tag == "t":
        return tuple(decode(v) for v in inner)
    if tag == "d":
        return {decode(k): decode(v) for k, v in inner}
    if tag == "dt":
        return datetime.fromisoformat(inner)
    if tag == "date":
        return date.fromisoformat(inner)
    if tag == "graph":
        directed, attrs, nodes, edges = inner
        g: nx.Graph = nx.DiGraph() if directed else nx.Graph()
        g.graph.update(decode(attrs))
        g.add_nodes_from((decode(n), decode(a)) for n, a in nodes)
        g.add_edges_from((decode(u), decode(v), decode(a)) for u, v, a in edges)
        return g
    if tag == "dc":
        name, values = inner
        if name not in CLASSES:
            raise ValueError(f"unknown class {name!r} in a stored result")
        return CLASSES[name](**{k: decode(v) for k, v in values.items()})
    raise ValueError(f"unknown tag {tag!r} in a stored result")


def dumps(value: Any) -> str:
    """``value`` as JSON text (:func:`encode`)."""
    return json.dumps(encode(value), separators=(",", ":"), ensure_ascii=False)


def loads(text: str) -> Any:
    """The value of :func:`dumps`' text."""
    return decode(json.loads(text))
