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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import accumulate
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from . import demo_names as names
from . import revision
from .models import utcnow

REFERENCE_DATE = date(2026, 6, 30)  # "today" for the data, whatever day the generator runs
STAMP = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)  # created_at/updated_at of every row
REF = REFERENCE_DATE.toordinal()
HORIZON = REF + 730  # open cases get hearings scheduled up to two years ahead
MASS_SHARE = 0.06  # mass prosecutions after a protest: 5-40 defendants
MEAN_DEFENDANTS = 0.94 * 1.85 + MASS_SHARE * (5 + 35 / 3)  # expectation in defendants()
SQLITE_CACHE_KB = 256 * 1024  # page cache while loading into SQLite
MAX_CHARGES = 8  # distinct offences against one defendant in one case
POSTPONED = 0.4  # chance that a hearing does not take place on the day
# Insert order: parents before children.
TABLE_NAMES = (
    "actor",
    "membership",
    "court",
    "court_case",
    "case_party",
    "charge",
    "charge_complainant",
    "hearing",
    "measure",
    "stage_change",
)

Weighted = tuple[Sequence[Any], list[float]]


def _weighted(weights: Mapping[Any, float]) -> Weighted:
    return list(weights), list(accumulate(weights.values()))


RIGHTS, ROLES, LIABILITY, REASONS, CONVICTIONS, CATEGORIES, CHARGES, REGIONS, YEARS = (
    _weighted(w)
    for w in (
        names.RIGHTS,
        names.DEFENDER_ROLES,
        names.LIABILITY,
        names.POSTPONEMENT_REASONS,
        names.CONVICTIONS,
        names.COMPLAINANTS,
        {k: v[0] for k, v in names.CHARGES.items()},
        {k: v[0] for k, v in names.REGIONS.items()},
        names.YEAR_WEIGHTS,
    )
)
DISTRICTS = sorted(
    {
        names.PROVINCE_DISTRICT.get(p, r)
        for r, (_, provinces) in names.REGIONS.items()
        for p in provinces
    }
)


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


def _template(table: Table) -> dict[str, Any]:
    """Every column with its scalar default, else None: executemany needs the same keys in
    every row, and Core never runs SQLModel's default factories (ids, timestamps, lists)."""
    row = {
        c.name: getattr(c.default, "arg", None)
        if c.default is not None and c.default.is_scalar
        else None
        for c in table.columns
    }
    fixed = {"created_at": STAMP, "updated_at": STAMP, "version_id": 1, "is_synthetic": True}
    return row | {k: v for k, v in fixed.items() if k in row}


def _weekday(o: int) -> int:
    """Move a weekend day to the next Monday (courts sit on working days)."""
    wd = (o - 1) % 7  # date.fromordinal(1) is a Monday
    return o + 7 - wd if wd >= 5 else o


def _day(o: int | None) -> date | None:
    return date.fromordinal(o) if o else None


