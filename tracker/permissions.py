"""Who may do what: roles are enforced here, in the services, not only by hiding buttons.

admin: everything (accounts, vocabularies, backups); editor: create and edit case records
(lawyers); viewer: read and export with pseudonyms (researchers, report authors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import PermissionDeniedError
from .i18n import t

ADMIN_ONLY_TABLES = frozenset({"app_user", "vocabulary_term"})
EDITING_ROLES = frozenset({"admin", "editor"})


@dataclass(frozen=True)
class Principal:
    """Who is acting: a username (recorded in the audit log) and a role."""

    username: str
    role: str

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.role == "admin"

    @property
    def can_edit(self) -> bool:
        """True for roles that may create and edit case records."""
        return self.role in EDITING_ROLES


# The documented seed, migrations and command-line tools act as the system administrator.
SYSTEM = Principal("system", "admin")
SEED = Principal("seed", "admin")


def may_write(principal: Principal, table: str) -> bool:
    """True when ``principal`` may create, change or delete rows of ``table``."""
    if table in ADMIN_ONLY_TABLES:
        return principal.is_admin
    return principal.can_edit


def require_write(session: Any, table: str) -> Principal:
    """The session's principal, if it may write ``table``; else PermissionDeniedError."""
    principal = session.info.get("principal")
    if not isinstance(principal, Principal) or not may_write(principal, table):
        role = principal.role if isinstance(principal, Principal) else "-"
        raise PermissionDeniedError(role=t(f"role.{role}") if role != "-" else role)
    return principal


def require_admin(principal: Principal) -> None:
    """Raise PermissionDeniedError unless ``principal`` is an administrator."""
    if not principal.is_admin:
        raise PermissionDeniedError(role=t(f"role.{principal.role}"))
