"""The Documents section of the case page: the list, the download, the forms for editors."""

from __future__ import annotations

from tests.app.helpers import ready_engine, run_as
from tests.pdfs import make_pdf
from tracker import db
from tracker.permissions import Principal
from tracker.seed import seed_id
from tracker.services.documents import attach

PAGE = "pages/1_Cases.py"
ESPINAR = seed_id("case", "case-espinar-2012")


def test_case_page_lists_files_and_offers_forms_to_editors_only(app_env: str) -> None:
    engine = ready_engine(app_env)
    with db.unit_of_work(engine, Principal("ana", "editor")) as s:
        attach(
            s,
            table_name="court_case",
            row_id=ESPINAR,
            filename="Resolución 4.pdf",
            content=make_pdf("Resolucion"),
        )
    query = {"case": str(ESPINAR)}
    viewer = run_as(PAGE, app_env, "viewer", query=query)
    assert "Documents" in [h.value for h in viewer.subheader]
    table = viewer.dataframe[-1].value
    assert list(table["File"]) == ["Resolución 4.pdf"]
    assert list(table["Added by"]) == ["ana"]
    assert viewer.selectbox(key=f"docs_{ESPINAR}_pick").value is not None
    assert not [e for e in viewer.expander if e.label == "Attach a file"]
    editor = run_as(PAGE, app_env, "editor", query=query)
    labels = [e.label for e in editor.expander]
    assert "Attach a file" in labels and "Remove a file" in labels
    editor.button(key=f"docs_{ESPINAR}_remove").click().run()
    assert not editor.exception
    assert editor.success[0].value == 'Removed "Resolución 4.pdf".'
    assert "No files attached yet." in [c.value for c in editor.caption]
