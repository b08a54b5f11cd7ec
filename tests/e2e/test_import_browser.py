"""An NGO's archive brought in through a real browser (issue 20), as an administrator.

The messy archive of tests/archive_fixture.py (the same sheet over three years; the AppTest
and the library tests use the same one) goes through the Import and export page:

1. year 1 (cp1252, ";", CRLF) is uploaded; one column is mapped by hand in the table and the
   mapping is saved under a name;
2. the NGO's own words are mapped to terms (kept as aliases);
3. of the two uncertain matches, one is accepted and one rejected;
4. the import is committed, and the Cases and Defenders pages show Máxima Acuña's case and
   Máxima herself once;
5. year 2 (UTF-16, tabs) is uploaded: the saved mapping is proposed and used, the changes are
   listed (field: old -> new) and applied;
6. the last import is undone and its changes are reverted.

Every text looked for comes from the English catalog through t(). The fixture fails the test
if any request leaves the machine.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.archive_fixture import VALUES, seed_beside_documented, year_file
from tests.e2e.test_browser import App, act, expand, fill, go, key
from tracker import db
from tracker.i18n import t
from tracker.models import Actor, Case, Charge, ImportBatch, ImportMapping, TermAlias
from tracker.seed import seed_id

pytestmark = pytest.mark.browser

MAPPING = "ONG Cajamarca"
HAND_MAPPED = "Observaciones"  # the NGO's notes are left out, by hand
ROW_PX = 35  # Streamlit's data grid: header and rows are 35 px high
MAXIMA_CASE = seed_id("case", "case-maxima-acuna")


def en(message: str, **params: Any) -> str:
    """The English text of catalog key ``message``."""
    return t(message, lang="en", **params)


def _start(page: Any, server: str) -> App:
    """Open the fresh app and create its administrator (who is then logged in)."""
    app = App(page)
    act(app, lambda: page.goto(server), "opening the app", idle_first=False)
    fill(app, "setup_username", "lawyer")
    fill(app, "setup_password", "a long enough passphrase")
    fill(app, "setup_password2", "a long enough passphrase")
    act(app, page.get_by_role("button", name="Create administrator").click, "creating the admin")
    page.get_by_text("Logged in as lawyer").wait_for()
    return app


def _upload(app: App, year: int) -> None:
    data, name = year_file(year)
    mime = "text/csv" if name.endswith(".csv") else "text/plain"
    box = key(app.page, "import_file").locator("input[type='file']")
    act(
        app,
        lambda: box.set_input_files({"name": name, "mimeType": mime, "buffer": data}),
        f"uploading {name}",
    )
    app.page.get_by_text(name, exact=True).wait_for()


def _grid_rows(grid: Any) -> list[list[str]]:
    """The cells of each row of a data grid, read from its accessible table (drawn rows
    only; row 0 is the header)."""
    table = grid.locator("table[role='grid']").first
    table.locator("[role='row']").first.wait_for(state="attached")
    script = "t => [...t.rows].map(r => [...r.cells].map(c => c.textContent))"
    return list(table.evaluate(script))


def _map_by_hand(app: App, header: str, label: str) -> None:
    """In the column mapping table, set the template column of ``header`` to ``label``."""
    page = app.page
    expand(page, en("import.page.mapping"))
    grid = page.get_by_test_id("stDataFrame").filter(has_text=en("import.col.template_column"))
    rows = _grid_rows(grid)
    found = [i for i, row in enumerate(rows) if row[0] == header]
    assert found, f"no row for {header!r} in the mapping table: {rows}"
    index = found[0]
    canvas = grid.locator("canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    # The grid is drawn on a canvas: a double click on the cell opens its list of choices.
    page.mouse.dblclick(box["x"] + box["width"] * 0.75, box["y"] + index * ROW_PX + ROW_PX / 2)
    option = page.get_by_test_id("portal").get_by_role("option", name=label, exact=True)
    act(app, option.click, f"mapping {header!r} to {label!r}", idle_first=False)
    expect(grid.locator("[role='row']").nth(index)).to_contain_text(label)


def _choose_term(app: App, value: str, code: str) -> None:
    """Map the file's ``value`` to the term ``code`` (its option reads "Label (code)")."""
    page = app.page
    box = page.get_by_test_id("stSelectbox").filter(has_text=f"“{value}”").locator("input")
    box.scroll_into_view_if_needed()
    box.click()
    box.press_sequentially(f"({code})")
    option = page.get_by_role("option").filter(has_text=f"({code})")
    expect(option).to_have_count(1)
    act(app, option.click, f"mapping {value!r} to {code!r}", idle_first=False)
    expect(box).to_have_value(re.compile(rf"\({code}\)$"))


