"""A messy NGO archive: the same sheet kept over three years, as Peruvian defence NGOs keep it.

Generated, not stored: :func:`year_file` gives the bytes of one year's copy. Every case of
issue 20 is in it:

- headers the template does not spell so ("N°", "Nombre y apellidos", "Fecha de resultado",
  "Próxima audiencia", "Hora", "Denunciante"...), 15 columns, no status column;
- the NGO's own words: "Casación" (a stage), "Procuraduría", "Autoridad local", "Fiscalía"
  (complainant categories), "Absolución revocada" (an outcome);
- people and bodies already recorded, written otherwise: "Minera Yanacocha S.R.L." for
  "Minera Yanacocha", "Máxima Acuña Atalaya" for "Máxima Acuña", "Rosa Quispe" without her
  DNI for "Rosa Quispe Huamán", "458-2015" for "Casación N° 458-2015 Cajamarca";
- archived and acquitted cases (closed), and cases still open;
- year 1: CSV of Excel on Spanish Windows (cp1252, ";", CRLF, a quoted ";", an extra cell);
  year 2: the same sheet a year later, as "Unicode text" (UTF-16, tabs): new outcomes, a new
  stage, the next hearing moved, new rows; year 3: XLSX with more rows.
"""

from __future__ import annotations

import io
import uuid
from typing import Any

from openpyxl import Workbook
from sqlalchemy.engine import Engine

from tracker import db
from tracker import services as sv
from tracker.permissions import Principal

HEADERS = [
    "N°",
    "Nombre y apellidos",
    "DNI",
    "Delito",
    "Fecha de denuncia",
    "Resultado",
    "Fecha de resultado",
    "Denunciante",
    "Tipo de denunciante",
    "Etapa",
    "Juzgado",
    "Próxima audiencia",
    "Hora",
    "Región",
    "Observaciones",
]

# Rows common to every year: (case, name, DNI, charge, filed, outcome, outcome date,
# complainant, category, stage, court, next hearing, time, region, notes), by year.
_BASE: list[list[Any]] = [
    ["458-2015", "Máxima Acuña Atalaya", "", "Usurpación agravada", "2011", "Absuelto",
     "03/05/2017", "Minera Yanacocha S.R.L.", "Empresa minera", "Casación", "",
     "", "", "Cajamarca", "Caso emblemático; ver casación"],
    ["CF-120-2016", "Rosa Quispe", "", "Disturbios", "12/03/2016", "", "",
     "Fiscalía", "Fiscalía", "Investigación preparatoria", "Juzgado de Celendín",
     "15/03/2022", "09:30", "Cajamarca", ""],
    ["CF-121-2016", "Juan Chávez Rojas", "40111222", "Disturbios", "12/03/2016",
     "Archivado", "20/10/2017", "Policía Nacional del Perú", "Policía", "Archivado",
     "Fiscalía Provincial de Celendín", "", "", "Cajamarca", ""],
    ["EXP-33-2014", "Comunidad Campesina de Tres Islas", "", "Usurpación", "04/2014",
     "Absolución revocada", "2018", "Procuraduría del Ministerio del Interior",
     "Procuraduría", "Apelación", "Sala Penal de Madre de Dios", "", "", "Madre de Dios",
     ""],
    ["EXP-77-2019", "Lucía Mamani", "45999888", "Coacción", "25/04/2019", "", "",
     "Municipalidad de Espinar", "Autoridad local", "Juicio oral",
     "Juzgado Penal de Espinar", "10/11/2021", "15:00", "Cusco", ""],
]  # fmt: skip


def _generated(year: int, count: int) -> list[list[Any]]:
    """Ordinary rows: defenders of one conflict, each with a DNI, some decided."""
    rows = []
    for i in range(count):
        n = 100 + i
        outcome = ["Absuelto", "", "Archivado", ""][i % 4] if year >= 2 else ""
        rows.append(
            [
                f"{n}-2018",
                f"Defensor {n} Huamán",
                f"4{n:07d}",
                ["Disturbios", "Usurpación", "Coacción"][i % 3],
                f"{(i % 27) + 1:02d}/06/2018",
                outcome,
                "15/08/2020" if outcome else "",
                "Minera Las Bambas S.A.",
                "Empresa minera",
                "Juicio oral" if not outcome else "Archivado" if outcome == "Archivado" else "",
                "Juzgado Penal de Chumbivilcas",
                "",
                "",
                "Apurímac",
                "",
            ]
        )
    return rows


