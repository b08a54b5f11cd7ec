"""One actor's or court's network, and the complainants of widest reach, as GROUP BYs.

The Network page's readable views: whom one complainant, defender, lawyer or court is
linked to through the charges (:func:`ego`), and the complainants who charged the most
distinct defenders with those defenders (:func:`top_reach`). Every statement reads the kept
charges and complainant links of :class:`~tracker.analysis.kept.KeptRows`, so the filters
and the viewer's visibility are those of every other number (reach here is the
``complainant_reach`` indicator, charge for charge). Names are the ones this viewer may see
(pseudonyms in SQL, then the redactor on the text).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection, Engine

from .. import privacy
from .ego_measures import (
    DEFENDERS_SHOWN,
    Overview,
    TopReach,
    filing_year,
    most_charged,
    overview,
    repeat_pairs,
    top_reach,
)
from .kept import Filters, KeptRows, Tables

__all__ = [
    "ACCUSED",
    "ACCUSER",
    "CASE_ROLES",
    "DEFENDERS_SHOWN",
    "Ego",
    "EgoLink",
    "Node",
    "Overview",
    "TopReach",
    "ego",
    "most_charged",
    "overview",
    "repeat_pairs",
    "search_nodes",
    "top_reach",
]

ACCUSER = "accuser"  # brought charges (against the ego, or in the ego's cases)
ACCUSED = "accused"  # was charged (by the ego, or in the ego's cases)
# Party roles through which an actor is linked to the charges of a whole case.
CASE_ROLES = ("defence_lawyer", "private_prosecutor", "public_prosecutor", "judge",
              "civil_party", "witness")  # fmt: skip


@dataclass(frozen=True)
class Node:
    """Something whose network can be shown: an actor or a court."""

    kind: str  # "actor" or "court"
    id: str  # 32 hex digits
    label: str  # the name this viewer may see
    detail: str = ""  # actor kind or court kind (a code)
    is_defender: bool = False


@dataclass(frozen=True)
class EgoLink:
    """One counterpart of the ego and the charges behind the link.

    ``side``: ACCUSER (brought the charges) or ACCUSED (was charged). ``via``: "charge" when
    the ego itself is on the charges (as complainant or defendant), "case" when the link
    runs through the ego's cases (a lawyer's, a judge's or a court's).
    """

    id: str
    label: str
    kind: str
    is_defender: bool
    side: str
    via: str
    cases: int
    charges: int
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True)
class Ego:
    """The ego network: its counterparts and its charges per year of filing."""

    node: Node
    links: list[EgoLink]
    years: list[dict[str, int]]  # year, brought, faced, in_cases (charges filed that year)
    roles: list[str] = field(default_factory=list)  # the ego's party roles in CASE_ROLES
    cases: int = 0  # the ego's cases (on either side or through a role)
    brought: int = 0  # kept charges the ego brought (as a complainant)
    faced: int = 0  # kept charges against the ego (each once, complainants or not)


_a, _court = Tables.actor, Tables.court
_party = Tables.party.c


def _as_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _node(conn: Connection, kept: KeptRows, kind: str, ident: uuid.UUID) -> Node | None:
    """The ego, or None when this viewer may not see it (or it does not exist)."""
    show = kept.q.show
    if kind == "court":
        row = conn.execute(
            select(kept.id_text(_court.c.id), _court.c.name, _court.c.kind).where(
                _court.c.id == ident
            )
        ).first()
        return None if row is None else Node("court", row[0], row[1], row[2])
    row = conn.execute(
        select(
            kept.id_text(_a.c.id), privacy.name_column(show_confidential=show), _a.c.kind,
            _a.c.is_defender,
        ).where(_a.c.id == ident, privacy.visible_actors(show_confidential=show))
    ).first()  # fmt: skip
    return None if row is None else Node("actor", row[0], row[1], row[2], bool(row[3]))


def _grouped(conn: Connection, kept: KeptRows, who: Any, frm: Any, where: list[Any]) -> list[Any]:
    """(actor id, shown name, kind, is_defender, cases, charges, first, last year) of each
    actor in column ``who`` over the rows of ``frm`` meeting ``where``."""
    a = _a.alias("who")
    year = filing_year(kept)
    stmt = (
        select(
            kept.id_text(a.c.id), privacy.name_column(show_confidential=kept.q.show, table=a),
            a.c.kind, a.c.is_defender, func.count(func.distinct(kept.charges.c.case_id)),
            func.count(), func.min(year), func.max(year),
        )
        .select_from(frm.join(a, a.c.id == who))
        .where(*where)
        .group_by(a.c.id, a.c.name, a.c.pseudonym, a.c.confidentiality, a.c.kind,
                  a.c.is_defender)
    )  # fmt: skip
    return list(conn.execute(stmt))


def ego(
    engine: Engine,
    filters: Filters | None,
    kind: str,
    ident: str,
    *,
    show_confidential: bool,
    redact: Callable[[str], str] | None = None,
) -> Ego | None:
    """The network of one actor (``kind`` "actor") or court (``kind`` "court").

    For an actor: the defenders it charged (ACCUSED, via "charge") and the complainants who
    charged it (ACCUSER, via "charge"); if it is a lawyer, judge, prosecutor, civil party or
    witness in cases, also the defendants and complainants of those cases (via "case").
    For a court: the defendants and complainants of the cases it hears. Counts are over the
    kept charges: ``cases`` distinct cases, ``charges`` charges (a charge with two
    complainants counts once for each), years of known filing dates.

    Returns None when the ego does not exist or this viewer may not see it. ``redact``:
    the viewer's redactor, if the caller holds one (building one reads every withheld
    person).
    """
    key = _as_uuid(ident)
    if key is None or kind not in ("actor", "court"):
        return None
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    ch, link = kept.charges, kept.links
    linked = ch.join(link, link.c.charge_id == ch.c.id)
    redact = redact or privacy.redactor(engine, show_confidential=show_confidential)
    with engine.connect() as conn:
        node = _node(conn, kept, kind, key)
        if node is None:
            return None
        rows: list[tuple[str, str, Any]] = []
        roles: list[str] = []
        scope: Any = None
        if kind == "actor":
            rows += [
                (ACCUSED, "charge", r)
                for r in _grouped(conn, kept, ch.c.defendant_id, linked, [link.c.actor_id == key])
            ]
            rows += [(ACCUSER, "charge", r) for r in _grouped(
                conn, kept, link.c.actor_id, linked, [ch.c.defendant_id == key])]  # fmt: skip
            roles = sorted(
                conn.execute(
                    select(_party.role)
                    .where(_party.actor_id == key, _party.role.in_(CASE_ROLES),
                           *kept.q.kept_case(_party.case_id))
                    .distinct()
                ).scalars()
            )  # fmt: skip
            if roles:
                scope = select(_party.case_id).where(
                    _party.actor_id == key, _party.role.in_(CASE_ROLES)
                )
        else:
            scope = select(kept.cases.c.id).where(kept.cases.c.court_id == key)
        if scope is not None:
            in_scope = ch.c.case_id.in_(scope)
            rows += [
                (ACCUSED, "case", r)
                for r in _grouped(
                    conn, kept, ch.c.defendant_id, ch, [in_scope, ch.c.defendant_id != key]
                )
            ]
            rows += [(ACCUSER, "case", r) for r in _grouped(
                conn, kept, link.c.actor_id, linked, [in_scope, link.c.actor_id != key])]  # fmt: skip
        years = _years(conn, kept, kind, key, scope)
        cases = _case_count(conn, kept, kind, key, scope)
        brought = faced = 0
        if kind == "actor":
            brought = int(
                conn.execute(
                    select(func.count()).select_from(linked).where(link.c.actor_id == key)
                ).scalar_one()
            )
            faced = int(conn.execute(select(func.count()).select_from(ch)
                                     .where(ch.c.defendant_id == key)).scalar_one())  # fmt: skip
    links = [
        EgoLink(r[0], redact(r[1]), r[2], bool(r[3]), side, via, int(r[4]), int(r[5]),
                _opt_int(r[6]), _opt_int(r[7]))
        for side, via, r in rows
    ]  # fmt: skip
    # Direct links first, accusers before the accused, then the most cases, most charges,
    # by name: a stable order.
    links.sort(
        key=lambda x: (x.via != "charge", x.side != ACCUSER, -x.cases, -x.charges, x.label, x.id)
    )
    shown = Node(node.kind, node.id, redact(node.label), node.detail, node.is_defender)
    return Ego(shown, links, years, roles, cases, brought, faced)


def _years(
    conn: Connection, kept: KeptRows, kind: str, key: uuid.UUID, scope: Any
) -> list[dict[str, int]]:
    """Charges per year of filing: brought by the ego, faced by the ego, in its cases."""
    ch, link = kept.charges, kept.links
    year = filing_year(kept).label("year")
    counts: dict[int, dict[str, int]] = {}

    def add(column: str, stmt: Any) -> None:
        for y, n in conn.execute(stmt.group_by(year)):
            if y is not None:
                counts.setdefault(int(y), {"brought": 0, "faced": 0, "in_cases": 0})[column] = n

    if kind == "actor":
        add(
            "brought",
            select(year, func.count())
            .select_from(ch.join(link, link.c.charge_id == ch.c.id))
            .where(link.c.actor_id == key),
        )
        add("faced", select(year, func.count()).where(ch.c.defendant_id == key))  # fmt: skip
    if scope is not None:
        add("in_cases", select(year, func.count()).where(ch.c.case_id.in_(scope)))
    return [{"year": y, **counts[y]} for y in sorted(counts)]


def _case_count(conn: Connection, kept: KeptRows, kind: str, key: uuid.UUID, scope: Any) -> int:
    """Distinct kept cases the ego is in: on a kept charge, or through its role or court."""
    ch, link = kept.charges, kept.links
    conditions = []
    if kind == "actor":
        brought = select(link.c.charge_id).where(link.c.actor_id == key)
        conditions += [ch.c.defendant_id == key, ch.c.id.in_(brought)]
    if scope is not None:
        conditions.append(ch.c.case_id.in_(scope))
    stmt = select(func.count(func.distinct(ch.c.case_id))).where(or_(*conditions))
    return int(conn.execute(stmt).scalar_one())


def search_nodes(
    engine: Engine,
    text: str,
    *,
    show_confidential: bool,
    limit: int,
    filters: Filters | None = None,
    redact: Callable[[str], str] | None = None,
) -> list[Node]:
    """Actors and courts whose shown name contains ``text`` (any case), at most ``limit``,
    those on the most kept charges first; with no text, the actors on the most charges.

    Only the name this viewer may see is searched: a pseudonymised person is found by the
    pseudonym, never by the withheld name.
    """
    kept = KeptRows(engine, filters or Filters(), show_confidential)
    ch, link = kept.charges, kept.links
    needle = f"%{text.strip().casefold()}%"
    name = privacy.name_column(show_confidential=show_confidential)
    # How many kept charges each actor is on, as defendant or complainant.
    on_charges = (
        select(ch.c.defendant_id.label("actor_id")).union_all(
            select(link.c.actor_id).select_from(ch.join(link, link.c.charge_id == ch.c.id))
        )
    ).subquery("on_charges")
    involvement = (
        select(on_charges.c.actor_id, func.count().label("n"))
        .group_by(on_charges.c.actor_id)
        .subquery("involvement")
    )
    weight = func.coalesce(involvement.c.n, 0)
    actors = (
        select(kept.id_text(_a.c.id), name, _a.c.kind, _a.c.is_defender, weight)
        .select_from(_a.outerjoin(involvement, involvement.c.actor_id == _a.c.id))
        .where(privacy.visible_actors(show_confidential=show_confidential))
        .order_by(weight.desc(), name, _a.c.id)
        .limit(limit)
    )
    if text.strip():
        actors = actors.where(func.lower(name).like(needle))
    else:
        actors = actors.where(involvement.c.n.isnot(None))
    redact = redact or privacy.redactor(engine, show_confidential=show_confidential)
    with engine.connect() as conn:
        found = [Node("actor", r[0], redact(r[1]), r[2], bool(r[3])) for r in conn.execute(actors)]
        if text.strip() and len(found) < limit:
            courts = (
                select(kept.id_text(_court.c.id), _court.c.name, _court.c.kind)
                .where(func.lower(_court.c.name).like(needle))
                .order_by(_court.c.name, _court.c.id)
                .limit(limit - len(found))
            )
            found += [Node("court", r[0], redact(r[1]), r[2]) for r in conn.execute(courts)]
    return found
