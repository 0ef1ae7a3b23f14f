"""Article text: decoding bytes, passages and sentences with offsets, script detection, Arabic normalisation.

Offsets always index the decoded original text (after removing a BOM), so ``text[start:end]`` is what
the article says.
"""

from __future__ import annotations

import bisect
import codecs
import functools
import re
import unicodedata
from collections.abc import Iterator

from geo.core.errors import ArticleEncodingError, InputError
from geo.core.model import Passage

# --- decoding ------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that never occur in text: NUL and most C0 controls (tab, newlines, form feed and ESC aside).
_BINARY_BYTES = bytes(sorted(frozenset(range(32)) - {9, 10, 12, 13, 27}))


def decode(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)`` for an article's bytes.

    Detects a BOM (UTF-8/16/32), BOM-less UTF-16 (by its pattern of NUL bytes), strict UTF-8, then the
    Arabic Windows code page cp1256 — which is accepted only if the result reads as Arabic text, since
    any byte string "decodes" as cp1256. Raises ``ArticleEncodingError`` for anything else (binary files).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], encoding), encoding
    utf16 = _sniff_utf16(data)
    if utf16:
        return _strict(data, utf16), utf16
    # The whole input, at C speed: a text with an image glued on after 64 KB is still binary.
    if len(data.translate(None, _BINARY_BYTES)) != len(data):
        raise ArticleEncodingError("the file looks binary (it has NUL or control bytes): give a plain-text article")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    if text and _looks_arabic(text):
        return text, "cp1256"
    raise ArticleEncodingError(
        f"the file is not valid UTF-8 (bad byte at offset {utf8_error.start}) and not Arabic cp1256: "
        "save it as UTF-8"
    ) from utf8_error


def article_text(data: bytes) -> str:
    """An article's text from its bytes: decoded (see ``decode``) and not blank, else an ``InputError``."""
    text, _ = decode(data)
    if not text.strip():
        raise InputError("the article is empty")
    return text


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ArticleEncodingError(f"the file claims {encoding} but has invalid bytes at offset {err.start}: save it as UTF-8") from err


def _sniff_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    # Arabic in UTF-16 LE is 0x06XX: high bytes are 0x06 or 0x00 (ASCII spaces, digits, punctuation).
    for name, high in (("utf-16-le", odd), ("utf-16-be", even)):
        if sum(b in (0, 6) for b in high) > 0.9 * len(high) and high.count(0) + high.count(6) > 0 and (0 in high):
            low = even if high is odd else odd
            if low.count(0) < 0.2 * len(low):
                return name
    return None


def _looks_arabic(text: str) -> bool:
    """A decoding that gives mostly Arabic letters is the right one (cp1256 read as something else is not)."""
    letters = sum(c.isalpha() for c in text)
    return letters > 0 and len(ARABIC_SCRIPT.findall(text)) / letters > 0.6


# The one definition of "Arabic script" (the Arabic block, its supplement, extended-A and presentation forms).
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefe]")
LATIN_SCRIPT = re.compile("[A-Za-z\u00c0-\u024f]")


def has_arabic(text: str) -> bool:
    """True when ``text`` has any Arabic-script letter."""
    return ARABIC_SCRIPT.search(text) is not None


# Runs of each script: counting letters as the summed length of runs makes a few objects per word, not one per letter.
_ARABIC_RUNS = re.compile(ARABIC_SCRIPT.pattern + "+")
_LATIN_RUNS = re.compile(LATIN_SCRIPT.pattern + "+")


def is_arabic(text: str) -> bool:
    """True when ``text`` has more Arabic-script letters than Latin ones (how a name or a passage is written)."""
    return sum(map(len, _ARABIC_RUNS.findall(text))) > sum(map(len, _LATIN_RUNS.findall(text)))


def language(text: str) -> str:
    """``"ar"`` when Arabic letters outnumber Latin ones (in the first 20,000 characters), else ``"en"``."""
    return "ar" if is_arabic(text[:20000]) else "en"


