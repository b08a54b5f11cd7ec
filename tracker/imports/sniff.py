"""Guess how a CSV file was written: its encoding and its delimiter.

NGO sheets reach us as Excel saves them: UTF-8 with or without a byte-order mark, UTF-16
("Unicode text"), Windows-1252 on Spanish Windows, separated by commas, semicolons or tabs,
with CRLF line ends and quoted cells that hold the delimiter. Nothing here raises.
"""

from __future__ import annotations

import codecs
import csv
import io

__all__ = ["decode", "delimiter"]

_CANDIDATES = (",", ";", "\t", "|")
_SAMPLE_CHARS = 64 * 1024
_SAMPLE_LINES = 50


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was read with.

    A byte-order mark decides (UTF-8, UTF-16 LE/BE); UTF-16 without a mark is recognised by
    its zero bytes at every other position; then UTF-8; then Windows-1252, Excel's "CSV" on
    Windows; latin-1 (which reads any byte) last.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        # ASCII text in UTF-16: one byte of each pair is zero (the second in little-endian).
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            encoding = "utf-16-le"
        elif even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            encoding = "utf-16-be"
        else:
            encoding = ""
        if encoding:
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                pass
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _score(sample: str, sep: str) -> tuple[int, int]:
    """(lines whose width equals the header's, the header's width) with ``sep`` as delimiter.

    Read with Excel's quoting, so a quoted ";" inside a cell does not count.
    """
    dialect = type("_D", (csv.excel,), {"delimiter": sep})
    try:
        rows = [r for r in csv.reader(io.StringIO(sample, newline=""), dialect) if r]
    except csv.Error:
        return (0, 0)
    rows = rows[:_SAMPLE_LINES]
    if len(rows) > 1 and not sample.endswith(("\n", "\r")):
        rows = rows[:-1]  # the sample may cut the last line in half
    if not rows or len(rows[0]) < 2:
        return (0, 0)
    width = len(rows[0])
    return (sum(1 for r in rows if len(r) == width), width)


def delimiter(text: str) -> str:
    """The delimiter of CSV ``text``: comma, semicolon, tab or bar (comma when unsure).

    csv.Sniffer's answer is kept when rows read with it are as regular as with any other
    candidate; otherwise the candidate whose rows most often have the header's width (then
    the widest header) wins. The sniffer alone fails on semicolon files with quoted ";".
    """
    sample = text[:_SAMPLE_CHARS]
    scores = {sep: _score(sample, sep) for sep in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda s: scores[s])
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_CANDIDATES)).delimiter
    except csv.Error:
        sniffed = ""
    if sniffed in scores and scores[sniffed] >= scores[best]:
        return sniffed
    return best if scores[best][1] >= 2 else ","
