"""One root exception; each subclass also inherits the built-in it stands for.

The CLI turns a ``GeoError`` into one line on stderr: ``InputError`` (the user's file or arguments)
exits 2, anything else 1. Messages say what was wrong and how to fix it.
"""

from __future__ import annotations


class GeoError(Exception):
    """Root of every error this package raises on purpose."""


class InputError(GeoError, ValueError):
    """The article or an argument cannot be used: the user can fix it."""


class ArticleNotFound(InputError, FileNotFoundError):
    """The article path does not exist or is not a file."""


class ArticleUnreadable(InputError, PermissionError):
    """The article exists but cannot be read."""


class ArticleEncodingError(InputError, UnicodeError):
    """The article's bytes are not text in any supported encoding."""


class ArticleTooLarge(InputError):
    """The article is larger than the size limit."""


class DataError(GeoError, RuntimeError):
    """A curated or cached table is missing or malformed."""


class CacheCorrupt(DataError):
    """The places cache failed validation on load."""


class GeocoderError(GeoError, RuntimeError):
    """The online geocoder failed (unavailable, rate-limited, bad reply)."""


class OutputExists(InputError, FileExistsError):
    """Refusing to overwrite an existing output file without --force."""
