"""An article's date, for the corpus map's time filter: from metadata, a dateline, or the file name.

Pure: strings in, an ISO date (``"2024-03-05"``) or ``""`` out. Only full dates with a year count: a
dateline like "CAIRO, March 5 (Reuters)" has no year, and guessing one would put the article in the
wrong place on the time axis. Month names come from CLDR (babel): English, Modern Standard Arabic
(يناير), Levantine/Iraqi (كانون الثاني) and Maghrebi (جانفي, شتنبر) forms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache

from geo.core.text import normalise_ar

# A dateline sits at the top of an article; a date further down is usually an event in the story.
DATELINE_CHARS = 300
# Metadata keys that carry the publication date, in order of preference.
META_KEYS = ("date", "published", "datePublished", "pubdate", "publication_date", "created")
_CLDR_LOCALES = ("en", "ar", "ar_SY", "ar_MA", "ar_DZ")

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})"
_ISO = re.compile(rf"(?<!\d){_YEAR}[-/.](\d{{1,2}})[-/.](\d{{1,2}})(?!\d)")
# File names: 2024-03-05, 2024_03_05, 20240305 (no separator: the digits must stand alone).
_NAME = re.compile(rf"(?<!\d){_YEAR}([-_.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")


@lru_cache(maxsize=1)
def _months() -> dict[str, int]:
    """Folded month name → month number, from CLDR's wide and abbreviated names."""
    from babel import Locale

    out: dict[str, int] = {}
    for code in _CLDR_LOCALES:
        months = Locale.parse(code).months["format"]
        for width in ("wide", "abbreviated"):
            for number, name in months[width].items():
                out.setdefault(_fold(name), number)
    out.setdefault("sept", 9)  # a common English abbreviation CLDR does not list
    return out


def _fold(text: str) -> str:
    return " ".join(normalise_ar(text.translate(_DIGITS)).casefold().split())


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = sorted(_months(), key=len, reverse=True)  # longest first: "كانون الثاني" before "كانون"
    any_month = "|".join(re.escape(n) for n in names)
    edge_l, edge_r = r"(?<![\w\u0600-\u06ff])", r"(?![\w\u0600-\u06ff])\.?"
    month = f"({any_month}){edge_r}"
    # "مارس/آذار": Arabic papers often give both calendars' names; the first one counts.
    alt = rf"(?:\s*/\s*(?:{any_month}))?"
    day_first = re.compile(rf"{edge_l}{_DAY}(?:st|nd|rd|th)?\s+(?:of\s+)?{month}{alt}\s*,?\s*{_YEAR}(?!\d)")
    month_first = re.compile(rf"{edge_l}{month}\s*{_DAY}(?:st|nd|rd|th)?\s*,?\s*{_YEAR}(?!\d)")
    return day_first, month_first


def _iso(year: str | int, month: str | int, day: str | int) -> str:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:  # 2024-02-31, month 13: not a date
        return ""


def date_in_text(text: str) -> str:
    """The first full date in ``text`` (ISO, "5 March 2024", "March 5, 2024", "5 مارس 2024"), or ``""``."""
    folded = _fold(text)
    day_first, month_first = _patterns()
    months = _months()
    found: list[tuple[int, str]] = []
    for m in _ISO.finditer(folded):
        found.append((m.start(), _iso(m.group(1), m.group(2), m.group(3))))
    for m in day_first.finditer(folded):
        found.append((m.start(), _iso(m.group(3), months[m.group(2)], m.group(1))))
    for m in month_first.finditer(folded):
        found.append((m.start(), _iso(m.group(3), months[m.group(1)], m.group(2))))
    return next((date for _, date in sorted(found) if date), "")


def dateline_date(text: str) -> str:
    """The date of a dateline at the top of the article (its first :data:`DATELINE_CHARS` characters)."""
    return date_in_text(text[:DATELINE_CHARS])


def file_name_date(name: str) -> str:
    """A date written in a file name: ``2024-03-05_cairo.txt``, ``reuters_20240305.txt``."""
    for m in _NAME.finditer(name.translate(_DIGITS)):
        date = _iso(m.group(1), m.group(3), m.group(4))
        if date:
            return date
    return ""


def metadata_date(meta: Mapping[str, object]) -> str:
    """The publication date in an article's metadata (``{"date": "2024-03-05T09:00:00Z", …}``)."""
    for key in META_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            date = date_in_text(value.strip())
            if date:
                return date
    return ""


def article_date(text: str, name: str = "", meta: Mapping[str, object] | None = None) -> str:
    """Metadata first (the publisher's own), then a dateline, then the file name; ``""`` when none has one."""
    return (meta and metadata_date(meta)) or dateline_date(text) or file_name_date(name)
