"""The permission matrix: which role may write which record kind, enforced in the services."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from tracker import db
from tracker.errors import PermissionDeniedError
from tracker.permissions import Principal, may_write
from tracker.services import SERVICES
from tracker.stats import row_counts

ADMIN_ONLY = {"app_user", "vocabulary_term"}


@pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
@pytest.mark.parametrize("table", sorted(SERVICES))
def test_matrix(role: str, table: str) -> None:
    expected = role == "admin" or (role == "editor" and table not in ADMIN_ONLY)
    assert may_write(Principal("x", role), table) is expected


@pytest.mark.parametrize("action", ["create", "update", "delete"])
@pytest.mark.parametrize("table", sorted(SERVICES))
def test_viewer_calling_a_write_service_is_refused(
    engine: Engine, table: str, action: str
) -> None:
    """Checked before anything else: even an empty or unknown id is refused for a viewer."""
    service = SERVICES[table]
    before = row_counts(engine)
    with (
        pytest.raises(PermissionDeniedError) as info,
        db.unit_of_work(engine, Principal("vera", "viewer")) as s,
    ):
        if action == "create":
            service.create(s, {})
        elif action == "update":
            service.update(s, "00000000-0000-0000-0000-000000000000", {}, 1)
        else:
            service.delete(s, "00000000-0000-0000-0000-000000000000", 1)
    assert str(info.value) == "Your role (viewer) may not do this."
    assert row_counts(engine) == before


@pytest.mark.parametrize("table", sorted(ADMIN_ONLY))
def test_editor_cannot_write_accounts_or_vocabularies(engine: Engine, table: str) -> None:
    with (
        pytest.raises(PermissionDeniedError),
        db.unit_of_work(engine, Principal("ed", "editor")) as s,
    ):
        SERVICES[table].create(s, {})
