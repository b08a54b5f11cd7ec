"""The regular expression of tracker.privacy's Redactor: withheld names in any accent, case
and separator, matched on text folded one character for one (:data:`FOLD_LETTERS`).

:func:`fold` is the key two spellings of a name share; :func:`trie_regex` compiles the folded
keys of many names into one pattern (a trie, so the longest form wins); :func:`within_public`
tells whether a form found lies inside a public person's whole name written around it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise
from typing import Any

__all__ = [
    "FOLD_LETTERS",
    "PublicHolders",
    "fold",
    "fold_all",
    "fold_text",
    "name_variants",
    "runs_of_words",
    "trie_regex",
    "within_public",
]

# Before a name: no letter or digit (an underscore is a separator, not a letter; "%20",
# "%2D" and "%5F" are spaces in the text matched, fold_text).
_BEFORE = r"(?<![^\W_].)"
_AFTER = r"(?![^\W_])"
_SEP_TEXT = re.compile(r"(?:[\s\-_+.·,]|%20|%2[dD]|%5[fF])+")


class _StripCombining(dict[int, int | None]):
    """A str.translate table that drops combining marks (accents after NFKD), filled as
    characters are met: the translation runs in C, where a join over a generator of
    unicodedata.combining calls took most of building a redactor at scale L."""

    def __missing__(self, cp: int) -> int | None:
        value = None if unicodedata.combining(chr(cp)) else cp
        self[cp] = value
        return value


_STRIP_COMBINING = _StripCombining()


def fold(text: str) -> str:
    """``text`` without accents, case or separator differences: "Zenóbia-QUISPE" ->
    "zenobia quispe". Two spellings of a name fold to the same key."""
    if text.isascii():  # NFKD leaves ASCII as it is, with no combining marks
        plain = text.casefold()
    else:
        plain = unicodedata.normalize("NFKD", text).translate(_STRIP_COMBINING).casefold()
    return _SEP_TEXT.sub(" ", plain).strip()


def fold_all(texts: list[str]) -> list[str]:
    """``[fold(text) for text in texts]``, folded as one text joined by NUL (no separator,
    letter or accent; a starter, so no accent moves across it): one pass in C, where a call
    per name took 0.8 s for the 274,501 public names of scale L."""
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return [fold(text) for text in texts]  # a text holds NUL itself
    return [part.strip() for part in fold(joined).split("\x00")]


def _letter_classes() -> dict[str, str]:
    """Folded letter -> regex class of every accented and cased form of it (a -> [aáàâ...])."""
    forms: dict[str, set[str]] = {}
    for cp in [*range(0x41, 0x5B), *range(0x61, 0x7B), *range(0xC0, 0x180)]:
        ch = chr(cp)
        base = fold(ch)
        if len(base) == 1 and base.isascii() and base.isalpha():
            forms.setdefault(base, {base}).update({ch, ch.lower(), ch.upper()})
    return {
        base: "[" + "".join(re.escape(c) for c in sorted(chars) if len(c) == 1) + "]"
        for base, chars in forms.items()
    }


_LETTERS = _letter_classes()
# Every accented and cased form of a letter -> the folded letter, one character for one, so
# the pattern is matched on ``text.translate(FOLD_LETTERS)`` with plain letters where it
# would otherwise need a class per letter (compiling 20,000 names' classes took 27 s) and a
# match's span is the same in the text as written.
FOLD_LETTERS = {
    ord(form): base
    for base, forms in _LETTERS.items()
    for form in re.findall(r"\\?(.)", forms[1:-1])
}
# Separators a name's words may be joined by: spaces, hyphens and underscores of URL slugs,
# "+" and "%20" of query strings, dots of e-mail addresses. The one-character ones likewise
# become a space (none is a letter or digit, so the
# word boundaries stay where they were); "%20", "%2D" and "%5F" become three spaces in
# fold_text.
FOLD_LETTERS.update({cp: " " for cp in range(0x3000 + 1) if re.fullmatch(r"[\s\-_+.·]", chr(cp))})
_FOLDED_SEP = " +"  # matched on fold_text: every separator there is a space
# The separators of URLs, already folded by FOLD_LETTERS: three characters, made three spaces.
_PERCENT_SEP = re.compile("%2[0d]|%5f")


def fold_text(text: str) -> str:
    """The text the pattern of :func:`trie_regex` is matched on, each character at its place
    in ``text``: letters folded one for one (FOLD_LETTERS), every separator a space, "%20",
    "%2D" and "%5F" three spaces. Separators as spaces keep the pattern small: an
    alternative of the three percent forms at each space of each name was 30 % of its
    length, and 1 s of compiling it at scale L (of 2.4 s)."""
    folded = text.translate(FOLD_LETTERS)
    return _PERCENT_SEP.sub("   ", folded) if "%" in folded else folded


_APOSTROPHES = "['’´`]"


def _char_pattern(ch: str) -> str:
    if ch == " ":
        return _FOLDED_SEP
    if ch in "'’´`":
        return _APOSTROPHES
    if ch in _LETTERS:
        return ch  # matched on text translated by FOLD_LETTERS
    cased = {ch, ch.upper(), ch.lower()}
    if len(cased) > 1 and all(len(c) == 1 for c in cased):
        return "[" + "".join(re.escape(c) for c in sorted(cased)) + "]"
    return re.escape(ch)


@lru_cache(maxsize=16)
def trie_regex(keys: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of the folded ``keys`` in any accent, case and separator.

    Compiling takes long for many people (0.7 s for 200): a pattern is kept for the next
    request with the same withheld people. The pattern opens with one character class (every form of every first letter) so the
    regex engine skips ahead to candidate positions instead of trying each one; the word
    boundary before the name and the branch of the trie are then checked looking back.
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict[str, Any]) -> str:
        alternatives = [
            _char_pattern(ch) + build(child) for ch, child in sorted(node.items()) if ch
        ]
        if not alternatives:
            return ""
        body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
        return f"(?:{body})?" if "" in node else body

    firsts = sorted(ch for ch in trie if ch)
    union = "".join(_char_pattern(ch)[1:-1] if _is_class(ch) else re.escape(ch) for ch in firsts)
    branches = "|".join(f"(?<={_char_pattern(ch)}){build(trie[ch])}" for ch in firsts)
    return re.compile(f"[{union}]{_BEFORE}(?:{branches}){_AFTER}")


def _is_class(ch: str) -> bool:
    return _char_pattern(ch).startswith("[")


# Name particles: kept with the surname they introduce ("de la Cruz" is one surname).
PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "y", "da", "do", "dos", "das", "van", "von"}
)


def name_variants(name: str) -> list[str]:
    """The forms a person's name is written in besides the full one (Spanish naming: given
    names, then paternal and maternal surname).

    "Zenobia Quispicanchi Huamán" -> "Zenobia Quispicanchi", "Zenobia Huamán",
    "Quispicanchi Huamán"; "Rosa María de la Cruz Quispe" -> "Rosa de la Cruz", "Rosa María
    de la Cruz", "de la Cruz Quispe", ... A lone given name or surname is not a variant
    (it would blank out every other Quispe).
    """
    words = name.split()
    tokens: list[str] = []
    pending: list[str] = []
    for word in words:
        if word.casefold() in PARTICLES:
            pending.append(word)
            continue
        tokens.append(" ".join([*pending, word]))
        pending = []
    if pending and tokens:
        tokens[-1] = " ".join([tokens[-1], *pending])
    out: list[str] = []
    if len(tokens) < 3:
        return out
    first = tokens[0]
    if len(tokens) == 3:
        # Either given + two surnames or two given names + one surname.
        out += [f"{first} {tokens[1]}", f"{first} {tokens[2]}", f"{tokens[1]} {tokens[2]}"]
    else:
        given, paternal, maternal = tokens[:-2], tokens[-2], tokens[-1]
        out += [
            f"{first} {paternal}",
            f"{' '.join(given)} {paternal}",
            f"{first} {paternal} {maternal}",
            f"{paternal} {maternal}",
        ]
    return list(dict.fromkeys(out))


def within_public(folded: str, start: int, stop: int, lo: int, hi: int, holders: set[str]) -> bool:
    """Whether ``folded[start:stop]`` lies inside one of the public whole names ``holders``
    (folded keys) written in ``folded[lo:hi]``: whole words, joined by separators."""
    whole = folded[lo:hi]
    if whole in holders and _SPACED_WORDS.fullmatch(whole) is not None:
        # The text is that public name, words joined by single spaces (an actor's name): the
        # search below finds this run of all its words too, at 10 times the cost.
        return True
    words = list(_WORD.finditer(folded, lo, hi))
    first = next((i for i, w in enumerate(words) if w.end() > start), None)
    last = next((i for i in range(len(words) - 1, -1, -1) if words[i].start() < stop), None)
    if first is None or last is None:
        return False
    for n in {holder.count(" ") + 1 for holder in holders}:
        for i in range(max(0, last - n + 1), min(first, len(words) - n) + 1):
            run = words[i : i + n]
            if " ".join(w.group() for w in run) in holders and all(
                _JOIN.fullmatch(folded, a.end(), b.start()) for a, b in pairwise(run)
            ):
                return True
    return False


def runs_of_words(text: str) -> set[str]:
    """Every run of whole words of the folded ``text`` (where a form could match in it)."""
    words = _RUN_WORD.findall(text)
    return {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}


class PublicHolders:
    """Partial form of a withheld name -> the public people's whole names (folded) that hold
    it as a run of whole words and hold no withheld person's whole name, alias or ID
    number (``full``): :meth:`get`, as a dict's get.

    Worked out for a form when a text first holds it, from an index of the pairs of words
    side by side in the names, built then: most forms are never met in one process, and the
    runs of every one of 274,501 public names at scale L took 3 s of each redactor's making.
    """

    def __init__(self, public_names: Iterable[str], full: set[str], partial: set[str]) -> None:
        self._names = list(public_names)
        self._full, self._partial = full, partial
        # Built when first needed. A redactor is shared by the app's sessions (threads): each
        # structure is made whole before it is published, so another thread sees it complete
        # or not at all (at worst both build it).
        self._folded: list[str] | None = None  # each name folded (fold_all)
        self._whole: set[str] | None = None  # the same as a set (holds_whole)
        self._runs: list[str] = []  # each name's words joined by single spaces, padded
        self._by_pair: dict[str, list[int]] | None = None  # word pair -> names holding it
        self._clean: dict[str, bool] = {}  # name folded -> holds no withheld whole form
        self._found: dict[str, set[str]] = {}  # form -> its holders (get)

    def get(self, form: str) -> set[str] | None:
        """The public names holding ``form``; None when none does or it is not partial."""
        if form not in self._partial or not self._names:
            return None
        found = self._found.get(form)
        if found is None:
            found = self._found[form] = self._holders(form)
        return found or None

    def _keys(self) -> list[str]:
        if self._folded is None:
            self._folded = fold_all(self._names)
        return self._folded

    def holds_whole(self, whole: str, form: str) -> bool:
        """True when ``whole`` (folded text) is itself a public name holding ``form``, that
        is, when it is one of :meth:`get`'s names for the form; False says nothing.

        An actor's name redacted alone is answered so from the names as a set, without the
        index of every name's words (a label of a public complainant is the common case)."""
        if form not in self._partial or _SPACED_WORDS.fullmatch(whole) is None:
            return False
        if self._whole is None:
            self._whole = set(self._keys())
        if whole not in self._whole or f" {form} " not in f" {whole} ":
            return False
        return self._is_clean(whole)

    def _is_clean(self, key: str) -> bool:
        """Whether the folded name ``key`` holds no withheld person's whole form."""
        clean = self._clean.get(key)
        if clean is None:
            clean = self._clean[key] = runs_of_words(key).isdisjoint(self._full)
        return clean

    def prepare(self) -> None:
        """Build now what :meth:`get` and :meth:`holds_whole` build when first needed (the
        names folded, as a set, and the index of their word pairs: 1.3 s at scale L), for a
        caller with a core to spare (tracker.privacy.redactor_beside)."""
        if self._names and self._partial:
            self._index()
            if self._whole is None:
                self._whole = set(self._keys())

    def _index(self) -> dict[str, list[int]]:
        if self._by_pair is None:
            by_pair: dict[str, list[int]] = {}
            runs = []
            for i, key in enumerate(self._keys()):
                words = _RUN_WORD.findall(key)
                runs.append(f" {' '.join(words)} ")
                for first, second in set(pairwise(words)):
                    by_pair.setdefault(f"{first} {second}", []).append(i)
            self._runs = runs
            self._by_pair = by_pair
        return self._by_pair

    def _holders(self, form: str) -> set[str]:
        keys = self._keys()
        by_pair = self._index()
        # A name holding the form as a run of words holds its first two words side by side;
        # a form of one word (none of a name's variants has fewer than two) is looked for
        # in every name.
        words = _RUN_WORD.findall(form)
        found = by_pair.get(f"{words[0]} {words[1]}", []) if len(words) > 1 else None
        padded = f" {form} "  # a run: whole words, where the name's words are
        return {
            keys[i]
            for i in (range(len(keys)) if found is None else found)
            if padded in self._runs[i] and self._is_clean(keys[i])
        }


# A word of a run (as \w+ finds it), in a folded name.
_RUN_WORD = re.compile(r"\w+")
# A word and the separators between words, in text folded by FOLD_LETTERS.
_WORD = re.compile(r"[^\W_]+")
_JOIN = re.compile(r"(?: |%2[0d]|%5f)+")
_SPACED_WORDS = re.compile(r"[^\W_]+(?: [^\W_]+)*")
