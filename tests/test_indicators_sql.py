"""The SQL aggregates of tracker.indicators.aggregate give the figures of indicators.compute.

compute works on the rows network_data.load reads and is checked by hand in
tests/test_indicators.py; the aggregates must give the very same figures (values, counts,
details, group labels and their order) for every grouping, filter and visibility, on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.test_graphs import build_network, names
from tests.test_indicators import OVERALL, TODAY
from tracker import demo, indicators
from tracker.indicators.aggregate import Aggregates
from tracker.network_data import Filters, load

GROUPINGS = ("overall", "complainant", "charge_type", "region", "year", "case", "court")


def _plain(figures: list[indicators.Figure]) -> list[tuple[Any, ...]]:
    """Figures without the ids behind them (the aggregates do not list those)."""
    return [
        (f.indicator, f.group_by, f.group, f.label, f.value, f.numerator, f.denominator,
         f.details)
        for f in figures
    ]  # fmt: skip


def _assert_same(
    engine: Engine, filters: Filters, show: bool, today: date, threshold: int = 5
) -> int:
    """Compare every grouping in both languages; return how many figures were compared."""
    data = load(engine, filters, show_confidential=show)
    agg = Aggregates(engine, filters, show_confidential=show, today=today, mass_threshold=threshold)
    agg.prepare(("overall", "complainant"))
    compared = 0
    for group_by in GROUPINGS:
        for lang in ("en", "es"):
            expected, total = indicators.compute_page(
                data, group_by=group_by, today=today, lang=lang, mass_threshold=threshold
            )
            got, got_total = agg.figures_page(group_by, lang)
            assert (got_total, _plain(got)) == (total, _plain(expected)), (group_by, lang)
            compared += len(got)
    # A page of the breakdown is the same slice.
    page, _ = agg.figures_page("complainant", "en", 5, 7)
    whole, _ = indicators.compute_page(
        data, group_by="complainant", today=today, lang="en", mass_threshold=threshold,
        start=5, count=7,
    )  # fmt: skip
    assert _plain(page) == _plain(whole)
    return compared


def test_overall_figures_of_the_hand_built_network(engine: Engine) -> None:
    build_network(engine)
    agg = Aggregates(engine, show_confidential=False, today=TODAY)
    found = {f.indicator: f for f in agg.figures_page("overall", "en")[0]}
    assert [
        (code, found[code].value, found[code].numerator, found[code].denominator,
         found[code].details)
        for code, *_ in OVERALL
    ] == OVERALL  # fmt: skip


def test_per_complainant_labels_and_order(engine: Engine) -> None:
    ids = build_network(engine)
    n = names(ids)
    agg = Aggregates(engine, show_confidential=False, today=TODAY)
    figures, total = agg.figures_page("complainant", "en", 0, None)
    reach = [(f.label, n[f.group], f.value) for f in figures if f.indicator == "complainant_reach"]
    assert reach == [("Fiscalía Cusco", "K3", 5), ("Minera Norte", "K1", 2),
                     ("Policía Nacional", "K2", 1)]  # fmt: skip
    assert total == 34
    rates = {n[f.group]: (f.value, f.numerator, f.denominator) for f in figures
             if f.indicator == "unfounded_rate"}  # fmt: skip
    assert rates["K1"] == (0.6667, 2, 3)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(regions=("Cajamarca",)),
        Filters(complainant_categories=("company",)),
        Filters(charge_types=("usurpation",), start_year=2012, end_year=2019),
        Filters(contexts=("Paro 2019",), include_synthetic=False),
    ],
    ids=["all", "region", "category", "type-years", "context"],
)
def test_every_grouping_matches_compute_on_the_hand_built_network(
    engine: Engine, filters: Filters
) -> None:
    build_network(engine)
    for show in (False, True):
        assert _assert_same(engine, filters, show, TODAY, threshold=2) > 0


def test_spans_match_compute(engine: Engine) -> None:
    build_network(engine)
    for show in (False, True):
        expected = indicators.prosecution_spans(load(engine, show_confidential=show), today=TODAY)
        got = Aggregates(engine, show_confidential=show, today=TODAY).prosecution_spans()
        assert got == [{k: v for k, v in r.items() if k != "charges"} for r in expected]
    viewer = Aggregates(engine, show_confidential=False, today=TODAY).prosecution_spans()
    assert "Eva Ccori" not in {r["label"] for r in viewer}
    assert "Defensora E" in {r["label"] for r in viewer}


@pytest.mark.slow
def test_every_grouping_matches_compute_on_demo_data(engine: Engine) -> None:
    demo.generate(engine, scale="S", seed=7)
    today = date(2026, 11, 28)
    compared = 0
    for filters in (Filters(), Filters(start_year=2015, complainant_categories=("company",))):
        for show in (False, True):
            compared += _assert_same(engine, filters, show, today)
    assert compared > 2000