def _decide(app: App, name: str, choice: str) -> None:
    group = app.page.get_by_test_id("stRadio").filter(has_text=f"“{name}”")
    act(app, group.get_by_text(en(choice), exact=True).click, f"deciding on {name!r}")


def _click(app: App, label: str, what: str) -> None:
    act(app, app.page.get_by_role("button", name=label, exact=True).click, what)


def _count(app: App, page_link: str, path: str, field: str, text: str, caption: str) -> None:
    """On a list page, filter by ``text`` and expect the count caption ``caption``."""
    go(app, page_link, path)
    expand(app.page, en("cases.filters"))
    fill(app, field, text, enter=True)
    app.page.get_by_text(caption, exact=True).wait_for()


def _case_status(app: App, number: str) -> str:
    """The status the Cases page shows for the case ``number`` (found by its number)."""
    _count(app, en("nav.cases"), "Cases", "f_text", number, en("cases.count", total=1, first=1, last=1))  # fmt: skip
    header, row = _grid_rows(key(app.page, "case_rows"))[:2]
    return dict(zip(header, row, strict=True))[en("field.status")]


def _success(app: App, start: str) -> str:
    alert = app.page.get_by_test_id("stAlertContentSuccess").filter(has_text=start)
    alert.wait_for()
    return alert.inner_text()


