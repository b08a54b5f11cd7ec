"""Viewers get no edit forms anywhere: every page, with a case, a person, an actor and a
source open, shows a viewer only filters, paging and navigation (no form, no disabled save
button, no edit tab), while an editor gets the forms (tracker.permissions decides)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ready_engine, run_as
from tracker.analysis import INDICATORS
from tracker.seed import seed_id
from tracker.ui.indicator_cards import records_key

ESPINAR = str(seed_id("case", "case-espinar-2012"))
RETRIAL_HEARING = seed_id("hearing", "hearing-espinar-2020-02-18")
ACUNA = str(seed_id("actor", "maxima-acuna"))
YANACOCHA = str(seed_id("actor", "minera-yanacocha"))
S0 = str(seed_id("source", "S0"))
# The group the Indicators page's comparison opens on (highest reach, then by name).
GOVERNOR = seed_id("actor", "celendin-province-governor").hex

INPUTS = (
    "text_input",
    "text_area",
    "date_input",
    "time_input",
    "number_input",
    "selectbox",
    "multiselect",
    "checkbox",
    "radio",
    "slider",
    "toggle",
)
NETWORK_FILTERS = {"nf_regions", "nf_types", "nf_categories", "nf_contexts", "nf_synthetic"}
NETWORK_FILTERS |= {"nf_period", "lang"}

# page, query -> every input a viewer gets (filters, paging, opening a record, languages).
VIEWER_INPUTS: dict[tuple[str, str | None], set[str]] = {
    ("app.py", None): {"lang"},
    ("pages/1_Cases.py", None): {
        "f_text",
        "f_complainant_text",
        "f_context",
        "f_period",
        "f_page",
        "f_region",
        "f_status",
        "f_charge",
        "f_complainant",
        "f_stage",
        "f_sort",
        "f_synthetic",
        "lang",
    },
    ("pages/1_Cases.py", f"case={ESPINAR}"): {"lang"},
    ("pages/2_Defenders.py", None): {
        "p_text",
        "p_page",
        "p_state",
        "p_region",
        "p_right",
        "p_kind",
        "p_org",
        "p_sort",
        "p_synthetic",
        "lang",
    },
    ("pages/2_Defenders.py", f"actor={ACUNA}"): {"brought_page", "lang"},
    # The page opens on the top complainants by reach (the whole graph is one click away).
    ("pages/3_Network.py", None): NETWORK_FILTERS | {"np_mode", "np_communities"},
    ("pages/4_Indicators.py", None): NETWORK_FILTERS
    | {"ind_threshold", "ind_group_by", "ind_cmp_indicator", "ind_cmp_dim", "ind_cmp_group"}
    | {f"ind_rows_show:{i.code}:overall:" for i in INDICATORS}
    | {f"ind_rows_show:{records_key('complainant_reach', 'complainant', GOVERNOR)}"},
    ("pages/5_Hearings.py", None): {"h_page", "h_court", "h_lawyer", "h_days", "lang"},
    ("pages/6_Import_Export.py", None): {
        "export_format",
        "export_lang",
        "export_synthetic",
        "lang",
    },
    ("pages/7_Actors.py", None): {
        "p_text",
        "p_page",
        "p_region",
        "p_role",
        "p_kind",
        "p_cat",
        "p_sort",
        "p_synthetic",
        "lang",
    },
    ("pages/7_Actors.py", f"actor={YANACOCHA}"): {"brought_page", "lang"},
    ("pages/8_Sources.py", None): {"s_text", "s_page", "s_reliability", "lang"},
    ("pages/8_Sources.py", f"source={S0}"): {"lang"},
    ("pages/9_Admin.py", None): {"lang"},
    ("pages/11_Search.py", None): {"search_q", "lang"},
    ("pages/10_Reports.py", None): NETWORK_FILTERS | {"rp_chart", "rp_lang", "rp_period"},
}

# page, query -> (some inputs of an editor's forms, the edit tab an editor gets, if any).
EDITOR_FORMS: dict[tuple[str, str | None], tuple[set[str], str | None]] = {
    ("pages/1_Cases.py", None): ({"new_case__title", "new_case__summary"}, None),
    ("pages/1_Cases.py", f"case={ESPINAR}"): (
        {
            f"case_{ESPINAR}__title",
            f"case_{ESPINAR}__summary",
            f"hearing_{ESPINAR}__scheduled_at",
            f"charge_{ESPINAR}__charge_type",
            f"party_{ESPINAR}__role",
            f"qr_{RETRIAL_HEARING}_add",  # the quick form opens on the hearing without a result
        },
        "Edit case",
    ),
    ("pages/2_Defenders.py", None): ({"new_defenders__name"}, None),
    ("pages/2_Defenders.py", f"actor={ACUNA}"): (
        {f"actor_{ACUNA}__name", f"membership_{ACUNA}__role"},
        "Edit",
    ),
    ("pages/6_Import_Export.py", None): ({"import_file"}, None),
    ("pages/7_Actors.py", None): ({"new_actors__name"}, None),
    ("pages/7_Actors.py", f"actor={YANACOCHA}"): ({f"actor_{YANACOCHA}__name"}, "Edit"),
    ("pages/8_Sources.py", None): ({"new_source__title"}, None),
    ("pages/8_Sources.py", f"source={S0}"): ({f"source_{S0}__title", "cite_kind"}, "Edit"),
}


def _run(url: str, role: str, page: str, query: str | None) -> AppTest:
    params = dict([query.split("=")]) if query else None
    return run_as(page, url, role, query=params)


def _inputs(at: AppTest) -> set[str]:
    keys = {w.key for kind in INPUTS for w in getattr(at, kind)}
    return keys | {e.key for e in at.get("file_uploader")}


def _tabs(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


@pytest.mark.parametrize(("page", "query"), list(VIEWER_INPUTS), ids=lambda v: str(v))
def test_a_viewer_gets_no_form(app_env: str, page: str, query: str | None) -> None:
    ready_engine(app_env)
    at = _run(app_env, "viewer", page, query)
    assert _inputs(at) == VIEWER_INPUTS[page, query]
    assert not [label for label in _tabs(at) if label.startswith("Edit")]
    assert not [b.label for b in at.get("form_submit_button")]  # no form, not even disabled


@pytest.mark.parametrize(("page", "query"), list(EDITOR_FORMS), ids=lambda v: str(v))
def test_an_editor_gets_the_forms(app_env: str, page: str, query: str | None) -> None:
    ready_engine(app_env)
    at = _run(app_env, "editor", page, query)
    forms, edit_tab = EDITOR_FORMS[page, query]
    inputs = _inputs(at)
    assert forms <= inputs, forms - inputs
    assert VIEWER_INPUTS[page, query] <= inputs
    assert [label for label in _tabs(at) if label.startswith("Edit")] == (
        [edit_tab] if edit_tab else []
    )
