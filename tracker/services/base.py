"""The one way to write: validated create, update and delete for every record kind.

Each record kind declares a :class:`RecordSpec` (its table, required fields, coded fields and
its own cross-record checks) and gets a :class:`RecordService`. Validation runs completely
before anything is written, so a failure leaves the session as it was; the caller's unit of
work commits or rolls back the whole transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    TypeDecorator,
    Uuid,
    func,
)
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, select

from .. import dates
from ..audit import last_change
from ..errors import ConflictError, FieldError, NotFoundError, ValidationError
from ..i18n import t
from ..models import Document
from ..permissions import require_write
from .lookups import Lookups

_PRECISIONS = frozenset((*dates.PRECISIONS, "time"))

# Columns the services manage themselves; callers cannot set them.
_MANAGED = frozenset({"id", "created_at", "updated_at", "version_id"})

Check = Callable[[Lookups, SimpleNamespace, Any], list[FieldError]]


@dataclass(frozen=True)
class RecordSpec:
    """What a record kind must satisfy.

    Attributes:
        model: the table class.
        record: the i18n key naming the kind for messages ("record.case").
        required: fields that must hold a value.
        vocab: field -> vocabulary whose active codes it may hold.
        choices: field -> fixed allowed values.
        refs: field -> table class the id must exist in.
        checks: cross-record rules; each returns the problems it finds.
    """

    model: type[SQLModel]
    record: str
    required: tuple[str, ...] = ()
    vocab: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    refs: Mapping[str, type[SQLModel]] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()

    @property
    def table(self) -> str:
        """The table's name."""
        return str(self.model.__tablename__)

    def columns(self) -> dict[str, Any]:
        """The table's columns by name."""
        return _columns_of(self.model)

    def limits(self) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
        """(text columns with their maximum length, date precision columns) of the table."""
        return _limits_of(self.model)


def _coerce(column: Any, raw: Any) -> tuple[Any, str | None]:
    """Convert a value to the column's Python type; return (value, error key or None)."""
    if raw is None or (isinstance(raw, str) and not raw.strip() and not column.primary_key):
        return (None if not isinstance(column.type, String) else raw or None), None
    kind = column.type
    try:
        if isinstance(kind, Uuid):
            return (raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))), None
        if isinstance(kind, Boolean):
            if isinstance(raw, bool):
                return raw, None
            return None, "errors.not_a_boolean"
        if isinstance(kind, DateTime):
            if isinstance(raw, datetime):
                return raw, None
            if isinstance(raw, date):
                return datetime(raw.year, raw.month, raw.day), None
            text = str(raw).strip()
            if len(text) > 10:
                return datetime.fromisoformat(text), None
            day = dates.parse_partial(text)[0]
            return (datetime(day.year, day.month, day.day) if day else None), None
        if isinstance(kind, Date):
            if isinstance(raw, datetime):
                return raw.date(), None
            if isinstance(raw, date):
                return raw, None
            return dates.parse_partial(str(raw))[0], None
        if isinstance(kind, Integer):
            if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
                return None, "errors.not_a_whole_number"
            return int(str(raw).strip()) if isinstance(raw, str) else int(raw), None
        if isinstance(kind, Float):
            if isinstance(raw, bool):
                return None, "errors.not_a_number"
            return float(str(raw).replace(",", ".")) if isinstance(raw, str) else float(raw), None
        if isinstance(kind, JSON):
            if isinstance(raw, list | tuple):
                return list(raw), None
            return None, "errors.not_a_list"
        if isinstance(kind, String):
            return str(raw), None
    except (ValueError, TypeError, AttributeError):
        if isinstance(kind, Date | DateTime):
            return None, "errors.not_a_date"
        if isinstance(kind, Uuid):
            return None, "errors.not_an_id"
        if isinstance(kind, Float):
            return None, "errors.not_a_number"
        return None, "errors.not_a_whole_number"
    return raw, None


