"""FollowTheMoney entities as JSON lines, for Aleph (mapping: DATA_MODEL.md).

One object per line, ``{"id", "schema", "properties": {name: [strings]}}``. Ids are stable:
"tracker-" + the row's UUID (a hearing's link adds "-case"), so a re-export updates the same
entities in Aleph. Mapping: case -> CourtCase (charge types in ``keywords``); case_party ->
CourtCaseParty (a defendant's charges summarised in ``description``); actor -> Person,
Organization, Company or PublicBody (a group -> Organization); membership -> Membership;
hearing -> Event, tied to its case by an UnknownLink with role "hearing"; source -> Document
and each citation -> Documentation (a citation of a charge, measure, court event or party
documents its case; of a membership, its member). Synthetic rows carry a ``notes`` line saying so. Privacy comes from exports.rows.

The followthemoney package is not used: it pulls dozens of dependencies; the format is small.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from .. import dates
from ..gc_pause import without_gc
from ..i18n import t
from . import ExportOptions
from .labels import Labels
from .rows import read_rows

__all__ = ["ENTITY_PROPERTIES", "entity_id", "export_ftm"]

SCHEMA_OF_KIND = {
    "person": "Person",
    "organization": "Organization",
    "company": "Company",
    "public_body": "PublicBody",
    "group": "Organization",
}
# Properties whose values are ids of other entities in the file, by schema.
ENTITY_PROPERTIES = {
    "CourtCaseParty": ("case", "party"),
    "UnknownLink": ("subject", "object"),
    "Documentation": ("document", "entity"),
    "Membership": ("member", "organization"),
    "Event": ("involved",),
}
_CASE_CHILDREN = ("charge", "measure", "stage_change")


def entity_id(row_id: uuid.UUID | str, suffix: str = "") -> str:
    """The stable FtM id of a tracker row."""
    return f"tracker-{row_id}{suffix}"


def _entity(key: str, schema: str, /, **properties: Any) -> dict[str, Any]:
    """An FtM entity; empty values are dropped and every value becomes a list of strings."""
    props: dict[str, list[str]] = {}
    for name, value in properties.items():
        values = value if isinstance(value, list | tuple) else [value]
        strings = [str(v) for v in values if v is not None and str(v).strip()]
        if strings:
            props[name] = strings
    return {"id": key, "schema": schema, "properties": props}


def _date(row: dict[str, Any], column: str, precision: str | None = None) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    prec = row.get(precision or f"{column}_precision", "day")
    if isinstance(value, datetime) and prec == "time":
        return value.strftime("%Y-%m-%dT%H:%M")
    return dates.format_partial(value, prec) or None


class _Mapper:
    def __init__(self, data: dict[str, list[dict[str, Any]]], labels: Labels) -> None:
        self.data, self.labels, self.lang = data, labels, labels.lang
        self.courts = {r["id"]: r["name"] for r in data["court"]}
        self.cases = {r["id"]: r for r in data["court_case"]}
        self.actors = {r["id"]: r for r in data["actor"]}
        self.charges_by_party: dict[tuple[Any, Any], list[str]] = defaultdict(list)
        self.charge_types: dict[Any, list[str]] = defaultdict(list)
        for charge in data["charge"]:
            label = labels.term("charge_type", charge["charge_type"])
            outcome = labels.term("outcome", charge["outcome"]) if charge["outcome"] else None
            when = _date(charge, "outcome_on")
            text = label + (f" ({outcome}{', ' + when if when else ''})" if outcome else "")
            self.charges_by_party[charge["case_id"], charge["defendant_id"]].append(text)
            if label not in self.charge_types[charge["case_id"]]:
                self.charge_types[charge["case_id"]].append(label)

    def synthetic(self, row: dict[str, Any]) -> str | None:
        return t("export.ftm.synthetic", lang=self.lang) if row.get("is_synthetic") else None

    def entities(self) -> Iterator[dict[str, Any]]:
        term, data = self.labels.term, self.data
        for actor in data["actor"]:
            yield _entity(
                entity_id(actor["id"]),
                SCHEMA_OF_KIND.get(actor["kind"], "LegalEntity"),
                name=actor["name"],
                alias=actor.get("aliases") or [],
                idNumber=actor.get("id_number"),
                country=actor["country"].lower(),
                description=actor.get("description"),
                gender=actor.get("gender") if actor["kind"] == "person" else None,
                birthDate=_date(actor, "birth_date") if actor["kind"] == "person" else None,
                address=", ".join(
                    p
                    for p in (actor.get("district"), actor.get("province"), actor.get("region"))
                    if p
                )
                or None,
                keywords=[term("rights_defended", c) for c in actor.get("rights_defended") or []]
                + ([t("export.ftm.defender", lang=self.lang)] if actor["is_defender"] else []),
                notes=self.synthetic(actor),
            )
        for m in data["membership"]:
            yield _entity(
                entity_id(m["id"]),
                "Membership",
                member=entity_id(m["member_id"]),
                organization=entity_id(m["organization_id"]),
                role=m["role"],
                startDate=_date(m, "start_date"),
                endDate=_date(m, "end_date"),
                notes=self.synthetic(m),
            )
        for case in data["court_case"]:
            yield _entity(
                entity_id(case["id"]),
                "CourtCase",
                name=case["title"],
                caseNumber=case["case_number"],
                court=self.courts.get(case["court_id"]),
                type=term("case_type", case["case_type"]),
                status=t(f"status.{case['status']}", lang=self.lang),
                category=term("stage", case["stage"]),
                fileDate=_date(case, "opened_on"),
                closeDate=_date(case, "closed_on"),
                country=case["country"].lower(),
                summary=case.get("summary"),
                keywords=sorted(self.charge_types.get(case["id"], [])),
                address=", ".join(p for p in (case.get("province"), case.get("region")) if p)
                or None,
                notes=[self.synthetic(case), case.get("context")],
            )
        for party in data["case_party"]:
            charges = sorted(self.charges_by_party.get((party["case_id"], party["actor_id"]), []))
            yield _entity(
                entity_id(party["id"]),
                "CourtCaseParty",
                case=entity_id(party["case_id"]),
                party=entity_id(party["actor_id"]),
                role=term("party_role", party["role"]),
                status=party.get("status"),
                startDate=_date(party, "start_date"),
                endDate=_date(party, "end_date"),
                description=t("export.ftm.charges", lang=self.lang, charges="; ".join(charges))
                if charges
                else None,
                notes=[self.synthetic(party), party.get("notes")],
            )
        yield from self.hearings()
        yield from self.documentation()

    def hearings(self) -> Iterator[dict[str, Any]]:
        term = self.labels.term
        defendants: dict[Any, list[str]] = defaultdict(list)
        for party in self.data["case_party"]:
            if party["role"] == "defendant":
                defendants[party["case_id"]].append(entity_id(party["actor_id"]))
        for h in self.data["hearing"]:
            case = self.cases[h["case_id"]]
            kind = term("hearing_type", h["hearing_type"])
            result = term("hearing_result", h["result"]) if h["result"] else None
            yield _entity(
                entity_id(h["id"]),
                "Event",
                name=f"{kind}: {case['title']}",
                date=_date(h, "scheduled_at", "scheduled_precision"),
                summary=" · ".join(
                    p for p in (result, term("postponement_reason", h["postponement_reason"])) if p
                )
                or None,
                location=self.courts.get(h["court_id"]) or self.courts.get(case["court_id"]),
                country=case["country"].lower(),
                involved=defendants.get(h["case_id"], []),
                description=h.get("notes"),
                notes=self.synthetic(h),
            )
            yield _entity(
                entity_id(h["id"], "-case"),
                "UnknownLink",
                subject=entity_id(h["id"]),
                object=entity_id(h["case_id"]),
                role=t("export.ftm.hearing", lang=self.lang),
                notes=self.synthetic(h),
            )

    def documentation(self) -> Iterator[dict[str, Any]]:
        data = self.data
        # Documentation.entity must be a Thing: links (parties, memberships) document the
        # case or the member they belong to.
        things = {r["id"] for name in ("actor", "court_case", "hearing") for r in data[name]}
        owner = {r["id"]: r["case_id"] for name in _CASE_CHILDREN for r in data[name]}
        owner.update({r["id"]: r["case_id"] for r in data["case_party"]})
        owner.update({r["id"]: r["member_id"] for r in data["membership"]})
        for source in data["source"]:
            yield _entity(
                entity_id(source["id"]),
                "Document",
                title=source["title"],
                name=source["title"],
                publisher=source.get("publisher"),
                sourceUrl=source.get("url"),
                publishedAt=_date(source, "published_on"),
                summary=source.get("notes"),
                notes=self.synthetic(source),
            )
        for cite in data["citation"]:
            target = cite["row_id"]
            target = target if target in things else owner.get(target)
            if target is None:
                continue  # a court: FtM has it only as a case's court name
            yield _entity(
                entity_id(cite["id"]),
                "Documentation",
                document=entity_id(cite["source_id"]),
                entity=entity_id(target),
                role=cite.get("supports"),
                notes=self.synthetic(cite),
            )


@without_gc
def export_ftm(engine: Engine, out: Path, options: ExportOptions) -> int:
    """Write FtM entities as JSON lines to ``out``; return the number of entities."""
    data = read_rows(engine, options)
    mapper = _Mapper(data, Labels.load(engine, options.lang))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for entity in mapper.entities():
            fh.write(json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
