"""A fresh install has what the code imports: requirements.txt provides every third-party
module of the app (app.py, pages/, tracker/), and requirements-dev.txt adds what tests/ and
benchmarks/ need. Modules that a library imports only when one of its functions is called
(networkx's PageRank needs scipy) count too."""

from __future__ import annotations

import pytest

from tests import deps

APP = ("app.py", "pages", "tracker")
DEV = ("tests", "benchmarks")


def _text(name: str) -> str:
    return (deps.ROOT / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def app_needs() -> set[deps.Need]:
    return deps.needs(deps.python_files(*APP))


def test_requirements_txt_provides_what_the_app_imports(app_needs: set[deps.Need]) -> None:
    assert deps.missing(app_needs, deps.installed_by(_text("requirements.txt"))) == []


def test_requirements_dev_txt_provides_what_tests_and_benchmarks_import() -> None:
    needed = deps.needs(deps.python_files(*DEV))
    assert deps.missing(needed, deps.installed_by(_text("requirements-dev.txt"))) == []


def test_the_app_needs_scipy_through_networkx_pagerank(app_needs: set[deps.Need]) -> None:
    scipy = sorted(n.where for n in app_needs if n.module == "scipy")
    assert "tracker/graphs/analysis.py (networkx.pagerank)" in scipy


def test_a_requirements_text_without_scipy_is_caught(app_needs: set[deps.Need]) -> None:
    without = "\n".join(
        line for line in _text("requirements.txt").splitlines() if not line.startswith("scipy")
    )
    problems = deps.missing(app_needs, deps.installed_by(without))
    assert [p.split(":")[0] for p in problems] == ["scipy (distribution scipy)"]
    assert "tracker/graphs/analysis.py (networkx.pagerank)" in problems[0]


def test_a_module_missing_from_both_files_is_caught() -> None:
    needed = {deps.Need("yaml", "tracker/seed.py"), deps.Need("hypothesis", "tests/x.py")}
    provided = deps.installed_by("-r requirements.txt\npytest>=8\n")
    assert deps.missing(needed, provided) == [
        "hypothesis (distribution hypothesis): needed by tests/x.py"
    ]


def test_a_module_no_distribution_provides_is_caught() -> None:
    needed = {deps.Need("no_such_module_xyz", "pages/x.py")}
    assert deps.missing(needed, set()) == [
        "no_such_module_xyz: no installed distribution provides it; needed by pages/x.py"
    ]


def test_requirements_follow_includes_and_extras() -> None:
    names = deps.requirement_names("-r requirements.txt\npytest>=8  # tests\n")
    assert {"pytest", "streamlit", "psycopg", "psycopg[binary]"} <= names
    # psycopg[binary] brings psycopg-binary; a plain dependency brings its own (narwhals).
    assert {"psycopg-binary", "narwhals"} <= deps.installed_by("psycopg[binary]\nplotly\n")


def test_imports_guarded_by_import_error_or_a_version_test_are_optional() -> None:
    import ast

    func = ast.parse(
        "def f():\n"
        "    import scipy\n"
        "    try:\n"
        "        import matplotlib\n"
        "    except ImportError:\n"
        "        pass\n"
        "    if sys.version_info >= (3, 14):\n"
        "        import annotationlib\n"
    ).body[0]
    assert isinstance(func, ast.FunctionDef)
    assert deps._required_imports(func) == {"scipy"}
