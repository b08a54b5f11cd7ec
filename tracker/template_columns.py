"""The import template: one row = one charge against one defendant in one case.

NGO spreadsheets repeat the case and the defendant on every row and add the charge, who
brought it and how it ended; this template keeps that shape. Each column has a stable key,
an English and a Spanish header, and a few other names seen in real sheets, so most files map
themselves; :func:`auto_mapping` does that, and a page or the CLI may override it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["COLUMNS", "Column", "by_key", "check_mapping", "headers", "names", "normalize"]


@dataclass(frozen=True)
class Column:
    """One template column.

    Attributes:
        key: stable name used in code and in mappings.
        en, es: the headers of the English and Spanish templates.
        kind: text, date, int, number, vocab, vocab_list, choice, names, bool or id.
        vocabulary: the vocabulary of vocab and vocab_list columns.
        aliases: other headers that mean the same (compared after :func:`normalize`).
        example: the value of the template's example row.
    """

    key: str
    en: str
    es: str
    kind: str = "text"
    vocabulary: str = ""
    aliases: tuple[str, ...] = ()
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    # -- the case ------------------------------------------------------------------------
    Column(
        "case_number",
        "Case number",
        "Número de expediente",
        aliases=(
            "expediente",
            "n expediente",
            "nro expediente",
            "carpeta fiscal",
            "case no",
            "n",
            "no",
            "nro",
            "numero",
            "numero de caso",
            "numero de proceso",
            "case number",
            "file number",
        ),
        example="00123-2019-0-0601-JR-PE-01",
    ),
    Column(
        "case_title",
        "Case title",
        "Título del caso",
        aliases=("caso", "case", "title"),
        example="Caso Ejemplo",
    ),
    Column("case_type", "Case type", "Tipo de proceso", "vocab", "case_type", example="Penal"),
    Column(
        "stage",
        "Stage",
        "Etapa",
        "vocab",
        "stage",
        ("etapa procesal", "estado procesal", "instancia"),
        example="Juicio oral",
    ),
    Column(
        "case_status",
        "Case status",
        "Estado del caso",
        "choice",
        aliases=("estado", "status", "situacion del caso"),
        example="abierto",
    ),
    Column(
        "court",
        "Court",
        "Juzgado",
        aliases=("organo jurisdiccional", "juzgado o fiscalia", "fiscalia"),
        example="Juzgado Penal Unipersonal de Celendín",
    ),
    Column("judicial_district", "Judicial district", "Distrito judicial", example="Cajamarca"),
    Column(
        "region", "Region", "Región", aliases=("departamento", "department"), example="Cajamarca"
    ),
    Column("province", "Province", "Provincia", example="Celendín"),
    Column(
        "context",
        "Context",
        "Contexto",
        aliases=("conflicto", "conflict", "protest", "protesta"),
        example="Conga",
    ),
    Column(
        "opened_on",
        "Case opened on",
        "Fecha de inicio del caso",
        "date",
        aliases=("opened on", "fecha de inicio"),
        example="abril de 2019",
    ),
    Column(
        "closed_on",
        "Case closed on",
        "Fecha de conclusión del caso",
        "date",
        aliases=("closed on", "fecha de conclusion"),
        example="",
    ),
    Column(
        "case_confidentiality",
        "Case confidentiality",
        "Confidencialidad del caso",
        "choice",
        example="público",
    ),
    Column(
        "case_summary",
        "Case summary",
        "Resumen del caso",
        aliases=("summary", "resumen"),
        example="",
    ),
    # -- the defendant --------------------------------------------------------------------
    Column(
        "defendant_name",
        "Defendant",
        "Persona procesada",
        aliases=(
            "defendant name",
            "imputado",
            "imputada",
            "procesado",
            "procesada",
            "acusado",
            "acusada",
            "nombre",
            "nombre y apellidos",
            "nombres y apellidos",
            "apellidos y nombres",
            "nombre completo",
            "defensor procesado",
            "defensora procesada",
            "full name",
            "name",
        ),
        example="Rosa Quispe Huamán",
    ),
    Column(
        "defendant_id_number",
        "Defendant ID number",
        "DNI de la persona procesada",
        aliases=("dni", "id number", "documento de identidad"),
        example="41234567",
    ),
    Column(
        "defendant_kind", "Defendant kind", "Tipo de persona procesada", "choice", example="persona"
    ),
    Column(
        "defendant_gender",
        "Defendant gender",
        "Género de la persona procesada",
        aliases=("gender", "genero", "sexo"),
        example="female",
    ),
    Column(
        "defendant_region",
        "Defendant region",
        "Región de la persona procesada",
        example="Cajamarca",
    ),
    Column(
        "is_defender",
        "Human rights defender",
        "Persona defensora",
        "bool",
        aliases=("defender", "defensor", "defensora"),
        example="sí",
    ),
    Column(
        "defender_role",
        "Defender role",
        "Rol de la persona defensora",
        "vocab",
        "defender_role",
        example="Dirigente comunal",
    ),
    Column(
        "rights_defended",
        "Rights defended",
        "Derechos defendidos",
        "vocab_list",
        "rights_defended",
        example="Tierra y territorio; Medio ambiente",
    ),
    Column(
        "defendant_confidentiality",
        "Defendant confidentiality",
        "Confidencialidad de la persona procesada",
        "choice",
        aliases=("confidentiality", "confidencialidad"),
        example="público",
    ),
    Column(
        "defendant_pseudonym",
        "Defendant pseudonym",
        "Seudónimo de la persona procesada",
        aliases=("pseudonym", "seudonimo"),
        example="",
    ),
    # -- who brought the charge -----------------------------------------------------------
    Column(
        "complainants",
        "Complainants",
        "Denunciantes",
        "names",
        aliases=("complainant", "denunciante", "agraviado", "agraviados", "parte agraviada"),
        example="Minera Ejemplo S.A.; Policía Nacional del Perú",
    ),
    Column(
        "complainant_category",
        "Complainant category",
        "Tipo de denunciante",
        "vocab_list",
        "complainant_category",
        example="Empresa minera; Policía",
    ),
    # -- the charge and its outcome -------------------------------------------------------
    Column(
        "charge_type",
        "Charge",
        "Delito",
        "vocab",
        "charge_type",
        ("charge type", "offence", "offense", "tipo de delito", "delito imputado"),
        example="Disturbios",
    ),
    Column(
        "legal_reference",
        "Legal reference",
        "Base legal",
        aliases=("articulo", "article"),
        example="CP art. 315",
    ),
    Column(
        "mode_of_liability",
        "Mode of liability",
        "Forma de participación",
        "vocab",
        "mode_of_liability",
        ("grado de participacion",),
        example="Autor mediato",
    ),
    Column(
        "filed_on",
        "Charge filed on",
        "Fecha de la denuncia",
        "date",
        aliases=("filed on", "fecha de denuncia"),
        example="25/04/2019",
    ),
    Column("charge_status", "Charge status", "Estado del cargo", "choice", example="resuelto"),
    Column(
        "outcome",
        "Outcome",
        "Resultado",
        "vocab",
        "outcome",
        ("resultado del cargo", "sentencia"),
        example="Absuelto",
    ),
    Column(
        "outcome_on",
        "Outcome date",
        "Fecha del resultado",
        "date",
        aliases=("fecha de sentencia", "date of outcome", "fecha de la sentencia"),
        example="17 de julio de 2021",
    ),
    Column(
        "sentence_requested_months",
        "Sentence requested (months)",
        "Pena solicitada (meses)",
        "int",
        example="96",
    ),
    Column(
        "sentence_imposed_months",
        "Sentence imposed (months)",
        "Pena impuesta (meses)",
        "int",
        example="",
    ),
    Column(
        "reparation_requested",
        "Reparation requested",
        "Reparación civil solicitada",
        "number",
        example="50000",
    ),
    Column(
        "reparation_imposed",
        "Reparation imposed",
        "Reparación civil impuesta",
        "number",
        example="",
    ),
    Column(
        "reparation_currency", "Currency", "Moneda", aliases=("currency", "moneda"), example="PEN"
    ),
    Column(
        "notes", "Notes", "Observaciones", aliases=("notas", "comentarios", "comments"), example=""
    ),
    # -- the next hearing of the case (creates it, or updates the one on that day) ----------
    Column(
        "hearing_date",
        "Next hearing date",
        "Fecha de la próxima audiencia",
        "date",
        aliases=("proxima audiencia", "next hearing", "audiencia", "fecha de audiencia"),
        example="15/03/2022",
    ),
    Column(
        "hearing_time",
        "Next hearing time",
        "Hora de la próxima audiencia",
        aliases=("hora", "hora de audiencia", "hearing time", "time"),
        example="09:30",
    ),
    Column(
        "hearing_type",
        "Next hearing type",
        "Tipo de la próxima audiencia",
        "vocab",
        "hearing_type",
        ("tipo de audiencia", "hearing type"),
        example="Control de acusación",
    ),
    Column(
        "hearing_court",
        "Next hearing court",
        "Juzgado de la próxima audiencia",
        aliases=("sala de audiencia", "lugar de audiencia", "hearing court"),
        example="Juzgado Penal Unipersonal de Celendín",
    ),
    # -- record keys and flags, written by the tracker's own export ------------------------
    Column("case_id", "Case record id", "Id del caso", "id"),
    Column("defendant_id", "Defendant record id", "Id de la persona procesada", "id"),
    Column("charge_id", "Charge record id", "Id del cargo", "id"),
    Column("is_synthetic", "Synthetic (demo) data", "Datos sintéticos (demo)", "bool"),
)

_BY_KEY = {c.key: c for c in COLUMNS}


def by_key(key: str) -> Column:
    """The template column named ``key``."""
    return _BY_KEY[key]


@lru_cache(maxsize=1 << 16)
def normalize(text: str) -> str:
    """Compare headers and names case-, accent-, punctuation- and space-insensitively.

    Cached: an import compares the same labels, names and headers on every row.
    """
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = "".join(ch if ch.isalnum() else " " for ch in text)
    return " ".join(text.split())


def headers(lang: str) -> list[str]:
    """The template's headers in ``lang``."""
    return [c.es if lang == "es" else c.en for c in COLUMNS]


def _names() -> dict[str, str]:
    out: dict[str, str] = {}
    for column in COLUMNS:
        for name in (column.key, column.en, column.es, *column.aliases):
            out.setdefault(normalize(name), column.key)
    return out


_NAMES = _names()


def names() -> dict[str, str]:
    """Every known header (normalized) -> its template key."""
    return dict(_NAMES)


def check_mapping(mapping: Mapping[str, str]) -> list[str]:
    """Template keys that two file columns are mapped to (a mapping must be one-to-one)."""
    seen: dict[str, int] = {}
    for key in mapping.values():
        if key:
            seen[key] = seen.get(key, 0) + 1
    return sorted(k for k, n in seen.items() if n > 1)
