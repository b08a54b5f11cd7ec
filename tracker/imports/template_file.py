"""Write the import template shipped under data/: CSV and a documented XLSX workbook.

Headers are bilingual ("Case number / Número de expediente"), so one file serves English and
Spanish speakers and maps itself. The workbook adds an instructions sheet (every column in both
languages, whether it is required, an example) and the allowed values of every list.
Run ``python -m tracker.imports.template_file`` after changing the template or the seed
vocabularies; tests/test_import_template.py checks the shipped files are current.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from .. import config
from ..i18n import t
from .lookups import CHOICES
from .template import COLUMNS, Column

__all__ = ["bilingual_headers", "template_csv", "write_templates"]

_REQUIRED = {
    "defendant_name": "import.template.required_yes",
    "charge_type": "import.template.required_yes",
    "case_number": "import.template.required_case",
    "case_title": "import.template.required_case",
}
# Columns the tracker's own export fills; a new file leaves them out.
_EXPORT_ONLY = ("case_id", "defendant_id", "charge_id", "is_synthetic")


def bilingual_headers() -> list[str]:
    """The template's headers, "English / Español"."""
    return [f"{c.en} / {c.es}" for c in COLUMNS if c.key not in _EXPORT_ONLY]


def template_csv() -> bytes:
    """The CSV template: UTF-8 with a byte-order mark (Excel reads the accents), headers only."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(bilingual_headers())
    return buffer.getvalue().encode("utf-8-sig")


def _both(key: str, sep: str = " / ", **params: Any) -> str:
    return f"{t(key, lang='en', **params)}{sep}{t(key, lang='es', **params)}"


def _lists() -> list[list[str]]:
    vocabularies = yaml.safe_load((config.SEED_DIR / "vocabularies.yaml").read_text("utf-8"))
    rows: list[list[str]] = []
    used = [c.vocabulary for c in COLUMNS if c.vocabulary]
    for vocabulary in dict.fromkeys(used):
        for term in vocabularies.get(vocabulary, []):
            rows.append([vocabulary, term["code"], term["en"], term["es"]])
    for group, codes in CHOICES.items():
        for code in codes:
            key = f"import.choice.{group}.{code}"
            rows.append([group, code, t(key, lang="en"), t(key, lang="es")])
    return rows


def _help_rows(column: Column) -> list[str]:
    required = _REQUIRED.get(column.key)
    return [
        f"{column.en} / {column.es}",
        _both(required) if required else "",
        t(f"import.help.{column.key}", lang="en"),
        t(f"import.help.{column.key}", lang="es"),
        column.example,
    ]


def template_xlsx() -> bytes:
    """The XLSX template: the data sheet, instructions and lists."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    data = workbook.active
    data.title = _both("import.template.sheet_data", " - ")
    data.append(bilingual_headers())
    for cell in data[1]:
        cell.font = Font(bold=True)
        data.column_dimensions[cell.column_letter].width = 24
    data.freeze_panes = "A2"
    info = workbook.create_sheet(_both("import.template.sheet_help", " - "))
    info.append([_both("import.template.intro")])
    info.append([])
    info.append(
        [
            _both("import.template.col_header"),
            _both("import.template.col_required"),
            t("import.template.col_help", lang="en"),
            t("import.template.col_help", lang="es"),
            _both("import.template.col_example"),
        ]
    )
    for column in COLUMNS:
        if column.key not in _EXPORT_ONLY:
            info.append(_help_rows(column))
    for letter, width in zip("ABCDE", (45, 18, 60, 60, 30), strict=True):
        info.column_dimensions[letter].width = width
    for row in info.iter_rows(min_row=1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    lists = workbook.create_sheet(_both("import.template.sheet_lists", " - "))
    lists.append(
        [_both("import.template.col_list"), _both("import.template.col_code"), "English", "Español"]
    )
    for row in _lists():
        lists.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_templates(folder: Path | None = None) -> list[Path]:
    """Write import_template.csv and import_template.xlsx into ``folder`` (default data/)."""
    folder = Path(folder or config.ROOT / "data")
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "import_template.csv", folder / "import_template.xlsx"]
    paths[0].write_bytes(template_csv())
    paths[1].write_bytes(template_xlsx())
    return paths


if __name__ == "__main__":
    for path in write_templates():
        print(path)
