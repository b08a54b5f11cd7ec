"""The definitions are word for word those of docs/INDICATORS.md (the contract): the table is
parsed, and every definition the app holds, the report pack's methodology text and (in
tests/app/test_indicators_page.py) the cards of the Indicators page must say exactly that.
INDICATORS.md has no Spanish: the Spanish catalog must define every indicator, in Spanish,
and the Spanish methodology must carry those texts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.test_charts import net  # noqa: F401  (module fixture)
from tracker import analysis
from tracker.exports import report_pack

ROOT = Path(__file__).resolve().parents[1]
_ROW = re.compile(r"^\| `(?P<code>[a-z_]+)` \| (?P<name>[^|]+) \| (?P<definition>[^|]+) \|$")


def documented() -> dict[str, tuple[str, str]]:
    """code -> (name, definition) of the table of docs/INDICATORS.md."""
    text = (ROOT / "docs" / "INDICATORS.md").read_text(encoding="utf-8")
    found = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if match:
            found[match["code"]] = (match["name"].strip(), match["definition"].strip())
    return found


def test_the_table_lists_every_indicator_once() -> None:
    table = documented()
    assert list(table) == [i.code for i in analysis.INDICATORS]
    assert len(table) == 12


@pytest.mark.parametrize("ind", analysis.INDICATORS, ids=lambda i: i.code)
def test_the_english_catalog_says_what_the_doc_says(ind: analysis.Indicator) -> None:
    name, definition = documented()[ind.code]
    assert ind.name("en") == name
    assert ind.definition("en", 5) == definition


def test_the_sentence_rule_is_in_the_definition() -> None:
    _, definition = documented()["sentence_asked_vs_imposed"]
    assert "each sentence request counts once" in definition
    assert "only when no request covers that charge" in definition


@pytest.mark.parametrize("ind", analysis.INDICATORS, ids=lambda i: i.code)
def test_the_spanish_catalog_defines_every_indicator(ind: analysis.Indicator) -> None:
    es = ind.definition("es", 5)
    assert es and es != ind.definition("en", 5) and not es.startswith("indicators.")
    assert "{" not in es and ind.name("es") != ind.name("en")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_methodology_text_carries_the_definitions(net: Any, lang: str) -> None:  # noqa: F811
    _, source = net
    lines = report_pack.methodology(source, [], lang).splitlines()
    table = documented()
    for ind in analysis.INDICATORS:
        name = ind.name(lang)
        definition = table[ind.code][1] if lang == "en" else ind.definition("es", 5)
        at = lines.index(name)
        assert lines[at + 1] == f"  {definition}", ind.code
