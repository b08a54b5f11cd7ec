"""Attached files: type judged by content, bad files refused with a clear message, roles and
confidentiality on download, audit, and the backup round trip; on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from tests.factories import charge_data, make_case_with_defendant
from tests.pdfs import make_pdf
from tracker import db, documents
from tracker import services as sv
from tracker.backup import backup, restore
from tracker.errors import NotFoundError, PermissionDeniedError, ValidationError
from tracker.models import AuditLog, DocumentBlob
from tracker.permissions import Principal
from tracker.services.documents import attach, remove

EDITOR = Principal("ana", "editor")
PDF = make_pdf("Sentencia absolutoria")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.openxml'
        b'formats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
ODT = _zip({"mimetype": documents.filetypes.ODT.encode(), "content.xml": b"<office/>"})
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def case_ids(vocab_engine: Engine) -> dict[str, uuid.UUID]:
    return make_case_with_defendant(vocab_engine)


def _attach(
    engine: Engine,
    row_id: uuid.UUID,
    content: bytes,
    name: str = "fallo.pdf",
    table: str = "court_case",
    who: Principal = EDITOR,
) -> uuid.UUID:
    with db.unit_of_work(engine, who) as s:
        return attach(s, table_name=table, row_id=row_id, filename=name, content=content)


@pytest.mark.parametrize(
    ("content", "name", "media_type", "saved_as"),
    [
        (PDF, "Sentencia 2019.pdf", "application/pdf", "Sentencia 2019.pdf"),
        (PNG, "foto.jpg", "image/png", "foto.png"),
        (DOCX, "escrito.docx", documents.filetypes.DOCX, "escrito.docx"),
        (ODT, "../../etc/notificación.odt", documents.filetypes.ODT, "notificación.odt"),
        (PDF, "<script>.exe", "application/pdf", "script.pdf"),
    ],
)
def test_type_comes_from_the_content_and_the_name_is_made_safe(
    vocab_engine: Engine,
    case_ids: dict,
    content: bytes,
    name: str,
    media_type: str,
    saved_as: str,
) -> None:
    doc_id = _attach(vocab_engine, case_ids["case"], content, name)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        listed = documents.list_documents(s, role="editor", case_id=case_ids["case"])
        got = documents.download(s, doc_id, role="viewer")
    assert [(d.filename, d.media_type, d.size, d.added_by) for d in listed] == [
        (saved_as, media_type, len(content), "ana")
    ]
    assert (got.filename, got.content, got.mime) == (saved_as, content, "application/octet-stream")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "is not a PDF, an image (PNG, JPEG, GIF, WebP, TIFF)"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "is not a PDF, an image (PNG, JPEG, GIF, WebP"),
        (b"", "is empty"),
        (make_pdf("x", javascript="app.alert(1)"), "contains scripts or actions"),
        (
            _zip(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w/>",
                    "word/vbaProject.bin": b"x",
                }
            ),
            "contains macros",
        ),
        (_zip({"hello.txt": b"zip"}), "is not a PDF, an image"),
        (b"%PDF-1.7\ngarbage", "cannot be read as a PDF"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(
    vocab_engine: Engine, case_ids: dict, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _attach(vocab_engine, case_ids["case"], content, "fallo.pdf")
    assert f'"fallo.pdf" {message}' in caught.value.message("en")
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        assert documents.list_documents(s, role="admin", case_id=case_ids["case"]) == []
        assert s.execute(select(func.count()).select_from(DocumentBlob)).scalar() == 0


def test_an_oversized_file_is_refused(
    vocab_engine: Engine, case_ids: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_MAX_UPLOAD_MB", "1")
    big = make_pdf("big", padding=1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        _attach(vocab_engine, case_ids["case"], big, "expediente.pdf")
    assert caught.value.message("es").endswith('"expediente.pdf" pesa 1.0 MB; el máximo es 1.0 MB.')
    monkeypatch.delenv("TRACKER_MAX_UPLOAD_MB")
    assert documents.max_upload_bytes() == 25 * 1024 * 1024
    _attach(vocab_engine, case_ids["case"], big, "expediente.pdf")  # under the default


def test_viewers_may_not_attach_and_files_follow_confidentiality(
    vocab_engine: Engine, case_ids: dict
) -> None:
    with pytest.raises(PermissionDeniedError):
        _attach(vocab_engine, case_ids["case"], PDF, who=Principal("vera", "viewer"))
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        charge = sv.charges.create(s, charge_data(case_ids))
        restricted = sv.cases.create(s, {"title": "Reservado", "confidentiality": "restricted"})
        hidden_person = sv.actors.create(
            s, {"kind": "person", "name": "Oculta", "confidentiality": "restricted"}
        )
        sv.parties.create(
            s, {"case_id": case_ids["case"], "actor_id": hidden_person, "role": "defendant"}
        )
        hidden_charge = sv.charges.create(s, charge_data(case_ids, defendant_id=hidden_person))
    public_file = _attach(vocab_engine, charge, PDF, "acusacion.pdf", table="charge")
    case_file = _attach(vocab_engine, restricted, PDF, "reservado.pdf")
    person_file = _attach(vocab_engine, hidden_charge, PNG, "oculta.png", table="charge")
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        viewer_list = documents.list_documents(s, role="viewer", case_id=case_ids["case"])
        editor_list = documents.list_documents(s, role="editor", case_id=case_ids["case"])
        assert [d.filename for d in viewer_list] == ["acusacion.pdf"]
        assert sorted(d.filename for d in editor_list) == ["acusacion.pdf", "oculta.png"]
        assert documents.download(s, public_file, role="viewer").filename == "acusacion.pdf"
        for hidden in (case_file, person_file):
            with pytest.raises(NotFoundError):
                documents.download(s, hidden, role="viewer")
            assert documents.download(s, hidden, role="editor").content
        # One PDF attached twice is stored once.
        assert s.execute(select(func.count()).select_from(DocumentBlob)).scalar() == 2


def test_attaching_and_removing_is_audited_and_records_keep_their_files(
    vocab_engine: Engine, case_ids: dict
) -> None:
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        hearing = sv.hearings.create(
            s, {"case_id": case_ids["case"], "scheduled_at": "2016-05-02T09:00"}
        )
    doc_id = _attach(vocab_engine, hearing, PDF, "acta.pdf", table="hearing")
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        version = sv.hearings.get(s, hearing).version_id
        with pytest.raises(ValidationError) as caught:
            sv.hearings.delete(s, hearing, version)
        assert "1 × attached files" in caught.value.message("en")
        remove(s, doc_id, 1)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        log = s.execute(
            select(AuditLog.action, AuditLog.username)
            .where(AuditLog.row_id == doc_id)
            .order_by(AuditLog.at)
        ).all()
        assert [tuple(r) for r in log] == [("create", "ana"), ("delete", "ana")]
        assert s.execute(select(func.count()).select_from(DocumentBlob)).scalar() == 0
        with pytest.raises(ValidationError):
            attach(s, table_name="app_user", row_id=hearing, filename="a.pdf", content=PDF)
        with pytest.raises(NotFoundError):
            attach(s, table_name="source", row_id=uuid.uuid4(), filename="a.pdf", content=PDF)


@pytest.mark.parametrize("fmt", ["auto", "jsonl"])
def test_backup_and_restore_keep_the_files(
    vocab_engine: Engine, case_ids: dict, tmp_path: Path, fmt: str
) -> None:
    content = make_pdf("Resolución número 5", padding=50_000)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        source = sv.sources.create(s, {"title": "Notificación"})
    doc_id = _attach(vocab_engine, source, content, "notificacion.pdf", table="source")
    path = tmp_path / "backup.bin"
    info = backup(vocab_engine, path, fmt)
    assert info.tables["document"] == 1 and info.tables["document_blob"] == 1
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        remove(s, doc_id, 1)
    restore(vocab_engine, path)
    with db.unit_of_work(vocab_engine, EDITOR) as s:
        got = documents.download(s, doc_id, role="viewer")
        assert hashlib.sha256(got.content).hexdigest() == hashlib.sha256(content).hexdigest()
        from tracker import search

        assert [h.label for h in search.search(s, "resolucion numero", role="viewer")] == [
            "notificacion.pdf"
        ]


def test_the_documents_export_holds_the_files_a_viewer_may_see(
    vocab_engine: Engine, case_ids: dict, tmp_path: Path
) -> None:
    from tracker.exports import ExportOptions, exporter

    with db.unit_of_work(vocab_engine, EDITOR) as s:
        restricted = sv.cases.create(s, {"title": "Reservado", "confidentiality": "restricted"})
    _attach(vocab_engine, case_ids["case"], PDF, "fallo.pdf")
    _attach(vocab_engine, restricted, PNG, "reservado.png")
    digest = hashlib.sha256(PDF).hexdigest()[:12]
    out = tmp_path / "files.zip"
    assert exporter("documents")(vocab_engine, out, ExportOptions(lang="es")) == 1
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["documents.csv", f"files/{digest}_fallo.pdf"]
        assert archive.read(f"files/{digest}_fallo.pdf") == PDF
        index = archive.read("documents.csv").decode("utf-8-sig").splitlines()
    assert index[0].startswith("Archivo en el zip,Nombre del archivo,Tipo de archivo")
    assert index[1].startswith(f"files/{digest}_fallo.pdf,fallo.pdf,application/pdf,")
    assert ",caso," in index[1]
    admin = ExportOptions(show_confidential=True)
    assert exporter("documents")(vocab_engine, tmp_path / "all.zip", admin) == 2
