"""Deterministic synthetic data for demos and load tests (every row has is_synthetic = True).

``generate(engine, scale="M", seed=42)`` writes actors, courts and cases with their parties,
charges, hearings, measures and court events, shaped like the documented prosecutions of
defenders in Peru: a few complainants bring most cases, mass prosecutions follow protests,
charges are stacked, proceedings drag on for years and mostly end without a conviction.

One ``random.Random(seed)`` drives everything, ids included, and "today" is REFERENCE_DATE, so a
seed and a scale give the same rows on any day and on SQLite and PostgreSQL alike. Rows are
plain dicts written with Core executemany a few thousand at a time in one transaction: the ORM
would be far slower, and flushing as we go keeps memory flat at scale L.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import accumulate
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine

from . import demo_names as names
from .models import (
    Actor, AuditLog, Case, CaseParty, Charge, ChargeComplainant, Court, Hearing, Measure,
    Membership, StageChange, utcnow,
)

REFERENCE_DATE = date(2026, 6, 30)  # "today" for the data, whatever day the generator runs
STAMP = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)  # created_at/updated_at of every row
REF = REFERENCE_DATE.toordinal()
HORIZON = REF + 730  # open cases get hearings scheduled up to two years ahead
MASS_SHARE = 0.06  # mass prosecutions after a protest: 5-40 defendants
MEAN_DEFENDANTS = 0.94 * 1.85 + MASS_SHARE * (5 + 35 / 3)  # expectation of _n_defendants()
POSTPONED = 0.4  # share of hearings that do not take place on the day
# Days spent in a stage before the next decision, (min, max).
DURATION = {
    "complaint": (15, 120), "preliminary_investigation": (180, 1080),
    "preparatory_investigation": (180, 900), "intermediate": (90, 540), "trial": (90, 720),
    "first_instance_judgment": (30, 240), "appeal": (120, 600), "cassation": (240, 900),
}
# Which court (or prosecutor's office) handles a stage, and which hearings it holds.
STAGE_COURT = {
    "complaint": "prosecutor", "preliminary_investigation": "prosecutor",
    "preparatory_investigation": "investigation", "intermediate": "investigation",
    "trial": "trial", "first_instance_judgment": "trial", "appeal": "appeal",
    "cassation": "supreme",
}
STAGE_HEARING = {"preliminary_investigation": "preliminary",
                 "preparatory_investigation": "preliminary", "intermediate": "indictment_control",
                 "trial": "trial_session", "appeal": "appeal", "cassation": "cassation"}
FINAL_HEARING = {"trial": "sentencing", "appeal": "appeal", "cassation": "cassation"}
POSTPONE_REASONS = ("absent_judge", "absent_prosecutor", "absent_defendant", "strike", "other")
REASON_CUM = list(accumulate((30, 25, 25, 8, 12)))
CONVICTIONS = ("convicted_suspended", "convicted_prison", "convicted_fine",
               "convicted_disqualification")
CONVICTION_CUM = list(accumulate((45, 25, 15, 15)))
IMPOSED_KIND = dict(zip(CONVICTIONS, ("suspended_prison", "prison", "fine", "disqualification"),
                        strict=True))
RIGHTS = ("land_territory", "environment", "indigenous_rights", "womens_rights",
          "freedom_of_expression", "labour", "sexual_reproductive_rights", "lgbti_rights", "other")
RIGHTS_CUM = list(accumulate((30, 28, 18, 8, 6, 5, 2, 1, 2)))
ROLES = ("community_leader", "peasant_farmer", "activist", "authority", "journalist", "lawyer",
         "other")
ROLES_CUM = list(accumulate((35, 25, 15, 10, 5, 4, 6)))
LIABILITY = ("author", "co_author", "instigator", "indirect_author", "accomplice", "unknown")
LIABILITY_CUM = list(accumulate((40, 30, 8, 5, 5, 12)))
# The biggest complainants are fixed; the long tail draws its categories.
TOP_CATEGORIES = ("state_attorney", "company_mining", "police", "company_mining",
                  "public_prosecutor", "company_energy", "local_authority", "company_mining")
CATEGORY = ("private_individual", "company_mining", "police", "local_authority",
            "public_prosecutor", "company_energy", "company_agribusiness", "private_security",
            "company_other", "state_attorney", "national_authority")
CATEGORY_CUM = list(accumulate((30, 14, 12, 10, 10, 6, 4, 4, 4, 3, 1)))
OFFICIAL = {"lawyer": "Abogado/a defensor/a", "judge": "Juez/a", "prosecutor": "Fiscal"}


@dataclass(frozen=True)
class ScaleSpec:
    """Target sizes of a scale. Cases, actors and charges drive the draws; hearings (about 15
    per case) follow from the simulated proceedings, so that number is approximate."""

    cases: int
    actors: int
    charges: int
    hearings: int


SCALES: dict[str, ScaleSpec] = {
    "S": ScaleSpec(cases=200, actors=600, charges=1_200, hearings=3_000),
    "M": ScaleSpec(cases=10_000, actors=30_000, charges=60_000, hearings=150_000),
    "L": ScaleSpec(cases=100_000, actors=300_000, charges=1_000_000, hearings=1_500_000),
}
# Insert order: parents before children.
TABLES: tuple[Table, ...] = tuple(
    m.__table__  # type: ignore[attr-defined]
    for m in (Actor, Membership, Court, Case, CaseParty, Charge, ChargeComplainant, Hearing,
              Measure, StageChange)
)


def _template(table: Table) -> dict[str, Any]:
    """Every column with its scalar default, else None: executemany needs the same keys in
    every row, and Core never runs SQLModel's default factories (ids, timestamps, lists)."""
    row = {c.name: getattr(c.default, "arg", None) if c.default is not None
           and c.default.is_scalar else None for c in table.columns}
    fixed = {"created_at": STAMP, "updated_at": STAMP, "version_id": 1, "is_synthetic": True}
    return row | {k: v for k, v in fixed.items() if k in row}


