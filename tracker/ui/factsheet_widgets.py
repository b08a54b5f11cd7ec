"""The fact sheet's download buttons on the case page and the person's page.

Everyone gets the public sheet (confidential people under their pseudonym), the one meant
for advocacy; someone who may see confidential names gets a second button for the sheet with
them, marked confidential in its file name and on the page. The PDF is made on click.
"""

from __future__ import annotations

import uuid

import streamlit as st

from .. import factsheets
from ..i18n import t
from ..privacy import may_see_confidential
from .setup import PageContext


def download(ctx: PageContext, kind: str, record_id: uuid.UUID, title: str) -> None:
    """Buttons for the sheet of a case (``kind`` "case") or a person ("defender")."""
    make = factsheets.case_sheet if kind == "case" else factsheets.defender_sheet
    engine, lang = ctx.engine, ctx.lang
    cols = st.columns([1, 1, 2])
    cols[0].download_button(
        t("factsheet.download"),
        lambda: make(engine, record_id, lang=lang, show_confidential=False),
        file_name=factsheets.file_name(kind, title, lang),
        mime="application/pdf",
        help=t("factsheet.download_help"),
        key=f"factsheet_{kind}_{record_id}",
        on_click="ignore",
    )
    if may_see_confidential(ctx.principal.role):
        cols[1].download_button(
            t("factsheet.download_confidential"),
            lambda: make(engine, record_id, lang=lang, show_confidential=True),
            file_name=factsheets.file_name(kind, title, lang).replace(".pdf", "-confidential.pdf"),
            mime="application/pdf",
            help=t("factsheet.footer.confidential"),
            key=f"factsheet_{kind}_{record_id}_confidential",
            on_click="ignore",
        )
