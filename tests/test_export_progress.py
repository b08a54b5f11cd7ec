"""Streaming exports report their progress: rows read out of rows to read, ending full."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.test_export_tables import build_sample
from tracker.exports import ExportOptions, exporter
from tracker.i18n import set_language

# Rows out of the sample as a viewer sees it (restricted person and case left out) in the
# tables each format reads: every table, plus the 2 charges kept once more for charge_rows
# (140 records + 2); for FtM, 1 court, 4 actors, 1 membership, 1 case, 3 parties, 2 charges,
# 3 hearings, 1 source and 1 citation.
TOTALS = {"csv": 142, "json": 142, "xlsx": 142, "ftm": 17}
RECORDS = {"csv": 140, "json": 140, "xlsx": 140, "ftm": 17}


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx", "ftm"])
def test_progress_climbs_to_the_total(vocab_engine: Engine, tmp_path: Path, fmt: str) -> None:
    build_sample(vocab_engine)
    calls: list[tuple[int, int]] = []
    suffix = {"csv": ".zip", "json": ".json", "xlsx": ".xlsx", "ftm": ".ftm.json"}[fmt]
    options = ExportOptions(progress=lambda done, total: calls.append((done, total)))
    assert exporter(fmt)(vocab_engine, tmp_path / f"out{suffix}", options) == RECORDS[fmt]
    total = TOTALS[fmt]
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert {t for _, t in calls} == {total}
    done = [d for d, _ in calls]
    assert done == sorted(done)
