"""Write tracker/i18n/{en,es}/AREA.yaml from message tables of (English, Spanish) pairs.

Usage: python tools/write_catalogs.py AREA MODULE.py [MODULE.py ...]  (each defines a dict M)
Existing entries of the area's files are kept; entries from the modules are added or replaced.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import yaml

I18N = Path(__file__).resolve().parent.parent / "tracker" / "i18n"


def main(area: str, paths: list[str]) -> None:
    """Merge the modules' messages into both catalogs of ``area``, keys sorted."""
    catalogs = {}
    for lang in ("en", "es"):
        path = I18N / lang / f"{area}.yaml"
        catalogs[lang] = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    for module in paths:
        for key, (en, es) in runpy.run_path(module)["M"].items():
            catalogs["en"][key] = en
            catalogs["es"][key] = es
    for lang, data in catalogs.items():
        text = yaml.safe_dump(
            dict(sorted(data.items())), allow_unicode=True, width=1000, sort_keys=False
        )
        (I18N / lang / f"{area}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
