"""The Search page: the documented cases found without accents, results that open records."""

from __future__ import annotations

from tests.app.helpers import ready_engine, run_as

PAGE = "pages/11_Search.py"


def test_search_finds_the_documented_case_and_opens_it(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, "viewer", query={"q": "maxima acuna"})
    shown = [m.value for m in at.markdown]
    assert any(v.startswith("**Máxima Acuña**") for v in shown), shown
    assert at.text_input(key="search_q").value == "maxima acuna"
    assert at.caption[0].value.startswith("Results: ")


def test_nothing_found_says_so(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, "viewer", query={"q": "zzzz qqqq"})
    assert at.info[0].value == 'Nothing found for "zzzz qqqq".'


def test_a_stage_found_by_its_label_opens_the_cases_filtered_by_it(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, "viewer", query={"q": "juicio oral"})
    shown = [m.value for m in at.markdown]
    assert shown[0] == "**Oral trial**  \nList value · a stage of the case · 1 case", shown
    cases = run_as("pages/1_Cases.py", app_env, "viewer", query={"stage": "trial"})
    assert cases.selectbox(key="f_stage").value == "trial"
    assert cases.caption[0].value.startswith("1 case"), [c.value for c in cases.caption]
