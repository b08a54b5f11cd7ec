"""What a file is, judged by its content (never by its name), and whether it may be kept.

Only a few formats are accepted, each checked precisely: PDF, PNG, JPEG, GIF, WebP and TIFF
images, Word (DOCX) and OpenDocument text (ODT). DOCX and ODT are ZIP archives: their inner
markers decide, and one carrying macros is refused. A PDF that would run code when opened
(JavaScript, launch actions) is refused; its text is extracted for the search box.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject

__all__ = ["ACCEPTED", "FileRefused", "Inspected", "inspect_content"]

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
# Media type -> the extension a download gets, whatever the uploaded name said.
ACCEPTED = {
    PDF: "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/tiff": "tif",
    DOCX: "docx",
    ODT: "odt",
}
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
# PDF names that make a reader run something: scripts, programs, forms that submit.
_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/Launch"})
_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/Rendition"})
# Indexed text stops here: a 2,000-page file still attaches in seconds.
MAX_TEXT_CHARS = 1_000_000

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed files are refused, not logged


class FileRefused(Exception):
    """The content may not be kept; ``key`` names the reason (an i18n key under documents)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(key)


@dataclass(frozen=True)
class Inspected:
    """The verdict on an accepted file: its media type and, for a PDF, its text."""

    media_type: str
    text: str | None = None

    @property
    def extension(self) -> str:
        """The file name extension that goes with the media type."""
        return ACCEPTED[self.media_type]


def inspect_content(content: bytes) -> Inspected:
    """Tell what ``content`` is and check it may be kept; raise FileRefused if not."""
    if not content:
        raise FileRefused("documents.error.empty")
    if content.startswith(b"%PDF-"):
        return Inspected(PDF, _checked_pdf_text(content))
    for magic, media_type in _IMAGES:
        if content.startswith(magic):
            return Inspected(media_type)
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return Inspected("image/webp")
    if content.startswith(b"PK\x03\x04"):
        return Inspected(_office_type(content))
    raise FileRefused("documents.error.type")


def _office_type(content: bytes) -> str:
    """DOCX or ODT by the archive's inner markers; anything else (or with macros) refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if any(name.lower().endswith("vbaproject.bin") for name in names) or any(
                name.startswith(("Basic/", "Scripts/")) for name in names
            ):
                raise FileRefused("documents.error.macros")
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in types:
                    raise FileRefused("documents.error.macros")
                return DOCX
            is_odt = "mimetype" in names and "content.xml" in names
            if is_odt and archive.read("mimetype").strip() == ODT.encode():
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as exc:
        raise FileRefused("documents.error.type") from exc
    raise FileRefused("documents.error.type")


def _checked_pdf_text(content: bytes) -> str:
    """The PDF's text, after making sure no object in it would run code."""
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileRefused("documents.error.encrypted")
        if _has_active_content(reader):
            raise FileRefused("documents.error.pdf_script")
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT_CHARS:
                break
    except FileRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise FileRefused("documents.error.bad_pdf") from exc
    return "\n".join(parts)[:MAX_TEXT_CHARS]


def _has_active_content(reader: PdfReader) -> bool:
    """True when any object of the file (compressed object streams included) is active."""
    ids: set[int] = set()
    for table in reader.xref.values():
        ids.update(table)
    ids.update(reader.xref_objStm)
    root = reader.trailer.get("/Root")
    seen = [root.get_object()] if root is not None else []
    for number in ids:
        generation = _generation(reader, number)
        try:
            seen.append(reader.get_object(IndirectObject(number, generation, reader)))
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
            continue  # an unreadable object runs nothing either
    return any(isinstance(obj, DictionaryObject) and _is_active(obj) for obj in seen)


def _generation(reader: PdfReader, number: int) -> int:
    for generation, table in reader.xref.items():
        if number in table:
            return int(generation)
    return 0


def _is_active(obj: DictionaryObject) -> bool:
    if _ACTIVE_KEYS & set(obj.keys()):
        return True
    action = obj.get("/S")
    return isinstance(action, str) and action in _ACTIVE_ACTIONS
