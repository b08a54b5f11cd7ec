"""A fact sheet on exactly one A4 page (fpdf2, the PDF core fonts: nothing to download).

Long content is cut to fit, never spilled onto a second page: an entry keeps at most two
lines (a source's address one), and a section too long for the room left shows its first
entries and a line "… and N more". The room is shared out by taking one entry at a time
from the section that shows the most, so a long timeline cannot crowd out the sources.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from fpdf import FPDF

from ..i18n import t
from .content import Entry, Sheet

__all__ = ["Layout", "layout", "render"]

# Millimetres and points on an A4 page.
_PAGE_W, _PAGE_H = 210.0, 297.0
_MARGIN = 15.0
_WIDTH = _PAGE_W - 2 * _MARGIN
_FOOTER_H = 14.0
_BOTTOM = _PAGE_H - _MARGIN - _FOOTER_H  # content stops here; the footer sits below
_TEXT_PT, _DETAIL_PT, _HEAD_PT, _TITLE_PT = 8.5, 7.5, 11.0, 16.0
_LINE, _DETAIL_LINE, _HEAD_LINE, _TITLE_LINE = 4.2, 3.6, 7.0, 7.5
_GAP = 2.5
_ENTRY_LINES, _TITLE_LINES, _SUMMARY_LINES = 2, 2, 4
_ENCODING = "cp1252"  # the core fonts' Windows-1252: Spanish letters, "…", "—", "→" no


def _printable(text: str) -> str:
    """``text`` in what the core fonts can print: letters outside Windows-1252 lose their
    accents (NFKD), anything else becomes "?"; line breaks become spaces."""
    text = " ".join(text.split())
    out = []
    for ch in text:
        try:
            ch.encode(_ENCODING)
            out.append(ch)
        except UnicodeEncodeError:
            if ch == "→":
                out.append("->")
                continue
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            try:
                base.encode(_ENCODING)
                out.append(base or "?")
            except UnicodeEncodeError:
                out.append("?")
    return "".join(out)


def _unmapped(line: str) -> str:
    """A line as fpdf2's dry run returns it (Windows-1252 bytes read as Latin-1) back to text,
    so it can be printed again."""
    try:
        return line.encode("latin-1").decode(_ENCODING)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return line


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.core_fonts_encoding = _ENCODING
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        # Anything drawn below the content's room would open a second page: the layout below
        # makes sure nothing is, and the tests count pages.
        self.set_auto_page_break(True, margin=_PAGE_H - _BOTTOM)

    def lines(self, text: str, size: float, limit: int, style: str = "") -> list[str]:
        """``text`` wrapped to the page's width at ``size``, at most ``limit`` lines, the last
        one ending in "…" when the text was longer."""
        self.set_font("Helvetica", style, size)
        text = _printable(text)
        if not text:
            return []
        wrapped = [
            _unmapped(str(line))
            for line in self.multi_cell(_WIDTH, 4, text, dry_run=True, output="LINES")
        ]
        if len(wrapped) <= limit:
            return wrapped
        kept = wrapped[:limit]
        last = kept[-1].rstrip()
        while last and self.get_string_width(last + " …") > _WIDTH:
            last = last[:-1].rstrip()
        kept[-1] = last + " …"
        return kept


# More entries than lines on a page can never be printed: only these are wrapped (fpdf2's
# line breaking takes about 10 ms an entry; a case at scale has hundreds).
_MOST_ENTRIES = int((_BOTTOM - _MARGIN) // _LINE)


@dataclass
class _Block:
    heading: str
    entries: list[tuple[list[str], list[str]]]  # (text lines, detail lines) per entry wrapped
    shown: int
    total: int  # entries in the section, wrapped or not

    def height(self) -> float:
        h = _HEAD_LINE + _GAP
        for text, detail in self.entries[: self.shown]:
            h += len(text) * _LINE + len(detail) * _DETAIL_LINE
        if self.shown < self.total:
            h += _LINE
        return h


@dataclass(frozen=True)
class Layout:
    """What is printed of each section: (heading, entries shown, entries left out)."""

    sections: list[tuple[str, int, int]]


def _blocks(pdf: _Pdf, sheet: Sheet) -> list[_Block]:
    def entry(e: Entry) -> tuple[list[str], list[str]]:
        return (
            pdf.lines(e.text, _TEXT_PT, _ENTRY_LINES),
            pdf.lines(e.detail, _DETAIL_PT, 1) if e.detail else [],
        )

    blocks = []
    for s in sheet.sections:
        wrapped = [entry(e) for e in s.entries[:_MOST_ENTRIES]]
        blocks.append(_Block(s.heading, wrapped, len(wrapped), len(s.entries)))
    return blocks


def _fit(blocks: list[_Block], room: float) -> None:
    """Leave out entries, one at a time from the section showing the most, until it fits."""
    while sum(b.height() for b in blocks) > room:
        widest = max(blocks, key=lambda b: b.shown)
        if widest.shown <= 1:
            break  # every section shows one entry: nothing more to cut
        widest.shown -= 1


def _header(pdf: _Pdf, sheet: Sheet, lang: str) -> None:
    pdf.set_text_color(20, 20, 20)
    for line in pdf.lines(sheet.title, _TITLE_PT, _TITLE_LINES, "B"):
        pdf.cell(_WIDTH, _TITLE_LINE, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(80, 80, 80)
    for fact in sheet.facts:
        for line in pdf.lines(fact, _TEXT_PT, 1):
            pdf.cell(_WIDTH, _LINE, line, new_x="LMARGIN", new_y="NEXT")
    if sheet.synthetic:
        pdf.set_text_color(170, 40, 40)
        for line in pdf.lines(t("factsheet.synthetic", lang), _TEXT_PT, 1, "B"):
            pdf.cell(_WIDTH, _LINE, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(20, 20, 20)
    if sheet.summary:
        pdf.ln(1)
        for line in pdf.lines(sheet.summary, _TEXT_PT, _SUMMARY_LINES, "I"):
            pdf.cell(_WIDTH, _LINE, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(_GAP)
    pdf.set_draw_color(160, 160, 160)
    pdf.line(_MARGIN, pdf.get_y(), _PAGE_W - _MARGIN, pdf.get_y())
    pdf.ln(_GAP)


def _footer(pdf: _Pdf, sheet: Sheet) -> None:
    pdf.set_auto_page_break(False)
    pdf.set_y(_PAGE_H - _MARGIN - _FOOTER_H + 4)
    pdf.set_draw_color(160, 160, 160)
    pdf.line(_MARGIN, pdf.get_y() - 1, _PAGE_W - _MARGIN, pdf.get_y() - 1)
    pdf.set_text_color(90, 90, 90)
    for text in sheet.footer:
        for line in pdf.lines(text, _DETAIL_PT, 1):
            pdf.cell(_WIDTH, _DETAIL_LINE, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_auto_page_break(True, margin=_PAGE_H - _BOTTOM)


def _section(pdf: _Pdf, block: _Block, lang: str) -> None:
    pdf.set_text_color(20, 20, 20)
    for line in pdf.lines(block.heading, _HEAD_PT, 1, "B"):
        pdf.cell(_WIDTH, _HEAD_LINE, line, new_x="LMARGIN", new_y="NEXT")
    for text, detail in block.entries[: block.shown]:
        pdf.set_font("Helvetica", "", _TEXT_PT)
        pdf.set_text_color(20, 20, 20)
        for line in text:
            pdf.cell(_WIDTH, _LINE, line, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", _DETAIL_PT)
        pdf.set_text_color(60, 60, 140)
        for line in detail:
            pdf.cell(_WIDTH, _DETAIL_LINE, line, new_x="LMARGIN", new_y="NEXT")
    left = block.total - block.shown
    if left:
        pdf.set_font("Helvetica", "I", _TEXT_PT)
        pdf.set_text_color(90, 90, 90)
        pdf.cell(
            _WIDTH,
            _LINE,
            _printable(t("factsheet.more", lang, n=left)),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.ln(_GAP)


def _document(sheet: Sheet, lang: str) -> tuple[_Pdf, Layout]:
    pdf = _Pdf()
    pdf.set_title(_printable(sheet.title))
    pdf.set_creator("tracker")
    pdf.add_page()
    _footer(pdf, sheet)
    pdf.set_xy(_MARGIN, _MARGIN)
    _header(pdf, sheet, lang)
    blocks = _blocks(pdf, sheet)
    _fit(blocks, _BOTTOM - pdf.get_y())
    for block in blocks:
        _section(pdf, block, lang)
    return pdf, Layout([(b.heading, b.shown, b.total - b.shown) for b in blocks])


def layout(sheet: Sheet, lang: str) -> Layout:
    """How many entries of each section fit on the page (what :func:`render` prints)."""
    return _document(sheet, lang)[1]


def render(sheet: Sheet, lang: str) -> bytes:
    """The sheet as a one-page PDF file."""
    return bytes(_document(sheet, lang)[0].output())
