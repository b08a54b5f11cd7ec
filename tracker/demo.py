"""Deterministic synthetic data for demos and load tests (every row has is_synthetic = True).

``generate(engine, scale="M", seed=42)`` writes actors, courts and cases with their parties,
charges, hearings, measures and court events, shaped like the documented prosecutions of
defenders in Peru: a few complainants bring most cases, mass prosecutions follow protests,
charges are stacked, proceedings drag on for years and mostly end without a conviction.

One ``random.Random(seed)`` drives everything, ids included, and "today" is REFERENCE_DATE, so a
seed and a scale give the same rows on any day and on SQLite and PostgreSQL alike. Rows are
plain dicts written with Core executemany, case batch by case batch, in one transaction:
the ORM would be two orders of magnitude slower, and batching keeps memory flat at scale L.
"""

from __future__ import annotations

import itertools
import random
import uuid
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine

from . import demo_names as N
from .models import (
    Actor, AuditLog, Case, CaseParty, Charge, ChargeComplainant, Court, Hearing, Measure,
    Membership, StageChange, utcnow,
)

REFERENCE_DATE = date(2026, 6, 30)
# Timestamp for created_at/updated_at: fixed, so that reruns give identical rows.
STAMP = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
REF = REFERENCE_DATE.toordinal()
HORIZON = REF + 730  # future hearings are scheduled up to two years ahead
START = date(2008, 1, 1).toordinal()
CASES_PER_BATCH = 1000
MASS_SHARE = 0.06  # share of cases that are mass prosecutions (5-40 defendants)
MEAN_DEFENDANTS = 0.94 * 1.85 + MASS_SHARE * (5 + 35 / 3)  # expectation of _n_defendants()
# Days spent in each stage before the next decision, (min, max).
DURATION = {
    "complaint": (15, 120), "preliminary_investigation": (180, 1080),
    "preparatory_investigation": (180, 900), "intermediate": (90, 540), "trial": (90, 720),
    "first_instance_judgment": (30, 240), "appeal": (120, 600), "cassation": (240, 900),
}
POSTPONE_REASONS = ("absent_judge", "absent_prosecutor", "absent_defendant", "strike", "other")
CONVICTIONS = ("convicted_suspended", "convicted_prison", "convicted_fine",
               "convicted_disqualification")
RIGHTS = ("land_territory", "environment", "indigenous_rights", "womens_rights",
          "freedom_of_expression", "labour", "sexual_reproductive_rights", "lgbti_rights", "other")
RIGHTS_W = (30, 28, 18, 8, 6, 5, 2, 1, 2)
ROLES = ("community_leader", "peasant_farmer", "activist", "authority", "journalist", "lawyer",
         "other")
ROLES_W = (35, 25, 15, 10, 5, 4, 6)
LIABILITY = ("author", "co_author", "instigator", "indirect_author", "accomplice", "unknown")
LIABILITY_W = (40, 30, 8, 5, 5, 12)
# Complainant categories drawn for the long tail (the top complainants are fixed below).
CATEGORY = ("private_individual", "company_mining", "police", "local_authority",
            "public_prosecutor", "company_energy", "company_agribusiness", "private_security",
            "company_other", "state_attorney", "national_authority")
CATEGORY_W = (30, 14, 12, 10, 10, 6, 4, 4, 4, 3, 1)
TOP_CATEGORIES = ("state_attorney", "company_mining", "police", "company_mining",
                  "public_prosecutor", "company_energy", "local_authority", "company_mining")
PERSON_ROLE_DESC = {"lawyer": "Abogado/a defensor/a", "judge": "Juez/a", "prosecutor": "Fiscal"}


@dataclass(frozen=True)
class ScaleSpec:
    """Target sizes of a scale: cases, actors and charges drive the draws; hearings follow."""

    cases: int
    actors: int
    charges: int
    hearings: int


SCALES: dict[str, ScaleSpec] = {
    "S": ScaleSpec(cases=200, actors=600, charges=1_200, hearings=3_000),
    "M": ScaleSpec(cases=10_000, actors=30_000, charges=60_000, hearings=150_000),
    "L": ScaleSpec(cases=100_000, actors=300_000, charges=1_000_000, hearings=1_500_000),
}
TABLES: tuple[Table, ...] = tuple(
    m.__table__  # type: ignore[attr-defined]
    for m in (Actor, Membership, Court, Case, CaseParty, Charge, ChargeComplainant, Hearing,
              Measure, StageChange)
)


