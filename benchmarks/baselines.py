"""Raw baselines: hand-written SQL, sent with the bare DB-API driver, giving what a page shows.

Each baseline takes a DB-API connection (sqlite3 or psycopg) and ``trusted`` (the viewer may
see confidential names and restricted records: editors and admins) and does the work of the
page's first load with its default widget state: the same queries' worth of rows, the same
numbers. It returns a small *summary* (counts, names, figures) that
:mod:`benchmarks.checks` compares with what the tracker's own code computes, so a baseline
cannot silently measure something cheaper than the page. The SQL is written once with %s
placeholders and adapted for sqlite3.

The analysis pages (Network, Indicators, Reports) are in :mod:`benchmarks.baselines_analysis`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

Connection = Any
ROOT = Path(__file__).resolve().parent.parent
WITHHELD = "Name withheld"  # t("privacy.name_withheld") in English
PAGE = 50


def is_sqlite(conn: Connection) -> bool:
    """True for a sqlite3 connection."""
    return type(conn).__module__.startswith("sqlite3")


def run(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Execute ``sql`` (with %s placeholders) and fetch every row."""
    if is_sqlite(conn):
        sql = sql.replace("%s", "?")
    cur = conn.cursor()
    cur.execute(sql, tuple(params))
    rows = cur.fetchall()
    cur.close()
    return list(rows)


def hexid(value: Any) -> str:
    """An id as 32 hex digits (sqlite3 gives text, psycopg uuid.UUID)."""
    if value is None:
        return ""
    return value.hex if isinstance(value, uuid.UUID) else str(value).replace("-", "")


def as_date(value: Any) -> date | None:
    """A date from sqlite3 text or a psycopg date."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    return date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime | None:
    """A datetime from sqlite3 text or a psycopg datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def stamp(conn: Connection, value: datetime) -> Any:
    """A timestamp parameter: text as SQLAlchemy stores it on SQLite, a datetime on PostgreSQL."""
    return value.isoformat(sep=" ", timespec="microseconds") if is_sqlite(conn) else value


def ids_in(conn: Connection, ids: Sequence[Any]) -> tuple[str, list[Any]]:
    """SQL ``(%s, %s, ...)`` and its parameters for a list of ids (raw ids as fetched)."""
    return "(" + ", ".join(["%s"] * len(ids)) + ")", list(ids)


def visible(alias: str, trusted: bool) -> str:
    """SQL condition: the row (case or actor) may be seen at all."""
    return "1 = 1" if trusted else f"{alias}.confidentiality != 'restricted'"


def shown(alias: str, trusted: bool) -> str:
    """SQL expression: the name of an actor this viewer may see."""
    if trusted:
        return f"{alias}.name"
    return (
        f"CASE WHEN {alias}.confidentiality = 'confidential' "
        f"THEN coalesce({alias}.pseudonym, '{WITHHELD}') ELSE {alias}.name END"
    )


def partial(value: Any, precision: str | None) -> str:
    """A partial date shown as precisely as known ("2011", "2017-03", "2017-03-06")."""
    day = as_date(value)
    if day is None or precision == "unknown":
        return ""
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def labels(conn: Connection, vocabularies: Sequence[str], lang: str = "en") -> dict[str, dict]:
    """vocabulary -> code -> label, in display order, in one query."""
    place, params = ids_in(conn, list(vocabularies))
    out: dict[str, dict[str, str]] = {v: {} for v in vocabularies}
    column = "label_es" if lang == "es" else "label_en"
    for vocabulary, code, text in run(
        conn,
        f"SELECT vocabulary, code, {column} FROM vocabulary_term WHERE vocabulary IN {place}"
        " ORDER BY sort_order, code",
        params,
    ):
        out[vocabulary][code] = text
    return out


def principal(conn: Connection, username: str) -> list[tuple[Any, ...]]:
    """The login guard's check, run by every page: the account's role while active."""
    return run(
        conn, "SELECT role FROM app_user WHERE username = %s AND active = %s", (username, True)
    )


def _window(days: int = 30) -> tuple[datetime, datetime]:
    start = datetime.combine(date.today(), datetime.min.time())
    return start, start + timedelta(days=days + 1)


CASE_LIST = """
SELECT c.id, c.title, c.stage, c.status, c.region, c.opened_on, c.opened_on_precision,
       (SELECT count(*) FROM case_party p WHERE p.case_id = c.id AND p.role = 'defendant'),
       (SELECT count(*) FROM charge g WHERE g.case_id = c.id), c.is_synthetic, c.case_number
FROM court_case c WHERE {visible}
ORDER BY {order}, c.id LIMIT %s
"""


