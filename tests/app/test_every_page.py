"""Every page renders for an administrator, an editor and a viewer, in English and Spanish, on
the documented cases plus demo data at scale S: each page's list, a case, a defender, a
complainant and a source open (by query parameter, as links open them), and the views a page
switches between (network graphs, indicator breakdowns, report charts, hearing windows).
AppTest renders the content of every tab and expander. Any exception or error message fails.

A fresh environment runs this too (.ci/run), so a library the app needs and the
requirements miss (scipy, for networkx's PageRank) breaks it.
"""

from __future__ import annotations

import logging
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ROOT, page, ready_engine
from tests.factories import make_user
from tracker import calendar, config, db, demo, sessions
from tracker.i18n import get_language, set_language, t
from tracker.seed import seed_id
from tracker.ui import incidents
from tracker.ui.network_widgets import VIEWS

ROLES = ("admin", "editor", "viewer")
LANGS = ("en", "es")
PAGES = ("app.py", *sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")))
Step = Callable[[AppTest], object]
# The records opened: documented (seed) and synthetic (demo) ones of each kind.
RECORDS = (
    "seed_case",
    "demo_case",
    "seed_defender",
    "demo_defender",
    "seed_complainant",
    "demo_complainant",
    "source",
)

# The busiest demo records that every role may see (restricted ones are hidden from viewers).
_DEMO_CASE = """
    SELECT c.id FROM court_case c JOIN hearing h ON h.case_id = c.id
    WHERE c.is_synthetic AND c.confidentiality = 'public'
    GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 1"""
_DEMO_DEFENDER = """
    SELECT a.id FROM actor a JOIN case_party p ON p.actor_id = a.id
    WHERE a.is_synthetic AND a.is_defender AND a.confidentiality <> 'restricted'
    GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1"""
_DEMO_COMPLAINANT = """
    SELECT a.id FROM actor a JOIN charge_complainant cc ON cc.actor_id = a.id
    WHERE a.is_synthetic AND a.confidentiality = 'public'
    GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1"""
_MOST_CITED_SOURCE = """
    SELECT s.id FROM source s JOIN citation c ON c.source_id = s.id
    GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1"""


@dataclass(frozen=True)
class Target:
    """A page, the record its URL opens, and the views to switch through once open."""

    path: str
    query: dict[str, str] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()

    def __str__(self) -> str:
        opened = ",".join(f"{k}={v}" for k, v in self.query.items())
        return f"{self.path}?{opened}" if opened else self.path


def _radio(key: str, value: object) -> Step:
    return lambda at: at.radio(key=key).set_value(value)


def _select(key: str, value: object) -> Step:
    # By value: AppTest's select_index picks the label, which a format_func turns into a
    # value the options do not hold.
    return lambda at: at.selectbox(key=key).set_value(value)


# The breakdowns the Indicators page offers (tracker/ui/indicator_widgets.py).
GROUPINGS = ("complainant", "charge_type", "region", "year", "opened_year", "case", "court")


def _switches(records: dict[str, str]) -> dict[str, tuple[Step, ...]]:
    """The views each page switches between, in the order a reader would click them."""
    from tracker.analysis import INDICATORS
    from tracker.charts import CHARTS

    network = (
        # The readable views first (the page opens on the top complainants by reach).
        lambda at: at.select_slider(key="np_top_n").set_value(50),
        _radio("np_mode", "ego"),
        lambda at: at.text_input(key="np_search").set_value("a"),
        lambda at: at.selectbox(key="np_pick").select_index(1),
        _radio("np_mode", "graph"),
        *(_radio("nv_view", view) for view in VIEWS[1:]),
        lambda at: at.toggle(key="nv_centrality").set_value(True),  # betweenness
        _radio("nv_view", VIEWS[0]),
        # A complainant's cases (graph nodes are ids as 32 hex digits).
        _select("nv_node", uuid.UUID(records["demo_complainant"]).hex),
    )
    return {
        "pages/3_Network.py": network,
        "pages/4_Indicators.py": (
            *(_select("ind_group_by", g) for g in GROUPINGS[1:]),
            *(_select("ind_cmp_indicator", i.code) for i in INDICATORS[1:]),
            *(_select("ind_cmp_dim", d) for d in ("region", "charge_type", "opened_year")),
        ),
        "pages/10_Reports.py": tuple(_select("rp_chart", c) for c in CHARTS[1:]),
        "pages/5_Hearings.py": tuple(_radio("h_days", d) for d in calendar.WINDOWS),
    }


def targets(records: dict[str, str], with_switches: bool = True) -> list[Target]:
    """Every page's first view, each record kind open, and (optionally) the views switched."""
    switches = _switches(records) if with_switches else {}
    found = [Target(path, steps=switches.get(path, ())) for path in PAGES]
    found += [
        Target("pages/1_Cases.py", {"case": records["seed_case"]}),
        Target("pages/1_Cases.py", {"case": records["demo_case"]}),
        Target("pages/2_Defenders.py", {"actor": records["seed_defender"]}),
        Target("pages/2_Defenders.py", {"actor": records["demo_defender"]}),
        Target("pages/7_Actors.py", {"actor": records["seed_complainant"]}),
        Target("pages/7_Actors.py", {"actor": records["demo_complainant"]}),
        Target("pages/8_Sources.py", {"source": records["source"]}),
    ]
    return found


def build(url: str) -> dict[str, str]:
    """Fill a migrated, empty database: documented seed, demo S, one account per role.
    Returns the ids of the records the test opens."""
    engine = ready_engine(url)
    demo.generate(engine, scale="S")
    for role in ROLES:
        make_user(engine, f"every_{role}", role)
    with engine.connect() as conn:
        # As links write them: str(UUID), whatever the database returns.
        one = lambda sql: str(uuid.UUID(str(conn.execute(text(sql)).scalar_one())))  # noqa: E731
        records = {
            "demo_case": one(_DEMO_CASE),
            "demo_defender": one(_DEMO_DEFENDER),
            "demo_complainant": one(_DEMO_COMPLAINANT),
            "source": one(_MOST_CITED_SOURCE),
        }
    engine.dispose()
    return records | {
        # Celendín: 16 confidential defendants under pseudonyms.
        "seed_case": str(seed_id("case", "case-celendin-16")),
        "seed_defender": str(seed_id("actor", "celendin-defendant-01")),
        "seed_complainant": str(seed_id("actor", "minera-yanacocha")),
    }


def expected_errors(path: str, role: str, lang: str) -> list[str]:
    """The error messages a page shows on purpose: the Admin page refuses non-administrators."""
    if path == "pages/9_Admin.py" and role != "admin":
        return [t("admin.only_admins", lang=lang)]
    return []


def problems(at: AppTest, where: str, expected: list[str]) -> list[str]:
    """What a user must never see: an exception, or an error message not expected."""
    found = [f"{where}: exception {e.message}" for e in at.exception]
    errors = [e.value for e in at.error]
    if errors != expected:
        found += [f"{where}: error {e}" for e in errors if e not in expected]
        found += [f"{where}: expected error missing: {e}" for e in expected if e not in errors]
    return found


def render_all(role: str, lang: str, chosen: list[Target]) -> list[str]:
    """Render every target as ``role`` in ``lang``; the problems found, page by page."""
    # AppTest formats a selectbox's options with the page's format_func in this thread when a
    # test picks a value: labels made with t() must come out in the page's language.
    before = get_language()
    set_language(lang)
    # The user sees an incident id; the test reports the exception behind it too.
    incidents_seen = _Incidents()
    incidents.log.addHandler(incidents_seen)
    try:
        return _render_all(role, lang, chosen) + incidents_seen.found
    finally:
        incidents.log.removeHandler(incidents_seen)
        set_language(before)


class _Incidents(logging.Handler):
    """Collects what the incidents logger records: message and exception."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        self.found.append(f"{record.getMessage()}: {error!r}")


def _render_all(role: str, lang: str, chosen: list[Target]) -> list[str]:
    found: list[str] = []
    engine = db.make_engine(config.database_url())
    for target in chosen:
        at = page(target.path)
        # A login session of its own for each page, so none goes idle during a long matrix.
        at.session_state["auth"] = {"token": sessions.start(engine, f"every_{role}").token}
        at.session_state["language"] = lang
        for key, value in target.query.items():
            at.query_params[key] = value
        at.run()
        where = f"{role}/{lang} {target}"
        expected = expected_errors(target.path, role, lang)
        found += problems(at, where, expected)
        if not at.title:  # the page did not get past the login guard
            found.append(f"{where}: no title")
        for number, step in enumerate(target.steps, 1):
            if found:
                break
            step(at)
            at.run()
            found += problems(at, f"{where} step {number}", expected)
    return found


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, _sqlite_template: Path) -> tuple[Path, dict]:
    """A SQLite file with the seed, demo S and the accounts, made once for this module."""
    path = tmp_path_factory.mktemp("every_page") / "template.db"
    shutil.copy(_sqlite_template, path)
    records = build(f"sqlite:///{path}")
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path, records


@pytest.fixture
def fresh_pages(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Empty caches (Streamlit's are the only ones)."""
    monkeypatch.setenv("TRACKER_DATA_DIR", str(tmp_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_data.clear()


# The view switches take half the time of a role's run: every role switches through them in
# one language, and both languages are covered.
SWITCHED = {("admin", "en"), ("editor", "es"), ("viewer", "es")}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_on_sqlite(
    template: tuple[Path, dict],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_pages: None,
    role: str,
    lang: str,
) -> None:
    path, records = template
    copy = tmp_path / "tracker.db"
    shutil.copy(path, copy)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{copy}")
    chosen = targets(records, with_switches=(role, lang) in SWITCHED)
    assert render_all(role, lang, chosen) == []


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_every_page_on_postgresql(
    db_url: str, monkeypatch: pytest.MonkeyPatch, fresh_pages: None
) -> None:
    """A slice on PostgreSQL, on one build, without the view switches: every page and every
    record open for a viewer in Spanish, and the records open for an administrator in English
    (the two sides of the confidentiality rule)."""
    records = build(db_url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    chosen = targets(records, with_switches=False)
    opened = [target for target in chosen if target.query]
    assert render_all("viewer", "es", chosen) + render_all("admin", "en", opened) == []


def test_the_matrix_covers_every_page_and_every_record_kind() -> None:
    chosen = targets(dict.fromkeys(RECORDS, str(uuid.UUID(int=1))))
    assert {t.path for t in chosen} == set(PAGES)
    assert "pages/9_Admin.py" in PAGES and "app.py" in PAGES
    assert sorted(k for t in chosen for k in t.query) == [
        "actor",
        "actor",
        "actor",
        "actor",
        "case",
        "case",
        "source",
    ]


def test_a_page_that_fails_is_reported(
    template: tuple[Path, dict],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_pages: None,
) -> None:
    """The check can fail: a page whose reader breaks is named with its role and language."""
    from tracker import dashboard

    def broken(*args: object, **kwargs: object) -> object:
        raise ModuleNotFoundError("No module named 'scipy'")

    copy = tmp_path / "tracker.db"
    shutil.copy(template[0], copy)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{copy}")
    monkeypatch.setattr(dashboard, "key_figures", broken)
    found = render_all("viewer", "en", [Target("app.py")])
    assert len(found) == 2
    assert found[0].startswith("viewer/en app.py: error Something went wrong")
    assert re.fullmatch(
        r"incident [0-9a-f]{8}: unexpected error while running the page: "
        r"ModuleNotFoundError\(\"No module named 'scipy'\"\)",
        found[1],
    )
