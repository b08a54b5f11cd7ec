"""One form builder for every record kind, driven by the kind's RecordSpec.

A form shows a widget per field (chosen from the column's type, its vocabulary or its fixed
choices), sends the values through the record's service in one transaction, and shows each
validation error under its field. What the user typed is kept in the widgets' state: after a
validation error or a conflict (someone else saved first) nothing typed is lost, and a
"load the latest version" button refreshes the form only when the user asks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import streamlit as st
from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Text
from sqlmodel import Session

from .. import dates, db
from ..errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ..i18n import t
from ..name_warnings import name_warnings
from ..permissions import may_write
from ..services import RecordService
from ..services.vocabulary import labels
from .setup import PageContext

EMPTY = ""


@dataclass(frozen=True)
class Choice:
    """A reference field's options: id -> label, supplied by the page (e.g. the case's defendants)."""

    options: Mapping[Any, str]


@dataclass
class FormResult:
    """What happened when the form ran: the saved record's id, if it was saved now."""

    saved_id: uuid.UUID | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)


def _widget_key(form_key: str, name: str) -> str:
    return f"{form_key}__{name}"


def _shown_value(column: Any, value: Any, record: Mapping[str, Any], name: str) -> Any:
    """The value a widget starts with, from the stored record."""
    if isinstance(column.type, Boolean):
        return bool(value)
    if isinstance(column.type, JSON):
        return list(value or [])
    if value is None:
        return EMPTY
    if isinstance(column.type, Date | DateTime):
        precision = record.get(f"{name}_precision") or record.get(
            f"{name.removesuffix('_at')}_precision", "day"
        )
        return dates.format_partial(value, precision)
    if isinstance(value, uuid.UUID):
        return value  # a reference: the options are ids, shown by their labels
    return str(value)


def _options(
    ctx: PageContext, service: RecordService, name: str, refs: Mapping[str, Choice]
) -> list[Any] | None:
    spec = service.spec
    if name in refs:
        return list(refs[name].options)
    if name in spec.vocab:
        return list(ctx.read(labels, spec.vocab[name], ctx.lang))
    if name in spec.choices:
        return list(spec.choices[name])
    return None


def _label_of(
    ctx: PageContext, service: RecordService, name: str, refs: Mapping[str, Choice]
) -> Callable[[Any], str]:
    spec = service.spec
    if name in refs:
        options = refs[name].options
        return lambda v: EMPTY if v == EMPTY else options.get(v, str(v))
    if name in spec.vocab:
        names = ctx.read(labels, spec.vocab[name], ctx.lang)
        return lambda v: EMPTY if v == EMPTY else names.get(v, v)
    return lambda v: EMPTY if v == EMPTY else t(f"enum.{name}.{v}")