class _Generator:
    """The random stream, the actor pools and the row buffer of one generate() call."""

    def __init__(self, spec: ScaleSpec, seed: int, conn: Connection, batch_size: int) -> None:
        self.spec, self.rng, self.conn = spec, random.Random(seed), conn
        self.batch_size, self.pending = batch_size, 0
        self.tables = [SQLModel.metadata.tables[name] for name in TABLE_NAMES]
        self.tpl = {t.name: _template(t) for t in self.tables}
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in self.tables}
        self.counts = dict.fromkeys(self.rows, 0)
        self.contexts: list[tuple[str, str, str, int]] = []
        # Charges per defendant: 1 + a geometric number of extras, capped at MAX_CHARGES - 1,
        # whose mean is solved for (bisection) so that charges/cases fits the spec.
        target, lo, hi = spec.charges / spec.cases / MEAN_DEFENDANTS, 0.0, 1.0
        for _ in range(50):
            q = (lo + hi) / 2
            lo, hi = (q, hi) if sum(q**j for j in range(MAX_CHARGES)) < target else (lo, q)
        self.p_stop = 1 - lo

    # -- plumbing and small draws ---------------------------------------------------------
    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, table: str, **values: Any) -> uuid.UUID:
        """Buffer a row (with a fresh id unless given) and return its id."""
        row = self.tpl[table] | values
        if "id" not in values:
            row["id"] = self.uid()
        self.rows[table].append(row)
        self.pending += 1
        return row["id"]

    def flush(self, force: bool = False) -> None:
        """Write the buffer, parents first; called only between whole actors or cases."""
        if self.pending < self.batch_size and not force:
            return
        for table in self.tables:
            if rows := self.rows[table.name]:
                self.conn.execute(table.insert(), rows)
                self.counts[table.name] += len(rows)
                rows.clear()
        self.pending = 0

    def pick(self, weighted: Weighted) -> Any:
        items, cum = weighted
        return items[bisect(cum, self.rng.random() * cum[-1])]

    def region(self) -> tuple[str, str]:
        region = self.pick(REGIONS)
        return region, self.rng.choice(names.REGIONS[region][1])

    def precise(
        self,
        o: int,
        floor: int,
        p_month: float = 0.1,
        p_year: float = 0.03,
    ) -> tuple[date, str]:
        """Day ``o`` with a drawn precision, stored as the first day of its period unless that
        falls before ``floor`` (then the day itself is kept, so date order checks hold)."""
        d, r = date.fromordinal(o), self.rng.random()
        if r >= p_month + p_year:
            return d, "day"
        t, prec = (d.replace(month=1, day=1), "year") if r < p_year else (d.replace(day=1), "month")
        return (t, prec) if t.toordinal() >= floor else (d, "day")

    def day_in(self, year: int) -> int:
        """A random day of ``year``, not after REFERENCE_DATE."""
        start = date(year, 1, 1).toordinal()
        return start + self.rng.randint(0, min(364, REF - start))

    def person(self) -> tuple[str, str, str]:
        """A random Peruvian-style name: (full name, first name, gender)."""
        rng, r = self.rng, self.rng.random()
        gender = "female" if r < 0.45 else "male" if r < 0.99 else "non_binary"
        firsts = names.FIRST_NAMES_F if gender == "female" else names.FIRST_NAMES_M
        first = rng.choice(firsts) + (" " + rng.choice(firsts) if rng.random() < 0.35 else "")
        last = f"{rng.choice(names.LAST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        return f"{first} {last}", first, gender

    def rights(self) -> list[str]:
        return sorted({self.pick(RIGHTS) for _ in range(self.rng.choice((1, 1, 2, 3)))})

    # -- actors and courts ----------------------------------------------------------------
    def actors(self) -> None:
        """Organizations, defenders (with memberships), complainants, lawyers and officials."""
        rng, n = self.rng, self.spec.actors
        n_org, n_compl, n_law = max(5, n * 3 // 100), max(10, n * 4 // 100), max(5, n * 3 // 100)
        n_off = max(len(DISTRICTS), n * 3 // 100)
        self.orgs: dict[str, list[uuid.UUID]] = {r: [] for r in names.REGIONS}
        for _ in range(n_org):
            region, prov = self.region()
            group = rng.random() < 0.5
            pattern = rng.choice(names.GROUP_PATTERNS if group else names.ORG_PATTERNS)
            self.orgs[region].append(
                self.add(
                    "actor",
                    kind="group" if group else "organization",
                    is_defender=True,
                    name=pattern.format(p=rng.choice(names.PLACES), v=prov, r=region),
                    region=region,
                    province=prov,
                    rights_defended=self.rights(),
                    aliases=[],
                )
            )
        self.def_ids: list[uuid.UUID] = []
        self.def_label: list[str | None] = []  # name for case titles, None unless public
        self.def_by_region: dict[str, list[int]] = {r: [] for r in names.REGIONS}
        for _ in range(n - n_org - n_compl - n_law - 2 * n_off):
            self.defender()
            self.flush()
        self.compl = [
            self.complainant(
                names.TOP_COMPLAINANTS[i]
                if i < len(names.TOP_COMPLAINANTS)
                else self.pick(CATEGORIES)
            )
            for i in range(n_compl)
        ]
        # Zipf weights: a handful of complainants bring most of the cases.
        self.compl_w: Weighted = (self.compl, [*accumulate(1 / (i + 1) for i in range(n_compl))])
        lawyers = [self.official("lawyer", self.region()[0]) for _ in range(n_law)]
        self.lawyer_w: Weighted = (lawyers, [*accumulate(1 / (i + 1) ** 0.8 for i in range(n_law))])
        self.judges: dict[str, list[uuid.UUID]] = {d: [] for d in DISTRICTS}
        self.prosecutors: dict[str, list[uuid.UUID]] = {d: [] for d in DISTRICTS}
        for i in range(n_off):
            self.judges[DISTRICTS[i % len(DISTRICTS)]].append(self.official("judge", None))
            self.prosecutors[DISTRICTS[i % len(DISTRICTS)]].append(
                self.official("prosecutor", None)
            )

    def defender(self) -> None:
        rng = self.rng
        region, prov = self.region()
        name, first, gender = self.person()
        r = rng.random()
        conf = "confidential" if r < 0.05 else "restricted" if r < 0.10 else "public"
        born = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
        r = rng.random()
        birth = (
            (born, "day")
            if r < 0.5
            else (born.replace(month=1, day=1), "year")
            if r < 0.75
            else (None, "unknown")
        )
        honorific = "Mama" if gender == "female" else "Tayta"
        actor_id = self.add(
            "actor",
            kind="person",
            name=name,
            gender=gender,
            birth_date=birth[0],
            birth_date_precision=birth[1],
            region=region,
            province=prov,
            is_defender=True,
            aliases=[f"{honorific} {first.split()[0]}"] if rng.random() < 0.05 else [],
            rights_defended=self.rights(),
            defender_role=self.pick(ROLES),
            confidentiality=conf,
            consent_to_publish=conf == "public" and rng.random() < 0.7,
            pseudonym=f"Defensor/a {len(self.def_ids) + 1:04d}" if conf == "confidential" else None,
        )
        self.def_by_region[region].append(len(self.def_ids))
        self.def_ids.append(actor_id)
        self.def_label.append(name if conf == "public" else None)
        orgs = self.orgs[region]
        if orgs and rng.random() < 0.55:
            for org in rng.sample(orgs, min(len(orgs), 1 if rng.random() < 0.85 else 2)):
                self.add(
                    "membership",
                    member_id=actor_id,
                    organization_id=org,
                    role=rng.choice(names.MEMBERSHIP_ROLES),
                    start_date=date(rng.randint(1995, 2022), 1, 1),
                    start_date_precision="year",
                )

    def complainant(self, category: str) -> tuple[uuid.UUID, str | None]:
        """A complainant and the region it acts in (None for national bodies)."""
        rng = self.rng
        region, prov = self.region()
        common = {"complainant_category": category, "aliases": [], "rights_defended": []}
        if category == "private_individual":
            name, _, gender = self.person()
            return self.add(
                "actor",
                kind="person",
                name=name,
                gender=gender,
                region=region,
                province=prov,
                **common,
            ), region
        company = category in names.COMPANY_PATTERNS
        pattern = rng.choice(
            (names.COMPANY_PATTERNS if company else names.PUBLIC_BODY_PATTERNS)[category]
        )
        local = company or "{v}" in pattern or "{r}" in pattern
        return self.add(
            "actor",
            kind="company" if company else "public_body",
            name=pattern.format(p=rng.choice(names.PLACES), v=prov, r=region),
            region=region if local else None,
            province=prov if local else None,
            **common,
        ), region if local else None

    def official(self, role: str, region: str | None) -> uuid.UUID:
        name, _, gender = self.person()
        return self.add(
            "actor",
            kind="person",
            name=name,
            gender=gender,
            region=region,
            description=names.OFFICIALS[role],
            aliases=[],
            rights_defended=[],
        )

    def courts(self) -> None:
        """Per judicial district a prosecutor's office and the courts of each stage."""
        self.court: dict[tuple[str, str], uuid.UUID] = {}
        supreme = self.add(
            "court",
            name="Sala Penal Permanente de la Corte Suprema",
            level="supreme",
            judicial_district="Lima",
        )
        for d in DISTRICTS:
            for key, name, kind, level in (
                (
                    "prosecutor",
                    "Fiscalía Provincial Penal Corporativa",
                    "prosecutor_office",
                    "first_instance",
                ),
                (
                    "investigation",
                    "Juzgado de Investigación Preparatoria",
                    "court",
                    "first_instance",
                ),
                ("single", "Juzgado Penal Unipersonal", "court", "first_instance"),
                ("collegiate", "Juzgado Penal Colegiado", "court", "first_instance"),
                ("appeal", "Sala Penal de Apelaciones", "court", "superior"),
            ):
                self.court[d, key] = self.add(
                    "court", name=f"{name} de {d}", kind=kind, level=level, judicial_district=d
                )
            self.court[d, "supreme"] = supreme

    # -- cases ----------------------------------------------------------------------------
    def context(self) -> tuple[str, str, str, int]:
        """A protest or conflict (name, region, province, day); one protest yields many files."""
        rng = self.rng
        if self.contexts and rng.random() < 0.75:
            return rng.choice(self.contexts)
        region, prov = self.region()
        year = self.pick(YEARS)
        day = self.day_in(year)
        name = rng.choice(names.CONTEXT_PATTERNS).format(
            p=rng.choice(names.PLACES), r=region, y=year
        )
        self.contexts.append((name, region, prov, day))
        return self.contexts[-1]

    def defendants(self, region: str, mass: bool) -> list[int]:
        """Distinct defenders, mostly of the case's region; leaders are charged again and again."""
        rng, r = self.rng, self.rng.random()
        k = (
            5 + int(35 * rng.random() ** 2)
            if mass
            else 1
            if r < 0.5
            else 2
            if r < 0.75
            else 3
            if r < 0.9
            else 4
        )
        pool: Sequence[int] = self.def_by_region[region] or range(len(self.def_ids))
        chosen = rng.sample(pool, min(k, len(pool)))
        if rng.random() < 0.3:  # one of the region's few leaders heads the list
            leader = pool[rng.randrange(max(1, len(pool) // 20))]
            if leader in chosen:
                chosen.remove(leader)
            else:
                chosen.pop()
            chosen.insert(0, leader)
        while len(chosen) < k:  # a small region ran out: bring people from elsewhere
            if (j := rng.randrange(len(self.def_ids))) not in chosen:
                chosen.append(j)
        return chosen

    def charge_types(self) -> list[str]:
        """Stacked charges: one or more distinct offences against one defendant."""
        n = 1
        while n < MAX_CHARGES and self.rng.random() >= self.p_stop:
            n += 1
        types: list[str] = []
        while len(types) < n:
            if (t := self.pick(CHARGES)) not in types:
                types.append(t)
        return types

    def proceed(self, opened: int, k: int, district: str) -> dict[str, Any]:
        """Simulate the proceedings up to REFERENCE_DATE: court events, stage periods (for the
        hearings) and, per defendant index, the final (outcome, day) once resolved."""
        rng = self.rng
        t, stage = opened, "complaint"
        events: list[tuple[str, str | None, str, int, str | None]] = [
            ("stage_change", None, stage, t, None)
        ]
        periods: list[list[Any]] = []  # [stage, start, end, district, ended_in_judgment]
        out: dict[int, tuple[str, int]] = {}
        active, indicted, verdict = list(range(k)), set(), dict[int, str]()
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
            end = t + rng.randint(*names.STAGES[stage][:2])
            periods.append([stage, t, end, district, False])
            if end > REF:
                break
            t = end
            if rng.random() < 0.03 and (new := rng.choice(DISTRICTS)) != district:
                district = new  # shortly before the next decision, never on the same day
                events.append(("transferred", stage, stage, t - rng.randint(1, 14), new))
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
                    if (r := rng.random()) < 0.38:
                        resolve(
                            [d], "dismissed" if r < 0.33 else "withdrawn" if r < 0.36 else "plea"
                        )
                if active:
                    move("trial")
            elif stage == "trial":
                periods[-1][4] = True
                move("first_instance_judgment", "judgment")
                verdict = {
                    d: self.pick(CONVICTIONS) if rng.random() < conviction_rate else "acquitted"
                    for d in active
                }
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
        return {
            "events": events,
            "periods": periods,
            "out": out,
            "indicted": indicted,
            "formalized": formalized,
            "district": district,
        }

    def hearings(self, case_id: uuid.UUID, period: list[Any], trial_court: str, k: int) -> None:
        """The hearings of one stage period, with postponement chains; those after
        REFERENCE_DATE are scheduled only (no result yet)."""
        rng = self.rng
        stage, a, b, district, judged = period
        _, _, court_key, kind, lo, hi = names.STAGES[stage]
        if kind is None:
            return
        # Hearings are before a judge, also while the prosecutor investigates.
        court_key = {"trial": trial_court, "prosecutor": "investigation"}.get(court_key, court_key)
        court = self.court[district, court_key]
        n = rng.randint(lo, hi) + (k if stage == "trial" else 0)
        limit = b if b <= REF else HORIZON
        for x in sorted(rng.randint(a, max(a, min(b, HORIZON) - 1)) for _ in range(n)):
            for _ in range(6):
                if (x := _weekday(x)) >= limit:
                    break
                if x > REF:
                    self.hearing(case_id, x, court, kind, None)
                    break
                nxt = _weekday(x + rng.randint(14, 75))
                if rng.random() < POSTPONED and nxt < limit:
                    self.hearing(case_id, x, court, kind, "postponed", nxt)
                    x = nxt
                    continue
                r = rng.random()  # a few past hearings have no result recorded: overdue
                self.hearing(
                    case_id,
                    x,
                    court,
                    kind,
                    None if r < 0.03 else "cancelled" if r < 0.06 else "held",
                )
                break
        if judged:
            self.hearing(case_id, b, court, names.FINAL_HEARING[stage], "judgment")

    def hearing(
        self,
        case_id: uuid.UUID,
        o: int,
        court: uuid.UUID,
        kind: str,
        result: str | None,
        nxt: int | None = None,
    ) -> None:
        rng = self.rng
        timed = rng.random() < 0.9
        at = time(rng.randint(8, 16), rng.choice((0, 30))) if timed else time()
        self.add(
            "hearing",
            case_id=case_id,
            court_id=court,
            hearing_type=kind,
            result=result,
            scheduled_at=datetime.combine(date.fromordinal(o), at),
            scheduled_precision="time" if timed else "day",
            next_date=_day(nxt),
            postponement_reason=self.pick(REASONS) if result == "postponed" else None,
        )

    def measures(
        self,
        case_id: uuid.UUID,
        defendant: uuid.UUID,
        opened: int,
        floor: int,
        until: int,
        mass: bool,
        court: uuid.UUID,
    ) -> None:
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
            annulled = (
                o + rng.randint(20, months * 30 - 1)
                if months and kind == "pretrial_detention" and rng.random() < 0.3
                else None
            )
            annulled = annulled if annulled and annulled <= REF else None
            self.add(
                "measure",
                case_id=case_id,
                defendant_id=defendant,
                kind=kind,
                ordered_on=ordered,
                ordered_on_precision=prec,
                duration_months=months,
                ends_on=_day(ends),
                ends_on_precision="day" if ends else "unknown",
                annulled_on=_day(annulled),
                annulled_on_precision="day" if annulled else "unknown",
            )

    def case(self, seq: int) -> None:
        """One case with its parties, charges, complainants, hearings, measures and events."""
        rng = self.rng
        mass = rng.random() < MASS_SHARE
        ctx = self.context() if mass or rng.random() < 0.2 else None
        compl = [self.pick(self.compl_w)]
        if rng.random() < 0.2 and (other := self.pick(self.compl_w)) != compl[0]:
            compl.append(other)
        if ctx:
            context, region, prov, day = ctx
            opened = min(REF, day + rng.randint(0, 400))
        else:  # most cases happen where their main complainant operates
            context, home = None, compl[0][1]
            region, prov = (
                (home, rng.choice(names.REGIONS[home][1]))
                if home and rng.random() < 0.7
                else self.region()
            )
            opened = self.day_in(self.pick(YEARS))
        opened_on, opened_prec = self.precise(opened, 0, 0.1, 0.04)
        floor = opened_on.toordinal()
        district0 = names.PROVINCE_DISTRICT.get(prov, region)
        defs = self.defendants(region, mass)
        plan = [self.charge_types() for _ in defs]
        sim = self.proceed(opened, len(defs), district0)
        events, out, district = sim["events"], sim["out"], sim["district"]
        case_id = self.uid()
        trial_court = "collegiate" if mass or rng.random() < 0.3 else "single"
        for period in sim["periods"]:
            self.hearings(case_id, period, trial_court, len(defs))
        since = {"case_id": case_id, "start_date": opened_on, "start_date_precision": opened_prec}
        used: list[tuple[uuid.UUID, str | None]] = []  # complainants named on charges
        for di, d in enumerate(defs):
            code, when = out.get(di, (None, None))
            end = self.precise(when, floor, 0.05, 0.0) if when else (None, "unknown")
            self.add(
                "case_party",
                actor_id=self.def_ids[d],
                role="defendant",
                end_date=end[0],
                end_date_precision=end[1],
                **since,
            )
            self.measures(
                case_id,
                self.def_ids[d],
                opened,
                floor,
                min(REF, when or REF),
                mass,
                self.court[district0, "investigation"],
            )
            for ci, ctype in enumerate(plan[di]):
                self.charge(
                    case_id,
                    self.def_ids[d],
                    ctype,
                    ci,
                    code,
                    when,
                    opened,
                    floor,
                    sim,
                    di in sim["indicted"],
                    mass,
                    compl,
                    used,
                )
        parties = [(c, "complainant") for c, _ in used]
        if rng.random() < 0.85:
            lawyers = {self.pick(self.lawyer_w) for _ in range(2 if mass else 1)}
            parties += [(a, "defence_lawyer") for a in sorted(lawyers)]
        if rng.random() < 0.8:
            parties.append((rng.choice(self.prosecutors[district0]), "public_prosecutor"))
        if any(e[2] == "intermediate" for e in events):
            parties.append((rng.choice(self.judges[district]), "judge"))
        for actor_id, role in parties:
            self.add("case_party", actor_id=actor_id, role=role, **since)
        last = floor  # the first event opens the case; later ones fall on distinct days,
        for i, (event, frm, to, o, new_district) in enumerate(events):  # stored ones too
            on, prec = self.precise(o, last + 1, 0.08, 0.02) if i else (opened_on, opened_prec)
            last = on.toordinal()
            self.add(
                "stage_change",
                case_id=case_id,
                event=event,
                from_stage=frm,
                to_stage=to,
                on_date=on,
                on_date_precision=prec,
                judicial_district=new_district,
            )
        stage, closed = events[-1][2], len(out) == len(defs)
        closed_on = (
            self.precise(max(w for _, w in out.values()), floor, 0.05, 0.01)
            if closed
            else (None, "unknown")
        )
        court_key = names.STAGES[events[-1][1] if stage in ("closed", "archived") else stage][2]
        number = (
            f"{seq:05d}-{opened_on.year}-0-{DISTRICTS.index(district0) + 1:02d}01-JR-PE-"
            f"{rng.randint(1, 3):02d}"
        )
        label = self.def_label[defs[0]]
        title = (
            f"Caso {context}"
            if ctx and mass
            else f"{label}{' y otros' if len(defs) > 1 else ''}"
            if label
            else f"Expediente {number}"
        )
        self.add(
            "court_case",
            id=case_id,
            case_number=number,
            title=title,
            stage=stage,
            status="closed" if closed else "open",
            court_id=self.court[district, trial_court if court_key == "trial" else court_key],
            judicial_district=district,
            region=region,
            province=prov,
            context=context,
            opened_on=opened_on,
            opened_on_precision=opened_prec,
            closed_on=closed_on[0],
            closed_on_precision=closed_on[1],
            confidentiality="restricted" if label is None or rng.random() < 0.02 else "public",
            summary=f"Proceso penal abierto tras: {context}." if context else None,
        )

    def charge(
        self,
        case_id: uuid.UUID,
        defendant: uuid.UUID,
        ctype: str,
        ci: int,
        code: str | None,
        when: int | None,
        opened: int,
        floor: int,
        sim: dict[str, Any],
        indicted: bool,
        mass: bool,
        compl: list[tuple[uuid.UUID, str | None]],
        used: list[tuple[uuid.UUID, str | None]],
    ) -> None:
        """One charge and its complainants; stacked charges may come at formalization."""
        rng = self.rng
        _, legal, max_months = names.CHARGES[ctype]
        formalized = sim["formalized"]
        filed = (
            formalized
            if formalized and ci > 0 and rng.random() < 0.3 and (when is None or when >= formalized)
            else opened
        )
        filed_on, filed_prec = self.precise(filed, floor, 0.05, 0.02)
        if code in names.CONVICTIONS and ci > 0 and rng.random() < 0.5:
            code = "acquitted"  # convicted of the main charge, acquitted of a stacked one
        outcome = (
            self.precise(when, filed_on.toordinal(), 0.08, 0.03) if when else (None, "unknown")
        )
        requested = (
            rng.randint(max(12, max_months // 3), max_months)
            if indicted and rng.random() < 0.8
            else None
        )
        top = min(180, requested or 180)
        imposed = (
            rng.randint(min(24, top), top)
            if code == "convicted_prison"
            else rng.randint(12, 48)
            if code in ("convicted_suspended", "convicted_disqualification")
            else None
        )
        reparation = (
            float(round(rng.uniform(5_000, 500_000 if rng.random() < 0.9 else 5e6), -3))
            if indicted and rng.random() < 0.5
            else None
        )
        charge_id = self.add(
            "charge",
            case_id=case_id,
            defendant_id=defendant,
            charge_type=ctype,
            legal_reference=legal,
            mode_of_liability="co_author" if mass and rng.random() < 0.5 else self.pick(LIABILITY),
            filed_on=filed_on,
            filed_on_precision=filed_prec,
            status="resolved" if code else "pending",
            outcome=code,
            outcome_on=outcome[0],
            outcome_on_precision=outcome[1],
            sentence_requested_months=requested,
            sentence_requested_kind="prison" if requested else None,
            sentence_imposed_months=imposed,
            sentence_imposed_kind=names.IMPOSED_KIND.get(code or ""),
            reparation_requested=reparation,
            reparation_imposed=float(round(reparation * rng.uniform(0.05, 0.5), -2))
            if reparation and code in names.CONVICTIONS and rng.random() < 0.6
            else None,
            reparation_currency="PEN" if reparation else None,
        )
        for c in compl if len(compl) == 1 or rng.random() < 0.3 else [rng.choice(compl)]:
            self.add("charge_complainant", charge_id=charge_id, actor_id=c[0])
            if c not in used:
                used.append(c)


def generate(
    engine: Engine,
    *,
    scale: str = "S",
    seed: int = 42,
    batch_size: int = 5000,
) -> dict[str, int]:
    """Write a synthetic data set; return the number of rows written per table name.

    ``scale`` is a key of SCALES; the same ``seed`` and ``scale`` give identical rows, ids
    included, whatever ``batch_size`` (rows buffered between two rounds of inserts). It all
    happens in one transaction. The database must not already hold rows of the same seed.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")
    spec = SCALES[scale]
    with engine.begin() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # random UUID keys touch index pages everywhere: give them a big cache
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
        gen = _Generator(spec, seed, conn, batch_size)
        gen.actors()
        gen.courts()
        for seq in range(1, spec.cases + 1):
            gen.case(seq)
            gen.flush()
        gen.flush(force=True)
        counts = dict(gen.counts)
        # Unlike the data, the audit row records when the load really happened.
        conn.execute(
            SQLModel.metadata.tables["audit_log"].insert(),
            [
                {
                    "id": gen.uid(),
                    "at": utcnow(),
                    "username": "demo",
                    "table_name": "*",
                    "row_id": None,
                    "action": "bulk_load",
                    "changes": {"scale": scale, "seed": seed, "rows": counts},
                }
            ],
        )
        revision.bump(conn)  # Core inserts pass no ORM hook: caches must see the new rows
        if sqlite:  # the connection goes back to the pool: leave it as it was
            conn.exec_driver_sql(f"PRAGMA cache_size={int(cache or 0)}")
    return counts | {"audit_log": 1}
