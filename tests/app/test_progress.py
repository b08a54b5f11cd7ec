"""Long work shows how far it is: the report pack (a bar per chart), an import's preview and
commit (rows checked, then written), and a backup (pages or tables copied). Each bar ends full, under a
status box that closes as complete."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from tests.app.helpers import ready_engine, run_as
from tests.app.test_import_export_page import GOOD
from tests.test_graphs import build_network
from tests.test_static_export import require_browser
from tracker import charts, db, seed
from tracker.permissions import Principal

IMPORT = "pages/6_Import_Export.py"
REPORTS = "pages/10_Reports.py"


def _bars(at: Any) -> list[tuple[int, str]]:
    return [(p.proto.value, p.proto.text) for p in at.get("progress")]


def _statuses(at: Any) -> list[tuple[str, str]]:
    """(label, state) of each status box in the page."""
    return [(s.label, s.state) for s in at.get("status")]


def test_import_preview_and_commit_show_their_steps(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(IMPORT, app_env, "editor")
    assert _bars(at) == []
    at.file_uploader(key="import_file").set_value(("new.csv", GOOD, "text/csv")).run()
    at.button(key="import_preview").click().run()
    assert not at.exception, at.exception
    # Two rows, each checked and then tried through the services (and rolled back).
    assert _bars(at) == [(100, "Trying rows through the checks of every record: 2 of 2")]
    assert _statuses(at) == [("Import finished.", "complete")]
    at.button(key="import_commit").click().run()
    assert _bars(at) == [(100, "Writing rows: 2 of 2")]
    assert at.success[0].value.startswith("Imported. 2 rows read")


def test_a_backup_shows_its_progress(app_env: str) -> None:
    ready_engine(app_env)
    at = run_as(IMPORT, app_env, "admin")
    at.button(key="backup_make").click().run()
    assert not at.exception, at.exception
    assert _bars(at) == [(100, "")]
    assert _statuses(at) == [("Backup ready.", "complete")]
    assert at.success[0].value.startswith("Backup written to tracker-backup-")


def test_the_report_pack_is_drawn_with_a_bar_per_chart(
    app_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_browser()
    if not app_env.startswith("sqlite"):
        pytest.skip("one database is enough to see the bar; the pack itself is tested on both")
    engine = db.make_engine(app_env)
    with db.unit_of_work(engine, Principal("seed", "admin")) as s:
        seed.load_vocabularies(s)
    build_network(engine)
    at = run_as(REPORTS, app_env, role="viewer")
    assert not [b for b in at.get("download_button") if "pack" in str(b.proto.label).lower()]
    at.button(key="rp_pack_prepare").click().run()
    assert not at.exception, at.exception
    n = len(charts.CHARTS)
    assert _bars(at) == [
        (100, f"Drawing the report pack: chart {n} of {n} (Prosecution timeline: Ana Huamán)")
    ]
    assert _statuses(at) == [("Report pack ready.", "complete")]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[-1] == "Report pack (ZIP)"
    _, data = at.session_state["rp_pack_file"]
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == 3 * n + 1
    # The pack stays offered while nothing changes; a new language needs a new pack.
    at.run()
    assert [b.proto.label for b in at.get("download_button")][-1] == "Report pack (ZIP)"
    at.selectbox(key="rp_lang").set_value("es").run()
    assert "Report pack (ZIP)" not in [b.proto.label for b in at.get("download_button")]
