"""The Admin page: only for administrators; accounts, confidential people, audit log."""

from __future__ import annotations

import pytest

from tests.app.helpers import ready_engine, run_as
from tracker import auth
from tracker.stats import row_counts


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_non_admins_see_nothing(app_env: str, role: str) -> None:
    ready_engine(app_env)
    at = run_as("pages/9_Admin.py", app_env, role)
    assert at.error[0].value == "Only administrators may open this page."
    assert len(at.dataframe) == 0


def test_admin_sees_confidential_people_with_real_and_pseudonyms(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as("pages/9_Admin.py", app_env, "admin")
    people = at.dataframe[1].value
    assert len(people) == 16
    assert people.iloc[0]["Pseudonym"] == "Celendín defender 01"
    assert people.iloc[0]["Name"] == "Name withheld (Celendín defendant 01)"


def test_admin_creates_account_and_it_can_log_in(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as("pages/9_Admin.py", app_env, "admin")
    at.text_input(key="acc_username").input("marta")
    at.selectbox(key="acc_role").set_value("viewer")
    at.text_input(key="acc_password").input("a long passphrase")
    at.button(key="FormSubmitter:new_account-Create account").click().run()
    assert at.success[0].value == "Saved."
    assert auth.login(engine, "marta", "a long passphrase").role == "viewer"


def test_short_password_shows_error_and_creates_nothing(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as("pages/9_Admin.py", app_env, "admin")
    before = row_counts(engine)
    at.text_input(key="acc_username").input("marta")
    at.text_input(key="acc_password").input("short")
    at.button(key="FormSubmitter:new_account-Create account").click().run()
    assert at.error[0].value == (
        "Not saved. Please correct:\n- Password: The password needs at least 10 characters."
    )
    assert row_counts(engine) == before


def test_audit_log_lists_logins_and_filters(app_env: str) -> None:
    engine = ready_engine(app_env)
    at = run_as("pages/9_Admin.py", app_env, "admin")
    with pytest.raises(auth.LoginError):
        auth.login(engine, "intruder", "guess guess guess")
    at.selectbox(key="au_action").set_value("login_failed").run()
    assert "1 entries." in [c.value for c in at.caption]
    assert len(at.get("download_button")) == 1


def test_a_link_to_an_audit_entry_opens_it_with_its_values(app_env: str) -> None:
    from sqlmodel import Session, select

    from tracker import db
    from tracker import services as sv
    from tracker.models import AuditLog, Case
    from tracker.permissions import Principal

    engine = ready_engine(app_env)
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        case = s.exec(select(Case).where(Case.status == "closed")).one()
        sv.cases.update(s, case.id, {"status": "open"}, case.version_id)
    with Session(engine) as s:
        entry = s.exec(select(AuditLog).order_by(AuditLog.at.desc())).first()  # type: ignore[attr-defined]
    assert entry is not None
    at = run_as("pages/9_Admin.py", app_env, "admin", query={"audit": str(entry.id)})
    heading = [h.value for h in at.subheader if "· ana ·" in h.value]
    assert heading == [f"Changed · Case · ana · {entry.at:%Y-%m-%d %H:%M:%S} UTC"]
    (values,) = [
        d.value for d in at.dataframe if list(d.value.columns) == ["Field", "Before", "After"]
    ]
    assert [list(row) for _, row in values.iterrows()] == [["Status", "closed", "open"]]