# --- passages and sentences ------------------------------------------------------------------------

_FINAL_PUNCT = ".!?؟।。…:؛;\"'»”)]"
_LINE = re.compile(r"[^\n\r\u2029]+")


def passages(text: str) -> tuple[Passage, ...]:
    """Split into paragraphs (one per non-blank line); a short line without final punctuation is a heading."""
    out: list[Passage] = []
    for m in _LINE.finditer(text):
        # Trim white space (and bidi marks) at both ends, keeping offsets into the original: str.strip runs
        # in C, so a text of a million one-letter lines costs two calls per line, not a call per character.
        line = m.group()
        body = line.strip(_SPACES)
        if not body:
            continue
        start = m.start() + len(line) - len(line.lstrip(_SPACES))
        out.append(Passage(id=len(out), start=start, end=start + len(body), text=body, heading=_is_heading(body)))
    return tuple(out)


# Every code point that is white space (str.isspace) or a format character (category Cf: bidi marks, zero-width
# characters), as ranges: Unicode 14 (Python 3.11); tests/test_text_input.py checks it against unicodedata.
_SPACE_RANGES = (
    (0x0009, 0x000D), (0x001C, 0x0020), (0x0085, 0x0085), (0x00A0, 0x00A0), (0x00AD, 0x00AD), (0x0600, 0x0605),
    (0x061C, 0x061C), (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x1680, 0x1680),
    (0x180E, 0x180E), (0x2000, 0x200F), (0x2028, 0x202F), (0x205F, 0x2064), (0x2066, 0x206F), (0x3000, 0x3000),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
_SPACES = "".join(chr(c) for a, b in _SPACE_RANGES for c in range(a, b + 1))


def _is_space(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) == "Cf"


_FINAL = tuple(_FINAL_PUNCT)


def _is_heading(line: str) -> bool:
    # Cheapest test first: a text of 500,000 lines asks this 500,000 times.
    return len(line) <= 80 and not line.rstrip().endswith(_FINAL) and len(line.split()) <= 10


# A full stop run into the next sentence's capital ("the ship sank near X.Rescuers found …", a lost space in wire
# copy) ends a sentence too, after two lower-case letters, so "U.S.Army", "Mr.Smith" and "St.Louis" stay whole.
_SENTENCE_END = re.compile(r"[.!?؟。؛]+[\"'»”)\]]*(?=\s|$)|(?<=[a-z]{2})\.(?=[A-Z][a-z])|[\n\r\u2029]+")
# A full stop followed by a lower-case Latin word ends an abbreviation, not a sentence.
_LOWER_NEXT = re.compile(r"[ \t]+[a-z]")
_INITIALISM = re.compile(r"(?<![\w.])(?:[A-Za-z]\.)+[A-Za-z]$")


def sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Yield ``(start, end)`` spans of sentences within ``text[start:end]``."""
    end = len(text) if end is None else end
    pos = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group() == "." and _LOWER_NEXT.match(text, m.end(), end) and _INITIALISM.search(text, max(start, m.start() - 12), m.start()):
            continue  # "the U.S. said", "4 p.m. on Sunday": an initialism, the sentence goes on
        if m.end() > pos and text[pos:m.end()].strip():
            s, e = _trim(text, pos, m.end())
            if s < e:
                yield s, e
        pos = m.end()
    if pos < end:
        s, e = _trim(text, pos, end)
        if s < e:
            yield s, e


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    part = text[start:end]
    body = part.strip(_SPACES)
    start += len(part) - len(part.lstrip(_SPACES))
    return start, start + len(body)


def title(text: str, parts: tuple[Passage, ...]) -> str:
    """The article's heading line if it starts with one, else its first sentence, shortened to a title."""
    if not parts:
        return ""
    first = parts[0]
    if not first.heading:
        start, end = next(sentences(text, first.start, first.end), (first.start, first.end))
        first_text = text[start:end].rstrip("؛;,،:")
    else:
        first_text = first.text
    return first_text if len(first_text) <= 90 else first_text[:87].rsplit(" ", 1)[0] + "…"


# --- Arabic normalisation ---------------------------------------------------------------------------

# Diacritics (harakat, tanween, shadda, sukun, dagger alef, Quranic marks) and tatweel are dropped.
AR_DROPPED = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_MAP = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ة": "ه", "ۀ": "ه", "ە": "ه", "ھ": "ه", "ہ": "ه",
        "ى": "ي", "ی": "ي", "ې": "ي", "ئ": "ي", "ۍ": "ي",
        "ؤ": "و", "ۆ": "و", "ۇ": "و",
        # Transliteration variants of foreign /g/: Egyptian ج, Levantine غ, Persian گ, Maghrebi ڭ / ڨ, Kurdish/Pashto ګ.
        "غ": "ج", "گ": "ج", "ڭ": "ج", "ڨ": "ج", "ګ": "ج", "ک": "ك",
        "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ڥ": "ف",
    }
)
# A name or word written only in Arabic script (letters, marks, tatweel, spaces, hyphens).
ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\u0671-\u06d3\u064b-\u065f\u0670\u0640 \-]+$")


