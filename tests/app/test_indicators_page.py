"""AppTest of the Indicators page as cards, on the documented seed: a card per indicator with
its value, full definition (word for word INDICATORS.md), counted / out of, a bar per year the
case opened and the records behind it on request (names first, ids hidden); the comparison of
groups; in English and Spanish, as a viewer and as an editor."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tests.test_indicators_definitions import documented
from tracker import analysis
from tracker.ui.indicator_cards import records_key

PAGE = "pages/4_Indicators.py"
SENTENCE = "sentence_asked_vs_imposed"


@pytest.fixture
def seeded(app_env: str) -> str:
    ready_engine(app_env).dispose()
    return app_env


def _sqlite_only(url: str) -> None:
    if not url.startswith("sqlite"):
        pytest.skip("one database is enough for the page; the numbers are tested on both")


def _plain(markdown: str) -> str:
    """What st.markdown shows of escaped text."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _definitions(at: AppTest) -> list[str]:
    out = []
    for m in at.markdown:
        text = _plain(m.value)
        for prefix in ("**Definition:** ", "**Definición:** "):
            if text.startswith(prefix):
                out.append(text[len(prefix) :])
    return out


def _charts(at: AppTest) -> dict[str, dict[str, Any]]:
    return {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}


def _bars(at: AppTest, key_part: str) -> dict[str, Any]:
    """x label -> y of the one chart whose element id holds ``key_part``."""
    found = [spec for cid, spec in _charts(at).items() if key_part in cid]
    assert len(found) == 1, key_part
    trace = found[0]["data"][0]
    return dict(zip(trace["x"], trace["y"], strict=True))


def test_a_card_per_indicator_with_the_documents_definitions(seeded: str) -> None:
    at = run_as(PAGE, seeded, role="viewer")
    names = [i.name("en") for i in analysis.INDICATORS]
    assert [s.value for s in at.subheader][:12] == names
    # Word for word the table of docs/INDICATORS.md, whole (wrapped text, never cut).
    assert _definitions(at) == [documented()[i.code][1] for i in analysis.INDICATORS]
    values = [m.value for m in at.metric]
    # Sentence card (the last): 20.86 years over 7 requests; 0 imposed out of 63 charges.
    assert values[-3:] == ["20.9 years", "0", "63"]
    assert any("requests counted: 7" in c.value for c in at.caption)
    # A bar per year the case opened: Acuña (2011, no request: no bar), Espinar (2012),
    # Celendín (opening year not known).
    assert _bars(at, "ind_year_chart:sentence_asked_vs_imposed") == {
        "2011": None,
        "2012": 15.0,
        "(not known)": 35.5,
    }
    assert _bars(at, "ind_year_chart:unfounded_rate") == {
        "2011": 100.0, "2012": 100.0, "(not known)": None
    }  # fmt: skip
    # Nothing behind a number is read until asked for: the tables are the comparison's,
    # the breakdown's and the time under prosecution.
    assert [list(df.value.columns)[:2] for df in at.dataframe] == [
        ["Indicator", "Group"], ["Indicator", "Group"], ["Defendant", "From"]
    ]  # fmt: skip


