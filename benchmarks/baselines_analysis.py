"""Raw baselines of the analysis pages: Network, Indicators and Reports, on their default view.

Hand-written SQL (sqlite3 or psycopg) plus networkx and plain Python, computing what each page
shows on first load:

- Network: the filter options; the complainant -> defender graph (only the rows it needs);
  its Louvain communities (same seed); the drawing (300 nodes, those of the heaviest edges
  first, the 1,500 heaviest edges among them, a spring layout); the reach, repeat-targeting and per-year tables; PageRank.
- Indicators: the filter options; the twelve indicators overall and per complainant (the
  default breakdown); the prosecution spans. (The records behind a number are read only
  when asked for, so the first load lists none.)
- Reports: the filter options (as the public sees them) and the default chart, new charges
  per year and charge type (six most frequent types, the rest summed), with its CSV.

Each returns a summary that :mod:`benchmarks.checks` compares with the tracker's figures.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import networkx as nx

from .baselines import (
    Connection,
    as_date,
    hexid,
    is_sqlite,
    principal,
    run,
    shown,
    stamp,
    visible,
)

SEED = 42
MASS = 5
TOP = 25
DRAW_NODES, DRAW_EDGES = 300, 1500
# Which outcomes end a charge, and how (INDICATORS.md; tracker.analysis.outcomes).
UNFOUNDED = {
    "archived",
    "dismissed",
    "indictment_null",
    "acquitted",
    "withdrawn",
    "time_barred",
    "conviction_overturned",
}
CONVICTION = {
    "convicted",
    "convicted_prison",
    "convicted_suspended",
    "convicted_fine",
    "convicted_disqualification",
    "plea",
}
NOT_FINAL = {"acquittal_overturned", "unknown"}
RANK = {"day": 0, "time": 0, "month": 1, "year": 2}


def filter_options(conn: Connection, trusted: bool) -> dict[str, Any]:
    """The sidebar filters of Network, Indicators and Reports: regions, contexts, years, codes."""
    vis = visible("c", trusted)
    regions = run(
        conn, f"SELECT DISTINCT region FROM court_case c WHERE {vis} AND region IS NOT NULL"
    )
    contexts = run(
        conn, f"SELECT DISTINCT context FROM court_case c WHERE {vis} AND context IS NOT NULL"
    )
    first, last = run(conn, f"SELECT min(opened_on), max(opened_on) FROM court_case c WHERE {vis}")[
        0
    ]
    terms = run(
        conn,
        "SELECT vocabulary, code, label_en FROM vocabulary_term WHERE vocabulary IN"
        " ('charge_type', 'complainant_category') AND active = %s ORDER BY vocabulary, sort_order",
        (True,),
    )
    return {
        "regions": sorted(r[0] for r in regions),
        "contexts": sorted(r[0] for r in contexts),
        "years": [as_date(first).year, as_date(last).year] if first and last else [],  # type: ignore[union-attr]
        "codes": len(terms),
    }


CHARGES = """
SELECT g.id, g.case_id, g.defendant_id, {columns}
FROM charge g {joins} ORDER BY g.id"""
ALL_COLUMNS = """g.charge_type, g.filed_on, g.filed_on_precision, g.outcome, g.outcome_on,
    g.outcome_on_precision, g.sentence_requested_months, g.sentence_imposed_months"""
GRAPH_COLUMNS = "NULL, g.filed_on, g.filed_on_precision"
CHARGE_JOINS = """JOIN court_case c ON c.id = g.case_id JOIN actor d ON d.id = g.defendant_id
WHERE {vc} AND {vd}"""
LINKS = """
SELECT k.charge_id, k.actor_id FROM charge_complainant k {joins} ORDER BY k.id"""
LINK_JOINS = """JOIN charge g ON g.id = k.charge_id
JOIN court_case c ON c.id = g.case_id JOIN actor d ON d.id = g.defendant_id
JOIN actor a ON a.id = k.actor_id WHERE {vc} AND {vd} AND {va}"""
ACTORS = """
SELECT a.id, {name}, a.is_defender, a.complainant_category FROM actor a WHERE {va} AND (
  a.id IN (SELECT p.actor_id FROM case_party p JOIN court_case c ON c.id = p.case_id WHERE {vc})
  OR a.id IN (SELECT k.actor_id FROM charge_complainant k JOIN charge g ON g.id = k.charge_id
              JOIN court_case c ON c.id = g.case_id JOIN actor d ON d.id = g.defendant_id
              WHERE {vc} AND {vd}))"""
# Whoever may see everything needs no join to filter (foreign keys hold the rest).
ACTORS_TRUSTED = """
SELECT a.id, a.name, a.is_defender, a.complainant_category FROM actor a
WHERE a.id IN (SELECT actor_id FROM case_party) OR a.id IN (SELECT actor_id FROM charge_complainant)"""


def _hex(conn: Connection) -> Any:
    """id -> 32 hex digits: SQLite stores them so already; psycopg gives uuid.UUID."""
    return (lambda v: v) if is_sqlite(conn) else hexid


def _charges(conn: Connection, trusted: bool, graph: bool = False) -> list[tuple[Any, ...]]:
    """Charges of visible cases and defendants, ids as hex and dates as dates (for the graph
    alone: id, case, defendant, -, filed on and its precision)."""
    joins = "" if trusted else CHARGE_JOINS.format(vc=visible("c", False), vd=visible("d", False))
    sql = CHARGES.format(columns=GRAPH_COLUMNS if graph else ALL_COLUMNS, joins=joins)
    h = _hex(conn)
    if graph:
        return [(h(i), h(c), h(d), t, as_date(f), fp) for i, c, d, t, f, fp in run(conn, sql)]
    return [
        (h(i), h(c), h(d), t, as_date(f), fp, o, as_date(od), op, rq, im)
        for i, c, d, t, f, fp, o, od, op, rq, im in run(conn, sql)
    ]


def _links(conn: Connection, trusted: bool) -> list[tuple[str, str]]:
    joins = (
        ""
        if trusted
        else LINK_JOINS.format(
            vc=visible("c", False), vd=visible("d", False), va=visible("a", False)
        )
    )
    h = _hex(conn)
    return [(h(g), h(a)) for g, a in run(conn, LINKS.format(joins=joins))]


def _actors(conn: Connection, trusted: bool) -> dict[str, tuple[str, bool, Any]]:
    sql = (
        ACTORS_TRUSTED
        if trusted
        else ACTORS.format(
            name=shown("a", False),
            va=visible("a", False),
            vc=visible("c", False),
            vd=visible("d", False),
        )
    )
    h = _hex(conn)
    return {h(i): (name, bool(d), cat) for i, name, d, cat in run(conn, sql)}


def _graph(
    charges: list[tuple[Any, ...]],
    links: list[tuple[str, str]],
    actors: dict[str, tuple[str, bool, Any]],
) -> nx.DiGraph:
    """complainant -> defendant, one edge per pair, weight = distinct cases (built like the
    page's, in the same node order, so Louvain with the same seed gives the same communities)."""
    filers: dict[str, list[str]] = defaultdict(list)
    for charge, actor in links:
        filers[charge].append(actor)
    pairs: dict[tuple[str, str], tuple[set[str], list[str]]] = {}
    for charge in charges:
        for k in filers.get(charge[0], ()):
            entry = pairs.setdefault((k, charge[2]), (set(), []))
            entry[0].add(charge[1])
            entry[1].append(charge[0])
    g = nx.DiGraph()
    for (u, v), (cases, ids) in pairs.items():
        for node in (u, v):
            if node not in g:
                g.add_node(node, label=actors[node][0] if node in actors else node)
        g.add_edge(u, v, weight=len(cases), charges=len(ids), cases=cases)
    return g


def _ranked(g: nx.Graph) -> list[str]:
    return sorted(g, key=lambda n: (-g.degree(n), g.nodes[n]["label"], n))


def network(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The Network page's default view (see the module docstring)."""
    principal(conn, username)
    options = filter_options(conn, trusted)
    charges, links = _charges(conn, trusted, graph=True), _links(conn, trusted)
    actors = _actors(conn, trusted)
    g = _graph(charges, links, actors)
    found = nx.community.louvain_communities(g, weight="weight", seed=SEED) if len(g) else []
    label = lambda n: g.nodes[n]["label"]  # noqa: E731
    sizes = sorted(
        (sorted(c, key=lambda n: (label(n), n)) for c in found),
        key=lambda m: (-len(m), label(m[0]), m[0]),
    )
    # The drawing: the nodes of the heaviest edges first (ties: the more connected pair, then
    # labels), then the most connected; the heaviest edges among them; a spring layout.
    chosen: dict[str, None] = dict.fromkeys(g) if len(g) <= DRAW_NODES else {}
    if not chosen:
        degree = dict(g.degree())
        pairs = sorted(
            g.edges(data="weight"),
            key=lambda e: (-e[2], -degree[e[0]] - degree[e[1]], label(e[0]), label(e[1]), e[0],
                           e[1]),
        )  # fmt: skip
        for u, v, _ in pairs:
            if len(chosen) >= DRAW_NODES:
                break
            new = [n for n in (u, v) if n not in chosen]
            if len(chosen) + len(new) <= DRAW_NODES:
                chosen.update(dict.fromkeys(new))
        for n in _ranked(g):
            if len(chosen) >= DRAW_NODES:
                break
            chosen.setdefault(n, None)
    h = g.subgraph(chosen).copy()
    if h.number_of_edges() > DRAW_EDGES:
        kept = sorted(h.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))[:DRAW_EDGES]
        keep = {(u, v) for u, v, _ in kept}
        h.remove_edges_from([e for e in list(h.edges) if e not in keep])
    if len(h):
        nx.spring_layout(
            nx.Graph(h), seed=SEED, iterations=50 if len(h) <= 150 else 30, weight=None
        )
    # Reach and repeated targeting, from the pairs.
    reach = []
    for node in g:
        if g.out_degree(node):
            cases = set().union(*(a["cases"] for _, _, a in g.out_edges(node, data=True)))
            charges_n = sum(a["charges"] for _, _, a in g.out_edges(node, data=True))
            reach.append((label(node), g.out_degree(node), len(cases), charges_n, node))
    reach.sort(key=lambda r: (-r[1], -r[2], -r[3], r[0], r[4]))
    repeat = sorted(
        (
            (label(u), label(v), a["weight"], a["charges"])
            for u, v, a in g.edges(data=True)
            if a["weight"] >= 2
        ),
        key=lambda r: (-r[2], -r[3], r[0], r[1]),
    )
    # Per year of filing: complainants, defenders, pairs, charges.
    filers: dict[str, list[str]] = defaultdict(list)
    for charge, actor in links:
        filers[charge].append(actor)
    years: dict[int, tuple[set[str], set[str], set[tuple[str, str]], list[int]]] = {}
    for c in charges:
        if c[4] is not None and c[5] != "unknown":
            slot = years.setdefault(c[4].year, (set(), set(), set(), [0]))
            for k in filers.get(c[0], ()):
                slot[0].add(k)
                slot[1].add(c[2])
                slot[2].add((k, c[2]))
                slot[3][0] += 1
    scores = nx.pagerank(g, weight="weight") if len(g) else {}
    central = sorted(g, key=lambda n: (-round(scores[n], 6), -g.degree(n), label(n), n))[:TOP]
    return {
        "regions": len(options["regions"]),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "drawn": [h.number_of_nodes(), h.number_of_edges()],
        "communities": [len(m) for m in sizes[:TOP]],
        "reach": [list(r[:4]) for r in reach[:TOP]],
        "repeat": [list(r) for r in repeat],
        "slices": [[y, len(s[0]), len(s[1]), len(s[2]), s[3][0]] for y, s in sorted(years.items())],
        "pagerank": [label(n) for n in central],
    }


def _outcome_class(code: str | None, parents: dict[str, str | None]) -> str:
    seen: set[str] = set()
    while code is not None and code not in seen:
        if code in UNFOUNDED:
            return "unfounded"
        if code in CONVICTION:
            return "conviction"
        if code in NOT_FINAL:
            return "pending"
        seen.add(code)
        code = parents.get(code)
    return "pending"


def _mean(values: list[int]) -> float | None:
    return statistics.fmean(values) if values else None


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


class _Rows:
    """Every row the Indicators page's figures rest on, read with raw SQL."""

    def __init__(self, conn: Connection, trusted: bool, today: date) -> None:
        vc, vd = visible("c", trusted), visible("d", trusted)
        self.today = today
        self.cases = {
            hexid(i): t for i, t in run(conn, f"SELECT id, title FROM court_case c WHERE {vc}")
        }
        self.charges = _charges(conn, trusted)
        self.links = _links(conn, trusted)
        self.actors = _actors(conn, trusted)
        self.defendants: dict[str, set[str]] = defaultdict(set)
        for case, actor in run(
            conn,
            "SELECT p.case_id, p.actor_id FROM case_party p JOIN court_case c ON c.id = p.case_id"
            f" JOIN actor d ON d.id = p.actor_id WHERE p.role = 'defendant' AND {vc} AND {vd}",
        ):
            self.defendants[hexid(case)].add(hexid(actor))
        self.measures = [
            (hexid(i), hexid(c), hexid(d), kind, annulled)
            for i, c, d, kind, annulled in run(
                conn,
                "SELECT m.id, m.case_id, m.defendant_id, m.kind, m.annulled_on FROM measure m"
                " JOIN court_case c ON c.id = m.case_id JOIN actor d ON d.id = m.defendant_id"
                f" WHERE {vc} AND {vd} ORDER BY m.id",
            )
        ]
        tomorrow = datetime.combine(today, datetime.min.time()) + timedelta(days=1)
        self.hearings = [
            (hexid(i), hexid(c), bool(due), bool(postponed))
            for i, c, due, postponed in run(
                conn,
                "SELECT h.id, h.case_id, CASE WHEN h.scheduled_at < %s THEN 1 ELSE 0 END,"
                " CASE WHEN h.result = 'postponed' THEN 1 ELSE 0 END FROM hearing h"
                f" JOIN court_case c ON c.id = h.case_id WHERE {vc} ORDER BY h.id",
                (stamp(conn, tomorrow),),
            )
        ]
        self.events: dict[str, set[str]] = defaultdict(set)
        for case, event in run(
            conn,
            "SELECT DISTINCT e.case_id, e.event FROM stage_change e JOIN court_case c"
            f" ON c.id = e.case_id WHERE {vc} AND e.event IN ('transferred', 'reopened')",
        ):
            self.events[hexid(case)].add(event)
        parents = dict(
            run(conn, "SELECT code, parent_code FROM vocabulary_term WHERE vocabulary = 'outcome'")
        )
        self.labels = {
            (v, code): text
            for v, code, text in run(
                conn,
                "SELECT vocabulary, code, label_en FROM vocabulary_term"
                " WHERE vocabulary IN ('charge_type', 'outcome')",
            )
        }
        self.cls = {c[0]: _outcome_class(c[6], parents) for c in self.charges}
        # Sentence requests with a prison term, per case: (request, defendant or None, charge
        # types or () for the whole indictment, months counted: the upper figure).
        self.requests: dict[str, list[tuple[str, str | None, tuple[str, ...], int]]] = (
            defaultdict(list)
        )
        for i, c, d, types, low, high in run(
            conn,
            "SELECT id, case_id, defendant_id, charge_types, prison_months_min,"
            " prison_months_max FROM sentence_request"
            " WHERE prison_months_min IS NOT NULL OR prison_months_max IS NOT NULL ORDER BY id",
        ):
            listed = json.loads(types) if isinstance(types, str) else (types or [])
            self.requests[hexid(c)].append(
                (hexid(i), hexid(d) if d else None, tuple(listed),
                 int(high if high is not None else low))
            )  # fmt: skip
        self.filers: dict[str, list[str]] = defaultdict(list)
        for charge, actor in self.links:
            self.filers[charge].append(actor)
        self.by_case: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.case_filers: dict[str, set[str]] = defaultdict(set)
        for c in self.charges:
            self.by_case[c[1]].append(c)
            self.defendants[c[1]].add(c[2])
            self.case_filers[c[1]].update(self.filers.get(c[0], ()))

    def spans(self, charges: list[tuple[Any, ...]]) -> dict[str, tuple[int | None, str, bool]]:
        """defender -> (days under prosecution or None, precision, pending)."""
        own: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        for c in charges:
            own[c[2]].append(c)
        out = {}
        for defender, mine in own.items():
            filed = [(c[4], c[5]) for c in mine if c[4] is not None and c[5] != "unknown"]
            pending = any(self.cls[c[0]] == "pending" for c in mine)
            start = min(filed, default=None)
            end = None
            if pending:
                end = (self.today, "day")
            else:
                known = [(c[7], c[8]) for c in mine if c[7] is not None and c[8] != "unknown"]
                end = max(known) if known and len(known) == len(mine) else None
            days = (end[0] - start[0]).days if start and end else None
            precision = (
                max((start[1], end[1]), key=lambda p: RANK.get(p, 0))
                if start and end
                else "unknown"
            )
            out[defender] = (days, precision, pending)
        return out

    def figures(self, units: dict[str, list[Any]], scope: str | None) -> list[tuple[Any, ...]]:
        """(indicator, value, numerator, denominator) of the twelve indicators on ``units``."""
        charges, cases = units["charge"], units["case"]
        brought = [c for c in charges if (self.filers.get(c[0]) if scope is None else True)]
        who = (lambda c: (scope,)) if scope is not None else (lambda c: self.filers[c[0]])
        pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c in brought:
            for k in who(c):
                pairs[k, c[2]].add(c[1])
        repeated = sum(1 for v in pairs.values() if len(v) >= 2)
        mass = sum(1 for case in cases if len(self.defendants.get(case, ())) >= MASS)
        types: dict[tuple[str, str], set[str]] = defaultdict(set)
        for c in charges:
            types[c[2], c[1]].add(c[3])
        counts = [len(v) for v in types.values()]
        spans = self.spans(charges)
        days = [s[0] for s in spans.values() if s[0] is not None]
        final = [c for c in charges if self.cls[c[0]] != "pending"]
        unfounded = sum(1 for c in final if self.cls[c[0]] == "unfounded")
        detentions = [m for m in units["measure"] if m[3] == "pretrial_detention"]
        annulled = 0
        for m in detentions:
            mine = {self.cls[c[0]] for c in self.by_case.get(m[1], ()) if c[2] == m[2]}
            annulled += m[4] is not None or mine == {"unfounded"}
        due = [h for h in units["hearing"] if h[2]]
        postponed = sum(1 for h in due if h[3])
        moved = sum(1 for case in cases if "transferred" in self.events.get(case, ()))
        reopened = sum(
            1
            for case in cases
            if "reopened" in self.events.get(case, ())
            or any(c[6] == "acquittal_overturned" for c in self.by_case.get(case, ()))
        )
        # Each covering request once (its upper figure); a charge's own figure only when no
        # request covers it; "out of": the charges with a request or a figure of their own.
        counted: dict[str, int] = {}
        asked: list[int] = []
        with_request = 0
        for c in charges:
            cover = [
                (rid, months)
                for rid, who, types, months in self.requests.get(c[1], ())
                if (who is None or who == c[2]) and (not types or c[3] in types)
            ]
            counted.update(cover)
            if cover or c[9] is not None:
                with_request += 1
            if not cover and c[9] is not None:
                asked.append(c[9])
        asked += counted.values()
        imposed = [c[10] for c in charges if c[10] is not None]
        return [
            ("complainant_reach", len({c[2] for c in brought}), None, None),
            ("repeat_targeting", repeated, repeated, len(pairs)),
            ("mass_prosecution", mass, mass, len(cases)),
            (
                "charge_stacking",
                round(statistics.fmean(counts), 2) if counts else None,
                sum(1 for n in counts if n >= 2),
                len(counts),
            ),
            (
                "time_under_prosecution",
                float(statistics.median(days)) if days else None,
                len(days),
                len(spans),
            ),
            ("unfounded_rate", _share(unfounded, len(final)), unfounded, len(final)),
            (
                "conviction_rate",
                _share(len(final) - unfounded, len(final)),
                len(final) - unfounded,
                len(final),
            ),
            ("detention_annulled", annulled, annulled, len(detentions)),
            ("postponement_rate", _share(postponed, len(due)), postponed, len(due)),
            ("venue_transfer", moved, moved, len(cases)),
            ("reopened", reopened, reopened, len(cases)),
            (
                "sentence_asked_vs_imposed",
                round(statistics.fmean(asked) / 12, 2) if asked else None,
                len(imposed),
                with_request,
            ),
        ]


def indicator_figures(rows: _Rows) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every indicator overall, and per complainant: (code, group, value, num, den) each."""
    units = {
        "charge": rows.charges,
        "case": sorted(rows.cases),
        "hearing": rows.hearings,
        "measure": rows.measures,
    }
    overall = [(code, "", *rest) for code, *rest in rows.figures(units, None)]
    groups: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for c in rows.charges:
        for k in rows.filers.get(c[0], ()):
            groups[k]["charge"].append(c)
    for case in units["case"]:
        for k in rows.case_filers.get(case, ()):
            groups[k]["case"].append(case)
    for unit in units["hearing"]:
        for k in rows.case_filers.get(unit[1], ()):
            groups[k]["hearing"].append(unit)
    # Per complainant, a detention counts only for the defendants that complainant charged in
    # that case (INDICATORS.md, 2026-12-03).
    charged_by: dict[tuple[Any, Any], set[str]] = defaultdict(set)
    for c in rows.charges:
        charged_by[c[1], c[2]].update(rows.filers.get(c[0], ()))
    for unit in units["measure"]:
        for k in charged_by.get((unit[1], unit[2]), ()):
            groups[k]["measure"].append(unit)
    label = lambda k: rows.actors[k][0] if k in rows.actors else k  # noqa: E731
    order = sorted(groups, key=lambda k: (label(k).casefold(), k))
    per: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for k in order:
        group = groups[k]
        mine = {u: group.get(u, []) for u in ("charge", "case", "hearing", "measure")}
        for code, *rest in rows.figures(mine, k):
            per[code].append((code, k, *rest))
    # Figures come in the order of the indicators, then of the groups' labels. A group that
    # has no unit of an indicator's kind gives no figure for it.
    unit_of = {
        "mass_prosecution": "case",
        "venue_transfer": "case",
        "reopened": "case",
        "detention_annulled": "measure",
        "postponement_rate": "hearing",
    }
    grouped = [
        f
        for code, _, *_ in overall
        for f in per[code]
        if groups[f[1]].get(unit_of.get(code, "charge"))
    ]
    return overall, grouped


def indicators(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The Indicators page's default view (see the module docstring)."""
    principal(conn, username)
    filter_options(conn, trusted)
    rows = _Rows(conn, trusted, date.today())
    overall, grouped = indicator_figures(rows)
    name = lambda a: rows.actors[a][0] if a in rows.actors else a  # noqa: E731
    spans = rows.spans(rows.charges)
    ordered = sorted(
        spans.items(), key=lambda kv: (kv[1][0] is None, -(kv[1][0] or 0), name(kv[0]), kv[0])
    )
    return {
        "overall": [list(f) for f in overall],
        "by_complainant": [list(f) for f in grouped],
        "spans": [[name(d), s[0], s[2]] for d, s in ordered],
    }


def reports(conn: Connection, trusted: bool, username: str = "") -> dict[str, Any]:
    """The Reports page's default chart, as the public sees it: charges per year and type."""
    principal(conn, username)
    filter_options(conn, False)
    year = "substr(g.filed_on, 1, 4)" if is_sqlite(conn) else "to_char(g.filed_on, 'YYYY')"
    counts = run(
        conn,
        f"SELECT CASE WHEN g.filed_on IS NOT NULL AND g.filed_on_precision IN ('day', 'month',"
        f" 'year') THEN {year} END, g.charge_type, count(*) FROM charge g"
        " JOIN court_case c ON c.id = g.case_id JOIN actor d ON d.id = g.defendant_id"
        f" WHERE {visible('c', False)} AND {visible('d', False)} GROUP BY 1, 2",
    )
    names = dict(
        run(conn, "SELECT code, label_en FROM vocabulary_term WHERE vocabulary = 'charge_type'")
    )
    totals: Counter[str] = Counter()
    for y, code, n in counts:
        if y is not None:
            totals[code] += n
    ranked = sorted(totals, key=lambda code: (-totals[code], names.get(code, code)))
    kept = set(ranked[:6])
    order = {code: i for i, code in enumerate([*ranked[:6], "_other"])}
    table: Counter[tuple[str, str]] = Counter()
    for y, code, n in counts:
        if y is not None:
            table[str(y), code if code in kept else "_other"] += n
    rows = sorted(table.items(), key=lambda kv: (kv[0][0], order[kv[0][1]]))
    csv = "\n".join(f"{y},{code},{names.get(code, code)},{n}" for (y, code), n in rows)
    return {
        "rows": [[y, code if code != "_other" else "", n] for (y, code), n in rows],
        "undated": sum(n for y, _, n in counts if y is None),
        "csv_bytes": len(csv) > 0,
    }
