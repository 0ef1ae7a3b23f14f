"""Reading article files for the entry points: size limit, decoding, one-line errors a user can act on."""

from __future__ import annotations

from pathlib import Path

from geo.core.errors import (
    ArticleNotFound,
    ArticleTooLarge,
    ArticleUnreadable,
    InputError,
)
from geo.core.settings import MAX_ARTICLE_BYTES
from geo.core.text import article_text


def read_article(path: str | Path, max_bytes: int = MAX_ARTICLE_BYTES) -> str:
    """Read and decode an article file, with one-line errors a user can act on."""
    p = Path(path)
    if not p.exists():
        raise ArticleNotFound(f"{p}: no such file")
    if p.is_dir():
        raise ArticleNotFound(f"{p}: is a directory, give an article file")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise ArticleTooLarge(f"{p}: {size / 1e6:.1f} MB is over the {max_bytes // 2**20} MB limit for one article: split it")
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)
    except PermissionError as err:
        raise ArticleUnreadable(f"{p}: permission denied, make it readable") from err
    except IsADirectoryError as err:
        raise ArticleNotFound(f"{p}: is a directory, give an article file") from err
    except OSError as err:
        raise ArticleUnreadable(f"{p}: cannot read ({err.strerror or err})") from err
    if len(data) > max_bytes:
        raise ArticleTooLarge(f"{p}: over the {max_bytes // 2**20} MB limit for one article: split it")
    try:
        return article_text(data)
    except InputError as err:
        raise type(err)(f"{p}: {err}") from err
