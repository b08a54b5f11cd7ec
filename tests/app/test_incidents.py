"""No tracebacks for users: an unexpected error shows a short message with an incident id in
the user's language, and the server log holds the traceback under the same id."""

from __future__ import annotations

import logging
import re
import time
import tomllib
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.config import ShowErrorDetailsConfigOptions
from streamlit.errors import FragmentHandledException
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException
from streamlit.testing.v1 import AppTest

from tests.app.helpers import ROOT, page, ready_engine
from tests.factories import make_user
from tracker import dashboard
from tracker.ui import incidents

TITLE = {
    "en": "Criminalization of defenders: dashboard",
    "es": "Criminalización de personas defensoras: panel",
}
SECRET = "Zenobia Quispicanchi at /srv/tracker/secret.py"
MESSAGE = {
    "en": r"^Something went wrong and this page could not be shown in full\. The error was "
    r"recorded as incident ([0-9a-f]{8}); please quote it to your administrator\.$",
    "es": r"^Algo salió mal y esta página no se pudo mostrar completa\. El error quedó "
    r"registrado como incidente ([0-9a-f]{8}); indíquelo a su administrador\.$",
}


@pytest.fixture
def server_log(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The incidents logger's records (Streamlit's loggers do not propagate to the root)."""
    incidents.log.addHandler(caplog.handler)
    yield caplog
    incidents.log.removeHandler(caplog.handler)


def _page_text(at: AppTest) -> str:
    """Every string of every element on the page (protobuf text of the whole tree)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def _dashboard(url: str, role: str, lang: str = "en") -> AppTest:
    make_user(ready_engine(url), f"test_{role}", role)
    at = page("app.py")
    at.session_state["auth"] = {"username": f"test_{role}", "last_seen": time.time()}
    at.session_state["lang"] = lang
    return at.run()


def _broken_reader(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(SECRET)


def test_streamlit_shows_no_error_details() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = config["client"]["showErrorDetails"]
    assert ShowErrorDetailsConfigOptions(value) is ShowErrorDetailsConfigOptions.NONE


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_unexpected_error_shows_an_incident_id_and_logs_the_traceback(
    app_env: str,
    monkeypatch: pytest.MonkeyPatch,
    server_log: pytest.LogCaptureFixture,
    lang: str,
) -> None:
    monkeypatch.setattr(dashboard, "key_figures", _broken_reader)
    at = _dashboard(app_env, "viewer", lang)
    assert not at.exception
    assert len(at.error) == 1
    match = re.match(MESSAGE[lang], at.error[0].value)
    assert match, at.error[0].value
    incident = match.group(1)
    # What ran before the error is still there; the error's details are not.
    assert at.title[0].value == TITLE[lang]
    text = _page_text(at)
    for leak in ("Traceback", "RuntimeError", "Zenobia", "/srv/tracker", "key_figures"):
        assert leak not in text
    records = [r for r in server_log.records if r.name == "tracker.ui.incidents"]
    assert [r.getMessage() for r in records] == [
        f"incident {incident}: unexpected error while running the page"
    ]
    assert records[0].levelno == logging.ERROR
    logged = server_log.text
    assert "Traceback (most recent call last)" in logged
    assert f"RuntimeError: {SECRET}" in logged


def test_each_error_gets_its_own_id(
    app_env: str, monkeypatch: pytest.MonkeyPatch, server_log: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(dashboard, "key_figures", _broken_reader)
    at = _dashboard(app_env, "admin")
    first = re.match(MESSAGE["en"], at.error[0].value)
    at.run()
    second = re.match(MESSAGE["en"], at.error[0].value)
    assert first and second and first.group(1) != second.group(1)
    logged = [r.getMessage() for r in server_log.records if r.name == "tracker.ui.incidents"]
    assert [m.split()[1].rstrip(":") for m in logged] == [first.group(1), second.group(1)]


@pytest.mark.parametrize(
    "signal", [StopException(), RerunException(None), FragmentHandledException(ValueError())]
)
def test_streamlit_control_flow_passes_through(
    signal: BaseException, server_log: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(type(signal)), incidents.incident_guard():
        raise signal
    assert server_log.records == []


def _stops_and_reruns() -> None:
    import streamlit as st

    from tracker.ui.incidents import incident_guard

    with incident_guard():
        runs = st.session_state.get("runs", 0) + 1
        st.session_state["runs"] = runs
        if runs == 1:
            st.rerun()
        st.write(f"run {runs}")
        st.stop()
        st.write("after stop")


def test_st_stop_and_st_rerun_inside_the_guard_work_as_usual() -> None:
    at = AppTest.from_function(_stops_and_reruns).run()
    assert not at.exception
    assert at.error == []
    assert [m.value for m in at.markdown] == ["run 2"]


def test_the_incident_id_is_short_and_random() -> None:
    ids = {incidents.new_incident_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)


def test_outside_a_page_the_guard_is_transparent() -> None:
    with incidents.incident_guard() as incident:
        value = 1 + 1
    assert value == 2 and re.fullmatch(r"[0-9a-f]{8}", incident)
