"""One-page PDF fact sheets (tracker.factsheets): every seed case and defender on exactly one
page in both languages, the content of a known case word for word, long content cut with
"… and N more", pseudonyms for a viewer and names for an administrator who asks, and the
``factsheet`` command."""

from __future__ import annotations

import io
import shutil
import uuid
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tracker import db, factsheets, seed
from tracker import services as sv
from tracker.cli import main
from tracker.factsheets.render import _printable
from tracker.i18n import set_language
from tracker.models import Actor, Case
from tracker.permissions import Principal
from tracker.seed import seed_id

TODAY = date(2026, 1, 1)
ACUNA_CASE = seed_id("case", "case-maxima-acuna")
CELENDIN_CASE = seed_id("case", "case-celendin-16")
CELENDIN_01 = seed_id("actor", "celendin-defendant-01")
REAL_01 = "Name withheld (Celendín defendant 01)"  # the seed's stand-in for a real name


@pytest.fixture(scope="module")
def seeded(_sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("factsheets") / "seed.db"
    shutil.copy(_sqlite_template, path)
    engine = db.make_engine(f"sqlite:///{path}")
    seed.seed(engine)
    return engine


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() or "" for p in reader.pages)


def content(engine: Engine, case_id: uuid.UUID, lang: str = "en", trusted: bool = False):  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        return factsheets.case_content(
            s, case_id, lang=lang, show_confidential=trusted, today=TODAY
        )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_seed_case_and_defender_fits_one_page(seeded: Engine, lang: str) -> None:
    with Session(seeded) as s:
        cases = s.exec(select(Case.id)).all()
        defenders = s.exec(select(Actor.id).where(Actor.is_defender)).all()
    assert (len(cases), len(defenders)) == (3, 20)
    for case_id in cases:
        data = factsheets.case_sheet(seeded, case_id, lang=lang, show_confidential=False)
        assert data.startswith(b"%PDF-")
        assert pdf_text(data)[0] == 1, case_id
    for actor_id in defenders:
        data = factsheets.defender_sheet(seeded, actor_id, lang=lang, show_confidential=False)
        assert pdf_text(data)[0] == 1, actor_id


def test_the_acuna_case_word_for_word(seeded: Engine) -> None:
    sheet = content(seeded, ACUNA_CASE)
    assert sheet.title == (
        "Máxima Acuña and family: aggravated usurpation complaint by Minera Yanacocha"
    )
    assert sheet.facts[0] == (
        "Casación N° 458-2015 Cajamarca · Closed · "
        "Permanent Criminal Chamber of the Supreme Court · Cajamarca"
    )
    timeline, charges, outcomes, sources = sheet.sections
    assert [e.text for e in timeline.entries][:5] == [
        "2011-08 · Case opened",
        "2011-08 · Moved to a new stage → Complaint",
        "2014-08-05 · Judgment delivered → First-instance judgment",
        "2014-12-17 · Judgment delivered → Appeal",
        "2017-05-03 · Judgment delivered → Closed",
    ]
    assert timeline.entries[-1].text == (
        "date unknown · Moved to a new stage → Cassation (Supreme Court)"
    )
    assert charges.entries[2].text == (
        "Máxima Acuña: Aggravated usurpation (CP art. 202 clause 2 with art. 204) · filed "
        "2011-08 · complainants: Minera Yanacocha · Acquitted, 2017-05-03"
    )
    assert [e.text for e in outcomes.entries] == ["Acquitted: 4"]
    assert len(sources.entries) == 7
    assert sources.entries[-1].text == "Casación 458-2015 Cajamarca — legis.pe"
    assert sources.entries[-1].detail == (
        "https://legis.pe/casacion-458-2015-cajamarca-caso-yanacocha-vs-maxima-acuna/"
    )
    # Printed whole: nothing is cut from this case.
    assert factsheets.layout(sheet, "en").sections == [
        ("Timeline", 11, 0),
        ("Charges", 4, 0),
        ("Outcomes", 1, 0),
        ("Sources", 7, 0),
    ]
    pages, text = pdf_text(factsheets.render(sheet, "en"))
    assert pages == 1
    assert "2014-12-17 · Judgment delivered -> Appeal" in text
    assert "Acquitted: 4" in text


def test_in_spanish(seeded: Engine) -> None:
    sheet = content(seeded, ACUNA_CASE, lang="es")
    assert [s.heading for s in sheet.sections] == ["Cronología", "Cargos", "Resultados", "Fuentes"]
    assert sheet.sections[2].entries[0].text == "Absuelto: 4"
    text = pdf_text(factsheets.render(sheet, "es"))[1]
    assert "Apertura del caso" in text and "denunciantes: Minera Yanacocha" in text


