"""Cases of the demo data with their parties and charges.

:class:`Cases` draws each case: its protest or conflict, where and when it opened, its
defendants and the charges stacked against each, its complainants, lawyers, prosecutor and
judge; the proceedings (:mod:`.proceedings`) give its court events, hearings and measures.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import Connection

from . import names
from .plan import (
    CHARGES,
    DISTRICTS,
    LIABILITY,
    MASS_SHARE,
    MAX_CHARGES,
    REF,
    YEARS,
    ScaleSpec,
)
from .proceedings import Proceedings


class Cases(Proceedings):
    """The whole generator of one generate() call: actors and courts first, then case by case."""

    def __init__(self, spec: ScaleSpec, seed: int, conn: Connection, batch_size: int) -> None:
        super().__init__(spec, seed, conn, batch_size)
        self.contexts: list[tuple[str, str, str, int]] = []

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
            self.out.add(
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
            self.out.add("case_party", actor_id=actor_id, role=role, **since)
        last = floor  # the first event opens the case; later ones fall on distinct days,
        for i, (event, frm, to, o, new_district) in enumerate(events):  # stored ones too
            on, prec = self.precise(o, last + 1, 0.08, 0.02) if i else (opened_on, opened_prec)
            last = on.toordinal()
            self.out.add(
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
        court_key = names.STAGES[events[-1][1] if stage == "closed" else stage][2]
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
        self.out.add(
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
        charge_id = self.out.add(
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
            self.out.add("charge_complainant", charge_id=charge_id, actor_id=c[0])
            if c not in used:
                used.append(c)
