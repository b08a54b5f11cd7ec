"""Database commands: ``init``, ``seed``, ``stats``."""

from __future__ import annotations

import argparse
import json
import time

from .. import config, db
from ..i18n import t


def _cmd_init(args: argparse.Namespace) -> int:
    engine = db.make_engine()
    before = db.current_revision(engine)
    db.upgrade(engine)
    print(t("cli.init.done", url=_safe_url(), before=before or "-", after=db.head_revision()))
    from ..seed import ensure_vocabularies

    print(t("cli.init.vocabularies", count=ensure_vocabularies(engine)))
    return 0


def _cmd_seed(args: argparse.Namespace) -> int:
    from .. import seed

    engine = db.make_engine()
    db.upgrade(engine)
    if args.demo:
        from .. import demo

        started = time.perf_counter()
        counts = demo.generate(engine, scale=args.scale, seed=args.seed)
        seconds = time.perf_counter() - started
        print(t("cli.seed.demo_done", scale=args.scale, seed=args.seed, seconds=f"{seconds:.1f}"))
    elif args.refresh:
        report = seed.refresh(engine)
        for part, key in (
            ("added", "cli.seed.refresh_added"),
            ("updated", "cli.seed.refresh_updated"),
            ("deleted", "cli.seed.refresh_deleted"),
        ):
            print(t(key, count=sum(report[part].values())))
            for table, count in sorted(report[part].items()):
                print(f"  {table}: {count}")
        for table, row_id in report["kept"]:
            print(t("cli.seed.refresh_kept", table=table, id=row_id))
        return 0
    else:
        counts = seed.seed(engine)
        print(t("cli.seed.done") if counts else t("cli.seed.nothing_new"))
    for table, count in sorted(counts.items()):
        print(f"  {table}: {count}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from ..stats import row_counts

    counts = row_counts(db.make_engine())
    if args.json:
        print(json.dumps(counts, indent=2, sort_keys=True))
    else:
        width = max(len(name) for name in counts)
        for name, count in counts.items():
            print(f"{name:<{width}}  {count:>10,}")
    return 0


def _safe_url() -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(config.database_url()).render_as_string(hide_password=True)


def register(sub: argparse._SubParsersAction) -> None:
    """Add the init, seed and stats commands."""
    p = sub.add_parser("init", help=t("cli.init.help"), description=t("cli.init.help"))
    p.set_defaults(func=_cmd_init)

    p = sub.add_parser("seed", help=t("cli.seed.help"), description=t("cli.seed.help"))
    p.add_argument("--demo", action="store_true", help=t("cli.seed.demo_help"))
    p.add_argument("--scale", choices=("S", "M", "L"), default="S", help=t("cli.seed.scale_help"))
    p.add_argument("--seed", type=int, default=42, help=t("cli.seed.seed_help"))
    p.add_argument("--refresh", action="store_true", help=t("cli.seed.refresh_help"))
    p.set_defaults(func=_cmd_seed)

    p = sub.add_parser("stats", help=t("cli.stats.help"), description=t("cli.stats.help"))
    p.add_argument("--json", action="store_true", help=t("cli.stats.json_help"))
    p.set_defaults(func=_cmd_stats)
