"""Raw baselines: hand-written SQL, sent with the bare DB-API driver, giving the numbers a page shows.

Each function takes a DB-API connection (sqlite3 or psycopg) and returns the rows; the
benchmark times them beside the page. The SQL is written once with %s placeholders and
adapted for sqlite3.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

Connection = Any


def _run(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if type(conn).__module__.startswith("sqlite3"):
        sql = sql.replace("%s", "?")
    cur = conn.cursor()
    cur.execute(sql, params)
    rows = cur.fetchall()
    cur.close()
    return list(rows)


def _window() -> tuple[datetime, datetime]:
    start = datetime.combine(date.today(), datetime.min.time())
    return start, start + timedelta(days=31)


CASE_PAGE = """
SELECT c.title, c.case_number, c.stage, c.status, c.region, c.opened_on, c.opened_on_precision,
       (SELECT count(*) FROM case_party p WHERE p.case_id = c.id AND p.role = 'defendant'),
       (SELECT count(*) FROM charge g WHERE g.case_id = c.id), c.is_synthetic
FROM court_case c WHERE c.confidentiality != 'restricted'
ORDER BY {order} LIMIT %s
"""


def dashboard(conn: Connection) -> object:
    """Key figures, hearings ahead, the latest cases and the latest changes."""
    start, end = _window()
    return (
        _run(conn, "SELECT count(*) FROM court_case WHERE status = 'open'"),
        _run(conn, "SELECT count(DISTINCT defendant_id) FROM charge WHERE status = 'pending'"),
        _run(
            conn,
            "SELECT sum(CASE WHEN scheduled_at >= %s AND scheduled_at < %s THEN 1 ELSE 0 END),"
            " sum(CASE WHEN scheduled_at < %s AND result IS NULL THEN 1 ELSE 0 END) FROM hearing",
            (start, end, start),
        ),
        _run(
            conn,
            "SELECT h.scheduled_at, h.hearing_type, c.title, c.case_number, ct.name FROM hearing h"
            " JOIN court_case c ON c.id = h.case_id LEFT JOIN court ct ON ct.id = h.court_id"
            " WHERE h.scheduled_at >= %s AND h.scheduled_at < %s AND c.confidentiality != 'restricted'"
            " ORDER BY h.scheduled_at LIMIT 100",
            (start, end),
        ),
        _run(conn, "SELECT count(*) FROM court_case WHERE confidentiality != 'restricted'"),
        _run(conn, CASE_PAGE.format(order="c.is_synthetic, c.updated_at DESC, c.id"), (25,)),
        _run(conn, "SELECT at, username, table_name, action, changes FROM audit_log ORDER BY at DESC LIMIT 15"),
    )


def cases(conn: Connection) -> object:
    """The first page of the case list (50, last changed first) and the total."""
    return (
        _run(conn, "SELECT count(*) FROM court_case WHERE confidentiality != 'restricted'"),
        _run(conn, CASE_PAGE.format(order="c.updated_at DESC, c.id"), (50,)),
        _run(conn, "SELECT DISTINCT region FROM court_case WHERE region IS NOT NULL"),
    )


def admin(conn: Connection) -> object:
    """What the Admin page's first tab shows: the accounts."""
    return _run(
        conn,
        "SELECT username, display_name, role, active, last_login_at FROM app_user ORDER BY username",
    )


# page path -> baseline; pages without one are reported without a ratio.
BASELINES: dict[str, Callable[[Connection], object]] = {
    "app.py": dashboard,
    "pages/1_Cases.py": cases,
    "pages/9_Admin.py": admin,
}
