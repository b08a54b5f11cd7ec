"""Administration read side: confidential list only for admins; the audit log as CSV."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.factories import make_case_with_defendant
from tracker import admin
from tracker.errors import PermissionDeniedError
from tracker.permissions import Principal


def test_confidential_list_needs_an_admin(engine: Engine) -> None:
    with Session(engine) as s, pytest.raises(PermissionDeniedError):
        admin.confidential_people(s, Principal("ed", "editor"))


def test_audit_csv_filters_and_neutralizes(vocab_engine: Engine) -> None:
    make_case_with_defendant(vocab_engine, user="=cmd|' /C calc'!A0")
    with Session(vocab_engine) as s:
        data = admin.audit_csv(s, admin.AuditFilters(table_name="court_case"))
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["at_utc", "username", "action", "table", "row_id", "changes"]
    assert len(rows) == 2
    assert rows[1][1:4] == ["'=cmd|' /C calc'!A0", "create", "court_case"]
    assert '"title": [null, "Caso Ejemplo"]' in rows[1][5]
