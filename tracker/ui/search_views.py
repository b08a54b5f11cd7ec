"""The Search page: one box, ranked results, each opening its record's page."""

from __future__ import annotations

import streamlit as st
from sqlmodel import Session

from .. import search
from ..i18n import t
from .safe import md
from .setup import PageContext


def search_page(ctx: PageContext) -> None:
    """The search box (its words kept in the URL, ?q=...) and the records it finds."""
    if "search_q" not in st.session_state:
        st.session_state["search_q"] = st.query_params.get("q", "")
    query = st.text_input(t("search.box"), key="search_q", help=t("search.help"))
    if not query.strip():
        st.query_params.pop("q", None)
        return
    st.query_params["q"] = query
    with Session(ctx.engine) as session:
        hits = search.search(session, query, role=ctx.principal.role, lang=ctx.lang)
    if not hits:
        st.info(t("search.none", query=query))
        return
    st.caption(t("search.results", n=len(hits)))
    for number, hit in enumerate(hits):
        _result(hit, number)


def _result(hit: search.Hit, number: int) -> None:
    left, right = st.columns([5, 1])
    kind = t(f"search.kind.{hit.kind}")
    left.markdown(
        f"**{md(hit.label)}**  \n{md(kind)}" + (f" · {md(hit.detail)}" if hit.detail else "")
    )
    if hit.page is None:
        right.caption(t("search.no_page"))
    elif right.button(t("search.open"), key=f"search_open_{number}"):
        st.switch_page(hit.page, query_params=hit.params)
