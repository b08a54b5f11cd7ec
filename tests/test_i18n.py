"""Both catalogs are complete: every key the code uses has English and Spanish text."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tracker.i18n import catalog, t
from tracker.models.enums import AUDIT_ACTIONS, CASE_STATUSES
from tracker.services import SERVICES
from tracker.tabular import TABLES

ROOT = Path(__file__).resolve().parent.parent
CODE = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").glob("*.py")),
    *sorted((ROOT / "tracker").rglob("*.py")),
]
# A literal string shaped like a key ("area.name") whose area is one the catalogs use is taken
# as a message key even where it is not passed to t() directly (e.g. FieldError("x", KEY)).
_SHAPE = re.compile(r"^([a-z_]+)\.[a-z0-9_.]+[a-z0-9_]$")
_AREAS = {key.split(".")[0] for lang in ("en", "es") for key in catalog(lang)}


def _is_file_name(text: str) -> bool:
    return text.rsplit(".", 1)[-1] in {"py", "csv", "db", "yaml", "json", "xlsx", "ics", "zip"}


def _keys_in_code() -> set[str]:
    keys: set[str] = set()
    for path in CODE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                match = _SHAPE.match(node.value)
                if match and match.group(1) in _AREAS and not _is_file_name(node.value):
                    keys.add(node.value)
    return keys


def _dynamic_keys() -> set[str]:
    """Keys built at run time from data: field labels, table names, statuses, actions."""
    columns = {c.name for table in SQLModel.metadata.tables.values() for c in table.columns}
    keys = {f"field.{name}" for name in columns | {"password"}}
    keys |= {f"table.{name}" for name in SQLModel.metadata.tables}
    keys |= {f"status.{s}" for s in CASE_STATUSES}
    keys |= {f"audit.{a}" for a in AUDIT_ACTIONS}
    keys |= {service.spec.record for service in SERVICES.values()}
    # The exports' sheet and table titles (tracker.exports.tables).
    keys |= {f"export.sheet.{name}" for name in (*TABLES, "about", "charge_rows")}
    keys |= {
        f"enum.{name}.{value}"
        for service in SERVICES.values()
        for name, values in service.spec.choices.items()
        for value in values
    }
    return keys


def test_code_uses_keys_and_finds_them() -> None:
    assert len(_keys_in_code()) > 50


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_key_used_is_translated(lang: str) -> None:
    missing = sorted((_keys_in_code() | _dynamic_keys()) - set(catalog(lang)))
    assert missing == []


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    en, es = catalog("en"), catalog("es")
    assert sorted(set(en) ^ set(es)) == []
    fields = string.Formatter()
    for key in en:
        names_en = {f for _, f, _, _ in fields.parse(en[key]) if f}
        names_es = {f for _, f, _, _ in fields.parse(es[key]) if f}
        assert names_en == names_es, key
        assert es[key].strip(), key


def test_spanish_is_not_a_copy_of_english() -> None:
    en, es = catalog("en"), catalog("es")
    same = [k for k in en if en[k] == es[k] and len(en[k]) > 12 and "{" not in en[k]]
    assert same == []


def test_t_fills_parameters_and_falls_back() -> None:
    assert t("errors.too_long", lang="es", max=3, length=5) == (
        "Demasiado largo: como máximo 3 caracteres (tiene 5)."
    )
    assert t("no.such.key", lang="es") == "no.such.key"


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("en", 0, "0 hearings need their result recorded."),
        ("en", 1, "1 hearing needs its result recorded."),
        ("en", 2, "2 hearings need their result recorded."),
        ("es", 0, "0 audiencias necesitan que se registre su resultado."),
        ("es", 1, "1 audiencia necesita que se registre su resultado."),
        ("es", 21, "21 audiencias necesitan que se registre su resultado."),
    ],
)
def test_plural_forms_follow_the_count(lang: str, count: int, expected: str) -> None:
    assert t("hearings.overdue_count", lang=lang, total=count) == expected


def test_plural_categories_and_which_parameter_counts() -> None:
    from tracker.i18n import plural_category

    assert [plural_category("en", n) for n in (0, 1, 1.0, 2, 1.5)] == [
        "other", "one", "other", "other", "other",
    ]  # fmt: skip
    assert [plural_category("es", n) for n in (0, 1, 1.0, 2, 1000000)] == [
        "other", "one", "one", "other", "other",
    ]  # fmt: skip
    # "count" chooses before "total", "total" before "n"; no number: the "other" form.
    assert t("cases.count", lang="es", total=1, first=1, last=1) == "1 caso; se muestra 1–1."
    assert t("import.page.has_errors", lang="en", count=1).startswith("1 problem to correct")
    assert t("charts.note.unknown_span", lang="es", n=1) == (
        "1 defensor con una fecha desconocida no se muestra"
    )
    assert t("hearings.overdue_count", lang="en") == "{total} hearings need their result recorded."


def test_plural_messages_have_the_same_forms_and_placeholders() -> None:
    from tracker.i18n import plural_forms

    en, es = plural_forms("en"), plural_forms("es")
    assert sorted(en) == sorted(es)
    assert len(en) >= 15
    fields = string.Formatter()
    for key, forms in {**en, **es}.items():
        assert set(forms) == {"one", "other"}, key
        names = [{f for _, f, _, _ in fields.parse(text) if f} for text in forms.values()]
        assert names[0] == names[1], key
