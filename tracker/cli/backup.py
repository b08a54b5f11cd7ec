"""``backup FILE`` and ``restore FILE``: the whole database, while the app keeps running."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from .. import config, db
from ..i18n import t
from ..stats import row_counts


def _cmd_backup(args: argparse.Namespace) -> int:
    from ..backup import backup

    info = backup(db.make_engine(), Path(args.file), args.format)
    print(
        t(
            "backup.cli.done",
            path=args.file,
            format=info.format,
            revision=info.revision or "-",
            rows=sum(info.tables.values()),
        )
    )
    return 0


def safety_copy_path(engine_dialect: str) -> Path:
    """Where restore keeps a copy of the database it is about to replace."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = ".db" if engine_dialect == "sqlite" else ".jsonl.gz"
    return config.data_dir() / "backups" / f"before-restore-{stamp}{suffix}"


def _cmd_restore(args: argparse.Namespace) -> int:
    from ..backup import backup, inspect_backup, restore

    engine = db.make_engine()
    info = inspect_backup(Path(args.file))
    print(
        t(
            "backup.cli.about",
            format=info.format,
            revision=info.revision or "-",
            created=info.created_at,
            rows=sum(info.tables.values()),
        )
    )
    has_data = not db.is_empty(engine) and any(row_counts(engine).values())
    if has_data and not args.yes:
        print(t("backup.cli.confirm"), file=sys.stderr)
        return 2
    if has_data:
        safety = safety_copy_path(engine.dialect.name)
        backup(engine, safety)
        print(t("backup.cli.safety", path=str(safety)))
    restore(engine, Path(args.file))
    print(t("backup.cli.restored", revision=db.current_revision(engine) or "-"))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Add the backup and restore commands."""
    p = sub.add_parser("backup", help=t("backup.cli.help"), description=t("backup.cli.help"))
    p.add_argument("file", metavar="FILE", help=t("backup.cli.file_help"))
    p.add_argument(
        "--format",
        choices=("auto", "sqlite", "jsonl"),
        default="auto",
        help=t("backup.cli.format_help"),
    )
    p.set_defaults(func=_cmd_backup)

    p = sub.add_parser(
        "restore", help=t("backup.cli.restore_help"), description=t("backup.cli.restore_help")
    )
    p.add_argument("file", metavar="FILE", help=t("backup.cli.file_help"))
    p.add_argument("--yes", action="store_true", help=t("backup.cli.yes_help"))
    p.set_defaults(func=_cmd_restore)