class RecordService:
    """Create, update and delete one record kind, validating everything first."""

    def __init__(self, spec: RecordSpec) -> None:
        self.spec = spec

    # -- reading -------------------------------------------------------------------------
    def get(self, session: Session, record_id: uuid.UUID | str) -> Any:
        """The record with ``record_id``; raises NotFoundError when there is none."""
        obj = session.get(self.spec.model, _as_uuid(record_id))
        if obj is None:
            raise NotFoundError(record=_record_label(self.spec))
        return obj

    # -- writing -------------------------------------------------------------------------
    def create(self, session: Session, data: Mapping[str, Any]) -> uuid.UUID:
        """Validate ``data`` and add the new record; return its id."""
        require_write(session, self.spec.table)
        values = self._clean(data, creating=True)
        candidate = self.spec.model(**values)
        view = SimpleNamespace(**{k: getattr(candidate, k) for k in self.spec.columns()})
        self._validate(Lookups(session), view, None)
        session.add(candidate)
        self._flush(session, candidate)
        row_id: uuid.UUID = getattr(candidate, "id")  # noqa: B009  (every table has an id)
        return row_id

    def update(
        self,
        session: Session,
        record_id: uuid.UUID | str,
        changes: Mapping[str, Any],
        expected_version: int,
        *,
        lookups: Lookups | None = None,
        flush: bool = True,
    ) -> int:
        """Apply ``changes`` if nobody saved the record since ``expected_version``.

        A bulk caller passes its batch's ``lookups`` (which remember what they read) and
        ``flush=False`` to write many updates in one flush of its own (audited by the hook).

        Returns:
            The record's new version (still the old one when not flushed).
        Raises:
            ConflictError: someone else saved first (the message says who and when).
        """
        require_write(session, self.spec.table)
        obj = self.get(session, record_id)
        if obj.version_id != expected_version:
            self._conflict(session, obj.id)
        values = self._clean(changes, creating=False)
        current = {k: getattr(obj, k) for k in self.spec.columns()}
        view = SimpleNamespace(**{**current, **values})
        self._validate(lookups or Lookups(session), view, obj)
        for key, value in values.items():
            setattr(obj, key, value)
        if flush:
            self._flush(session, obj)
        return int(obj.version_id)

    def differences(
        self, session: Session, record_id: uuid.UUID | str, data: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The fields of ``data`` whose value, cleaned as an update would clean it, differs
        from the stored record's (an empty dict: nothing to change)."""
        obj = self.get(session, record_id)
        values = self._clean(data, creating=False)
        return {k: v for k, v in values.items() if getattr(obj, k) != v}

    def delete(
        self, session: Session, record_id: uuid.UUID | str, expected_version: int | None
    ) -> None:
        """Delete the record, refusing while other records still depend on it.

        ``expected_version`` is None for the link tables that carry no version (who brought a
        charge): there is nothing to compare.
        """
        require_write(session, self.spec.table)
        obj = self.get(session, record_id)
        if getattr(obj, "version_id", None) != expected_version:
            self._conflict(session, obj.id)
        dependents = _dependents(session, self.spec.model, obj.id)
        if dependents:
            raise ValidationError(
                [FieldError("id", "errors.has_dependents", {"details": dependents})],
                record=self.spec.record,
            )
        from ..models import Citation

        for cite in session.exec(select(Citation).where(Citation.row_id == obj.id)).all():
            session.delete(cite)
        session.delete(obj)
        self._flush(session, obj)

    def new_row(self, lookups: Lookups, data: Mapping[str, Any], now: datetime) -> SimpleNamespace:
        """Validate ``data`` as a new record without writing it; return every column's value.

        The bulk path (:class:`tracker.services.batch.Batch`) writes what this returns; the
        rules are the same as :meth:`create`'s.
        """
        values = self._clean(data, creating=True)
        defaults = _defaults(self.spec.model, now, values)
        view = SimpleNamespace(**{**defaults, **values})
        self._validate(lookups, view, None)
        for key, value in values.items():
            # As an ORM insert does: a column left None gets its default, if it has one.
            if value is None and defaults[key] is not None:
                setattr(view, key, defaults[key])
        return view

    # -- helpers -------------------------------------------------------------------------
    def _clean(self, data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
        """Coerce input to column types; partial date strings also set their precision."""
        columns = self.spec.columns()
        exact, precisions = _input_shapes(self.spec.model)
        errors: list[FieldError] = []
        values: dict[str, Any] = {}
        for key, raw in data.items():
            if (key in _MANAGED and not (creating and key == "id")) or key not in columns:
                errors.append(FieldError(key, "errors.unknown_field"))
                continue
            if type(raw) is exact[key] and (type(raw) is not str or raw.strip()):
                value = raw  # already the column's type (the bulk path's common case)
            else:
                value, problem = _coerce(columns[key], raw)
                if problem:
                    errors.append(FieldError(key, problem, {"value": str(raw)[:80]}))
                    continue
            values[key] = value
            precision = precisions[key]
            if precision and precision not in data:
                values[precision] = _implied_precision(raw)
        if errors:
            raise ValidationError(errors, record=self.spec.record)
        return values

    def _validate(self, lookups: Lookups, view: SimpleNamespace, obj: Any) -> None:
        spec = self.spec
        errors: list[FieldError] = []
        lengths, precisions = spec.limits()
        # The view's own dict: a bulk import validates every column of 300,000 records.
        fields = vars(view)
        for name in spec.required:
            value = fields.get(name)
            if value is None or (isinstance(value, str) and not value.strip()):
                errors.append(FieldError(name, "errors.required"))
        for name, length in lengths:
            value = fields.get(name)
            if isinstance(value, str) and len(value) > length:
                errors.append(
                    FieldError(name, "errors.too_long", {"max": length, "length": len(value)})
                )
        for name in precisions:
            value = fields.get(name)
            if value not in _PRECISIONS:
                errors.append(
                    FieldError(name, "errors.bad_choice", _choice_params(value, dates.PRECISIONS))
                )
        for name, allowed in spec.choices.items():
            value = fields.get(name)
            if value is not None and value not in allowed:
                errors.append(FieldError(name, "errors.bad_choice", _choice_params(value, allowed)))
        errors += _check_vocab(lookups, spec.vocab, view)
        for name, model in spec.refs.items():
            value = fields.get(name)
            if value is not None and lookups.get(model, value) is None:
                errors.append(FieldError(name, "errors.missing_reference"))
        if not errors:
            for check in spec.checks:
                errors += check(lookups, view, obj)
        if errors:
            raise ValidationError(errors, record=spec.record)

    def _flush(self, session: Session, obj: Any) -> None:
        try:
            session.flush()
        except StaleDataError:
            session.rollback()
            self._conflict(session, obj.id)

    def _conflict(self, session: Session, row_id: uuid.UUID) -> None:
        by, at = last_change(session, table_name=self.spec.table, row_id=row_id)
        raise ConflictError(record=_record_label(self.spec), by=by, at=at)


@cache
def _columns_of(model: type[SQLModel]) -> dict[str, Any]:
    return {c.name: c for c in model.__table__.columns}  # type: ignore[attr-defined]


@cache
def _limits_of(model: type[SQLModel]) -> tuple[tuple[tuple[str, int], ...], tuple[str, ...]]:
    columns = _columns_of(model)
    lengths = tuple(
        (name, length)
        for name, column in columns.items()
        if (length := getattr(column.type, "length", None))
    )
    return lengths, tuple(name for name in columns if name.endswith("_precision"))


@cache
def _input_shapes(model: type[SQLModel]) -> tuple[dict[str, type | None], dict[str, str | None]]:
    """(the Python type each column takes as it is, each column's precision column)."""
    columns = _columns_of(model)
    exact: dict[str, type | None] = {}
    for name, column in columns.items():
        kind = column.type
        if isinstance(kind, TypeDecorator):
            kind = kind.impl_instance  # SQLModel's AutoString says its Python type is object
        try:
            exact[name] = str if isinstance(kind, String) else kind.python_type
        except NotImplementedError:
            exact[name] = None
    return exact, {name: _precision_column(columns, name) for name in columns}


@cache
def _static_defaults(
    model: type[SQLModel],
) -> tuple[dict[str, Any], tuple[tuple[str, Callable[[], Any]], ...]]:
    """(fixed defaults by column, columns whose default is made fresh for each row)."""
    fixed: dict[str, Any] = {}
    made: list[tuple[str, Callable[[], Any]]] = []
    for name in _columns_of(model):
        field_info = model.model_fields.get(name)
        if name == "version_id":
            fixed[name] = 1  # what the ORM's version counter starts at
        elif field_info is None:
            fixed[name] = None
        elif field_info.default_factory is not None:
            made.append((name, field_info.default_factory))  # type: ignore[arg-type]
        else:
            default = field_info.default
            fixed[name] = None if default is PydanticUndefined else default
    return fixed, tuple(made)


def _defaults(
    model: type[SQLModel], now: datetime, given: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A new row's value for every column the caller leaves out (as the model's own defaults).

    A default the caller's ``given`` values already fill is left None rather than made: an
    import names its own record ids, and an id per row thrown away costs seconds at scale.
    """
    fixed, made = _static_defaults(model)
    row = dict(fixed)
    for name, factory in made:
        if given is not None and given.get(name) is not None:
            row[name] = None
        else:
            row[name] = now if name in ("created_at", "updated_at") else factory()
    return row


def _precision_column(columns: Mapping[str, Any], key: str) -> str | None:
    """The precision column of date column ``key`` (scheduled_at -> scheduled_precision)."""
    for name in (f"{key}_precision", f"{key.removesuffix('_at')}_precision"):
        if name in columns and name != key:
            return name
    return None


def _implied_precision(raw: Any) -> str:
    """The precision a date input implies: "2011" -> year, "2017-03-06T10:00" -> time."""
    if isinstance(raw, datetime):
        return "time"
    if isinstance(raw, date):
        return "day"
    if isinstance(raw, str) and raw.strip():
        text = raw.strip()
        return "time" if len(text) > 10 else dates.parse_partial(text)[1]
    return "unknown"


def _record_label(spec: RecordSpec) -> str:
    return t(spec.record)


def _as_uuid(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise NotFoundError(record=str(value)[:40]) from exc


def _choice_params(value: Any, allowed: Iterable[str]) -> dict[str, Any]:
    return {"value": str(value)[:80], "choices": ", ".join(allowed)}


def _check_vocab(
    lookups: Lookups, vocab: Mapping[str, str], view: SimpleNamespace
) -> list[FieldError]:
    """Every coded field must hold an active code of its vocabulary."""
    errors: list[FieldError] = []
    for name, vocabulary in vocab.items():
        value = getattr(view, name, None)
        codes = value if isinstance(value, list) else [value] if value else []
        if not codes:
            continue
        known = lookups.known_codes(vocabulary, codes)
        for code in codes:
            if code not in known:
                errors.append(
                    FieldError(
                        name,
                        "errors.unknown_code",
                        {"value": str(code)[:80], "vocabulary": vocabulary},
                    )
                )
    return errors


def _dependents(session: Session, model: type[SQLModel], row_id: uuid.UUID) -> str:
    """Describe rows of other tables whose foreign keys point at this row ("3 charge")."""
    target = model.__table__  # type: ignore[attr-defined]
    parts: list[str] = []
    for table in SQLModel.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target:
                count = session.exec(
                    select(func.count()).select_from(table).where(fk.parent == row_id)
                ).one()
                if count:
                    parts.append(f"{count} × {t(f'table.{table.name}')}")
    # Files point at their record by table and id (no foreign key): count them too, so a
    # record is never deleted from under its attachments.
    files = session.exec(
        select(func.count())
        .select_from(Document)
        .where(Document.row_id == row_id, Document.table_name != "court_case")  # FK above
    ).one()
    if files and model is not Document:
        parts.append(f"{files} × {t('table.document')}")
    return ", ".join(parts)


def date_order(
    earlier: str, later: str, *, view: SimpleNamespace, field_name: str | None = None
) -> list[FieldError]:
    """A problem if the date in ``later`` is certainly before the one in ``earlier``."""
    a, b = getattr(view, earlier), getattr(view, later)
    a_prec = getattr(view, f"{earlier}_precision", "day")
    b_prec = getattr(view, f"{later}_precision", "day")
    if dates.is_before(b, b_prec, a, a_prec):
        return [
            FieldError(
                field_name or later,
                "errors.date_before",
                {
                    "later": dates.format_partial(b, b_prec),
                    "earlier": dates.format_partial(a, a_prec),
                    "other_key": f"field.{earlier}",
                },
            )
        ]
    return []
