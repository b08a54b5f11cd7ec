"""Benchmark: attaching a 20 MB PDF to a case, against a raw insert of the same bytes.

Usage::

    python benchmarks/bench_documents.py [--url URL] [--mb 20] [--repeat 3]

Default database: a fresh SQLite file in a temporary folder (``--url`` for PostgreSQL). The
PDF has a page of text and a 20 MB stream, as a scanned ruling does. Timed: the whole
``services.documents.attach`` in its transaction (type check by content, scan of every PDF
object for scripts, text extraction, SHA-256, the insert, the audit row, the commit). The
baseline, same run: SHA-256 and a Core insert of the same bytes into the blob table, committed.
Target: under 2 s.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert  # noqa: E402

from tests.pdfs import make_pdf  # noqa: E402
from tracker import db, seed  # noqa: E402
from tracker import services as sv  # noqa: E402
from tracker.models import DocumentBlob, utcnow  # noqa: E402
from tracker.permissions import SYSTEM, Principal  # noqa: E402
from tracker.services.documents import attach  # noqa: E402

EDITOR = Principal("bench", "editor")


def main() -> None:
    """Attach the PDF ``--repeat`` times (fresh bytes each time) and time the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url")
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{tempfile.mkdtemp(prefix='bench-docs-')}/bench.db"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.unit_of_work(engine, SYSTEM) as s:
        seed.load_vocabularies(s)  # adds only the missing terms
    with db.unit_of_work(engine, EDITOR) as s:
        case_id = sv.cases.create(s, {"title": "Caso de prueba de adjuntos"})
    size = int(args.mb * 1024 * 1024)
    attach_times, raw_times = [], []
    for run in range(args.repeat):
        pdf = make_pdf(f"Resolucion numero {run} del juzgado", padding=size - 700)
        start = time.perf_counter()
        with db.unit_of_work(engine, EDITOR) as s:
            attach(s, table_name="court_case", row_id=case_id, filename="fallo.pdf", content=pdf)
        attach_times.append(time.perf_counter() - start)
        raw = pdf + b"raw"  # another digest, so the baseline inserts a new row
        start = time.perf_counter()
        with engine.begin() as conn:
            digest = hashlib.sha256(raw).hexdigest()
            conn.execute(
                insert(DocumentBlob.__table__),  # type: ignore[arg-type]
                {
                    "sha256": digest,
                    "size": len(raw),
                    "media_type": "application/pdf",
                    "content": raw,
                    "created_at": utcnow(),
                },
            )
        raw_times.append(time.perf_counter() - start)
        with engine.begin() as conn:
            conn.execute(
                delete(DocumentBlob.__table__).where(  # type: ignore[arg-type]
                    DocumentBlob.sha256 == digest
                )
            )
    best, base = min(attach_times), min(raw_times)
    print(f"database: {engine.dialect.name}; PDF: {len(pdf) / 1024 / 1024:.1f} MB")
    print("attach (s): " + ", ".join(f"{x:.2f}" for x in attach_times))
    print("raw insert (s): " + ", ".join(f"{x:.2f}" for x in raw_times))
    print(f"best attach {best:.2f} s, raw {base:.2f} s, ratio {best / base:.1f} (target < 2 s)")
    engine.dispose()


if __name__ == "__main__":
    main()
