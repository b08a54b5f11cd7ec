"""Filters (visibility included) -> the SQL of the rows kept: the one place it is written.

Every number of tracker.analysis (indicators, graph edges, the records behind a figure) and
every row tracker.network_data reads rests on these conditions, so the Network and
Indicators pages, the command line and the exports select exactly the same rows.

- :class:`Filters`: what a researcher narrows the data to.
- :class:`Selection`: the WHERE conditions of one filter set and visibility, table by table
  (restricted people and cases left out for viewers, through :mod:`tracker.privacy`).
- :class:`KeptRows`: the kept charges, complainant links, cases, defendant parties,
  hearings, measures and court events as subqueries, and the groups each unit is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
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
from sqlalchemy.sql.elements import ColumnElement

from .. import privacy
from ..models import (
    Actor,
    Case,
    CaseParty,
    Charge,
    ChargeComplainant,
    Court,
    Hearing,
    Measure,
    StageChange,
    VocabularyTerm,
)
from .filters import ActorRow, Filters
from .outcomes import CONVICTION, OUTCOME_CLASS, PENDING, UNFOUNDED, outcome_class

__all__ = [
    "CASE_LEVEL",
    "UNKNOWN",
    "ActorRow",
    "Filters",
    "KeptRows",
    "Selection",
    "Tables",
    "category_condition",
    "count_if",
]


class Tables:
    """The tables the analysis reads (SQLAlchemy Table objects)."""

    actor = Actor.__table__  # type: ignore[attr-defined]
    case = Case.__table__  # type: ignore[attr-defined]
    party = CaseParty.__table__  # type: ignore[attr-defined]
    charge = Charge.__table__  # type: ignore[attr-defined]
    link = ChargeComplainant.__table__  # type: ignore[attr-defined]
    hearing = Hearing.__table__  # type: ignore[attr-defined]
    measure = Measure.__table__  # type: ignore[attr-defined]
    event = StageChange.__table__  # type: ignore[attr-defined]
    court = Court.__table__  # type: ignore[attr-defined]
    vocab = VocabularyTerm.__table__  # type: ignore[attr-defined]


_a_t, _case_t, _party_t, _ch_t, _cc_t = (
    Tables.actor,
    Tables.case,
    Tables.party,
    Tables.charge,
    Tables.link,
)
_meas_t = Tables.measure
_a, _case, _party, _ch, _cc = _a_t.c, _case_t.c, _party_t.c, _ch_t.c, _cc_t.c
_hear, _meas, _ev = Tables.hearing.c, _meas_t.c, Tables.event.c
_voc = Tables.vocab.c

UNKNOWN = ""  # the group of units whose region, year or court is not known
# Groupings a unit is in through its case (its case's complainants, charge types, region).
CASE_LEVEL = ("complainant", "charge_type", "region")


def category_condition(codes: Iterable[str], column: Any) -> ColumnElement[bool]:
    """Actors of these complainant categories or of a child category of one of them."""
    codes = tuple(codes)
    children = select(_voc.code).where(
        _voc.vocabulary == "complainant_category", _voc.parent_code.in_(codes)
    )
    return or_(column.in_(codes), column.in_(children))


class Selection:
    """The conditions of one filter set and visibility: which cases, charges and actors
    are in.

    Each table is read alone and filtered on its id columns (:meth:`kept_case`,
    :meth:`visible_id`); only the filters on cases use joins. SQLite turns ``a IN (list) AND
    b IN (list)`` on a two-column index into one lookup per pair, which at scale M took
    minutes: at most one condition of a read is an indexable IN list.
    """

    def __init__(self, filters: Filters, show_confidential: bool) -> None:
        self.f, self.show = filters, show_confidential

    def visible(self, actor: Any) -> ColumnElement[bool]:
        """The actor (a table or alias) may be seen by this viewer."""
        return privacy.visible_actors(show_confidential=self.show, table=actor)

    def complainant_ok(self, actor: Any) -> list[ColumnElement[bool]]:
        """Conditions on a complainant: visible, and of the chosen categories."""
        out = [self.visible(actor)]
        if self.f.complainant_categories:
            out.append(
                category_condition(self.f.complainant_categories, actor.c.complainant_category)
            )
        return out

    def charge_ok(self, ch: Any, defendant: Any) -> list[ColumnElement[bool]]:
        """Conditions on a charge joined to its defendant."""
        f = self.f
        out = [self.visible(defendant)]
        if not f.include_synthetic:
            out.append(ch.c.is_synthetic.is_(False))
        if f.charge_types:
            out.append(ch.c.charge_type.in_(f.charge_types))
        if f.complainant_categories:
            # Uncorrelated IN lists: SQLite builds each once; a correlated EXISTS per row
            # took minutes at scale M.
            cc, k = _cc_t.alias(), _a_t.alias()
            out.append(
                ch.c.id.in_(
                    select(cc.c.charge_id)
                    .select_from(cc.join(k, k.c.id == cc.c.actor_id))
                    .where(*self.complainant_ok(k))
                )
            )
        return out

    def case_ok(self, case: Any = None) -> list[ColumnElement[bool]]:
        """Conditions on a case (the court_case table unless an alias is given)."""
        f = self.f
        case = case if case is not None else _case_t
        c = case.c
        out = [privacy.visible_cases(show_confidential=self.show, table=case)]
        if not f.include_synthetic:
            out.append(c.is_synthetic.is_(False))
        if f.start_year is not None:
            out.append(c.opened_on >= date(f.start_year, 1, 1))
        if f.end_year is not None:
            out.append(c.opened_on < date(f.end_year + 1, 1, 1))
        if f.regions:
            out.append(c.region.in_(f.regions))
        if f.contexts:
            out.append(c.context.in_(f.contexts))
        if f.charge_types or f.complainant_categories:
            ch, d = _ch_t.alias(), _a_t.alias()
            out.append(
                c.id.in_(
                    select(ch.c.case_id)
                    .select_from(ch.join(d, d.c.id == ch.c.defendant_id))
                    .where(*self.charge_ok(ch, d))
                )
            )
        return out

    # Conditions on the id columns of one table, without joins. A join looks every row's case
    # and person up in their tables (four random lookups per complainant link: 14 s for the
    # million links of scale L); ``x NOT IN (the few hidden ids)`` is a lookup in a small list
    # built once, and needs no join when nothing is hidden. NOT IN uses no index, so these
    # never make SQLite look up each pair of two IN lists (see the class docstring).

    def cases_narrowed(self) -> bool:
        """Whether the filters keep fewer cases than the viewer may see."""
        f = self.f
        return bool(
            not f.include_synthetic
            or f.start_year is not None
            or f.end_year is not None
            or f.regions
            or f.contexts
            or f.charge_types
            or f.complainant_categories
        )

    def kept_case(self, column: Any) -> list[ColumnElement[bool]]:
        """Conditions on a case id column: that case is kept (visible and filtered in)."""
        if self.cases_narrowed():
            return [column.in_(select(_case.id).where(*self.case_ok()).correlate(None))]
        return [] if self.show else [column.not_in(hidden_cases())]

    def visible_id(self, column: Any) -> list[ColumnElement[bool]]:
        """Conditions on an actor id column: that actor may be seen."""
        return [] if self.show else [column.not_in(hidden_actors())]

    def kept_charge(self) -> list[ColumnElement[bool]]:
        """Conditions on the charge table: its case is kept, its defendant visible, and it
        matches the charge filters (type, synthetic, a complainant of the categories)."""
        f = self.f
        out = [*self.kept_case(_ch.case_id), *self.visible_id(_ch.defendant_id)]
        if not f.include_synthetic:
            out.append(_ch.is_synthetic.is_(False))
        if f.charge_types:
            out.append(_ch.charge_type.in_(f.charge_types))
        if f.complainant_categories:
            cc, k = _cc_t.alias(), _a_t.alias()
            out.append(
                _ch.id.in_(
                    select(cc.c.charge_id)
                    .select_from(cc.join(k, k.c.id == cc.c.actor_id))
                    .where(*self.complainant_ok(k))
                    .correlate(None)
                )
            )
        return out


def hidden_cases() -> Any:
    """SQL: the ids of the cases a viewer may not see (tracker.privacy)."""
    return select(_case.id).where(~privacy.visible_cases(show_confidential=False)).correlate(None)


def hidden_actors() -> Any:
    """SQL: the ids of the people and bodies a viewer may not see (tracker.privacy)."""
    return select(_a.id).where(~privacy.visible_actors(show_confidential=False)).correlate(None)


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
        self.measures = self.measures_with()

    def charges_per_defendant(self) -> Any:
        """SQL of (case_id, defendant_id, n, unfounded): the kept charges of each defendant
        in each case, and how many of them ended without a conviction."""
        ch = self.charges
        return select(
            ch.c.case_id, ch.c.defendant_id, func.count().label("n"),
            count_if(ch.c.cls == UNFOUNDED).label("unfounded"),
        ).group_by(ch.c.case_id, ch.c.defendant_id)  # fmt: skip

    def measures_with(self, own: Any = None) -> Any:
        """Kept measures, each with ``detention`` (1 for a pre-trial detention) and ``hit``
        (1 when detention_annulled counts it: annulled, or the defendant's charges in the
        case all ended without a conviction). ``own``: :meth:`charges_per_defendant` as a
        CTE the caller shares (tracker.analysis.units), else a subquery of its own."""
        if own is None:
            own = self.charges_per_defendant().subquery("own")
        detention = _meas.kind == "pretrial_detention"
        hit = and_(
            detention,
            or_(_meas.annulled_on.isnot(None), and_(own.c.n > 0, own.c.unfounded == own.c.n)),
        )
        own_charges = and_(own.c.case_id == _meas.case_id, own.c.defendant_id == _meas.defendant_id)
        return (
            select(
                _meas.id, _meas.case_id, _meas.defendant_id, _meas.ordered_on,
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

    def charged_by(self) -> Any:
        """SQL of (case_id, defendant_id, key): who brought a kept charge against whom in
        which case (key: the complainant's id, not as text: PostgreSQL sorts uuids faster).
        Per complainant, a measure counts only for the complainants who charged its
        defendant (INDICATORS.md)."""
        ch, link = self.charges, self.links
        return (
            select(ch.c.case_id, ch.c.defendant_id, link.c.actor_id.label("key"))
            .join_from(ch, link, link.c.charge_id == ch.c.id)
            .distinct()
            .subquery("charged_by")
        )

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
        elif group_by == "complainant" and unit == "measure":
            keys = self.charged_by()
            frm = source.join(
                keys,
                and_(keys.c.case_id == source.c.case_id,
                     keys.c.defendant_id == source.c.defendant_id),
            )  # fmt: skip
            key = self.id_text(keys.c.key)
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
        elif group_by == "opened_year":  # the year its case opened, whatever the unit
            if unit != "case":
                frm = source.join(cases, cases.c.id == case_id)
            known = and_(cases.c.opened_on.isnot(None), cases.c.opened_on_precision != "unknown")
            key = case((known, self.year(cases.c.opened_on)), else_=None)
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
