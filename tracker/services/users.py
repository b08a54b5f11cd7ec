"""Accounts: passwords are kept only as argon2 hashes."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session

from .. import sessions  # noqa: F401  (its flush hook ends sessions on password change, disabling)
from ..errors import FieldError, ValidationError
from ..models import AppUser
from ..models.enums import USER_ROLES
from .base import RecordService, RecordSpec
from .lookups import Lookups

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()


def _user_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    clash = db.find(AppUser, username=view.username)
    if clash is not None and (obj is None or clash != obj.id):
        return [FieldError("username", "errors.duplicate_username")]
    return []


_users = RecordService(
    RecordSpec(
        model=AppUser,
        record="record.app_user",
        required=("username", "password_hash", "role"),
        choices={"role": USER_ROLES, "language": ("en", "es")},
        checks=(_user_rules,),
    )
)


def hash_password(password: str) -> str:
    """Hash a password, refusing ones too short to resist guessing."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            [FieldError("password", "errors.password_too_short", {"min": MIN_PASSWORD_LENGTH})],
            record="record.app_user",
        )
    return _hasher.hash(password)


def create_user(session: Session, *, username: str, password: str, role: str, **extra: Any) -> Any:
    """Create an account with a hashed password; return its id."""
    data = {"username": username.strip(), "role": role, **extra}
    return _users.create(session, {**data, "password_hash": hash_password(password)})


def update_user(
    session: Session, user_id: Any, changes: Mapping[str, Any], expected_version: int
) -> int:
    """Change an account's role, name, language or active flag (not its password)."""
    if "password_hash" in changes:
        raise ValidationError([FieldError("password_hash", "errors.unknown_field")])
    return _users.update(session, user_id, changes, expected_version)


def set_password(session: Session, user_id: Any, password: str, expected_version: int) -> int:
    """Replace an account's password."""
    return _users.update(
        session, user_id, {"password_hash": hash_password(password)}, expected_version
    )


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches the stored hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


users = _users
