"""The repository's documentation stands on its own: the README links only to files of the
repository, and docs/INDICATORS.md gives the definitions the app shows."""

from __future__ import annotations

import re
from pathlib import Path

from tracker.analysis import INDICATORS

ROOT = Path(__file__).resolve().parent.parent


def test_readme_links_only_to_files_in_the_repository() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in text
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if "://" not in t and not t.startswith("mailto:")]
    assert local, "the README links its docs"
    missing = [t for t in local if not (ROOT / t).exists()]
    assert missing == []


def test_the_indicator_definitions_are_the_apps() -> None:
    text = (ROOT / "docs" / "INDICATORS.md").read_text(encoding="utf-8")
    for i in INDICATORS:
        assert f"| `{i.code}` | {i.name('en')} | {i.definition('en')} |" in text
