"""The one redactor of free text: every written form of a withheld person's name, in any
accent, case and separator, replaced by the name shown for them (:class:`Redactor`).

Pseudonyms in name columns are not enough: a real name also sits in what people type (a
case titled "Proceso contra Zenobia Quispicanchi", a note, a source URL ending in
".../zenobia-quispicanchi"). Every text that leaves the database for someone who may not see
confidential people goes through a Redactor, built once from the confidential and restricted
people of the database: tracker.privacy decides whose, and keeps one per data revision.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import is_not
from typing import Any
from urllib.parse import unquote

from .i18n import t
from .name_patterns import (
    PublicHolders,
    fold,
    fold_all,
    fold_text,
    name_variants,
    trie_regex,
    within_public,
)

__all__ = ["MIN_LENGTH", "NO_REDACTION", "Redactor"]

_TEXT_OR_NONE = frozenset({str, type(None)})
# Variants shorter than this (a two-letter alias) would blank out ordinary words.
MIN_LENGTH = 3
# Longer text is not looked up whole among the public names (Redactor._replace).
_NAME_LENGTH = 200


class Redactor:
    """Replaces every written form of a withheld person in text by the name shown for them.

    Built from rows of people (``name``, ``aliases``, ``id_number``, ``pseudonym``,
    ``confidentiality``). Matching ignores accents and case and accepts any separator
    between words (so URL slugs such as ``zenobia-quispicanchi``, ``zenobia_quispicanchi``,
    ``zenobia%20quispicanchi`` and ``zenobia+quispicanchi`` are found), whole words only.
    One compiled regular expression (a trie of the folded forms, so the longest form wins),
    one scan per text.

    A redactor built from no people changes nothing: what trusted users get.
    """

    def __init__(
        self, people: Iterable[Mapping[str, Any]] = (), public_names: Iterable[str] = ()
    ) -> None:
        strong: dict[str, str] = {}
        partial: dict[str, str] = {}
        withheld = t("privacy.name_withheld")
        # Every form, in order, with the table it goes to and the name it is shown as; folded
        # all at once below (fold_all: one pass in C, where a fold per form took 0.5 s of
        # the 137,000 forms at scale L).
        added: list[tuple[dict[str, str], str, str]] = []
        for person in people:
            shown = (
                withheld
                if person.get("confidentiality") == "restricted"
                else (person.get("pseudonym") or withheld)
            )
            name = person.get("name") or ""
            for form in [name, *(person.get("aliases") or []), person.get("id_number") or ""]:
                added.append((strong, str(form), shown))
            for form in name_variants(name):
                added.append((partial, form, shown))
        keys = fold_all([form for _, form, _ in added])
        for (forms, _, shown), key in zip(added, keys, strict=True):
            _add(forms, key, shown, withheld)
        full = set(strong)
        for key, shown in partial.items():
            strong.setdefault(key, shown)
        # A public person's whole name that holds a partial form of a withheld person's name
        # ("Abel Apaza Rojas" beside a confidential "Abel Apaza Quispe") is kept as written:
        # a partial form found inside a public person's whole name, written whole, is left
        # alone. The withheld person's own forms ("Abel Apaza" alone) are still replaced.
        # The public names are not in the pattern (at scale L, 200,000 of them made compiling
        # take 875 MB): each partial form knows the public names holding it, and one of those
        # is looked for only where that form is found.
        self.public = PublicHolders(public_names, full, set(partial))
        self.names = strong
        self.pattern = trie_regex(tuple(sorted(strong))) if strong else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def __call__(self, text: Any) -> Any:
        """``text`` redacted; anything but a string is returned as it is."""
        if self.pattern is None or not isinstance(text, str) or not text:
            return text
        if "%" in text:
            # Accents percent-encoded in a URL (zen%C3%B3bia): look at the decoded form.
            decoded = unquote(text)
            if decoded != text and self.pattern.search(fold_text(decoded)):
                text = decoded
        folded = fold_text(text)
        parts: list[str] = []
        end = 0
        for match in self.pattern.finditer(folded):
            start, stop = match.span()
            parts += (text[end:start], self._replace(text, folded, start, stop, 0, len(text)))
            end = stop
        if not parts:
            return text
        parts.append(text[end:])
        return "".join(parts)

    def many(self, texts: list[Any]) -> list[Any]:
        """``[self.value(text) for text in texts]``, in one scan of the texts joined
        (:meth:`changes`)."""
        out = list(texts)
        for i, new in self.changes(texts):
            out[i] = new
        return out

    def changes(self, texts: list[Any]) -> list[tuple[int, Any]]:
        """(index, redacted) of the texts :meth:`value` changes, or may change.

        The texts are joined by NUL, which no name holds, which no separator matches and
        which bounds a word as the start or end of a text does, and scanned once: a name is
        found in the joined text exactly where it is found in each text alone, and replaced
        as :meth:`__call__` replaces it. Text holding "%" or NUL, and anything but text,
        goes through :meth:`value` one by one."""
        if self.pattern is None:
            return []
        if set(map(type, texts)) <= _TEXT_OR_NONE:  # a column of text: no loop in Python
            plain, out = list(compress(range(len(texts)), map(is_not, texts, repeat(None)))), []
        else:
            plain = [i for i, text in enumerate(texts) if type(text) is str]
            out = [
                (i, self.value(texts[i]))
                for i, text in enumerate(texts)
                if text is not None and type(text) is not str
            ]
        joined = "\x00".join([texts[i] for i in plain])
        if "%" in joined or "\x00" in joined.replace("\x00", "", len(plain) - 1):
            odd = {i for i in plain if "%" in texts[i] or "\x00" in texts[i]}
            out += [(i, self(texts[i])) for i in odd]
            plain = [i for i in plain if i not in odd]
            joined = "\x00".join([texts[i] for i in plain])
        sizes = map(len, [texts[i] for i in plain[:-1]])
        starts = list(accumulate(map((1).__add__, sizes), initial=0))
        current, parts, end, base = -1, [], 0, 0
        folded = fold_text(joined)
        for match in self.pattern.finditer(folded):
            start, stop = match.span()
            k = bisect_right(starts, start) - 1
            if k != current:
                if current >= 0:
                    parts.append(joined[end : base + len(texts[plain[current]])])
                    out.append((plain[current], "".join(parts)))
                current, parts, base = k, [], starts[k]
                end = base
            cell_end = base + len(texts[plain[k]])
            parts += (joined[end:start], self._replace(joined, folded, start, stop, base, cell_end))
            end = stop
        if current >= 0:
            parts.append(joined[end : base + len(texts[plain[current]])])
            out.append((plain[current], "".join(parts)))
        return out

    def _replace(self, text: str, folded: str, start: int, stop: int, lo: int, hi: int) -> str:
        """What replaces ``text[start:stop]``, a form found in ``folded`` (``text`` folded
        one character for one) within the text ``text[lo:hi]``: itself when it sits inside a
        public person's whole name written there, else the name shown for it."""
        written = text[start:stop]
        key = _fold_form(written)
        # A short text that is a public person's whole name (a label) is answered from the
        # names as a set: working out every public name holding the form (get) took 2 s for
        # the labels of 9,844 complainants at scale L. A long text is never a name, and
        # copying it for each form found in it would cost more than the lookup below.
        if hi - lo <= _NAME_LENGTH and self.public.holds_whole(folded[lo:hi], key):
            return written  # the text is a public person's whole name
        holders = self.public.get(key)
        if holders and within_public(folded, start, stop, lo, hi, holders):
            return written  # a public person's whole name
        return self.names.get(key) or t("privacy.name_withheld")

    def find(self, text: str | None) -> list[tuple[str, str]]:
        """(the form written, the name to show instead) of each withheld name in ``text``."""
        if self.pattern is None or not text:
            return []
        folded = fold_text(text)
        spans = [m.span() for m in self.pattern.finditer(folded)]
        found = [(text[a:b], self._replace(text, folded, a, b, 0, len(text))) for a, b in spans]
        return [(written, shown) for written, shown in found if written != shown]

    def value(self, obj: Any) -> Any:
        """``obj`` with every string inside it redacted: dicts (values; string keys too),
        lists, tuples and named tuples, sets, dataclasses, pandas DataFrames; other values as
        they are. New containers, the input untouched."""
        if self.pattern is None:
            return obj
        return self._walk(obj)

    def _walk(self, obj: Any) -> Any:
        if isinstance(obj, str):
            return self(obj)
        if isinstance(obj, dict):
            return {(self(k) if isinstance(k, str) else k): self._walk(v) for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._walk(v) for v in obj]
        if isinstance(obj, tuple):
            walked = [self._walk(v) for v in obj]
            return type(obj)(*walked) if hasattr(obj, "_fields") else tuple(walked)
        if isinstance(obj, (set, frozenset)):
            return type(obj)(self._walk(v) for v in obj)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            changes = {
                f.name: self._walk(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init
            }
            return dataclasses.replace(obj, **changes)
        if type(obj).__name__ == "DataFrame" and hasattr(obj, "columns"):
            return self.frame(obj)
        return obj

    def rows(self, rows: dict[Any, Any]) -> dict[Any, Any]:
        """A dict of named-tuple rows (id -> row) with their text fields redacted, in place
        (only the rows that change are made again); returned."""
        if self.pattern is None:
            return rows
        for key, row in rows.items():
            changed = {
                name: new
                for name, value in row._asdict().items()
                if isinstance(value, str) and (new := self(value)) != value
            }
            if changed:
                rows[key] = row._replace(**changed)
        return rows

    def frame(self, frame: Any) -> Any:
        """A pandas DataFrame with every text cell (and column name) redacted (a copy)."""
        if self.pattern is None:
            return frame
        out = frame.copy()
        for column in out.columns:
            # Text of any dtype (object, str, string, category); numbers and dates have none.
            if out[column].dtype.kind not in "biufcmM":
                out[column] = out[column].map(self._walk)
        out.columns = [self(c) if isinstance(c, str) else c for c in out.columns]
        return out

    def graph(self, graph: Any) -> Any:
        """A networkx graph's graph, node and edge attributes redacted, in place; returned.

        Node keys are ids, never names (tracker.graphs), and are left as they are."""
        if self.pattern is None:
            return graph
        graph.graph.update(self._walk(dict(graph.graph)))
        for _, attrs in graph.nodes(data=True):
            attrs.update(self._walk(dict(attrs)))
        for *_, attrs in graph.edges(data=True):
            attrs.update(self._walk(dict(attrs)))
        return graph


@lru_cache(maxsize=1 << 14)
def _fold_form(written: str) -> str:
    # The same few forms match again and again (an export meets a public name holding part of
    # a withheld one tens of thousands of times); folding each anew was 13 % of a CSV export.
    return fold(written)


def _add(forms: dict[str, str], key: str, shown: str, withheld: str) -> None:
    """Add the folded form ``key`` of a withheld person, shown as ``shown``."""
    if len(key.replace(" ", "")) < MIN_LENGTH or key == _fold_form(shown):
        return
    if key in forms and forms[key] != shown:
        shown = withheld  # two withheld people share the form: name neither
    forms[key] = shown


NO_REDACTION = Redactor()
