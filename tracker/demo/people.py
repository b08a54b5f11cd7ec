"""People and organizations of the demo data, and the courts they meet in.

:class:`People` draws the actors (defenders' organizations and groups, defenders with their
memberships, complainants, defence lawyers, judges and prosecutors) and the courts of each
judicial district, and keeps them in the pools that cases are drawn from.
"""

from __future__ import annotations

import uuid
from datetime import date
from itertools import accumulate

from sqlalchemy.engine import Connection

from . import names
from .plan import CATEGORIES, DISTRICTS, ROLES, Draws, ScaleSpec, Weighted
from .writer import BulkWriter


class People(Draws):
    """The draws of actors and courts, their pools, and the writer every row goes to."""

    def __init__(self, spec: ScaleSpec, seed: int, conn: Connection, batch_size: int) -> None:
        super().__init__(spec, seed)
        self.out = BulkWriter(conn, batch_size, self.uid)

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
                self.out.add(
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
            self.out.flush()
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
        """A defender of the region drawn, with a confidentiality level and memberships."""
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
        actor_id = self.out.add(
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
                self.out.add(
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
            return self.out.add(
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
        return self.out.add(
            "actor",
            kind="company" if company else "public_body",
            name=pattern.format(p=rng.choice(names.PLACES), v=prov, r=region),
            region=region if local else None,
            province=prov if local else None,
            **common,
        ), region if local else None

    def official(self, role: str, region: str | None) -> uuid.UUID:
        """A lawyer, judge or prosecutor (``role``), described by that role."""
        name, _, gender = self.person()
        return self.out.add(
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
        supreme = self.out.add(
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
                self.court[d, key] = self.out.add(
                    "court", name=f"{name} de {d}", kind=kind, level=level, judicial_district=d
                )
            self.court[d, "supreme"] = supreme