def _template(table: Table) -> dict[str, Any]:
    """Every column of ``table`` with its scalar default (None otherwise): executemany needs
    the same keys in every row, and Core does not run SQLModel's default factories."""
    row: dict[str, Any] = {}
    for col in table.columns:
        default = col.default
        row[col.name] = getattr(default, "arg", None) if default is not None and \
            default.is_scalar else None
    row.update({"created_at": STAMP, "updated_at": STAMP, "version_id": 1, "is_synthetic": True})
    return {k: v for k, v in row.items() if k in table.columns}


def _zipf(n: int, s: float) -> list[float]:
    """Cumulative Zipf weights over n ranks (a few items get most of the draws)."""
    return list(itertools.accumulate(1 / (i + 1) ** s for i in range(n)))


def _district(province: str, region: str) -> str:
    return N.PROVINCE_DISTRICT.get(province, region)


class _Generator:
    """Holds the random stream, the actor pools and the row buffers of one generate() call."""

    def __init__(self, spec: ScaleSpec, seed: int) -> None:
        self.spec, self.rng = spec, random.Random(seed)
        self.tpl = {t.name: _template(t) for t in TABLES}
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self.regions = list(N.REGIONS)
        self.region_cum = list(itertools.accumulate(w for w, _ in N.REGIONS.values()))
        self.districts = sorted({_district(p, r) for r, (_, ps) in N.REGIONS.items() for p in ps})
        self.charge_types = list(N.CHARGES)
        self.charge_cum = list(itertools.accumulate(w for w, _, _ in N.CHARGES.values()))
        self.years = list(N.YEAR_WEIGHTS)
        self.year_cum = list(itertools.accumulate(N.YEAR_WEIGHTS.values()))
        self.contexts: list[tuple[str, str, str, int]] = []
        self.case_seq = 0
        # Mean extra charges per defendant so that charges/cases matches the spec.
        self.extra_charges = max(0.0, spec.charges / spec.cases / MEAN_DEFENDANTS - 1)

    # -- small draws -------------------------------------------------------------------------
    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def add(self, table: str, **values: Any) -> uuid.UUID:
        row = {**self.tpl[table], **values}
        if "id" not in values:
            row["id"] = self.uid()
        self.rows[table].append(row)
        return row["id"]  # type: ignore[no-any-return]

    def pick(self, items: Sequence[Any], cum: list[float]) -> Any:
        return items[bisect(cum, self.rng.random() * cum[-1])]

    def region(self) -> tuple[str, str]:
        region = self.pick(self.regions, self.region_cum)
        return region, self.rng.choice(N.REGIONS[region][1])

    def precise(self, o: int, floor: int, p_month: float = 0.12, p_year: float = 0.04,
                ) -> tuple[date, str]:
        """A date with a drawn precision, stored as the first day of its period, but never
        before ``floor`` (then the day itself is kept) so that date order checks hold."""
        d, r = date.fromordinal(o), self.rng.random()
        if r < p_year:
            t, prec = d.replace(month=1, day=1), "year"
        elif r < p_year + p_month:
            t, prec = d.replace(day=1), "month"
        else:
            return d, "day"
        return (t, prec) if t.toordinal() >= floor else (d, "day")

    def person_name(self) -> tuple[str, str, str]:
        rng = self.rng
        gender = "female" if rng.random() < 0.45 else "male" if rng.random() < 0.98 else \
            "non_binary"
        firsts = N.FIRST_NAMES_F if gender == "female" else N.FIRST_NAMES_M
        first = rng.choice(firsts)
        if rng.random() < 0.35:
            first += " " + rng.choice(firsts)
        return f"{first} {rng.choice(N.LAST_NAMES)} {rng.choice(N.LAST_NAMES)}", first, gender

    # -- actors and courts -------------------------------------------------------------------
    def actors(self) -> None:
        """Organizations, defenders, complainants, lawyers, judges and prosecutors."""
        rng, n = self.rng, self.spec.actors
        n_org, n_compl, n_law = max(5, n * 3 // 100), max(10, n * 4 // 100), max(5, n * 3 // 100)
        n_off = max(len(self.districts), n * 3 // 100)
        n_def = n - n_org - n_compl - n_law - 2 * n_off
        self.orgs_by_region: dict[str, list[uuid.UUID]] = {r: [] for r in self.regions}
        for _ in range(n_org):
            region, prov = self.region()
            group = rng.random() < 0.5
            pattern = rng.choice(N.GROUP_PATTERNS if group else N.ORG_PATTERNS)
            self.orgs_by_region[region].append(self.add(
                "actor", kind="group" if group else "organization", is_defender=True,
                name=pattern.format(p=rng.choice(N.PLACES), v=prov, r=region),
                region=region, province=prov, rights_defended=self.rights(), aliases=[]))
        self.def_ids: list[uuid.UUID] = []
        self.def_label: list[str | None] = []  # name for titles, None when not public
        self.def_by_region: dict[str, list[int]] = {r: [] for r in self.regions}
        for i in range(n_def):
            self.defender(i)
        self.compl: list[tuple[uuid.UUID, str | None]] = [
            self.complainant(TOP_CATEGORIES[i] if i < len(TOP_CATEGORIES)
                             else self.pick(CATEGORY, list(itertools.accumulate(CATEGORY_W))))
            for i in range(n_compl)]
        self.compl_cum = _zipf(n_compl, 1.1)
        self.lawyers = [self.official("lawyer", self.region()[0]) for _ in range(n_law)]
        self.lawyer_cum = _zipf(n_law, 0.8)
        self.judges: dict[str, list[uuid.UUID]] = {d: [] for d in self.districts}
        self.prosecutors: dict[str, list[uuid.UUID]] = {d: [] for d in self.districts}
        for i in range(n_off):
            d = self.districts[i % len(self.districts)]
            self.judges[d].append(self.official("judge", None))
            self.prosecutors[d].append(self.official("prosecutor", None))

    def rights(self) -> list[str]:
        cum = list(itertools.accumulate(RIGHTS_W))
        return sorted({self.pick(RIGHTS, cum) for _ in range(self.rng.choice((1, 1, 2, 3)))})

    def defender(self, i: int) -> None:
        rng = self.rng
        region, prov = self.region()
        name, first, gender = self.person_name()
        r = rng.random()
        conf = "confidential" if r < 0.05 else "restricted" if r < 0.10 else "public"
        born = date(rng.randint(1950, 2002), rng.randint(1, 12), rng.randint(1, 28))
        r = rng.random()
        birth = (born, "day") if r < 0.5 else (born.replace(month=1, day=1), "year") \
            if r < 0.75 else (None, "unknown")
        alias = [f"{'Mama' if gender == 'female' else 'Tayta'} {first.split()[0]}"] \
            if rng.random() < 0.05 else []
        actor_id = self.add(
            "actor", kind="person", name=name, aliases=alias, gender=gender,
            birth_date=birth[0], birth_date_precision=birth[1], region=region, province=prov,
            is_defender=True, rights_defended=self.rights(),
            defender_role=self.pick(ROLES, list(itertools.accumulate(ROLES_W))),
            confidentiality=conf, consent_to_publish=conf == "public" and rng.random() < 0.7,
            pseudonym=f"Defensor/a {sum(1 for _ in range(0)) + i + 1:04d}"
            if conf == "confidential" else None)
        self.def_ids.append(actor_id)
        self.def_label.append(name if conf == "public" else None)
        self.def_by_region[region].append(i)
        orgs = self.orgs_by_region[region]
        if orgs and rng.random() < 0.55:
            for org in rng.sample(orgs, min(len(orgs), 1 if rng.random() < 0.85 else 2)):
                start = date(rng.randint(1995, 2022), 1, 1)
                self.add("membership", member_id=actor_id, organization_id=org,
                         role=rng.choice(N.MEMBERSHIP_ROLES), start_date=start,
                         start_date_precision="year")

    def complainant(self, category: str) -> tuple[uuid.UUID, str | None]:
        rng = self.rng
        region, prov = self.region()
        if category == "private_individual":
            name, _, gender = self.person_name()
            return self.add("actor", kind="person", name=name, gender=gender, region=region,
                            province=prov, complainant_category=category, aliases=[],
                            rights_defended=[]), region
        if category in N.COMPANY_PATTERNS:
            kind, pattern = "company", rng.choice(N.COMPANY_PATTERNS[category])
        else:
            kind, pattern = "public_body", rng.choice(N.PUBLIC_BODY_PATTERNS[category])
        local = "{v}" in pattern or "{r}" in pattern or kind == "company"
        return self.add(
            "actor", kind=kind, name=pattern.format(p=rng.choice(N.PLACES), v=prov, r=region),
            region=region if local else None, province=prov if local else None,
            complainant_category=category, aliases=[], rights_defended=[],
        ), region if local else None

    def official(self, role: str, region: str | None) -> uuid.UUID:
        name, _, gender = self.person_name()
        return self.add("actor", kind="person", name=name, gender=gender, region=region,
                        description=PERSON_ROLE_DESC[role], aliases=[], rights_defended=[])

    def courts(self) -> None:
        """Per judicial district: the prosecutor's office and the courts of each stage."""
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
