"""Settings read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "seed"


def data_dir() -> Path:
    """Folder for the default SQLite database and backups (TRACKER_DATA_DIR, default data/)."""
    return Path(os.environ.get("TRACKER_DATA_DIR") or ROOT / "data")


def database_url() -> str:
    """The database to use: TRACKER_DATABASE_URL, or a SQLite file under the data folder."""
    url = os.environ.get("TRACKER_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{data_dir() / 'tracker.db'}"


def default_language() -> str:
    """Language for the command line and new sessions: TRACKER_LANG, else from LANG, else en."""
    lang = os.environ.get("TRACKER_LANG") or os.environ.get("LANG", "en")
    return "es" if lang.lower().startswith("es") else "en"