def _weekday(o: int) -> int:
    """Move a weekend day to the next Monday (courts sit on working days)."""
    wd = (o - 1) % 7  # date.fromordinal(1) is a Monday
    return o + 7 - wd if wd >= 5 else o


class _Generator:
    """The random stream, the actor pools and the row buffer of one generate() call."""

    def __init__(self, spec: ScaleSpec, seed: int, conn: Connection, batch_size: int) -> None:
        self.spec, self.rng, self.conn, self.batch_size = spec, random.Random(seed), conn, batch_size
        self.tpl = {t.name: _template(t) for t in TABLES}
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self.counts = dict.fromkeys(self.rows, 0)
        self.pending = 0
        self.regions = list(names.REGIONS)
        self.region_cum = list(accumulate(w for w, _ in names.REGIONS.values()))
        self.districts = sorted({names.PROVINCE_DISTRICT.get(p, r)
                                 for r, (_, ps) in names.REGIONS.items() for p in ps})
        self.charge_types = list(names.CHARGES)
        self.charge_cum = list(accumulate(w for w, _, _ in names.CHARGES.values()))
        self.years = list(names.YEAR_WEIGHTS)
        self.year_cum = list(accumulate(names.YEAR_WEIGHTS.values()))
        self.contexts: list[tuple[str, str, str, int]] = []
        # Geometric number of extra charges per defendant, so that charges/cases fits the spec.
        extra = max(0.0, spec.charges / spec.cases / MEAN_DEFENDANTS - 1)
        self.p_stop = 1 / (1 + extra)

    # -- plumbing and small draws ---------------------------------------------------------
    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, table: str, **values: Any) -> uuid.UUID:
        """Buffer a row (a fresh id unless given) and return its id."""
        row = self.tpl[table] | values
        if "id" not in values:
            row["id"] = self.uid()
        self.rows[table].append(row)
        self.pending += 1
        return row["id"]  # type: ignore[no-any-return]

    def flush(self, force: bool = False) -> None:
        """Write the buffer, parents first; called only between whole actors or cases."""
        if self.pending < self.batch_size and not force:
            return
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                self.conn.execute(table.insert(), rows)
                self.counts[table.name] += len(rows)
                rows.clear()
        self.pending = 0

    def pick(self, items: Sequence[Any], cum: list[float]) -> Any:
        return items[bisect(cum, self.rng.random() * cum[-1])]

    def region(self) -> tuple[str, str]:
        region = self.pick(self.regions, self.region_cum)
        return region, self.rng.choice(names.REGIONS[region][1])

    def precise(self, o: int, floor: int, p_month: float = 0.1, p_year: float = 0.03,
                ) -> tuple[date, str]:
        """Day ``o`` with a drawn precision, stored as the first day of its period unless that
        falls before ``floor`` (then the day itself is kept, so date order checks hold)."""
        d, r = date.fromordinal(o), self.rng.random()
        if r >= p_month + p_year:
            return d, "day"
        t, prec = (d.replace(month=1, day=1), "year") if r < p_year else (d.replace(day=1),
                                                                            "month")
        return (t, prec) if t.toordinal() >= floor else (d, "day")

    def person(self) -> tuple[str, str, str]:
        """A random Peruvian-style name: (full name, first name, gender)."""
        rng = self.rng
        r = rng.random()
        gender = "female" if r < 0.45 else "male" if r < 0.99 else "non_binary"
        firsts = names.FIRST_NAMES_F if gender == "female" else names.FIRST_NAMES_M
        first = rng.choice(firsts) + (" " + rng.choice(firsts) if rng.random() < 0.35 else "")
        return f"{first} {rng.choice(names.LAST_NAMES)} {rng.choice(names.LAST_NAMES)}", \
            first, gender

    def rights(self) -> list[str]:
        return sorted({self.pick(RIGHTS, RIGHTS_CUM) for _ in range(self.rng.choice((1, 1, 2, 3)))})

    # -- actors and courts ----------------------------------------------------------------
    def actors(self) -> None:
        """Organizations, defenders (with memberships), complainants, lawyers and officials."""
        rng, n = self.rng, self.spec.actors
        n_org, n_compl, n_law = max(5, n * 3 // 100), max(10, n * 4 // 100), max(5, n * 3 // 100)
        n_off = max(len(self.districts), n * 3 // 100)
        self.orgs: dict[str, list[uuid.UUID]] = {r: [] for r in self.regions}
        for _ in range(n_org):
            region, prov = self.region()
            group = rng.random() < 0.5
            pattern = rng.choice(names.GROUP_PATTERNS if group else names.ORG_PATTERNS)
            self.orgs[region].append(self.add(
                "actor", kind="group" if group else "organization", is_defender=True,
                name=pattern.format(p=rng.choice(names.PLACES), v=prov, r=region),
                region=region, province=prov, rights_defended=self.rights(), aliases=[]))
        self.def_ids: list[uuid.UUID] = []
        self.def_label: list[str | None] = []  # name for case titles, None unless public
        self.def_by_region: dict[str, list[int]] = {r: [] for r in self.regions}
        for _ in range(n - n_org - n_compl - n_law - 2 * n_off):
            self.defender()
            self.flush()
        self.compl = [self.complainant(TOP_CATEGORIES[i] if i < len(TOP_CATEGORIES)
                                       else self.pick(CATEGORY, CATEGORY_CUM))
                      for i in range(n_compl)]
        # Zipf-like weights: a handful of complainants bring most of the cases.
        self.compl_cum = list(accumulate(1 / (i + 1) ** 1.1 for i in range(n_compl)))
        self.lawyers = [self.official("lawyer", self.region()[0]) for _ in range(n_law)]
        self.lawyer_cum = list(accumulate(1 / (i + 1) ** 0.8 for i in range(n_law)))
        self.judges: dict[str, list[uuid.UUID]] = {d: [] for d in self.districts}
        self.prosecutors: dict[str, list[uuid.UUID]] = {d: [] for d in self.districts}
        for i in range(n_off):
            d = self.districts[i % len(self.districts)]
            self.judges[d].append(self.official("judge", None))
            self.prosecutors[d].append(self.official("prosecutor", None))

    def defender(self) -> None:
        rng = self.rng
        region, prov = self.region()
        name, first, gender = self.person()
        r = rng.random()
        conf = "confidential" if r < 0.05 else "restricted" if r < 0.10 else "public"
        born, r = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28)), rng.random()
        birth = (born, "day") if r < 0.5 else (born.replace(month=1, day=1), "year") \
            if r < 0.75 else (None, "unknown")
        honorific = "Mama" if gender == "female" else "Tayta"
        actor_id = self.add(
            "actor", kind="person", name=name, gender=gender, birth_date=birth[0],
            birth_date_precision=birth[1], region=region, province=prov, is_defender=True,
            aliases=[f"{honorific} {first.split()[0]}"] if rng.random() < 0.05 else [],
            rights_defended=self.rights(), defender_role=self.pick(ROLES, ROLES_CUM),
            confidentiality=conf, consent_to_publish=conf == "public" and rng.random() < 0.7,
            pseudonym=f"Defensor/a {len(self.def_ids) + 1:04d}" if conf == "confidential"
            else None)
        self.def_by_region[region].append(len(self.def_ids))
        self.def_ids.append(actor_id)
        self.def_label.append(name if conf == "public" else None)
        orgs = self.orgs[region]
        if orgs and rng.random() < 0.55:
            for org in rng.sample(orgs, min(len(orgs), 1 if rng.random() < 0.85 else 2)):
                self.add("membership", member_id=actor_id, organization_id=org,
                         role=rng.choice(names.MEMBERSHIP_ROLES),
                         start_date=date(rng.randint(1995, 2022), 1, 1),
                         start_date_precision="year")

    def complainant(self, category: str) -> tuple[uuid.UUID, str | None]:
        """A complainant and the region it acts in (None for national bodies)."""
        rng = self.rng
        region, prov = self.region()
        if category == "private_individual":
            name, _, gender = self.person()
            return self.add("actor", kind="person", name=name, gender=gender, region=region,
                            province=prov, complainant_category=category, aliases=[],
                            rights_defended=[]), region
        company = category in names.COMPANY_PATTERNS
        pattern = rng.choice((names.COMPANY_PATTERNS if company
                              else names.PUBLIC_BODY_PATTERNS)[category])
        local = company or "{v}" in pattern or "{r}" in pattern
        return self.add(
            "actor", kind="company" if company else "public_body",
            name=pattern.format(p=rng.choice(names.PLACES), v=prov, r=region),
            region=region if local else None, province=prov if local else None,
            complainant_category=category, aliases=[], rights_defended=[],
        ), region if local else None

    def official(self, role: str, region: str | None) -> uuid.UUID:
        name, _, gender = self.person()
        return self.add("actor", kind="person", name=name, gender=gender, region=region,
                        description=OFFICIAL[role], aliases=[], rights_defended=[])

    def courts(self) -> None:
        """Per judicial district a prosecutor's office and the courts of each stage."""
        self.court: dict[tuple[str, str], uuid.UUID] = {}
        supreme = self.add("court", name="Sala Penal Permanente de la Corte Suprema",
                           level="supreme", judicial_district="Lima")
        for d in self.districts:
            for key, name, kind, level in (
                ("prosecutor", f"Fiscalía Provincial Penal Corporativa de {d}",
                 "prosecutor_office", "first_instance"),
                ("investigation", f"Juzgado de Investigación Preparatoria de {d}", "court",
                 "first_instance"),
                ("single", f"Juzgado Penal Unipersonal de {d}", "court", "first_instance"),
                ("collegiate", f"Juzgado Penal Colegiado de {d}", "court", "first_instance"),
                ("appeal", f"Sala Penal de Apelaciones de {d}", "court", "superior"),
            ):
                self.court[d, key] = self.add("court", name=name, kind=kind, level=level,
                                              judicial_district=d)
            self.court[d, "supreme"] = supreme

    # -- cases ----------------------------------------------------------------------------
    def context(self) -> tuple[str, str, str, int]:
        """A protest or conflict (name, region, province, day); one protest yields many files."""
        rng = self.rng
        if self.contexts and rng.random() < 0.75:
            return rng.choice(self.contexts)
        region, prov = self.region()
        year = self.pick(self.years, self.year_cum)
        day = min(REF - 30, date(year, 1, 1).toordinal() + rng.randint(0, 364))
        name = rng.choice(names.CONTEXT_PATTERNS).format(
            p=rng.choice(names.PLACES), r=region, y=year)
        self.contexts.append((name, region, prov, day))
        return self.contexts[-1]

    def defendants(self, region: str, mass: bool) -> list[int]:
        """Distinct defenders, mostly of the case's region; leaders are charged again and again."""
        rng = self.rng
        r = rng.random()
        k = 5 + int(35 * rng.random() ** 2) if mass else 1 if r < .5 else 2 if r < .75 \
            else 3 if r < .9 else 4
        pool = self.def_by_region[region] or range(len(self.def_ids))
        if rng.random() < 0.3:
            pool = pool[: max(1, len(pool) // 20)]
        chosen = rng.sample(pool, min(k, len(pool)))
        taken = set(chosen)
        while len(chosen) < k:  # a small region's pool ran out: bring people from elsewhere
            j = rng.randrange(len(self.def_ids))
            if j not in taken:
                chosen.append(j)
                taken.add(j)
        return chosen

    def charge_types_for(self) -> list[str]:
        """Stacked charges: one or more distinct offences for one defendant."""
        rng, n = self.rng, 1
        while n < 8 and rng.random() >= self.p_stop:
            n += 1
        types: list[str] = []
        while len(types) < n:
            t = self.pick(self.charge_types, self.charge_cum)
            if t not in types:
                types.append(t)
        return types

    def proceed(self, opened: int, k: int, district: str) -> dict[str, Any]:
        """Simulate the proceedings up to REFERENCE_DATE: court events, stage periods (for the
        hearings) and, per defendant index, the final (outcome, day) once resolved."""
        rng = self.rng
        t, stage = opened, "complaint"
        events: list[tuple[str, str | None, str, int, str | None]] = [
            ("stage_change", None, stage, t, None)]
        periods: list[list[Any]] = []  # [stage, start, end, district, ended_in_judgment]
        out: dict[int, tuple[str, int]] = {}
        active, indicted, verdict = list(range(k)), set(), {}
        formalized: int | None = None
        conviction_rate = rng.choice((0.25, 0.4, 0.55))

        def move(to: str, event: str = "stage_change") -> None:
            nonlocal stage
            events.append((event, stage, to, t, None))
            stage = to

        def resolve(ds: list[int], code: str | None = None) -> None:
            for d in ds:
                out[d] = ("unknown" if rng.random() < 0.03 else code or verdict[d], t)
                active.remove(d)

        while active:
            lo, hi = DURATION[stage]
            end = t + rng.randint(lo, hi)
            periods.append([stage, t, end, district, False])
            if end > REF:
                break
            t = end
            if rng.random() < 0.03:
                new = rng.choice(self.districts)
                if new != district:
                    district = new
                    events.append(("transferred", stage, stage, t, new))
            if t - opened > 6 * 365 and rng.random() < 0.12:
                resolve(list(active), "time_barred")
            elif stage == "complaint":
                move("preliminary_investigation")
            elif stage == "preliminary_investigation":
                if rng.random() < 0.4:
                    move("archived", "archived")
                    back = t + rng.randint(180, 1000)
                    if rng.random() < 0.25 and back <= REF:
                        t = back
                        move("preliminary_investigation", "reopened")
                    else:
                        resolve(list(active), "archived")
                else:
                    move("preparatory_investigation")
                    formalized = formalized or t
            elif stage == "preparatory_investigation":
                move("intermediate")
                indicted.update(active)
            elif stage == "intermediate":
                if rng.random() < 0.06:
                    move("preparatory_investigation", "indictment_null")
                    continue
                for d in list(active):
                    r = rng.random()
                    if r < 0.38:
                        resolve([d], "dismissed" if r < 0.33 else "withdrawn" if r < 0.36
                                else "plea")
                if active:
                    move("trial")
            elif stage == "trial":
                periods[-1][4] = True
                move("first_instance_judgment", "judgment")
                verdict = {d: self.pick(CONVICTIONS, CONVICTION_CUM)
                           if rng.random() < conviction_rate else "acquitted" for d in active}
            elif stage == "first_instance_judgment":
                if rng.random() < 0.55:
                    move("appeal")
                else:
                    resolve(list(active))
            elif stage == "appeal":
                periods[-1][4] = True
                if rng.random() < 0.1:
                    move("trial", "retrial_ordered")
                    continue
                for d, v in verdict.items():
                    if v != "acquitted" and rng.random() < 0.3:
                        verdict[d] = "conviction_overturned"
                if rng.random() < 0.15:
                    move("cassation")
                else:
                    resolve(list(active))
            else:  # cassation
                periods[-1][4] = True
                resolve(list(active))
        if not active and stage != "archived":
            move("closed")
        return {"events": events, "periods": periods, "out": out, "indicted": indicted,
                "formalized": formalized, "district": district}

    def hearings(self, case_id: uuid.UUID, period: list[Any], trial_court: str, k: int) -> None:
        """The hearings of one stage period, with postponement chains; those after
        REFERENCE_DATE are scheduled (no result yet)."""
        rng = self.rng
        stage, a, b, district, judged = period
        kind = STAGE_HEARING.get(stage)
        if kind is None:
            return
        court = self.court[district, trial_court if STAGE_COURT[stage] == "trial"
                           else STAGE_COURT[stage]]
        n = {"preliminary_investigation": int(rng.random() < 0.3),
             "preparatory_investigation": rng.randint(0, 4), "intermediate": rng.randint(1, 5),
             "trial": rng.randint(4, 24) + k, "appeal": rng.randint(1, 3),
             "cassation": int(not judged)}[stage]
        limit = b if b <= REF else HORIZON
        for x in sorted(rng.randint(a, max(a, min(b, HORIZON) - 1)) for _ in range(n)):
            for _ in range(6):
                x = _weekday(x)
                if x >= limit:
                    break
                if x > REF:
                    self.hearing(case_id, x, court, kind, None)
                    break
                nxt = _weekday(x + rng.randint(14, 75))
                if rng.random() < POSTPONED and nxt < limit:
                    self.hearing(case_id, x, court, kind, "postponed", nxt)
                    x = nxt
                    continue
                r = rng.random()
                self.hearing(case_id, x, court, kind,
                             None if r < 0.03 else "cancelled" if r < 0.06 else "held")
                break
        if judged:
            self.hearing(case_id, b, court, FINAL_HEARING[stage], "judgment")

    def hearing(self, case_id: uuid.UUID, o: int, court: uuid.UUID, kind: str,
                result: str | None, nxt: int | None = None) -> None:
        rng = self.rng
        timed = rng.random() < 0.9
        at = time(rng.randint(8, 16), rng.choice((0, 30))) if timed else time()
        self.add("hearing", case_id=case_id, court_id=court, hearing_type=kind, result=result,
                 scheduled_at=datetime.combine(date.fromordinal(o), at),
                 scheduled_precision="time" if timed else "day",
                 postponement_reason=self.pick(POSTPONE_REASONS, REASON_CUM)
                 if result == "postponed" else None,
                 next_date=date.fromordinal(nxt) if nxt else None)

    def measures(self, case_id: uuid.UUID, defendant: uuid.UUID, opened: int, floor: int,
                 until: int, mass: bool, court: uuid.UUID) -> None:
        """Restrictive measures ordered soon after the case opened (arrests after a protest)."""
        rng = self.rng
        o = opened + rng.randint(1, 90)
        if o > until:
            return
        orders: list[tuple[str, int | None]] = []
        if rng.random() < (0.12 if mass else 0.05):
            orders.append(("pretrial_detention", rng.choice((9, 18, 36))))
            self.hearing(case_id, o, court, "detention", "held")
        elif rng.random() < 0.3:
            orders.append(("restricted_appearance", rng.choice((None, 12, 18, 24))))
        if rng.random() < 0.1:
            orders.append(("travel_ban", rng.choice((4, 6, 8, 12))))
        for kind, months in orders:
            ordered, prec = self.precise(o, floor, 0.05, 0.0)
            ends = o + int(months * 30.44) if months else None
            annulled = o + rng.randint(20, months * 30 - 1) if months and \
                kind == "pretrial_detention" and rng.random() < 0.3 else None
            annulled = annulled if annulled and annulled <= REF else None
            self.add("measure", case_id=case_id, defendant_id=defendant, kind=kind,
                     ordered_on=ordered, ordered_on_precision=prec, duration_months=months,
                     ends_on=date.fromordinal(ends) if ends else None,
                     ends_on_precision="day" if ends else "unknown",
                     annulled_on=date.fromordinal(annulled) if annulled else None,
                     annulled_on_precision="day" if annulled else "unknown")

    def case(self, seq: int) -> None:
        """One case with its parties, charges, complainants, hearings, measures and events."""
        rng = self.rng
        mass = rng.random() < MASS_SHARE
        ctx = self.context() if mass or rng.random() < 0.2 else None
        compl = [self.pick(self.compl, self.compl_cum)]
        if rng.random() < 0.2 and (other := self.pick(self.compl, self.compl_cum)) != compl[0]:
            compl.append(other)
        if ctx:
            context, region, prov, day = ctx
            opened = min(REF, day + rng.randint(0, 400))
        else:
            context, home = None, compl[0][1]
            region, prov = (home, rng.choice(names.REGIONS[home][1])) \
                if home and rng.random() < 0.7 else self.region()
            year = self.pick(self.years, self.year_cum)
            opened = min(REF, date(year, 1, 1).toordinal() + rng.randint(0, 364))
        opened_on, opened_prec = self.precise(opened, 0, 0.1, 0.04)
        floor = opened_on.toordinal()
        district0 = names.PROVINCE_DISTRICT.get(prov, region)
        defs = self.defendants(region, mass)
        plan = [self.charge_types_for() for _ in defs]
        sim = self.proceed(opened, len(defs), district0)
        events, out = sim["events"], sim["out"]
        case_id = self.uid()
        trial_court = "collegiate" if mass or rng.random() < 0.3 else "single"
        for period in sim["periods"]:
            self.hearings(case_id, period, trial_court, len(defs))
        # Parties: defendants, then the complainants actually named on charges, lawyers...
        used: list[tuple[uuid.UUID, str | None]] = []
        for di, d in enumerate(defs):
            code, when = out.get(di, (None, None))
            end = self.precise(when, floor, 0.05, 0.0) if when else (None, "unknown")
            self.add("case_party", case_id=case_id, actor_id=self.def_ids[d], role="defendant",
                     start_date=opened_on, start_date_precision=opened_prec,
                     end_date=end[0], end_date_precision=end[1])
            self.measures(case_id, self.def_ids[d], opened, floor, min(REF, when or REF), mass,
                          self.court[district0, "investigation"])
            for ci, ctype in enumerate(plan[di]):
                self.charge(case_id, self.def_ids[d], ctype, ci, code, when, opened, floor,
                            sim, di in sim["indicted"], mass, compl, used)
        for actor_id, _ in used:
            self.add("case_party", case_id=case_id, actor_id=actor_id, role="complainant",
                     start_date=opened_on, start_date_precision=opened_prec)
        lawyers = {self.pick(self.lawyers, self.lawyer_cum)
                   for _ in range(2 if mass else 1)} if rng.random() < 0.85 else set()
        officials = [(a, "defence_lawyer") for a in sorted(lawyers)]
        if rng.random() < 0.8:
            officials.append((rng.choice(self.prosecutors[district0]), "public_prosecutor"))
        if any(e[2] == "intermediate" for e in events):
            officials.append((rng.choice(self.judges[sim["district"]]), "judge"))
        for actor_id, role in officials:
            self.add("case_party", case_id=case_id, actor_id=actor_id, role=role,
                     start_date=opened_on, start_date_precision=opened_prec)
        for event, frm, to, o, new_district in events:
            on, prec = self.precise(o, floor, 0.08, 0.02)
            self.add("stage_change", case_id=case_id, event=event, from_stage=frm, to_stage=to,
                     on_date=on, on_date_precision=prec, judicial_district=new_district)
        # The case row last in time but first in insert order (flush writes parents first).
        stage = events[-1][2]
        closed = len(out) == len(defs)
        closed_on = self.precise(max(w for _, w in out.values()), floor, 0.05, 0.01) \
            if closed else (None, "unknown")
        court_stage = events[-1][1] if stage in ("closed", "archived") else stage
        court_key = STAGE_COURT.get(court_stage or "complaint", "prosecutor")
        district = sim["district"]
        number = f"{seq:05d}-{opened_on.year}-0-{self.districts.index(district0) + 1:02d}01-" \
            f"JR-PE-{rng.randint(1, 3):02d}"
        label = self.def_label[defs[0]]
        title = f"Caso {context}" if ctx and mass else \
            f"{label}{' y otros' if len(defs) > 1 else ''}" if label else f"Expediente {number}"
        conf = rng.random()
        self.add("court_case", id=case_id, case_number=number, title=title, stage=stage,
                 status="closed" if closed else "open",
                 court_id=self.court[district, trial_court if court_key == "trial"
                                     else court_key],
                 judicial_district=district, region=region, province=prov, context=context,
                 opened_on=opened_on, opened_on_precision=opened_prec,
                 closed_on=closed_on[0], closed_on_precision=closed_on[1],
                 confidentiality="restricted" if label is None or conf < 0.02 else "public",
                 summary=f"Proceso penal abierto tras: {context}." if context else None)

    def charge(self, case_id: uuid.UUID, defendant: uuid.UUID, ctype: str, ci: int,
               code: str | None, when: int | None, opened: int, floor: int,
               sim: dict[str, Any], indicted: bool, mass: bool,
               compl: list[tuple[uuid.UUID, str | None]],
               used: list[tuple[uuid.UUID, str | None]]) -> None:
        """One charge and its complainants; extra charges may be added at formalization."""
        rng = self.rng
        _, legal, max_months = names.CHARGES[ctype]
        formalized = sim["formalized"]
        filed = formalized if formalized and ci > 0 and rng.random() < 0.3 and \
            (when is None or when >= formalized) else opened
        filed_on, filed_prec = self.precise(filed, floor, 0.05, 0.02)
        if code in CONVICTIONS and ci > 0 and rng.random() < 0.5:
            code = "acquitted"  # convicted of the main charge, acquitted of a stacked one
        outcome = self.precise(when, filed_on.toordinal(), 0.08, 0.03) if when else \
            (None, "unknown")
        requested = rng.randint(max(12, max_months // 3), max_months) \
            if indicted and rng.random() < 0.8 else None
        imposed = None
        if code in ("convicted_prison", "convicted_suspended", "convicted_disqualification"):
            top = min(180, requested or 180)
            imposed = rng.randint(min(24, top), top) if code == "convicted_prison" \
                else rng.randint(12, 48)
        reparation = float(round(rng.uniform(5_000, 500_000 if rng.random() < 0.9 else 5e6),
                                 -3)) if indicted and rng.random() < 0.5 else None
        charge_id = self.add(
            "charge", case_id=case_id, defendant_id=defendant, charge_type=ctype,
            legal_reference=legal,
            mode_of_liability="co_author" if mass and rng.random() < 0.5
            else self.pick(LIABILITY, LIABILITY_CUM),
            filed_on=filed_on, filed_on_precision=filed_prec,
            status="resolved" if code else "pending", outcome=code,
            outcome_on=outcome[0], outcome_on_precision=outcome[1],
            sentence_requested_months=requested, sentence_requested_kind="prison"
            if requested else None,
            sentence_imposed_months=imposed, sentence_imposed_kind=IMPOSED_KIND.get(code or ""),
            reparation_requested=reparation,
            reparation_imposed=float(round(reparation * rng.uniform(0.05, 0.5), -2))
            if reparation and code in CONVICTIONS and rng.random() < 0.6 else None,
            reparation_currency="PEN" if reparation else None)
        for c in compl if len(compl) == 1 or rng.random() < 0.3 else [rng.choice(compl)]:
            self.add("charge_complainant", charge_id=charge_id, actor_id=c[0])
            if c not in used:
                used.append(c)


def generate(engine: Engine, *, scale: str = "S", seed: int = 42, batch_size: int = 5000,
             ) -> dict[str, int]:
    """Write a synthetic data set; return the number of rows written per table name.

    ``scale`` is a key of SCALES; the same ``seed`` and ``scale`` give identical rows, ids
    included. Everything is written in one transaction (all or nothing), ``batch_size`` rows
    per round of inserts. The target database must not already hold this seed's rows.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    spec = SCALES[scale]
    with engine.begin() as conn:
        gen = _Generator(spec, seed, conn, batch_size)
        gen.actors()
        gen.courts()
        for seq in range(1, spec.cases + 1):
            gen.case(seq)
            gen.flush()
        gen.flush(force=True)
        counts = dict(gen.counts)
        # The audit row tells when the load really happened, so its time is the real one.
        conn.execute(AuditLog.__table__.insert(), [{  # type: ignore[attr-defined]
            "id": gen.uid(), "at": utcnow(), "username": "demo", "table_name": "*",
            "row_id": None, "action": "bulk_load",
            "changes": {"scale": scale, "seed": seed, "rows": counts}}])
    return counts | {"audit_log": 1}