def test_long_content_is_cut_with_and_n_more(seeded: Engine) -> None:
    with db.unit_of_work(seeded, Principal("t", "admin")) as s:
        case_id = sv.cases.create(s, {"title": "Caso con muchas audiencias", "opened_on": "2015"})
        for i in range(80):
            sv.hearings.create(
                s,
                {
                    "case_id": case_id,
                    "scheduled_at": f"2016-{i % 12 + 1:02d}-{i % 27 + 1:02d}T09:00",
                },
            )
    sheet = content(seeded, case_id)
    assert len(sheet.sections[0].entries) == 81  # opened, and 80 hearings
    (heading, shown, left), *rest = factsheets.layout(sheet, "en").sections
    assert heading == "Timeline" and shown + left == 81 and left > 30
    assert rest == [("Charges", 1, 0), ("Outcomes", 1, 0), ("Sources", 1, 0)]
    pages, text = pdf_text(factsheets.render(sheet, "en"))
    assert pages == 1
    assert f"… and {left} more" in text
    es = pdf_text(factsheets.render(content(seeded, case_id, lang="es"), "es"))[1]
    assert f"… y {left} más" in es


def test_a_viewer_gets_pseudonyms_an_administrator_names(seeded: Engine) -> None:
    viewer = factsheets.defender_sheet(seeded, CELENDIN_01, lang="en", show_confidential=False)
    text = pdf_text(viewer)[1]
    assert "Celendín defender 01" in text
    assert "Celendín defendant 01" not in text
    assert "People at risk appear under a pseudonym" in text
    admin = factsheets.defender_sheet(seeded, CELENDIN_01, lang="en", show_confidential=True)
    text = pdf_text(admin)[1]
    assert REAL_01 in text
    assert "CONFIDENTIAL: this sheet shows the real names" in text
    case_text = pdf_text(
        factsheets.case_sheet(seeded, CELENDIN_CASE, lang="en", show_confidential=False)
    )[1]
    assert "Celendín defendant 01" not in case_text


def test_a_restricted_case_has_no_sheet_for_a_viewer(seeded: Engine) -> None:
    with db.unit_of_work(seeded, Principal("t", "admin")) as s:
        hidden = sv.cases.create(s, {"title": "Caso reservado", "confidentiality": "restricted"})
    with pytest.raises(factsheets.FactSheetNotFound):
        factsheets.case_sheet(seeded, hidden, lang="en", show_confidential=False)
    assert (
        pdf_text(factsheets.case_sheet(seeded, hidden, lang="en", show_confidential=True))[0] == 1
    )
    with pytest.raises(factsheets.FactSheetNotFound):
        factsheets.defender_sheet(seeded, uuid.uuid4(), lang="en", show_confidential=True)


def test_text_outside_the_core_fonts_is_printable() -> None:
    assert _printable("Ñawpa  ñan\n→ “x” … Ŝ 中") == "Ñawpa ñan -> “x” … S ?"
    assert factsheets.file_name("case", "Máxima Acuña: usurpación", "es") == (
        "factsheet-case-maxima-acuna-usurpacion-es.pdf"
    )


def test_command_line(
    seeded: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", str(seeded.url))
    out = tmp_path / "acuna.pdf"
    assert main(["factsheet", "--case", str(ACUNA_CASE), "--lang", "es", "-o", str(out)]) == 0
    set_language("en")
    assert f"Ficha escrita en {out}." in capsys.readouterr().out
    assert pdf_text(out.read_bytes()) == pdf_text(
        factsheets.case_sheet(seeded, ACUNA_CASE, lang="es", show_confidential=False)
    )
    person = tmp_path / "p.pdf"
    assert main(["factsheet", "--defender", str(CELENDIN_01), "-o", str(person)]) == 0
    assert REAL_01 not in pdf_text(person.read_bytes())[1]
    argv = ["factsheet", "--defender", str(CELENDIN_01), "--include-confidential"]
    assert main([*argv, "-o", str(person)]) == 0
    assert REAL_01 in pdf_text(person.read_bytes())[1]
    assert "real names of confidential people" in capsys.readouterr().out
    missing = tmp_path / "missing.pdf"
    assert main(["factsheet", "--case", str(uuid.uuid4()), "-o", str(missing)]) == 1
    assert "No fact sheet: there is no case or person" in capsys.readouterr().err
    assert not missing.exists()
    with pytest.raises(SystemExit):
        main(["factsheet", "--case", "12", "-o", str(missing)])
    assert "12 is not a record id" in capsys.readouterr().err
