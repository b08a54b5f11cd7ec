"""``python -m tracker users``: passwords from standard input, never arguments."""

from __future__ import annotations

import io

import pytest

from tracker import auth, db
from tracker.cli import main
from tracker.permissions import Principal


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TRACKER_DATABASE_URL", db_url)
    monkeypatch.setenv("TRACKER_LANG", "en")
    return db_url


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_passwd_disable(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = db.make_engine(cli_env)
    _stdin(monkeypatch, "a long passphrase\n")
    assert main(["users", "add", "lucia", "--role", "editor"]) == 0
    assert capsys.readouterr().out == "Account lucia created (editor).\n"
    assert auth.login(engine, "lucia", "a long passphrase") == Principal("lucia", "editor")

    _stdin(monkeypatch, "another long passphrase\n")
    assert main(["users", "passwd", "lucia"]) == 0
    assert auth.login(engine, "lucia", "another long passphrase").role == "editor"

    assert main(["users", "disable", "lucia"]) == 0
    assert capsys.readouterr().out.endswith("Account lucia disabled.\n")
    with pytest.raises(auth.LoginError):
        auth.login(engine, "lucia", "another long passphrase")


def test_short_password_is_refused(
    cli_env: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "short\n")
    assert main(["users", "add", "bob", "--role", "viewer"]) == 1
    assert capsys.readouterr().err == (
        "Error: Not saved. Please correct:\n- Password: The password needs at least 10 characters.\n"
    )
    assert not auth.has_users(db.make_engine(cli_env))


def test_unknown_account(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    db.upgrade(db.make_engine(cli_env))
    assert main(["users", "disable", "nobody"]) == 1
    assert capsys.readouterr().err == "Error: There is no account nobody.\n"


def test_password_is_not_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["users", "add", "bob", "--role", "viewer", "--password", "x"])
    assert "unrecognized arguments: --password x" in capsys.readouterr().err
