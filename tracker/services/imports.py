"""What imports remember: aliases of vocabulary terms and column mappings saved by name.

Both are ordinary audited records: an alias made while mapping a sheet's "Casación" to the
stage *cassation* is logged like any edit, and later imports read the word as the term.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, col, select

from ..errors import FieldError
from ..models import ImportMapping, TermAlias, VocabularyTerm
from ..models.enums import VOCABULARIES
from ..template_columns import COLUMNS
from ..template_columns import normalize as fold
from .base import RecordService, RecordSpec
from .lookups import Lookups

__all__ = [
    "aliases",
    "import_mappings",
    "mapping_names",
    "save_alias",
    "save_mapping",
    "saved_mapping",
    "term_aliases",
]



def _template_keys() -> frozenset[str]:
    return frozenset(c.key for c in COLUMNS)


def normalize(text: str) -> str:
    """Fold case, accents and punctuation (tracker.template_columns.normalize)."""
    return fold(text)


def _alias_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    if db.find(VocabularyTerm, vocabulary=view.vocabulary, code=view.code) is None:
        errors.append(
            FieldError(
                "code", "errors.unknown_code", {"value": view.code, "vocabulary": view.vocabulary}
            )
        )
    if not view.normalized:
        errors.append(FieldError("alias", "errors.required"))
    clash = db.find(TermAlias, vocabulary=view.vocabulary, normalized=view.normalized)
    if clash is not None and (obj is None or clash != obj.id):
        errors.append(FieldError("alias", "errors.duplicate_alias", {"value": view.alias}))
    return errors


term_aliases = RecordService(
    RecordSpec(
        model=TermAlias,
        record="record.term_alias",
        required=("vocabulary", "code", "alias"),
        choices={"vocabulary": VOCABULARIES},
        checks=(_alias_rules,),
    )
)


def _mapping_rules(db: Lookups, view: SimpleNamespace, obj: Any) -> list[FieldError]:
    errors: list[FieldError] = []
    pairs = view.columns
    if not isinstance(pairs, list) or not pairs:
        return [FieldError("columns", "errors.required")]
    if not all(isinstance(p, list | tuple) and len(p) == 2 for p in pairs):
        return [FieldError("columns", "errors.not_a_list", {"value": str(pairs)[:80]})]
    keys = _template_keys()
    bad = sorted(str(k) for _, k in pairs if k and k not in keys)  # "": left out
    if bad:
        errors.append(FieldError("columns", "errors.unknown_column", {"value": ", ".join(bad)}))
    clash = db.find(ImportMapping, name=view.name)
    if clash is not None and (obj is None or clash != obj.id):
        errors.append(FieldError("name", "errors.duplicate_name"))
    return errors


import_mappings = RecordService(
    RecordSpec(
        model=ImportMapping,
        record="record.import_mapping",
        required=("name",),
        checks=(_mapping_rules,),
    )
)


def save_alias(session: Session, vocabulary: str, alias: str, code: str) -> Any:
    """Keep ``alias`` as another way of writing term ``code`` (an existing alias of the same
    text is pointed at the new term); return the alias's id."""
    folded = normalize(alias)[:200]
    found = session.exec(
        select(TermAlias).where(TermAlias.vocabulary == vocabulary, TermAlias.normalized == folded)
    ).first()
    if found is not None:
        if found.code != code:
            term_aliases.update(session, found.id, {"code": code}, found.version_id)
        return found.id
    return term_aliases.create(
        session,
        {
            "vocabulary": vocabulary,
            "code": code,
            "alias": alias.strip()[:200],
            "normalized": folded,
        },
    )


def aliases(session: Session) -> list[tuple[str, str, str]]:
    """(vocabulary, code, alias) of every alias."""
    rows = session.exec(
        select(TermAlias.vocabulary, TermAlias.code, TermAlias.alias).order_by(
            col(TermAlias.vocabulary), col(TermAlias.alias)
        )
    ).all()
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def save_mapping(session: Session, name: str, columns: Mapping[str, str]) -> Any:
    """Save (or replace) the column mapping ``name``: file header -> template key.

    A header mapped to "" is a column left out on purpose: it is kept, so that the mapping,
    used again, leaves it out instead of letting it be recognised automatically.
    """
    name = re.sub(r"\s+", " ", name).strip()
    data = [[str(h), str(k or "")] for h, k in columns.items() if h]
    if not any(k for _, k in data):
        data = []  # nothing imported is no mapping (the name then gets "required")
    found = session.exec(select(ImportMapping).where(ImportMapping.name == name)).first()
    if found is not None:
        import_mappings.update(session, found.id, {"columns": data}, found.version_id)
        return found.id
    return import_mappings.create(session, {"name": name, "columns": data})


def mapping_names(session: Session) -> list[str]:
    """Names of the saved mappings, alphabetically."""
    return [str(n) for n in session.exec(select(ImportMapping.name).order_by(ImportMapping.name))]


def saved_mapping(session: Session, name: str) -> dict[str, str] | None:
    """The saved mapping called ``name``, or None (a header mapped to "" is left out)."""
    found = session.exec(select(ImportMapping).where(ImportMapping.name == name)).first()
    return {str(h): str(k) for h, k in found.columns} if found is not None else None