def _cases(conn: Connection, trusted: bool, order: str, limit: int) -> dict[str, Any]:
    total = run(conn, f"SELECT count(*) FROM court_case c WHERE {visible('c', trusted)}")[0][0]
    rows = run(conn, CASE_LIST.format(visible=visible("c", trusted), order=order), (limit,))
    stages = labels(conn, ("stage",))["stage"]
    shown_rows = [(r[1], stages.get(r[2], r[2]), partial(r[5], r[6]), r[7], r[8]) for r in rows]
    return {
        "total": int(total),
        "titles": [r[0] for r in shown_rows],
        "defendants": [int(r[3]) for r in shown_rows],
        "charges": [int(r[4]) for r in shown_rows],
    }


def dashboard(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """Key figures, hearings ahead, the latest cases (documented first) and the latest changes."""
    principal(conn, username)
    start, end = _window()
    (open_cases,), (prosecuted,), (ahead, overdue) = (
        run(conn, "SELECT count(*) FROM court_case WHERE status = 'open'")[0],
        # Still prosecuted: a defender with a charge without a final outcome (the indicators'
        # rule: none recorded, unknown, or an acquittal overturned).
        run(
            conn,
            "SELECT count(DISTINCT ch.defendant_id) FROM charge ch"
            " JOIN actor a ON a.id = ch.defendant_id WHERE a.is_defender"
            " AND (ch.outcome IS NULL OR ch.outcome IN ('unknown', 'acquittal_overturned'))",
        )[0],
        run(
            conn,
            "SELECT sum(CASE WHEN scheduled_at >= %s AND scheduled_at < %s THEN 1 ELSE 0 END),"
            " sum(CASE WHEN scheduled_at < %s AND result IS NULL THEN 1 ELSE 0 END) FROM hearing",
            (stamp(conn, start), stamp(conn, end), stamp(conn, start)),
        )[0],
    )
    types = labels(conn, ("hearing_type",))["hearing_type"]
    hearings = run(
        conn,
        "SELECT h.scheduled_at, h.hearing_type, c.title, c.case_number, ct.name FROM hearing h"
        " JOIN court_case c ON c.id = h.case_id LEFT JOIN court ct ON ct.id = h.court_id"
        f" WHERE h.scheduled_at >= %s AND h.scheduled_at < %s AND {visible('c', trusted)}"
        " ORDER BY h.scheduled_at LIMIT 100",
        (stamp(conn, start), stamp(conn, end)),
    )
    [types.get(h[1], h[1]) for h in hearings]
    cases = _cases(conn, trusted, "c.is_synthetic, c.updated_at DESC", 25)
    changes = run(
        conn,
        "SELECT at, username, table_name, action, changes FROM audit_log ORDER BY at DESC LIMIT 15",
    )
    return {
        "figures": [int(open_cases), int(prosecuted), int(ahead or 0), int(overdue or 0)],
        "hearings": len(hearings),
        "case_titles": cases["titles"],
        "changes": len(changes),
    }


def cases(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The case list: filter options, the first 50 cases (last changed first) and the total."""
    principal(conn, username)
    labels(conn, ("stage", "charge_type"))
    regions = run(conn, "SELECT DISTINCT region FROM court_case WHERE region IS NOT NULL")
    out = _cases(conn, trusted, "c.updated_at DESC", PAGE)
    out["regions"] = sorted(r[0] for r in regions if r[0])
    return out


PEOPLE_VOCABS = (
    "rights_defended",
    "defender_role",
    "complainant_category",
    "party_role",
    "stage",
    "charge_type",
    "outcome",
    "measure_kind",
    "hearing_type",
    "hearing_result",
    "court_event",
)


def _people(conn: Connection, trusted: bool, defenders: bool) -> dict[str, Any]:
    """The first page of the defender (or actor) list by name, with the figures of each row."""
    labels(conn, PEOPLE_VOCABS)
    only = " AND a.is_defender = %s" if defenders else ""
    flag: tuple[Any, ...] = (True,) if defenders else ()
    regions = run(conn, f"SELECT DISTINCT region FROM actor a WHERE region IS NOT NULL{only}", flag)
    out: dict[str, Any] = {"regions": sorted(r[0] for r in regions if r[0])}
    if defenders:
        orgs = run(
            conn,
            f"SELECT a.id, {shown('a', trusted)} FROM actor a WHERE {visible('a', trusted)}"
            " AND a.id IN (SELECT organization_id FROM membership) ORDER BY 2",
        )
        out["organizations"] = len(orgs)
    where = f"{visible('a', trusted)}{only}"
    out["total"] = int(run(conn, f"SELECT count(*) FROM actor a WHERE {where}", flag)[0][0])
    rows = run(
        conn,
        f"SELECT a.id, {shown('a', trusted)}, a.kind, a.region, a.rights_defended,"
        f" a.is_synthetic FROM actor a WHERE {where} ORDER BY 2, a.id LIMIT %s",
        (*flag, PAGE),
    )
    ids = [r[0] for r in rows]
    stats = {
        hexid(i): {"cases": 0, "defendant": 0, "open": 0, "pending": 0, "brought": 0, "orgs": []}
        for i in ids
    }
    if ids:
        place, params = ids_in(conn, ids)
        vis = visible("c", trusted)
        for actor, role, status, n in run(
            conn,
            "SELECT p.actor_id, p.role, c.status, count(DISTINCT c.id) FROM case_party p"
            f" JOIN court_case c ON c.id = p.case_id WHERE p.actor_id IN {place} AND {vis}"
            " GROUP BY p.actor_id, p.role, c.status",
            params,
        ):
            s = stats[hexid(actor)]
            s["cases"] += n
            if role == "defendant":
                s["defendant"] += n
                s["open"] += n if status == "open" else 0
        for actor, n in run(
            conn,
            "SELECT g.defendant_id, count(*) FROM charge g JOIN court_case c ON c.id = g.case_id"
            f" WHERE g.defendant_id IN {place} AND g.status = 'pending' AND {vis}"
            " GROUP BY g.defendant_id",
            params,
        ):
            stats[hexid(actor)]["pending"] = n
        for actor, n in run(
            conn,
            "SELECT b.actor_id, count(DISTINCT b.case_id) FROM ("
            f" SELECT actor_id, case_id FROM case_party WHERE actor_id IN {place}"
            "  AND role = 'complainant'"
            " UNION SELECT k.actor_id, g.case_id FROM charge_complainant k"
            f"  JOIN charge g ON g.id = k.charge_id WHERE k.actor_id IN {place}"
            f") b JOIN court_case c ON c.id = b.case_id WHERE {vis} GROUP BY b.actor_id",
            params + params,
        ):
            stats[hexid(actor)]["brought"] = n
        for member, name in run(
            conn,
            f"SELECT m.member_id, {shown('o', trusted)} FROM membership m"
            f" JOIN actor o ON o.id = m.organization_id WHERE m.member_id IN {place}"
            f" AND {visible('o', trusted)} ORDER BY o.name",
            params,
        ):
            stats[hexid(member)]["orgs"].append(name)
    out["names"] = [r[1] for r in rows]
    keys = ("defendant", "open", "pending", "orgs") if defenders else ("cases", "brought")
    out["figures"] = [[stats[hexid(i)][k] for k in keys] for i in ids]
    return out


def defenders(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The Defenders list: filter options, the first 50 defenders by name, their figures."""
    principal(conn, username)
    return _people(conn, trusted, defenders=True)


def actors(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The Actors list: filter options, the first 50 actors by name, cases and cases brought."""
    principal(conn, username)
    return _people(conn, trusted, defenders=False)


HEARINGS = """
SELECT h.id, h.case_id, h.scheduled_at, h.scheduled_precision, h.hearing_type, c.title,
       c.case_number, c.is_synthetic, ct.name
FROM hearing h JOIN court_case c ON c.id = h.case_id
LEFT JOIN court ct ON ct.id = coalesce(h.court_id, c.court_id)
WHERE {where} ORDER BY h.scheduled_at {direction}, h.id LIMIT %s
"""


def _hearing_page(
    conn: Connection, trusted: bool, where: str, params: tuple[Any, ...], direction: str
) -> dict[str, Any]:
    total = run(
        conn,
        f"SELECT count(*) FROM hearing h JOIN court_case c ON c.id = h.case_id WHERE {where}",
        params,
    )[0][0]
    rows = run(conn, HEARINGS.format(where=where, direction=direction), (*params, PAGE))
    people: dict[tuple[str, str], list[str]] = defaultdict(list)
    case_ids = list({r[1] for r in rows})
    if case_ids:
        place, ids = ids_in(conn, case_ids)
        for case_id, role, name in run(
            conn,
            f"SELECT p.case_id, p.role, {shown('a', trusted)} FROM case_party p"
            f" JOIN actor a ON a.id = p.actor_id WHERE p.case_id IN {place}"
            f" AND p.role IN ('defendant', 'defence_lawyer') AND {visible('a', trusted)}"
            " ORDER BY 3",
            ids,
        ):
            people[hexid(case_id), role].append(name)
    return {
        "total": int(total),
        "titles": [r[5] for r in rows],
        "defendants": [people.get((hexid(r[1]), "defendant"), []) for r in rows],
        "lawyers": [people.get((hexid(r[1]), "defence_lawyer"), []) for r in rows],
    }


def hearings(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """Hearings in the next 30 days and overdue ones (first 50 of each, with defendants and
    lawyers), and the court and lawyer filters."""
    principal(conn, username)
    courts = run(conn, "SELECT id, name FROM court ORDER BY name")
    lawyers = run(
        conn,
        f"SELECT a.id, {shown('a', trusted)} FROM actor a WHERE a.id IN"
        " (SELECT actor_id FROM case_party WHERE role = 'defence_lawyer')"
        f" AND {visible('a', trusted)} ORDER BY 2",
    )
    labels(conn, ("hearing_type",))
    start, end = _window()
    vis = visible("c", trusted)
    ahead = _hearing_page(
        conn,
        trusted,
        f"{vis} AND h.scheduled_at >= %s AND h.scheduled_at < %s",
        (stamp(conn, start), stamp(conn, end)),
        "ASC",
    )
    late = _hearing_page(
        conn,
        trusted,
        f"{vis} AND h.scheduled_at < %s AND h.result IS NULL",
        (stamp(conn, start),),
        "DESC",
    )
    return {"courts": len(courts), "lawyers": len(lawyers), "ahead": ahead, "overdue": late}


def import_export(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """What the Import / Export page shows before anything is chosen: the two template files
    offered for download (the export and import forms read nothing)."""
    principal(conn, username)
    files = [ROOT / "data" / n for n in ("import_template.xlsx", "import_template.csv")]
    return {"templates": [len(p.read_bytes()) for p in files if p.exists()]}


def sources(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The source list: newest publication first, 50 a page, with citation counts; the total."""
    principal(conn, username)
    labels(conn, ("reliability",))
    total = run(conn, "SELECT count(*) FROM source")[0][0]
    rows = run(
        conn,
        "SELECT s.id, s.title, s.publisher, s.published_on, s.published_on_precision,"
        " s.reliability, s.url, (SELECT count(*) FROM citation k WHERE k.source_id = s.id),"
        " s.restricted"
        " FROM source s ORDER BY s.published_on DESC NULLS LAST, s.title, s.id LIMIT %s",
        (PAGE,),
    )
    hidden = "A restricted source"  # what a viewer sees of a restricted source (English)
    return {
        "total": int(total),
        "titles": [hidden if r[8] and not trusted else r[1] for r in rows],
        "citations": [int(r[7]) for r in rows],
    }


def admin(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The Admin page (every tab runs): accounts; confidential people with their case counts
    and restricted cases; the audit log's usernames, total and newest 200 entries; the terms
    of the first vocabulary. A non-admin sees a refusal and nothing else."""
    from tracker.models.enums import VOCABULARIES  # the list the page offers first

    role = principal(conn, username)
    if not role or role[0][0] != "admin":
        return {"accounts": None}
    rows = run(
        conn,
        "SELECT username, display_name, role, active, last_login_at FROM app_user ORDER BY username",
    )
    people = run(
        conn,
        "SELECT a.id, a.name, a.pseudonym, a.confidentiality, a.consent_to_publish,"
        " (SELECT count(DISTINCT p.case_id) FROM case_party p WHERE p.actor_id = a.id)"
        " FROM actor a WHERE a.confidentiality IN ('confidential', 'restricted')"
        " ORDER BY a.confidentiality, a.pseudonym",
    )
    restricted = run(
        conn, "SELECT id, title, case_number FROM court_case WHERE confidentiality = 'restricted'"
    )
    names = run(conn, "SELECT DISTINCT username FROM audit_log ORDER BY username")
    total = run(conn, "SELECT count(*) FROM audit_log")[0][0]
    audit = run(
        conn,
        "SELECT at, username, action, table_name, row_id, changes FROM audit_log"
        " ORDER BY at DESC LIMIT 200",
    )
    labels(conn, VOCABULARIES[:1])
    terms = run(
        conn,
        "SELECT * FROM vocabulary_term WHERE vocabulary = %s ORDER BY sort_order, code",
        (VOCABULARIES[0],),
    )
    return {
        "accounts": [r[0] for r in rows],
        "people": [[r[1], int(r[5])] for r in people],
        "restricted": len(restricted),
        "audit": [len(names), int(total), len(audit)],
        "terms": len(terms),
    }


Baseline = Callable[..., dict[str, Any]]


def registry() -> dict[str, Baseline]:
    """page path -> baseline (every page has one)."""
    from . import baselines_analysis as ba

    return {
        "app.py": dashboard,
        "pages/1_Cases.py": cases,
        "pages/2_Defenders.py": defenders,
        "pages/3_Network.py": ba.network,
        "pages/4_Indicators.py": ba.indicators,
        "pages/5_Hearings.py": hearings,
        "pages/6_Import_Export.py": import_export,
        "pages/7_Actors.py": actors,
        "pages/8_Sources.py": sources,
        "pages/9_Admin.py": admin,
        "pages/10_Reports.py": ba.reports,
    }
