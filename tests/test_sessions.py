"""Server-side login sessions and the account's language, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from tests.factories import make_user
from tracker import db, sessions
from tracker import services as sv
from tracker.errors import TrackerError, ValidationError
from tracker.models import AppUser, AuditLog, LoginSession, utcnow
from tracker.permissions import Principal
from tracker.services import preferences
from tracker.services.users import set_password

ADMIN = Principal("admin", "admin")


def _user(session: Session, username: str) -> AppUser:
    return session.exec(select(AppUser).where(AppUser.username == username)).one()


def test_token_is_random_and_only_its_hash_is_stored(engine: Engine) -> None:
    make_user(engine, "ana", "viewer")
    first = sessions.start(engine, "ana")
    second = sessions.start(engine, "ana")
    assert first.token != second.token
    assert len(first.token) == 43  # 32 random bytes, URL-safe base64
    with Session(engine) as s:
        stored = sorted(s.exec(select(LoginSession.token_hash)).all())
    assert stored == sorted([sessions.hash_token(first.token), sessions.hash_token(second.token)])
    assert sessions.hash_token("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert first.token not in stored


def test_resume_gives_the_account_and_its_language(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    token = sessions.start(engine, "ana").token
    assert sessions.resume(engine, token) == sessions.Resumed(Principal("ana", "editor"), None)
    preferences.set_language(engine, Principal("ana", "editor"), "es")
    assert sessions.resume(engine, token).language == "es"
    assert sessions.resume(engine, "not a token").principal is None
    assert sessions.resume(engine, None).principal is None


def test_logout_ends_only_that_session(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    first = sessions.start(engine, "ana").token
    second = sessions.start(engine, "ana").token
    sessions.end(engine, first)
    assert sessions.resume(engine, first).principal is None
    assert sessions.resume(engine, second).principal == Principal("ana", "editor")
    assert sessions.count_for(engine, "ana") == 1


def test_session_expires(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_SESSION_HOURS", "2")
    make_user(engine, "ana", "editor")
    now = utcnow()
    started = sessions.start(engine, "ana", now=now)
    assert started.expires_at == now + timedelta(hours=2)
    # Used every 20 minutes, so never idle, it still ends after two hours.
    for minutes in range(20, 120, 20):
        later = now + timedelta(minutes=minutes)
        assert sessions.resume(engine, started.token, now=later).principal is not None
    ended = sessions.resume(engine, started.token, now=now + timedelta(hours=2, seconds=1))
    assert ended == sessions.Resumed(None)
    assert sessions.count_for(engine, "ana") == 0


def test_idle_session_ends_and_says_so(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_IDLE_MINUTES", "30")
    make_user(engine, "ana", "editor")
    now = utcnow()
    token = sessions.start(engine, "ana", now=now).token
    # Each use moves the idle clock forward.
    assert sessions.resume(engine, token, now=now + timedelta(minutes=29)).principal
    assert sessions.resume(engine, token, now=now + timedelta(minutes=58)).principal
    assert sessions.resume(engine, token, now=now + timedelta(minutes=89)) == sessions.Resumed(
        None, idle=True
    )
    assert sessions.resume(engine, token, now=now + timedelta(minutes=90)) == sessions.Resumed(None)


def test_password_change_and_disabling_end_every_session(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    make_user(engine, "ben", "editor")
    ana = [sessions.start(engine, "ana").token for _ in range(2)]
    ben = sessions.start(engine, "ben").token
    with db.unit_of_work(engine, ADMIN) as s:
        user = _user(s, "ana")
        set_password(s, user.id, "a brand new passphrase", user.version_id)
    assert [sessions.resume(engine, t).principal for t in ana] == [None, None]
    assert sessions.resume(engine, ben).principal == Principal("ben", "editor")

    again = sessions.start(engine, "ana").token
    with db.unit_of_work(engine, ADMIN) as s:  # a change of role keeps the session
        user = _user(s, "ana")
        sv.users.update(s, user.id, {"role": "viewer"}, user.version_id)
    assert sessions.resume(engine, again).principal == Principal("ana", "viewer")
    with db.unit_of_work(engine, ADMIN) as s:
        user = _user(s, "ana")
        sv.users.update(s, user.id, {"active": False}, user.version_id)
    assert sessions.count_for(engine, "ana") == 0
    assert sessions.resume(engine, again).principal is None
    assert sessions.count_for(engine, "ben") == 1


def test_new_login_clears_expired_sessions(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    make_user(engine, "ben", "editor")
    long_ago = utcnow() - timedelta(days=3)
    sessions.start(engine, "ben", now=long_ago)
    sessions.start(engine, "ana")
    assert (sessions.count_for(engine, "ben"), sessions.count_for(engine, "ana")) == (0, 1)


def test_disabled_account_cannot_start_a_session(engine: Engine) -> None:
    make_user(engine, "ana", "editor")
    with db.unit_of_work(engine, ADMIN) as s:
        user = _user(s, "ana")
        sv.users.update(s, user.id, {"active": False}, user.version_id)
    with pytest.raises(TrackerError) as refused:
        sessions.start(engine, "ana")
    assert refused.value.message("en") == (
        "Wrong username or password (or the account is disabled)."
    )


def test_language_is_the_accounts_own_and_audited(engine: Engine) -> None:
    make_user(engine, "ana", "viewer")  # a viewer may not edit accounts, but sets its own
    with Session(engine) as s:
        assert _user(s, "ana").language is None
    preferences.set_language(engine, Principal("ana", "viewer"), "es")
    preferences.set_language(engine, Principal("ana", "viewer"), "es")  # no change, no entry
    with Session(engine) as s:
        assert _user(s, "ana").language == "es"
        trail = s.exec(
            select(AuditLog.username, AuditLog.action, AuditLog.changes)
            .where(AuditLog.table_name == "app_user", AuditLog.action == "update")
            .order_by(col(AuditLog.at))
        ).all()
    assert [tuple(row) for row in trail] == [("ana", "update", {"language": [None, "es"]})]
    with pytest.raises(ValidationError) as bad:
        preferences.set_language(engine, Principal("ana", "viewer"), "fr")
    assert str(bad.value.errors[0].message("en")) == (
        "“fr” is not allowed here; choose one of: en, es."
    )
