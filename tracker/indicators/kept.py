"""The kept rows of each unit table as SQL subqueries, and the groups each unit is in.

The SQL side of :mod:`tracker.indicators.aggregate`: the same selection as
:func:`tracker.network_data.load` (filters, restricted records left out) written as
subqueries, so aggregates run over exactly the rows ``load`` would read, and the group keys
of ``tracker.indicators._key_function`` written as SQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.engine import Connection, Engine

from .. import privacy
from ..network_data import ActorRow, Filters, Selection
from ..network_data.read import _a, _a_t, _case, _cc, _ch, _ev, _hear, _meas, _meas_t, _party, _voc
from .outcomes import CONVICTION, OUTCOME_CLASS, PENDING, UNFOUNDED, outcome_class

__all__ = ["CASE_LEVEL", "UNKNOWN", "KeptRows", "count_if"]

UNKNOWN = ""  # the group of units whose region, year or court is not known
# Groupings a unit is in through its case (its case's complainants, charge types, region).
CASE_LEVEL = ("complainant", "charge_type", "region")


def count_if(condition: Any) -> Any:
    """SQL: how many rows of the group meet ``condition`` (0, not NULL, for none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class KeptRows:
    """Subqueries of the kept charges, complainant links, cases, defendant parties,
    hearings, measures and court events of one filter set and visibility.

    ``links`` must be joined to ``charges``: alone it also holds links of charges that are
    not kept.

    Attributes:
        q: the :class:`Selection` (filters and visibility) of network_data.
        outcome_classes: outcome code -> class, for every code the vocabulary knows.
    """

    def __init__(self, engine: Engine, filters: Filters, show_confidential: bool) -> None:
        self.engine = engine
        self.sqlite = engine.dialect.name == "sqlite"
        self.q = Selection(filters, show_confidential)
        with engine.connect() as conn:
            parents: dict[str, str | None] = dict(
                conn.execute(
                    select(_voc.code, _voc.parent_code).where(_voc.vocabulary == "outcome")
                ).all()
            )
        codes = sorted(set(parents) | set(OUTCOME_CLASS))
        self.outcome_classes = {code: outcome_class(code, parents) for code in codes}
        self._build()

    # --- dialect helpers ---------------------------------------------------------------------

    def date_text(self, column: Any) -> Any:
        """A date as "YYYY-MM-DD" text (SQLite keeps it so; PostgreSQL formats it)."""
        if self.sqlite:
            return type_coerce(column, String)
        return func.to_char(column, "YYYY-MM-DD")

    def year(self, column: Any) -> Any:
        """The year of a date or timestamp, as text ("2019"), like str(d.year)."""
        if self.sqlite:
            return cast(cast(func.strftime("%Y", column), Integer), String)
        return cast(cast(func.extract("year", column), Integer), Text)

    def id_text(self, column: Any) -> Any:
        """An id column as 32 hex digits, the form ids take in Python here."""
        if self.sqlite:
            return type_coerce(column, String)
        return func.replace(cast(column, Text), "-", "")

    # --- the kept rows -----------------------------------------------------------------------

    def _build(self) -> None:
        q = self.q
        unfounded = [c for c, k in self.outcome_classes.items() if k == UNFOUNDED]
        convicted = [c for c, k in self.outcome_classes.items() if k == CONVICTION]
        cls = case(
            (_ch.outcome.in_(unfounded), literal(UNFOUNDED)),
            (_ch.outcome.in_(convicted), literal(CONVICTION)),
            else_=literal(PENDING),
        )
        self.charges = (
            select(
                _ch.id, _ch.case_id, _ch.defendant_id, _ch.charge_type, _ch.filed_on,
                _ch.filed_on_precision, _ch.outcome, _ch.outcome_on, _ch.outcome_on_precision,
                _ch.sentence_requested_months.label("asked"),
                _ch.sentence_imposed_months.label("imposed"), cls.label("cls"),
            )
            .where(*q.kept_charge())
            .subquery("k_charge")
        )  # fmt: skip
        # Links by a visible complainant (of the chosen categories). Every use joins them to
        # the kept charges, which is what keeps a link only when its charge is: an IN list
        # of the kept charges here doubled the time of each statement at scale L.
        links = select(_cc.id, _cc.charge_id, _cc.actor_id).where(*q.visible_id(_cc.actor_id))
        if q.f.complainant_categories:
            links = links.where(
                _cc.actor_id.in_(select(_a.id).where(*q.complainant_ok(_a_t)).correlate(None))
            )
        self.links = links.subquery("k_link")
        self.cases = (
            select(
                _case.id, _case.title, _case.region, _case.court_id, _case.opened_on,
                _case.opened_on_precision, _case.is_synthetic,
            )
            .where(*q.case_ok())
            .subquery("k_case")
        )  # fmt: skip
        self.parties = (
            select(_party.case_id, _party.actor_id)
            .where(
                _party.role == "defendant",
                *q.kept_case(_party.case_id),
                *q.visible_id(_party.actor_id),
            )
            .subquery("k_party")
        )
        self.hearings = (
            select(_hear.id, _hear.case_id, _hear.court_id, _hear.scheduled_at, _hear.result)
            .where(*q.kept_case(_hear.case_id))
            .subquery("k_hearing")
        )
        self.events = (
            select(_ev.case_id, _ev.event).where(*q.kept_case(_ev.case_id)).subquery("k_event")
        )
        self.measures = self._measures()

    def _measures(self) -> Any:
        """Kept measures, each with ``detention`` (1 for a pre-trial detention) and ``hit``
        (1 when detention_annulled counts it: annulled, or the defendant's charges in the
        case all ended without a conviction)."""
        ch = self.charges
        own = (
            select(
                ch.c.case_id, ch.c.defendant_id, func.count().label("n"),
                count_if(ch.c.cls == UNFOUNDED).label("unfounded"),
            )
            .group_by(ch.c.case_id, ch.c.defendant_id)
            .subquery("own")
        )  # fmt: skip
        detention = _meas.kind == "pretrial_detention"
        hit = and_(
            detention,
            or_(_meas.annulled_on.isnot(None), and_(own.c.n > 0, own.c.unfounded == own.c.n)),
        )
        own_charges = and_(own.c.case_id == _meas.case_id, own.c.defendant_id == _meas.defendant_id)
        return (
            select(
                _meas.id, _meas.case_id, _meas.ordered_on,
                case((detention, 1), else_=0).label("detention"),
                case((hit, 1), else_=0).label("hit"),
            )
            .select_from(_meas_t.outerjoin(own, own_charges))
            .where(*self.q.kept_case(_meas.case_id), *self.q.visible_id(_meas.defendant_id))
            .subquery("k_measure")
        )  # fmt: skip

    def source(self, unit: str) -> Any:
        """The subquery of a unit: charge, case, hearing or measure."""
        return {"charge": self.charges, "case": self.cases, "hearing": self.hearings,
                "measure": self.measures}[unit]  # fmt: skip

    def actors(self, conn: Connection) -> dict[str, ActorRow]:
        """Every actor this viewer may see, named as they may see it (one read of the
        table: an IN list of 100,000 ids is no quicker than a set lookup here)."""
        q = self.q
        stmt = select(
            self.id_text(_a.id), privacy.name_column(show_confidential=q.show), _a.kind,
            _a.is_defender, _a.complainant_category, _a.region, _a.is_synthetic,
        ).where(*q.visible_id(_a.id))  # fmt: skip
        return {row[0]: ActorRow(*row) for row in conn.execute(stmt)}

    # --- groups ------------------------------------------------------------------------------

    def case_keys(self, group_by: str) -> Any:
        """SQL of (case_id, key): the groups of a grouping in CASE_LEVEL each case is in."""
        ch, cases = self.charges, self.cases
        if group_by == "complainant":
            link = self.links
            stmt = (
                select(ch.c.case_id, self.id_text(link.c.actor_id).label("key"))
                .join_from(ch, link, link.c.charge_id == ch.c.id)
                .distinct()
            )
        elif group_by == "charge_type":
            stmt = select(ch.c.case_id, ch.c.charge_type.label("key")).distinct()
        elif group_by == "region":
            region = func.coalesce(cases.c.region, UNKNOWN).label("key")
            stmt = select(cases.c.id.label("case_id"), region)
        else:
            raise ValueError(f"{group_by!r} is not a grouping of cases")
        return stmt.subquery("case_keys")

    def members(self, unit: str, group_by: str) -> Any:
        """SQL of each kept unit's columns and ``key``, once per group the unit is in.

        The keys are those of tracker.indicators._key_function, as text: a charge with two
        complainants is in both groups; a case, hearing or measure is in the groups of its
        case's charges (complainants, charge types); an unknown region, year or court is
        NULL or "". The unit's own columns ride along, so no query joins a unit back to its
        table by id.
        """
        cases = self.cases
        source = self.source(unit)
        case_id = cases.c.id if unit == "case" else source.c.case_id
        frm: Any = source
        if group_by == "overall":
            key: Any = literal(UNKNOWN)
        elif group_by == "complainant" and unit == "charge":
            link = self.links
            frm = source.join(link, link.c.charge_id == source.c.id)
            key = self.id_text(link.c.actor_id)
        elif group_by == "charge_type" and unit == "charge":
            key = source.c.charge_type
        elif group_by in ("complainant", "charge_type"):
            keys = self.case_keys(group_by)
            frm = source.join(keys, keys.c.case_id == case_id)
            key = keys.c.key
        elif group_by == "region":
            if unit != "case":
                frm = source.join(cases, cases.c.id == case_id)
            key = func.coalesce(cases.c.region, UNKNOWN)
        elif group_by == "year":
            key = self._year_key(unit, source)
        elif group_by == "case" and unit == "hearing":
            key = self.id_text(source.c.case_id)
        elif group_by == "court" and unit == "hearing":
            frm = source.join(cases, cases.c.id == case_id)
            key = self.id_text(func.coalesce(source.c.court_id, cases.c.court_id))
        else:
            raise ValueError(f"no grouping {group_by!r} for {unit}")
        return select(*source.c, key.label("key")).select_from(frm).subquery("m")

    def _year_key(self, unit: str, source: Any) -> Any:
        """The year a unit is counted in: filing, opening, order or hearing date; NULL when
        the date (or its precision) is unknown."""
        if unit == "hearing":
            return self.year(source.c.scheduled_at)
        name, precision = {
            "charge": ("filed_on", "filed_on_precision"),
            "case": ("opened_on", "opened_on_precision"),
            "measure": ("ordered_on", None),
        }[unit]
        known = source.c[name].isnot(None)
        if precision is not None:
            known = and_(known, source.c[precision] != "unknown")
        return case((known, self.year(source.c[name])), else_=None)
