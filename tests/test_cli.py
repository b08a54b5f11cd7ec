"""The command line: init, seed (idempotent), stats --json, help, and clean errors."""

from __future__ import annotations

import json

import pytest

from tracker import db
from tracker.cli import main


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    return db_url


def test_init_seed_twice_and_stats(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init"]) == 0
    head = db.head_revision()
    assert f"schema {head} -> {head}." in capsys.readouterr().out
    assert main(["seed"]) == 0
    assert capsys.readouterr().out.startswith("Documented seed loaded; rows added:\n  actor: 32\n")
    assert main(["seed"]) == 0
    assert capsys.readouterr().out == "Documented seed already loaded; nothing added.\n"
    assert main(["stats", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert (counts["court_case"], counts["charge"], counts["actor"], counts["app_user"]) == (
        3,
        67,
        32,
        0,
    )


@pytest.mark.parametrize("command", ["init", "seed", "stats"])
def test_each_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert f"usage: python -m tracker {command}" in capsys.readouterr().out


def test_help_in_spanish(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TRACKER_LANG", "es")
    with pytest.raises(SystemExit):
        main(["stats", "--help"])
    assert "Cantidad de filas por tabla." in capsys.readouterr().out


def test_bad_scale_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["seed", "--demo", "--scale", "XL"])
    assert info.value.code == 2
    assert "invalid choice: 'XL'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "command", "expected"),
    [
        (
            "en",
            ["indicators", "--json"],
            'argument --today: "2026-13-01" is not a day: write it as YYYY-MM-DD, for example'
            " 2026-01-31.",
        ),
        (
            "es",
            ["charts", "--out", "charts"],
            'argument --today: "2026-13-01" no es una fecha: escríbala como AAAA-MM-DD, por'
            " ejemplo 2026-01-31.",
        ),
    ],
)
def test_a_day_that_does_not_exist_is_refused(
    lang: str,
    command: list[str],
    expected: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TRACKER_LANG", lang)
    with pytest.raises(SystemExit) as info:
        main([*command, "--today", "2026-13-01"])
    assert info.value.code == 2
    assert expected in capsys.readouterr().err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: python -m tracker" in capsys.readouterr().out
