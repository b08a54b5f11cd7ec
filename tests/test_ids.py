"""Record ids: increasing in the order they are made (appended to every index), unique, and
what every table, an import and the demo generator give their records."""

from __future__ import annotations

import uuid

import pytest

from tracker.demo.plan import SCALES, Draws
from tracker.models import AuditLog, Case, ImportBatch, ids


def test_ids_increase_and_never_repeat() -> None:
    first = [ids.new_id() for _ in range(1000)]
    assert first == sorted(first)
    assert {(u.version, u.variant) for u in first} == {(7, uuid.RFC_4122)}
    # Stored as 32 hex digits on SQLite: the text sorts as the number does.
    assert [u.hex for u in first] == sorted(u.hex for u in first)
    second = [ids.new_id() for _ in range(1000)]
    assert second[0] > first[-1]
    assert len(set(first) | set(second)) == 2000


def test_ids_keep_increasing_when_the_clock_goes_back(monkeypatch: pytest.MonkeyPatch) -> None:
    before = ids.new_id()
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_000_000_000)  # 1970
    after = [ids.new_id() for _ in range(10)]
    assert [before, *after] == sorted([before, *after])


def test_the_time_of_making_leads_the_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ids, "_last_millis", 0)
    monkeypatch.setattr(ids.time, "time_ns", lambda: 1_764_892_800_123_456_789)
    made = ids.new_id()
    assert made.int >> 80 == 1_764_892_800_123  # 2025-12-05 00:00:00.123 UTC, in ms
    assert made.version == 7


def test_every_table_gets_increasing_ids() -> None:
    made = [
        Case(title="x", case_number="1").id,
        AuditLog(username="u", table_name="t", action="create").id,
        ImportBatch(username="u", filename="f.xlsx").id,
    ]
    assert [u.version for u in made] == [7, 7, 7]
    assert made == sorted(made)


def test_demo_ids_increase_and_repeat_with_the_seed() -> None:
    one, two = Draws(SCALES["S"], 7), Draws(SCALES["S"], 7)
    drawn = [one.uid() for _ in range(500)]
    assert drawn == sorted(drawn)
    assert drawn == [two.uid() for _ in range(500)]
    # 2020-01-01 00:00 UTC in ms, version 7, then the count (1, 2, ...) and 30 drawn bits.
    assert drawn[:2] == [
        uuid.UUID("016f5e66-e800-7000-8000-000052e6b438"),
        uuid.UUID("016f5e66-e800-7000-8000-0000a6a3a450"),
    ]
