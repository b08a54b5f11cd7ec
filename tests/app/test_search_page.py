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
