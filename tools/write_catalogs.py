"""Write tracker/i18n/en.yaml and es.yaml from message tables of (English, Spanish) pairs.

Usage: python tools/write_catalogs.py MODULE.py [MODULE.py ...]  (each defines a dict M)
Existing catalog entries are kept; entries from the modules are added or replaced.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import yaml

I18N = Path(__file__).resolve().parent.parent / "tracker" / "i18n"


def main(paths: list[str]) -> None:
    """Merge the modules' messages into both catalogs, keys sorted."""
    catalogs = {}
    for lang in ("en", "es"):
        path = I18N / f"{lang}.yaml"
        catalogs[lang] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    for module in paths:
        for key, (en, es) in runpy.run_path(module)["M"].items():
            catalogs["en"][key] = en
            catalogs["es"][key] = es
    for lang, data in catalogs.items():
        text = yaml.safe_dump(
            dict(sorted(data.items())), allow_unicode=True, width=1000, sort_keys=False
        )
        (I18N / f"{lang}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
