"""What validation reads: one record by id, one matching row, the active codes of a vocabulary.

The rules of every record kind read through a :class:`Lookups`, never through the session
directly, so the same rules serve a single form save (:class:`Lookups`, straight queries) and
a bulk import (:class:`BatchLookups`, which also sees the records staged in the batch and
answers repeated questions from memory instead of sending one query per row).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from ..models import VocabularyTerm


class Lookups:
    """Reads for validation, each a query on the session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, model: type[SQLModel], row_id: Any) -> Any | None:
        """The record of ``model`` with ``row_id``, or None."""
        return self.session.get(model, row_id)

    def find(self, model: type[SQLModel], **where: Any) -> uuid.UUID | None:
        """The id of a row of ``model`` whose columns equal ``where``, or None."""
        query = select(model.id)  # type: ignore[attr-defined]
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        found: uuid.UUID | None = self.session.exec(query).first()
        return found

    def known_codes(self, vocabulary: str, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` are active codes of ``vocabulary``."""
        return set(
            self.session.exec(
                select(VocabularyTerm.code).where(
                    VocabularyTerm.vocabulary == vocabulary,
                    col(VocabularyTerm.code).in_(list(codes)),
                    VocabularyTerm.active == True,  # noqa: E712  (SQL comparison)
                )
            ).all()
        )


class BatchLookups(Lookups):
    """Reads for a batch of new records: staged records count as existing, answers are kept.

    A staged record is new, so no row already in the database can point at it: a question
    whose conditions name a staged id is answered from the batch alone, without a query.
    """

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.staged: dict[type[SQLModel], dict[uuid.UUID, SimpleNamespace]] = {}
        self.new_ids: set[uuid.UUID] = set()
        self._fetched: dict[tuple[type[SQLModel], Any], Any] = {}
        self._found: dict[tuple[Any, ...], uuid.UUID | None] = {}
        self._indexes: dict[tuple[type[SQLModel], tuple[str, ...]], dict[tuple[Any, ...], Any]] = {}
        self._codes: dict[str, set[str]] = {}
        self._staged_codes: dict[str, set[str]] = {}

    def stage(self, model: type[SQLModel], view: SimpleNamespace) -> None:
        """Count ``view`` (every column of a new record) as existing from now on."""
        self.staged.setdefault(model, {})[view.id] = view
        self.new_ids.add(view.id)
        if model is VocabularyTerm and view.active:
            self._staged_codes.setdefault(view.vocabulary, set()).add(view.code)
        for (indexed, names), index in self._indexes.items():
            if indexed is model:
                index[tuple(getattr(view, n) for n in names)] = view.id

    def get(self, model: type[SQLModel], row_id: Any) -> Any | None:
        """A staged record, else the database's (each id read at most once)."""
        staged = self.staged.get(model, {}).get(row_id)
        if staged is not None:
            return staged
        if row_id in self.new_ids:  # staged as another kind of record
            return None
        key = (model, row_id)
        if key not in self._fetched:
            self._fetched[key] = self.session.get(model, row_id)
        return self._fetched[key]

    def find(self, model: type[SQLModel], **where: Any) -> uuid.UUID | None:
        """A staged match first; the database only when no condition names a staged id."""
        names = tuple(sorted(where))
        values = tuple(where[n] for n in names)
        hit = self._index(model, names).get(values)
        if hit is not None:
            return hit
        if any(isinstance(v, uuid.UUID) and v in self.new_ids for v in values):
            return None
        key = (model, names, values)
        if key not in self._found:
            self._found[key] = super().find(model, **where)
        return self._found[key]

    def remember(self, model: type[SQLModel], found: uuid.UUID | None, **where: Any) -> None:
        """Answer ``find(model, **where)`` with ``found`` from now on: a caller that read many
        such rows in one query spares the batch one query per row."""
        names = tuple(sorted(where))
        self._found[model, names, tuple(where[n] for n in names)] = found

    def known_codes(self, vocabulary: str, codes: Iterable[str]) -> set[str]:
        """Answered from the vocabulary's active codes, read once per batch."""
        if vocabulary not in self._codes:
            self._codes[vocabulary] = set(
                self.session.exec(
                    select(VocabularyTerm.code).where(
                        VocabularyTerm.vocabulary == vocabulary,
                        VocabularyTerm.active == True,  # noqa: E712  (SQL comparison)
                    )
                ).all()
            )
        stored, staged = self._codes[vocabulary], self._staged_codes.get(vocabulary, ())
        return {code for code in codes if code in stored or code in staged}

    def _index(
        self, model: type[SQLModel], names: tuple[str, ...]
    ) -> Mapping[tuple[Any, ...], Any]:
        """Staged records of ``model`` by the values of ``names`` (built on first use)."""
        key = (model, names)
        if key not in self._indexes:
            self._indexes[key] = {
                tuple(getattr(v, n) for n in names): v.id
                for v in self.staged.get(model, {}).values()
            }
        return self._indexes[key]
