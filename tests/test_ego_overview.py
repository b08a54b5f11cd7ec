"""tracker.analysis.ego.overview, the Network page's first view in one statement, on SQLite
and PostgreSQL: equal to top_reach, most_charged and repeat_pairs on the documented seed,
and on demo S equal to an independent oracle (plain SQL over the raw tables, written here
from the definitions: reach, weighted degree, repeat targeting), as a viewer and an editor.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.app.helpers import ready_engine
from tracker import demo
from tracker.analysis import Filters
from tracker.analysis import ego as egos


@pytest.fixture
def seeded(db_url: str) -> Engine:
    return ready_engine(db_url)


def test_overview_is_the_three_reads_in_one(seeded: Engine) -> None:
    view = egos.overview(seeded, None, 10, 4, show_confidential=False)
    assert view.top == egos.top_reach(seeded, None, 10, show_confidential=False)
    assert view.most_charged == egos.most_charged(seeded, None, 4, show_confidential=False)
    assert (view.repeat_total, view.repeat) == (0, [])
    assert [(r["label"], r["charges"], r["cases"], r["accusers"]) for r in view.most_charged] == [
        ("Herbert Huamán Llave", 5, 1, 0),
        ("Oscar Mollohuanca Cruz", 5, 1, 0),
        ("Sergio Huamaní Hilario", 5, 1, 0),
        ("Celendín defender 01", 3, 1, 2),
    ]
    # A filter that keeps nothing: empty lists and zero counts, no error.
    empty = egos.overview(seeded, Filters(regions=("Nowhere",)), 10, 4, show_confidential=False)
    assert (empty.top.complainants, empty.top.edges, empty.top.defenders_total) == ([], [], 0)
    assert (empty.most_charged, empty.repeat_total, empty.repeat) == ([], 0, [])


def test_defenders_drawn_are_cut_by_accusers_then_cases(seeded: Engine) -> None:
    # The two governors charged the same 16 defenders, Minera Yanacocha 4 others: with room
    # for 5, the 16 shared ones come first (2 accusers each) and the first 5 by name stay.
    top = egos.top_reach(seeded, None, 3, show_confidential=False, max_defenders=5)
    assert top.defenders_total == 20
    assert sorted(top.defenders.values()) == [f"Celendín defender 0{i}" for i in range(1, 6)]
    assert len(top.edges) == 10 and {e["defender"] for e in top.edges} == set(top.defenders)
    none = egos.top_reach(seeded, None, 3, show_confidential=False, max_defenders=0)
    assert (none.defenders, none.edges, none.defenders_total) == ({}, [], 20)


def _rows(engine: Engine, sql: str) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql)))


def _oracle(engine: Engine, trusted: bool) -> dict[str, Any]:
    """Reach, weighted degree, repeat pairs and edges, from the raw tables."""
    hide_case = "" if trusted else "AND k.confidentiality <> 'restricted'"
    hide_d = "" if trusted else "AND d.confidentiality <> 'restricted'"
    hide_a = "" if trusted else "AND a.confidentiality <> 'restricted'"
    kept = f"""WITH kc AS (
      SELECT c.id, c.case_id, c.defendant_id,
             CASE WHEN c.filed_on_precision <> 'unknown' THEN c.filed_on END AS filed
      FROM charge c JOIN court_case k ON k.id = c.case_id JOIN actor d ON d.id = c.defendant_id
      WHERE 1 = 1 {hide_case} {hide_d}
    ), kl AS (
      SELECT l.actor_id AS who, kc.* FROM charge_complainant l JOIN kc ON kc.id = l.charge_id
      JOIN actor a ON a.id = l.actor_id WHERE 1 = 1 {hide_a}
    )"""

    def key(value: Any) -> str:
        return str(value).replace("-", "")

    def year(value: Any) -> int | None:
        return None if value is None else int(str(value)[:4])

    reach = {
        key(r[0]): (r[1], r[2], r[3])
        for r in _rows(engine, kept + """ SELECT who, COUNT(DISTINCT defendant_id),
            COUNT(DISTINCT case_id), COUNT(*) FROM kl GROUP BY who""")
    }  # fmt: skip
    accusers = {
        key(r[0]): r[1]
        for r in _rows(engine, kept + " SELECT defendant_id, COUNT(DISTINCT who) FROM kl "
                       "GROUP BY defendant_id")
    }  # fmt: skip
    most = {
        key(r[0]): (r[1], r[2], accusers.get(key(r[0]), 0))
        for r in _rows(engine, kept + """ SELECT defendant_id, COUNT(*), COUNT(DISTINCT case_id)
            FROM kc GROUP BY defendant_id""")
    }  # fmt: skip
    pairs = {
        (key(r[0]), key(r[1])): (r[2], r[3])
        for r in _rows(engine, kept + """ SELECT who, defendant_id, COUNT(DISTINCT case_id),
            COUNT(*) FROM kl GROUP BY who, defendant_id HAVING COUNT(DISTINCT case_id) >= 2""")
    }  # fmt: skip
    edges = {
        (key(r[0]), key(r[1])): (r[2], r[3], year(r[4]), year(r[5]))
        for r in _rows(engine, kept + """ SELECT who, defendant_id, COUNT(DISTINCT case_id),
            COUNT(*), MIN(filed), MAX(filed) FROM kl GROUP BY who, defendant_id""")
    }  # fmt: skip
    return {"reach": reach, "most": most, "pairs": pairs, "edges": edges}


def _top(values: dict[Any, tuple[int, ...]], n: int) -> list[tuple[int, ...]]:
    """The first n counts in descending order (what any tie order gives)."""
    return sorted(values.values(), reverse=True)[:n]


@pytest.mark.slow
def test_overview_matches_the_oracle_on_demo_s(engine: Engine) -> None:
    demo.generate(engine, scale="S", seed=7)
    for show in (False, True):
        want = _oracle(engine, trusted=show)
        view = egos.overview(engine, None, 20, 25, show_confidential=show, max_defenders=60)
        reach = {c["id"]: (c["defenders"], c["cases"], c["charges"]) for c in view.top.complainants}
        assert {k: want["reach"][k] for k in reach} == reach
        assert [reach[c["id"]] for c in view.top.complainants] == _top(want["reach"], 20)
        most = {d["id"]: (d["charges"], d["cases"], d["accusers"]) for d in view.most_charged}
        assert {k: want["most"][k] for k in most} == most
        assert [most[d["id"]][:1] for d in view.most_charged] == [
            v[:1] for v in _top(want["most"], 25)
        ]
        assert view.repeat_total == len(want["pairs"])
        pairs = {(p["complainant_id"], p["defender_id"]): (p["cases"], p["charges"])
                 for p in view.repeat}  # fmt: skip
        assert {k: want["pairs"][k] for k in pairs} == pairs
        assert [pairs[(p["complainant_id"], p["defender_id"])] for p in view.repeat] == _top(
            want["pairs"], 25
        )
        edges = {
            (e["complainant"], e["defender"]): (e["cases"], e["charges"], e["first_year"],
                                                e["last_year"])
            for e in view.top.edges
        }  # fmt: skip
        assert edges and {k: want["edges"][k] for k in edges} == edges
        top_ids = set(reach)
        charged = {d for (k, d) in want["edges"] if k in top_ids}
        assert view.top.defenders_total == len(charged)
        assert len(view.top.defenders) == min(60, len(charged))
