"""The Export tab shows how far a long export is: a bar of rows read, full when done."""

from __future__ import annotations

from tests.app.helpers import ready_engine, run_as

PAGE = "pages/6_Import_Export.py"


def _bar(at: object) -> list[tuple[int, str]]:
    return [(p.proto.value, p.proto.text) for p in at.get("progress")]  # type: ignore[attr-defined]


def test_export_shows_its_progress(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(PAGE, app_env, "viewer")
    assert _bar(at) == []  # nothing before a file is asked for
    at.selectbox(key="export_format").set_value("csv").run()
    at.button(key="export_prepare").click().run()
    # The documented cases as a viewer: 723 records, and their charges once more.
    assert _bar(at) == [(100, "790 of 790 rows read")]
    assert at.success[0].value == "723 records in tracker-export.zip."
    at.selectbox(key="export_format").set_value("ics").run()
    at.button(key="export_prepare").click().run()
    assert _bar(at) == [(100, "")]  # calendars do not report rows: the bar ends full
