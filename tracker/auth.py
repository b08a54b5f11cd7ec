"""Logging in: password check, slow-down after failures, and the login trail.

Failed logins are recorded in the audit log (action ``login_failed``) under the username
typed, and each further failure within the window makes the next attempt for that username
wait longer, so guessing a password online takes years rather than minutes.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from .errors import TrackerError
from .models import AppUser, AuditLog, utcnow
from .permissions import Principal
from .services.users import create_user, verify_password

FAILURE_WINDOW = timedelta(minutes=15)
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300


@cache
def _dummy_hash() -> str:
    """A hash verified when the username does not exist, so both answers take as long."""
    return PasswordHasher().hash("no such account")


class LoginError(TrackerError):
    """The login failed; the message never says whether the username exists."""

    key = "auth.bad_credentials"


class LoginThrottled(TrackerError):
    """Too many failed attempts for this username: wait before the next one."""

    key = "auth.wait"


class SetupError(TrackerError):
    """The first administrator can only be created on a database without accounts."""

    key = "auth.setup_done"


def delay_after(failures: int) -> int:
    """Seconds to wait after ``failures`` failed attempts in the window (doubling, capped)."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_ATTEMPTS + 1)))


def _recent_failures(session: Session, username: str, now: datetime) -> tuple[int, datetime | None]:
    count, last = session.exec(
        select(func.count(), func.max(AuditLog.at)).where(
            AuditLog.action == "login_failed",
            AuditLog.username == username,
            col(AuditLog.at) >= now - FAILURE_WINDOW,
        )
    ).one()
    return int(count), last


def _log(session: Session, username: str, action: str, user: AppUser | None, now: datetime) -> None:
    session.add(
        AuditLog(
            at=now,
            username=username[:80],
            table_name="app_user",
            row_id=user.id if user else None,
            action=action,
            changes={},
        )
    )


def has_users(engine: Engine) -> bool:
    """True once at least one account exists."""
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(AppUser)).one() > 0


def login(
    engine: Engine, username: str, password: str, *, now: datetime | None = None
) -> Principal:
    """Check a username and password; return who logged in.

    Raises:
        LoginThrottled: too many recent failures for this username; says how long to wait.
        LoginError: wrong username or password, or a disabled account.
    """
    now = now or utcnow()
    username = username.strip()
    with Session(engine) as session:
        failures, last = _recent_failures(session, username[:80], now)
        wait = delay_after(failures)
        if last is not None and wait:
            remaining = (last + timedelta(seconds=wait) - now).total_seconds()
            if remaining > 0:
                raise LoginThrottled(seconds=math.ceil(remaining))
        user = session.exec(select(AppUser).where(AppUser.username == username)).first()
        ok = verify_password(user.password_hash if user else _dummy_hash(), password)
        if not (user and ok and user.active):
            _log(session, username, "login_failed", user, now)
            session.commit()
            raise LoginError()
        # A plain UPDATE: logging in must not bump the version an administrator is editing.
        session.execute(update(AppUser).where(col(AppUser.id) == user.id).values(last_login_at=now))
        _log(session, username, "login", user, now)
        principal = Principal(user.username, user.role)
        session.commit()
    return principal


def current_principal(engine: Engine, username: str) -> Principal | None:
    """The account's current role, or None if it was disabled or deleted since login."""
    with Session(engine) as session:
        row = session.exec(
            select(AppUser.role).where(AppUser.username == username, AppUser.active == True)  # noqa: E712
        ).first()
    return Principal(username, row) if row else None


def create_first_admin(
    engine: Engine, *, username: str, password: str, display_name: str = ""
) -> Principal:
    """Create the administrator account of a new installation (only when there is none)."""
    from .db import unit_of_work
    from .permissions import SYSTEM

    with unit_of_work(engine, SYSTEM) as session:
        if session.exec(select(func.count()).select_from(AppUser)).one():
            raise SetupError()
        create_user(
            session, username=username, password=password, role="admin", display_name=display_name
        )
    return Principal(username.strip(), "admin")
