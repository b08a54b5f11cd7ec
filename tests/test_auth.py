"""Logging in: right and wrong passwords, the slow-down per username, the login trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.factories import make_user
from tracker import auth, db
from tracker import services as sv
from tracker.models import AuditLog, utcnow
from tracker.permissions import Principal


def _trail(engine: Engine) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows = s.exec(
            select(AuditLog.username, AuditLog.action)
            .where(col(AuditLog.action).in_(["login", "login_failed"]))
            .order_by(col(AuditLog.at))
        ).all()
    return [(u, a) for u, a in rows]


def test_login_returns_principal_and_is_logged(engine: Engine) -> None:
    make_user(engine, "ana", "viewer")
    assert auth.login(engine, " ana ", "correct horse battery") == Principal("ana", "viewer")
    assert _trail(engine) == [("ana", "login")]


def test_wrong_password_and_unknown_user_say_the_same(engine: Engine) -> None:
    make_user(engine, "ana", "viewer")
    with pytest.raises(auth.LoginError) as wrong:
        auth.login(engine, "ana", "wrong horse battery")
    with pytest.raises(auth.LoginError) as unknown:
        auth.login(engine, "nobody", "correct horse battery")
    assert str(wrong.value) == str(unknown.value) == (
        "Wrong username or password (or the account is disabled)."
    )
    assert _trail(engine) == [("ana", "login_failed"), ("nobody", "login_failed")]


def test_failures_slow_down_that_username_only(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    make_user(engine, "bea", "editor")
    start = utcnow()
    for i in range(3):
        with pytest.raises(auth.LoginError):
            auth.login(engine, "ana", "guess", now=start + timedelta(seconds=i))
    # After 3 failures the next attempt must wait 2 s after the last one, even if right.
    with pytest.raises(auth.LoginThrottled) as info:
        auth.login(engine, "ana", "correct horse battery", now=start + timedelta(seconds=3))
    assert str(info.value) == (
        "Too many failed attempts for this username: try again in 1 s."
    )
    assert auth.login(engine, "bea", "correct horse battery", now=start + timedelta(seconds=3))
    assert auth.login(engine, "ana", "correct horse battery", now=start + timedelta(seconds=5))


@pytest.mark.parametrize(
    ("failures", "delay"), [(0, 0), (2, 0), (3, 2), (4, 4), (6, 16), (20, 300)]
)
def test_delay_doubles_and_is_capped(failures: int, delay: int) -> None:
    assert auth.delay_after(failures) == delay


def test_disabled_account_cannot_log_in(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    with db.unit_of_work(engine, Principal("admin", "admin")) as s:
        from tracker.models import AppUser

        user = s.exec(select(AppUser).where(AppUser.username == "ana")).one()
        sv.users.update(s, user.id, {"active": False}, user.version_id)
    with pytest.raises(auth.LoginError):
        auth.login(engine, "ana", "correct horse battery")
    assert auth.current_principal(engine, "ana") is None


def test_first_admin_only_once(engine: Engine) -> None:
    assert not auth.has_users(engine)
    principal = auth.create_first_admin(engine, username="root", password="a long passphrase")
    assert principal == Principal("root", "admin")
    with pytest.raises(auth.SetupError):
        auth.create_first_admin(engine, username="other", password="a long passphrase")
