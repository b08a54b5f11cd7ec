"""Sources and the citations that attach them to any record."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

from ..errors import FieldError
from ..models import AUDITED_MODELS, Citation, Source
from .base import RecordService, RecordSpec
from .lookups import Lookups

_TABLES = {str(cls.__tablename__): cls for cls in AUDITED_MODELS}


def _source_rules(_db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    # Only web addresses: a javascript: or data: URL shown as a link would run in the browser.
    if view.url and urlparse(view.url).scheme not in ("http", "https"):
        return [FieldError("url", "errors.bad_url")]
    return []


sources = RecordService(
    RecordSpec(
        model=Source,
        record="record.source",
        required=("title",),
        vocab={"reliability": "reliability"},
        checks=(_source_rules,),
    )
)


def _citation_rules(db: Lookups, view: SimpleNamespace, _obj: Any) -> list[FieldError]:
    model = _TABLES.get(view.table_name)
    if model is None or model is Citation:
        return [
            FieldError(
                "table_name",
                "errors.bad_choice",
                {"value": view.table_name, "choices": ", ".join(sorted(_TABLES))},
            )
        ]
    if db.get(model, view.row_id) is None:
        return [FieldError("row_id", "errors.missing_reference")]
    return []


citations = RecordService(
    RecordSpec(
        model=Citation,
        record="record.citation",
        required=("source_id", "table_name", "row_id"),
        refs={"source_id": Source},
        checks=(_citation_rules,),
    )
)