def record_form(
    ctx: PageContext,
    service: RecordService,
    *,
    key: str,
    fields: Sequence[str],
    record: Mapping[str, Any] | None = None,
    fixed: Mapping[str, Any] | None = None,
    refs: Mapping[str, Choice] | None = None,
    submit_label: str | None = None,
    on_saved: Callable[[uuid.UUID], None] | None = None,
) -> FormResult:
    """Render a create (``record`` None) or edit form for ``fields`` and save on submit.

    Nothing is rendered for a principal who may not write the service's table
    (tracker.permissions.may_write): viewers see no form, not a disabled one.

    Args:
        ctx: the page context (engine, language, principal).
        service: the record kind's service.
        key: a key unique on the page; include the record id for edit forms.
        fields: the columns to show, in order.
        record: the stored values (a dict with ``id`` and ``version_id``) when editing.
        fixed: values set without a widget (e.g. the case id of a new hearing).
        refs: options of reference fields (id -> label).
        submit_label: the button's text (default "Save").
        on_saved: called with the record's id after a successful save, before the rerun.
    """
    if not may_write(ctx.principal, service.spec.table):
        # Whoever may not save gets no form at all (the service would refuse it anyway).
        return FormResult()
    refs = refs or {}
    columns = service.spec.columns()
    errors_key, version_key = f"{key}__errors", f"{key}__version"
    result = FormResult()
    if record is not None and version_key not in st.session_state:
        st.session_state[version_key] = record["version_id"]
    with st.form(key):
        values: dict[str, Any] = {}
        stored_errors: dict[str, list[str]] = st.session_state.get(errors_key, {})
        for name in fields:
            column = columns[name]
            wkey = _widget_key(key, name)
            if wkey not in st.session_state:
                start = record.get(name) if record else _model_default(service, name)
                st.session_state[wkey] = _shown_value(column, start, record or {}, name)
            label = t(f"field.{name}") + (" *" if name in service.spec.required else "")
            options = _options(ctx, service, name, refs)
            if isinstance(column.type, JSON):
                values[name] = st.multiselect(
                    label,
                    options or [],
                    key=wkey,
                    format_func=_label_of(ctx, service, name, refs),
                    placeholder=t("ui.choose_options"),
                )
            elif options is not None:
                if st.session_state[wkey] not in options and st.session_state[wkey] != EMPTY:
                    options = [st.session_state[wkey], *options]
                values[name] = st.selectbox(
                    label,
                    [EMPTY, *options],
                    key=wkey,
                    format_func=_label_of(ctx, service, name, refs),
                )
            elif isinstance(column.type, Boolean):
                values[name] = st.checkbox(label, key=wkey)
            elif isinstance(column.type, Text):
                values[name] = st.text_area(label, key=wkey)
            elif isinstance(column.type, Date | DateTime):
                hint = (
                    "form.datetime_hint" if isinstance(column.type, DateTime) else "form.date_hint"
                )
                values[name] = st.text_input(label, key=wkey, help=t(hint))
            else:
                values[name] = st.text_input(label, key=wkey)
            for message in stored_errors.get(name, []):
                st.error(message)
        other = [m for f, ms in stored_errors.items() if f not in fields for m in ms]
        for message in other:
            st.error(message)
        submitted = st.form_submit_button(submit_label or t("form.save"))
    if record is not None and st.session_state.get(f"{key}__conflict"):
        st.warning(st.session_state[f"{key}__conflict"])
        if st.button(t("form.load_latest"), key=f"{key}__reload"):
            _forget(key, fields)
            st.rerun()
    if submitted:
        warnings = _name_warnings(ctx, service, fields, values, record, fixed or {})
        if warnings:
            # Hold the save: the editor chooses between the pseudonyms and the text as typed.
            st.session_state[f"{key}__privacy"] = {"values": dict(values), "warnings": warnings}
        else:
            result = _save(ctx, service, key, fields, values, record, fixed or {}, on_saved)
    pending = st.session_state.get(f"{key}__privacy")
    if pending:
        result = _privacy_prompt(ctx, service, key, fields, pending, record, fixed or {}, on_saved)
    return result


def _name_warnings(
    ctx: PageContext,
    service: RecordService,
    fields: Sequence[str],
    values: Mapping[str, Any],
    record: Mapping[str, Any] | None,
    fixed: Mapping[str, Any],
) -> list[dict[str, str]]:
    """Free text holding a confidential person's real name on a record viewers can see."""
    columns = service.spec.columns()
    data = {name: _to_input(columns[name], values[name]) for name in fields}
    with Session(ctx.engine) as session:
        return name_warnings(session, service.spec.table, {**fixed, **data}, stored=record)


