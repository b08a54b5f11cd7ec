"""Controlled vocabularies: editable terms, and their labels in the user's language."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, col, select

from ..errors import FieldError
from ..models import VocabularyTerm
from ..models.enums import VOCABULARIES
from .base import RecordService, RecordSpec
from .lookups import Lookups

_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def _term_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    if view.code and not _CODE.match(view.code):
        errors.append(FieldError("code", "errors.bad_code"))
    clash = db.find(VocabularyTerm, vocabulary=view.vocabulary, code=view.code)
    if clash is not None and (obj is None or clash != obj.id):
        errors.append(FieldError("code", "errors.duplicate_code"))
    if obj is not None and view.code != obj.code:
        # Records store codes; renaming one would silently orphan them.
        errors.append(FieldError("code", "errors.code_is_fixed"))
    if view.parent_code:
        parent = db.find(VocabularyTerm, vocabulary=view.vocabulary, code=view.parent_code)
        if parent is None or view.parent_code == view.code:
            errors.append(FieldError("parent_code", "errors.missing_reference"))
    return errors


terms = RecordService(
    RecordSpec(
        model=VocabularyTerm,
        record="record.vocabulary_term",
        required=("vocabulary", "code", "label_en", "label_es"),
        choices={"vocabulary": VOCABULARIES},
        checks=(_term_rules,),
    )
)


def labels(session: Session, vocabulary: str, lang: str) -> dict[str, str]:
    """code -> label in ``lang`` for every term of ``vocabulary``, in display order."""
    label = VocabularyTerm.label_es if lang == "es" else VocabularyTerm.label_en
    rows = session.exec(
        select(VocabularyTerm.code, label)
        .where(VocabularyTerm.vocabulary == vocabulary)
        .order_by(col(VocabularyTerm.sort_order), col(VocabularyTerm.code))
    ).all()
    return {code: text for code, text in rows}
