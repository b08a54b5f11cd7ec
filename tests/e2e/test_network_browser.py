"""The Network page in a real browser, on a fresh app (the documented cases are seeded on
first start): the top complainants by reach are drawn with every node named; one governor's
network is found by search, drawn and labelled; a click on a defender's node opens that
defender's page. The browser fixture fails the test if any request leaves the machine.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.test_browser import App, act, choose, fill, go

pytestmark = pytest.mark.browser

# Where a point of a plotly chart is on the page: the chart's own axes turn data into
# pixels (l2p) inside the plot area, offset by the chart's place on the page.
_POINT_JS = """
([chartKey, wanted]) => {
  const root = document.querySelector(`.st-key-${chartKey}`);
  const gd = root && root.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullLayout) return null;
  const rect = gd.getBoundingClientRect();
  const size = gd._fullLayout._size;
  for (const trace of gd._fullData) {
    const custom = trace.customdata || [];
    const text = trace.text || [];
    for (let i = 0; i < custom.length; i++) {
      const label = Array.isArray(text) ? String(text[i] || '') : '';
      if (label.startsWith(wanted)) {
        return {
          id: String(custom[i]),
          x: rect.left + size.l + gd._fullLayout.xaxis.l2p(trace.x[i]),
          y: rect.top + size.t + gd._fullLayout.yaxis.l2p(trace.y[i]),
        };
      }
    }
  }
  return null;
}
"""


def _labels(page: Any, chart_key: str) -> list[str]:
    """The node labels drawn in a chart (SVG text of the plotly figure)."""
    chart = page.locator(f".st-key-{chart_key} .js-plotly-plot")
    chart.wait_for()
    return [t.strip() for t in chart.locator("g.textpoint text").all_text_contents()]


def test_ego_network_and_a_node_click(browser_page: Any, server: str) -> None:
    page = browser_page
    app = App(page)
    act(app, lambda: page.goto(server), "opening the app", idle_first=False)
    fill(app, "setup_username", "researcher")
    fill(app, "setup_password", "a long enough passphrase")
    fill(app, "setup_password2", "a long enough passphrase")
    create = page.get_by_role("button", name="Create administrator")
    act(app, create.click, "creating the administrator")
    page.get_by_text("Logged in as researcher").wait_for()

    go(app, "Network", "Network")
    # The page opens on the top complainants by reach: every node named.
    labels = _labels(page, "np_top_chart")
    assert "Governor of Celendín province" in " ".join(labels)
    assert "Minera Yanacocha" in " ".join(labels)

    mode = page.get_by_text("One actor's or court's network", exact=True)
    act(app, mode.click, "choosing the ego view")
    fill(app, "np_search", "Sorochuco", enter=True)
    choose(app, "np_pick", "Governor of Sorochuco district")
    page.get_by_text("Governor of Sorochuco district: 1 case; 48 charges brought").wait_for()
    labels = " ".join(_labels(page, "np_ego_chart"))
    assert "Governor of Sorochuco district" in labels
    # An administrator sees the withheld names; each defender's label holds the counts.
    assert labels.count("3 charges · 1 case") == 16

    point = page.evaluate(_POINT_JS, ["np_ego_chart", "Name withheld (Celendín defendant 07)"])
    assert point is not None, "defendant 07 is not drawn"
    act(app, lambda: page.mouse.click(point["x"], point["y"]), "clicking defendant 07's node")
    page.wait_for_url(lambda url: urlparse(url).path == "/Defenders")
    assert parse_qs(urlparse(page.url).query)["actor"] == [point["id"]]
    page.get_by_role("heading", name="Name withheld (Celendín defendant 07)").wait_for()
