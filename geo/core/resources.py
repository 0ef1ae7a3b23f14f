"""Package data: the curated tables, cue lexicon, rail network and basemap shipped inside ``geo/data``.

Found through ``importlib.resources`` so an installed wheel reads its own copy, wherever it runs from.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_file(name: str) -> Path:
    """The path of a file shipped in ``geo/data`` (the package is installed as files, never zipped)."""
    return Path(str(resources.files("geo").joinpath("data", name)))
