"""The quick form of a case's Hearings tab: what happened at a hearing, in one step.

It starts from what is stored (the result, the reason, the next hearing it points to, the
case's stage), so opening it and saving changes nothing by accident. Notes are shown and
added to; replacing them takes an explicit choice. A result saved earlier is corrected with
the same form, through the same service (audited, optimistically locked): when someone else
saved the hearing meanwhile, both versions are shown and the user's input stays in the form.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from .. import dates, db
from ..errors import ConflictError, TrackerError
from ..i18n import t
from ..services.hearings import follow_up, record_result
from .safe import md
from .setup import PageContext

# The tab the case page opens on next run (set after a save; read by the case page).
NEXT_TAB = "case_next_tab"
_FIELDS = ("result", "reason", "add", "notes", "next_at", "next_type", "next_court", "stage")


def pick_key(case_id: uuid.UUID) -> str:
    """Session key of the hearing chosen in the quick form (a row click sets it too)."""
    return f"qr_pick_{case_id}"


def _key(hearing_id: Any, name: str) -> str:
    return f"qr_{hearing_id}_{name}"


def _default_hearing(hearings: list[dict[str, Any]]) -> Any:
    """The earliest hearing still without a result, else the latest one (to correct it)."""
    pending = [h["id"] for h in hearings if not h["result"]]
    return pending[0] if pending else hearings[-1]["id"]


def _prefill(hearing: dict[str, Any], detail: dict[str, Any]) -> None:
    """Put the stored values in the form's widgets, once per hearing (input is never reset)."""
    following = follow_up(hearing, detail["hearings"])
    start = {
        "result": hearing["result"] or "",
        "reason": hearing["postponement_reason"] or "",
        "add": "",
        "notes": hearing["notes"] or "",
        "next_at": following["when"]
        if following
        else dates.format_partial(hearing["next_date"], "day"),
        "next_type": (following or hearing)["hearing_type"],
        "next_court": (following or hearing)["court_id"] or detail["case"]["court_id"] or "",
        "stage": detail["case"]["stage"],
    }
    for name, value in start.items():
        st.session_state.setdefault(_key(hearing["id"], name), value)
    st.session_state.setdefault(_key(hearing["id"], "version"), hearing["version_id"])


def _forget(hearing_id: Any) -> None:
    for name in (*_FIELDS, "version", "conflict", "errors", "edit"):
        st.session_state.pop(_key(hearing_id, name), None)


def hearing_result_form(
    ctx: PageContext,
    detail: dict[str, Any],
    vocab: dict[str, dict[str, str]],
    court_options: dict[Any, str],
) -> None:
    """Result, reason, notes, the next hearing (date, time, type, court) and the stage."""
    case_id = detail["case"]["id"]
    hearings = {h["id"]: h for h in detail["hearings"]}
    types, results = vocab["hearing_type"], vocab["hearing_result"]
    st.markdown(f"**{md(t('cases.what_happened'))}**")
    if st.session_state.get(pick_key(case_id)) not in hearings:
        st.session_state[pick_key(case_id)] = _default_hearing(detail["hearings"])

    def label(hid: Any) -> str:
        h = hearings[hid]
        text = f"{h['when']} — {types.get(h['hearing_type'], h['hearing_type'])}"
        if h["court"]:
            text += f" — {h['court']}"
        return text + (f" ({results.get(h['result'], h['result'])})" if h["result"] else "")

    chosen = st.selectbox(
        t("record.hearing").capitalize(), list(hearings), key=pick_key(case_id), format_func=label
    )
    hearing = hearings[chosen]
    _prefill(hearing, detail)
    if hearing["result"]:
        st.caption(t("qr.correcting"))
    editing = st.toggle(t("qr.edit_notes"), key=_key(chosen, "edit"))
    with st.form(f"result_{case_id}"):
        c1, c2 = st.columns(2)
        c1.selectbox(
            t("field.result") + " *",
            ["", *results],
            format_func=lambda v: results.get(v, ""),
            key=_key(chosen, "result"),
        )
        reasons = vocab["postponement_reason"]
        c2.selectbox(
            t("field.postponement_reason"),
            ["", *reasons],
            format_func=lambda v: reasons.get(v, ""),
            key=_key(chosen, "reason"),
        )
        if editing:
            st.text_area(t("qr.notes_whole"), key=_key(chosen, "notes"))
        else:
            st.caption(t("qr.notes_so_far"))
            st.text(hearing["notes"] or t("qr.no_notes"))
            st.text_area(t("qr.add_note"), key=_key(chosen, "add"))
        c1, c2, c3 = st.columns(3)
        c1.text_input(t("field.next_at"), key=_key(chosen, "next_at"), help=t("form.datetime_hint"))
        c2.selectbox(
            t("qr.next_type"),
            list(types),
            format_func=lambda v: types.get(v, v),
            key=_key(chosen, "next_type"),
        )
        c3.selectbox(
            t("qr.next_court"),
            ["", *court_options],
            format_func=lambda v: court_options.get(v, ""),
            key=_key(chosen, "next_court"),
        )
        stages = vocab["stage"]
        st.selectbox(
            t("qr.stage"),
            list(stages),
            format_func=lambda v: stages.get(v, v),
            key=_key(chosen, "stage"),
            help=t("qr.stage_help"),
        )
        submitted = st.form_submit_button(t("cases.record_result"))
    for message in st.session_state.get(_key(chosen, "errors"), []):
        st.error(message)
    _conflict(chosen, hearing, results)
    if submitted:
        _save(ctx, case_id, hearing, editing)


