"""Ids of the records an import creates: increasing (appended to every index), unique."""

from __future__ import annotations

import uuid

from tracker.imports import ids


def test_ids_increase_within_an_import_and_never_repeat() -> None:
    ids.restart()
    first = [ids.new_id() for _ in range(1000)]
    assert first == sorted(first)
    assert {(u.version, u.variant) for u in first} == {(7, uuid.RFC_4122)}
    # Stored as 32 hex digits on SQLite: the text sorts as the number does.
    assert [u.hex for u in first] == sorted(u.hex for u in first)
    ids.restart()
    second = [ids.new_id() for _ in range(1000)]
    assert second == sorted(second)
    assert len(set(first) | set(second)) == 2000
