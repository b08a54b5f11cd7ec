"""``users add | passwd | disable | list``: accounts from the command line.

Passwords are read from a prompt (or from standard input when it is not a terminal), never
from an argument, which would leave them in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlmodel import Session, col, select

from .. import db
from ..errors import FieldError, NotFoundError, ValidationError
from ..i18n import t
from ..models import AppUser
from ..models.enums import USER_ROLES
from ..services import users as user_service
from ..services.users import create_user, set_password
from . import cli_principal


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(t("cli.users.password_prompt"))
    again = getpass.getpass(t("cli.users.password_again"))
    if first != again:
        raise ValidationError([FieldError("password", "auth.passwords_differ")])
    return first


def _find(session: Session, username: str) -> AppUser:
    user = session.exec(select(AppUser).where(AppUser.username == username)).first()
    if user is None:
        raise NotFoundError("cli.users.no_such_user", username=username)
    return user


def _cmd_add(args: argparse.Namespace) -> int:
    password = _read_password()
    engine = db.make_engine()
    db.upgrade(engine)
    with db.unit_of_work(engine, cli_principal()) as session:
        create_user(
            session,
            username=args.username,
            password=password,
            role=args.role,
            display_name=args.display_name or "",
        )
    print(t("cli.users.added", username=args.username, role=t(f"role.{args.role}")))
    return 0


def _cmd_passwd(args: argparse.Namespace) -> int:
    password = _read_password()
    with db.unit_of_work(db.make_engine(), cli_principal()) as session:
        user = _find(session, args.username)
        set_password(session, user.id, password, user.version_id)
    print(t("cli.users.password_changed", username=args.username))
    return 0


def _cmd_disable(args: argparse.Namespace) -> int:
    with db.unit_of_work(db.make_engine(), cli_principal()) as session:
        user = _find(session, args.username)
        user_service.update(session, user.id, {"active": False}, user.version_id)
    print(t("cli.users.disabled", username=args.username))
    return 0


def _cmd_list(_args: argparse.Namespace) -> int:
    with Session(db.make_engine()) as session:
        rows = session.exec(
            select(AppUser.username, AppUser.role, AppUser.active, AppUser.last_login_at).order_by(
                col(AppUser.username)
            )
        ).all()
    for username, role, active, last in rows:
        state = t("cli.users.active") if active else t("cli.users.inactive")
        seen = last.strftime("%Y-%m-%d %H:%M UTC") if last else "-"
        print(f"{username}\t{t(f'role.{role}')}\t{state}\t{seen}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add the users command and its subcommands."""
    p = sub.add_parser("users", help=t("cli.users.help"), description=t("cli.users.help"))
    users = p.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = users.add_parser("add", help=t("cli.users.add_help"), description=t("cli.users.add_help"))
    add.add_argument("username")
    add.add_argument("--role", choices=USER_ROLES, required=True)
    add.add_argument("--display-name", help=t("field.display_name"))
    add.set_defaults(func=_cmd_add)

    pw = users.add_parser(
        "passwd", help=t("cli.users.passwd_help"), description=t("cli.users.passwd_help")
    )
    pw.add_argument("username")
    pw.set_defaults(func=_cmd_passwd)

    off = users.add_parser(
        "disable", help=t("cli.users.disable_help"), description=t("cli.users.disable_help")
    )
    off.add_argument("username")
    off.set_defaults(func=_cmd_disable)

    ls = users.add_parser(
        "list", help=t("cli.users.list_help"), description=t("cli.users.list_help")
    )
    ls.set_defaults(func=_cmd_list)
