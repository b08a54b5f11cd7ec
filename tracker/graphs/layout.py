"""Node positions that never stack, and the boxes their labels take (no plotting here).

A spring layout puts nodes with the same neighbours on the same spot: the two Celendín
governors, who charged the same sixteen people in the same case, landed on top of each other
and so did their labels. :func:`spread` pushes any two nodes closer than a minimum distance
apart, deterministically. The readable views (one actor's network, the top complainants)
use :func:`columns` instead: accusers in a column on the left, the accused on the right, the
ego in the middle, evenly spaced, so nodes and their one-line labels cannot overlap.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = [
    "CHAR_WIDTH",
    "LINE_HEIGHT",
    "MIN_DISTANCE",
    "ROW_PX",
    "Box",
    "columns",
    "half_width",
    "label_box",
    "min_distance",
    "rows_height",
    "spread",
]

MIN_DISTANCE = 0.05  # in layout units (spring layouts span about [-1, 1])
ROW_PX = 40  # pixels between two nodes of a column: a two-line label (12 px text) and a gap
LINE_HEIGHT = 1.25  # a text line's height, in font sizes
CHAR_WIDTH = 0.62  # an average character's width, in font sizes (DejaVu Sans, a wide face)
Pos = dict[Hashable, tuple[float, float]]


def spread(pos: Pos, min_dist: float = MIN_DISTANCE, rounds: int = 60) -> Pos:
    """``pos`` with every two nodes at least ``min_dist`` apart (up to rounding).

    Each round moves each pair that is too close apart along the line between them, half
    the shortfall each; nodes on the very same spot are separated along a direction fixed by
    their order. The result depends only on the input (nodes are visited in their order).
    """
    nodes = list(pos)
    xy = [list(pos[n]) for n in nodes]
    for _ in range(rounds):
        moved = False
        for i in range(len(xy)):
            for j in range(i + 1, len(xy)):
                dx, dy = xy[j][0] - xy[i][0], xy[j][1] - xy[i][1]
                d = math.hypot(dx, dy)
                if d >= min_dist * 0.999:
                    continue
                if d < 1e-9:  # same spot: a direction from the pair's order, never random
                    angle = (i * 7 + j * 13) % 360 * math.pi / 180
                    dx, dy, d = math.cos(angle), math.sin(angle), 1.0
                    push = min_dist / 2
                else:
                    push = (min_dist - d) / 2 * 1.01
                ux, uy = dx / d, dy / d
                xy[i][0] -= ux * push
                xy[i][1] -= uy * push
                xy[j][0] += ux * push
                xy[j][1] += uy * push
                moved = True
        if not moved:
            break
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy, strict=True)}


def min_distance(pos: Pos) -> float:
    """The smallest distance between two nodes (infinity for fewer than two)."""
    pts = list(pos.values())
    best = math.inf
    for i in range(len(pts)):
        for j in range(i + 1, len(pts)):
            best = min(best, math.dist(pts[i], pts[j]))
    return best


def columns(
    left: Sequence[Hashable], right: Sequence[Hashable], centre: Hashable | None = None
) -> Pos:
    """Left nodes at x = -1, right nodes at x = 1, top to bottom in the order given, evenly
    spaced over y in [-1, 1]; ``centre`` (the ego) at (0, 0). A column of one sits at y = 0."""
    pos: Pos = {}
    for x, nodes in ((-1.0, left), (1.0, right)):
        count = len(nodes)
        for i, n in enumerate(nodes):
            pos[n] = (x, 0.0 if count == 1 else 1.0 - 2.0 * i / (count - 1))
    if centre is not None:
        pos[centre] = (0.0, 0.0)
    return pos


def half_width(label_px: float, width_px: float, gap_px: float = 10) -> float:
    """The x range half-width R (columns at x = ±1) that leaves ``label_px`` (+ a gap)
    outside each column in a plot ``width_px`` wide: (R - 1) * width / 2R >= label + gap.
    Labels wider than a third of the plot are given a third (they are cut before that)."""
    room = min(label_px + gap_px, width_px / 3)
    return 1.0 / (1.0 - 2.0 * room / width_px)


def rows_height(rows: int, *, minimum: int = 420, margin: int = 120) -> int:
    """Figure height in pixels that gives each of ``rows`` nodes of a column ROW_PX."""
    return max(minimum, rows * ROW_PX + margin)


@dataclass(frozen=True)
class Box:
    """A label's box in pixels (x to the right, y up)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share any area."""
        return (
            self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1
        )

    def gap(self, other: Box) -> float:
        """The distance between the two boxes (0 when they touch or overlap)."""
        dx = max(other.x0 - self.x1, self.x0 - other.x1, 0.0)
        dy = max(other.y0 - self.y1, self.y0 - other.y1, 0.0)
        return math.hypot(dx, dy)


def label_box(
    x_px: float, y_px: float, text: str, position: str, font_size: float, offset: float = 6
) -> Box:
    """The box a label takes beside a node at (x_px, y_px), for a plotly ``textposition``
    such as "middle left" or "top center"; lines split at newlines (text width estimated
    from the longest line: CHAR_WIDTH font sizes per character)."""
    lines = text.split("\n")
    width = max(len(line) for line in lines) * CHAR_WIDTH * font_size
    height = LINE_HEIGHT * font_size * len(lines)
    vertical, _, horizontal = position.partition(" ")
    if horizontal == "left":
        x0 = x_px - offset - width
    elif horizontal == "right":
        x0 = x_px + offset
    else:
        x0 = x_px - width / 2
    if vertical == "top":
        y0 = y_px + offset
    elif vertical == "bottom":
        y0 = y_px - offset - height
    else:
        y0 = y_px - height / 2
    return Box(x0, y0, x0 + width, y0 + height)