def test_archive_mapped_reviewed_committed_updated_and_undone(
    browser_page: Any, server: str, tmp_path: Path
) -> None:
    page = browser_page
    page.set_viewport_size({"width": 1400, "height": 1800})  # the mapping table in one view
    app = _start(page, server)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    rosa = seed_beside_documented(engine)
    go(app, en("nav.import_export"), "Import_Export")

    # 1. Year 1: every header is recognised; the notes column is left out by hand and the
    # mapping saved under a name.
    _upload(app, 1)
    _map_by_hand(app, HAND_MAPPED, en("import.page.not_imported"))
    fill(app, "import_save_name", MAPPING, enter=True)
    _click(app, en("import.page.save_mapping"), "saving the mapping")
    _success(app, en("import.cli.mapping_saved", name=MAPPING))
    _click(app, en("import.page.preview"), "checking year 1")
    page.get_by_text(en("import.page.has_errors", count=6), exact=True).wait_for()

    # 2. The NGO's words, mapped to terms.
    page.get_by_role("heading", name=en("import.page.values")).wait_for()
    for (_, value), code in VALUES.items():
        _choose_term(app, value, code)

    # 3. Máxima Acuña Atalaya is the recorded Máxima Acuña; this Rosa Quispe (no DNI) is not
    # the recorded Rosa Quispe Huamán.
    _decide(app, "Máxima Acuña Atalaya", "import.page.decision_accept")
    _decide(app, "Rosa Quispe", "import.page.decision_reject")
    page.get_by_text(en("import.page.check_again"), exact=True).wait_for()
    _click(app, en("import.page.preview"), "checking year 1 again")
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    # Only two changes to recorded data: Máxima's alias and her case's stage (the notes
    # column, left out, changes nothing).
    page.get_by_role("heading", name=en("import.page.changes", count=2)).wait_for()

    # 4. Commit, then find the records, once each.
    _click(app, en("import.page.commit"), "importing year 1")
    # Warnings: the file's encoding, its extra cell, and the column left out.
    assert _success(app, "Imported.").startswith("Imported. 18 rows read: 0 errors, 3 warnings.")
    _count(app, en("nav.cases"), "Cases", "f_text", "458-2015", en("cases.count", total=1, first=1, last=1))  # fmt: skip
    _count(app, en("nav.defenders"), "Defenders", "p_text", "Máxima", en("defenders.count", total=1, first=1, last=1))  # fmt: skip
    with Session(engine) as s:
        maxima = s.exec(select(Actor).where(Actor.name == "Máxima Acuña")).one()
        assert maxima.aliases == ["Máxima Acuña Atalaya"]
        rosas = s.exec(select(Actor.name).where(Actor.name.like("Rosa Quispe%"))).all()
        assert sorted(rosas) == ["Rosa Quispe", "Rosa Quispe Huamán"]
        assert s.get(Actor, rosa).aliases == []
        assert [c.case_number for c in s.exec(select(Case).where(Case.case_number.like("%458-2015%")))] == [
            "Casación N° 458-2015 Cajamarca"
        ]  # fmt: skip
        charges = s.exec(select(Charge).where(Charge.case_id == MAXIMA_CASE)).all()
        assert "Caso emblemático; ver casación" not in [c.notes for c in charges]
        aliases = {(a.vocabulary, a.alias): a.code for a in s.exec(select(TermAlias))}
        assert aliases == VALUES
        mapping = s.exec(select(ImportMapping)).one()
        assert (mapping.name, len(mapping.columns), dict(mapping.columns)[HAND_MAPPED]) == (
            MAPPING,
            15,
            "",
        )
        year1 = s.exec(select(Case).where(Case.case_number == "CF-120-2016")).one()
        assert (year1.status, year1.version_id) == ("open", 1)

    # 5. Year 2: the saved mapping is proposed and used; the changes are listed and applied.
    go(app, en("nav.import_export"), "Import_Export")
    _upload(app, 2)
    expect(key(page, "import_saved_mapping").get_by_role("combobox")).to_have_value(MAPPING)
    expand(page, en("import.page.mapping"))
    grid = page.get_by_test_id("stDataFrame").filter(has_text=en("import.col.template_column"))
    shown = _grid_rows(grid)
    assert [HAND_MAPPED, en("import.page.not_imported")] in shown, repr(shown[-6:])
    _click(app, en("import.page.preview"), "checking year 2")
    page.get_by_role("heading", name=en("import.page.changes", count=45)).wait_for()
    # The words mapped last year are aliases now, and last year's decisions hold.
    expect(page.get_by_role("heading", name=en("import.page.values"))).to_have_count(0)
    expect(page.get_by_role("heading", name=en("import.page.uncertain"))).to_have_count(0)
    changes = _grid_rows(page.get_by_test_id("stDataFrame").filter(has_text=en("import.col.new")))
    assert changes[0][:4] == [
        en("import.col.record"), en("import.col.field"), en("import.col.old"), en("import.col.new"),
    ]  # fmt: skip
    assert changes[1][:4] == [
        "cases: CF-120-2016", en("field.status"), en("enum.status.open"), en("enum.status.closed"),
    ]  # fmt: skip
    _click(app, en("import.page.commit"), "importing year 2")
    assert _success(app, "Imported.").startswith("Imported. 20 rows read: 0 errors")
    with Session(engine) as s:
        year2 = s.exec(select(Case).where(Case.case_number == "CF-120-2016")).one()
        assert (year2.status, str(year2.closed_on)) == ("closed", "2022-01-20")
    assert _case_status(app, "CF-120-2016") == en("status.closed")
    go(app, en("nav.import_export"), "Import_Export")

    # 6. Undo the last import: year 2's changes are reverted, year 1 stays; the section then
    # shows year 1 as the last import, its confirmation unticked.
    page.get_by_role("heading", name=en("import.page.undo")).wait_for()
    act(app, page.get_by_text(en("import.page.undo_confirm")).click, "confirming the undo")
    _click(app, en("import.page.undo_button"), "undoing the last import")
    with Session(engine) as s:
        batches = s.exec(select(ImportBatch).order_by(ImportBatch.created_at)).all()
        assert [(b.filename, b.status) for b in batches] == [
            ("casos-2020.csv", "committed"),
            ("casos-2021.txt", "undone"),
        ]
        undone = s.exec(select(Case).where(Case.case_number == "CF-120-2016")).one()
        assert (undone.status, undone.closed_on) == ("open", None)
    assert _success(app, "Import ") == en(
        "import.cli.undone", batch=str(batches[1].id), file="casos-2021.txt"
    )
    last = en("import.page.last_import", file="casos-2020.csv", at="@", by="lawyer")
    page.get_by_text(last.split("@")[0]).wait_for()
    expect(page.get_by_role("button", name=en("import.page.undo_button"))).to_be_disabled()
    assert _case_status(app, "CF-120-2016") == en("status.open")
    engine.dispose()
