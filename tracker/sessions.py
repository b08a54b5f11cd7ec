"""Server-side login sessions: a random token in the browser's cookie, its hash in the database.

A session is a row of ``login_session``: the SHA-256 of a token made by :mod:`secrets`, the
account, and when it was made, last used and expires. The browser keeps only the token (in a
cookie, see tracker.ui.session_cookie), so a reload, a new tab or a second app server behind
a proxy finds the same login in the database. A session ends when:

- it expires (``TRACKER_SESSION_HOURS`` after login, default 12);
- it sits idle longer than ``TRACKER_IDLE_MINUTES`` (default 30);
- its user logs out (:func:`end`);
- the account's password changes, or the account is disabled or deleted: a ``before_flush``
  hook deletes the account's sessions in the same transaction, whichever path made the change
  (admin page, CLI, services).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, inspect, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from .errors import TrackerError
from .models import AppUser, LoginSession, utcnow
from .permissions import Principal

TOKEN_BYTES = 32
# A session's last use is written at most this often, so browsing is not a write per click.
TOUCH_EVERY = timedelta(seconds=30)


def lifetime() -> timedelta:
    """How long a session lasts after login at most (TRACKER_SESSION_HOURS, default 12)."""
    return timedelta(hours=float(os.environ.get("TRACKER_SESSION_HOURS", "12")))


def idle_limit() -> timedelta:
    """How long a session may sit unused before it ends (TRACKER_IDLE_MINUTES, default 30)."""
    return timedelta(minutes=float(os.environ.get("TRACKER_IDLE_MINUTES", "30")))


def hash_token(token: str) -> str:
    """The SHA-256 of a token, as stored (hex). A token is random, so no salt is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Started:
    """A new session: the token for the cookie (never stored) and when it expires."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Resumed:
    """What a token stands for: who, in which language (None: not chosen), or why not."""

    principal: Principal | None
    language: str | None = None
    idle: bool = False  # True: it ended now for sitting idle too long


def start(engine: Engine, username: str, *, now: datetime | None = None) -> Started:
    """Open a session for an active account (after its password was checked); return its token.

    Expired sessions of every account are deleted on the way, so the table stays small.

    Raises:
        TrackerError: the account does not exist or is disabled.
    """
    now = now or utcnow()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    expires = now + lifetime()
    with Session(engine) as session:
        user_id = session.exec(
            select(AppUser.id).where(AppUser.username == username, col(AppUser.active))
        ).first()
        if user_id is None:  # disabled or deleted between the password check and now
            raise TrackerError("auth.bad_credentials")
        session.execute(delete(LoginSession).where(col(LoginSession.expires_at) <= now))
        session.add(
            LoginSession(
                token_hash=hash_token(token),
                user_id=user_id,
                created_at=now,
                last_seen_at=now,
                expires_at=expires,
            )
        )
        session.commit()
    return Started(token, expires)


def resume(engine: Engine, token: str | None, *, now: datetime | None = None) -> Resumed:
    """Who the token logs in, checked on every page run.

    An unknown, expired or revoked token, or a disabled account, gives no principal; an idle
    one is deleted and says so. A valid one has its last use moved forward.
    """
    if not token:
        return Resumed(None)
    now = now or utcnow()
    digest = hash_token(token)
    mine = col(LoginSession.token_hash) == digest
    # Columns, not ORM objects: this runs on every page run of every tab.
    with engine.connect() as conn:
        row = conn.execute(
            select(
                LoginSession.expires_at,
                LoginSession.last_seen_at,
                AppUser.username,
                AppUser.role,
                AppUser.language,
            )
            .join(AppUser, col(AppUser.id) == col(LoginSession.user_id))
            .where(mine, col(AppUser.active))
        ).first()
        if row is None:
            return Resumed(None)
        expires_at, last_seen_at, username, role, language = row
        if expires_at <= now or now - last_seen_at > idle_limit():
            conn.execute(delete(LoginSession).where(mine))
            conn.commit()
            return Resumed(None, idle=expires_at > now)
        if now - last_seen_at >= TOUCH_EVERY:
            conn.execute(update(LoginSession).where(mine).values(last_seen_at=now))
            conn.commit()
    return Resumed(Principal(username, role), language)


def end(engine: Engine, token: str | None) -> None:
    """Log out: delete the token's session (any tab holding it is logged out at its next run)."""
    if not token:
        return
    with Session(engine) as session:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == hash_token(token)))
        session.commit()


def count_for(engine: Engine, username: str) -> int:
    """How many sessions the account has open (the admin page and tests ask)."""
    with Session(engine) as session:
        return len(
            session.exec(
                select(LoginSession.token_hash)
                .join(AppUser, col(AppUser.id) == col(LoginSession.user_id))
                .where(AppUser.username == username)
            ).all()
        )


def _revokes(user: AppUser) -> bool:
    """Whether this change to an account must end its sessions."""
    state = inspect(user)
    if state.attrs.password_hash.history.has_changes():
        return True
    active = state.attrs.active.history
    return active.has_changes() and not user.active


@event.listens_for(OrmSession, "before_flush")
def _revoke_on_account_change(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Delete the sessions of accounts whose password changed or that were disabled or deleted,
    in the transaction that changes them."""
    ended: list[uuid.UUID] = [u.id for u in session.deleted if isinstance(u, AppUser)]
    ended += [u.id for u in session.dirty if isinstance(u, AppUser) and _revokes(u)]
    if ended:
        session.execute(delete(LoginSession).where(col(LoginSession.user_id).in_(ended)))