def _privacy_prompt(
    ctx: PageContext,
    service: RecordService,
    key: str,
    fields: Sequence[str],
    pending: Mapping[str, Any],
    record: Mapping[str, Any] | None,
    fixed: Mapping[str, Any],
    on_saved: Callable[[uuid.UUID], None] | None,
) -> FormResult:
    """The warning of a held save, with its three ways on."""
    lines = [
        t(
            "privacy_form.found",
            field=t(f"field.{w['field']}"),
            found=w["found"],
            shown=w["shown"],
        )
        for w in pending["warnings"]
    ]
    st.warning(t("privacy_form.warning") + "\n\n" + "\n".join(f"- {line}" for line in lines))
    c1, c2, c3 = st.columns(3)
    values = dict(pending["values"])
    if c1.button(t("privacy_form.use_pseudonym"), key=f"{key}__use_pseudonym", type="primary"):
        st.session_state.pop(f"{key}__privacy", None)
        for w in pending["warnings"]:
            values[w["field"]] = w["text"]
        return _save(ctx, service, key, fields, values, record, fixed, on_saved)
    if c2.button(t("privacy_form.save_as_typed"), key=f"{key}__as_typed"):
        st.session_state.pop(f"{key}__privacy", None)
        return _save(ctx, service, key, fields, values, record, fixed, on_saved)
    if c3.button(t("privacy_form.go_back"), key=f"{key}__go_back"):
        st.session_state.pop(f"{key}__privacy", None)
        st.rerun()
    return FormResult()


def _model_default(service: RecordService, name: str) -> Any:
    """The model's plain default for a new record (e.g. status "open"), or None."""
    info = service.spec.model.model_fields.get(name)
    default = getattr(info, "default", None)
    return (
        None
        if default is None or callable(default) or repr(default) == "PydanticUndefined"
        else default
    )


def _forget(key: str, fields: Sequence[str]) -> None:
    """Drop the form's remembered state so that it shows the stored record again."""
    for name in fields:
        st.session_state.pop(_widget_key(key, name), None)
    for suffix in ("errors", "version", "conflict"):
        st.session_state.pop(f"{key}__{suffix}", None)


def _to_input(column: Any, value: Any) -> Any:
    """A widget's value as service input: empty text means no value."""
    if isinstance(value, str):
        value = value.strip()
        if value == EMPTY:
            return None
    if isinstance(column.type, Integer | Float) and isinstance(value, str):
        return value  # the service converts and reports "not a number" by field
    return value


def _changed(column: Any, new: Any, old: Any) -> bool:
    if isinstance(old, datetime | date) or isinstance(column.type, Date | DateTime):
        return True  # compared by the service after parsing; cheap to resend
    if isinstance(column.type, JSON):
        return list(new or []) != list(old or [])
    if isinstance(column.type, Integer | Float) and new is not None and old is not None:
        return str(new) != str(old)
    return new != old


def _save(
    ctx: PageContext,
    service: RecordService,
    key: str,
    fields: Sequence[str],
    values: Mapping[str, Any],
    record: Mapping[str, Any] | None,
    fixed: Mapping[str, Any],
    on_saved: Callable[[uuid.UUID], None] | None,
) -> FormResult:
    columns = service.spec.columns()
    data = {name: _to_input(columns[name], values[name]) for name in fields}
    try:
        with db.unit_of_work(ctx.engine, ctx.principal) as session:
            if record is None:
                given = {k: v for k, v in data.items() if v is not None}
                saved = service.create(session, {**given, **fixed})
            else:
                changes = {k: v for k, v in data.items() if _changed(columns[k], v, record.get(k))}
                service.update(session, record["id"], changes, st.session_state[f"{key}__version"])
                saved = record["id"]
    except ValidationError as exc:
        st.session_state[f"{key}__errors"] = exc.by_field()
        st.rerun()
    except ConflictError as exc:
        st.session_state[f"{key}__conflict"] = str(exc)
        st.rerun()
    except (NotFoundError, PermissionDeniedError) as exc:
        st.error(str(exc))
        return FormResult(errors={"id": [str(exc)]})
    st.cache_data.clear()
    _forget(key, fields)
    if on_saved is not None:
        on_saved(saved)
    st.session_state["flash"] = t("form.saved")
    st.rerun()
    return FormResult(saved_id=saved)  # not reached: st.rerun() ends the run


def flash() -> None:
    """Show the message left by the last successful save (once)."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(message)
