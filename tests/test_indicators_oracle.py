"""Every indicator, overall and per complainant, on demo S against an independent oracle:
hand-written SQL over the raw tables (tests/indicator_oracle.py), on SQLite and PostgreSQL,
as a viewer and as an editor."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.indicator_oracle import oracle
from tracker import analysis, demo

TODAY = date(2026, 11, 28)


def _tracker(engine: Engine, show: bool, group_by: str, threshold: int) -> dict[str, Any]:
    out: dict[str, dict[str, Any]] = {}
    for f in analysis.figures(
        engine, show_confidential=show, group_by=group_by, today=TODAY,
        mass_threshold=threshold,
    ):  # fmt: skip
        out.setdefault(f.indicator, {})[f.group] = (
            f.value, f.numerator, f.denominator, f.details
        )
    return out


@pytest.mark.slow
def test_every_indicator_matches_the_oracle_on_demo_s(engine: Engine) -> None:
    demo.generate(engine, scale="S", seed=7)
    compared = 0
    for show, threshold in ((False, 5), (True, 3)):
        with engine.connect() as conn:
            expected = oracle(conn, trusted=show, today=TODAY, threshold=threshold)
        for group_by in ("overall", "complainant"):
            got = _tracker(engine, show, group_by, threshold)
            assert sorted(got) == sorted(i.code for i in analysis.INDICATORS)
            for code in got:
                want = expected[code][group_by]
                assert got[code] == want, (code, group_by, show)
                compared += len(want)
    # 12 figures overall and those of the demo's complainants, for each visibility (demo S,
    # seed 7: deterministic)
    assert compared == 595
