"""``export`` with the page's filters: only the kept cases and charges (tracker.analysis.kept),
and what belongs to them, go out; the numbers agree with the Indicators page's."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tracker import db
from tracker import services as sv
from tracker.analysis import Filters, figures, record_ids
from tracker.cli import main
from tracker.i18n import set_language
from tracker.permissions import Principal

ADMIN = Principal("tester", "admin")


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def build(engine: Engine) -> dict[str, uuid.UUID]:
    """Two cases in Cajamarca (2017, 2020) and one in Cusco (2019), with parties, charges,
    complainants, hearings, measures, stage changes, a sentence request and citations."""
    from tracker import seed

    ids: dict[str, uuid.UUID] = {}
    with db.unit_of_work(engine, ADMIN) as s:
        seed.load_vocabularies(s)
        court = sv.courts.create(s, {"name": "Juzgado de Celendín"})
        for key, name in (("ana", "Ana Torres"), ("beto", "Beto Ramos"), ("carla", "Carla Quispe")):
            ids[key] = sv.actors.create(s, {"kind": "person", "name": name, "is_defender": True})
        for key, name in (("mine", "Minera Andina"), ("oil", "Petrolera Sur")):
            ids[key] = sv.actors.create(
                s, {"kind": "company", "name": name, "complainant_category": "company_mining"}
            )
        for key, region, opened in (
            ("ca1", "Cajamarca", "2017-03"),
            ("ca2", "Cajamarca", "2020"),
            ("cu1", "Cusco", "2019-05-02"),
        ):
            ids[key] = sv.cases.create(
                s,
                {"title": f"Caso {key}", "region": region, "opened_on": opened, "court_id": court},
            )
        for case, who, role in (
            ("ca1", "ana", "defendant"),
            ("ca1", "beto", "defendant"),
            ("ca1", "mine", "complainant"),
            ("ca2", "ana", "defendant"),
            ("cu1", "carla", "defendant"),
            ("cu1", "oil", "complainant"),
        ):
            sv.parties.create(s, {"case_id": ids[case], "actor_id": ids[who], "role": role})
        for key, case, who, kind, by in (
            ("ch1", "ca1", "ana", "riot", ["mine"]),
            ("ch2", "ca1", "beto", "usurpation", ["mine", "oil"]),
            ("ch3", "ca2", "ana", "coercion", ["mine"]),
            ("ch4", "cu1", "carla", "riot", ["oil"]),
        ):
            ids[key] = sv.charges.create(
                s,
                {"case_id": ids[case], "defendant_id": ids[who], "charge_type": kind,
                 "filed_on": "2019"},
            )  # fmt: skip
            for complainant in by:
                sv.charge_complainants.create(
                    s, {"charge_id": ids[key], "actor_id": ids[complainant]}
                )
        for case, on, result in (
            ("ca1", "2018-05-04", "postponed"),
            ("ca1", "2018-06-04", None),
            ("ca2", "2021-01-10", None),
            ("cu1", "2020-02-02", "postponed"),
        ):
            sv.hearings.create(
                s,
                {"case_id": ids[case], "scheduled_at": on, "hearing_type": "other"}
                | ({"result": result} if result else {}),
            )
        for case, who in (("ca1", "ana"), ("cu1", "carla")):
            sv.measures.create(
                s,
                {"case_id": ids[case], "defendant_id": ids[who], "kind": "pretrial_detention",
                 "ordered_on": "2020-01-03"},
            )  # fmt: skip
        for case in ("ca1", "cu1"):
            sv.stage_changes.create(
                s, {"case_id": ids[case], "event": "judgment", "on_date": "2021"}
            )
        ids["source"] = sv.sources.create(s, {"title": "Nota de prensa"})
        for table, row in (("court_case", "ca1"), ("charge", "ch4"), ("actor", "carla")):
            sv.citations.create(
                s, {"source_id": ids["source"], "table_name": table, "row_id": ids[row]}
            )
    return ids


def _counts(folder: Path) -> dict[str, int]:
    """Rows of each CSV file of an export folder (the header not counted)."""
    out = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            out[path.stem] = sum(1 for _ in csv.reader(fh)) - 1
    return out


def test_export_with_a_region_holds_what_the_indicators_page_counts(
    app_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = db.make_engine(app_env)
    build(engine)
    out = tmp_path / "cajamarca"
    assert main(["export", "--format", "csv", "--out", str(out), "--region", "Cajamarca"]) == 0
    counts = _counts(out)
    assert {k: counts[k] for k in (
        "court_case", "case_party", "charge", "charge_complainant", "charge_rows", "hearing",
        "measure", "stage_change", "citation", "actor", "source",
    )} == {
        "court_case": 2, "case_party": 4, "charge": 3, "charge_complainant": 4,
        "charge_rows": 3, "hearing": 3, "measure": 1, "stage_change": 1,
        # The case's citation; the Cusco charge's goes; a person's citation stays.
        "citation": 2, "actor": 5, "source": 1,
    }  # fmt: skip
    # The Indicators page under the same filter: the same cases, charges, hearings, measures.
    filters = Filters(regions=("Cajamarca",))
    by_code = {f.indicator: f for f in figures(engine, filters)}
    rows = {
        unit: len(record_ids(engine, filters, by_code[code])[0])
        for unit, code in (
            ("court_case", "mass_prosecution"),
            ("charge", "charge_stacking"),
            ("hearing", "postponement_rate"),
            ("measure", "detention_annulled"),
        )
    }
    assert rows == {"court_case": 2, "charge": 3, "hearing": 3, "measure": 1}
    assert rows == {k: counts[k] for k in rows}
    about = {
        row[0]: row[1] for row in csv.reader(out.joinpath("about.csv").open(encoding="utf-8-sig"))
    }
    assert about["filter_region"] == "Cajamarca"
    assert "Caso cu1" not in out.joinpath("court_case.csv").read_text(encoding="utf-8-sig")
    assert "Filters applied" in capsys.readouterr().out


def test_export_with_charge_type_and_period_keeps_the_kept_charges_only(
    app_env: str, tmp_path: Path
) -> None:
    engine = db.make_engine(app_env)
    ids = build(engine)
    out = tmp_path / "riot.json"
    argv = ["export", "--format", "json", "--out", str(out), "--charge-type", "riot",
            "--from", "2017", "--to", "2019"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    tables = data["tables"]
    assert sorted(r["title"] for r in tables["court_case"]["rows"]) == ["Caso ca1", "Caso cu1"]
    assert sorted(r["id"] for r in tables["charge"]["rows"]) == sorted(
        str(ids[k]) for k in ("ch1", "ch4")
    )
    assert len(tables["charge_complainant"]["rows"]) == 2
    kept = figures(engine, Filters(charge_types=("riot",), start_year=2017, end_year=2019))
    stacking = next(f for f in kept if f.indicator == "charge_stacking")
    assert len(record_ids(engine, Filters(charge_types=("riot",), start_year=2017,
                                          end_year=2019), stacking)[0]) == 2  # fmt: skip
    assert data["about"]["filter_charge_type"] == "riot"
    assert data["about"]["filter_from"] == 2017
    assert data["about"]["filter_to"] == 2019


def test_export_without_filters_says_so(app_env: str, tmp_path: Path) -> None:
    engine = db.make_engine(app_env)
    build(engine)
    out = tmp_path / "all.json"
    assert main(["export", "--format", "json", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["tables"]["court_case"]["rows"]) == 3
    assert data["about"]["filters"] == "none: every case the reader may see"


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--format", "csv", "--region", "Narnia"], "--region"),
        (["--format", "json", "--charge-type", "nonsense"], "--charge-type"),
        (["--format", "xlsx", "--context", "Nowhere"], "--context"),
        (["--format", "ftm", "--complainant-category", "nobody"], "--complainant-category"),
        (["--format", "csv", "--from", "2020", "--to", "2019"], "2019"),
        (["--format", "graphml", "--region", "Cajamarca"], "--format graphml"),
    ],
)
def test_bad_filters_are_refused_and_nothing_is_written(
    app_env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    named: str,
) -> None:
    build(db.make_engine(app_env))
    out = tmp_path / "refused"
    assert main(["export", "--out", str(out), *argv]) == 1
    err = capsys.readouterr().err
    assert named in err
    assert not out.exists()
