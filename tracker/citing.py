"""The sources cited for records, as the reader may see them: one query for many records.

The case page and a person's page show each fact with the sources that state it, right
under it; a restricted source appears to a viewer as "a restricted source" (tracker.privacy).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from . import dates
from .models import Citation, Source
from .privacy import shown_source


def citations_for(
    session: Session, ids: list[uuid.UUID], *, show_confidential: bool
) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Sources cited for each of ``ids`` (any kind of record): row id -> sources, one query.

    A restricted source appears to a viewer as "a restricted source", without title, address
    or publisher; what the citation says it supports stays.
    """
    out: dict[uuid.UUID, list[dict[str, Any]]] = {}
    if not ids:
        return out
    rows = session.exec(
        select(Citation.row_id, Citation.supports, Source)
        .join(Source, col(Source.id) == col(Citation.source_id))
        .where(col(Citation.row_id).in_(ids))
        .order_by(col(Source.published_on).nulls_last())
    ).all()
    for row_id, supports, record in rows:
        source = shown_source(record.model_dump(), show_confidential=show_confidential)
        out.setdefault(row_id, []).append(
            {
                "source_id": source["id"],
                "title": source["title"],
                "publisher": source["publisher"] or "",
                "url": source["url"] or "",
                "reliability": source["reliability"] or "",
                "restricted": bool(source["restricted"]),
                "published": dates.format_partial(
                    source["published_on"], source["published_on_precision"]
                ),
                "supports": supports or "",
            }
        )
    return out