def year_rows(year: int) -> list[list[Any]]:
    """The sheet's rows in ``year`` (1, 2 or 3)."""
    base = [list(r) for r in _BASE]
    if year >= 2:
        base[1][5], base[1][6] = "Absuelto", "20/01/2022"  # Rosa Quispe acquitted
        base[1][11], base[1][12] = "", ""
        base[4][9] = "Sentencia de primera instancia"  # a new stage
        base[4][11], base[4][12] = "10/11/2021", "11:00"  # the hearing moved an hour
    if year >= 3:
        base[4][5], base[4][6] = "Condenado", "02/02/2022"
    return base + _generated(year, {1: 13, 2: 15, 3: 17}[year])


def year_file(year: int) -> tuple[bytes, str]:
    """The bytes and file name of the sheet of ``year``."""
    rows = year_rows(year)
    if year == 3:
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Casos 2022"
        sheet.append(HEADERS)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "casos-2022.xlsx"

    def cell(value: Any, sep: str) -> str:
        text = str(value)
        return f'"{text}"' if sep in text or '"' in text else text

    sep = ";" if year == 1 else "\t"
    lines = [sep.join(HEADERS)]
    for i, row in enumerate(rows):
        line = sep.join(cell(v, sep) for v in row)
        if year == 1 and i == 2:
            line += sep + "ver carpeta"  # a cell beyond the last header
        lines.append(line)
    text = "\r\n".join(lines) + "\r\n"
    if year == 1:
        return text.encode("cp1252"), "casos-2020.csv"
    return text.encode("utf-16"), "casos-2021.txt"


# What the NGO means by its own words (the preview's value mapping).
VALUES = {
    ("stage", "Casación"): "cassation",
    ("stage", "Archivado"): "closed",  # an archived case: a court event now, and "Concluido"
    ("complainant_category", "Procuraduría"): "state_attorney",
    ("complainant_category", "Autoridad local"): "local_authority",
    ("complainant_category", "Fiscalía"): "public_prosecutor",
    ("outcome", "Absolución revocada"): "acquittal_overturned",
}


def seed_records(engine: Engine) -> dict[str, uuid.UUID]:
    """What the tracker already holds before the archive comes in."""
    ids: dict[str, uuid.UUID] = {}
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        ids["yanacocha"] = sv.actors.create(
            s, {"kind": "company", "name": "Minera Yanacocha", "is_defender": False}
        )
        ids["maxima"] = sv.actors.create(s, {"kind": "person", "name": "Máxima Acuña"})
        ids["rosa"] = sv.actors.create(
            s, {"kind": "person", "name": "Rosa Quispe Huamán", "id_number": "41234567"}
        )
        ids["case"] = sv.cases.create(
            s,
            {
                "case_number": "Casación N° 458-2015 Cajamarca",
                "title": "Caso Máxima Acuña",
                "stage": "cassation",
            },
        )
        sv.parties.create(
            s, {"case_id": ids["case"], "actor_id": ids["maxima"], "role": "defendant"}
        )
        ids["charge"] = sv.charges.create(
            s,
            {
                "case_id": ids["case"],
                "defendant_id": ids["maxima"],
                "charge_type": "aggravated_usurpation",
                "filed_on": "2011",
            },
        )
    return ids


def seed_beside_documented(engine: Engine) -> uuid.UUID:
    """What the app's documented seed lacks for the archive to be messy: Rosa Quispe Huamán
    with her DNI, whom the sheet's "Rosa Quispe" (no DNI) resembles.

    The documented seed (data/seed) already holds Máxima Acuña, Minera Yanacocha and the case
    "Casación N° 458-2015 Cajamarca"; :func:`seed_records` is for an empty database.
    """
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        return sv.actors.create(
            s, {"kind": "person", "name": "Rosa Quispe Huamán", "id_number": "41234567"}
        )