def _conflict(chosen: Any, hearing: dict[str, Any], results: dict[str, str]) -> None:
    """After a conflict: what is stored now beside the user's input, and a way to go on."""
    message = st.session_state.get(_key(chosen, "conflict"))
    if not message:
        return
    st.warning(message)
    stored = results.get(hearing["result"] or "", "")
    st.markdown(f"**{md(t('qr.stored_now'))}** {md(stored)}")
    st.text(hearing["notes"] or t("qr.no_notes"))
    st.caption(t("qr.kept_input"))
    if st.button(t("qr.save_mine"), key=_key(chosen, "overwrite")):
        # The user has seen the newer version: their input is saved over it on next submit.
        st.session_state[_key(chosen, "version")] = hearing["version_id"]
        st.session_state.pop(_key(chosen, "conflict"), None)
        st.rerun()


def _save(ctx: PageContext, case_id: uuid.UUID, hearing: dict[str, Any], editing: bool) -> None:
    state = {name: st.session_state.get(_key(hearing["id"], name)) for name in _FIELDS}
    if not state["result"]:
        st.session_state[_key(hearing["id"], "errors")] = [
            f"{t('field.result')}: {t('errors.required')}"
        ]
        st.rerun()
    try:
        with db.unit_of_work(ctx.engine, ctx.principal) as session:
            record_result(
                session,
                hearing_id=hearing["id"],
                expected_version=st.session_state[_key(hearing["id"], "version")],
                result=state["result"],
                postponement_reason=state["reason"] or None,
                add_note=None if editing else (state["add"] or None),
                edited_notes=(state["notes"] or "").strip() if editing else None,
                next_at=(state["next_at"] or "").strip() or None,
                next_type=state["next_type"] or None,
                next_court_id=state["next_court"] or None,
                new_stage=state["stage"] or None,
            )
    except ConflictError as exc:
        st.session_state[_key(hearing["id"], "conflict")] = str(exc)
        st.session_state.pop(_key(hearing["id"], "errors"), None)
        st.rerun()
    except TrackerError as exc:
        st.session_state[_key(hearing["id"], "errors")] = str(exc).split("\n")
        st.rerun()
    st.cache_data.clear()
    _forget(hearing["id"])
    st.session_state[NEXT_TAB] = t("cases.tab.hearings")
    st.session_state["qr_flash"] = t("qr.saved", when=hearing["when"])
    st.rerun()


def saved_message() -> None:
    """The confirmation of the last quick-form save, shown once on the Hearings tab."""
    message = st.session_state.pop("qr_flash", None)
    if message:
        st.success(message)