def test_the_records_behind_the_sentence_show_the_requests(seeded: str) -> None:
    _sqlite_only(seeded)
    at = run_as(PAGE, seeded, role="viewer")
    at.toggle(key=f"ind_rows_show:{SENTENCE}:overall:").set_value(True).run()
    assert "63 records; 0 of them counted." in [c.value for c in at.caption]
    charges, requests = at.dataframe[0], at.dataframe[1]
    # Names lead; the ids stay in the data but are not shown.
    assert list(charges.proto.column_order)[:3] == ["Case", "Defendant", "Complainants"]
    assert "id" in charges.value.columns and "id" not in charges.proto.column_order
    assert "Celendín defender 01" in charges.value["Defendant"].tolist()
    shown = requests.value[list(requests.proto.column_order)]
    assert shown[["Requested by", "For", "Prison asked", "Years counted"]].values.tolist() == [
        ["2nd Provincial Criminal Prosecutor's Office of Celendín", "every defendant",
         "30–35 years", "35.00"],
        ["2nd Provincial Criminal Prosecutor's Office of Celendín", "every defendant",
         "up to 36 years", "36.00"],
        ["Public prosecutor's office, Ica", "every defendant", "8 years", "8.00"],
        ["Public prosecutor's office, Ica", "every defendant", "7 years", "7.00"],
        ["Public prosecutor's office, Ica", "Oscar Mollohuanca Cruz", "up to 30 years", "30.00"],
        ["Public prosecutor's office, Ica", "Oscar Mollohuanca Cruz", "20 years", "20.00"],
        ["Public prosecutor's office, Ica", "every defendant", "10 years", "10.00"],
    ]  # fmt: skip
    assert shown["For the charges"].tolist()[2:4] == [
        "Endangering public safety",
        "Obstructing public services, Riot / civil disturbance",
    ]
    assert shown["Date"].tolist()[:2] == ["2015", "2017-03"]


def test_the_comparison_for_an_editor(seeded: str) -> None:
    _sqlite_only(seeded)
    at = run_as(PAGE, seeded, role="editor")
    assert _bars(at, "ind_cmp_chart") == {
        "Governor of Celendín province": 16,
        "Governor of Sorochuco district": 16,
        "Minera Yanacocha": 4,
    }
    at.selectbox(key="ind_cmp_indicator").set_value(SENTENCE).run()
    at.selectbox(key="ind_cmp_dim").set_value("region").run()
    assert _bars(at, "ind_cmp_chart") == {"Cajamarca": 35.5, "Cusco": 15.0}
    table = at.dataframe[0].value
    assert table[["Group", "Value", "Counted", "Out of"]].values.tolist() == [
        ["Cajamarca", "35.5 years", 0, 48],
        ["Cusco", "15.0 years", 0, 15],
    ]
    at.selectbox(key="ind_cmp_dim").set_value("charge_type").run()
    bars = _bars(at, "ind_cmp_chart")
    assert list(bars)[:3] == ["Coercion", "Insult to national symbols", "Kidnapping"]
    assert bars["Endangering public safety"] == 17.0
    assert "Aggravated usurpation" not in bars  # no request: no value
    at.selectbox(key="ind_cmp_dim").set_value("opened_year").run()
    at.selectbox(key="ind_cmp_indicator").set_value("unfounded_rate").run()
    assert _bars(at, "ind_cmp_chart") == {"2011": 100.0, "2012": 100.0}
    # The records behind one group of the comparison.
    assert at.selectbox(key="ind_cmp_group").options == ["2011", "2012"]
    at.selectbox(key="ind_cmp_group").set_value("2012").run()
    at.toggle(
        key=f"ind_rows_show:{records_key('unfounded_rate', 'opened_year', '2012')}"
    ).set_value(True).run()
    # Espinar: the 12 charges with a final outcome, all ended without a conviction.
    assert "12 records; 12 of them counted." in [c.value for c in at.caption]


def test_the_page_in_spanish(seeded: str) -> None:
    _sqlite_only(seeded)
    at = run_as(PAGE, seeded, role="viewer")
    at.selectbox(key="lang").set_value("es").run()
    names = [i.name("es") for i in analysis.INDICATORS]
    assert [s.value for s in at.subheader][:12] == names
    assert _definitions(at) == [i.definition("es", 5) for i in analysis.INDICATORS]
    assert [m.value for m in at.metric][-3:] == ["20,9 años", "0", "63"]
    assert at.selectbox(key="ind_cmp_dim").options == [
        "Denunciante",
        "Región",
        "Tipo de delito",
        "Año de apertura del caso",
    ]
    at.toggle(key=f"ind_rows_show:{SENTENCE}:overall:").set_value(True).run()
    requests = at.dataframe[1].value
    assert requests["Prisión pedida"].tolist()[:2] == ["30–35 años", "hasta 36 años"]
    assert requests["Para"].tolist()[0] == "todas las personas acusadas"
