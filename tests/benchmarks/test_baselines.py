"""Each page's raw baseline (benchmarks/) gives what the tracker's own code computes for that
page, as an editor and as a viewer, on the documented seed plus demo scale S: a baseline
cannot silently measure something cheaper than the page."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from benchmarks import checks
from benchmarks.run import raw_connection
from tracker import db, demo, seed
from tracker.permissions import SYSTEM
from tracker.services.users import create_user


def test_every_baseline_matches_the_tracker(engine: Engine, db_url: str) -> None:
    seed.seed(engine)
    demo.generate(engine, scale="S", seed=42)
    with db.unit_of_work(engine, SYSTEM) as session:
        for role in ("editor", "viewer", "admin"):
            create_user(
                session, username=f"bench_{role}", password="benchmark passphrase", role=role
            )
    conn = raw_connection(db_url)
    try:
        found = checks.check_all(db_url, conn)
    finally:
        conn.close()
    assert set(found) == set(checks.EXPECTED)
    differences = {
        f"{page} {role}": d for page, roles in found.items() for role, d in roles.items() if d
    }
    assert differences == {}


def test_a_difference_is_reported() -> None:
    ours = {"total": 3, "rows": [["a", 1.0], ["b", 2]]}
    assert checks._differences(ours, ours) == []
    assert checks._differences(ours, {"total": 3, "rows": [["a", 1.0], ["b", 3]]}) == [
        ".rows[1][1]: 2 vs 3"
    ]
    assert checks._differences(ours, {"total": 3, "rows": [["a", 1.0]]}) == [".rows: 2 items vs 1"]
