"""Check that each raw baseline computes what its page shows: the tracker's own read functions
(those the page calls, with the page's default widget state) give the same summary.

``python -m benchmarks.checks URL`` checks every page as an editor and as a viewer; the
benchmark runs the same check before timing (``--no-check`` skips it) and
``tests/benchmarks/test_baselines.py`` runs it on a small demo database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from . import baselines
from .baselines import PEOPLE_VOCABS

Expected = Callable[[Engine, bool], dict[str, Any]]


def _dashboard(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import casework, dashboard

    with Session(engine) as s:
        f = dashboard.key_figures(s, today=date.today())
        hearings, _ = dashboard.upcoming_hearings(
            s, today=date.today(), lang="en", show_restricted=trusted
        )
        rows, _ = casework.case_list(
            s, casework.CaseFilters(), show_restricted=trusted, sort="documented", page_size=25
        )
        changes = dashboard.recent_changes(s)
    return {
        "figures": [
            f["open_cases"],
            f["defenders_prosecuted"],
            f["hearings_ahead"],
            f["hearings_overdue"],
        ],
        "hearings": len(hearings),
        "case_titles": [r["title"] for r in rows],
        "changes": len(changes),
    }


def _cases(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import casework

    with Session(engine) as s:
        rows, total = casework.case_list(s, casework.CaseFilters(), show_restricted=trusted)
        regions = casework.regions(s)
    return {
        "total": total,
        "titles": [r["title"] for r in rows],
        "defendants": [r["defendants"] for r in rows],
        "charges": [r["charges"] for r in rows],
        "regions": regions,
    }


def _people(engine: Engine, trusted: bool, defenders: bool) -> dict[str, Any]:
    from tracker import people

    with Session(engine) as s:
        people.labels_of(s, PEOPLE_VOCABS, "en")
        out: dict[str, Any] = {"regions": people.regions(s, defenders_only=defenders)}
        if defenders:
            out["organizations"] = len(people.organizations(s, show_confidential=trusted))
        rows, total = people.people_list(
            s, people.PeopleFilters(defenders_only=defenders), show_confidential=trusted
        )
    keys = ("defendant", "open", "pending", "orgs") if defenders else ("cases", "brought")
    out |= {
        "total": total,
        "names": [r["name"] for r in rows],
        "figures": [[r[k] for k in keys] for r in rows],
    }
    return out


def _hearings(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import calendar, casework

    today = date.today()
    with Session(engine) as s:
        courts = casework.courts(s)
        lawyers = calendar.lawyers(s, show_confidential=trusted)
        ahead, total = calendar.hearings_ahead(s, today=today, days=30, show_confidential=trusted)
        late, late_total = calendar.overdue(s, today=today, show_confidential=trusted)

    def page(rows: list[dict[str, Any]], n: int) -> dict[str, Any]:
        return {
            "total": n,
            "titles": [r["case"]["title"] for r in rows],
            "defendants": [r["defendants"] for r in rows],
            "lawyers": [r["lawyers"] for r in rows],
        }

    return {
        "courts": len(courts),
        "lawyers": len(lawyers),
        "ahead": page(ahead, total),
        "overdue": page(late, late_total),
    }


def _import_export(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import config

    files = [config.ROOT / "data" / n for n in ("import_template.xlsx", "import_template.csv")]
    return {"templates": [len(p.read_bytes()) for p in files if p.exists()]}


def _sources(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import sourcing

    with Session(engine) as s:
        rows, total = sourcing.source_list(s, show_confidential=trusted)
    return {
        "total": total,
        "titles": [r["title"] for r in rows],
        "citations": [r["citations"] for r in rows],
    }


def _admin(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import admin
    from tracker.models.enums import VOCABULARIES
    from tracker.permissions import Principal

    if not trusted:
        return {"accounts": None}
    boss = Principal("bench_admin", "admin")
    with Session(engine) as s:
        people = admin.confidential_people(s, boss)
        rows, total = admin.audit_entries(s, admin.AuditFilters(), limit=200)
        return {
            "accounts": [u["username"] for u in admin.accounts(s)],
            "people": [[p["name"], p["cases"]] for p in people],
            "restricted": len(admin.restricted_cases(s, boss)),
            "audit": [len(admin.audit_usernames(s)), total, len(rows)],
            "terms": len(admin.vocabulary_terms(s, VOCABULARIES[0])),
        }


def _network(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import graphs
    from tracker.graphs import draw
    from tracker.network_data import filter_options, load

    options = filter_options(engine, show_confidential=trusted)
    data = load(engine, show_confidential=trusted)
    g = graphs.complainant_defender(data)
    shown, _ = draw.reduce_for_drawing(g)
    return {
        "regions": len(options["regions"]),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "drawn": [shown.number_of_nodes(), shown.number_of_edges()],
        "communities": [c["size"] for c in graphs.communities(g)[:25]],
        "reach": [
            [r["label"], r["defenders"], r["cases"], r["charges"]] for r in graphs.reach(g)[:25]
        ],
        "repeat": [
            [p["complainant"], p["defender"], p["cases"], p["charges"]]
            for p in graphs.repeat_targeting(g)
        ],
        "slices": [
            [s["start"], s["complainants"], s["defenders"], s["edges"], s["charges"]]
            for s in graphs.time_slices(data)
        ],
        "pagerank": [r["label"] for r in graphs.centrality(g)[:25]],
    }


def _indicators(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker.analysis import Aggregates

    agg = Aggregates(engine, show_confidential=trusted, today=date.today())
    agg.prepare(("overall", "complainant"))
    overall = agg.figures_page("overall", "en")[0]
    grouped = agg.figures_page("complainant", "en")[0]

    def row(f: Any) -> list[Any]:
        return [f.indicator, f.group, f.value, f.numerator, f.denominator]

    return {
        "overall": [row(f) for f in overall],
        "by_complainant": [row(f) for f in grouped],
        "spans": [[s["label"], s["days"], s["pending"]] for s in agg.prosecution_spans()],
    }


def _reports(engine: Engine, trusted: bool) -> dict[str, Any]:
    from tracker import charts

    source = charts.read(engine)
    chart = charts.build(charts.CHARTS[0], source, "en")
    return {
        "rows": [[r[0], "" if r[1] == "_other" else r[1], r[3]] for r in chart.table.rows],
        "undated": dict(chart.table.notes)["undated"],
        "csv_bytes": len(chart.csv("en")) > 0,
    }


EXPECTED: dict[str, Expected] = {
    "app.py": _dashboard,
    "pages/1_Cases.py": _cases,
    "pages/2_Defenders.py": lambda e, t: _people(e, t, True),
    "pages/3_Network.py": _network,
    "pages/4_Indicators.py": _indicators,
    "pages/5_Hearings.py": _hearings,
    "pages/6_Import_Export.py": _import_export,
    "pages/7_Actors.py": lambda e, t: _people(e, t, False),
    "pages/8_Sources.py": _sources,
    "pages/9_Admin.py": _admin,
    "pages/10_Reports.py": _reports,
}


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    """Where two summaries differ (numbers compared to 1e-9), at most a few lines."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += _differences(a.get(key), b.get(key), f"{where}.{key}")
        return out
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}"]
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out += _differences(x, y, f"{where}[{i}]")
            if len(out) > 5:
                break
        return out
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return [] if abs(a - b) <= 1e-9 else [f"{where}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


def check_page(engine: Engine, conn: Any, path: str, trusted: bool, username: str) -> list[str]:
    """Differences between the baseline of ``path`` and the tracker's figures (empty: same)."""
    ours = baselines.registry()[path](conn, trusted, username)
    theirs = EXPECTED[path](engine, trusted)
    return _differences(ours, theirs)


def check_all(url: str, conn: Any) -> dict[str, dict[str, list[str]]]:
    """page -> role -> differences, for every page, as an editor and as a viewer."""
    from tracker import db

    engine = db.make_engine(url)
    out: dict[str, dict[str, list[str]]] = {}
    for path in EXPECTED:
        out[path] = {}
        for role, trusted in (("editor", True), ("viewer", False)):
            who = "admin" if path.endswith("Admin.py") and role == "editor" else role
            try:
                out[path][role] = check_page(engine, conn, path, trusted, f"bench_{who}")
            except Exception as exc:  # noqa: BLE001  # reported, not fatal
                out[path][role] = [f"error: {type(exc).__name__}: {exc}"[:300]]
    engine.dispose()
    return out


def main(argv: list[str] | None = None) -> int:
    """Check every baseline on the database at the URL given; exit 1 on any difference."""
    from .run import raw_connection

    url = (argv or sys.argv[1:])[0]
    conn = raw_connection(url)
    found = check_all(url, conn)
    bad = 0
    for path, roles in found.items():
        for role, diffs in roles.items():
            print(f"{path:<28}{role:<8}{'ok' if not diffs else 'DIFFERS: ' + '; '.join(diffs)}")
            bad += bool(diffs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
