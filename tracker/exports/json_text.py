"""Compact JSON text of many small values (rows, entities), one call each."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from itertools import repeat
from typing import Any

__all__ = ["compact_encoder", "rows_encoder"]


def compact_encoder(
    *, sort_keys: bool = False, default: Callable[[Any], Any] | None = None
) -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False, sort_keys=..., default=...).encode``, made once.

    ``JSONEncoder.encode`` builds the standard library's C encoder again for every call,
    which cost as much as the encoding itself for the 370,000 small entities of an FtM export
    at scale M; this builds it once (same text, as the C encoder is what encode runs)."""
    encoder = json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, default=default)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return encoder.encode
    iterencode = make(
        {},
        encoder.default,
        json.encoder.encode_basestring,
        None,
        encoder.key_separator,
        encoder.item_separator,
        sort_keys,
        False,
        True,
    )
    return lambda value: "".join(iterencode(value, 0))


def rows_encoder(
    keys: list[str], encode: Callable[[Any], str]
) -> Callable[[list[list[Any]]], list[str]]:
    """The function giving ``[encode(dict(zip(keys, row))) for row in rows]`` of a batch held
    as one list per column (the rows' values under ``keys``), with the same text.

    ``encode`` is a :func:`compact_encoder` (separators ", " and ": "). Each column is encoded
    at once, by the types it holds (text by the encoder's own string function, whole numbers
    and booleans as Python writes them, anything else by ``encode`` value by value), and a
    row's text is its columns' texts after their keys: no dict and no encoder call per row,
    which took two thirds of a JSON export's writing."""
    if len(set(keys)) != len(keys):  # a dict would keep one value per key: as encode does
        return lambda batch: [
            encode(dict(zip(keys, row, strict=True))) for row in zip(*batch, strict=True)
        ]
    heads = [("{" if i == 0 else ", ") + encode(key) + ": " for i, key in enumerate(keys)]

    def rows(batch: list[list[Any]]) -> list[str]:
        # Each row's pieces (key, value, key, value, ..., "}") joined once: the keys repeat.
        pieces: list[Iterable[str]] = []
        for head, column in zip(heads, batch, strict=True):
            pieces += (repeat(head), _column_json(column, encode))
        pieces.append(repeat("}"))
        return list(map("".join, zip(*pieces, strict=False)))  # as long as the columns

    return rows


_JSON_STRING = json.encoder.encode_basestring  # what the C encoder writes text with
_WORDS = {None: "null", True: "true", False: "false"}


def _column_json(column: list[Any], encode: Callable[[Any], str]) -> list[str]:
    """Each value of a column as ``encode`` writes it."""
    kinds = set(map(type, column))
    if kinds <= {bool, type(None)}:
        return list(map(_WORDS.__getitem__, column))
    if kinds == {str}:
        return list(map(_JSON_STRING, column))
    if kinds == {str, type(None)}:
        return [_JSON_STRING(v) if v is not None else "null" for v in column]
    if kinds <= {int, type(None)}:
        return [int.__repr__(v) if v is not None else "null" for v in column]
    return list(map(encode, column))
