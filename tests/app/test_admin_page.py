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
    assert "1 entry." in [c.value for c in at.caption]
    assert len(at.get("download_button")) == 1
