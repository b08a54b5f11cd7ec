"""Results of slow analyses kept in the database between server starts (:mod:`.store`), as
typed JSON (:mod:`.codec`)."""

from .store import META, ResultStore, Stored, key_text, scope_of

__all__ = ["META", "ResultStore", "Stored", "key_text", "scope_of"]
