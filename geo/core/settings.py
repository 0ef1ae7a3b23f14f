"""One frozen ``Settings``, built once from the environment by an entry point (CLI, batch worker, page).

The library below the entry points never reads environment variables: it takes these values as arguments.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "geo-storymap"
MAX_ARTICLE_BYTES = 10 * 1024 * 1024
DEFAULT_BASE_URL = "http://localhost:8501/"


@dataclass(frozen=True)
class Settings:
    """Where the program keeps what it writes, and which online service it may ask.

    ``cache_dir``: the built gazetteer index (rebuilt when missing); ``places_cache``: the places table that
    online lookups grow (the copy shipped in the package is read under it); ``nominatim_url``: a mirror or a
    local server instead of the public Nominatim ("" = the public one, used only when online geocoding is on).
    """

    cache_dir: Path
    places_cache: Path
    nominatim_url: str = ""
    max_article_bytes: int = MAX_ARTICLE_BYTES
    rate_file: Path | None = None  # the timestamp file that shares Nominatim's 1 request/s among processes
    hosted: str = ""  # GEO_HOSTED: "1" a page open to strangers, "0" not, "" decide from where it runs
    operator_key: str = ""  # GEO_OPERATOR_KEY: the secret that gives the hosted page's operator online geocoding
    store: Path | None = None  # the article store (SQLite): every shown or published article and its corrections
    base_url: str = DEFAULT_BASE_URL  # the dashboard's address, for the URLs ``geo publish`` prints
    runs_dir: Path | None = None  # the page's Corpus view lists the runs (``geo extract`` output) kept here

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``GEO_CACHE_DIR``, ``GEO_PLACES_CACHE``, ``GEO_NOMINATIM``, ``GEO_RATE_FILE``, ``GEO_HOSTED``,
        ``GEO_OPERATOR_KEY``, ``GEO_STORE``, ``GEO_BASE_URL``, ``GEO_RUNS_DIR`` (else defaults; on Streamlit Cloud, Secrets at the top
        level are environment variables)."""
        env = os.environ if env is None else env
        cache_dir = Path(env["GEO_CACHE_DIR"]) if env.get("GEO_CACHE_DIR") else platformdirs.user_cache_path(APP_NAME)
        places = Path(env["GEO_PLACES_CACHE"]) if env.get("GEO_PLACES_CACHE") else platformdirs.user_data_path(APP_NAME) / "places.csv"
        rate = Path(env["GEO_RATE_FILE"]) if env.get("GEO_RATE_FILE") else None
        store = Path(env["GEO_STORE"]) if env.get("GEO_STORE") else platformdirs.user_data_path(APP_NAME) / "articles.sqlite3"
        return cls(cache_dir=cache_dir, places_cache=places, nominatim_url=env.get("GEO_NOMINATIM", ""), rate_file=rate,
                   hosted=env.get("GEO_HOSTED", "").strip().lower(), operator_key=env.get("GEO_OPERATOR_KEY", ""),
                   store=store, base_url=env.get("GEO_BASE_URL") or DEFAULT_BASE_URL,
                   runs_dir=Path(env["GEO_RUNS_DIR"]) if env.get("GEO_RUNS_DIR") else platformdirs.user_data_path(APP_NAME) / "runs")
