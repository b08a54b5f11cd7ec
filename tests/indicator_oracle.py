"""An independent oracle of the indicators: hand-written SQL over the raw tables.

Written from the definitions of INDICATORS.md, not from tracker.analysis: plain SQL text sent
through the driver, one aggregate statement per indicator and grouping (overall, per
complainant), and only the last arithmetic (median, rounding) in Python on one row per group
or defender. Used by tests/test_indicators_oracle.py (the tracker's figures must equal it on
demo S, on SQLite and PostgreSQL) and by benchmarks/bench_indicators.py (the raw baseline the
tracker's time is compared with).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy.engine import Connection

UNFOUNDED = ("archived", "dismissed", "indictment_null", "acquitted", "withdrawn",
             "time_barred", "conviction_overturned")  # fmt: skip
CONVICTION = ("convicted", "convicted_prison", "convicted_suspended", "convicted_fine",
              "convicted_disqualification", "plea")  # fmt: skip
RANK = {"day": 0, "time": 0, "month": 1, "year": 2}


def _in(codes: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{c}'" for c in codes) + ")"


def _ctes(trusted: bool, pg: bool = False) -> str:
    """WITH clause: kept charges (kc, with cls), kept links (kl: complainant, charge), kept
    cases (kk), defendants per case (dc), complainant per case (ck), and the sentence
    requests with a prison term covering each kept charge (rq: request, charge, months)."""
    # A request's charge types are a JSON list; empty covers the whole indictment.
    elements = "json_array_elements_text(r.charge_types)" if pg else (
        "value FROM json_each(r.charge_types)")  # fmt: skip
    hidden_case = "" if trusted else "AND k.confidentiality <> 'restricted'"
    hidden_def = "" if trusted else "AND d.confidentiality <> 'restricted'"
    hidden_a = "" if trusted else "AND a.confidentiality <> 'restricted'"
    return f"""WITH kk AS (
  SELECT k.id FROM court_case k WHERE 1 = 1 {hidden_case}
), kc AS (
  SELECT c.id, c.case_id, c.defendant_id, c.charge_type, c.filed_on, c.filed_on_precision,
         c.outcome, c.outcome_on, c.outcome_on_precision,
         c.sentence_requested_months AS asked, c.sentence_imposed_months AS imposed,
         CASE WHEN c.outcome IN {_in(UNFOUNDED)} THEN 'u'
              WHEN c.outcome IN {_in(CONVICTION)} THEN 'c' ELSE 'p' END AS cls
  FROM charge c JOIN court_case k ON k.id = c.case_id JOIN actor d ON d.id = c.defendant_id
  WHERE 1 = 1 {hidden_case} {hidden_def}
), kl AS (
  SELECT l.actor_id AS who, kc.* FROM charge_complainant l JOIN kc ON kc.id = l.charge_id
  JOIN actor a ON a.id = l.actor_id WHERE 1 = 1 {hidden_a}
), dc AS (
  SELECT case_id, COUNT(*) AS n FROM (
    SELECT p.case_id, p.actor_id FROM case_party p JOIN kk ON kk.id = p.case_id
    JOIN actor a ON a.id = p.actor_id WHERE p.role = 'defendant' {hidden_a}
    UNION SELECT case_id, defendant_id FROM kc) x GROUP BY case_id
), ck AS (
  SELECT DISTINCT case_id, who FROM kl
), rq AS (
  SELECT r.id AS rid, kc.id AS cid,
         CASE WHEN r.prison_months_max IS NULL THEN r.prison_months_min
              ELSE r.prison_months_max END AS mo
  FROM sentence_request r JOIN kc ON kc.case_id = r.case_id
  WHERE (r.prison_months_max IS NOT NULL OR r.prison_months_min IS NOT NULL)
    AND (r.defendant_id IS NULL OR r.defendant_id = kc.defendant_id)
    AND (json_array_length(r.charge_types) = 0
         OR kc.charge_type IN (SELECT {elements}))
)
"""


def _rows(conn: Connection, sql: str) -> list[Any]:
    return list(conn.exec_driver_sql(sql))


def _key(value: Any) -> str:
    """A group key as the tracker writes ids: 32 hex digits ("" for overall)."""
    if value is None:
        return ""
    return value if isinstance(value, str) else value.hex


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def oracle(conn: Connection, *, trusted: bool, today: date, threshold: int = 5) -> dict:
    """code -> grouping ("overall", "complainant") -> group key -> (value, numerator,
    denominator, details), as tracker.analysis.Figure.as_dict gives them."""
    pg = conn.dialect.name == "postgresql"
    w = _ctes(trusted, pg)
    txt = (lambda c: f"to_char({c}, 'YYYY-MM-DD')") if pg else (lambda c: c)
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(lambda: defaultdict(dict))
    for g in ("overall", "complainant"):
        # per complainant: the complainant's own charges (kl, one row per link); overall:
        # every kept charge (kc), and the complainants of any (kl)
        per = g == "complainant"
        key, by, src = ("who", "who, ", "kl") if per else ("''", "", "kc")
        gb = "GROUP BY who" if per else ""
        _charges(conn, w, g, key, by, src, gb, out)
        _sentences(conn, w, g, key, src, gb, out)
        _spans(conn, w, g, key, by, src, txt, today, out)
        _cases(conn, w, g, threshold, out)
        _proceedings(conn, w, g, trusted, today, out)
    return out


def _charges(conn: Connection, w: str, g: str, key: str, by: str, src: str, gb: str,
             out: dict) -> None:  # fmt: skip
    """Reach, repeat targeting, stacking, outcome rates and sentences."""
    for k, defs, filers, cases, charges in _rows(
        conn,
        w
        + f"""
        SELECT {key}, COUNT(DISTINCT defendant_id), COUNT(DISTINCT who),
               COUNT(DISTINCT case_id), COUNT(DISTINCT id) FROM kl {gb}""",
    ):
        out["complainant_reach"][g][_key(k)] = (
            defs,
            None,
            None,
            {"complainants": filers, "cases": cases, "charges": charges},
        )
    for k, total, hits, defs in _rows(
        conn,
        w
        + f"""
        SELECT k, COUNT(*), SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END),
               COUNT(DISTINCT CASE WHEN n >= 2 THEN defendant_id END)
        FROM (SELECT {key} AS k, defendant_id, COUNT(DISTINCT case_id) AS n
              FROM kl GROUP BY who, defendant_id) x GROUP BY k""",
    ):
        out["repeat_targeting"][g][_key(k)] = (int(hits), int(hits), total, {"defenders": defs})
    for k, n, total, most, stacked in _rows(
        conn,
        w
        + f"""
        SELECT k, COUNT(*), SUM(t), MAX(t), SUM(CASE WHEN t >= 2 THEN 1 ELSE 0 END)
        FROM (SELECT {key} AS k, COUNT(DISTINCT charge_type) AS t FROM {src}
              GROUP BY {by}defendant_id, case_id) x GROUP BY k""",
    ):
        stacked = int(stacked)
        out["charge_stacking"][g][_key(k)] = (
            round(int(total) / n, 2),
            stacked,
            n,
            {"max": most, "stacked": stacked},
        )
    for row in _rows(
        conn,
        w
        + f"""
        SELECT {key}, COUNT(*), SUM(CASE WHEN cls <> 'p' THEN 1 ELSE 0 END),
          SUM(CASE WHEN cls = 'u' THEN 1 ELSE 0 END), SUM(CASE WHEN cls = 'c' THEN 1 ELSE 0 END)
        FROM {src} {gb}""",
    ):
        k, n, final, unf, conv = row
        final, unf, conv = int(final or 0), int(unf or 0), int(conv or 0)
        out["unfounded_rate"][g][_key(k)] = (_share(unf, final), unf, final, {"pending": n - final})
        out["conviction_rate"][g][_key(k)] = (
            _share(conv, final),
            conv,
            final,
            {"pending": n - final},
        )


def _sentences(conn: Connection, w: str, g: str, key: str, src: str, gb: str,
               out: dict) -> None:  # fmt: skip
    """Sentence asked vs imposed: each request with a prison term once per group (at its
    upper figure), a charge's own figure only when no request covers it; a charge is asked
    the highest request covering it, else its own figure."""
    units = {
        _key(k): (n, total)
        for k, n, total in _rows(
            conn,
            w
            + f"""
            SELECT k, COUNT(*), SUM(mo) FROM (
              SELECT DISTINCT {key} AS k, rq.rid AS u, rq.mo AS mo
              FROM {src} JOIN rq ON rq.cid = {src}.id
              UNION ALL
              SELECT {key}, id, asked FROM {src}
              WHERE asked IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rq WHERE rq.cid = {src}.id)
            ) x GROUP BY k""",
        )
    }
    both = "ea IS NOT NULL AND imposed IS NOT NULL"
    for k, na, ni, si, ba, bi in _rows(
        conn,
        w
        + f"""
        SELECT {key}, COUNT(ea), COUNT(imposed), SUM(imposed),
          SUM(CASE WHEN {both} THEN ea END), SUM(CASE WHEN {both} THEN imposed END)
        FROM (SELECT {src}.*, COALESCE((SELECT MAX(mo) FROM rq WHERE rq.cid = {src}.id),
                                       asked) AS ea FROM {src}) x {gb}""",
    ):
        n, total = units.get(_key(k), (0, 0))
        ratio = round(int(bi) / int(ba), 4) if ba else None
        out["sentence_asked_vs_imposed"][g][_key(k)] = (
            _years(total, n), ni, na, {"requests": n, "imposed_years": _years(si, ni),
                                       "imposed_of_requested": ratio})  # fmt: skip


def _years(total: Any, n: int) -> float | None:
    return round(int(total) / n / 12, 2) if n else None


def _proceedings(conn: Connection, w: str, g: str, trusted: bool, today: date,
                 out: dict) -> None:  # fmt: skip
    """Postponement rate (hearings of the group's cases) and detentions later annulled
    (per complainant: only of the defendants that complainant charged in the case)."""
    per = g == "complainant"
    tomorrow = (today + timedelta(days=1)).isoformat()
    join, hk = ("JOIN ck ON ck.case_id = h.case_id", "ck.who") if per else ("", "''")
    for k, n, due, hits in _rows(
        conn,
        w
        + f"""
        SELECT {hk}, COUNT(*), SUM(CASE WHEN h.scheduled_at < '{tomorrow}' THEN 1 ELSE 0 END),
          SUM(CASE WHEN h.scheduled_at < '{tomorrow}' AND h.result = 'postponed' THEN 1
              ELSE 0 END)
        FROM hearing h JOIN kk ON kk.id = h.case_id {join} {"GROUP BY ck.who" if per else ""}""",
    ):
        if n:
            due, hits = int(due), int(hits)
            out["postponement_rate"][g][_key(k)] = (
                _share(hits, due),
                hits,
                due,
                {"ahead": n - due},
            )
    mk, mjoin = ("x.who", "JOIN (SELECT DISTINCT who, case_id, defendant_id FROM kl) x "
                 "ON x.case_id = m.case_id AND x.defendant_id = m.defendant_id") if per else (
                 "''", "")  # fmt: skip
    hidden = "" if trusted else "AND a.confidentiality <> 'restricted'"
    for k, n, det, hits in _rows(
        conn,
        w
        + f"""
        , own AS (SELECT case_id, defendant_id, COUNT(*) AS n,
                    SUM(CASE WHEN cls = 'u' THEN 1 ELSE 0 END) AS u
                  FROM kc GROUP BY case_id, defendant_id)
        SELECT {mk}, COUNT(*), SUM(CASE WHEN m.kind = 'pretrial_detention' THEN 1 ELSE 0 END),
          SUM(CASE WHEN m.kind = 'pretrial_detention' AND (m.annulled_on IS NOT NULL
                   OR (own.n > 0 AND own.u = own.n)) THEN 1 ELSE 0 END)
        FROM measure m JOIN kk ON kk.id = m.case_id JOIN actor a ON a.id = m.defendant_id
        LEFT JOIN own ON own.case_id = m.case_id AND own.defendant_id = m.defendant_id
        {mjoin} WHERE 1 = 1 {hidden} {"GROUP BY x.who" if per else ""}""",
    ):
        if n:
            det, hits = int(det), int(hits)
            out["detention_annulled"][g][_key(k)] = (hits, hits, det, {"share": _share(hits, det)})


def _spans(conn: Connection, w: str, g: str, key: str, by: str, src: str, txt: Any,
           today: date, out: dict) -> None:  # fmt: skip
    """Time under prosecution: one row per (group, defender), the median in Python."""
    filed = "filed_on IS NOT NULL AND filed_on_precision <> 'unknown'"
    ended = "outcome_on IS NOT NULL AND outcome_on_precision <> 'unknown'"
    found: dict[str, list[tuple[int | None, str, bool]]] = defaultdict(list)
    for k, start, end, n, n_ended, pending in _rows(
        conn,
        w
        + f"""
        SELECT {key}, MIN(CASE WHEN {filed} THEN {txt("filed_on")} || filed_on_precision END),
          MAX(CASE WHEN {ended} THEN {txt("outcome_on")} || outcome_on_precision END),
          COUNT(*), SUM(CASE WHEN {ended} THEN 1 ELSE 0 END),
          SUM(CASE WHEN cls = 'p' THEN 1 ELSE 0 END)
        FROM {src} GROUP BY {by}defendant_id""",
    ):
        end_at = (
            (today, "day")
            if pending
            else ((date.fromisoformat(end[:10]), end[10:]) if end and n_ended == n else None)
        )
        start_at = (date.fromisoformat(start[:10]), start[10:]) if start else None
        days = (end_at[0] - start_at[0]).days if start_at and end_at else None
        precision = (max((start_at[1], end_at[1]), key=lambda p: RANK.get(p, 0))
                     if start_at and end_at else "unknown")  # fmt: skip
        found[_key(k)].append((days, precision, bool(pending)))
    for k, spans in found.items():
        days = [d for d, _, _ in spans if d is not None]
        coarsest = max((p for d, p, _ in spans if d is not None),
                       key=lambda p: RANK.get(p, 0), default="unknown")  # fmt: skip
        out["time_under_prosecution"][g][k] = (
            float(statistics.median(days)) if days else None,
            len(days),
            len(spans),
            {
                "mean_days": round(statistics.fmean(days), 1) if days else None,
                "max_days": max(days, default=None),
                "pending_defenders": sum(1 for *_, p in spans if p),
                "precision": coarsest,
            },
        )


def _cases(conn: Connection, w: str, g: str, threshold: int, out: dict) -> None:
    """Mass prosecution, venue transfer, reopened: cases of the group."""
    per = g == "complainant"
    key, join = ("ck.who", "JOIN ck ON ck.case_id = kk.id") if per else ("''", "")
    for k, n, mass, moved, again in _rows(
        conn,
        w
        + f"""
        SELECT {key}, COUNT(*), SUM(CASE WHEN dc.n >= {threshold} THEN 1 ELSE 0 END),
          SUM(CASE WHEN tr.case_id IS NOT NULL THEN 1 ELSE 0 END),
          SUM(CASE WHEN ro.case_id IS NOT NULL THEN 1 ELSE 0 END)
        FROM kk {join} LEFT JOIN dc ON dc.case_id = kk.id
        LEFT JOIN (SELECT DISTINCT case_id FROM stage_change WHERE event = 'transferred') tr
          ON tr.case_id = kk.id
        LEFT JOIN (SELECT case_id FROM stage_change WHERE event = 'reopened' UNION
                   SELECT case_id FROM kc WHERE outcome = 'acquittal_overturned') ro
          ON ro.case_id = kk.id {"GROUP BY ck.who" if per else ""}""",
    ):
        mass, moved, again = int(mass or 0), int(moved or 0), int(again or 0)
        out["mass_prosecution"][g][_key(k)] = (
            mass,
            mass,
            n,
            {"share": _share(mass, n), "threshold": threshold},
        )
        out["venue_transfer"][g][_key(k)] = (moved, moved, n, {"share": _share(moved, n)})
        out["reopened"][g][_key(k)] = (again, again, n, {"share": _share(again, n)})