def normalise_ar(word: str) -> str:
    """Fold an Arabic word to its matching key: no diacritics/tatweel, unified alef/hamza, ة→ه, ى→ي, غ/گ→ج, ک→ك."""
    return AR_DROPPED.sub("", word).translate(_AR_MAP)


def ar_key(word: str) -> str:
    """Normalise an Arabic word and drop its article: only a bare-alef ``ال`` is one (``ألوفي`` keeps its ``أل``)."""
    bare = AR_DROPPED.sub("", word)
    if bare.startswith("ال") and len(bare) > 4:
        bare = bare[2:]
    return bare.translate(_AR_MAP)


def is_arabic_word(word: str) -> bool:
    return bool(word) and all("\u0600" <= c <= "\u06ff" or c in "\u200c\u200d" for c in word)


# Characters that are invisible inside a word and break it for matching: zero-width space, non-joiner and
# joiner, word joiner, BOM used as a joiner, soft hyphen ("Mos\u200bcow", "موس\u200cكو" are still names).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


class Visible:
    """A text without invisible in-word characters, and the way back to offsets in the original.

    Matching runs on ``visible``; ``start``/``end`` turn its offsets into the original's, so mentions still
    satisfy ``original[start:end] == mention text``. Without such characters ``visible`` is the original.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        # keys[j]: where the j-th removed character sits in visible coordinates (its original offset - j).
        self._keys: list[int] = []
        pieces: list[str] = []
        pos = 0
        for m in _INVISIBLE.finditer(text):
            pieces.append(text[pos:m.start()])
            removed = len(self._keys)
            self._keys.extend(i - removed - k for k, i in enumerate(range(m.start(), m.end())))
            pos = m.end()
        self.visible = "".join(pieces) + text[pos:] if self._keys else text

    def start(self, i: int) -> int:
        """The original offset of the visible character at ``i``."""
        return i + bisect.bisect_right(self._keys, i) if self._keys else i

    def end(self, i: int) -> int:
        """The original offset just after the visible span ending at ``i`` (exclusive)."""
        return self.start(i - 1) + 1 if self._keys and i > 0 else i


@functools.lru_cache(maxsize=1 << 16)  # pure; news repeats its words, and a hostile text one word a million times
def normalise_latin(word: str) -> str:
    """Fold a Latin-script name: lower case, accents removed, apostrophes and hyphens dropped."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum())


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """The key a gazetteer name is indexed under: words folded and joined without spaces.

    Arabic names also lose a leading article ``ال`` on each word, matching the text side, which strips
    proclitics (``وبالصين`` → ``صين``).
    """
    words = re.findall(r"[\w\u0600-\u06ff]+", name)
    if words and all(is_arabic_word(w) for w in words):
        return "".join(ar_key(w) for w in words)
    return "".join(normalise_latin(w) for w in words)


